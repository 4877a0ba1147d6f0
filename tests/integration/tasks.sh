# Task states and load averages (issue 19, collectord/tasks.c): real
# processes of this test's own in its own v1 cgroups, counted by the state
# letter of /proc/TID/stat and scraped as cAdvisor's cpuLoad families; a
# container whose thread list is closed to collectord has none of them;
# v2 through cgroup.threads of the fixture tree naming real threads.
. "$CADV_TOP/tests/lib.sh"

if ! can_mkcg; then
	skip "task states" "need root, or cgroups delegated by tests/run-as-user"
	exit 0
fi
if ! command -v curl >/dev/null 2>&1; then
	skip "task states" "curl is not installed (make deps)"
	exit 0
fi
CPU=/sys/fs/cgroup/cpu PIDS=/sys/fs/cgroup/pids
[ -d $CPU ] && [ -d $PIDS ] || { skip "task states" "no v1 cpu and pids hierarchies"; exit 0; }
P=${CGD}cadv-test-tasks-$$
for h in $CPU $PIDS; do
	mkdir -p $h/$P/a $h/$P/b
done
KIDS=""
# our processes end (the stopped one continued first) before the
# cgroups they are in can go
reap() {
	for k in $KIDS; do kill -CONT "$k" 2>/dev/null; kill "$k" 2>/dev/null; done
	for k in $KIDS; do wait "$k" 2>/dev/null; done
	rmdir $CPU/$P/a $CPU/$P/b $CPU/$P $PIDS/$P/a $PIDS/$P/b $PIDS/$P 2>/dev/null
}
on_exit reap
task() {	# task NAME ARGS...: cgtask in our cgroup NAME, its pid in TP
	_cg=$1; shift
	"$TBIN/cgtask" --cg $CPU/$P/$_cg --cg $PIDS/$P/$_cg "$@" >/dev/null 2>&1 &
	TP=$!
	KIDS="$KIDS $TP"
}
task a sleep 120; SLEEPER=$TP
task a sleep 120; STOPPED=$TP
task b sleep 120; B=$TP
expect "our three processes are in their cgroups" wait_for 5 sh -c \
    "grep -qx $SLEEPER $PIDS/$P/a/cgroup.procs && grep -qx $STOPPED $PIDS/$P/a/cgroup.procs && grep -qx $B $PIDS/$P/b/cgroup.procs"
kill -STOP "$STOPPED"
# b's thread lists closed to collectord's user (root's daemons drop to
# nobody), its other files not
if is_root; then
	chmod 0600 $CPU/$P/b/tasks $PIDS/$P/b/tasks
fi

S=$T/store
start_pipeline "$S"
"$BIN/exporterd" --store "$S" --listen "unix:$T/x.sock" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 test -S "$T/x.sock"
scrape() { curl -s --unix-socket "$T/x.sock" http://x/metrics >"$1"; }
# val FILE FAMILY CONTAINER [EXTRA]: the value of one series, or nothing
val() {
	"$PY" - "$@" <<'PYEOF'
import re, sys
path, fam, cid = sys.argv[1:4]
extra = sys.argv[4] if len(sys.argv) > 4 else None
for ln in open(path):
    m = re.match(r'^(\w+)\{(.*)\} (\S+)', ln)
    if not m or m.group(1) != fam or 'id="%s"' % cid not in m.group(2):
        continue
    if extra and extra not in m.group(2):
        continue
    print(m.group(3))
    break
PYEOF
}
state_is() {	# state_is CONTAINER STATE VALUE
	scrape "$T/m"
	[ "$(val "$T/m" container_tasks_state "/$P/$1" "state=\"$2\"")" = "$3" ]
}
expect "a: 1 stopped (SIGSTOP), 1 sleeping, 0 running" wait_for 10 sh -c \
    "$(command -v curl) -s --unix-socket '$T/x.sock' http://x/metrics >'$T/m0' &&
     grep -q '^container_tasks_state{state=\"stopped\",id=\"/$P/a\".*} 1 ' '$T/m0' &&
     grep -q '^container_tasks_state{state=\"sleeping\",id=\"/$P/a\".*} 1 ' '$T/m0' &&
     grep -q '^container_tasks_state{state=\"running\",id=\"/$P/a\".*} 0 ' '$T/m0'"
expect "a: uninterruptible 0, no iowaiting series (/proc has no iowait)" sh -c \
    "grep -q '^container_tasks_state{state=\"uninterruptible\",id=\"/$P/a\".*} 0 ' '$T/m0' &&
     ! grep -q 'state=\"iowaiting\"' '$T/m0'"
expect "a: load average 0 with nothing running" \
    test "$(val "$T/m0" container_cpu_load_average_10s "/$P/a")" = 0

# two busy loops: the load rises toward 2 (x 1000, cAdvisor's unit) over
# cAdvisor's 10 s window
task a burn 40; B1=$TP
task a burn 40; B2=$TP
wait_for 5 sh -c "grep -qx $B1 $PIDS/$P/a/cgroup.procs && grep -qx $B2 $PIDS/$P/a/cgroup.procs"
expect "a: 2 running once the busy loops run" wait_for 6 state_is a running 2
scrape "$T/m1"
l1=$(val "$T/m1" container_cpu_load_average_10s "/$P/a")
sleep 6
scrape "$T/m2"
l2=$(val "$T/m2" container_cpu_load_average_10s "/$P/a")
echo "load x1000: $l1 then $l2 (6 s later)"
expect "a: the load average rises toward 2000: 0 < $l1 < $l2 < 2000, $l2 >= 600" \
    "$PY" -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if 0 < a < b < 2000 and b >= 600 else 1)" "${l1:-x}" "${l2:-x}"
expect "a: the load.d average 0 (nothing uninterruptible)" \
    test "$(val "$T/m2" container_cpu_load_d_average_10s "/$P/a")" = 0
expect "a: still 1 stopped and 1 sleeping" sh -c \
    "grep -q '^container_tasks_state{state=\"stopped\",id=\"/$P/a\".*} 1 ' '$T/m2' &&
     grep -q '^container_tasks_state{state=\"sleeping\",id=\"/$P/a\".*} 1 ' '$T/m2'"

"$BIN/cadvctl" --store "$S" stats "/$P/a" --json --count 1 >"$T/a.json"
expect "cadvctl stats --json: task_stats.nr_running 2, nr_stopped 1, cpu.load_average > 0" \
    test "$(jv 'd["stats"][-1]["task_stats"]["nr_running"] == 2 and d["stats"][-1]["task_stats"]["nr_stopped"] == 1 and d["stats"][-1]["cpu"]["load_average"] > 0' <"$T/a.json")" = True
curl -s --unix-socket "$T/x.sock" "http://x/api/v1.3/containers/$P/a" >"$T/api.json"
expect "API v1.3: task_stats as read, nr_io_wait 0, load_average an int > 0" \
    test "$(jv 'd["stats"][-1]["task_stats"]["nr_stopped"] == 1 and d["stats"][-1]["task_stats"]["nr_running"] == 2 and d["stats"][-1]["task_stats"]["nr_io_wait"] == 0 and d["stats"][-1]["cpu"]["load_average"] > 0' <"$T/api.json")" = True
curl -s --unix-socket "$T/x.sock" "http://x/api/v2.0/stats/$P/a?count=1" >"$T/v20.json"
expect "API v2.0: has_load true, load_stats as read" \
    test "$(jv 'list(d.values())[0][-1]["has_load"] and list(d.values())[0][-1]["load_stats"]["nr_stopped"] == 1' <"$T/v20.json")" = True

if is_root; then
	expect "b (thread list closed to collectord): sampled, but no task states and no load" sh -c \
	    "grep -q '^container_processes{id=\"/$P/b\"' '$T/m2' &&
	     ! grep -q 'id=\"/$P/b\"' <<EOF2
$(grep -E '^container_(tasks_state|cpu_load)' "$T/m2")
EOF2"
	"$BIN/cadvctl" --store "$S" stats "/$P/b" --json --count 1 >"$T/b.json"
	expect "b: no task_stats in cadvctl's JSON" \
	    test "$(jv '"task_stats" in d["stats"][-1] or "load_average" in d["stats"][-1].get("cpu", {})' <"$T/b.json")" = False
else
	skip "a thread list closed to collectord" "needs root (collectord drops to nobody)"
fi
"$BIN/exporterd" --store "$S" --listen "unix:$T/y.sock" --disable-metrics cpuLoad 2>>"$T/exporterd.err" &
YP=$!
on_exit "kill $YP 2>/dev/null"
wait_for 5 test -S "$T/y.sock"
curl -s --unix-socket "$T/y.sock" http://x/metrics >"$T/off.metrics"
expect "--disable-metrics cpuLoad: no load or task state families, the rest there" sh -c \
    "! grep -qE '^container_(cpu_load|tasks_state)' '$T/off.metrics' && grep -q '^container_processes{id=\"/$P/a\"' '$T/off.metrics'"
kill "$YP"
stop_pipeline

# v2: the fixture tree's /kube with a cgroup.threads naming our real
# threads (one tid a line, the kernel's format)
printf '%s\n%s\n' "$SLEEPER" "$STOPPED" >"$FIX/v2tree/kube/cgroup.threads"
start_pipeline "$T/v2" --root "$FIX/v2tree"
wait_for 5 sh -c "'$BIN/cadvctl' --store '$T/v2' stats /kube --json --count 1 | grep -q nr_stopped"
"$BIN/cadvctl" --store "$T/v2" stats /kube --json --count 1 >"$T/kube.json"
expect "v2 cgroup.threads: /kube has 1 sleeping, 1 stopped, 0 running" \
    test "$(jv '[d["stats"][-1]["task_stats"][k] for k in ("nr_sleeping", "nr_stopped", "nr_running")] == [1, 1, 0]' <"$T/kube.json")" = True
"$BIN/cadvctl" --store "$T/v2" stats "/kube/pod 1" --json --count 1 >"$T/pod.json"
expect "v2: /kube/pod 1 without cgroup.threads has no task states" \
    test "$(jv '"task_stats" in d["stats"][-1]' <"$T/pod.json")" = False
stop_pipeline
