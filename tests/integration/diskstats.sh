# The root's diskstats families against this machine's real
# /proc/diskstats: a live pipeline on the real cgroups samples the
# filesystems every second; each device's counters in a scrape lie between
# the kernel's read before the record was taken and after the scrape;
# after writing and fsyncing a file on the filesystem they grow, the
# sectors written by at least the file; the JSON API's v1 stats of "/"
# carry them as cAdvisor's FsStats.  A store without the table (of a
# collectord before it) is read without them.
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "diskstats" "curl is not installed (make deps)"
	exit 0
fi
if [ ! -r /proc/diskstats ]; then
	skip "diskstats" "no /proc/diskstats"
	exit 0
fi
PORT=$(free_port)
U=http://127.0.0.1:$PORT
S=$T/store
start_pipeline "$S" -- --fs-interval 1s
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "$U/healthz"

# check.py ROUND [PREV]: reads /proc/diskstats (A), waits for a scrape
# whose diskstats records are newer than A, reads it again (B); every
# device's counters must be A <= scraped <= B; with PREV, no counter went
# down and the sectors written grew by WANT_SECTORS at least.  Writes the
# scrape's values as JSON to ROUND.json.
cat >"$T/check.py" <<'PYEOF'
import json, os, re, sys, time, urllib.request
url, out = sys.argv[1], sys.argv[2]
prev = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None
want_sectors = int(os.environ.get("WANT_SECTORS", "0"))
FAM = {  # family: (diskstats counter index, divisor)
    "container_fs_reads_merged_total": (1, 1),
    "container_fs_sector_reads_total": (2, 1),
    "container_fs_read_seconds_total": (3, 1000),
    "container_fs_writes_merged_total": (5, 1),
    "container_fs_sector_writes_total": (6, 1),
    "container_fs_write_seconds_total": (7, 1000),
    "container_fs_io_current": (8, 1),
    "container_fs_io_time_seconds_total": (9, 1000),
    "container_fs_io_time_weighted_seconds_total": (10, 1000),
}
LINE = re.compile(r'^(\w+)\{device="([^"]*)",id="/",[^}]*\} (\S+) (\d+)$')

def kernel():
    d = {}
    for ln in open("/proc/diskstats"):
        f = ln.split()
        d[(int(f[0]), int(f[1]))] = [int(x) for x in f[3:14]]
    return d

def scrape():
    got, ts = {}, []
    with urllib.request.urlopen(url + "/metrics", timeout=10) as r:
        for ln in r.read().decode().splitlines():
            m = LINE.match(ln)
            if m and m.group(1) in FAM:
                got.setdefault(m.group(2), {})[m.group(1)] = float(m.group(3))
                ts.append(int(m.group(4)))
    return got, ts

a, ta = kernel(), time.time()
deadline = ta + 15
while True:
    got, ts = scrape()
    if got and min(ts) > ta * 1000 + 1:
        break
    if time.time() > deadline:
        sys.exit("no diskstats newer than the first read: %s" % got)
    time.sleep(0.2)
b = kernel()
bad = []
for dev, fams in got.items():
    st = os.stat(dev)
    key = (os.major(st.st_rdev), os.minor(st.st_rdev))
    if key not in a or key not in b:
        bad.append("%s: %s not in /proc/diskstats" % (dev, key))
        continue
    if set(fams) != set(FAM):
        bad.append("%s: families %s" % (dev, sorted(fams)))
    for fam, v in fams.items():
        i, div = FAM[fam]
        raw = round(v * div)
        if fam == "container_fs_io_current":
            continue        # a gauge: no bracket
        if not (a[key][i] <= raw <= b[key][i]):
            bad.append("%s %s: %s not within %s..%s" % (dev, fam, raw,
                                                        a[key][i], b[key][i]))
        if prev is not None and raw < round(prev[dev][fam] * div):
            bad.append("%s %s went down: %s -> %s" % (dev, fam,
                                                      prev[dev][fam], v))
    if prev is not None:
        grew = fams["container_fs_sector_writes_total"] - \
            prev[dev]["container_fs_sector_writes_total"]
        if os.environ.get("WROTE_ON") == dev and grew < want_sectors:
            bad.append("%s: %d sectors written, want >= %d" %
                       (dev, grew, want_sectors))
json.dump(got, open(out, "w"))
json.dump({"%d:%d" % k: v for k, v in a.items()}, open(out + ".before", "w"))
print("devices:", " ".join(sorted(got)))
for x in bad:
    print(x)
sys.exit(1 if bad or not got else 0)
PYEOF
expect "each filesystem device's counters lie between /proc/diskstats before the record and after the scrape" \
    "$PY" "$T/check.py" "$U" "$T/one.json"
cat "$T/one.json" >/dev/null 2>&1 || exit 0

# a file on the filesystem of $T, written and fsynced: its device grows
dev=$("$PY" -c '
import json, os, sys
want = os.stat(sys.argv[2]).st_dev
for d in json.load(open(sys.argv[1])):
    st = os.stat(d)
    if st.st_rdev == want:
        print(d)' "$T/one.json" "$T")
if [ -z "$dev" ]; then
	skip "counters grow after a write" "$T is on no filesystem with diskstats"
else
	"$PY" -c '
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
os.write(fd, os.urandom(8 << 20))
os.fsync(fd)
os.close(fd)' "$T/written"
	expect "after 8 MiB written and fsynced on $dev: between the reads again, nothing went down, 16384 sectors more written" \
	    env WROTE_ON="$dev" WANT_SECTORS=16384 "$PY" "$T/check.py" "$U" "$T/two.json" "$T/one.json"
fi

# the JSON API: the root's v1 stats carry cAdvisor's FsStats, the kernel's
# units, between the first read above and now
curl -s "$U/api/v1.3/containers/?count=3" >"$T/root.json"
expect "v1.3/containers/: every sample of / has cAdvisor's filesystem entries, counters between /proc/diskstats before and after" \
    "$PY" - "$T/root.json" "$T/one.json.before" <<'PYEOF'
import json, os, sys
sys.path.insert(0, os.environ["CADV_TOP"] + "/tests")
from cadvisor_fields import check, FsStats
d = json.load(open(sys.argv[1]))
before = json.load(open(sys.argv[2]))
after = {}
for ln in open("/proc/diskstats"):
    f = ln.split()
    after[f[0] + ":" + f[1]] = [int(x) for x in f[3:14]]
KEYS = ["reads_completed", "reads_merged", "sectors_read", "read_time",
        "writes_completed", "writes_merged", "sectors_written", "write_time",
        "io_in_progress", "io_time", "weighted_io_time"]
bad = []
if len(d["stats"]) < 2:
    bad.append("fewer than 2 samples")
for i, s in enumerate(d["stats"]):
    if not s.get("filesystem"):
        bad.append("sample %d: no filesystem" % i)
        continue
    for fs in s["filesystem"]:
        errors, extra = check(fs, FsStats)
        bad += errors + ["extra key " + x for x in extra]
for fs in d["stats"][-1].get("filesystem", []):
    st = os.stat(fs["device"])
    k = "%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
    for i, key in enumerate(KEYS):
        if key == "io_in_progress":
            continue
        if not before[k][i] <= fs[key] <= after[k][i]:
            bad.append("%s %s: %d not within %d..%d" % (fs["device"], key,
                       fs[key], before[k][i], after[k][i]))
    if fs["usage"] == 0 or fs["capacity"] < fs["usage"]:
        bad.append("%s: usage %d of %d" % (fs["device"], fs["usage"],
                                           fs["capacity"]))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
PYEOF
expect "a container other than / has no filesystem entries (cAdvisor's raw handler: the root only)" \
    sh -c "curl -s '$U/api/v1.3/subcontainers/' | '$PY' -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (len(d) > 1 and all(\"filesystem\" not in s for c in d if c[\"name\"] != \"/\" for s in c[\"stats\"])))'"
"$BIN/cadvctl" --store "$S" fs / --json >"$T/fs.json"
expect "cadvctl fs / --json: the root filesystem's diskstats counters, between the first read and now" \
    "$PY" -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
before = json.load(open(sys.argv[2]))
after = {}
for ln in open("/proc/diskstats"):
    f = ln.split()
    after[f[0] + ":" + f[1]] = [int(x) for x in f[3:14]]
k = "%d:%d" % (d["major"], d["minor"])
ds = d.get("diskstats")
keys = ["reads_completed", "reads_merged", "sectors_read", "read_time",
        "writes_completed", "writes_merged", "sectors_written", "write_time",
        "io_in_progress", "io_time", "weighted_io_time"]
sys.exit(not (k not in after and ds is None or ds is not None and all(
    before[k][i] <= ds[n] <= after[k][i] for i, n in enumerate(keys)
    if n != "io_in_progress")))' "$T/fs.json" "$T/one.json.before"
kill "$XP"
wait "$XP" 2>/dev/null
stop_pipeline
expect "cadvctl check: the diskstats records are sound" \
    sh -c "'$BIN/cadvctl' --store '$S' check | grep -qE ', [1-9][0-9]* diskstats, .*: consistent\$'"

# the store of a collectord before the table: the same scrape without them
if ! have_pylmdb; then
	skip "a store without the diskstats table" "python3-lmdb not installed (make deps)"
	exit 0
fi
cp -r "$S" "$T/old"
"$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=12)
with env.begin(write=True) as txn:
    txn.drop(env.open_db(b"diskstats", txn=txn, create=False), delete=True)' "$T/old"
chmod -R a+rX "$T/old"
"$BIN/exporterd" --store "$T/old" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
XP=$!
wait_for 5 curl -sf -o /dev/null "$U/healthz"
curl -s "$U/metrics" >"$T/old.metrics"
kill "$XP"
wait "$XP" 2>/dev/null
expect "a store without the table: the root's usage, no diskstats families" \
    sh -c "grep -q '^container_fs_usage_bytes{device=' '$T/old.metrics' && ! grep -q '^container_fs_io_current' '$T/old.metrics'"
expect "and cadvctl check reads it as consistent" \
    sh -c "'$BIN/cadvctl' --store '$T/old' check | grep -qE ', 0 diskstats, .*: consistent\$'"
