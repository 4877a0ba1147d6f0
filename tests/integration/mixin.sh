# kubernetes-mixin's container recording rules and the common cAdvisor
# dashboard queries, evaluated by a real Prometheus that scrapes a real
# exporterd (watcherd | collectord, identd) at /metrics/cadvisor (job
# cadvisor, the kubelet's labels) and /metrics (job cadv, cAdvisor's),
# with a podman container web1 and a CRI pod shop/api-... of the test's
# own.  The rules (deploy/prometheus/kubernetes-mixin-containers.rules.yml)
# join kube-state-metrics' kube_pod_info and kube_pod_owner: a static
# file of those for our pod, served over HTTP, stands in for it (job
# kube-state-metrics).  Everything is read through Prometheus's HTTP API.
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-podman.sh"
. "$CADV_TOP/tests/lib-containerd.sh"

RULES=$TOP/deploy/prometheus/kubernetes-mixin-containers.rules.yml
for t in curl prometheus promtool; do
	command -v $t >/dev/null ||
	    { skip "kubernetes-mixin rules" "no $t (make deps)"; cleanup; exit 0; }
done
expect "promtool check rules: the mixin's rules file" \
    sh -c "promtool check rules '$RULES' >'$T/check.out' 2>&1"

# promtool test rules: the rules over series shaped as exporterd's
# /metrics/cadvisor and kube-state-metrics' give each container its node
cat >"$T/rules.test.yml" <<EOF
rule_files: ['$RULES']
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'container_cpu_usage_seconds_total{job="cadvisor",id="/k/pod1/c1",name="c1",image="bb:1",namespace="shop",pod="api-1",container="api",cpu="total"}'
        values: '0+60x10'
      - series: 'container_cpu_usage_seconds_total{job="cadvisor",id="/k/pod1",name="",image="",namespace="shop",pod="api-1",container="",cpu="total"}'
        values: '0+60x10'
      - series: 'container_memory_working_set_bytes{job="cadvisor",id="/k/pod1/c1",name="c1",image="bb:1",namespace="shop",pod="api-1",container="api"}'
        values: '4096x10'
      - series: 'kube_pod_info{job="kube-state-metrics",namespace="shop",pod="api-1",node="n1"}'
        values: '1x10'
      - series: 'kube_pod_owner{job="kube-state-metrics",namespace="shop",pod="api-1",owner_kind="ReplicaSet",owner_name="api-rs"}'
        values: '1x10'
      - series: 'kube_replicaset_owner{job="kube-state-metrics",namespace="shop",replicaset="api-rs",owner_kind="Deployment",owner_name="api"}'
        values: '1x10'
    promql_expr_test:
      - expr: node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m
        eval_time: 10m
        exp_samples:
          - labels: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m{namespace="shop",pod="api-1",container="api",node="n1"}'
            value: 1
      - expr: node_namespace_pod_container:container_memory_working_set_bytes
        eval_time: 10m
        exp_samples:
          - labels: 'node_namespace_pod_container:container_memory_working_set_bytes{job="cadvisor",id="/k/pod1/c1",name="c1",image="bb:1",namespace="shop",pod="api-1",container="api",node="n1"}'
            value: 4096
      - expr: namespace_workload_pod:kube_pod_owner:relabel
        eval_time: 10m
        exp_samples:
          - labels: 'namespace_workload_pod:kube_pod_owner:relabel{namespace="shop",pod="api-1",workload="api",workload_type="deployment"}'
            value: 1
EOF
expect "promtool test rules: node, namespace, pod, container and workload recorded" \
    sh -c "promtool test rules '$T/rules.test.yml' >'$T/test.out' 2>&1 || { cat '$T/test.out'; false; }"

if ! is_root; then
	skip "kubernetes-mixin rules on a live Prometheus" "not root (runtimes, cgroups)"
	cleanup
	exit 0
fi
if ! podman_start mix; then
	skip "kubernetes-mixin rules on a live Prometheus" "$PM_WHY"
	cleanup
	exit 0
fi
if ! ctrd_start cri || [ "$CT_CRI_OK" -ne 1 ]; then
	skip "kubernetes-mixin rules on a live Prometheus" "containerd's CRI: ${CT_WHY:-$CT_CRI_WHY}"
	cleanup
	exit 0
fi
for m in grpc google.protobuf; do
	"$PY" -c "import $m" 2>/dev/null || {
		skip "kubernetes-mixin rules on a live Prometheus" "$PY has no $m"
		cleanup
		exit 0
	}
done

S=$T/store
start_pipeline "$S"
"$BIN/identd" --store "$S" --storage-root "$PM_ROOT" \
    --storage-runroot "$PM_RUNROOT" --containerd-state "$CT_STATE" \
    --containerd-root "$CT_ROOT" 2>>"$T/identd.err" &
IDP=$!
on_exit "kill $IDP 2>/dev/null"
XPORT=$(free_port)
PPORT=$(free_port)
KPORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$XPORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"

# a little CPU now and then, so that rates are not all 0
BUSY='while :; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 0.3; done'
podman_image localhost/bb:1 ||
    { fail "podman image" "import failed"; cleanup; exit 0; }
pm run -d --name web1 --label app=web --cgroup-parent "$PM_CGP" \
    localhost/bb:1 sh -c "$BUSY" >"$T/web1.id" 2>"$T/run.err" ||
    { fail "podman run web1" "$(head -c 300 "$T/run.err")"; cleanup; exit 0; }

cri_pod_api -- sh -c "$BUSY" ||
    { fail "CRI pod shop/api" "$CT_WHY"; cleanup; exit 0; }

# kube-state-metrics' view of our pod: on node mixnode, owned by
# ReplicaSet api-rs of Deployment api
mkdir "$T/ksm"
cat >"$T/ksm/metrics.txt" <<EOF
# TYPE kube_pod_info gauge
kube_pod_info{namespace="shop",pod="$PODNAME",uid="$PUID",host_ip="127.0.0.1",pod_ip="",node="mixnode",created_by_kind="ReplicaSet",created_by_name="api-rs",priority_class="",host_network="false"} 1
# TYPE kube_pod_owner gauge
kube_pod_owner{namespace="shop",pod="$PODNAME",uid="$PUID",owner_kind="ReplicaSet",owner_name="api-rs",owner_is_controller="true"} 1
# TYPE kube_replicaset_owner gauge
kube_replicaset_owner{namespace="shop",replicaset="api-rs",owner_kind="Deployment",owner_name="api",owner_is_controller="true"} 1
EOF
"$PY" -m http.server --bind 127.0.0.1 --directory "$T/ksm" "$KPORT" \
    >"$T/ksm.log" 2>&1 &
KP=$!
on_exit "kill $KP 2>/dev/null"

cat >"$T/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: ['$RULES']
scrape_configs:
  - job_name: cadvisor
    metrics_path: /metrics/cadvisor
    static_configs:
      - targets: ['127.0.0.1:$XPORT']
  - job_name: cadv
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:$XPORT']
  - job_name: kube-state-metrics
    metrics_path: /metrics.txt
    static_configs:
      - targets: ['127.0.0.1:$KPORT']
YML
mkdir "$T/tsdb"
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$PPORT" >"$T/prometheus.log" 2>&1 &
PP=$!
on_exit "kill $PP 2>/dev/null"
Q="http://127.0.0.1:$PPORT/api/v1/query"

# q WHAT PROMQL PYEXPR: Prometheus answers PROMQL with a vector r (a
# list of {"metric": labels, "value": [t, "v"]}) for which PYEXPR holds,
# before QEND (60 s for all, so that a broken exporterd fails in about a
# minute, not 30 s a check) or within 3 s; the last answer stays in $T/q.json
QEND=$(($(date +%s) + 60))
q() {
	q_left=$((QEND - $(date +%s)))
	[ "$q_left" -ge 3 ] || q_left=3
	wait_for "$q_left" sh -c 'curl -s -G --data-urlencode "query=$1" "$2" >"$3" &&
	    "$4" -c "
import json, sys
d = json.load(open(sys.argv[1]))
r = d[\"data\"][\"result\"] if d.get(\"status\") == \"success\" else []
v = lambda x: float(x[\"value\"][1])
sys.exit(0 if r and ($5) else 1)" "$3"' sh "$2" "$Q" "$T/q.json" "$PY" "$3"
}
up() { q up "up == 1" 'len(r) == 3'; }
expect "Prometheus scrapes /metrics/cadvisor, /metrics and the kube-state-metrics file (up == 1)" up
[ -f "$T/q.json" ] && cp "$T/q.json" "$T/up.json"

API_SEL="namespace=\"shop\",pod=\"$PODNAME\",container=\"api\""
# ---- kubernetes-mixin's recording rules ----
expect "rule node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate: the CRI container, node from kube_pod_info" \
    q cpu "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{$API_SEL,node=\"mixnode\"}" 'len(r) == 1'
expect "rule ...:container_cpu_usage_seconds_total:sum_rate5m: the CRI container, a rate above 0" \
    q cpu5 "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m{$API_SEL,node=\"mixnode\"}" 'len(r) == 1 and v(r[0]) > 0'
expect "rule ...:container_cpu_usage_seconds_total:sum_rate5m: the pod's sandbox (container \"\", containerd) too" \
    q cpusb "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m{namespace=\"shop\",pod=\"$PODNAME\",container=\"\"}" 'len(r) == 1'
for f in working_set_bytes rss cache swap; do
	expect "rule node_namespace_pod_container:container_memory_$f: the CRI container, job, image and node" \
	    q mem "node_namespace_pod_container:container_memory_$f{$API_SEL,node=\"mixnode\",job=\"cadvisor\",image=\"localhost/bb:1\"}" 'len(r) == 1'
done
expect "the working set recorded is the container's, above 0" \
    q ws "node_namespace_pod_container:container_memory_working_set_bytes{$API_SEL}" 'len(r) == 1 and v(r[0]) > 0'
expect "rule namespace_workload_pod:kube_pod_owner:relabel: our pod, workload api (deployment)" \
    q owner "namespace_workload_pod:kube_pod_owner:relabel{namespace=\"shop\",pod=\"$PODNAME\",workload=\"api\",workload_type=\"deployment\"}" 'len(r) == 1'
expect "the mixin's workload dashboard: CPU by workload through the recorded rules" \
    q wl "sum by (workload) (node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{namespace=\"shop\"} * on (namespace, pod) group_left(workload, workload_type) namespace_workload_pod:kube_pod_owner:relabel{namespace=\"shop\", workload_type=\"deployment\"})" \
    '[x for x in r if x["metric"].get("workload") == "api"]'
expect "the mixin's pod dashboard: memory by container of the pod" \
    q pd "sum by (container) (container_memory_working_set_bytes{job=\"cadvisor\", namespace=\"shop\", pod=\"$PODNAME\", container!=\"\", image!=\"\"})" \
    '[x["metric"].get("container") for x in r] == ["api"] and v(r[0]) > 0'

# ---- common cAdvisor dashboard queries (job cadvisor) ----
expect "sum(rate(container_cpu_usage_seconds_total{image!=\"\"}[1m])) by (pod): our pod" \
    q d1 "sum(rate(container_cpu_usage_seconds_total{job=\"cadvisor\",image!=\"\"}[1m])) by (pod)" \
    '[x for x in r if x["metric"].get("pod") == "'"$PODNAME"'" and v(x) > 0]'
expect "sum(rate(container_cpu_usage_seconds_total{name=~\".+\"}[1m])) by (name): web1 (podman)" \
    q d2 "sum(rate(container_cpu_usage_seconds_total{job=\"cadvisor\",name=~\".+\"}[1m])) by (name)" \
    '[x for x in r if x["metric"].get("name") == "web1" and v(x) > 0]'
expect "container_memory_working_set_bytes{container!=\"\",image!=\"\"}: the CRI container api (not podman's, which has no container label)" \
    q d3 "container_memory_working_set_bytes{job=\"cadvisor\",container!=\"\",image!=\"\"}" \
    '[x for x in r if x["metric"].get("pod") == "'"$PODNAME"'" and x["metric"]["container"] == "api"] and not [x for x in r if x["metric"].get("name") == "web1"]'
expect "container_memory_working_set_bytes{name=\"web1\",image!=\"\"}: podman's web1, pod and container empty" \
    q d4 "container_memory_working_set_bytes{job=\"cadvisor\",name=\"web1\",image!=\"\"}" \
    'len(r) == 1 and r[0]["metric"]["image"] == "localhost/bb:1" and "pod" not in r[0]["metric"] and v(r[0]) > 0'
expect "rate(container_network_receive_bytes_total[1m]): the pod (its sandbox owns the network namespace)" \
    q d5 "rate(container_network_receive_bytes_total{job=\"cadvisor\",namespace=\"shop\",pod=\"$PODNAME\"}[1m])" \
    '[x for x in r if x["metric"].get("interface")]'
expect "container_fs_usage_bytes: the root's filesystems, and else only named containers' writable layers" \
    q d6 "container_fs_usage_bytes{job=\"cadvisor\"}" \
    '[x for x in r if x["metric"]["id"] == "/" and x["metric"].get("device")] and all(x["metric"]["id"] == "/" or x["metric"].get("name") for x in r)'
expect "sum(container_memory_rss{image!=\"\"}) by (namespace, pod): our pod" \
    q d7 "sum(container_memory_rss{job=\"cadvisor\",image!=\"\"}) by (namespace, pod)" \
    '[x for x in r if x["metric"].get("pod") == "'"$PODNAME"'" and x["metric"].get("namespace") == "shop"]'

# ---- /metrics keeps cAdvisor's labels (job cadv) ----
expect "/metrics: web1 with container_label_app=\"web\", no pod label" \
    q m1 "container_memory_working_set_bytes{job=\"cadv\",name=\"web1\",container_label_app=\"web\"}" \
    'len(r) == 1 and "pod" not in r[0]["metric"]'
expect "/metrics: the CRI container by its io.kubernetes labels" \
    q m2 "container_memory_working_set_bytes{job=\"cadv\",container_label_io_kubernetes_pod_name=\"$PODNAME\",container_label_io_kubernetes_container_name=\"api\"}" \
    'len(r) == 1'
expect "/metrics: the mixin's rules find nothing there (no pod label)" \
    q m3 "count(container_memory_working_set_bytes{job=\"cadv\",pod!=\"\"}) or vector(0)" 'v(r[0]) == 0'
expect "Prometheus's rules evaluated without error" \
    sh -c "! grep -i 'level=warn.*rule\|error evaluating' '$T/prometheus.log'"
exited_says exporterd "$XP" "$T/exporterd.err"
exited_says prometheus "$PP" "$T/prometheus.log"
kill "$PP" "$XP" "$KP" "$IDP"
wait "$PP" "$XP" "$KP" "$IDP" 2>/dev/null
stop_pipeline
cleanup
