# libcadv's cadv_watch_* (cAdvisor's WatchEvents) against a real eventd:
# the history a subscription asks for, then live events of this test's
# own cgroups (a creation, a real OOM kill, a deletion), a timeout, the
# default socket, and the end of the stream when eventd goes (a refusal
# and bad lines: tests/unit/check_cadv_kubelet.c).
# tests/tools/watchcat prints what each cadv_watch_next returned.
. "$CADV_TOP/tests/lib.sh"

W=$TBIN/watchcat
S=$T/store
"$TBIN/storefill" --store "$S" --containers 1 --samples 1 --events 12 >/dev/null
start_eventd "$S" --kmsg /nonexistent --max-clients 4 --max-clients-per-uid 4

# history: the newest 3 stored, oldest first, then a timeout (no live ones)
"$W" --socket "$S/events.sock" --max 3 --timeout 300 >"$T/hist.out" 2>&1
expect "history: three events, then a timeout" sh -c "[ \$(grep -c '^event ' '$T/hist.out') -eq 3 ] && tail -n 1 '$T/hist.out' | grep -qx timeout"
expect "oldest first, by sequence number" sh -c "grep '^event ' '$T/hist.out' | awk '{print \$2}' | sort -n -c"
"$W" --socket "$S/events.sock" --max -1 --timeout 300 >"$T/all.out" 2>&1
expect "max -1: all twelve" sh -c "[ \$(grep -c '^event ' '$T/all.out') -eq 12 ]"
"$W" --socket "$S/events.sock" --max -1 --types oom_kill --timeout 300 >"$T/kills.out" 2>&1
"$BIN/cadvctl" --store "$S" events --type oom_kill --max -1 --json >"$T/kills.json"
expect "a type filter: the store's oom_kill events, with their pid and process" "$PY" -c '
import json, sys
want = ["event %d oom_kill %s pid=%d comm=%s victim=%s counter=%d" % (e["seq"],
    e["container_name"], e["event_data"]["oom"]["pid"],
    e["event_data"]["oom"]["process_name"],
    e["event_data"]["oom"]["victim_container_name"],
    e["event_data"]["oom"]["from_counter"]) for e in json.load(open(sys.argv[1]))]
got = [l.rstrip("\n") for l in open(sys.argv[2]) if l.startswith("event ")]
sys.exit(0 if want and got == want else 1)' "$T/kills.json" "$T/kills.out"
# the default socket: events.sock in $CADV_STORE, as cadvctl finds it
CADV_STORE=$S "$W" --max 1 --timeout 300 >"$T/def.out" 2>&1
expect "the default socket is the store's events.sock" grep -q '^event ' "$T/def.out"
expect_status "no eventd at a socket: a failure with the path" 1 "$W" --socket "$T/none.sock" --max 0 --timeout 100
expect "the sentence names it" grep -q "none.sock" "$T/.err"

# live events of our own cgroups, from the pipeline and eventd on a
# store of their own
if ! can_mkcg || [ ! -d /sys/fs/cgroup/memory ]; then
	skip "live events" "need root or delegated cgroups, and a v1 memory hierarchy"
	exit 0
fi
M=/sys/fs/cgroup/memory
P=${CGD}cadv-test-$$-w
mkdir $M/$P
on_exit "rmdir $M/$P/a $M/$P 2>/dev/null"
L=$T/live
start_pipeline "$L"
kill "$ED" 2>/dev/null; wait "$ED" 2>/dev/null
start_eventd "$L" --kmsg /nonexistent
"$W" --socket "$L/events.sock" --container "/$P" --subcontainers --max 0 --events 4 >"$T/live.out" 2>&1 &
WC=$!
on_exit "kill $WC 2>/dev/null"
sleep 0.5
mkdir $M/$P/a
echo $((32 << 20)) >$M/$P/a/memory.limit_in_bytes
[ -f $M/$P/a/memory.memsw.limit_in_bytes ] &&
    echo $((32 << 20)) >$M/$P/a/memory.memsw.limit_in_bytes
expect "a creation of our cgroup, live" wait_for 10 grep -q "^event [0-9]* container_creation /$P/a\$" "$T/live.out"
sleep 1.5
"$TBIN/cgtask" --cg $M/$P/a hog 64 30 >/dev/null 2>&1 &
HP=$!
wait "$HP" 2>/dev/null
expect "a real OOM kill there (from the counter: no kmsg)" wait_for 10 grep -q "^event [0-9]* oom_kill /$P/a .*counter=1" "$T/live.out"
rmdir $M/$P/a
expect "its deletion" wait_for 10 grep -q "^event [0-9]* container_deletion /$P/a\$" "$T/live.out"
expect "nothing from other containers (the request's filter)" sh -c "! grep '^event ' '$T/live.out' | grep -qv ' /$P/a'"
# eventd going: the stream ends (CADV_NOTFOUND), the watcher exits
"$W" --socket "$L/events.sock" --max 0 >"$T/end.out" 2>&1 &
WE=$!
on_exit "kill $WE 2>/dev/null"
sleep 0.5
kill "$ED"; wait "$ED" 2>/dev/null
expect "eventd gone: the stream ends" wait_for 5 grep -qx end "$T/end.out"
expect "and the watcher exits" wait_for 5 sh -c "! kill -0 $WE"
kill "$WC" 2>/dev/null
stop_pipeline
