# deploy/prometheus and deploy/grafana against the real thing: promtool
# checks the scrape configuration and the rules and runs their unit tests;
# then a real Prometheus, configured from scrape.yml (intervals shortened,
# the target and node ours) with cadv.rules.yml loaded, scrapes a real
# exporterd over a real pipeline (watcherd | collectord, eventd) while a
# workload of ours burns CPU under a CFS quota in a cgroup of its own and a
# hog is OOM-killed in a 32 MiB memory cgroup of ours.  Every dashboard
# query (each "expr" of node.json and pod.json, variables substituted)
# must return data, the OOM alert must fire, and the input series of
# cadv.rules.test.yml must have the names and label names of exporterd's
# real series (so that the rule tests cannot drift from what cadv
# exports).  The pod dashboard needs a pod: a CRI pod of containerd's, as
# in mixin.sh, or those queries are skipped.
. "$CADV_TOP/tests/lib.sh"

D=$TOP/deploy/prometheus
G=$TOP/deploy/grafana
for t in curl prometheus promtool; do
	command -v $t >/dev/null ||
	    { skip "deploy/prometheus" "no $t (make deps)"; exit 0; }
done
expect "promtool check rules cadv.rules.yml" \
    sh -c "promtool check rules '$D/cadv.rules.yml' >'$T/check.out' 2>&1 || { cat '$T/check.out'; false; }"
expect "promtool check config scrape.yml (with its rules)" \
    sh -c "promtool check config '$D/scrape.yml' >'$T/config.out' 2>&1 || { cat '$T/config.out'; false; }"
expect "promtool test rules cadv.rules.test.yml: every recording and alerting rule" \
    sh -c "cd '$D' && promtool test rules cadv.rules.test.yml >'$T/test.out' 2>&1 || { cat '$T/test.out'; false; }"
# every rule of the file has a test (a rule added untested fails here)
expect "cadv.rules.test.yml tests every rule of cadv.rules.yml" "$PY" -c '
import re, sys
rules = set(re.findall(r"^\s+- (?:record|alert): (\S+)", open(sys.argv[1]).read(), re.M))
t = open(sys.argv[2]).read()
tested = set(re.findall(r"expr: (\S+)", t)) | set(re.findall(r"alertname: (\S+)", t))
sys.exit("untested: %s" % sorted(rules - tested) if rules - tested or not rules else 0)' \
    "$D/cadv.rules.yml" "$D/cadv.rules.test.yml"
# Debian's promtool has no Kubernetes discovery: its file is read as YAML
if "$PY" -c 'import yaml' 2>/dev/null; then
	expect "scrape-kubernetes.yml: pods kept by prometheus.io/scrape, path and port from their annotations, node from the pod's node" "$PY" -c '
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["scrape_configs"][0]
r = c["relabel_configs"]
src = lambda s: [x for x in r if x["source_labels"][-1] == s]
ok = c["kubernetes_sd_configs"] == [{"role": "pod"}]
ok = ok and src("__meta_kubernetes_pod_annotation_prometheus_io_scrape")[0]["action"] == "keep"
ok = ok and src("__meta_kubernetes_pod_annotation_prometheus_io_path")[0]["target_label"] == "__metrics_path__"
ok = ok and src("__meta_kubernetes_pod_annotation_prometheus_io_port")[0]["target_label"] == "__address__"
ok = ok and src("__meta_kubernetes_pod_node_name")[0]["target_label"] == "node"
sys.exit(0 if ok else 1)' "$D/scrape-kubernetes.yml"
else
	skip "scrape-kubernetes.yml read as YAML" "$PY has no yaml (python3-yaml)"
fi
expect "dashboards: Grafana JSON models, schemaVersion 39, a datasource variable and node (pod: namespace, pod), every panel a PromQL query" "$PY" -c '
import json, sys
for f, want in ((sys.argv[1], ["datasource", "node"]), (sys.argv[2], ["datasource", "node", "namespace", "pod"])):
    d = json.load(open(f))
    assert d["schemaVersion"] == 39, f
    assert [v["name"] for v in d["templating"]["list"]] == want, f
    assert d["panels"] and all(p["targets"] and all(t["expr"] for t in p["targets"]) for p in d["panels"]), f
    assert len({p["id"] for p in d["panels"]}) == len(d["panels"]), f
' "$G/node.json" "$G/pod.json"

if ! is_root; then
	skip "deploy/prometheus on a live Prometheus" "not root (cgroups, eventd)"
	exit 0
fi
C=/sys/fs/cgroup/cpu M=/sys/fs/cgroup/memory
if [ ! -f $C/cpu.cfs_period_us ] || [ ! -d $M ]; then
	skip "deploy/prometheus on a live Prometheus" "no v1 cpu and memory hierarchies"
	exit 0
fi
. "$CADV_TOP/tests/lib-containerd.sh"
P=cadv-test-promdeploy-$$
mkdir $C/$P $C/$P/busy $M/$P $M/$P/oom
on_exit "rmdir $C/$P/busy $C/$P $M/$P/oom $M/$P 2>/dev/null"
# 10 ms of CPU each 100 ms: a burning process is throttled most periods
echo 100000 >$C/$P/busy/cpu.cfs_period_us
echo 10000 >$C/$P/busy/cpu.cfs_quota_us
echo $((32 << 20)) >$M/$P/oom/memory.limit_in_bytes
[ -f $M/$P/oom/memory.memsw.limit_in_bytes ] &&
    echo $((32 << 20)) >$M/$P/oom/memory.memsw.limit_in_bytes
"$TBIN/cgtask" --cg $C/$P/busy burn 150 >/dev/null &
BP=$!
on_exit "kill $BP 2>/dev/null; wait $BP 2>/dev/null"
# a network namespace of our own in a cgroup of ours (a veth pair whose
# names do not start with veth, which exporterd leaves out): the node
# dashboard's network panel has it without any runtime
mkdir $C/$P/net
on_exit "rmdir $C/$P/net 2>/dev/null"
unshare -n sh -c "ip link add eth0 type veth peer name eth1 && ip link set eth0 up &&
    exec '$TBIN/cgtask' --cg $C/$P/net sleep 150" 2>"$T/net.err" &
NP=$!
on_exit "kill $NP 2>/dev/null; wait $NP 2>/dev/null"

S=$T/store
start_pipeline "$S"
start_eventd "$S"
PODQ=0
if ctrd_start cri && [ "$CT_CRI_OK" -eq 1 ] && "$PY" -c 'import grpc, google.protobuf' 2>/dev/null; then
	# direct I/O (charged to the container, unlike writeback) for the
	# pod's filesystem panel, then a little CPU now and then
	IO='dd if=/dev/zero of=/io bs=4096 count=256 oflag=direct 2>/dev/null; dd if=/io of=/dev/null bs=4096 iflag=direct 2>/dev/null'
	if cri_pod_api --memory $((64 << 20)) -- sh -c "$IO; "'while :; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 0.2; done'; then
		PODQ=1
		on_exit "ctrd_stop"
	else
		skip "the pod dashboard's queries" "CRI pod: $CT_WHY"
	fi
else
	skip "the pod dashboard's queries" "containerd's CRI: ${CT_WHY:-${CT_CRI_WHY:-python3 grpc}}"
fi
if [ "$PODQ" -eq 1 ]; then
	# the pod's container under a CFS quota too, for its throttling panel
	for d in $C$PODCG/*/; do
		[ -f "$d/cpu.cfs_quota_us" ] || continue
		echo 100000 >"$d/cpu.cfs_period_us"
		echo 2000 >"$d/cpu.cfs_quota_us"
	done
	"$BIN/identd" --store "$S" --containerd-state "$CT_STATE" \
	    --containerd-root "$CT_ROOT" 2>>"$T/identd.err" &
	IDP=$!
	on_exit "kill $IDP 2>/dev/null"
fi
XPORT=$(free_port)
PPORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$XPORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"

# scrape.yml as shipped, but every second, at our exporterd, node promnode
sed -e 's/15s/1s/' -e "s/127\.0\.0\.1:8080/127.0.0.1:$XPORT/" \
    -e 's/node: localhost/node: promnode/' \
    -e "s|^  - cadv.rules.yml|  - $D/cadv.rules.yml|" \
    "$D/scrape.yml" >"$T/prometheus.yml"
expect "scrape.yml, made the test's: the same but for intervals, target, node and the rules' path" \
    test "$(diff "$D/scrape.yml" "$T/prometheus.yml" | grep -c '^>')" -eq 5
mkdir "$T/tsdb"
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$PPORT" >"$T/prometheus.log" 2>&1 &
PP=$!
on_exit "kill $PP 2>/dev/null"
Q="http://127.0.0.1:$PPORT/api/v1/query"

# q PROMQL PYEXPR [SECONDS]: Prometheus answers PROMQL with a non-empty
# vector r for which PYEXPR holds, within SECONDS (default 30)
q() {
	wait_for "${3:-30}" sh -c 'curl -s -G --data-urlencode "query=$1" "$2" >"$3" &&
	    "$4" -c "
import json, sys
d = json.load(open(sys.argv[1]))
r = d[\"data\"][\"result\"] if d.get(\"status\") == \"success\" else []
v = lambda x: float(x[\"value\"][1])
sys.exit(0 if r and ($5) else 1)" "$3"' sh "$1" "$Q" "$T/q.json" "$PY" "$2"
}
expect "Prometheus scrapes exporterd's /metrics/cadvisor with scrape.yml's job and node (up == 1)" \
    q 'up{job="cadv",node="promnode"} == 1' 'len(r) == 1'

# the OOM kill: once Prometheus has the container's 0, a hog past 32 MiB
expect "container_oom_events_total of our memory cgroup is 0 before the kill" \
    q "container_oom_events_total{id=\"/$P/oom\",node=\"promnode\"}" 'v(r[0]) == 0'
"$TBIN/cgtask" --cg $M/$P/oom hog 64 30 >/dev/null 2>&1
expect "a real OOM kill fires CadvContainerOOMKilled (ALERTS) for our cgroup" \
    q "ALERTS{alertname=\"CadvContainerOOMKilled\",id=\"/$P/oom\",node=\"promnode\"}" \
    'r[0]["metric"]["alertstate"] in ("pending", "firing")' 40
expect "... firing at once (the rule has no for:)" \
    q "ALERTS{alertname=\"CadvContainerOOMKilled\",alertstate=\"firing\",id=\"/$P/oom\"}" 'len(r) == 1' 5
expect "CadvContainerCPUThrottlingHigh's expression sees our throttled cgroup (its for: is 15m)" \
    q "sum by (id) (increase(container_cpu_cfs_throttled_periods_total{id=\"/$P/busy\"}[5m])) / sum by (id) (increase(container_cpu_cfs_periods_total{id=\"/$P/busy\"}[5m])) > 0.25" 'len(r) == 1'
expect "no cadv health alert pending or firing (collectord's heartbeat fresh, store map small, exporterd up)" \
    q 'count(ALERTS{alertname=~"CadvCollectordHeartbeatStale|CadvStoreMapUsageHigh|CadvStoreMapFull|CadvExporterdDown"}) or vector(0)' 'v(r[0]) == 0' 5

# every dashboard query returns data, the variables our values
"$PY" - "$G/node.json" "$G/pod.json" "$T/queries" "${PODNAME:-}" <<'PYEOF'
import json, sys
node, pod, out, podname = sys.argv[1:5]
sub = {"$__rate_interval": "10s", "$node": "promnode", "$namespace": "shop", "$pod": podname}
with open(out, "w") as f:
    for path in (node, pod):
        d = json.load(open(path))
        exprs = [v["query"]["query"] for v in d["templating"]["list"] if v["type"] == "query"]
        exprs += [t["expr"] for p in d["panels"] for t in p["targets"]]
        for e in exprs:
            for k in sorted(sub, key=len, reverse=True):
                e = e.replace(k, sub[k])
            # label_values(SERIES, LABEL) is Grafana's: SERIES must have LABEL
            if e.startswith("label_values("):
                s, _, l = e[len("label_values("):-1].rpartition(", ")
                e = "count by (%s) (%s)" % (l, s)
            assert "$" not in e, e
            f.write("%s\t%s\n" % (path.rsplit("/", 1)[1], e))
PYEOF
n=0
while IFS='	' read -r dash e; do
	case $dash in
	pod.json) [ "$PODQ" -eq 1 ] || continue ;;
	esac
	n=$((n + 1))
	expect "$dash: $e" q "$e" 'True' 20
done <"$T/queries"
expect "the dashboards' queries were run ($n)" test "$n" -ge 14

# the rule tests' input series are exporterd's: name and label names
curl -s "http://127.0.0.1:$XPORT/metrics/cadvisor" >"$T/real.metrics"
expect "cadv.rules.test.yml's input series: the names and label names of exporterd's /metrics/cadvisor (+ job, instance, node)" "$PY" -c '
import re, sys
real = {}
LAB = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"")
for ln in open(sys.argv[1]):
    m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ", ln)
    if m:
        real.setdefault(m.group(1), set()).add(frozenset(LAB.findall(m.group(2) or "")))
bad = []
for m in re.finditer(r"series: [\x27\x22]?([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}", open(sys.argv[2]).read()):
    name, labs = m.group(1), frozenset(LAB.findall(m.group(2))) - {"job", "instance", "node"}
    if name == "up":  # Prometheus, not exporterd
        continue
    if name not in real:
        bad.append("%s: not in the scrape" % name)
    elif labs not in real[name]:
        bad.append("%s: labels %s, exporterd has %s" % (name, sorted(labs), [sorted(x) for x in real[name]]))
print("\n".join(sorted(set(bad))))
sys.exit(1 if bad else 0)' "$T/real.metrics" "$D/cadv.rules.test.yml"
expect "node.json's network panel: our own network namespace's eth0" \
    q "container_network_receive_bytes_total{id=\"/$P/net\",interface=\"eth0\",node=\"promnode\"}" 'len(r) == 1' 5
if [ "$PODQ" -eq 1 ]; then
	expect "recording rule namespace_pod:container_cpu_usage_seconds:rate5m: our pod on node promnode" \
	    q "namespace_pod:container_cpu_usage_seconds:rate5m{node=\"promnode\",namespace=\"shop\",pod=\"$PODNAME\"}" 'v(r[0]) > 0'
	expect "recording rule ...container_memory_working_set_bytes:ratio_limit: the api container under its 64 MiB" \
	    q "namespace_pod_container:container_memory_working_set_bytes:ratio_limit{pod=\"$PODNAME\",container=\"api\"}" '0 < v(r[0]) < 1'
fi
expect "Prometheus evaluated the rules without error" \
    sh -c "! grep -i 'level=warn.*rule\|error evaluating' '$T/prometheus.log'"
kill "$PP" "$XP" "$BP" "$NP" ${IDP:-}
wait "$PP" "$XP" "$BP" "$NP" ${IDP:-} 2>/dev/null
kill "$ED"; wait "$ED" 2>/dev/null
stop_pipeline
