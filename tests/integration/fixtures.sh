# collectord on fixture trees made from real kernel formats (v2 controller
# files do not exist on this machine): every record exactly as expected.
. "$CADV_TOP/tests/lib.sh"


# check TREE EXPECTED STORE: each container's spec and newest sample equal
# the expected document, field for field (absent stays absent)
check() {
	for name in $("$PY" -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$2" | tr ' ' '\001'); do
		name=$(printf '%s' "$name" | tr '\001' ' ')
		"$BIN/cadvctl" --store "$3" stats "$name" --json --count 1 >"$T/got.json" 2>"$T/got.err"
		expect "$1: $name parses into exactly the expected record" "$PY" -c '
import json, sys
want = json.load(open(sys.argv[1]))[sys.argv[3]]
got = json.load(open(sys.argv[2]))
s = got["stats"][-1]
for k in ("timestamp", "timestamp_ns"):
    del s[k]
bad = []
if got["spec"] != want["spec"]:
    bad.append("spec: got %s" % got["spec"])
if got["cgroup_version"] != want["cgroup_version"]:
    bad.append("cgroup_version")
if s != want["sample"]:
    for k in sorted(set(s) | set(want["sample"])):
        if s.get(k) != want["sample"].get(k):
            bad.append("%s: got %s want %s" % (k, s.get(k), want["sample"].get(k)))
if bad:
    print("\n".join(bad))
    sys.exit(1)' "$2" "$T/got.json" "$name"
	done
}

start_pipeline "$T/v2" --root "$FIX/v2tree"
sleep 1.2
check v2 "$FIX/v2tree.expected.json" "$T/v2"
expect "v2: three containers, no others" test "$("$BIN/cadvctl" --store "$T/v2" ls | tail -n +2 | wc -l)" -eq 3
stop_pipeline

start_pipeline "$T/v1" --root "$FIX/v1tree/memory" --root "$FIX/v1tree/cpuacct" \
    --root "$FIX/v1tree/cpu" --root "$FIX/v1tree/blkio" --root "$FIX/v1tree/pids"
sleep 1.2
check v1 "$FIX/v1tree.expected.json" "$T/v1"
stop_pipeline
