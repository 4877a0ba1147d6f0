#!/bin/sh
# The docker source against a dockerd of the test's own (tests/lib-docker.sh):
# names, image, labels, allow-listed env, the cgroup from the containerd
# task's bundle (existing under the memory hierarchy), a shared netns,
# dockershim's pod labels, a rename, a stop's exit code, an OOM kill.
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-docker.sh"

if ! is_root; then
	skip "docker source, live" "needs root (dockerd)"
	exit 0
fi
if ! docker_start docker; then
	skip "docker source, live" "$DK_WHY"
	exit 0
fi
IMG=cadvtest-docker-$$/bb:1
if ! docker_image "$IMG"; then
	fail "busybox imported into our dockerd" "$(tail -n 3 "$DK_DIR/dockerd.log")"
	exit 0
fi
run() { dk run -d --network none "$@" >/dev/null; }
run --name "dweb-$$" --label app=web --env FOO=bar --env SECRET=s3 "$IMG" sleep 1000
dk run -d --name "dnet-$$" --network "container:dweb-$$" "$IMG" sleep 1000 >/dev/null
run --name "k8s_POD_web-0_shop_u1_0-$$" --label io.kubernetes.pod.name=web-0 \
    --label io.kubernetes.pod.namespace=shop --label io.kubernetes.pod.uid=u1 \
    --label io.kubernetes.container.name=POD \
    --label io.kubernetes.docker.type=podsandbox "$IMG" sleep 1000
run --name "doom-$$" --memory 16m "$IMG" sh -c 'x=a; while :; do x=$x$x; done'
WEB=$(dk inspect -f '{{.Id}}' "dweb-$$")
WEBPID=$(dk inspect -f '{{.State.Pid}}' "dweb-$$")
exited() { [ "$(dk inspect -f '{{.State.Status}}' "$1")" = exited ]; }
expect "the 16 MiB container stopped" wait_for 20 exited "doom-$$"

scan() {	# scan OUT [ARGS]: rtscan over our instance, docker only
	_o=$1; shift
	"$TBIN/rtscan" --source docker --docker-root "$DK_DATA" \
	    --containerd-state "$DK_CSTATE" "$@" >"$_o" 2>"$_o.err"
}
# check FILE NAME EXPR: the identity named NAME in FILE (bound to c) makes
# the Python expression EXPR true
check() { rt_check name "$@"; }

scan "$T/a.json" --env FOO
expect "rtscan: 4 found, nothing unreadable or malformed" \
    grep -q '^rtscan: docker: found 4, unreadable 0, malformed 0$' "$T/a.json.err"
expect "name, id, image, labels, pid" check "$T/a.json" "dweb-$$" \
    "c['runtime'] == 'docker' and c['id'] == '$WEB' and c['image'] == '$IMG' and c['labels'] == {'app': 'web'} and c['pid'] == $WEBPID and 'created' in c and 'started' in c and 'exit_code' not in c"
expect "the allow-listed variable alone" check "$T/a.json" "dweb-$$" \
    "c['env'] == {'FOO': 'bar'}"
expect "cgroup from the moby task: our parent, and it exists" \
    check "$T/a.json" "dweb-$$" \
    "c['cgroup'] == '$DK_CGP/$WEB' and c['rt_namespace'] == 'moby' and os.path.isdir('/sys/fs/cgroup/memory' + c['cgroup'])"
# runc's own state (under dockerd's exec-root, which the source cannot
# know) is the second record: it must agree
expect "runc's state.json says the same cgroup" check "$T/a.json" "dweb-$$" \
    "json.load(open('$DK_EXEC/runtime-runc/moby/$WEB/state.json'))['cgroup_paths']['memory'] == '/sys/fs/cgroup/memory' + c['cgroup']"
expect "the container's pid is in that cgroup" check "$T/a.json" "dweb-$$" \
    "str($WEBPID) in open('/sys/fs/cgroup/memory' + c['cgroup'] + '/cgroup.procs').read().split()"
expect "--network container: names the netns owner" check "$T/a.json" \
    "dnet-$$" "c['netns_owner'] == '$WEB' and c['cgroup'] != '$DK_CGP/$WEB'"
expect "dockershim's labels: pod, namespace, uid, container, sandbox" \
    check "$T/a.json" "k8s_POD_web-0_shop_u1_0-$$" \
    "c['pod'] == 'web-0' and c['namespace'] == 'shop' and c['pod_uid'] == 'u1' and c['container'] == 'POD' and c.get('sandbox') is True and c['sandbox_id'] == c['id']"
expect "OOM kill: exit 137, OOMKilled, no cgroup, a finish time" \
    check "$T/a.json" "doom-$$" \
    "c['exit_code'] == 137 and c['oom_killed'] is True and 'cgroup' not in c and 'finished' in c and 'pid' not in c"
scan "$T/b.json"
expect "no variable without an allow-list" check "$T/b.json" "dweb-$$" \
    "'env' not in c"

dk rename "dweb-$$" "dweb2-$$"
scan "$T/c.json"
expect "a rename is seen at the next scan" check "$T/c.json" "dweb2-$$" \
    "c['id'] == '$WEB'"
expect "one identity of that id, none of the old name" "$PY" -c '
import json, sys
ids = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if [i["name"] for i in ids if i["id"] == sys.argv[2]] == [sys.argv[3]]
    and not [i for i in ids if i.get("name") == sys.argv[4]] else 1)' \
    "$T/c.json" "$WEB" "dweb2-$$" "dweb-$$"

dk kill "dweb2-$$" >/dev/null
expect "killed" wait_for 10 exited "dweb2-$$"
scan "$T/d.json"
expect "after the kill: exit 137, no OOM, no cgroup" check "$T/d.json" \
    "dweb2-$$" "c['exit_code'] == 137 and c['oom_killed'] is False and 'cgroup' not in c"
expect "the netns sharer is still reported" check "$T/d.json" "dnet-$$" \
    "'cgroup' in c"
