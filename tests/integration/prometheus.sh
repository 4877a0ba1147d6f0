# A real Prometheus server on loopback scrapes exporterd; a PromQL query
# through its HTTP API returns, for this test's own cgroup, the memory
# usage cadvctl shows for the same sample.
. "$CADV_TOP/tests/lib.sh"

if ! command -v prometheus >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	skip "Prometheus scrape" "prometheus or curl not installed (make deps)"
	exit 0
fi
if ! can_mkcg || [ ! -d /sys/fs/cgroup/memory ]; then
	skip "Prometheus scrape" "need root, or cgroups delegated by tests/run-as-user"
	exit 0
fi
P=${CGD}cadv-test-$$-p
M=/sys/fs/cgroup/memory/$P
mkdir "$M"
on_exit "rmdir '$M' 2>/dev/null"
# something to count: a sleeping process of ours with 8 MiB touched
"$TBIN/cgtask" --cg "$M" hog 8 60 >/dev/null 2>&1 &
HOG=$!
on_exit "kill $HOG 2>/dev/null"

S=$T/store
start_pipeline "$S"
XPORT=$(free_port)
PPORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$XPORT" 2>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
cat >"$T/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: cadv
    static_configs:
      - targets: ['127.0.0.1:$XPORT']
YML
mkdir "$T/tsdb"
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$PPORT" >"$T/prometheus.log" 2>&1 &
PP=$!
on_exit "kill $PP 2>/dev/null"
Q="http://127.0.0.1:$PPORT/api/v1/query"
query() {	# query PROMQL: the JSON answer
	curl -s -G --data-urlencode "query=$1" "$Q"
}
up() { query 'up{job="cadv"}' | grep -q '"value":\[[0-9.]*,"1"\]'; }
expect "Prometheus scrapes exporterd (up == 1)" wait_for 20 up
sel="container_memory_usage_bytes{id=\"/$P\"}"
wait_for 10 sh -c "curl -s -G --data-urlencode 'query=$sel' '$Q' | grep -q '\"value\"'"
# a range selector returns the raw samples with the timestamps exporterd
# gave them (an instant query would stamp them with the evaluation time)
sleep 2
query "$sel[1m]" >"$T/q.json"
"$BIN/cadvctl" --store "$S" stats "/$P" --count 120 --json >"$T/ctl.json"
expect "PromQL: container_memory_usage_bytes of our cgroup equals cadvctl's at that timestamp" "$PY" -c '
import json, sys
q = json.load(open(sys.argv[1]))["data"]["result"]
ctl = {s["timestamp_ns"] // 1000000: s["memory"]["usage"]
       for s in json.load(open(sys.argv[2]))["stats"]}
pairs = [(round(float(ts) * 1000), int(v)) for ts, v in q[0]["values"]]
matched = [(ts, v) for ts, v in pairs if ts in ctl]
ok = len(q) == 1 and matched and all(ctl[ts] == v for ts, v in matched) \
    and all(v >= 8 << 20 for ts, v in matched)
print("prometheus", pairs, "matched", matched, file=sys.stderr)
sys.exit(0 if ok else 1)' "$T/q.json" "$T/ctl.json"
kill "$PP" "$XP" "$HOG"
wait "$PP" "$XP" "$HOG" 2>/dev/null
stop_pipeline
