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
		esc=$("$BIN/cadvctl" --store "$S" stats --raw-name "$name" --count 3 --json | tee "$T/c-st.json" |
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
	expect "schema message names both versions" grep -q "schema version 99, this cadv reads version [0-9]" "$T/.err"
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
	expect "the corruption is reported once ($(wc -l <"$T/.err") lines)" test "$(wc -l <"$T/.err")" -eq 1
	expect_status "cadvctl check reports it, exit 1" 1 "$BIN/cadvctl" --store "$S" check
	expect "cadvctl check names each bad record once" test \
	    "$(cat "$T/.out" "$T/.err" | grep -c "^samples [0-9a-f]*: ")" -eq \
	    "$("$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], readonly=True, max_dbs=8)
with env.begin() as t:
    print(t.stat(env.open_db(b"samples", txn=t, create=False))["entries"])' "$S")"
fi

# Names round-trip through cadvctl: every name `cadvctl ls` prints (JSON
# and text) is read back by stats, get and events as the same container;
# --raw-name takes the bytes; a malformed escape is a usage error.
# rt_names STORE PREFIX: id TAB name of each container below PREFIX, from
# ls --json (no tab or newline is left in a printed name)
rt_names() {
	"$BIN/cadvctl" --store "$1" ls --json | "$PY" -c '
import json, sys
for c in json.load(sys.stdin):
    if c["name"].startswith(sys.argv[1] + "/"):
        sys.stdout.buffer.write(("%d\t%s\n" % (c["id"], c["name"])).encode())' "$2"
}
# rt_want DIR PREFIX: what ls should print for the directories below DIR,
# from tests/cgname.py's escaper
rt_want() {
	"$PY" -c '
import os, sys
sys.path.insert(0, sys.argv[3] + "/tests")
from cgname import escape
top = os.fsencode(sys.argv[1])
for d, subs, _ in os.walk(top):
    for s in subs:
        rel = os.path.join(d, s)[len(top):]
        sys.stdout.buffer.write(("%s%s\n" % (sys.argv[2], escape(rel))).encode())' "$1" "$2" "$TOP" | sort
}
# rt_is FILE ID NAME: FILE is stats --json of container ID, named NAME
rt_is() {
	"$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["id"] == int(sys.argv[2]) and d["name"] == sys.argv[3] else 1)' "$@"
}
# roundtrip LABEL STORE DIR PREFIX FIELD: the containers made below DIR,
# their names beginning with PREFIX in the store; FIELD a sample field
# they all have, for get
roundtrip() {
	rl=$1 rs=$2 rd=$3 rp=$4 rf=$5
	rc="$BIN/cadvctl --store $rs"
	rt_want "$rd" "$rp" >"$T/rt-want.txt"
	wait_for 10 sh -c "[ \$($rc ls | grep -c ' $rp/') -ge $(wc -l <"$T/rt-want.txt") ]"
	sleep 1.2	# a sample of each, for get
	rt_names "$rs" "$rp" >"$T/rt-json.txt"
	cut -f 2 "$T/rt-json.txt" | sort >"$T/rt-json-names.txt"
	expect "$rl: ls --json prints each name in cadv's form ($(wc -l <"$T/rt-want.txt") names)" \
	    cmp -s "$T/rt-json-names.txt" "$T/rt-want.txt"
	$rc ls | sed -n 's/^[^ ]*  *live  //p' | grep "^$rp/" | sort >"$T/rt-text.txt"
	expect "$rl: plain ls prints the same names" cmp -s "$T/rt-text.txt" "$T/rt-want.txt"
	: >"$T/rt-bad"
	while IFS='	' read -r id name; do
		{ $rc stats "$name" --json --count 1 >"$T/rt-st.json" &&
		    rt_is "$T/rt-st.json" "$id" "$name"; } 2>>"$T/rt-bad" ||
		    echo "stats: $name" >>"$T/rt-bad"
		$rc events --container "$name" --type container_creation --max -1 --json 2>>"$T/rt-bad" |
		    "$PY" -c 'import json, sys; sys.exit(0 if [e["container_name"] for e in json.load(sys.stdin)] == [sys.argv[1]] else 1)' "$name" ||
		    echo "events: $name" >>"$T/rt-bad"
		$rc get "$name" "$rf" >/dev/null 2>>"$T/rt-bad" ||
		    echo "get: $name" >>"$T/rt-bad"
	done <"$T/rt-json.txt"
	expect "$rl: each name from ls --json, given back to stats, events --container and get, is the same container" \
	    test ! -s "$T/rt-bad"
	head -n 5 "$T/rt-bad"
	: >"$T/rt-bad"
	while IFS= read -r name; do
		id=-1
		while IFS='	' read -r i2 n2; do
			[ "$n2" != "$name" ] || id=$i2
		done <"$T/rt-json.txt"
		{ $rc stats "$name" --json --count 1 >"$T/rt-st.json" &&
		    rt_is "$T/rt-st.json" "$id" "$name"; } 2>>"$T/rt-bad" ||
		    echo "stats: $name" >>"$T/rt-bad"
	done <"$T/rt-text.txt"
	expect "$rl: each name from plain ls, given back to stats, is the same container" test ! -s "$T/rt-bad"
	head -n 5 "$T/rt-bad"
	expect "$rl: --raw-name takes each name's bytes as they are, for stats, get and events" "$PY" -c '
import json, subprocess, sys
sys.path.insert(0, sys.argv[4] + "/tests")
from cgname import unescape
ctl, store, field = sys.argv[1], sys.argv[2], sys.argv[5]
bad = []
def run(*a):
    return subprocess.run([ctl, "--store", store] + list(a), capture_output=True)
for line in open(sys.argv[3], "rb"):
    cid, name = line.rstrip(b"\n").split(b"\t", 1)
    raw = unescape(name.decode())
    st = run("stats", "--raw-name", raw, "--json", "--count", "1")
    if st.returncode != 0 or json.loads(st.stdout)["id"] != int(cid):
        bad.append(("stats", raw, st.stderr))
    if run("get", "--raw-name", raw, field).returncode != 0:
        bad.append(("get", raw))
    ev = run("events", "--container", raw, "--raw-name", "--type",
             "container_creation", "--json")
    if ev.returncode != 0 or [e["container_name"] for e in json.loads(ev.stdout)] != [name.decode()]:
        bad.append(("events", raw))
if bad:
    print(bad[:5])
sys.exit(1 if bad else 0)' "$BIN/cadvctl" "$rs" "$T/rt-json.txt" "$TOP" "$rf"
}
# odd DIR: directories named with bytes that need care in DIR, one below
# another too; cgroupfs refuses a newline (EINVAL), so not that one
odd() {
	mkdir "$1/"'back\slash' "$1/"'sysd\x2dlike' "$1/$(printf '\377ff')" \
	    "$1/$(printf 'caf\303\251 \011tab')" "$1/quote\"" \
	    "$1/$(printf 'c1\302\200')" &&
	mkdir "$1/"'back\slash'"/$(printf '\377')"
}

# a tree of directories, as a fixture: each odd name, a newline too
R=$T/names
mkdir -p "$R/n"
cp "$FIX/v2tree/cgroup.controllers" "$R/"
odd "$R/n"
mkdir "$R/n/$(printf 'new\nline')"
find "$R" -type d -exec sh -c 'echo "usage_usec 1" >"$1/cpu.stat"' _ {} \;
start_pipeline "$T/names.st" --root "$R"
roundtrip "names (fixture tree)" "$T/names.st" "$R/n" /n cpu.usage.total
stop_pipeline

# the bad spellings: exit 2 with the reason, from each command taking a name
C="$BIN/cadvctl --store $T/names.st"
for bad in '/n/a\x4' '/n/\q' '/n/back\' '/n/\xZZ' '/n/\xFF' '/n/sysd\x2dlike' '/n/back\slash'; do
	expect_status "malformed name $bad: stats exits 2" 2 $C stats "$bad"
	expect "malformed name $bad: the message says what is wrong" grep -q "malformed name: .* at byte" "$T/.err"
	expect_status "malformed name $bad: get exits 2" 2 $C get "$bad" cpu.usage.total
	expect_status "malformed name $bad: events --container exits 2" 2 $C events --container "$bad"
done
expect_status "--raw-name: a backslash is a backslash (stats)" 0 $C stats --raw-name '/n/back\slash'
expect_status "--raw-name: systemd's \\x2d is four bytes (get)" 0 $C get '/n/sysd\x2dlike' --raw-name cpu.usage.total
expect_status "--raw-name: a raw name that does not exist exits 1" 1 $C stats --raw-name '/n/sysd-like'
expect_status "the printed form of a literal \\x2d finds it" 0 $C stats '/n/sysd\\x2dlike'

# real cgroups of ours in the v1 memory hierarchy
M=/sys/fs/cgroup/memory
if ! can_mkcg; then
	skip "names of real cgroups round-trip" "need root, or cgroups delegated by tests/run-as-user"
elif [ ! -d $M ]; then
	skip "names of real cgroups round-trip" "no v1 memory hierarchy"
else
	P=${CGD}cadv-test-$$-n
	mkdir "$M/$P"
	on_exit "rmdir $M/$P/*/* $M/$P/* $M/$P 2>/dev/null"
	odd "$M/$P"
	if mkdir "$M/$P/$(printf 'new\nline')" 2>/dev/null; then
		pass "a real cgroup named with a newline"
	else
		skip "a real cgroup named with a newline" "cgroupfs refuses it (EINVAL); the fixture tree has one"
	fi
	start_pipeline "$T/cg.st" --root $M
	roundtrip "names (real cgroups)" "$T/cg.st" "$M/$P" "/$P" memory.usage
	stop_pipeline
fi
