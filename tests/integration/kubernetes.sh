# deploy/kubernetes: the manifests pass kubectl's client-side checks (no
# cluster: kustomize, and kubectl reading each object), say
# what the image needs (no privileged, the image's capabilities, --labels
# kubelet), and the DaemonSet's pod, run by podman with exactly its
# spec's flags (tests/kubepod.py) in a store of the test's own, serves
# kubelet-labelled series of a pod's container beside it.
. "$CADV_TOP/tests/lib.sh"

K=$TOP/deploy/kubernetes
# the image's capabilities (deploy/image/README.md, tests/integration/image.sh)
CAPS="SETUID SETGID SETPCAP CHOWN DAC_OVERRIDE DAC_READ_SEARCH KILL SYSLOG"

# decode FILE OUT: kubectl's typed decoding of FILE, offline
decode() { kubectl annotate --local --dry-run=client -o json -f "$1" cadv-check=1 >"$2" 2>"$2.err"; }
# dsq EXPR: a Python expression over the DaemonSet (d), its pod spec (p)
# and its container (c)
dsq() {
	"$PY" -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
p = d["spec"]["template"]["spec"]
c = p["containers"][0]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$K/daemonset.yaml" "$1"
}

if ! "$PY" -c 'import yaml' 2>/dev/null; then
	skip kubernetes "no python3-yaml"
	exit 0
fi
if ! command -v kubectl >/dev/null; then
	skip "kubernetes: client-side validation" "no kubectl (kubernetes-client)"
else
	expect "kustomize builds the whole set offline" sh -c "kubectl kustomize '$K' >'$T/all.yaml' 2>'$T/kust.err'"
	expect "namespace, service account, DaemonSet and Service, in namespace cadv" "$PY" -c '
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = sorted(d["kind"] for d in docs)
assert kinds == ["DaemonSet", "Namespace", "Service", "ServiceAccount"], kinds
assert all(d["metadata"].get("namespace", "cadv") == "cadv" or d["kind"] == "Namespace" for d in docs)' "$T/all.yaml"
	for f in namespace serviceaccount daemonset service; do
		expect "$f.yaml: kubectl reads it client-side (kind, apiVersion, YAML)" decode "$K/$f.yaml" "$T/$f.json"
	done
	printf 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: [\n' >"$T/broken.yaml"
	expect "and refuses a broken one" sh -c "! kubectl annotate --local --dry-run=client -o json -f '$T/broken.yaml' x=1 >/dev/null 2>&1"
	expect "servicemonitor.yaml: selects the Service's label and port" "$PY" -c '
import sys, yaml
m = yaml.safe_load(open(sys.argv[1] + "/servicemonitor.yaml"))
s = yaml.safe_load(open(sys.argv[1] + "/service.yaml"))
assert m["kind"] == "ServiceMonitor"
assert m["spec"]["selector"]["matchLabels"].items() <= s["metadata"]["labels"].items()
assert m["spec"]["endpoints"][0]["port"] in [p["name"] for p in s["spec"]["ports"]]' "$K"
fi

expect "DaemonSet: not privileged, read-only root, no privilege escalation" dsq \
    'c["securityContext"]["privileged"] is False and c["securityContext"]["readOnlyRootFilesystem"] and c["securityContext"]["allowPrivilegeEscalation"] is False'
expect "DaemonSet: drops ALL, adds exactly the image's capabilities" dsq \
    "c['securityContext']['capabilities'] == {'drop': ['ALL'], 'add': '$CAPS'.split()}"
expect "DaemonSet: hostPID, the host at /rootfs read-only" dsq \
    'p["hostPID"] and any(m["mountPath"] == "/rootfs" and m["readOnly"] for m in c["volumeMounts"]) and any(v.get("hostPath", {}).get("path") == "/" for v in p["volumes"])'
expect "DaemonSet: exporterd with --labels kubelet on 8080" dsq \
    '"--labels kubelet" in " ".join(c["args"]) and c["ports"][0]["containerPort"] == 8080'
expect "DaemonSet: requests and limits set" dsq \
    'all(k in c["resources"][w] for w in ("requests", "limits") for k in ("cpu", "memory"))'
expect "DaemonSet: Prometheus' scrape annotations" dsq \
    'd["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"] == "true"'
expect "the selector matches the pod's labels" dsq \
    'd["spec"]["selector"]["matchLabels"].items() <= d["spec"]["template"]["metadata"]["labels"].items()'

# the pod, run by podman as its spec says
. "$CADV_TOP/tests/lib-podman.sh"
if ! is_root; then
	skip "kubernetes: the DaemonSet's pod under podman" "needs root"
	exit 0
fi
if ! command -v nsenter >/dev/null || ! command -v strip >/dev/null; then
	skip "kubernetes: the DaemonSet's pod under podman" "no nsenter or strip"
	exit 0
fi
if ! podman_start k8s; then
	skip "kubernetes: the DaemonSet's pod under podman" "$PM_WHY"
	exit 0
fi
podman_image localhost/bb:1 || { fail kubernetes "busybox image import"; exit 0; }
"$PY" "$TOP/tests/kubepod.py" "$K/daemonset.yaml" >"$T/flags" 2>"$T/flags.err"
expect "every field of the pod spec translates to podman's flags" test $? -eq 0
# kubectl keeps a field it does not know (no schema without a cluster):
# the translation is what catches a misspelt one
sed 's/readOnlyRootFilesystem/readOnlyRootFileSystem/' "$K/daemonset.yaml" >"$T/typo.yaml"
expect_status "a misspelt field is refused (readOnlyRootFileSystem)" 1 "$PY" "$TOP/tests/kubepod.py" "$T/typo.yaml"
expect "naming it" grep -q 'not translated: readOnlyRootFileSystem' "$T/.err"
IMG=$("$PY" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]["containers"][0]["image"])' "$K/daemonset.yaml")
export CONTAINERS_CONF="$PM_DIR/containers.conf"
PODMAN="podman --root $PM_ROOT --runroot $PM_RUNROOT --tmpdir $PM_DIR/tmp" \
    sh "$TOP/scripts/image" "$BIN/.." "$IMG" "$T/ctx" >"$T/build.out" 2>&1
expect "the image builds as the spec names it ($IMG)" test $? -eq 0

# a pod of ours with a container, for cadv to label
pm pod create --name "shop-$$" --cgroup-parent "$PM_CGP" >/dev/null
pm run -d --pod "shop-$$" --name "api-$$" localhost/bb:1 sleep 600 >/dev/null
expect "our pod's container runs" test "$(pm inspect -f '{{.State.Running}}' "api-$$")" = true

set --
while IFS= read -r a; do set -- "$@" "$a"; done <"$T/flags"
# identd pointed at our private podman store (the node's would be under
# /rootfs); own netns with lo only: scraped from inside it
pm run -d --name "cadv-node-$$" --cgroup-parent "$PM_CGP" --network none \
    --env "CADV_IDENTD_ARGS=--storage-root $PM_ROOT --storage-runroot $PM_RUNROOT" \
    "$@" >"$T/run.out" 2>&1
expect "the pod's container starts with the spec's flags" test $? -eq 0
PID=$(pm inspect -f '{{.State.Pid}}' "cadv-node-$$")
scrape() { nsenter -t "$PID" -n curl -sf "http://127.0.0.1:8080$1" >"$T/scrape.out"; }
# the series of our container: kubelet's labels, its pod named
api_series() {
	scrape /metrics && grep '^container_memory_usage_bytes{' "$T/scrape.out" |
	    grep "pod=\"shop-$$\"" | grep -q "name=\"api-$$\""
}
expect "readiness: /healthz on the container port" wait_for 30 scrape /healthz
expect "/metrics has our pod's container, pod=\"shop-$$\"" wait_for 30 api_series
grep '^container_memory_usage_bytes{' "$T/scrape.out" | grep "name=\"api-$$\"" | head -n 1 >"$T/line"
expect "its labels are exactly the kubelet's: container, id, image, name, namespace, pod" "$PY" -c '
import re, sys
line = open(sys.argv[1]).read()
labels = sorted(re.findall(r"([a-z_]+)=\"", line.split("}")[0]))
assert labels == ["container", "id", "image", "name", "namespace", "pod"], labels' "$T/line"
expect "and no container_label_* (kubelet mode)" sh -c "! grep -q 'container_label_' '$T/scrape.out'"
expect "the host's root cgroup too (hostPID, /rootfs)" grep -q '^container_memory_usage_bytes{.*id="/"' "$T/scrape.out"
pm logs "cadv-node-$$" >"$T/node.log" 2>&1
expect "every daemon dropped to its user" sh -c "
	grep -q '^collectord: running as cadv ' '$T/node.log' &&
	grep -q '^exporterd: running as cadv-web ' '$T/node.log'"
