# Upgrades without hand work: a store written by schema 4's real daemons
# (tests/fixtures/store-v4, made by its make-fixture) is refused by readers,
# upgraded in place by whichever writer starts first with its events and
# live containers intact, and a store of a newer schema is set aside, never
# deleted.
. "$CADV_TOP/tests/lib.sh"

C="$BIN/cadvctl"
V4=$FIX/store-v4
# the fixture's events are old: no age limit, or eventd's policy would
# (rightly) drop them
AGE="--event-max-age default=876000h"

if ! have_pylmdb; then
	skip "store upgrades" "python3-lmdb not installed (make deps)"
	exit 0
fi

# v4 DIR: a copy of the schema-4 store
v4() { mkdir -p "$1" && cp "$V4/data.mdb" "$1/" && chmod -R a+rwX "$1"; }
# schema DIR_OR_FILE: the schema version stored there
schema() {
	"$PY" -c '
import lmdb, os, struct, sys
p = sys.argv[1]
env = lmdb.open(p, readonly=True, lock=False, max_dbs=8,
                subdir=os.path.isdir(p))
with env.begin() as t:
    print(struct.unpack("<I", t.get(b"schema", db=env.open_db(b"meta", txn=t)))[0])' "$1"
}
# entries DIR TABLE: the number of records in a table
entries() {
	"$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], readonly=True, max_dbs=8)
with env.begin() as t:
    print(t.stat(env.open_db(sys.argv[2].encode(), txn=t, create=False))["entries"])' "$1" "$2"
}
# same_events FILE: the fixture's events are the first ones of FILE, every
# field as schema 4's cadvctl printed it
same_events() {
	"$PY" -c '
import json, sys
old = json.load(open(sys.argv[1])); new = json.load(open(sys.argv[2]))
sys.exit(0 if len(old) == 14 and new[:len(old)] == old else 1)' "$V4/events.json" "$1"
}
# ls_ok FILE: every live container of the fixture is in FILE with its id
# and creation time; deleted ones (/…/gone) are not
ls_ok() {
	"$PY" -c '
import json, sys
old = json.load(open(sys.argv[1])); new = {c["name"]: c for c in json.load(open(sys.argv[2]))}
live = [c for c in old if c["live"]]
gone = [c for c in old if not c["live"]]
ok = len(live) == 10 and len(gone) == 1
for c in live:
    n = new.get(c["name"])
    ok = ok and n is not None and n["id"] == c["id"] and \
        n["creation_time_ns"] == c["creation_time_ns"] and n["spec"] == c["spec"]
for c in gone:
    ok = ok and c["name"] not in new
sys.exit(0 if ok else 1)' "$V4/containers.json" "$1"
}

expect "the fixture is a schema-4 store" test "$(schema "$V4/data.mdb")" -eq 4

# readers refuse it, naming both versions and who upgrades it
v4 "$T/r"
expect_status "cadvctl refuses a schema-4 store with exit 3" 3 "$C" --store "$T/r" ls
expect "the refusal names both versions and the upgrade" grep -q \
    "store has schema version 4, this cadv reads version 5 (collectord or eventd upgrades it when it starts)" "$T/.err"
expect "a reader leaves it as it was" test "$(schema "$T/r")" -eq 4

# eventd, a writer, upgrades it: events and live containers stay
v4 "$T/e"
"$BIN/eventd" --store "$T/e" --socket "$T/e.sock" --kmsg /nonexistent $AGE 2>"$T/e.err" &
ep=$!
on_exit "kill $ep 2>/dev/null"
wait_for 10 grep -q "upgraded the store" "$T/e.err"
expect "eventd logs one line naming both versions and what it kept" grep -q \
    "upgraded the store from schema 4 to 5: kept 14 events and 10 live containers, dropped 1 deleted or bad container records, 0 bad events and" "$T/e.err"
expect "the store is schema 5" test "$(schema "$T/e")" -eq 5
"$C" --store "$T/e" events --max -1 --json >"$T/e-ev.json"
expect "every event of the old store is there, field by field" same_events "$T/e-ev.json"
"$C" --store "$T/e" ls --all --json >"$T/e-ls.json"
expect "live containers keep their id, creation time and spec; deleted ones go" ls_ok "$T/e-ls.json"
expect "samples start afresh" test "$(entries "$T/e" samples)" -eq 0
expect_status "cadvctl check finds the upgraded store sound" 0 "$C" --store "$T/e" check
kill "$ep"
wait "$ep" 2>/dev/null
"$BIN/eventd" --store "$T/e" --socket "$T/e.sock" --kmsg /nonexistent $AGE 2>"$T/e2.err" &
ep=$!
wait_for 10 grep -q "store $T/e" "$T/e2.err"
kill "$ep"
wait "$ep" 2>/dev/null
expect "upgraded once: eventd started again changes nothing" sh -c \
    "! grep -q upgraded '$T/e2.err' && '$C' --store '$T/e' events --max -1 --json | cmp -s - '$T/e-ev.json'"

# collectord and eventd started together, as `make run` and the units do:
# one upgrades, the other waits and opens the result
R=$T/tree
mkdir -p "$R/a" "$R/b"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
v4 "$T/b"
"$BIN/eventd" --store "$T/b" --socket "$T/b.sock" --kmsg /nonexistent $AGE 2>"$T/b-ev.err" &
bp=$!
on_exit "kill $bp 2>/dev/null"
start_pipeline "$T/b" --root "$R"
wait_for 10 sh -c "'$C' --store '$T/b' ls | grep -q ' /a$'"
sleep 1
n=$(cat "$T/b-ev.err" "$T/collectord.err" | grep -c "upgraded the store from schema 4 to 5")
expect "with both writers starting at once, exactly one upgrades ($n)" test "$n" -eq 1
"$C" --store "$T/b" events --max -1 --json >"$T/b-ev.json"
expect "the events of the old store come first, unchanged" same_events "$T/b-ev.json"
expect "collectord samples the new tree" sh -c "'$C' --store '$T/b' stats /a >/dev/null"
expect "collectord marks the old containers it does not see deleted" sh -c \
    "'$C' --store '$T/b' events --type container_deletion --max -1 | grep -q '/cadv-fixture-[0-9]*/web'"
"$C" --store "$T/b" ls --all --json >"$T/b-ls.json"
expect "new containers get ids after the old ones" "$PY" -c '
import json, sys
old = max(c["id"] for c in json.load(open(sys.argv[1])))
new = [c for c in json.load(open(sys.argv[2])) if c["name"] in ("/a", "/b")]
sys.exit(0 if len(new) == 2 and all(c["id"] > old for c in new) else 1)' "$V4/containers.json" "$T/b-ls.json"
expect_status "cadvctl check: sound while both run" 0 "$C" --store "$T/b" check
stop_pipeline
kill "$bp"

# a newer schema (a downgrade): set aside whole, a fresh store started
v4 "$T/n"
"$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=8)
with env.begin(write=True) as t:
    t.put(b"schema", (6).to_bytes(4, "little"), db=env.open_db(b"meta", txn=t))' "$T/n"
expect_status "cadvctl refuses a newer store with exit 3" 3 "$C" --store "$T/n" ls
expect "the refusal says it is newer" grep -q "schema version 6, this cadv reads version 5 (written by a newer cadv)" "$T/.err"
"$BIN/eventd" --store "$T/n" --socket "$T/n.sock" --kmsg /nonexistent 2>"$T/n.err" &
np=$!
on_exit "kill $np 2>/dev/null"
wait_for 10 grep -q "set it aside" "$T/n.err"
aside=$(ls "$T/n" | grep '^data\.mdb\.schema6-' || :)
expect "the newer store is set aside under a name with its version ($aside)" test -n "$aside"
expect "eventd's log names the file" grep -q "the store had schema 6, this cadv writes 5: set it aside as $T/n/$aside and started a fresh store" "$T/n.err"
expect "the file set aside is the newer store, its events all there" test \
    "$("$PY" -c '
import lmdb, struct, sys
env = lmdb.open(sys.argv[1], readonly=True, lock=False, subdir=False, max_dbs=8)
with env.begin() as t:
    meta, evs = env.open_db(b"meta", txn=t), env.open_db(b"events", txn=t)
    print(struct.unpack("<I", t.get(b"schema", db=meta))[0], t.stat(evs)["entries"])' "$T/n/$aside")" = "6 14"
expect "a fresh schema-5 store is in its place" test "$(schema "$T/n")" -eq 5
expect_status "readers open the fresh store" 0 "$C" --store "$T/n" ls --all
kill "$np"
wait 2>/dev/null
exit 0
