# cadvctl check: a sound store passes; every kind of damage is named with
# its table, the walk goes on past it, and nothing crashes.
. "$CADV_TOP/tests/lib.sh"

S=$T/store
"$TBIN/storefill" --store "$S" --containers 5 --samples 20 --odd --events 10 >/dev/null
expect_status "a store storefill wrote is consistent (0)" 0 "$BIN/cadvctl" --store "$S" check
expect "and says so" grep -q ': consistent$' "$T/.out"
"$BIN/cadvctl" --store "$S" check --json >"$T/ok.json"
expect "--json: ok, with the record counts" has "$T/ok.json" 'd["ok"] is True and d["records"]["samples"] > 0 and d["problems"] == [] or d["x"]'
expect_status "no store there: 3" 3 "$BIN/cadvctl" --store "$T/none" check
expect_status "an argument it does not take: 2" 2 "$BIN/cadvctl" --store "$S" check --bogus

if ! have_pylmdb; then
	skip "cadvctl check on a damaged store" "python3-lmdb not installed (make deps)"
	exit 0
fi
# damage of each kind, written straight into LMDB
"$PY" - "$S" <<'PYEOF'
import struct, sys, lmdb
env = lmdb.open(sys.argv[1], max_dbs=8)
with env.begin(write=True) as txn:
    samples = env.open_db(b"samples", txn=txn, create=False)
    names = env.open_db(b"names", txn=txn, create=False)
    conts = env.open_db(b"containers", txn=txn, create=False)
    events = env.open_db(b"events", txn=txn, create=False)
    # a sample of a container that does not exist
    cur = txn.cursor(db=samples)
    cur.first()
    txn.put(struct.pack(">QQ", 1, 999999), cur.value(), db=samples)
    # a sample whose value is garbage (after its timestamp)
    cur.last()
    txn.put(cur.key(), struct.pack("<Q", 1) + b"\x01\x02\x03", db=samples)
    # a latest entry pointing at a round older than its container's newest
    latest = env.open_db(b"latest", txn=txn, create=False)
    lc = txn.cursor(db=latest)
    lc.first()
    txn.put(lc.key(), struct.pack("<Q", 1), db=latest)
    # a names entry pointing nowhere
    txn.put(struct.pack(">Q", 12345), struct.pack(">Q", 888888), db=names)
    # a container record cut short
    c = txn.cursor(db=conts)
    c.first()
    txn.put(c.key(), c.value()[:10], db=conts)
    # an event that does not decode
    e = txn.cursor(db=events)
    e.last()
    txn.put(e.key(), b"xx", db=events)
PYEOF
expect_status "a damaged store: 1" 1 "$BIN/cadvctl" --store "$S" check
cp "$T/.out" "$T/bad.txt"
expect "an orphan sample is named" grep -q '^samples .*container 999999, which does not exist' "$T/bad.txt"
expect "a garbage sample value is named" grep -q '^samples .*value does not decode' "$T/bad.txt"
expect "a names entry pointing nowhere is named" grep -q '^names .*container 888888, which does not exist' "$T/bad.txt"
expect "a truncated container record is named" grep -q '^containers .*record does not decode' "$T/bad.txt"
expect "an event that does not decode is named" grep -q '^events .*value does not decode' "$T/bad.txt"
expect "a stale latest entry is named" grep -q "^latest .*says round 1, but container .*'s newest sample is in round" "$T/bad.txt"
expect "the count of problems closes the report (6: no cascade of orphans)" grep -qE ': 6 problems$' "$T/bad.txt"
"$BIN/cadvctl" --store "$S" check --json >"$T/bad.json" 2>/dev/null
expect "--json lists the problems with table and key" has "$T/bad.json" 'd["ok"] is False and all(p["table"] and p["problem"] for p in d["problems"]) or d["x"]'
expect "check left the store as it was (still damaged, not 'repaired')" sh -c "'$BIN/cadvctl' --store '$S' check >/dev/null 2>&1; [ \$? -eq 1 ]"

# a latest entry of the wrong length: readers say which table, exit 3
"$TBIN/storefill" --store "$T/lat" --containers 1 --samples 2 >/dev/null
"$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=8)
with env.begin(write=True) as txn:
    db = env.open_db(b"latest", txn=txn, create=False)
    k = next(iter(txn.cursor(db=db)))[0]
    txn.put(k, b"abc", db=db)' "$T/lat"
name=$("$BIN/cadvctl" --store "$T/lat" ls --json | jv 'd[0]["name"]')
expect_status "stats through a bad latest entry: exit 3" 3 "$BIN/cadvctl" --store "$T/lat" stats "$name"
expect "the message names the latest table" grep -q "table latest" "$T/.err"
expect_status "check names it too (exit 1)" 1 "$BIN/cadvctl" --store "$T/lat" check
expect "as a latest record of the wrong size" grep -q "^latest .*not 8 bytes" "$T/.out"

# diskstats (an addition to schema 5): a short record, a short key
"$TBIN/storefill" --store "$T/ds" --containers 1 --samples 2 >/dev/null
"$PY" -c '
import lmdb, struct, sys
env = lmdb.open(sys.argv[1], max_dbs=12)
with env.begin(write=True) as txn:
    db = env.open_db(b"diskstats", txn=txn, create=False)
    txn.put(struct.pack(">IIQ", 8, 0, 1), b"\0" * 88, db=db)
    txn.put(struct.pack(">IIQ", 8, 0, 2), b"\0" * 87, db=db)
    txn.put(b"abc", b"\0" * 88, db=db)' "$T/ds"
expect_status "check: a bad diskstats record and key (exit 1)" 1 "$BIN/cadvctl" --store "$T/ds" check
expect "named in the diskstats table, the sound record not" sh -c "grep -q '^diskstats 0000000800000000000000000000000\?2: record does not decode' '$T/.out' && grep -q '^diskstats 616263: key is 3 bytes' '$T/.out' && grep -qE ', 3 diskstats, .*: 2 problems$' '$T/.out'"
