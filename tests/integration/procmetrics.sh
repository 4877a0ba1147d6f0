# process_* for each daemon (issue 19): collectord and eventd store their
# own /proc/self figures with their heartbeats; exporterd exports them,
# and its own, labelled by daemon.  Each value is checked against the
# daemon's /proc/PID/stat read by the test around the scrape.
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "process metrics" "curl is not installed (make deps)"
	exit 0
fi
S=$T/store
start_pipeline "$S" --root "$FIX/v2tree"
start_eventd "$S" --root "$FIX/v2tree"
PORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"
wait_for 15 sh -c "curl -s http://127.0.0.1:$PORT/metrics | grep -q 'process_cpu_seconds_total{daemon=\"eventd\"}' && curl -s http://127.0.0.1:$PORT/metrics | grep -q 'process_cpu_seconds_total{daemon=\"collectord\"}'"
curl -s "http://127.0.0.1:$PORT/metrics" >"$T/m"

# check DAEMON PID: the stored figures agree with /proc/PID now
check() {
	"$PY" - "$T/m" "$1" "$2" <<'PYEOF'
import os, re, sys
path, daemon, pid = sys.argv[1], sys.argv[2], sys.argv[3]
got = {}
for ln in open(path):
    m = re.match(r'^(process_[a-z_]+)\{daemon="%s"\} (\S+)' % daemon, ln)
    if m:
        got[m.group(1)] = float(m.group(2))
st = open("/proc/%s/stat" % pid).read()
f = st[st.rindex(")") + 2:].split()
tck = os.sysconf("SC_CLK_TCK")
cpu = (int(f[11]) + int(f[12])) / tck
btime = int([l for l in open("/proc/stat") if l.startswith("btime ")][0].split()[1])
start = btime + int(f[19]) / tck
bad = []
need = ["process_cpu_seconds_total", "process_max_fds", "process_open_fds",
        "process_resident_memory_bytes", "process_start_time_seconds",
        "process_virtual_memory_bytes"]
for n in need:
    if n not in got:
        bad.append(n + " missing")
if not bad:
    if not 0 <= got["process_cpu_seconds_total"] <= cpu + 0.01:
        bad.append("cpu %g, /proc says %g now" % (got["process_cpu_seconds_total"], cpu))
    if abs(got["process_start_time_seconds"] - start) > 0.02:
        bad.append("start %f, /proc %f" % (got["process_start_time_seconds"], start))
    if got["process_open_fds"] < 3 or got["process_resident_memory_bytes"] < 1 << 20:
        bad.append("fds %g rss %g" % (got["process_open_fds"], got["process_resident_memory_bytes"]))
    if got["process_max_fds"] == 0 or got["process_virtual_memory_bytes"] < got["process_resident_memory_bytes"]:
        bad.append("max fds %g vsize %g" % (got["process_max_fds"], got["process_virtual_memory_bytes"]))
print("; ".join(bad) or "ok: %s" % sorted(got.items()))
sys.exit(1 if bad else 0)
PYEOF
}
expect "collectord's process_* as /proc/$CP says" check collectord "$CP"
expect "eventd's process_* as /proc/$ED says" check eventd "$ED"
expect "exporterd's own, labelled daemon=\"exporterd\"" check exporterd "$XP"
expect "every process_* series names its daemon" \
    sh -c "! grep -E '^process_[a-z_]+ ' '$T/m'"
if command -v promtool >/dev/null 2>&1; then
	. "$CADV_TOP/tests/promcheck.sh"
	expect "promtool says nothing but cAdvisor's complaints" promcheck "$T/m"
fi
