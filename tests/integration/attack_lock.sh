# A reader can stall the writers (issue 17, finding 8): LMDB's readers need
# lock.mdb writable, and the writers' mutex lives there, so a member of the
# store's group can hold it.  That comes with LMDB; what cadv owes is to
# say who: `cadvctl health` and cadv-health name the holder once it has
# kept the lock past a tick, and the writers go on when it lets go.
. "$CADV_TOP/tests/lib.sh"

if ! is_root; then
	skip "a reader holding the writers' lock" "needs root (a second user in the store's group)"
	exit 0
fi
R=$T/tree
mkdir -p "$R/a"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
chmod -R a+rX "$R"
S=$T/store
start_pipeline "$S" --root "$R" -- --interval 200ms
G=$(stat -c %g "$S")
M=64190	# a member of the store's group, nothing more
expect "the store is up, health OK" sh -c "'$TOP/scripts/cadv-health' --cadvctl '$BIN/cadvctl' --store '$S' | grep -q '^CADV OK'"
setpriv --reuid=$M --regid=$M --groups=$G "$TBIN/lockhold" "$S" 30 >"$T/hold.out" 2>"$T/hold.err" &
hp=$!
on_exit "kill $hp 2>/dev/null"
wait_for 10 grep -q held "$T/hold.out"
expect "a group member can take the writers' mutex (LMDB's design)" grep -q held "$T/hold.out"
"$BIN/cadvctl" --store "$S" health >"$T/health.txt" 2>&1
expect "cadvctl health names the holder's pid" grep -q "^writer_blocked_pid $hp$" "$T/health.txt"
"$TOP/scripts/cadv-health" --cadvctl "$BIN/cadvctl" --store "$S" >"$T/check.txt"
expect "cadv-health: CRITICAL, writer blocked, with the pid (exit $?)" \
    grep -q "^CADV CRITICAL - .*writer blocked: pid $hp (lockhold) has held the store's writer lock" "$T/check.txt"
kill $hp
wait $hp 2>/dev/null
sleep 1
"$BIN/cadvctl" --store "$S" health >"$T/health2.txt" 2>&1
expect "the holder gone, nothing blocks" grep -q "^writer_blocked_pid 0$" "$T/health2.txt"
expect "and collectord writes again" sh -c "'$TOP/scripts/cadv-health' --cadvctl '$BIN/cadvctl' --store '$S' | grep -q '^CADV OK'"
stop_pipeline
exit 0
