#!/bin/sh
# The containerd source against a containerd of the test's own
# (tests/lib-containerd.sh): (1) ctr containers: id, namespace, labels,
# image, allow-listed env, the cgroup from the task's bundle (given with
# --cgroup, and ctr's default /<ns>/<id>); (2) a pod made through the CRI
# the way the kubelet makes one (tests/tools/cri.py): the sandbox, the
# pod's own cgroup, container name, pod, namespace, uid, restart count,
# and an OOM kill's exit code and reason from the CRI status file once the
# task is gone.  CADV_CAPTURE=DIR copies the state read into DIR laid out
# as on a host (the fixture tree of tests/unit/check_rt_containerd.c).
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-containerd.sh"

if ! is_root; then
	skip "containerd source, live" "needs root (containerd, runc)"
	exit 0
fi
if ! ctrd_start cri; then
	skip "containerd source, live" "$CT_WHY"
	exit 0
fi

scan() {	# scan OUT [ARGS]: rtscan over our instance, containerd only
	_o=$1; shift
	"$TBIN/rtscan" --source containerd --containerd-state "$CT_STATE" \
	    --containerd-root "$CT_ROOT" "$@" >"$_o" 2>"$_o.err"
}
# check FILE ID EXPR: the one identity with id ID in FILE (bound to c)
# makes the Python expression EXPR true (os is imported)
check() { rt_check id "$@"; }
absent() {	# absent FILE ID: no identity with that id
	! grep -q "\"id\":\"$2\"" "$1"
}
stats_ok() {	# stats_ok FILE N: found N, nothing unreadable or malformed
	grep -q "^rtscan: containerd: found $2, unreadable 0, malformed 0\$" "$1.err"
}
MEM=/sys/fs/cgroup/memory

# ---- (1) ctr ----
NS=cadvtest-ctrd-$$
CGP=/cadvtest-ctrd-$$
WEB=web-$$ DEF=def-$$
if ! ctrd_image "$NS" localhost/bb:1; then
	fail "busybox imported into our containerd" "$(tail -n 3 "$CT_DIR/containerd.log")"
	exit 0
fi
# every cgroup runc makes for us, removed at exit
ctrd_own_cgroup "$CGP/$WEB"
ctrd_own_cgroup "/$NS/$DEF"
ct -n "$NS" run -d --label app=api --label tier=front --env CADV_TEST=one \
    --env SECRET=s3 --cgroup "$CGP/$WEB" localhost/bb:1 "$WEB" sleep 1000 \
    >"$T/run.out" 2>&1 || fail "ctr run $WEB" "$(cat "$T/run.out")"
ct -n "$NS" run -d localhost/bb:1 "$DEF" sleep 1000 >"$T/run.out" 2>&1 ||
    fail "ctr run $DEF" "$(cat "$T/run.out")"
WEBPID=$(ct -n "$NS" tasks ls | awk -v id="$WEB" '$1 == id { print $2 }')

scan "$T/a.json" --env 'CADV_*'
expect "ctr: rtscan finds 2, nothing unreadable or malformed" stats_ok "$T/a.json" 2
expect "ctr: id, name, namespace, image, pid, created" check "$T/a.json" "$WEB" \
    "c['runtime'] == 'containerd' and c['name'] == '$WEB' and c['rt_namespace'] == '$NS' and c['image'] == 'localhost/bb:1' and c['pid'] == $WEBPID and 'created' in c and 'exit_code' not in c and 'sandbox' not in c"
expect "ctr: --label labels (and the image's, as cAdvisor has them)" \
    check "$T/a.json" "$WEB" \
    "c['labels']['app'] == 'api' and c['labels']['tier'] == 'front' and c['labels'].get('org.example.built-by') == 'cadv-tests'"
expect "ctr: the allow-listed variable alone" check "$T/a.json" "$WEB" \
    "c['env'] == {'CADV_TEST': 'one'}"
expect "ctr: --cgroup is the cgroup, it exists and holds the task" \
    check "$T/a.json" "$WEB" \
    "c['cgroup'] == '$CGP/$WEB' and str($WEBPID) in open('$MEM' + c['cgroup'] + '/cgroup.procs').read().split()"
expect "ctr: the default cgroup /<namespace>/<id>, existing" \
    check "$T/a.json" "$DEF" \
    "c['cgroup'] == '/$NS/$DEF' and os.path.isdir('$MEM' + c['cgroup']) and c['labels'].get('app') is None"
scan "$T/b.json"
expect "ctr: no variable without an allow-list" check "$T/b.json" "$WEB" \
    "'env' not in c"

# ---- (2) CRI ----
if [ "$CT_CRI_OK" -ne 1 ]; then
	skip "containerd CRI pod" "$CT_CRI_WHY"
	exit 0
fi
for m in grpc google.protobuf; do
	if ! "$PY" -c "import $m" 2>/dev/null; then
		skip "containerd CRI pod" "$PY has no $m (python3-grpcio, python3-protobuf)"
		exit 0
	fi
done
if ! command -v protoc >/dev/null; then
	skip "containerd CRI pod" "no protoc (protobuf-compiler)"
	exit 0
fi
CRI="$PY $CADV_TOP/tests/tools/cri.py --sock $CT_SOCK --state $CT_DIR/cri.json"
CT_CRICLIENT=$CRI
if ! ctrd_image k8s.io localhost/bb:1 ||
    ! ctrd_image k8s.io "$(ctrd_pause_image)" '["/bin/sleep","2147483647"]'; then
	fail "busybox and pause imported into k8s.io" "$(tail -n 3 "$CT_DIR/containerd.log")"
	exit 0
fi
PUID=$(cat /proc/sys/kernel/random/uuid)
PODNAME=api-$$-$(echo "$PUID" | cut -c1-5)
PODCG=/cadv-test-$$-cri/kubepods/besteffort/pod$PUID
ctrd_own_cgroup "$PODCG"
if ! POD=$($CRI runp --name "$PODNAME" --namespace shop --uid "$PUID" \
    --cgroup-parent "$PODCG" --label app=shop 2>"$T/cri.err"); then
	fail "CRI: RunPodSandbox" "$(cat "$T/cri.err") $(grep level=error "$CT_DIR/containerd.log" | tail -n 2)"
	exit 0
fi
# api waits for /tmp/go, then eats memory until its 16 MiB limit kills it
API=$($CRI create "$POD" --name api --image localhost/bb:1 --memory 16777216 \
    --label tier=api -- sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; x=a; while :; do x=$x$x; done' 2>"$T/cri.err") &&
    SIDE=$($CRI create "$POD" --name side --attempt 3 --image localhost/bb:1 \
    --env CADV_X=1 -- sleep 1000 2>>"$T/cri.err") &&
    $CRI start "$API" 2>>"$T/cri.err" && $CRI start "$SIDE" 2>>"$T/cri.err" || {
	fail "CRI: CreateContainer, StartContainer" "$(cat "$T/cri.err")"
	exit 0
}

scan "$T/c.json" --env 'CADV_*'
expect "CRI: rtscan finds 2 + sandbox + pod cgroup, nothing malformed" stats_ok "$T/c.json" 6
expect "CRI: the sandbox: flag, pod, cgroup in the pod's, pause image" \
    check "$T/c.json" "$POD" \
    "c.get('sandbox') is True and c['pod'] == '$PODNAME' and c['namespace'] == 'shop' and c['pod_uid'] == '$PUID' and c['sandbox_id'] == '$POD' and 'netns_owner' not in c and c['cgroup'] == '$PODCG/$POD' and os.path.isdir('$MEM' + c['cgroup']) and c['image'] == '$(ctrd_pause_image)' and c['labels']['io.cri-containerd.kind'] == 'sandbox' and c['rt_namespace'] == 'k8s.io'"
expect "CRI: the pod cgroup: pod fields, id the pod uid, existing" \
    check "$T/c.json" "$PUID" \
    "c.get('pod_cgroup') is True and c['pod'] == '$PODNAME' and c['namespace'] == 'shop' and c['pod_uid'] == '$PUID' and c['cgroup'] == '$PODCG' and os.path.isdir('$MEM' + c['cgroup']) and 'sandbox' not in c"
expect "CRI: container api: name is the id, container, pod, image, labels" \
    check "$T/c.json" "$API" \
    "c['name'] == '$API' and c['container'] == 'api' and c['pod'] == '$PODNAME' and c['namespace'] == 'shop' and c['pod_uid'] == '$PUID' and c['image'] == 'localhost/bb:1' and c['labels']['io.kubernetes.container.name'] == 'api' and c['labels']['tier'] == 'api' and 'sandbox' not in c and 'exit_code' not in c and 'started' in c"
expect "CRI: api shares the sandbox's netns, its cgroup is in the pod's" \
    check "$T/c.json" "$API" \
    "c['sandbox_id'] == '$POD' and c['netns_owner'] == '$POD' and c['cgroup'] == '$PODCG/$API' and str(c['pid']) in open('$MEM' + c['cgroup'] + '/cgroup.procs').read().split()"
expect "CRI: side: restart count 3 (the kubelet's attempt), its variable" \
    check "$T/c.json" "$SIDE" \
    "c['restart_count'] == 3 and c['env'] == {'CADV_X': '1'} and c['container'] == 'side'"

# the OOM kill
touch "$CT_STATE/io.containerd.runtime.v2.task/k8s.io/$API/rootfs/tmp/go"
exited() { $CRI status "$API" 2>/dev/null | grep -q '"CONTAINER_EXITED"'; }
expect "CRI: api exited" wait_for 20 exited
# the task (and its bundle) go a moment after the exit
wait_for 10 sh -c "[ ! -e '$CT_STATE/io.containerd.runtime.v2.task/k8s.io/$API' ]"
scan "$T/d.json"
expect "CRI: OOM kill: exit 137, OOMKilled, the cgroup it had (meta.db's spec), times" \
    check "$T/d.json" "$API" \
    "c['exit_code'] == 137 and c['oom_killed'] is True and c.get('cgroup') == '$PODCG/$API' and not os.path.isdir('$MEM' + c['cgroup']) and 'finished' in c and 'started' in c and 'pid' not in c"
expect "CRI: the stopped api keeps its pod, container, image (meta.db)" \
    check "$T/d.json" "$API" \
    "c['container'] == 'api' and c['pod'] == '$PODNAME' and c['namespace'] == 'shop' and c['pod_uid'] == '$PUID' and c['image'] == 'localhost/bb:1' and c['sandbox_id'] == '$POD' and c['labels']['tier'] == 'api'"
expect "CRI: the others still run" check "$T/d.json" "$SIDE" "'exit_code' not in c and c['cgroup'] == '$PODCG/$SIDE'"

if [ -n "${CADV_CAPTURE:-}" ]; then
	_h=$CADV_CAPTURE
	_tk=$_h/run/containerd/io.containerd.runtime.v2.task
	_cr=$_h/var/lib/containerd/io.containerd.grpc.v1.cri/containers
	for _b in "$CT_STATE"/io.containerd.runtime.v2.task/*/*/; do
		_rel=${_b#"$CT_STATE"/io.containerd.runtime.v2.task/}
		mkdir -p "$_tk/$_rel"
		cp "$_b/config.json" "$_b/init.pid" "$_tk/$_rel"
	done
	for _c in "$CT_ROOT"/io.containerd.grpc.v1.cri/containers/*/; do
		_id=$(basename "$_c")
		mkdir -p "$_cr/$_id"
		cp "$_c/status" "$_cr/$_id/"
	done
	mkdir -p "$_h/var/lib/containerd/io.containerd.metadata.v1.bolt"
	cp "$CT_ROOT/io.containerd.metadata.v1.bolt/meta.db" \
	    "$_h/var/lib/containerd/io.containerd.metadata.v1.bolt/"
	printf 'WEB=%s\nDEF=%s\nNS=%s\nPOD=%s\nAPI=%s\nSIDE=%s\nPUID=%s\nPODNAME=%s\n' \
	    "$WEB" "$DEF" "$NS" "$POD" "$API" "$SIDE" "$PUID" "$PODNAME" \
	    >"$_h/ids"
fi

# removed through the CRI: the status file goes, and the identity
$CRI rm "$API" 2>"$T/cri.err" || fail "CRI: RemoveContainer" "$(cat "$T/cri.err")"
scan "$T/e.json"
expect "CRI: a removed container is no longer reported" absent "$T/e.json" "$API"

# everything made is gone after ctrd_stop: pods, cgroups, tap
TAP=$CT_TAP OWN=$CT_CGROUPS
ctrd_stop
left=""
for c in $OWN; do
	for h in /sys/fs/cgroup/*/; do
		[ -d "$h${c#/}" ] && left="$left $h${c#/}"
	done
done
expect "cleanup: every cgroup made for us is gone" [ -z "$left" ]
expect "cleanup: the tap is gone" sh -c "! ip link show '$TAP' >/dev/null 2>&1"
