# collectord's store over time: retention, reconciliation after a restart,
# a kill -9 in the middle of a run, the live v2 tree.
. "$CADV_TOP/tests/lib.sh"
same_for_any_user "collectord on fixture trees: retention, reconciliation, a crash; as root it runs as its unprivileged user already"

R=$T/tree
mkdir -p "$R/a" "$R/b" "$R/c/d"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
# cgroup.events marks creation time, as on cgroupfs: a directory's own
# mtime moves when children come and go
for d in "$R" "$R/a" "$R/b" "$R/c" "$R/c/d"; do : >"$d/cgroup.events"; done
C="$BIN/cadvctl"
events() { "$PY" "$TOP/tests/store_reader.py" "$1" events; }

# retention: 3 s of samples plus at most one tick
S=$T/ret
start_pipeline "$S" --root "$R" -- --storage-duration 3s
sleep 6.5
$C --store "$S" stats / --json --count 1000 >"$T/ret.json"
span=$(jv 'd["stats"][-1]["timestamp_ns"] - d["stats"][0]["timestamp_ns"]' <"$T/ret.json")
n=$(jv 'len(d["stats"])' <"$T/ret.json")
expect "retention: oldest sample within 3 s + 1 tick of the newest (${span} ns, $n samples)" \
    test "$span" -le 4000000000
expect "retention: samples keep coming ($n)" test "$n" -ge 3
stop_pipeline

if ! have_pylmdb; then
	skip "reconciliation and crash tests" "python3-lmdb not installed (make deps)"
	exit 0
fi

# reconciliation: stop, remove a cgroup, start again
S=$T/rec
start_pipeline "$S" --root "$R"
sleep 1.2
$C --store "$S" ls --all --json >"$T/before.json"
events "$S" >"$T/ev-before.json"
stop_pipeline
rm -r "$R/b"
start_pipeline "$S" --root "$R"
sleep 1.2
$C --store "$S" ls --all --json >"$T/after.json"
events "$S" >"$T/ev-after.json"
stop_pipeline
expect "reconciliation: the removed container is marked deleted" "$PY" -c '
import json, sys
after = {c["name"]: c for c in json.load(open(sys.argv[1]))}
sys.exit(0 if not after["/b"]["live"] and after["/b"]["deletion_time_ns"] > 0 else 1)' "$T/after.json"
expect "reconciliation: one deletion event for it, nothing else new" "$PY" -c '
import json, sys
before = json.load(open(sys.argv[1])); after = json.load(open(sys.argv[2]))
new = after[len(before):]
sys.exit(0 if [(e["event_type"], e["container_name"]) for e in new] ==
         [("containerDeletion", "/b")] else 1)' "$T/ev-before.json" "$T/ev-after.json"
expect "reconciliation: every other container unchanged" "$PY" -c '
import json, sys
before = {c["name"]: c for c in json.load(open(sys.argv[1]))}
after = {c["name"]: c for c in json.load(open(sys.argv[2]))}
del before["/b"], after["/b"]
sys.exit(0 if before == after and len(after) == 4 else 1)' "$T/before.json" "$T/after.json"
expect "creation events: one per container, timestamped with its creation time" "$PY" -c '
import json, sys
ev = [e for e in json.load(open(sys.argv[1])) if e["event_type"] == "containerCreation"]
cs = {c["name"]: c["creation_time_ns"] for c in json.load(open(sys.argv[2]))}
sys.exit(0 if sorted(e["container_name"] for e in ev) == sorted(cs) and
         all(e["timestamp_ns"] == cs[e["container_name"]] for e in ev) else 1)' "$T/ev-after.json" "$T/after.json"

# crash: kill -9 collectord mid-run; every committed sample survives
S=$T/crash
start_pipeline "$S" --root "$R"
sleep 3.3
$C --store "$S" stats /c/d --json --count 1000 >"$T/pre.json"
kill -9 "$CP"
wait "$CP" 2>/dev/null
wait "$WP"
expect "crash: watcherd ends by itself (status 0) when collectord dies" test $? -eq 0
start_pipeline "$S" --root "$R"
sleep 1.2
$C --store "$S" stats /c/d --json --count 1000 >"$T/post.json"
stop_pipeline
expect "crash: every sample committed before the kill is still there" "$PY" -c '
import json, sys
pre = {s["timestamp_ns"] for s in json.load(open(sys.argv[1]))["stats"]}
post = {s["timestamp_ns"] for s in json.load(open(sys.argv[2]))["stats"]}
sys.exit(0 if pre and pre <= post and len(post) > len(pre) else 1)' "$T/pre.json" "$T/post.json"
if command -v mdb_stat >/dev/null; then
	expect "crash: mdb_stat reads the store cleanly" sh -c "mdb_stat -ea '$S' >/dev/null"
	expect "crash: no stale reader left" sh -c "mdb_stat -rr '$S' | grep -q '  0 stale readers cleared'"
fi

# the live v2 tree: a cgroup of ours with a process burning cpu
V2=/sys/fs/cgroup/unified
if is_root && [ "$(stat -f -c %T $V2 2>/dev/null)" = cgroup2fs ]; then
	P=cadv-test-$$-l
	mkdir $V2/$P
	on_exit "rmdir $V2/$P 2>/dev/null"
	start_pipeline "$T/v2" --root $V2
	"$TBIN/cgtask" --cg $V2/$P burn 1 >/dev/null
	sleep 1.2
	$C --store "$T/v2" stats /$P --json --count 1 >"$T/live.json"
	stop_pipeline
	expect "live v2: cpu usage of our cgroup" test "$(jv 'd["stats"][-1]["cpu"]["usage"]["total"]' <"$T/live.json")" -gt 500000000
	expect "live v2: cpu pressure of our cgroup" has "$T/live.json" 'd["stats"][-1]["cpu"]["psi"]["some"]["total"]'
	expect "live v2: memory and io pressure files too" has "$T/live.json" 'd["stats"][-1]["memory"]["psi"]["full"]["avg10"] + d["stats"][-1]["diskio"]["psi"]["some"]["avg60"]'
else
	skip "live v2 tree" "needs root and a cgroup2 tree at $V2"
fi

# dynamic housekeeping: an idle container is sampled ever less often, up
# to --max-interval; a change brings it back to the base interval
H=$T/housekeeping
mkdir -p "$H"
cp "$FIX/v2tree/cgroup.controllers" "$H/"
echo "usage_usec 1" >"$H/cpu.stat"
start_pipeline "$T/dyn" --root "$H" -- --interval 200ms --max-interval 1600ms
sleep 5
echo "usage_usec 2" >"$H/cpu.stat"
sleep 2.5
$C --store "$T/dyn" stats / --json --count 1000 >"$T/dyn.json"
stop_pipeline
expect "dynamic housekeeping: idle gaps double up to the maximum, a change resets them" "$PY" -c '
import json, sys
st = json.load(open(sys.argv[1]))["stats"]
ts = [s["timestamp_ns"] / 1e6 for s in st]
cpu = [s["cpu"]["usage"]["total"] for s in st]
gaps = [round(b - a) for a, b in zip(ts, ts[1:])]
change = cpu.index(2000)
idle, after = gaps[:change], gaps[change:]
ok = (max(idle) >= 1500 and max(idle) <= 1700 and min(idle) <= 450 and
      len(st) < 20 and after and min(after) <= 250)
print("gaps ms:", gaps, "change at", change)
sys.exit(0 if ok else 1)' "$T/dyn.json"
