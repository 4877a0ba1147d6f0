# Fault injection: daemons killed with SIGKILL at random moments under
# churn and OOM kills, then restarted as a supervisor would; a reader
# killed inside a read transaction; cgroup files that are unreadable, hold
# garbage or vanish; /dev/kmsg overruns; a socket flood of 500 clients and
# subscribers that hang up mid-stream; store files with the wrong
# permissions, cut short or with a broken header.  Nothing committed may be
# lost, nothing may crash or hang, and every error names its file.
. "$CADV_TOP/tests/lib.sh"

if ! have_pylmdb; then
	skip "fault injection" "python3-lmdb not installed (make deps)"
	exit 0
fi

# snapshot STORE FILE: every sample key and event sequence number
snapshot() {
	"$PY" - "$1" "$2" <<'PYEOF'
import json, lmdb, sys
env = lmdb.open(sys.argv[1], readonly=True, max_dbs=8, lock=True)
with env.begin() as txn:
    s = env.open_db(b"samples", txn=txn, create=False)
    e = env.open_db(b"events", txn=txn, create=False)
    out = {"samples": [k.hex() for k, _ in txn.cursor(db=s)],
           "events": [k.hex() for k, _ in txn.cursor(db=e)]}
json.dump(out, open(sys.argv[2], "w"))
PYEOF
}
# kept OLD NEW: every key in snapshot OLD is in snapshot NEW
kept() {
	"$PY" -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
lost = {t: len(set(a[t]) - set(b[t])) for t in a}
if any(lost.values()) or not a["samples"]:
    print("lost", lost, "of", {t: len(a[t]) for t in a})
    sys.exit(1)' "$1" "$2"
}
# live_equal STORE DIR: the store's live containers are exactly the
# directories under DIR (names relative to DIR)
live_equal() {
	"$BIN/cadvctl" --store "$1" ls --json >"$T/ls.json" || return 1
	"$PY" -c '
import json, os, sys
root = sys.argv[2]
have = set()
for dirpath, dirs, _ in os.walk(root):
    rel = os.path.relpath(dirpath, root)
    have.add("/" if rel == "." else "/" + rel)
live = {c["name"] for c in json.load(open(sys.argv[1])) if c["live"]}
if live != have:
    print("store only:", sorted(live - have)[:5], "cgroups only:",
          sorted(have - live)[:5])
    sys.exit(1)' "$T/ls.json" "$2"
}

# ---- SIGKILL under churn and OOM kills --------------------------------
M=/sys/fs/cgroup/memory
if can_mkcg && [ -d $M ]; then
	R=$M/${CGD}cadv-test-$$-f
	mkdir "$R"
	on_exit "find $R -depth -type d -exec rmdir {} + 2>/dev/null"
	for i in 1 2 3 4 5 6 7 8; do mkdir "$R/c$i"; done
	mkdir "$R/oom"
	echo $((32 << 20)) >"$R/oom/memory.limit_in_bytes"
	[ -f "$R/oom/memory.memsw.limit_in_bytes" ] &&
	    echo $((32 << 20)) >"$R/oom/memory.memsw.limit_in_bytes"
	S=$T/kill
	# churn: a cgroup made and one removed every 0.1 s; an OOM kill
	# every 0.7 s (ours: our cgroups, our processes)
	(
		i=0
		while :; do
			mkdir "$R/churn$i" 2>/dev/null
			rmdir "$R/churn$((i - 3))" 2>/dev/null
			i=$((i + 1))
			sleep 0.1
		done
	) &
	CH=$!
	on_exit "kill $CH 2>/dev/null"
	(
		while :; do
			"$TBIN/cgtask" --cg "$R/oom" hog 64 30 >/dev/null 2>&1
			sleep 0.7
		done
	) &
	OL=$!
	on_exit "kill $OL 2>/dev/null"
	start_pipeline "$S" --root "$R" -- --storage-duration 10m
	"$BIN/eventd" --store "$S" 2>>"$T/eventd.err" &
	ED=$!
	"$BIN/exporterd" --store "$S" --listen "unix:$T/x.sock" 2>>"$T/exporterd.err" &
	XP=$!
	on_exit "kill \$ED \$XP 2>/dev/null"
	sleep 2
	crashed=0
	for victim in collectord watcherd eventd exporterd collectord eventd; do
		# a random moment within a tick
		sleep "1.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')"
		snapshot "$S" "$T/before.json"
		case $victim in
		collectord) kill -9 "$CP" ;;
		watcherd) kill -9 "$WP" ;;
		eventd) kill -9 "$ED" ;;
		exporterd) kill -9 "$XP" ;;
		esac
		# the supervisor's part: what died, or whose pipe broke, starts
		# again (collectord leaves by itself when watcherd is gone)
		case $victim in
		collectord|watcherd)
			wait "$CP" 2>/dev/null
			kill -9 "$WP" 2>/dev/null
			wait "$WP" 2>/dev/null
			"$BIN/cadvctl" --store "$S" check >"$T/check.out" 2>&1 ||
			    crashed=$((crashed + 1))
			start_pipeline "$S" --root "$R" -- --storage-duration 10m ;;
		eventd)
			wait "$ED" 2>/dev/null
			"$BIN/eventd" --store "$S" 2>>"$T/eventd.err" &
			ED=$! ;;
		exporterd)
			wait "$XP" 2>/dev/null
			"$BIN/exporterd" --store "$S" --listen "unix:$T/x.sock" 2>>"$T/exporterd.err" &
			XP=$! ;;
		esac
		sleep 1.5
		snapshot "$S" "$T/after.json"
		expect "SIGKILL of $victim: every sample and event committed before it is still there" kept "$T/before.json" "$T/after.json"
	done
	expect "the store stayed consistent at every SIGKILL (cadvctl check)" test "$crashed" -eq 0
	expect_status "and is consistent now" 0 "$BIN/cadvctl" --store "$S" check
	kill "$CH" "$OL" 2>/dev/null
	wait "$CH" "$OL" 2>/dev/null
	sleep 2.5
	expect "after the restarts the store's live containers are exactly the cgroups there" live_equal "$S" "$R"
	n=$("$BIN/cadvctl" --store "$S" events --type oom_kill --max -1 --json | jv 'len(d)')
	expect "OOM kills kept coming through the restarts ($n)" test "${n:-0}" -ge 3
	expect "eventd is running" kill -0 "$ED"
	if command -v curl >/dev/null 2>&1; then
		expect "exporterd serves after its restart" sh -c "curl -sf --unix-socket '$T/x.sock' http://x/metrics | grep -q '^container_memory_usage_bytes'"
	fi
	stop_pipeline
	kill "$ED" "$XP" 2>/dev/null
	wait "$ED" "$XP" 2>/dev/null
else
	skip "SIGKILL under churn" "need root or delegated cgroups, and the v1 memory hierarchy"
fi

# ---- a reader killed inside a read transaction --------------------------
S=$T/reader
start_pipeline "$S" --root "$FIX/v2tree" -- --storage-duration 2s
"$PY" -c '
import lmdb, os, sys, time
env = lmdb.open(sys.argv[1], readonly=True, max_dbs=8, lock=True)
txn = env.begin()
open(sys.argv[2], "w").write("in")
time.sleep(600)' "$S" "$T/reader.ready" &
RP=$!
wait_for 5 test -f "$T/reader.ready"
kill -9 "$RP"
wait "$RP" 2>/dev/null
"$BIN/cadvctl" --store "$S" health --json >"$T/h1.json" 2>/dev/null
expect "the killed reader's slot is found and cleared" has "$T/h1.json" 'd["stale_readers_cleared"] >= 1 or d["x"]'
u1=$(jv 'd["map_used_bytes"]' <"$T/h1.json")
sleep 6
"$BIN/cadvctl" --store "$S" health --json >"$T/h2.json" 2>/dev/null
u2=$(jv 'd["map_used_bytes"]' <"$T/h2.json")
expect "the store does not grow after it (${u1:-?} -> ${u2:-?} bytes over 6 s)" test "${u2:-1}" -le "$(( ${u1:-0} + 65536 ))"
stop_pipeline

# ---- cgroup files unreadable, garbage, vanishing ------------------------
G=$T/bad
cp -r "$FIX/v2tree" "$G"
printf 'garbage\n\377\376 no numbers here\n' >"$G/kube/memory.stat"
printf 'usage_usec twelve\nuser_usec\n' >"$G/kube/cpu.stat"
head -c 5000 /dev/urandom >"$G/kube/io.stat"
chmod 000 "$G/kube/memory.current"	# the daemons run as nobody when started as root
rm -f "$G/kube/pids.current"
S=$T/badfiles
start_pipeline "$S" --root "$G"
sleep 1.5
"$BIN/cadvctl" --store "$S" stats /kube --json --count 1 >"$T/bad.json" 2>"$T/bad.err"
expect "garbage and unreadable files: the container is still sampled" has "$T/bad.json" 'd["stats"][-1]["timestamp_ns"]'
if is_root; then
	expect "an unreadable file's field is absent, not 0" "$PY" -c '
import json, sys
s = json.load(open(sys.argv[1]))["stats"][-1]
sys.exit(0 if "usage" not in s.get("memory", {}) else 1)' "$T/bad.json"
fi
expect "a garbage file's fields are absent, not 0" "$PY" -c '
import json, sys
s = json.load(open(sys.argv[1]))["stats"][-1]
sys.exit(0 if "total_usage" not in s.get("cpu", {}).get("usage", {}) else 1)' "$T/bad.json"
"$BIN/cadvctl" --store "$S" stats "/kube/pod 1" --json --count 1 >"$T/good.json"
expect "its neighbour reads as before" has "$T/good.json" 'd["stats"][-1]["memory"]["usage"]'
rm -rf "$G/kube/pod 1"	# files gone under kept-open fds
sleep 1.5
expect "files vanishing under collectord: it goes on" kill -0 "$CP"
expect "and keeps sampling the rest" sh -c "'$BIN/cadvctl' --store '$S' stats /kube --json --count 1 >/dev/null"
stop_pipeline

# ---- /dev/kmsg overruns ------------------------------------------------
if kmsg_readable && [ -f "$TBIN/kmsgfault.so" ] && [ -d "${R:-/nonexistent}/oom" ]; then
	S=$T/overrun
	start_pipeline "$S" --root "$FIX/v2tree"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	CADV_FAULT_EPIPE_EVERY=2 LD_PRELOAD=$TBIN/kmsgfault.so \
	    "$BIN/eventd" --store "$S" --no-seccomp 2>"$T/overrun.err" &
	OP=$!
	on_exit "kill $OP 2>/dev/null"
	sleep 1
	# a record as long as the kernel makes them: 1,000 control bytes,
	# each escaped to four (LOG_USER: what any writer of /dev/kmsg can
	# inject, which eventd must read past and never believe)
	if [ -w /dev/kmsg ]; then
		"$PY" -c 'import sys; sys.stdout.buffer.write(b"<12>cadv-test-faults: " + b"\x01" * 1000 + b"\n")' >/dev/kmsg
	fi
	# kernel records to read: an OOM kill of ours
	"$TBIN/cgtask" --cg "$R/oom" hog 64 30 >/dev/null 2>&1 &
	HOG=$!
	wait "$HOG"
	sleep 1.5
	expect "kmsg EPIPE: eventd counts and reports the overrun" grep -q 'records overwritten before they were read' "$T/overrun.err"
	expect "and goes on" kill -0 "$OP"
	"$BIN/cadvctl" --store "$S" events --type oom_kill --max -1 --json >"$T/overrun.json"
	expect "the kill after the overrun and a maximal record is still reported, once" has "$T/overrun.json" "len([e for e in d if e['event_data']['oom']['pid'] == $HOG]) == 1 or d['x']"
	kill "$OP"
	wait "$OP" 2>/dev/null
	stop_pipeline
else
	skip "kmsg overruns" "needs /dev/kmsg and a memory cgroup of ours to make kernel records"
fi

# ---- the event socket: 500 clients, hang-ups mid-stream ------------------
S=$T/flood
"$TBIN/storefill" --store "$S" --containers 3 --samples 2 --events 2000 >/dev/null
"$BIN/eventd" --store "$S" --kmsg /nonexistent 2>"$T/flood.err" &
FP=$!
on_exit "kill $FP 2>/dev/null"
wait_for 5 test -S "$S/events.sock"
expect "500 connections at once, half of them hanging up mid-stream: every one answered or refused, none hangs" "$PY" - "$S/events.sock" <<'PYEOF'
import socket, sys, time
path = sys.argv[1]
socks = []
for i in range(500):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    try:
        s.connect(path)
    except OSError:
        s.close()
        continue
    socks.append(s)
for i, s in enumerate(socks):
    try:
        s.sendall(b'{"max_events":-1}\n')
    except OSError:
        pass
refused = answered = 0
for i, s in enumerate(socks):
    try:
        b = s.recv(65536)
    except OSError:
        b = b""
    if b"too many clients" in b:
        refused += 1
    elif b:
        answered += 1
    if i % 2 == 0:
        s.close()            # hang up in the middle of the history
for s in socks[1::2]:
    s.close()
print(answered, "answered,", refused, "refused of", len(socks))
sys.exit(0 if answered >= 1 and answered + refused >= len(socks) - 5 else 1)
PYEOF
expect "eventd survived the flood" kill -0 "$FP"
expect "and still answers a new client in full" "$PY" - "$S/events.sock" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(b'{"max_events":3}\n')
buf = b""
while buf.count(b"\n") < 3:
    b = s.recv(65536)
    if not b:
        break
    buf += b
sys.exit(0 if buf.count(b"\n") >= 3 else 1)
PYEOF
kill "$FP"
wait "$FP" 2>/dev/null

# ---- store files: permissions, cut short, a broken header ----------------
S=$T/files
"$TBIN/storefill" --store "$S" --containers 2 --samples 2 >/dev/null
if is_root && command -v setpriv >/dev/null 2>&1; then
	chmod 600 "$S/data.mdb"
	expect_status "data.mdb unreadable to the reader: exit 3" 3 setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/cadvctl" --store "$S" ls
	expect "the message names the store and says permission" grep -q "$S.*ermission" "$T/.err"
	chmod 640 "$S/data.mdb"
fi
cp -r "$S" "$T/short"
truncate -s 4096 "$T/short/data.mdb"
expect_status "data.mdb cut to one page: cadvctl exits 3" 3 "$BIN/cadvctl" --store "$T/short" ls
expect "the message names the store" grep -q "$T/short" "$T/.err"
echo >"$T/empty.fifo"
expect_status "collectord on it: exits 1, no crash" 1 "$BIN/collectord" --store "$T/short" --root "$FIX/v2tree" <"$T/empty.fifo"
expect "its message names the store" grep -q "$T/short" "$T/.err"
cp -r "$S" "$T/magic"
# the magic number of both meta pages (LMDB: page header 16 bytes, then
# the meta's magic)
printf '\0\0\0\0' | dd of="$T/magic/data.mdb" bs=1 seek=16 conv=notrunc 2>/dev/null
printf '\0\0\0\0' | dd of="$T/magic/data.mdb" bs=1 seek=4112 conv=notrunc 2>/dev/null
expect_status "both meta pages broken: cadvctl exits 3" 3 "$BIN/cadvctl" --store "$T/magic" ls
expect "the message names data.mdb" grep -q "$T/magic/data.mdb" "$T/.err"
expect_status "cadvctl check on it: exits 3" 3 "$BIN/cadvctl" --store "$T/magic" check
rm -f "$T/files/lock.mdb"
chmod 000 "$T/files" 2>/dev/null
if is_root && command -v setpriv >/dev/null 2>&1; then
	expect_status "a store directory closed to the reader: exit 3" 3 setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/cadvctl" --store "$T/files" ls
fi
chmod 755 "$T/files"

# ---- a store at its size limit -------------------------------------------
# 2,000 containers (plain directories: empty samples, ~40 bytes each with
# their keys) at 5 a second in a 1 MiB map: full within three seconds,
# many times over in the time allowed
mkdir "$T/many"
i=0
while [ $i -lt 2000 ]; do mkdir "$T/many/d$i"; i=$((i + 1)); done
chmod -R a+rX "$T/many"
S=$T/tiny
start_pipeline "$S" --root "$T/many" -- --interval 200ms --storage-duration 10m --max-store-size 1M
wait_for 30 grep -q 'store full at its size limit' "$T/collectord.err"
expect "and says it drops the oldest samples" grep -q 'store full at its size limit' "$T/collectord.err"
sleep 2
expect "a full map at its limit: collectord goes on" kill -0 "$CP"
"$BIN/cadvctl" --store "$S" stats /d1999 --json --count 1 >"$T/tiny.json"
expect "the newest sample is still written (under 1 s old)" "$PY" -c '
import json, sys, time
s = json.load(open(sys.argv[1]))["stats"][-1]
sys.exit(0 if time.time() - s["timestamp_ns"] / 1e9 < 1 else 1)' "$T/tiny.json"
"$BIN/cadvctl" --store "$S" health --json >"$T/tinyh.json"
expect "the map stayed at its limit" has "$T/tinyh.json" 'd["map_size_bytes"] <= 1048576 or d["x"]'
expect_status "and the store is consistent" 0 "$BIN/cadvctl" --store "$S" check
stop_pipeline
expect_status "--max-store-size below 1M is a usage error" 2 "$BIN/collectord" --store "$T/x" --max-store-size 100K

# ---- out of file descriptors ---------------------------------------------
# 60 real cgroups in two hierarchies with room for about 150 descriptors:
# the first containers keep their files open, the rest are read by path,
# all of them every tick
if can_mkcg && [ -d $M ] && [ -d /sys/fs/cgroup/cpuacct ]; then
	A=/sys/fs/cgroup/cpuacct/${CGD}cadv-test-$$-fd
	B=$M/${CGD}cadv-test-$$-fd
	mkdir "$A" "$B"
	on_exit "rmdir $A/* $A $B/* $B 2>/dev/null"
	i=0
	while [ $i -lt 60 ]; do mkdir "$A/c$i" "$B/c$i"; i=$((i + 1)); done
	echo $((48 << 20)) >"$B/c59/memory.limit_in_bytes"
	S=$T/nofd
	mkfifo "$T/nofd.fifo"
	(ulimit -n 150 && exec "$BIN/collectord" --store "$S" --root "$A" --root "$B") <"$T/nofd.fifo" 2>"$T/nofd.err" &
	NP=$!
	"$BIN/watcherd" --root "$A" --root "$B" >"$T/nofd.fifo" 2>/dev/null &
	NW=$!
	on_exit "kill $NW $NP 2>/dev/null"
	sleep 3
	expect "at its descriptor limit collectord says so and goes on" sh -c "grep -q 'out of file descriptors' '$T/nofd.err' && kill -0 $NP"
	"$BIN/cadvctl" --store "$S" ls --json >"$T/nofd.json"
	expect "every one of the 61 containers is in the store" has "$T/nofd.json" 'len(d) == 61 or d["x"]'
	"$BIN/cadvctl" --store "$S" stats /c59 --json --count 1 >"$T/c59.json"
	expect "the last one, read by path, has fresh samples, its counters and its spec" "$PY" -c '
import json, sys, time
d = json.load(open(sys.argv[1]))
s = d["stats"][-1]
ok = (time.time() - s["timestamp_ns"] / 1e9 < 2 and "usage" in s["memory"]
      and "total" in s["cpu"]["usage"] and d["spec"]["memory"]["limit"] == 48 << 20)
sys.exit(0 if ok else 1)' "$T/c59.json"
	kill "$NW" 2>/dev/null
	wait "$NW" "$NP" 2>/dev/null || true
else
	skip "out of file descriptors" "need root or delegated cgroups (memory and cpuacct)"
fi
