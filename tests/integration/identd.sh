# identd over copies of real runtime state (tests/fixtures/runtimes): what
# it stores, how it follows changes (a rename, a container going, a
# restart of identd), its two processes' privileges, bad input from its
# reader, and what an ordinary user's identd says about root's state.
. "$CADV_TOP/tests/lib.sh"

S=$T/store
H=$T/host
mkdir -p "$H"
# every runtime's captured tree under one fake host root
for r in "$FIX"/runtimes/*/; do
	[ -d "$r" ] && cp -a "$r". "$H/"
done
chmod -R go-rwx "$H/var" "$H/run" 2>/dev/null
D="$TBIN/identdump"

start_identd() {
	"$BIN/identd" --store "$S" --host "$H" --check-interval 1s -d "$@" \
	    2>>"$T/identd.err" &
	ID=$!
	on_exit "kill $ID 2>/dev/null"
}

# n_ident JQ-LIKE PYEXPR: identdump lines for which the expression is true
count() {
	"$D" "$S" 2>/dev/null | "$PY" -c '
import json, sys
n = 0
for line in sys.stdin:
    d = json.loads(line)
    if eval(sys.argv[1]):
        n += 1
print(n)' "$1"
}
has_n() { [ "$(count "$2")" -eq "$1" ]; }

DOCKER=5723703ce7ff3adb9fd1c3f5add56badbdf50e403adf06d1af3355c41c02de68
start_identd
expect "docker: the running container is stored by its cgroup" \
    wait_for 5 has_n 1 "d.get('runtime') == 'docker' and d.get('id') == '$DOCKER' and d['cgroup'].endswith('/$DOCKER') and d.get('name') == 'dweb-10587' and d.get('image') == 'cadvtest-h-docker/bb:1' and d['labels'].get('app') == 'web' and d['gone_ns'] == 0"
expect "docker: env is kept only when allow-listed (not here)" \
    has_n 0 "'env' in d"
expect "docker: the stopped, never-seen container is not stored (no cgroup record left)" \
    has_n 0 "d.get('id', '').startswith('c34ae')"

# containerd: ctr's namespace, the CRI's pod, its sandbox and pod cgroup
POD=/kubepods/besteffort/pod64797606-dfd0-4988-b44a-799f0e86b7b0
expect "containerd: a ctr container by namespace and id" \
    has_n 1 "d.get('runtime') == 'containerd' and d.get('rt_namespace') == 'cadvtest-ctrd-32447' and d.get('name') == 'web-32447' and d.get('image') == 'localhost/bb:1'"
expect "containerd: a CRI container with pod, namespace, container" \
    has_n 1 "d.get('runtime') == 'containerd' and d.get('container') == 'side' and d.get('pod') == 'api-32447-64797' and d.get('namespace') == 'shop' and d['cgroup'].startswith('$POD/') and d.get('netns_owner', '').startswith('92e9430f')"
expect "containerd: the sandbox is flagged" \
    has_n 1 "d.get('sandbox') and d.get('id', '').startswith('92e9430f')"
expect "containerd: the pod cgroup gets the pod's name and namespace" \
    has_n 1 "d.get('pod_cgroup') and d['cgroup'] == '$POD' and d.get('pod') == 'api-32447-64797' and d.get('namespace') == 'shop'"
expect "containerd: the OOM-killed CRI container, never seen running, is stored gone with exit 137 and its cgroup" \
    has_n 1 "d.get('id', '').startswith('0b4c4414') and d.get('exit_code') == 137 and d.get('oom_killed') and d['gone_ns'] > 0 and d['cgroup'] == '$POD/' + d['id'] and d.get('container') == 'api'"

# podman: name, image, labels from libpod's bolt database; a pod
expect "podman: web1 by name, image and label" \
    has_n 1 "d.get('runtime') == 'podman' and d.get('name') == 'web1' and d.get('image') == 'localhost/bb:1' and d['labels'].get('app') == 'web' and '/libpod-' in d['cgroup']"
expect "podman: a pod's container shares its infra container's netns" \
    has_n 1 "d.get('runtime') == 'podman' and d.get('name') == 'api' and d.get('pod') == 'shop' and d.get('netns_owner', '') != ''"

# CRI-O (fixtures in its documented format): a pod's containers
expect "crio: the running attempt with pod fields and restart count" \
    has_n 1 "d.get('runtime') == 'crio' and d.get('container') == 'api' and d.get('pod') == 'api-xyz' and d.get('namespace') == 'shop' and d.get('restart_count') == 1 and d['gone_ns'] == 0 and d['cgroup'].endswith('.scope')"
expect "crio: the previous attempt, OOM-killed, stored gone with its exit" \
    has_n 1 "d.get('runtime') == 'crio' and d.get('exit_code') == 137 and d.get('oom_killed') and d['gone_ns'] > 0"

if is_root; then
	rpid=$(pgrep -P "$ID" identd | head -n 1)
	expect "the reader is a child process" test -n "$rpid"
	capr=$(awk '/^CapEff/ {print $2}' "/proc/$rpid/status" 2>/dev/null)
	capw=$(awk '/^CapEff/ {print $2}' "/proc/$ID/status")
	capb=$(awk '/^CapBnd/ {print $2}' "/proc/$rpid/status" 2>/dev/null)
	expect "the reader keeps CAP_DAC_READ_SEARCH and nothing else ($capr)" \
	    test "$capr" = 0000000000000004 -a "$capb" = 0000000000000004
	expect "the writer keeps no capability ($capw)" \
	    test "$capw" = 0000000000000000
	expect "neither runs as root" sh -c "! grep -q '^Uid:[[:space:]]0' /proc/$ID/status /proc/$rpid/status"
	expect "both are under seccomp" sh -c "grep -q '^Seccomp:[[:space:]]2' /proc/$ID/status && grep -q '^Seccomp:[[:space:]]2' /proc/$rpid/status"
	expect "the reader cannot open the store" \
	    sh -c "! ls -l /proc/$rpid/fd 2>/dev/null | grep -q data.mdb"
fi

# a rename: docker rewrites config.v2.json
cfg=$H/var/lib/docker/containers/$DOCKER/config.v2.json
sed 's|"Name":"/dweb-10587"|"Name":"/renamed-web"|' "$cfg" >"$cfg.new" &&
    mv "$cfg.new" "$cfg"
expect "a rename is noticed within 2 s, same record" \
    wait_for 2 has_n 1 "d.get('name') == 'renamed-web' and d['gone_ns'] == 0"
expect "and no second record appears" has_n 1 "d.get('id') == '$DOCKER'"

# identd restarts: it takes up what is stored, stores nothing twice
kill "$ID"; wait "$ID" 2>/dev/null
start_identd
sleep 1.5
expect "a restart stores nothing twice" has_n 1 "d.get('id') == '$DOCKER'"
expect "not even a container stored gone at once" \
    has_n 1 "d.get('id', '').startswith('0b4c4414')"

# the task goes (its bundle): the record is marked gone, not deleted
rm -rf "$H/run/containerd/io.containerd.runtime.v2.task/moby/$DOCKER"
expect "a container the runtime dropped is marked gone" \
    wait_for 3 has_n 1 "d.get('id') == '$DOCKER' and d['gone_ns'] > 0"

# a subverted reader: the writer trusts no frame it sends
kill "$ID"; wait "$ID" 2>/dev/null
expect_status "identd refuses bad options" 2 "$BIN/identd" --check-interval 1ms
expect_status "and an --env that is a bare wildcard" 2 "$BIN/identd" --env '*'

if is_root; then
	# an ordinary user's identd cannot read root's state: it says so once
	NS=$T/nstore
	mkdir -p "$NS"
	chown nobody "$NS"
	chmod 700 "$NS"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$BIN/identd" --store "$NS" --host "$H" --check-interval 1s \
	    2>"$T/nobody.err" &
	NP=$!
	on_exit "kill $NP 2>/dev/null"
	sleep 2.5
	kill "$NP"; wait "$NP" 2>/dev/null
	expect "as nobody, root's docker state is said unreadable" \
	    grep -q 'docker: .*could not be read' "$T/nobody.err"
	expect "once, not at every check" \
	    test "$(grep -c 'docker: .*could not be read' "$T/nobody.err")" -eq 1
	expect "and nothing is stored" sh -c "[ -z \"\$('$D' '$NS' 2>/dev/null)\" ]"
else
	skip "identd as nobody on root's state" "not root"
fi
cleanup
