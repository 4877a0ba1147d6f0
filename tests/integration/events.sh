# Event history queries, one Request field at a time, from the store
# (cadvctl) and through eventd's socket; the storage policy; bad clients.
. "$CADV_TOP/tests/lib.sh"

S=$T/store
"$TBIN/storefill" --store "$S" --containers 1 --samples 1 --events 40 >/dev/null
C="$BIN/cadvctl --store $S"

# q NAME WANT ARGS...: cadvctl events ARGS --json equals what a plain
# Python filter over store_reader.py's events says (WANT is its expression)
q() {
	_n=$1 _w=$2; shift 2
	$C events --json "$@" >"$T/got.json" 2>"$T/got.err"
	expect "history: $_n" "$PY" -c '
import json, sys
ev = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
want = eval(sys.argv[3])
sys.exit(0 if [e["seq"] for e in got] == [e["seq"] for e in want] else 1)' "$T/all.json" "$T/got.json" "$_w"
}
if have_pylmdb; then
	"$PY" "$TOP/tests/store_reader.py" "$S" events >"$T/all.json"
	t10=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[9]["timestamp_ns"])' "$T/all.json")
	t20=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[19]["timestamp_ns"])' "$T/all.json")
	since=$("$PY" -c 'import datetime,sys; n=int(sys.argv[1]); print(datetime.datetime.fromtimestamp(n//10**9, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % (n % 10**9))' "$t10")
	until=$("$PY" -c 'import datetime,sys; n=int(sys.argv[1]); print(datetime.datetime.fromtimestamp(n//10**9, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % (n % 10**9))' "$t20")
	q "default: the newest 10, oldest first" 'ev[-10:]'
	q "max_events 3" 'ev[-3:]' --max 3
	q "max_events -1: all" 'ev' --max -1
	q "max_events 0: nothing" '[]' --max 0
	q "one type" '[e for e in ev if e["event_type"] == "oomKill"][-10:]' --type oom_kill
	q "two types, cAdvisor spelling" '[e for e in ev if e["event_type"] in ("oom", "containerDeletion")]' --type oom,containerDeletion --max -1
	q "start_time inclusive" "[e for e in ev if e['timestamp_ns'] >= $t10]" --since "$since" --max -1
	q "end_time inclusive" "[e for e in ev if e['timestamp_ns'] <= $t20]" --until "$until" --max -1
	q "start and end" "[e for e in ev if $t10 <= e['timestamp_ns'] <= $t20]" --since "$since" --until "$until" --max -1
	q "container exact" '[e for e in ev if e["container_name"] == "/a"]' --container /a --max -1
	q "subcontainers: a prefix at a / boundary" '[e for e in ev if e["container_name"] in ("/a", "/a/b")]' --container /a --subcontainers --max -1
	q "subcontainers of /: everything" 'ev' --container / --subcontainers --max -1
	q "filter before max" '[e for e in ev if e["container_name"] == "/c"][-2:]' --container /c --max 2
else
	skip "history queries" "python3-lmdb not installed"
fi
expect_status "events: an unknown type is a usage error" 2 $C events --type bogus
expect_status "events: --follow with --until is a usage error" 2 $C events --follow --until 1m

# eventd on this store: the same queries through the socket
"$BIN/eventd" --store "$S" --kmsg /nonexistent --max-clients 8 --max-clients-per-uid 8 2>"$T/eventd.err" &
ED=$!
on_exit "kill $ED 2>/dev/null"
wait_for 5 test -S "$S/events.sock"
sockq() {	# sockq REQUEST: eventd's reply lines
	"$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(8); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
out = b""
while True:
    try:
        b = s.recv(65536)
    except socket.timeout:
        break
    if not b:
        break
    out += b
sys.stdout.write(out.decode())' "$S/events.sock" "$1"
}
if have_pylmdb; then
	sockq '{"end_time":"2100-01-01T00:00:00Z","types":["oom_kill"],"container":"/a","subcontainers":true,"max_events":-1}
' >"$T/sock.out"
	expect "socket: a history request honours its fields and ends" "$PY" -c '
import json, sys
ev = json.load(open(sys.argv[1]))
got = [json.loads(l) for l in open(sys.argv[2])]
want = [e for e in ev if e["event_type"] == "oomKill" and e["container_name"] in ("/a", "/a/b")]
sys.exit(0 if [g["seq"] for g in got] == [w["seq"] for w in want] and want else 1)' "$T/all.json" "$T/sock.out"
fi
sockq 'this is not json
' >"$T/garbage.out"
expect "socket: garbage gets an error reply" grep -q '"error"' "$T/garbage.out"
sockq '{"types":["nonsense"]}
' >"$T/badtype.out"
expect "socket: an unknown type gets an error reply" grep -q 'unknown event type' "$T/badtype.out"
"$PY" -c 'import sys; sys.stdout.write("{" + " " * 9000 + "\n")' >"$T/big.req"
sockq "$(cat "$T/big.req")" >"$T/big.out"
expect "socket: an oversized request is refused" grep -q 'too long' "$T/big.out"
sockq '{"types":' >"$T/half.out"
expect "socket: a half-sent request times out with an error" grep -q 'no request within' "$T/half.out"
expect "eventd survives all of that" kill -0 "$ED"
# more clients than allowed: the extra one is told, the others go on
"$PY" -c '
import socket, sys, time
socks = []
for i in range(8):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"{}\n"); socks.append(s)
time.sleep(0.3)
s = socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1])
print(s.recv(4096).decode())' "$S/events.sock" >"$T/full.out"
expect "socket: a client beyond --max-clients is refused with an error" grep -q 'too many clients' "$T/full.out"
kill "$ED"; wait "$ED" 2>/dev/null
# started as root, eventd cannot remove its socket from the root-owned
# store directory (its user can change nothing there): what is left
# refuses connections, and the next eventd takes its place
expect "after eventd's exit nobody answers on its socket" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
except (ConnectionRefusedError, FileNotFoundError):
    sys.exit(0)
sys.exit(1)' "$S/events.sock"
if ! is_root; then
	expect "eventd not started as root removes its socket on exit" test ! -e "$S/events.sock"
fi

# storage policy: per-type count and age
if have_pylmdb; then
	"$BIN/eventd" --store "$S" --kmsg /nonexistent --event-max-count default=100000,oom_kill=2 \
	    --event-max-age container_creation=5s 2>>"$T/eventd.err" &
	ED=$!
	sleep 1.5
	kill "$ED"; wait "$ED" 2>/dev/null
	"$PY" "$TOP/tests/store_reader.py" "$S" events >"$T/after.json"
	expect "policy: a type's count limit keeps its newest" "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
kill_a = [e["seq"] for e in a if e["event_type"] == "oomKill"]
kill_b = [e["seq"] for e in b if e["event_type"] == "oomKill"]
oom_a = [e["seq"] for e in a if e["event_type"] == "oom"]
oom_b = [e["seq"] for e in b if e["event_type"] == "oom"]
sys.exit(0 if kill_b == kill_a[-2:] and oom_a == oom_b else 1)' "$T/all.json" "$T/after.json"
	expect "policy: a type's age limit removes the old ones" "$PY" -c '
import json, sys
b = json.load(open(sys.argv[1]))
sys.exit(0 if not [e for e in b if e["event_type"] == "containerCreation"] and
         [e for e in b if e["event_type"] == "containerDeletion"] else 1)' "$T/after.json"
fi
# 63 subscribers that never read and one that does: a flood of 3000
# events reaches the reader whole and at once; a stuck one is told what
# it lost (all of one uid here: each may have every slot)
"$BIN/eventd" --store "$S" --kmsg /nonexistent --max-clients-per-uid 64 2>>"$T/eventd.err" &
ED=$!
wait_for 5 test -S "$S/events.sock"
expect "64 clients: the reader gets every event as fast as alone, the stuck ones lose only their own" "$PY" -c '
import socket, subprocess, sys, time
path, fill, store = sys.argv[1:4]

def sub():
    s = socket.socket(socket.AF_UNIX); s.connect(path)
    s.sendall(b"{\"max_events\":0}\n")
    return s

def flood(nidle):
    idle = []
    for i in range(nidle):
        s = sub()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        idle.append(s)
    r = sub()
    time.sleep(0.5)
    t0 = time.time()
    subprocess.run([fill, "--store", store, "--containers", "1", "--samples", "0",
                    "--events", "3000"], check=True, stdout=subprocess.DEVNULL)
    chunks, lines = [], 0
    r.settimeout(10)
    try:
        while lines < 3000:
            b = r.recv(1 << 20)
            if not b:
                break
            chunks.append(b)
            lines += b.count(b"\n")
    except socket.timeout:
        pass
    return b"".join(chunks), time.time() - t0, idle

alone, t_alone, _ = flood(0)
crowd, t_crowd, idle = flood(63)
time.sleep(0.6)		# a tick or two for eventd to see them stuck
idle[0].settimeout(1)
first = b""
try:
    while b"dropped" not in first:
        b = idle[0].recv(1 << 20)
        if not b:
            break
        first += b
except socket.timeout:
    pass
print("reader: alone %.2f s, with 63 stuck clients %.2f s; lines %d %d; stuck one told: %s" % (t_alone, t_crowd, alone.count(b"\n"), crowd.count(b"\n"), b"dropped" in first), file=sys.stderr)
ok = (alone.count(b"\n") == 3000 and crowd.count(b"\n") == 3000 and
      b"dropped" not in crowd and t_crowd < 2 * t_alone + 1 and b"dropped" in first)
sys.exit(0 if ok else 1)' "$S/events.sock" "$TBIN/storefill" "$S"
expect "eventd is still there after the flood" kill -0 "$ED"
kill "$ED"; wait "$ED" 2>/dev/null

expect_status "eventd refuses a bad --max-clients" 2 "$BIN/eventd" --store "$S" --max-clients 0
expect_status "eventd refuses a count that is not a number" 2 "$BIN/eventd" --store "$S" --event-max-count oom=many
expect_status "eventd refuses an unknown type in the policy" 2 "$BIN/eventd" --store "$S" --event-max-age bogus=1h
expect_status "collectord refuses a bad --interval" 2 "$BIN/collectord" --store "$S" --interval 1
expect_status "collectord refuses --max-interval below --interval" 1 "$BIN/collectord" --store "$S" --interval 2s --max-interval 1s
expect_status "collectord refuses a missing --root" 1 "$BIN/collectord" --store "$S" --root "$T/nope"
expect_status "collectord refuses an unknown --user" 1 "$BIN/collectord" --store "$S" --root "$FIX/v2tree" --user no-such-user-here </dev/null
expect_status "eventd refuses a bad policy" 2 "$BIN/eventd" --store "$S" --event-max-age oom_kill=soon
