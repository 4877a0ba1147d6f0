# collectord shards (--shard I/N): one watcherd fed through tee(1) to two
# collectors on one store, each sampling the names that hash to it.
. "$CADV_TOP/tests/lib.sh"

D=$T/tree
mkdir "$D"
i=0
while [ $i -lt 40 ]; do mkdir "$D/d$i"; i=$((i + 1)); done
chmod -R a+rX "$D"
S=$T/store

start_shards() {	# watcherd > fifo, tee > two fifos, a collector on each
	mkfifo "$T/w.$1" "$T/s0.$1" "$T/s1.$1"
	"$BIN/collectord" --store "$S" --root "$D" --shard 0/2 <"$T/s0.$1" 2>>"$T/s0.err" &
	C0=$!
	"$BIN/collectord" --store "$S" --root "$D" --shard 1/2 <"$T/s1.$1" 2>>"$T/s1.err" &
	C1=$!
	tee "$T/s1.$1" <"$T/w.$1" >"$T/s0.$1" &
	TP=$!
	"$BIN/watcherd" --root "$D" >"$T/w.$1" 2>>"$T/w.err" &
	WP=$!
	on_exit "kill $WP $TP $C0 $C1 2>/dev/null"
	sleep 2.5
}
stop_shards() {	# watcherd goes; tee and the collectors follow at EOF
	kill "$WP"
	wait "$WP" "$TP" "$C0" "$C1" 2>/dev/null
	return 0
}

start_shards 1
"$BIN/cadvctl" --store "$S" ls --json >"$T/ls.json"
expect "two shards: the store holds all 41 containers" has "$T/ls.json" 'len(d) == 41 or d["x"]'
n0=$(sed -n 's/.*snapshot complete: \([0-9]*\) containers.*/\1/p' "$T/s0.err" | head -n 1)
n1=$(sed -n 's/.*snapshot complete: \([0-9]*\) containers.*/\1/p' "$T/s1.err" | head -n 1)
expect "each shard holds its part, together all 41 (${n0:-?} + ${n1:-?})" test "${n0:-0}" -gt 5 -a "${n1:-0}" -gt 5 -a "$((${n0:-0} + ${n1:-0}))" -eq 41
sleep 1
"$PY" - "$BIN/cadvctl" "$S" "$T/phase.txt" <<'PYEOF' >"$T/counts.txt"
import json, statistics, subprocess, sys
ctl, store, phase_out = sys.argv[1:4]
phases = {0: [], 1: []}
for i in range(40):
    name = f"/d{i}"
    out = subprocess.run([ctl, "--store", store, "stats", name, "--count",
                          "100", "--json"], capture_output=True, text=True)
    ts = [s["timestamp_ns"] for s in json.loads(out.stdout)["stats"]]
    # from the second on: the first comes at ADD, off the tick
    gaps = [b - a for a, b in zip(ts[1:], ts[2:])]
    print(len(ts), min(gaps) // 1000000 if gaps else 0)
    h = 0xcbf29ce484222325      # the shard: FNV-1a of the name mod 2
    for c in name.encode():
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    phases[h % 2] += [t % 10**9 for t in ts[1:]]
# where in the second each shard samples: shard 1 half a tick after shard
# 0 (measured from a quarter second before one of shard 0's, so that
# neither side wraps round the second)
ref = phases[0][0] - 250 * 10**6
m = [statistics.median((t - ref) % 10**9 for t in phases[k]) for k in (0, 1)]
d = m[1] - m[0]
print(round(d / 1e6), file=open(phase_out, "w"))
PYEOF
# sampled by two shards, a container would have two samples a tick
expect "every container sampled by exactly one shard (at least 3 samples, a tick apart)" awk '$1 < 3 || $2 < 500 { bad = 1 } END { exit bad }' "$T/counts.txt"
d=$(cat "$T/phase.txt")
expect "shard 1 ticks half an interval after shard 0 (${d} ms)" test "$d" -ge 350 -a "$d" -le 650
expect_status "cadvctl check: the interleaved rounds are consistent" 0 "$BIN/cadvctl" --store "$S" check
rmdir "$D/d3"
sleep 1.5
expect "a removed cgroup is marked deleted by its shard" sh -c "'$BIN/cadvctl' --store '$S' ls --all --json | '$PY' -c 'import json,sys; d=[c for c in json.load(sys.stdin) if c[\"name\"] == \"/d3\"]; sys.exit(0 if d and not d[0][\"live\"] else 1)'"
stop_shards
# removed while nobody watched: at the restart's SYNC only its owner marks
# it deleted, and nobody marks the other shard's containers
rmdir "$D/d7"
start_shards 2
"$BIN/cadvctl" --store "$S" ls --json >"$T/ls2.json"
expect "after a restart: 38 live, d3 and d7 gone, the rest untouched" has "$T/ls2.json" 'len(d) == 39 and not [c for c in d if c["name"] in ("/d3", "/d7")] or d["x"]'
n=$(grep -h 'reconciled' "$T/s0.err" "$T/s1.err" | wc -l)
expect "one shard reconciled one container ($n lines)" test "$n" -eq 1
stop_shards
expect_status "--shard 2/2 is a usage error" 2 "$BIN/collectord" --store "$T/x" --shard 2/2
