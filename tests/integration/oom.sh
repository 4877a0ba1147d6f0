# Real OOM kills in this test's own memory cgroup (32 MiB limit): events
# from /dev/kmsg to a live subscriber, across eventd restarts, and from
# the counters when /dev/kmsg cannot be read.
. "$CADV_TOP/tests/lib.sh"

if ! can_mkcg; then
	skip "real OOM kills" "need root, or cgroups delegated by tests/run-as-user"
	exit 0
fi
M=/sys/fs/cgroup/memory
[ -d $M ] || { skip "real OOM kills" "no v1 memory hierarchy"; exit 0; }
if ! have_pylmdb; then
	skip "real OOM kills" "python3-lmdb not installed"
	exit 0
fi
P=${CGD}cadv-test-$$-o
mkdir $M/$P
on_exit "rmdir $M/$P/* $M/$P 2>/dev/null"
mkoom() {	# mkoom NAME: a cgroup of ours with a 32 MiB limit
	mkdir $M/$P/$1
	echo $((32 << 20)) >$M/$P/$1/memory.limit_in_bytes
	[ -f $M/$P/$1/memory.memsw.limit_in_bytes ] &&
	    echo $((32 << 20)) >$M/$P/$1/memory.memsw.limit_in_bytes
	return 0
}
kill_in() {	# kill_in NAME: a 64 MiB hog, killed there; prints its pid
	"$TBIN/cgtask" --cg $M/$P/$1 hog 64 30 >/dev/null 2>&1 &
	echo $!
	wait $! 2>/dev/null
}
kills() {	# kills STORE NAME: the oom_kill events of a container, as JSON
	"$BIN/cadvctl" --store "$1" events --type oom_kill --container "$2" --max -1 --json
}

# without /dev/kmsg: the counters, once per kill
S2=$T/nokmsg
start_pipeline "$S2"
start_eventd "$S2" --kmsg /nonexistent
mkoom b
sleep 1.5
kill_in b >/dev/null
sleep 2.5
kills "$S2" "/$P/b" >"$T/counter.json"
expect "no kmsg: the kill is one counter-derived event" "$PY" -c '
import json, sys
ev = json.load(open(sys.argv[1]))
sys.exit(0 if len(ev) == 1 and ev[0]["event_data"]["oom"]["from_counter"] else 1)' "$T/counter.json"
# exporterd counts it by name: deleting and re-creating the container
# keeps the count (cAdvisor's would start again from 0)
if command -v curl >/dev/null 2>&1; then
	"$BIN/exporterd" --store "$S2" --listen "unix:$T/x.sock" 2>>"$T/exporterd.err" &
	XP=$!
	on_exit "kill $XP 2>/dev/null"
	wait_for 5 test -S "$T/x.sock"
	expect "exporterd: container_oom_events_total is 1" sh -c "$(command -v curl) -s --unix-socket '$T/x.sock' http://x/metrics | grep -q '^container_oom_events_total{id=\"/$P/b\",.*} 1 '"
	rmdir $M/$P/b
	sleep 1.5
	mkdir $M/$P/b
	wait_for 5 sh -c "'$BIN/cadvctl' --store '$S2' stats '/$P/b' >/dev/null 2>&1"
	sleep 1.5
	expect "and still 1 after the container is deleted and made again" sh -c "$(command -v curl) -s --unix-socket '$T/x.sock' http://x/metrics | grep -q '^container_oom_events_total{id=\"/$P/b\",.*} 1 '"
	kill "$XP"; wait "$XP" 2>/dev/null
fi
kill "$ED"; wait "$ED" 2>/dev/null
stop_pipeline

if ! kmsg_readable; then
	skip "OOM kills from /dev/kmsg" "/dev/kmsg does not open for $(id -un) (kernel.dmesg_restrict)"
	exit 0
fi
S=$T/store
start_pipeline "$S"
start_eventd "$S"
mkoom a
"$BIN/cadvctl" --store "$S" events --follow --type oom_kill --json >"$T/follow.out" 2>&1 &
FOL=$!
on_exit "kill $FOL 2>/dev/null"
sleep 0.5
pid1=$(kill_in a)
t0=$(date +%s%N)
wait_for 1 grep -q "\"pid\":$pid1" "$T/follow.out"
t1=$(date +%s%N)
expect "kmsg: a subscriber gets the kill within a second ($(( (t1 - t0) / 1000000 )) ms)" \
    grep -q "\"pid\":$pid1" "$T/follow.out"
# its line: other programs' OOM kills on this machine may be there too
grep -E "\"pid\":$pid1[^0-9]" "$T/follow.out" | head -n 1 >"$T/kill1.json"
expect "kmsg: with container, pid and process name" has "$T/kill1.json" \
    '0 if d["container_name"] == "/'"$P"'/a" and d["event_data"]["oom"]["process_name"] == "cgtask" else d["x"]'
kill "$FOL"

# collectord's lifecycle events reach subscribers too, within a second
"$BIN/cadvctl" --store "$S" events --follow --container "/$P" --subcontainers \
    --type container_creation,container_deletion --max 0 --json >"$T/life.out" 2>&1 &
FOL=$!
sleep 0.5
mkdir $M/$P/life
t0=$(date +%s%N)
wait_for 2 grep -q '"containerCreation"' "$T/life.out"
t1=$(date +%s%N)
rmdir $M/$P/life
wait_for 2 grep -q '"containerDeletion"' "$T/life.out"
expect "lifecycle: creation reaches a subscriber within a second ($(( (t1 - t0) / 1000000 )) ms)" \
    test $(( (t1 - t0) / 1000000 )) -lt 1000
expect "lifecycle: and deletion" grep -q '"containerDeletion"' "$T/life.out"
kill "$FOL"

# a second kill while eventd is down, a third after: exactly three
kill "$ED"; wait "$ED" 2>/dev/null
pid2=$(kill_in a)
start_eventd "$S"
pid3=$(kill_in a)
sleep 2.5
kills "$S" "/$P/a" >"$T/three.json"
expect "kmsg: three kills, three events, across a restart (none lost, none twice)" "$PY" -c '
import json, sys
ev = json.load(open(sys.argv[1]))
pids = sorted(e["event_data"]["oom"]["pid"] for e in ev)
sys.exit(0 if pids == sorted(map(int, sys.argv[2:])) else 1)' "$T/three.json" "$pid1" "$pid2" "$pid3"
expect "kmsg: a kill seen in kmsg and in the counters is one event" "$PY" -c '
import json, sys
ev = json.load(open(sys.argv[1]))
sys.exit(0 if not [e for e in ev if e["event_data"]["oom"]["from_counter"]] else 1)' "$T/three.json"
"$BIN/cadvctl" --store "$S" events --type oom_kill --container "/$P/a" >"$T/list.txt"
expect "cadvctl events --type oom_kill lists them" test "$(grep -c "pid .* (cgtask)" "$T/list.txt")" -eq 3
kill "$ED"; wait "$ED" 2>/dev/null
stop_pipeline
