# Issue 18's acceptance, end to end with real runtimes and every daemon:
# a podman container web1 (label app=web) and a pod shop/api-... made
# through containerd's CRI the way the kubelet makes it, with container
# api OOM-killed.  /metrics names them as cAdvisor does (and as the
# kubelet does with --labels kubelet), cadvctl finds web1 by name, the OOM
# kill is an event naming pod, namespace, container and image, and api's
# deletion carries exit code 137 and OOMKilled.
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-podman.sh"
. "$CADV_TOP/tests/lib-containerd.sh"

if ! is_root; then
	skip "identity acceptance" "not root (runtimes, cgroups, /dev/kmsg)"
	cleanup
	exit 0
fi
for t in curl; do
	command -v $t >/dev/null || { skip "identity acceptance" "no $t (make deps)"; cleanup; exit 0; }
done
if ! podman_start acc; then
	skip "identity acceptance" "$PM_WHY"
	cleanup
	exit 0
fi
if ! ctrd_start cri || [ "$CT_CRI_OK" -ne 1 ]; then
	skip "identity acceptance" "containerd's CRI: ${CT_WHY:-$CT_CRI_WHY}"
	cleanup
	exit 0
fi
for m in grpc google.protobuf; do
	"$PY" -c "import $m" 2>/dev/null ||
	    { skip "identity acceptance" "$PY has no $m"; cleanup; exit 0; }
done

S=$T/store
MEM=/sys/fs/cgroup/memory
start_pipeline "$S"
kmsg_readable && start_eventd "$S"
"$BIN/identd" --store "$S" --storage-root "$PM_ROOT" \
    --storage-runroot "$PM_RUNROOT" --containerd-state "$CT_STATE" \
    --containerd-root "$CT_ROOT" 2>>"$T/identd.err" &
IDP=$!
on_exit "kill $IDP 2>/dev/null"
PORT=$(free_port)
KPORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
on_exit "kill $! 2>/dev/null"
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$KPORT" --labels kubelet \
    2>>"$T/exporterd.err" &
on_exit "kill $! 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"
C="$BIN/cadvctl --store $S"

# podman: web1
podman_image localhost/bb:1 || { fail "podman image" "import failed"; cleanup; exit 0; }
pm run -d --name web1 --label app=web --cgroup-parent "$PM_CGP" \
    localhost/bb:1 sleep 600 >"$T/web1.id" 2>"$T/run.err" ||
    { fail "podman run web1" "$(head -c 300 "$T/run.err")"; cleanup; exit 0; }

# the CRI: pod shop/api-..., container api that is OOM-killed on a signal
cri_pod_api --memory 16777216 -- sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; x=a; while :; do x=$x$x; done' ||
    { fail "CRI pod shop/api" "$CT_WHY"; cleanup; exit 0; }

metrics() { curl -s "http://127.0.0.1:$1/metrics" >"$T/m.$1"; }
web1_named() {
	metrics "$PORT" && grep 'name="web1"' "$T/m.$PORT" | grep -q 'image="localhost/bb:1"' &&
	    grep 'name="web1"' "$T/m.$PORT" | grep -q 'container_label_app="web"'
}
expect "/metrics: name=\"web1\" series carry image=\"localhost/bb:1\" and container_label_app=\"web\"" \
    wait_for 15 web1_named
api_kubelet() {
	metrics "$KPORT" && grep '^container_memory_working_set_bytes{' "$T/m.$KPORT" |
	    grep 'namespace="shop"' | grep "pod=\"$PODNAME\"" | grep -q 'container="api"'
}
expect "--labels kubelet: container_memory_working_set_bytes{namespace=\"shop\",pod=...,container=\"api\"}" \
    wait_for 10 api_kubelet
expect "--labels kubelet: no container_label_* there" \
    sh -c "! grep -q 'container_label_' '$T/m.$KPORT'"
$C stats web1 --json >"$T/web1.json" 2>"$T/web1.err"
expect "cadvctl stats web1 --json works" \
    sh -c "[ -s '$T/web1.json' ] && '$PY' -c 'import json,sys; json.load(open(sys.argv[1]))' '$T/web1.json'"
expect "and is web1's cgroup" grep -q "libpod-$(cut -c1-64 "$T/web1.id")" "$T/web1.json"

# the OOM kill
touch "$CT_STATE/io.containerd.runtime.v2.task/k8s.io/$API/rootfs/tmp/go"
exited() { $CRI status "$API" 2>/dev/null | grep -q '"CONTAINER_EXITED"'; }
expect "api is OOM-killed" wait_for 20 exited
ev_has() {
	$C events --json --max -1 >"$T/ev.json" 2>/dev/null &&
	    "$PY" -c '
import json, sys
evs = json.load(open(sys.argv[1]))
want = sys.argv[2]
ok = [e for e in evs if e["event_type"] == want and
      e.get("container", {}).get("pod") == sys.argv[3] and
      e["container"].get("namespace") == "shop" and
      e["container"].get("container") == "api" and
      e["container"].get("image") == "localhost/bb:1"]
if want == "containerDeletion":
    ok = [e for e in ok if e["event_data"]["container_deletion"].get("exit_code") == 137
          and e["event_data"]["container_deletion"].get("oom_killed") is True]
sys.exit(0 if ok else 1)' "$T/ev.json" "$1" "$PODNAME"
}
if kmsg_readable; then
	expect "the OOM kill is an event naming pod, namespace, container and image" \
	    wait_for 15 ev_has oomKill
else
	skip "OOM kill event from /dev/kmsg" "/dev/kmsg is not readable"
fi
expect "api's deletion carries exit code 137 and OOMKilled" \
    wait_for 20 ev_has containerDeletion
expect "identd logged nothing unreadable" sh -c "! grep -q 'could not be read' '$T/identd.err'"
cleanup
