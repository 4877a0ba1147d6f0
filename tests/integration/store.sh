# The store as other programs see it: lmdb-utils on a live store, a Python
# reader written from docs/SCHEMA.md, cadvctl's exit codes.
. "$CADV_TOP/tests/lib.sh"

S=$T/store
"$TBIN/storefill" --store "$S" --odd --containers 9 --samples 4 >/dev/null ||
	fail "storefill" "could not write a store"

# readers while a writer holds the environment open and keeps writing
"$TBIN/storefill" --store "$T/live" --containers 20 --samples 2 --hold 6 >"$T/fill.out" 2>&1 &
fill=$!
on_exit "kill $fill 2>/dev/null"
wait_for 10 grep -q ready "$T/fill.out"
if command -v mdb_stat >/dev/null; then
	expect "mdb_stat -a reads a live store" sh -c \
	    "mdb_stat -a '$T/live' >'$T/stat.out' && grep -q 'Status of samples' '$T/stat.out' && grep -q 'Status of containers' '$T/stat.out'"
	expect "mdb_dump -a reads a live store" sh -c \
	    "mdb_dump -a '$T/live' >'$T/dump.out' && grep -q '^database=samples' '$T/dump.out' && grep -q '^database=meta' '$T/dump.out'"
else
	skip "mdb_stat -a reads a live store" "lmdb-utils not installed (make deps)"
	skip "mdb_dump -a reads a live store" "lmdb-utils not installed (make deps)"
fi
expect "cadvctl ls while a writer runs" sh -c "'$BIN/cadvctl' --store '$T/live' ls | grep -q '/fill/c19'"
wait "$fill"
expect "writer exits cleanly" test $? -eq 0

# a reader written in Python from SCHEMA.md agrees with cadvctl
if have_pylmdb; then
	"$PY" "$TOP/tests/store_reader.py" "$S" ls >"$T/py-ls.json"
	"$BIN/cadvctl" --store "$S" ls --all --json >"$T/c-ls.json"
	expect "python reader: containers equal cadvctl ls --json" "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b and len(a) == 9 else 1)' "$T/py-ls.json" "$T/c-ls.json"
	ok=0 total=0
	for name in "/fill/with space" "$(printf '/fill/new\nline')" "$(printf '/fill/\377\376-invalid-utf8')" \
	    '/fill/quote"back\slash' "/fill/c8"; do
		total=$((total + 1))
		esc=$("$BIN/cadvctl" --store "$S" stats "$name" --count 3 --json | tee "$T/c-st.json" |
		    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["name"])')
		"$PY" "$TOP/tests/store_reader.py" "$S" stats "$esc" 3 >"$T/py-st.json" &&
		"$PY" -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b and len(a["stats"]) == 3 else 1)' "$T/py-st.json" "$T/c-st.json" && ok=$((ok + 1))
	done
	expect "python reader: samples equal cadvctl stats --json ($ok of $total names)" test "$ok" -eq "$total"
else
	skip "python reader agrees with cadvctl" "python3-lmdb not installed (make deps)"
fi

# cadvctl exit codes: 0 ok, 1 not found, 2 usage, 3 store unavailable
expect_status "cadvctl stats of a live container exits 0" 0 "$BIN/cadvctl" --store "$S" stats /fill/c8
expect_status "cadvctl stats of an unknown container exits 1" 1 "$BIN/cadvctl" --store "$S" stats /no/such
expect_status "cadvctl without a command exits 2" 2 "$BIN/cadvctl" --store "$S"
expect_status "cadvctl with an unknown command exits 2" 2 "$BIN/cadvctl" --store "$S" frobnicate
expect_status "cadvctl stats --count 0 exits 2" 2 "$BIN/cadvctl" --store "$S" stats /fill/c8 --count 0
expect_status "cadvctl stats with a '..' name exits 2" 2 "$BIN/cadvctl" --store "$S" stats /a/../b
expect_status "cadvctl on a missing store exits 3" 3 "$BIN/cadvctl" --store "$T/nothing" ls
expect "missing store message names the path" grep -q "$T/nothing" "$T/.err"
expect_status "cadvctl with a relative CADV_STORE exits 2" 2 env CADV_STORE=relative "$BIN/cadvctl" ls
expect_status "CADV_STORE selects the store" 0 env CADV_STORE="$S" "$BIN/cadvctl" stats /fill/c8

# a store of another schema version is refused and left alone
cp -r "$S" "$T/future"
if have_pylmdb; then
	"$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=8)
db = env.open_db(b"meta")
with env.begin(write=True, db=db) as t:
    t.put(b"schema", (99).to_bytes(4, "little"))' "$T/future"
	expect_status "cadvctl refuses a newer schema with exit 3" 3 "$BIN/cadvctl" --store "$T/future" ls
	expect "schema message names both versions" grep -q "schema version 99, this cadv reads version 4" "$T/.err"
	# a corrupt value is reported, not read
	"$PY" -c '
import lmdb, struct, sys
env = lmdb.open(sys.argv[1], max_dbs=8)
db = env.open_db(b"samples")
with env.begin(write=True, db=db) as t:
    for k, v in list(t.cursor()):
        t.put(k, v[:-3])' "$S"
	expect_status "a truncated sample is reported as corruption (exit 3)" 3 "$BIN/cadvctl" --store "$S" stats "/fill/with space"
	expect "corruption message names table and reason" grep -q "table samples.*ends inside" "$T/.err"
fi
