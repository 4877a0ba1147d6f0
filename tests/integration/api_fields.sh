# exporterd's JSON API against cAdvisor's Go types (issue 19): every
# endpoint's answer, field by field, against the table of
# tests/cadvisor_fields.py (written from google/cadvisor info/v1 and
# info/v2): every key Go always writes is there with its JSON type, every
# key of a known field has its type; keys cAdvisor's types lack are
# listed (Go's decoder skips them).  Then cAdvisor's units and choices
# where cadv's own differ (PSI, id, limits), and the versions cAdvisor
# serves.  The store is storefill's (--idents: tests/tools/storefill.c)
# with apifill's root container, machine documents and an OOM kill.
. "$CADV_TOP/tests/lib.sh"
same_for_any_user "exporterd's JSON API on a filled store; as root it serves as its unprivileged user already"

if ! command -v curl >/dev/null 2>&1; then
	skip "api_fields" "curl is not installed (make deps)"
	exit 0
fi
S=$T/store
"$TBIN/storefill" --store "$S" --containers 12 --samples 3 --events 8 --idents >/dev/null
"$TBIN/apifill" "$S"
PORT=$(free_port)
U=http://127.0.0.1:$PORT
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "$U/healthz"
code() { curl -s -m 10 -o "$T/body" -w '%{http_code}' "$@"; }

# fields PATH TYPE [MIN]: PATH answers 200 with JSON of cAdvisor's TYPE (an
# expression over tests/cadvisor_fields.py), holding at least MIN samples
# or events where it has a list of them (so that their types are checked)
fields() {
	curl -s -m 20 -o "$T/f.json" -w '%{http_code}' "$U$1" >"$T/f.code"
	"$PY" - "$T/f.json" "$2" "${3:-0}" "$(cat "$T/f.code")" <<'PYEOF'
import json, sys
sys.path.insert(0, __import__("os").environ["CADV_TOP"] + "/tests")
from cadvisor_fields import *
path, texpr, need, status = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
if status != "200":
    print("status", status, open(path).read()[:300])
    sys.exit(1)
d = json.load(open(path))
errors, extra = check(d, eval(texpr))
def count(v):	# the samples or events in it: the longest list of objects
    if isinstance(v, list):
        return max([len(v)] + [count(x) for x in v])
    if isinstance(v, dict):
        return max([0] + [count(x) for x in v.values()])
    return 0
if count(d) < need:
    errors.append("fewer than %d samples or events" % need)
for e in errors[:15]:
    print("  ", e)
if extra:
    print("   cadv's own keys (Go skips them):", ", ".join(sorted(set(extra))[:12]),
          "..." if len(set(extra)) > 12 else "")
sys.exit(1 if errors else 0)
PYEOF
}

# ---- every endpoint, strictly ----
expect "v1.0/containers/ is a v1.ContainerInfo" fields "/api/v1.0/containers/?count=2" ContainerInfo 2
expect "v1.3/containers/fill/c0 (a podman container) is a v1.ContainerInfo" fields "/api/v1.3/containers/fill/c0" ContainerInfo 3
expect "v1.1/subcontainers/fill is a [v1.ContainerInfo]" fields "/api/v1.1/subcontainers/fill" '("arr", ContainerInfo)' 3
expect "v1.2/docker/ is a {name: v1.ContainerInfo}" fields "/api/v1.2/docker/" '("map", ContainerInfo)' 3
expect "v1.3/docker/dweb is a {name: v1.ContainerInfo}" fields "/api/v1.3/docker/dweb" '("map", ContainerInfo)' 3
expect "v1.0/machine is a v1.MachineInfo" fields "/api/v1.0/machine" MachineInfo
expect "v2.0/machine is a v1.MachineInfo" fields "/api/v2.0/machine" MachineInfo
expect "v2.0/version is a string" fields "/api/v2.0/version" STR
expect "v2.0/attributes is a v2.Attributes" fields "/api/v2.0/attributes" Attributes
expect "v2.0/stats/?recursive=true is a {name: [v2.DeprecatedContainerStats]}" \
    fields "/api/v2.0/stats/?recursive=true" '("map", ("arr", DeprecatedContainerStats))' 3
expect "v2.0/spec/?recursive=true is a {name: v2.ContainerSpec}" \
    fields "/api/v2.0/spec/?recursive=true" '("map", V2ContainerSpec)'
expect "v2.1/stats/?recursive=true is a {name: v2.ContainerInfo}" \
    fields "/api/v2.1/stats/?recursive=true" '("map", V2ContainerInfo)' 3
expect "v2.1/spec/fill/c1 is a {name: v2.ContainerSpec}" fields "/api/v2.1/spec/fill/c1" '("map", V2ContainerSpec)'
expect "v2.1/machinestats is a [v2.MachineStats]" fields "/api/v2.1/machinestats" '("arr", MachineStats)' 2
expect "v2.0/storage is a [v2.FsInfo]" fields "/api/v2.0/storage" '("arr", V2FsInfo)' 1
expect "v2.0/storage?label=root is a [v2.FsInfo]" fields "/api/v2.0/storage?label=root" '("arr", V2FsInfo)' 1
expect "v2.0/appmetrics/fill/c0 is cAdvisor's {name: {metric: {label: [value]}}}" \
    fields "/api/v2.0/appmetrics/fill/c0" '("map", ("map", ("map", ("arr", dict()))))'
expect "v2.0/events/?all_events=true&subcontainers=true is a [v1.Event]" \
    fields "/api/v2.0/events/?all_events=true&subcontainers=true&max_events=-1" '("arr", Event)' 10
expect "v1.3/events/?oom_kill_events=true&subcontainers=true is a [v1.Event]" \
    fields "/api/v1.3/events/?oom_kill_events=true&subcontainers=true" '("arr", Event)' 1

# ---- cAdvisor's values where cadv's own differ ----
val() {	# val PATH EXPR: EXPR over the answer d to PATH holds
	curl -s -m 20 "$U$1" >"$T/v.json"
	"$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print("  ", json.dumps(d)[:400])
sys.exit(0 if ok else 1)' "$T/v.json" "$2"
}
expect "v2.0/ps/ (every process, for the root) is a [v2.ProcessInfo]" \
    fields "/api/v2.0/ps/" '("arr", ProcessInfo)' 2
expect "v2.0/ps/ holds this test's shell" val /api/v2.0/ps/ '[p for p in d if p["pid"] == '$$']'

expect "v1 id: the runtime's id, a string (podman web1)" \
    val /api/v1.3/containers/fill/c0 'd["id"] == "00000000c0ffee00000000000000000000000000000000010000000000000005"'
expect "v1 id: none for a raw cgroup (the root)" val /api/v1.3/containers/ '"id" not in d'
expect "PSI: avg10 in percent as a float, total in microseconds" \
    val "/api/v1.3/containers/?count=1" 'd["stats"][0]["cpu"]["psi"]["some"]["avg10"] == 12.34 and d["stats"][0]["cpu"]["psi"]["some"]["total"] == 5000'
expect "spec: an unlimited CPU quota is left out, the period kept, the shares as limit" \
    val /api/v1.3/containers/ '"quota" not in d["spec"]["cpu"] and d["spec"]["cpu"]["period"] == 100000 and d["spec"]["cpu"]["limit"] == 1024'
expect "spec: unlimited memory is 2^64-1, as cAdvisor reads \"max\"" \
    val /api/v1.3/containers/ 'd["spec"]["memory"]["limit"] == 2**64 - 1'
expect "spec: has_* flags from what the container has" \
    val /api/v1.3/containers/ 'd["spec"]["has_cpu"] and d["spec"]["has_memory"] and d["spec"]["has_network"] and d["spec"]["has_diskio"] and d["spec"]["has_filesystem"] and not d["spec"]["has_custom_metrics"]'
expect "v2.0/stats: has_* beside each sample" \
    val "/api/v2.0/stats/?count=1" 'd["/"][0]["has_cpu"] is True and d["/"][0]["has_network"] is True'
expect "v2.1/stats leaves the root out (machinestats has it)" \
    val "/api/v2.1/stats/?recursive=true&count=1" '"/" not in d and "/fill/c0" in d and d["/fill/c0"]["spec"]["namespace"] == "podman"'
expect "v2.1/machinestats: the root's samples, newest last" \
    val "/api/v2.1/machinestats?count=2" 'len(d) == 2 and d[0]["timestamp"] < d[1]["timestamp"] and d[1]["cpu"]["usage"]["total"] == 2000'
expect "v1 stats: diskio io_service_bytes as PerDiskStats" \
    val "/api/v1.3/containers/?count=1" 'd["stats"][0]["diskio"]["io_service_bytes"][0]["stats"] == {"Read": 20, "Write": 40, "Total": 60}'

# ---- requests: cAdvisor's v1 client POSTs a ContainerInfoRequest ----
post() {	# post PATH BODY EXPR: EXPR over the answer d to BODY POSTed
	curl -s -m 20 -X POST --data-binary "$2" "$U$1" >"$T/p.json"
	"$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print("  ", json.dumps(d)[:300])
sys.exit(0 if ok else 1)' "$T/p.json" "$3"
}
curl -s "$U/api/v1.3/containers/fill/c0?count=3" | "$PY" -c '
import json, sys
print(" ".join(s["timestamp"] for s in json.load(sys.stdin)["stats"]))' >"$T/ts"
read -r T1 T2 T3 <"$T/ts"
expect "POST {num_stats: 2}: the newest two" \
    post /api/v1.3/containers/fill/c0 '{"num_stats":2}' '[s["timestamp"] for s in d["stats"]] == ["'"$T2"'", "'"$T3"'"]'
expect "POST with start and end: the samples between, both ends in" \
    post /api/v1.0/containers/fill/c0 '{"num_stats":-1,"start":"'"$T1"'","end":"'"$T2"'","unknown":1}' '[s["timestamp"] for s in d["stats"]] == ["'"$T1"'", "'"$T2"'"]'
expect "POST with start, end and num_stats 1: the newest between" \
    post /api/v1.0/containers/fill/c0 '{"num_stats":1,"start":"'"$T1"'","end":"'"$T2"'"}' '[s["timestamp"] for s in d["stats"]] == ["'"$T2"'"]'
expect "POST Go's zero times (as the client sends them unset): unbounded" \
    post /api/v1.1/subcontainers/fill '{"num_stats":60,"start":"0001-01-01T00:00:00Z","end":"0001-01-01T00:00:00Z"}' 'all(len(c["stats"]) == 3 for c in d)'
expect "POST to v1.2/docker/" post /api/v1.2/docker/ '{"num_stats":1}' 'all(len(c["stats"]) == 1 for c in d.values()) and len(d) == 2'
expect "GET with a body is read too" \
    sh -c "curl -s -X GET --data-binary '{\"num_stats\":1}' '$U/api/v1.3/containers/fill/c0' | grep -o '\"timestamp\":' | wc -l | grep -qx 1"
expect "a body of blanks is none (Go's io.EOF): the defaults" post /api/v1.3/containers/fill/c0 '   ' 'len(d["stats"]) == 3'
expect "a body that is not a ContainerInfoRequest: 400" \
    test "$(code -X POST --data-binary '[1]' "$U/api/v1.3/containers/")" = 400
expect "num_stats not a number: 400" \
    test "$(code -X POST --data-binary '{"num_stats":"x"}' "$U/api/v1.3/containers/")" = 400
head -c 5000 /dev/zero | tr '\0' ' ' >"$T/big"
expect "a body over 4 KiB: 413, answered" test "$(code -X POST --data-binary @"$T/big" "$U/api/v1.3/containers/")" = 413
expect "a chunked body over 4 KiB: 413, answered" \
    test "$(code -H 'Transfer-Encoding: chunked' -X POST --data-binary @"$T/big" "$U/api/v1.3/containers/")" = 413
expect "a body elsewhere: 400, answered" test "$(code -X GET --data-binary x "$U/healthz")" = 400
expect "POST elsewhere: 405" test "$(code -X POST "$U/metrics")" = 405
expect "v2 max_age: a Go duration is taken" test "$(code "$U/api/v2.0/stats/?max_age=1m30s&count=1")" = 200
expect "v2 max_age=0 is taken" test "$(code "$U/api/v2.1/stats/fill/c0?max_age=0&count=1")" = 200
expect "v2 max_age not a duration: 400" test "$(code "$U/api/v2.0/stats/?max_age=soon")" = 400

expect "malformed bodies and parameters: a 4xx each, never a crash" "$PY" - "$PORT" <<'PYEOF'
import http.client, random, sys
random.seed(19)
port = int(sys.argv[1])
seeds = [b'{"num_stats":1}', b'{"num_stats":-1,"start":"2020-01-01T00:00:00Z"}',
         b'{"num_stats":1e999}', b'{"num_stats":-2}', b'{"num_stats":99999999999999999999}',
         b'{"start":"0001-01-01T00:00:00Z","end":"9999-12-31T23:59:59.999999999+14:00"}',
         b'{"start":5}', b'{"end":null,"num_stats":null}', b'[' * 3000, b'{"a":' * 500,
         b'\xff\xfe{}', b'{"num_stats":1}garbage', b'"str"', b'null', b'{}' ]
paths = ["/api/v1.3/containers/", "/api/v1.1/subcontainers/fill", "/api/v1.2/docker/",
         "/api/v2.0/stats/?max_age=" + "9" * 40 + "h", "/api/v2.0/events/?max_events=-2&oom_events=tru",
         "/api/v2.0/events/?stream=1&start_time=x", "/api/v2.0/ps/%2e%2e/x", "/api/v2.1/machinestats?count=-2",
         "/api/v2.0/storage?label=%ff", "/api/v2.0/appmetrics/no/such"]
bad, dropped = [], []
for i in range(300):
    body = bytearray(random.choice(seeds))
    for _ in range(random.randint(0, 3)):
        if body:
            body[random.randrange(len(body))] = random.randrange(256)
    path = random.choice(paths)
    method = random.choice(["POST", "GET"])
    # a connection dropped once may be the machine's load (the header
    # deadline): asked again; twice is a failure
    for attempt in (0, 1):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            c.request(method, path, body=bytes(body))
            r = c.getresponse()
            r.read()
            if r.status >= 500 and "ps" not in path:
                bad.append((path, bytes(body[:40]), r.status))
            break
        except Exception as e:
            if attempt:
                bad.append((path, bytes(body[:40]), repr(e)))
            else:
                dropped.append(path)
        finally:
            c.close()
print(bad[:5]) if bad else None
print("   dropped once, answered again:", dropped) if dropped else None
sys.exit(1 if bad else 0)
PYEOF

# ---- events: cAdvisor's parameters ----
expect "no event type asked: none (cAdvisor's empty EventType set)" \
    val "/api/v2.0/events/?subcontainers=true&max_events=-1" 'd == []'
expect "booleans as Go's ParseBool reads them (1, T)" \
    val "/api/v2.0/events/?subcontainers=1&oom_kill_events=T&max_events=-1" 'len(d) >= 2 and all(e["event_type"] == "oomKill" for e in d)'
expect "a boolean Go cannot read is skipped" \
    val "/api/v2.0/events/?subcontainers=true&oom_events=yes" 'd == []'
expect "oom_events=true&oom_kill_events=false: only oom" \
    val "/api/v1.3/events/?subcontainers=true&oom_events=true&oom_kill_events=false&max_events=-1" 'len(d) >= 2 and all(e["event_type"] == "oom" for e in d)'

# ---- an OOM kill named as cAdvisor names it (its watchForNewOoms):
# "oom" on the killed task's cgroup, "oomKill" on the one whose limit was
# hit; apifill stored them as eventd does, the other way round ----
expect "oom: on the task's cgroup" \
    val "/api/v2.0/events/apifill/pod/task?oom_events=true" '[e["event_type"] for e in d] == ["oom"]'
expect "oomKill: on the limiting cgroup, with the pid and process name" \
    val "/api/v2.0/events/apifill/pod?oom_kill_events=true" '[(e["event_type"], e["event_data"]["oom"]["pid"], e["event_data"]["oom"]["process_name"]) for e in d] == [("oomKill", 4343, "hogs")]'
expect "no oom on the limiting cgroup, no oomKill on the task's" \
    val "/api/v1.3/events/apifill/pod?oom_events=true" 'd == []'
expect "...and the subtree holds both, same time, oom first" \
    val "/api/v2.0/events/apifill?subcontainers=true&all_events=true" '[(e["event_type"], e["container_name"]) for e in d] == [("oom", "/apifill/pod/task"), ("oomKill", "/apifill/pod")] and d[0]["timestamp"] == d[1]["timestamp"]'

# ---- ps of a container: its own processes, from /proc ----
if is_root && [ -d /sys/fs/cgroup/pids ]; then
	PCG=/cadvtest-apifields-$$
	mkdir "/sys/fs/cgroup/pids$PCG"
	on_exit "rmdir /sys/fs/cgroup/pids$PCG 2>/dev/null"
	sleep 60 &
	PSP=$!
	on_exit "kill $PSP 2>/dev/null; wait $PSP 2>/dev/null"
	echo "$PSP" >"/sys/fs/cgroup/pids$PCG/cgroup.procs"
	"$TBIN/apifill" "$S" "$PCG"
	expect "v2.0/ps/NAME is a [v2.ProcessInfo]" fields "/api/v2.0/ps$PCG" '("arr", ProcessInfo)' 1
	expect "v2.0/ps/NAME: the cgroup's process, as ps shows it" \
	    val "/api/v2.0/ps$PCG" '[(p["pid"], p["parent_pid"], p["cmd"], p["user"], p["cgroup_path"], p["status"][0]) for p in d] == [('"$PSP, $$"', "sleep", "root", "'"$PCG"'", "S")]'
	expect "v2.0/ps of a container the store lacks: 404" test "$(code "$U/api/v2.0/ps/no/such")" = 404
	expect "v2.0/ps of a stored container without a cgroup: 500 with a JSON error" \
	    sh -c "test \"\$(curl -s -o '$T/body' -w '%{http_code}' '$U/api/v2.0/ps/fill/c0')\" = 500 && grep -q '\"error\"' '$T/body'"
	kill "$PSP" 2>/dev/null
	wait "$PSP" 2>/dev/null
	rmdir "/sys/fs/cgroup/pids$PCG"
else
	skip "v2.0/ps/NAME" "needs root and a v1 pids hierarchy to make a cgroup"
fi

# ---- stream=true: one Event a line as it is stored (json.Encoder) ----
curl -sN -D "$T/stream.hdr" "$U/api/v1.3/events/apifill?all_events=true&subcontainers=true&stream=true" >"$T/stream.out" &
SP=$!
on_exit "kill $SP 2>/dev/null"
curl -sN "$U/api/v2.0/events/?creation_events=true&subcontainers=true&stream=true" >"$T/stream2.out" &
SP2=$!
on_exit "kill $SP2 2>/dev/null"
sleep 1
expect "a stream starts empty: live events only" test ! -s "$T/stream.out"
"$TBIN/apifill" "$S"
expect "a new OOM comes down the stream at once, one line an event" \
    wait_for 3 sh -c "[ \$(grep -c . '$T/stream.out') -ge 2 ]"
expect "each line is a v1.Event, the OOM named as cAdvisor names it" "$PY" -c '
import json, sys
sys.path.insert(0, sys.argv[2])
from cadvisor_fields import check, Event
lines = [l for l in open(sys.argv[1]) if l.strip()]
ev = [json.loads(l) for l in lines]
bad = [e for x in ev for e in check(x, Event)[0]]
print(bad[:5]) if bad else None
sys.exit(0 if not bad and [(e["event_type"], e["container_name"]) for e in ev] ==
         [("oom", "/apifill/pod/task"), ("oomKill", "/apifill/pod")] else 1)' "$T/stream.out" "$CADV_TOP/tests"
expect "chunked, as cAdvisor streams" grep -qi '^transfer-encoding: chunked' "$T/stream.hdr"
expect "a stream of another selection got none of it" test ! -s "$T/stream2.out"
expect "other requests are answered while streams wait" \
    sh -c "curl -s -m 2 '$U/healthz' | grep -qx ok"
expect "stream=true with start_time: 400 (cAdvisor's watch takes none)" \
    test "$(code "$U/api/v2.0/events/?all_events=true&stream=true&start_time=2020-01-01T00:00:00Z")" = 400
expect "a quiet stream gets a blank line within 10 s (a client gone is found)" \
    wait_for 12 sh -c "[ \$(wc -c <'$T/stream2.out') -ge 1 ]"
kill $SP2 2>/dev/null

# ---- versions: cAdvisor's only, each with its endpoints ----
for v in v1.0 v1.1 v1.2 v1.3 v2.0 v2.1; do
	case $v in v1.*) ep=containers ;; *) ep=spec ;; esac
	expect "/api/$v/$ep/ answers" test "$(code "$U/api/$v/$ep/")" = 200
done
for v in v1.4 v1.10 v2.2 v3.0 v1 v2; do
	expect "/api/$v/: not a version cAdvisor serves (404)" test "$(code "$U/api/$v/machine")" = 404
done
expect "v1.0 has no subcontainers (v1.1 added them)" test "$(code "$U/api/v1.0/subcontainers/")" = 404
expect "v1.1 has no docker (v1.2 added it)" test "$(code "$U/api/v1.1/docker/")" = 404
expect "v1.2 has no events (v1.3 added them)" test "$(code "$U/api/v1.2/events/")" = 404
expect "v2.0 has no machinestats (v2.1 added it)" test "$(code "$U/api/v2.0/machinestats")" = 404
expect "exporterd still runs" kill -0 "$XP"
kill "$XP"
ended() { ! kill -0 "$XP" 2>/dev/null; }
expect "exporterd ends on SIGTERM with a stream waiting" wait_for 5 ended
expect "...cleanly (libmicrohttpd stops with no connection suspended)" \
    sh -c "! grep -q 'Fatal\\|suspended' '$T/exporterd.err'"
