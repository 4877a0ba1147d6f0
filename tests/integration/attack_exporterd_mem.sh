# exporterd's memory per request is bounded (issue 17, finding 3): on a
# store of a few hundred live containers with a minute of samples each and
# 40,000 events, no single request (every container's samples, all of
# them, recursive v2 stats, an events query for the newest ten, /metrics)
# costs more than a few MiB of anonymous memory beyond exporterd's idle
# RSS, and its RSS is back at the idle level after each.  Before, answers
# were built whole as json-c objects (about 20 KiB a sample) and events
# gathered before max_events trimmed them: hundreds of MiB here, GiBs on
# bigger stores.  The answers stay those cadvctl gives.
. "$CADV_TOP/tests/lib.sh"
same_for_any_user "exporterd's memory under large answers; as root it serves as its unprivileged user already"

if ! command -v curl >/dev/null 2>&1; then
	skip "exporterd memory" "curl is not installed (make deps)"
	exit 0
fi
S=$T/store
"$TBIN/storefill" --store "$S" --containers 400 --samples 60 --events 40000 >/dev/null
PORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
U=http://127.0.0.1:$PORT
wait_for 5 curl -sf -o /dev/null "$U/healthz"

# sanitizers keep freed memory in quarantine and map shadow memory: the
# figures mean nothing there, the answers still do
SAN=0
grep -q __asan_init "$BIN/exporterd" && SAN=1

# Each request in turn: exporterd's RssAnon and VmRSS sampled every 2 ms
# while it answers, and VmRSS again once the answer is out.  Bounds: 6 MiB
# of anonymous memory at the peak; 24 MiB of RSS at the peak (the store's
# pages an answer reads are mapped while it reads them: page cache every
# reader shares, given back as it goes); 2 MiB of RSS after.
"$PY" - "$XP" "$PORT" "$SAN" "$T" >"$T/mem.out" 2>&1 <<'PYEOF'
import http.client, sys, threading, time
pid, port, san, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
MIB = 1024
def status():
    d = {}
    for l in open("/proc/%d/status" % pid):
        k, _, v = l.partition(":")
        if k in ("VmRSS", "RssAnon", "RssFile"):
            d[k] = int(v.split()[0])
    return d
def get(path, res):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    res["status"], res["n"] = r.status, len(body)
    open(tmp + "/body" + str(abs(hash(path))), "wb").write(body)
idle = None
fails = 0
for path in ["/healthz", "/api/v1.3/subcontainers/",
             "/api/v1.3/subcontainers/?count=-1",
             "/api/v2.0/stats/?recursive=true&count=-1",
             "/api/v2.0/events/?all_events=true&subcontainers=true&max_events=10",
             "/api/v2.0/events/?all_events=true&subcontainers=true&max_events=-1",
             "/api/v2.0/spec/?recursive=true", "/metrics"]:
    time.sleep(0.3)
    before = status()
    if idle is None:
        idle = before
    res = {}
    t = threading.Thread(target=get, args=(path, res))
    t0 = time.time()
    t.start()
    anon = rss = 0
    while t.is_alive():
        s = status()
        anon, rss = max(anon, s["RssAnon"]), max(rss, s["VmRSS"])
        time.sleep(0.002)
    took = time.time() - t0
    time.sleep(0.3)
    after = status()
    ok = res.get("status") == 200
    if not san:
        ok = ok and (anon - idle["RssAnon"] <= 6 * MIB and
                     rss - idle["VmRSS"] <= 24 * MIB and
                     after["VmRSS"] - idle["VmRSS"] <= 2 * MIB)
    fails += not ok
    print("%s %s: %s, %d bytes in %.2f s; RssAnon idle %d, peak %d KiB; "
          "VmRSS idle %d, peak %d, after %d KiB" % (
          "ok" if ok else "BAD", path, res.get("status"), res.get("n", -1),
          took, idle["RssAnon"], anon, idle["VmRSS"], rss, after["VmRSS"]))
sys.exit(1 if fails else 0)
PYEOF
rc=$?
sed 's/^/# /' "$T/mem.out"
if [ "$SAN" = 1 ]; then
	skip "exporterd memory bounds" "a sanitizer build: its allocator keeps what is freed (the answers are still checked)"
	expect "every request answered 200" test "$rc" -eq 0
else
	expect "no request costs exporterd more than 6 MiB of anonymous memory, and its RSS is back at idle after each" test "$rc" -eq 0
fi

# the same answers as cadvctl's
"$BIN/cadvctl" --store "$S" events --container / --subcontainers --max 10 --json >"$T/ctl.events"
curl -s "$U/api/v2.0/events/?all_events=true&subcontainers=true&max_events=10" >"$T/api.events"
expect "events max_events=10: the ten newest, as cadvctl events --max 10 gives them" "$PY" -c '
import json, sys
sys.path.insert(0, sys.argv[3])
from cadvisor_fields import covers
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if len(a) == 10 and covers(b, a) else 1)' "$T/api.events" "$T/ctl.events" "$CADV_TOP/tests"
"$BIN/cadvctl" --store "$S" stats /fill/c10 --count 60 --json >"$T/ctl.stats"
curl -s "$U/api/v2.0/stats/fill/c10?count=-1" >"$T/api.stats"
expect "v2.0/stats count=-1: every sample cadvctl stats shows, in order" "$PY" -c '
import json, sys
sys.path.insert(0, sys.argv[3])
from cadvisor_fields import covers
a, b = json.load(open(sys.argv[1]))["/fill/c10"], json.load(open(sys.argv[2]))["stats"]
sys.exit(0 if len(a) == 60 and covers(b, a) else 1)' "$T/api.stats" "$T/ctl.stats" "$CADV_TOP/tests"
curl -s "$U/api/v1.3/subcontainers/fill?count=-1" >"$T/api.subs"
expect "v1.3/subcontainers: every live container once, each with its 60 samples" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = [c["name"] for c in d]
live = d
sys.exit(0 if len(names) == len(set(names)) == 267 and
         all(len(c["stats"]) == 60 for c in live) else 1)' "$T/api.subs"
expect "exporterd still runs" kill -0 "$XP"
