# exporterd's v2.0/summary: cAdvisor's DerivedStats (info/v2) from the
# minutes collectord keeps a day (docs/SCHEMA.md "minutes").  A day and
# more of minutes written by tests/tools/minutefill as collectord writes
# them: the fields against tests/cadvisor_fields.py's DerivedStats, and
# the minute's, hour's and day's values against cAdvisor's arithmetic
# written again here (summary/percentiles.go: the running mean of the
# minutes' means, the max of their maxes, 50/90/95th percentiles of their
# 90th, rank p x (n + 1) interpolated); recursive, type=docker, versions;
# cadvctl summary the same.
# Then the live path: collectord at 1 s over a cgroup of the test's own
# with a busy process in it, until one whole minute closes: its record and
# the endpoint's minute_usage (cpu in millicores: one cpu at most, 1000).
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "summary" "curl is not installed (make deps)"
	exit 0
fi
S=$T/store
"$TBIN/storefill" --store "$S" --containers 12 --samples 3 --idents >/dev/null
# /fill/c0 more than a day of minutes, /fill/c1 (docker "dweb") half an
# hour, /fill/c3 200 minutes with every 4th missing; the others none
"$TBIN/minutefill" "$S" /fill/c0 fill 1500
"$TBIN/minutefill" "$S" /fill/c1 fill 30
"$TBIN/minutefill" "$S" /fill/c3 fill 200 4
PORT=$(free_port)
U=http://127.0.0.1:$PORT
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "$U/healthz"
code() { curl -s -m 10 -o "$T/body" -w '%{http_code}' "$@"; }

# summary PATH NAME N GAP: PATH's answer holds NAME's DerivedStats of
# cAdvisor's type, as minutefill's N minutes (GAP: every GAP-th left out)
# make them, and latest_usage from NAME's newest two samples
summary() {
	"$BIN/cadvctl" --store "$S" stats "$2" --json >"$T/stats.json" 2>/dev/null
	"$PY" - "$U$1" "$2" "$3" "$4" "$T/stats.json" <<'PYEOF'
import calendar, json, os, sys, time, urllib.request
sys.path.insert(0, os.environ["CADV_TOP"] + "/tests")
from cadvisor_fields import check, DerivedStats
url, name, n, gap, stats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
M = 60

def pct(vals, p):	# summary/percentiles.go GetPercentile
    s = sorted(vals)
    if not s or p < 0 or p > 1:
        return 0
    r = p * (len(s) + 1)
    i = int(r)
    f = r - i
    i = min(max(i, 1), len(s))
    v = float(s[i - 1])
    if 1 < i < len(s):
        v += f * (s[i] - s[i - 1])
    return int(v)

def mean(vals):		# its running mean
    m = 0.0
    for c, v in enumerate(vals, 1):
        m = float(v) if c == 1 else (m * (c - 1) + v) / c
    return int(m)

def perc(recs, k, present):
    if not present:
        return {"present": False, "mean": 0, "max": 0, "fifty": 0, "ninety": 0, "ninetyfive": 0}
    nin = [r[k]["ninety"] for r in recs]
    return {"present": True, "mean": mean([r[k]["mean"] for r in recs]),
            "max": max(r[k]["max"] for r in recs), "fifty": pct(nin, 0.5),
            "ninety": pct(nin, 0.9), "ninetyfive": pct(nin, 0.95)}

def usage(recs, want):
    return {"percent_complete": min(100, len(recs) * 100 // want),
            "cpu": perc(recs, "cpu", bool(recs)),
            "memory": perc(recs, "memory", bool(recs))}

for attempt in range(3):
    q0 = time.time()
    d = json.load(urllib.request.urlopen(url, timeout=20))
    q1 = time.time()
    if int(q0) // M == int(q1) // M:
        break
cur = int(q0) // M * M
if name not in d:
    sys.exit("no %s in %s" % (name, list(d)))
got = d[name]
errors, extra = check(got, DerivedStats)
if errors or extra:
    sys.exit("not cAdvisor's DerivedStats: %s %s" % (errors, extra))
want = {}
if n:
    # minutefill's records: minute n - 1 is the one before it ran (left
    # out with a gap); the answer's timestamp ends the newest written
    kept = [i for i in range(n) if not (gap and i % gap == gap - 1)]
    last = calendar.timegm(time.strptime(got["timestamp"][:19], "%Y-%m-%dT%H:%M:%S")) - M + (n - 1 - kept[-1]) * M
    recs = []
    for i in range(n):
        if gap and i % gap == gap - 1:
            continue
        v, m = (i + 1) * 10, (i + 1) << 20
        recs.append({"start": last - (n - 1 - i) * M,
                     "cpu": {"mean": v, "max": 2 * v, "fifty": v, "ninety": v, "ninetyfive": v},
                     "memory": {"mean": m, "max": 2 * m, "fifty": m, "ninety": m, "ninetyfive": m}})
    day = [r for r in recs if cur - 1440 * M <= r["start"] < cur]
    hour = [r for r in day if r["start"] >= cur - 60 * M]
    newest = day[-1]
    want["minute_usage"] = {"percent_complete": 100,
                            "cpu": dict(newest["cpu"], present=True),
                            "memory": dict(newest["memory"], present=True)}
    want["hour_usage"] = usage(hour, 60)
    want["day_usage"] = usage(day, 1440)
    want["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(newest["start"] + M))
else:
    for k in ("minute_usage", "hour_usage", "day_usage"):
        want[k] = usage([], 60)
    want["timestamp"] = "0001-01-01T00:00:00Z"
# latest_usage: the newest two samples' cpu rate, the newest working set
st = json.load(open(stats))["stats"]
a, b = st[-2], st[-1]
dt = b["timestamp_ns"] - a["timestamp_ns"]
ca, cb = (x.get("cpu", {}).get("usage", {}).get("total") for x in (a, b))
ok = ca is not None and cb is not None and dt >= 10**7 and cb >= ca
want["latest_usage"] = {"cpu": (cb - ca) * 1000 // dt if ok else 0,
                        "memory": b.get("memory", {}).get("working_set", 0)}
bad = []
for k, w in want.items():
    g = got[k]
    if k == "timestamp":
        g = g[:len(w)]
    if g != w:
        bad.append("%s: got %s, want %s" % (k, g, w))
if bad:
    sys.exit("\n".join(bad))
PYEOF
}

expect "summary: a day and more of minutes: the day's 1440, the hour's 60, 100 % each" \
    summary /api/v2.0/summary/fill/c0 /fill/c0 1500 0
expect "summary: half an hour: hour 50 %, day 2 %" \
    summary /api/v2.0/summary/fill/c1 /fill/c1 30 0
expect "summary: minutes missing (every 4th): hour 75 %, percentiles of those there" \
    summary /api/v2.0/summary/fill/c3 /fill/c3 200 4
expect "summary: no minutes yet: cAdvisor's zero DerivedStats, latest_usage from the samples" \
    summary /api/v2.0/summary/fill/c4 /fill/c4 0 0
# cadv's ?minutes=true: the day's closed minutes themselves, oldest first
# (the web page's hour and day charts); a bad value is a 400
expect "summary ?minutes=true: /fill/c1's 30 minutes, oldest first, as minutefill wrote them" "$PY" -c "
import json, sys, urllib.request
d = json.load(urllib.request.urlopen('$U/api/v2.0/summary/fill/c1?minutes=true'))['/fill/c1']
m = d['minutes']
ok = len(m) == 30 and all(a['start_ns'] < b['start_ns'] for a, b in zip(m, m[1:]))
ok = ok and m[0]['cpu']['mean'] == 10 and m[-1]['memory']['mean'] == 30 << 20 and m[0]['percent_complete'] == 100
sys.exit(0 if ok else 1)"
expect "summary without it: no minutes key (cAdvisor's DerivedStats alone)" "$PY" -c "
import json, sys, urllib.request
d = json.load(urllib.request.urlopen('$U/api/v2.0/summary/fill/c1'))['/fill/c1']
sys.exit(1 if 'minutes' in d else 0)"
expect "summary ?minutes=maybe: 400" test "$(code "$U/api/v2.0/summary/fill/c1?minutes=maybe")" = 400
expect "summary: v2.1 serves it too" \
    summary /api/v2.1/summary/fill/c1 /fill/c1 30 0
expect "summary: type=docker names a container by its docker name" \
    summary "/api/v2.0/summary/dweb?type=docker" /fill/c1 30 0
expect "summary: recursive: the subtree, each of them" \
    summary "/api/v2.0/summary/fill?recursive=true" /fill/c3 200 4
expect "summary: recursive: every live container of the subtree, keyed by name" \
    sh -c "curl -s '$U/api/v2.0/summary/fill?recursive=true' | '$PY' -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not {\"/fill/c0\", \"/fill/c1\", \"/fill/c3\", \"/fill/c4\"} <= set(d) or any(not k.startswith(\"/fill\") for k in d))'"
expect "summary: without recursive, the one container" \
    sh -c "curl -s '$U/api/v2.0/summary/fill/c0' | '$PY' -c 'import json,sys; sys.exit(list(json.load(sys.stdin)) != [\"/fill/c0\"])'"
same_as_api() {	# same_as_api NAME ARG: cadvctl summary ARG --json is the API's
	curl -s "$U/api/v2.0/summary$1" >"$T/api.json" &&
	    "$BIN/cadvctl" --store "$S" summary "$2" --json >"$T/ctl.json" &&
	    "$PY" -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); sys.exit(a != b)' "$T/api.json" "$T/ctl.json"
}
expect "cadvctl summary NAME --json: the API's answer" same_as_api /fill/c3 /fill/c3
expect "cadvctl summary by docker name: the same" same_as_api /fill/c1 dweb
expect "cadvctl summary: a table with the hour half done" \
    sh -c "'$BIN/cadvctl' --store '$S' summary dweb | grep -Eq '^hour +50% +[0-9]+'"
expect_status "cadvctl summary of an unknown container: 1" 1 "$BIN/cadvctl" --store "$S" summary /no/such
expect "cadvctl check: the minutes counted, consistent" \
    sh -c "'$BIN/cadvctl' --store '$S' check | grep -q ', 1680 minutes, [0-9]* idents: consistent\$'"
expect "summary: v1.3 has no summary: 404" test "$(code "$U/api/v1.3/summary/fill/c0")" = 404
expect "summary: an unknown container: 404" test "$(code "$U/api/v2.0/summary/no/such")" = 404
expect "summary: a bad type: 400" test "$(code "$U/api/v2.0/summary/fill/c0?type=rkt")" = 400
kill "$XP"
wait "$XP" 2>/dev/null
"$TBIN/minutefill" "$S" /fill/c4 bad
expect_status "cadvctl check: a minute record that does not decode, a key off a minute: 1" 1 \
    "$BIN/cadvctl" --store "$S" check --json
expect "...each named" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = [x for x in d["problems"] if x["table"] == "minutes"]
print(d["records"]["minutes"], p)
sys.exit(not (d["records"]["minutes"] == 1682 and len(p) == 2))' "$T/.out"

# ---- the live path: a cgroup of the test's own, one busy process ----
CPUACCT=/sys/fs/cgroup/cpuacct MEMCG=/sys/fs/cgroup/memory
if ! is_root || [ ! -d "$CPUACCT" ] || [ ! -d "$MEMCG" ]; then
	skip "summary: live minute" "needs root and v1 cpuacct and memory hierarchies"
	exit 0
fi
CG=/cadvtest-summary-$$
mkdir "$CPUACCT$CG" "$MEMCG$CG"
on_exit "rmdir $CPUACCT$CG $MEMCG$CG 2>/dev/null"
# in both cgroups before it runs, so that its pages are the cgroup's
sh -c 'echo $$ >"$1/cgroup.procs"; echo $$ >"$2/cgroup.procs"; exec sh -c "while :; do :; done"' \
    busy "$CPUACCT$CG" "$MEMCG$CG" &
BUSY=$!
on_exit "kill $BUSY 2>/dev/null"
L=$T/live
start_pipeline "$L" -- --interval 1s
wait_for 10 "$BIN/cadvctl" --store "$L" stats "$CG" >/dev/null
# the first minute is whatever was left of it; the next one is whole
whole() {
	"$TBIN/minutefill" "$L" "$CG" dump >"$T/dump" 2>/dev/null &&
	    [ "$(wc -l <"$T/dump")" -ge 2 ]
}
expect "summary: live: a whole minute closes at 1 s a sample" wait_for 130 whole
stop_pipeline
# one busy process is at most one cpu, 1000 millicores (jitter aside); on
# a loaded machine it gets less
expect "summary: live: its record: 55 or more samples, their rates, 100 %, cpu of one busy process (100 to 1100 millicores on average, none above 1200), memory" \
    "$PY" -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][1]
print(r)
ok = (r["start"] % (60 * 10**9) == 0 and 55 <= r["nsamples"] <= 61 and
      r["nrates"] == r["nsamples"] and r["percent"] == 100 and r["flags"] == 3 and
      100 <= r["cpu"][0] <= 1100 and r["cpu"][1] <= 1200 and
      r["cpu"][1] >= r["cpu"][4] >= r["cpu"][3] >= r["cpu"][2] and
      0 < r["memory"][0] <= r["memory"][1])
sys.exit(not ok)' "$T/dump"
"$BIN/exporterd" --store "$L" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "$U/healthz"
expect "summary: live: the endpoint's minute_usage is the newest record, its hour both minutes" \
    sh -c "curl -s '$U/api/v2.0/summary$CG' >'$T/live.json' && '$PY' -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
d = json.load(open(sys.argv[2]))[sys.argv[3]]
m, r = d[\"minute_usage\"], recs[-1]
keys = [\"mean\", \"max\", \"fifty\", \"ninety\", \"ninetyfive\"]
ok = (m[\"percent_complete\"] == r[\"percent\"] and
      [m[\"cpu\"][k] for k in keys] == r[\"cpu\"] and
      [m[\"memory\"][k] for k in keys] == r[\"memory\"] and
      d[\"hour_usage\"][\"cpu\"][\"max\"] == max(x[\"cpu\"][1] for x in recs) and
      d[\"hour_usage\"][\"percent_complete\"] == len(recs) * 100 // 60 and
      0 < d[\"latest_usage\"][\"cpu\"] <= 1200)
sys.exit(not ok)' '$T/dump' '$T/live.json' '$CG'"
kill "$XP"
wait "$XP" 2>/dev/null
