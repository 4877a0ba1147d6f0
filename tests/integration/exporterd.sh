# exporterd: /metrics that promtool accepts, JSON answers equal to cadvctl's,
# errors as documented, many clients at once, and hostile requests.
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "exporterd" "curl is not installed (make deps)"
	exit 0
fi
S=$T/store
# a container of ours with awkward bytes in its name, where we may
P=""
if can_mkcg && [ -d /sys/fs/cgroup/memory ]; then
	P="${CGD}cadv-test-$$-x"
	ODD='odd "name" \ with	tab'
	mkdir "/sys/fs/cgroup/memory/$P" "/sys/fs/cgroup/memory/$P/$ODD"
	on_exit "rmdir '/sys/fs/cgroup/memory/$P/$ODD' '/sys/fs/cgroup/memory/$P' 2>/dev/null"
fi
PORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
U=http://127.0.0.1:$PORT
wait_for 5 curl -sf -o /dev/null "$U/healthz"
# started before collectord: it waits for the store, answering 503
expect "no store yet: /metrics is 503" test "$(curl -s -o /dev/null -w '%{http_code}' "$U/metrics")" = 503
start_pipeline "$S"
expect "the store appears: /metrics is 200 within 3 s" wait_for 3 sh -c "curl -s -o /dev/null -w '%{http_code}' '$U/metrics' | grep -qx 200"
[ -n "$P" ] && wait_for 5 sh -c "curl -s '$U/metrics' | grep -q 'cadv-test-$$-x/odd'"

code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
expect "/healthz says ok" test "$(curl -s "$U/healthz")" = ok
curl -s -D "$T/mhead" "$U/metrics" >"$T/metrics"
expect "/metrics: Prometheus text format 0.0.4" grep -qi '^content-type: text/plain; version=0.0.4' "$T/mhead"
if command -v promtool >/dev/null 2>&1; then
	. "$CADV_TOP/tests/promcheck.sh"
	expect "promtool check metrics reports nothing but cAdvisor's own complaints" promcheck "$T/metrics"
else
	skip "promtool check metrics" "promtool is not installed (package prometheus)"
fi
for m in container_cpu_usage_seconds_total container_memory_usage_bytes \
    container_memory_working_set_bytes container_start_time_seconds \
    container_last_seen machine_cpu_cores machine_memory_bytes cadv_version_info; do
	expect "/metrics has $m" grep -q "^$m{" "$T/metrics"
done
# collectord's first statfs may come a moment after its first samples
rootfs() {
	curl -s "$U/metrics" | grep -qE '^container_fs_usage_bytes\{device="[^"]+",id="/",.*\} [0-9.e+]+ [0-9]{13}$'
}
expect "the root has container_fs_usage_bytes of a filesystem, by device" wait_for 10 rootfs
expect "the root's container_spec_memory_limit_bytes is machine_memory_bytes" \
    test "$(sed -n 's/^container_spec_memory_limit_bytes{id="\/",[^}]*} //p' "$T/metrics")" = \
    "$(sed -n 's/^machine_memory_bytes{[^}]*} \([0-9.e+]*\) .*/\1/p' "$T/metrics")"
expect "sample lines carry a timestamp in ms" grep -qE '^container_memory_usage_bytes\{.*id="/".*\} [0-9.e+]+ [0-9]{13}$' "$T/metrics"
if [ -n "$P" ]; then
	# cgname's text form (\\ and \x09), then Prometheus's own escapes
	expect "an odd name is escaped in the id label" grep -qF "id=\"/$P/"'odd \"name\" \\\\ with\\x09tab"' "$T/metrics"
fi

# JSON equal to cadvctl's for the same sample (once there are three)
wait_for 5 sh -c "'$BIN/cadvctl' --store '$S' stats / --count 3 --json | grep -o timestamp_ns | wc -l | grep -qx 3"
curl -s "$U/api/v2.0/stats/?count=3" >"$T/api.json"
"$BIN/cadvctl" --store "$S" stats / --count 3 --json >"$T/ctl.json"
expect "v2.0/stats: the samples cadvctl shows, field for field (cAdvisor keys added)" "$PY" -c '
import json, sys
sys.path.insert(0, sys.argv[3])
from cadvisor_fields import covers
api = json.load(open(sys.argv[1]))["/"]
ctl = {s["timestamp_ns"]: s for s in json.load(open(sys.argv[2]))["stats"]}
same = [s for s in api if s["timestamp_ns"] in ctl and covers(ctl[s["timestamp_ns"]], s)]
sys.exit(0 if len(same) >= 2 else 1)' "$T/api.json" "$T/ctl.json" "$CADV_TOP/tests"
curl -s "$U/api/v1.3/containers/" >"$T/v1.json"
expect "v1.3/containers: name, spec, subcontainers, stats" has "$T/v1.json" \
    'd["name"] == "/" and d["spec"] and d["stats"][-1]["memory"]["usage"] and isinstance(d["subcontainers"], list) or d["x"]'
# The machine's whole tree, which other programs change while we look
# (container runtimes, systemd, other tests): exporterd's listings are
# compared with cadvctl ls read just before and just after them, and may
# differ from it only in containers the store records as created or
# deleted in between (lifecycle events newer than a mark taken first:
# collectord writes a container's change and its event in one
# transaction).  Ours, which nothing else touches, must be there exactly.
mark=$("$BIN/cadvctl" --store "$S" events --max 1 --json | jv 'd[-1]["seq"] if d else 0')
"$BIN/cadvctl" --store "$S" ls --json >"$T/ls0.json"
curl -s "$U/api/v1.3/subcontainers/?count=0" >"$T/subs.json"
curl -s "$U/api/v2.0/stats/?recursive=true&count=1" >"$T/rec.json"
"$BIN/cadvctl" --store "$S" ls --json >"$T/ls1.json"
"$BIN/cadvctl" --store "$S" events --type container_creation,container_deletion \
    --max -1 --json >"$T/life.json"
expect "v1.3/subcontainers and v2.0/stats?recursive=true: every live container cadvctl ls shows, give or take those created or deleted meanwhile" \
    "$PY" - "${mark:-x}" "$T/ls0.json" "$T/ls1.json" "$T/life.json" "$T/subs.json" "$T/rec.json" "/$P" <<'PYEOF'
import json, sys
mark, ls0, ls1, life, subs, rec, own = sys.argv[1:8]
live = lambda p: {c["name"] for c in json.load(open(p)) if c["live"]}
before, after = live(ls0), live(ls1)
changed = {e["container_name"] for e in json.load(open(life))
           if e["seq"] > int(mark)}
steady = before - changed
subs = [c["name"] for c in json.load(open(subs))]
rec = json.load(open(rec))
mine = lambda names: {n for n in names if n == own or n.startswith(own + "/")}
print("store %d live before, %d after, %d created or deleted in between; "
      "subcontainers %d, recursive stats %d" % (len(before), len(after),
      len(changed), len(subs), len(rec)))
bad = {"store changed without an event": sorted(steady ^ (after - changed)),
       "subcontainers lists twice": sorted({n for n in subs if subs.count(n) > 1}),
       "subcontainers misses": sorted(steady - set(subs)),
       "subcontainers has, not live": sorted(set(subs) - steady - changed),
       "recursive stats misses": sorted(steady - set(rec)),
       "recursive stats has, not live": sorted(set(rec) - steady - changed),
       "more than count=1 sample": sorted(n for n, v in rec.items() if len(v) > 1)}
bad = {k: v[:5] for k, v in bad.items() if v}
# ours: /P and the odd one under it, in all three, unchanged meanwhile
if own != "/" and not (len(mine(before)) == 2 and mine(before) == mine(subs)
                       == mine(rec) and not mine(before) & changed):
    bad["ours"] = [sorted(mine(x)) for x in (before, subs, rec)]
if bad or "/" not in steady:
    print(bad)
    sys.exit(1)
PYEOF
curl -s "$U/api/v2.0/spec/" >"$T/spec.json"
expect "v2.0/spec: cAdvisor's ContainerSpec fields" has "$T/spec.json" 'd["/"]["has_cpu"] is True and "creation_time" in d["/"] or d["x"]'
curl -s "$U/api/v2.0/machine" >"$T/machine.json"
"$BIN/cadvctl" --store "$S" machine --json >"$T/ctlmachine.json"
expect "v2.0/machine: cadvctl machine, with cAdvisor's defaults for what it lacks" "$PY" -c '
import json, sys
sys.path.insert(0, sys.argv[3])
from cadvisor_fields import covers
sys.exit(0 if covers(json.load(open(sys.argv[2])), json.load(open(sys.argv[1]))) else 1)' "$T/machine.json" "$T/ctlmachine.json" "$CADV_TOP/tests"
expect "v2.0/version" test "$(curl -s "$U/api/v2.0/version")" = '"0.1.0"'
# every creation event (the whole store's, which other programs' cgroups
# add to meanwhile): exporterd's answer read between two of cadvctl's must
# be the same list as of a moment between them (events come in sequence
# order: the earlier list is the start of the later one)
ctlev() {
	"$BIN/cadvctl" --store "$S" events --type container_creation --container / \
	    --subcontainers --max -1 --json
}
ctlev >"$T/ctlevents0.json"
curl -s "$U/api/v2.0/events/?creation_events=true&subcontainers=true&max_events=-1" >"$T/events.json"
ctlev >"$T/ctlevents.json"
expect "v2.0/events with cAdvisor's parameters equals cadvctl events (of a moment between two reads)" "$PY" -c '
import json, sys
sys.path.insert(0, sys.argv[5])
from cadvisor_fields import covers
b0, a, b1 = (json.load(open(p)) for p in sys.argv[1:4])
own = [e for e in a if e["container_name"] == sys.argv[4]]
ok = (covers(b0, a[:len(b0)]) and covers(b1[:len(a)], a) and len(a) > 0 and
      all(e["event_type"] == "containerCreation" for e in a) and
      (sys.argv[4] == "/" or len(own) == 1))
sys.exit(0 if ok else 1)' "$T/ctlevents0.json" "$T/events.json" "$T/ctlevents.json" "/$P" "$CADV_TOP/tests"
curl -s "$U/api/v2.0/events/?creation_events=true&subcontainers=true&max_events=1" >"$T/one.json"
ctlev >"$T/ctlevents1.json"
expect "v2.0/events max_events=1: the newest one (no older than the newest read before it)" "$PY" -c '
import json, sys
sys.path.insert(0, sys.argv[4])
from cadvisor_fields import covers
a, one, b = (json.load(open(p)) for p in sys.argv[1:4])
sys.exit(0 if len(one) == 1 and any(covers(x, one[0]) for x in b) and one[0]["seq"] >= a[-1]["seq"] else 1)' "$T/events.json" "$T/one.json" "$T/ctlevents1.json" "$CADV_TOP/tests"
expect "v2.0/events bad start_time: 400" test "$(code "$U/api/v2.0/events/?start_time=yesterday")" = 400

# errors
expect "unknown container: 404" test "$(code "$U/api/v2.0/stats/no/such/thing")" = 404
expect "with a JSON error" has "$T/body" 'd["error"]'
expect "count below -1: 400" test "$(code "$U/api/v2.0/stats/?count=-2")" = 400
expect "count not a number: 400" test "$(code "$U/api/v2.0/stats/?count=x")" = 400
expect "type docker without a docker container named: 404" test "$(code "$U/api/v2.0/stats/?type=docker")" = 404
expect "type bogus: 400" test "$(code "$U/api/v2.0/stats/?type=bogus")" = 400
expect "unknown endpoint: 404" test "$(code "$U/api/v2.0/nothing")" = 404
expect "POST: 405" test "$(code -X POST "$U/metrics")" = 405
expect "HEAD works" test "$(curl -s -I -o /dev/null -w '%{http_code}' "$U/metrics")" = 200
expect "no such page: 404" test "$(code "$U/etc/passwd")" = 404

# hostile requests
expect "encoded dot-dot in a name: 400" test "$(code --path-as-is "$U/api/v2.0/stats/a/%2e%2e/b")" = 400
expect "encoded NUL: no crash (4xx)" sh -c "c=\$(curl -s -o /dev/null -w '%{http_code}' '$U/api/v2.0/stats/a%00b'); [ \$c -ge 400 ] && [ \$c -lt 500 ]"
big=$("$PY" -c 'print("x" * 100000)')
expect "a 100 kB header is refused, not a crash" sh -c "c=\$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Big: $big' '$U/healthz'); [ \$c -ge 400 ] || [ \$c = 000 ]"
# a slow client holds a connection open with half a request
"$PY" -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
time.sleep(3)' "$PORT" &
SLOW=$!
sleep 0.3
expect "others are served meanwhile" test "$(code "$U/healthz")" = 200
wait "$SLOW"
seq 200 | xargs -P 200 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$U/api/v2.0/stats/?count=1" >"$T/many.out"
expect "200 concurrent clients, 200 answers 200" test "$(grep -c '^200$' "$T/many.out")" -eq 200
expect "exporterd still runs" kill -0 "$XP"
if is_root; then
	expect "as root it dropped to nobody, with seccomp" sh -c "grep -q '^Uid:[[:space:]]*65534' /proc/$XP/status && grep -q '^Seccomp:[[:space:]]*2' /proc/$XP/status"
fi
# a unix socket, and a disabled group
"$BIN/exporterd" --store "$S" --listen "unix:$T/x.sock" --disable-metrics network,percpu 2>>"$T/exporterd.err" &
XU=$!
on_exit "kill $XU 2>/dev/null"
wait_for 5 test -S "$T/x.sock"
curl -s --unix-socket "$T/x.sock" http://x/metrics >"$T/unix.metrics"
expect "--listen unix:PATH serves /metrics" grep -q '^container_memory_usage_bytes{' "$T/unix.metrics"
expect "--disable-metrics network: no network families" sh -c "! grep -q '^container_network_' '$T/unix.metrics'"
expect "--disable-metrics percpu: one cpu=\"total\" line per container" grep -q 'container_cpu_usage_seconds_total{cpu="total",id="/"' "$T/unix.metrics"
expect "the socket is mode 0660" test "$(stat -c %a "$T/x.sock")" = 660
kill "$XU"; wait "$XU"
# a socket left behind (its directory may not be the dropped user's to
# write) is replaced at the next start
"$BIN/exporterd" --store "$S" --listen "unix:$T/x.sock" 2>>"$T/exporterd.err" &
XU=$!
on_exit "kill $XU 2>/dev/null"
expect "a leftover socket is replaced at the next start" wait_for 5 \
    curl -sf -o /dev/null --unix-socket "$T/x.sock" http://x/healthz
kill "$XU"; wait "$XU"
expect_status "an unknown metric group is a usage error" 2 "$BIN/exporterd" --disable-metrics bogus

# cadv's own health, as cadvctl health says it: collectord's heartbeat a
# tick old, eventd's never (+Inf: not started here), the map's use; and
# collectord's heartbeat ageing once it stops
selfv() {	# selfv FILE SERIES: its value
	sed -n "s/^$2 \([^ ]*\)\$/\1/p" "$1"
}
curl -s "$U/metrics" >"$T/self.metrics"
"$BIN/cadvctl" --store "$S" health >"$T/health.txt"
iv=$(selfv "$T/self.metrics" cadv_collect_interval_seconds)
hb=$(selfv "$T/self.metrics" 'cadv_heartbeat_age_seconds{daemon="collectord"}')
expect "cadv_collect_interval_seconds is collectord's tick, as cadvctl health's ($iv s)" \
    test "$iv" = "$(sed -n 's/^interval_seconds \([0-9.]*\)$/\1/p' "$T/health.txt" | sed 's/0*$//; s/\.$//')"
expect "cadv_heartbeat_age_seconds{daemon=\"collectord\"} under two ticks ($hb s)" \
    "$PY" -c 'import sys; a, i = map(float, sys.argv[1:]); sys.exit(0 if 0 <= a < 2 * i else 1)' "$hb" "$iv"
expect "cadv_heartbeat_age_seconds{daemon=\"eventd\"} +Inf: eventd never ran on this store" \
    grep -qx 'cadv_heartbeat_age_seconds{daemon="eventd"} +Inf' "$T/self.metrics"
expect "cadv_store_map_used_ratio is used / size, as cadvctl health's bytes" "$PY" -c '
import sys
m = dict(l.split()[:2] for l in open(sys.argv[1]) if l.startswith("cadv_store_map"))
h = dict(l.split()[:2] for l in open(sys.argv[2]))
size, used, ratio = (float(m["cadv_store_map_" + k]) for k in ("size_bytes", "used_bytes", "used_ratio"))
ok = size == float(h["map_size_bytes"]) and 0 < used <= size and abs(ratio - used / size) < 1e-6
# a writer may add pages between the two reads
ok = ok and abs(used - float(h["map_used_bytes"])) <= 0.1 * size
sys.exit(0 if ok else 1)' "$T/self.metrics" "$T/health.txt"
stop_pipeline
sleep 2.5
hb2=$(curl -s "$U/metrics" | sed -n 's/^cadv_heartbeat_age_seconds{daemon="collectord"} \([^ ]*\)$/\1/p')
expect "collectord stopped: its heartbeat ages ($hb2 s after 2.5 s)" \
    "$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 2.5 else 1)' "$hb2"
kill "$XP"; wait "$XP"
expect "TERM: status 0" test $? -eq 0
stop_pipeline

# a --listen or --socket path that is a file, not a socket, is left alone;
# a socket someone listens on is not taken over
echo "precious" >"$T/afile"
expect_status "exporterd --listen unix: on a regular file: 1" 1 \
    "$BIN/exporterd" --store "$S" --listen "unix:$T/afile"
expect "names the reason" grep -q 'exists and is not a socket' "$T/.err"
expect_status "eventd --socket on a regular file: 1" 1 \
    "$BIN/eventd" --store "$T/s3" --kmsg /nonexistent --socket "$T/afile"
expect "the file is untouched" test "$(cat "$T/afile")" = precious
"$BIN/exporterd" --store "$S" --listen "unix:$T/live.sock" 2>>"$T/exporterd.err" &
XL=$!
on_exit "kill $XL 2>/dev/null"
wait_for 5 test -S "$T/live.sock"
expect_status "a second exporterd on a live socket: 1" 1 \
    "$BIN/exporterd" --store "$S" --listen "unix:$T/live.sock"
expect "names the reason" grep -q 'another process is listening' "$T/.err"
expect "the first still answers" curl -sf -o /dev/null --unix-socket "$T/live.sock" http://x/healthz
kill "$XL"; wait "$XL" 2>/dev/null
for bad in 127.0.0.1 127.0.0.1:0 127.0.0.1:70000 nohost:80 "[::1:80" unix:; do
	expect_status "--listen '$bad': 1 with a message" 1 "$BIN/exporterd" --store "$S" --listen "$bad"
done
