# The kubelet's process group (issue 19): file descriptors and sockets
# counted over a container's processes where collectord may read them
# (processes of its own user), absent where it may not (another user's);
# the first process's open-file limit and the pids limit always.  Real v1
# cgroups under this test's own prefix, real processes it starts (python3
# with N files and M sockets open, limits set by prlimit), each count
# compared with /proc read here as root; then /metrics and the v1 JSON.
. "$CADV_TOP/tests/lib.sh"

if ! is_root; then
	skip "process scan" "needs root: collectord as one user, the processes as two"
	exit 0
fi
if ! command -v curl >/dev/null 2>&1 || ! command -v setpriv >/dev/null 2>&1 ||
    ! command -v prlimit >/dev/null 2>&1; then
	skip "process scan" "curl, setpriv and prlimit are needed"
	exit 0
fi
P=cadv-test-$$-ps
CG=/sys/fs/cgroup
HIER="cpu cpuacct memory pids"
for h in $HIER; do
	[ -d "$CG/$h" ] || { skip "process scan" "no v1 $h hierarchy"; exit 0; }
done
for h in $HIER; do
	mkdir "$CG/$h/$P"
	# our processes are killed first (newest first), then the directories
	on_exit "rmdir $CG/$h/$P/* $CG/$h/$P 2>/dev/null"
done
# collectord's user, and another one (numeric: no account needed)
UA=$((33000 + $$ % 500)) UB=$((33500 + $$ % 500))
PORT=$(free_port)
U=http://127.0.0.1:$PORT

# holder N M: a process opening N files and M sockets, N more on SIGUSR1
cat >"$T/holder.py" <<'EOF'
import os, signal, socket, sys, time
n, m = int(sys.argv[1]), int(sys.argv[2])
keep = [open("/dev/null") for _ in range(n)]
keep += [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(m)]
def more(sig, frame):
    keep.extend(open("/dev/null") for _ in range(n))
    print("more", flush=True)
signal.signal(signal.SIGUSR1, more)
print("ready", flush=True)
end = time.time() + 120
while time.time() < end:
    time.sleep(0.2)
EOF
chmod 644 "$T/holder.py"
# start NAME UID SOFT HARD N M: the holder as UID with its open-file
# limit, moved into container NAME; its pid in HP
start() {
	for h in $HIER; do mkdir "$CG/$h/$P/$1"; done
	prlimit --nofile="$3:$4" setpriv --reuid="$2" --regid="$2" \
	    --clear-groups "$PY" "$T/holder.py" "$5" "$6" >"$T/$1.out" 2>&1 &
	HP=$!
	# gone before the directories are removed
	on_exit "kill $HP 2>/dev/null; wait $HP 2>/dev/null"
	for h in $HIER; do echo "$HP" >"$CG/$h/$P/$1/cgroup.procs"; done
	wait_for 10 grep -q ready "$T/$1.out"
}
# fds PID / socks PID: counted here, as root
fds() { ls "/proc/$1/fd" | wc -l; }
socks() { for f in /proc/"$1"/fd/*; do readlink "$f"; done | grep -c '^socket:'; }

start a "$UA" 777 888 20 5
PA=$HP
echo 50 >"$CG/pids/$P/a/pids.max"
start b "$UB" 555 666 10 3
PB=$HP
for h in $HIER; do mkdir "$CG/$h/$P/empty"; done

S=$T/store
C="$BIN/cadvctl --store $S"
start_pipeline "$S" -- --user "$UA:$UA"
st() { $C stats "/$P/$1" --json --count 1 | jv "d[\"stats\"][-1]$2"; }
wait_for 15 st a '["processes"]["fd_count"]' >/dev/null

fa=$(st a '["processes"]["fd_count"]') sa=$(st a '["processes"]["socket_count"]')
expect "own user's process: fd_count $fa = $(fds "$PA") in /proc/$PA/fd" test "${fa:-x}" = "$(fds "$PA")"
expect "own user's process: at least the 25 it opened ($fa)" test "${fa:-0}" -ge 25
expect "own user's process: socket_count $sa = 5" test "${sa:-x}" = 5
expect "own user's process: $sa = $(socks "$PA") socket links in /proc/$PA/fd" test "${sa:-x}" = "$(socks "$PA")"
expect "open-file limit: soft 777" test "$(st a '["processes"]["ulimits"]["max_open_files"]["soft_limit"]')" = 777
expect "open-file limit: hard 888" test "$(st a '["processes"]["ulimits"]["max_open_files"]["hard_limit"]')" = 888
expect_status "another user's process: no fd_count (absent, not 0)" 1 st b '["processes"]["fd_count"]'
expect_status "another user's process: no socket_count" 1 st b '["processes"]["socket_count"]'
expect "another user's process: its limits all the same (soft 555)" test "$(st b '["processes"]["ulimits"]["max_open_files"]["soft_limit"]')" = 555
expect "another user's process: hard 666" test "$(st b '["processes"]["ulimits"]["max_open_files"]["hard_limit"]')" = 666
expect "another user's process: process_count still 1" test "$(st b '["processes"]["process_count"]')" = 1
expect "no processes: 0 fds, 0 sockets" test "$(st empty '["processes"]["fd_count"]'),$(st empty '["processes"]["socket_count"]')" = 0,0
expect_status "no processes: no open-file limit" 1 st empty '["processes"]["ulimits"]'

# 20 more files: seen within a scan period (10 s) and a tick
kill -USR1 "$PA"
wait_for 5 grep -q more "$T/a.out"
want=$(fds "$PA")
fa_is() { test "$(st a '["processes"]["fd_count"]')" = "$1"; }
expect "20 more files: fd_count follows to $want within 12 s" wait_for 12 fa_is "$want"

# /metrics and the v1 JSON, exporterd as collectord's user (the store's)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" --user "$UA:$UA" \
    2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "$U/healthz"
curl -s "$U/metrics" >"$T/m"
# series START NAME: the value of container NAME's series starting START
series() { grep -F "$1" "$T/m" | grep -F "id=\"/$P/$2\"" | sed 's/^[^}]*} //; s/ .*//'; }
expect "metrics: container_file_descriptors of a = $want" test "$(series container_file_descriptors{ a)" = "$want"
expect "metrics: container_sockets of a = 5" test "$(series container_sockets{ a)" = 5
expect "metrics: container_threads_max of a = pids.max 50" test "$(series container_threads_max{ a)" = 50
expect "metrics: container_threads_max of b = 0 (pids.max is max)" test "$(series container_threads_max{ b)" = 0
expect "metrics: container_ulimits_soft{ulimit=\"max_open_files\"} of b = 555" test "$(series 'container_ulimits_soft{ulimit="max_open_files",' b)" = 555
expect "metrics: no container_file_descriptors for b" test -z "$(series container_file_descriptors{ b)"
expect "metrics: no container_sockets for b" test -z "$(series container_sockets{ b)"
curl -s "$U/api/v1.3/containers/$P/a" >"$T/a.json"
expect "JSON: processes of a (cAdvisor's ProcessStats)" "$PY" - "$T/a.json" "$want" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))["stats"][-1]["processes"]
want = {"process_count": 1, "fd_count": int(sys.argv[2]), "socket_count": 5,
        "threads_max": 50, "ulimits": [{"name": "max_open_files",
        "soft_limit": 777, "hard_limit": 888}]}
got = {k: p.get(k) for k in want}
if got != want:
    print(got, "!=", want)
    sys.exit(1)
EOF
curl -s "$U/api/v1.3/containers/$P/b" >"$T/b.json"
expect "JSON: b has fd_count 0 (cAdvisor's type has no absent), no threads_max, its ulimits" "$PY" - "$T/b.json" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))["stats"][-1]["processes"]
ok = p["fd_count"] == 0 and "threads_max" not in p and p["ulimits"] == [
    {"name": "max_open_files", "soft_limit": 555, "hard_limit": 666}]
sys.exit(0 if ok else 1)
EOF
kill "$XP"

# a second process in a: counted at once (the processes changed), not at
# the next 10 s scan
prlimit --nofile=777:888 setpriv --reuid="$UA" --regid="$UA" --clear-groups \
    "$PY" "$T/holder.py" 7 2 >"$T/a2.out" 2>&1 &
PA2=$!
on_exit "kill $PA2 2>/dev/null; wait $PA2 2>/dev/null"
wait_for 10 grep -q ready "$T/a2.out"
for h in $HIER; do echo "$PA2" >"$CG/$h/$P/a/cgroup.procs"; done
both=$(( $(fds "$PA") + $(fds "$PA2") ))
sa_is() { test "$(st a '["processes"]["socket_count"]')" = "$1"; }
expect "a second process: fd_count $both (both) within 3 s" wait_for 3 fa_is "$both"
expect "a second process: socket_count 7 (5 + 2)" sa_is 7
expect "collectord still runs (no SIGSYS from its seccomp filter)" kill -0 "$CP"
stop_pipeline
