# Issue 17, finding 4: OOM events forged by names, with real OOM kills in
# this test's own memory cgroups.  The kernel's summary line
# (oom-kill:...,oom_memcg=P,task_memcg=P,task=COMM,pid=N,uid=N) prints
# cgroup paths and the process name as they are, so a cgroup named
# "sp,task_memcg=system.slice,global_oom" made eventd record a global OOM
# and a kill in /system.slice, and a process renamed ",task_memcg=/" had
# its kill counted under /.  Each kill must name the container and the
# process it belongs to.  Then finding 11's OOM part: under --root the
# events name containers as collectord does.  Last, a burst of kills past
# the kernel's report rate limit: a kill whose report was suppressed names
# its own container or none, never another.
. "$CADV_TOP/tests/lib.sh"

if ! is_root; then
	skip "forged OOM events" "needs root: real OOM kills in cgroups of the test's own, read from /dev/kmsg"
	exit 0
fi
if ! kmsg_readable; then
	skip "forged OOM events" "/dev/kmsg does not open"
	exit 0
fi
# the memory hierarchy: v1's, else the unified tree with its controller
if [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	M=/sys/fs/cgroup/memory V=1
elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	M=/sys/fs/cgroup V=2
else
	skip "forged OOM events" "no memory cgroup hierarchy"
	exit 0
fi
P=cadv-test-$$-aoom
mkdir "$M/$P" || { fail "make $M/$P"; exit 0; }
# children first, deepest first, however odd their names
on_exit "find '$M/$P' -depth -type d -exec rmdir {} + 2>/dev/null"
enable_memory() {	# v2: the controller in a cgroup's children
	[ "$V" = 2 ] && echo +memory >"$1/cgroup.subtree_control"
	return 0
}
enable_memory "$M/$P"
mkoom() {	# mkoom NAME: a cgroup of ours with a 32 MiB limit, no swap
	mkdir -p "$M/$P/$1" || return 1
	if [ "$V" = 1 ]; then
		echo $((32 << 20)) >"$M/$P/$1/memory.limit_in_bytes"
		[ -f "$M/$P/$1/memory.memsw.limit_in_bytes" ] &&
		    echo $((32 << 20)) >"$M/$P/$1/memory.memsw.limit_in_bytes"
	else
		echo $((32 << 20)) >"$M/$P/$1/memory.max"
		[ -f "$M/$P/$1/memory.swap.max" ] &&
		    echo 0 >"$M/$P/$1/memory.swap.max"
	fi
	return 0
}
kill_in() {	# kill_in NAME [CGTASK OPTIONS]: a 64 MiB hog, OOM-killed
		# there; prints its pid
	_c=$1; shift
	"$TBIN/cgtask" --cg "$M/$P/$_c" "$@" hog 64 30 >/dev/null 2>&1 &
	echo $!
	wait $! 2>/dev/null
}
stop_eventd() { kill "$ED" 2>/dev/null; wait "$ED" 2>/dev/null; return 0; }
# ev STORE EXPR: the store's events in E (cadvctl events --json), the
# oom_kill ones in K, kill(PID) those of one process; passes when the
# Python expression EXPR holds, and prints the events otherwise
ev() {
	"$BIN/cadvctl" --store "$1" events --max -1 --json >"$T/ev.json" \
	    2>>"$T/cadvctl.err" || return 1
	"$PY" -c '
import json, sys
E = json.load(open(sys.argv[1]))
K = [e for e in E if e["event_type"] == "oomKill"]
def kill(pid):
    return [e for e in K if e["event_data"]["oom"]["pid"] == pid]
def named(pid, name, comm):
    k = kill(pid)
    return (len(k) == 1 and k[0]["container_name"] == name and
        k[0]["event_data"]["oom"]["process_name"] == comm)
if eval(sys.argv[2]):
    sys.exit(0)
for e in E:
    print("   ", json.dumps(e), file=sys.stderr)
sys.exit(1)' "$T/ev.json" "$2"
}
# has_kill STORE PID: eventd stored the kill (within 5 s)
has_kill() { wait_for 5 ev "$1" "len(kill($2)) > 0" 2>/dev/null; }

S=$T/store
start_eventd "$S"

# 1. the cgroup named to forge a global OOM and a kill in /system.slice
A="sp,task_memcg=system.slice,global_oom"
mkoom "$A"
pid=$(kill_in "$A")
has_kill "$S" "$pid"
expect "a cgroup named '$A': its kill names it and the real process" \
    ev "$S" "named($pid, '/$P/$A', 'cgtask')"
expect "... with it as the cgroup whose limit was hit" \
    ev "$S" "kill($pid)[0]['event_data']['oom']['victim_container_name'] == '/$P/$A'"
expect "... and no global OOM, nothing in /system.slice" \
    ev "$S" "not [e for e in E if e['container_name'] in ('/', '/system.slice') or
        (e['event_type'] == 'oomKill' and
         e['event_data']['oom']['victim_container_name'] in ('/', '/system.slice'))]"

# 2. the process renamed to move its kill to /
mkoom r
pid=$(kill_in r --comm ",task_memcg=/")
has_kill "$S" "$pid"
expect "a process named ',task_memcg=/': its kill names its cgroup, not /" \
    ev "$S" "named($pid, '/$P/r', ',task_memcg=/')"
stop_eventd

# 3. finding 11: under --root, collectord names a container from the
# root and so does eventd; a kill outside the root is not the store's
S3=$T/rooted
mkdir "$M/$P/sub"
enable_memory "$M/$P/sub"
mkoom sub/q
mkoom out
start_pipeline "$S3" --root "$M/$P/sub"
start_eventd "$S3" --root "$M/$P/sub"
wait_for 5 "$BIN/cadvctl" --store "$S3" stats /q >/dev/null 2>&1
pid=$(kill_in sub/q)
has_kill "$S3" "$pid"
expect "--root: the kill names the container as collectord does (/q)" \
    ev "$S3" "named($pid, '/q', 'cgtask') and kill($pid)[0]['event_data']['oom']['victim_container_name'] == '/q'"
expect "--root: and cadvctl stats finds that name" \
    sh -c "'$BIN/cadvctl' --store '$S3' stats /q >/dev/null"
pid=$(kill_in out)
sleep 1
expect "--root: a kill outside the root is not in the store" \
    ev "$S3" "not kill($pid) and not [e for e in E if e['container_name'].startswith('/$P')]"
stop_eventd
stop_pipeline

# 4. a burst past the kernel's OOM report limit (10 per 5 s): kills whose
# report is suppressed keep only the "Killed process" line
S4=$T/burst
start_eventd "$S4"
n=14 i=1 pids=""
while [ $i -le $n ]; do
	mkoom "b$i"
	i=$((i + 1))
done
i=1
while [ $i -le $n ]; do
	"$TBIN/cgtask" --cg "$M/$P/b$i" hog 64 30 >/dev/null 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
wait $pids 2>/dev/null

wait_for 5 ev "$S4" "len(K) >= $n" 2>/dev/null
i=1 want=""
for pid in $pids; do
	want="$want ($pid, '/$P/b$i'),"
	i=$((i + 1))
done
expect "burst of $n kills: each stored once, none under a container not its own" \
    ev "$S4" "all(len(kill(p)) == 1 and kill(p)[0]['container_name'] in (c, '') for p, c in [$want])"
ev "$S4" "print(sum(1 for e in K if e['container_name'] == ''), file=open('$T/unknown', 'w')) or True"
proc=$(grep -c "from /proc" "$T/eventd.err")
pass "burst: $(cat "$T/unknown") of $n kills named no container, $proc named from /proc (report rate-limited)"
stop_eventd
