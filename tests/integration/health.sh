# cadv-health and the figures behind it (cadvctl health, cadvctl get).
. "$CADV_TOP/tests/lib.sh"

H="sh $TOP/scripts/cadv-health --cadvctl $BIN/cadvctl"
S=$T/store
start_pipeline "$S" --root "$FIX/v2tree"
sleep 1.5
plugin_line() {	# the monitoring plugin output format
	grep -qE '^CADV (OK|WARNING|CRITICAL|UNKNOWN) - [^|]+ \| ([a-z_]+=[-0-9.]+(s|%)?(;[0-9.]*)*( |$))+$' "$1"
}
$H --store "$S" >"$T/ok.out"; rc=$?
expect "health: 0 while everything runs ($(cat "$T/ok.out"))" test $rc -eq 0
expect "health: the output is one monitoring-plugin line with perfdata" plugin_line "$T/ok.out"
$H --store "$S" --map-warn 0 >"$T/w.out"; rc=$?
expect "health: 1 at the map-usage warning threshold" test $rc -eq 1
$H --store "$S" --map-warn 0 --map-crit 0 >"$T/c.out"; rc=$?
expect "health: 2 at the map-usage critical threshold" test $rc -eq 2
expect "health: a threshold breach still parses" plugin_line "$T/c.out"
$H --store "$S" --min-containers 50 >/dev/null; rc=$?
expect "health: 2 below the minimum container count" test $rc -eq 2

# get: one bare value, the same as stats shows
v=$("$BIN/cadvctl" --store "$S" get /kube memory.working_set)
w=$("$BIN/cadvctl" --store "$S" stats /kube --json --count 1 | jv 'd["stats"][-1]["memory"]["working_set"]')
expect "get: memory.working_set equals stats ($v)" test "$v" = "$w"
expect "get: a spec field" test "$("$BIN/cadvctl" --store "$S" get /kube spec.cpu.quota)" = 50000
expect "get: unlimited prints max" test "$("$BIN/cadvctl" --store "$S" get /kube spec.memory.limit)" = max
expect_status "get: a field the kernel did not give exits 1" 1 "$BIN/cadvctl" --store "$S" get / memory.failcnt
expect_status "get: an unknown field exits 2" 2 "$BIN/cadvctl" --store "$S" get /kube memory.nonsense
expect_status "get: an unknown container exits 1" 1 "$BIN/cadvctl" --store "$S" get /nope memory.usage

# a reader killed in the middle of a transaction leaves a stale slot
if have_pylmdb; then
	"$PY" -c '
import lmdb, os, sys, time
env = lmdb.open(sys.argv[1], readonly=True, max_dbs=8)
txn = env.begin()
open(sys.argv[2], "w").write("x")
time.sleep(60)' "$S" "$T/reader.ready" &
rp=$!
wait_for 5 test -s "$T/reader.ready"
kill -9 $rp; wait $rp 2>/dev/null
$H --store "$S" >"$T/stale.out"; rc=$?
	expect "health: a stale reader slot is cleared and warned about ($(cat "$T/stale.out"))" \
	    sh -c "test $rc -eq 1 && grep -q 'stale_readers=1' '$T/stale.out'"
fi

# collectord stopped: critical within two ticks
kill "$CP"; wait "$CP" 2>/dev/null
sleep 2.1
$H --store "$S" >"$T/dead.out"; rc=$?
expect "health: 2 within two ticks of collectord stopping ($(cat "$T/dead.out"))" test $rc -eq 2
stop_pipeline
$H --store "$T/none" >"$T/unk.out"; rc=$?
expect "health: 3 (UNKNOWN) without a store" test $rc -eq 3
expect "health: unknown still says why" grep -q '^CADV UNKNOWN - ' "$T/unk.out"
