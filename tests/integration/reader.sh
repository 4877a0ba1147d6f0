# An outside reader that stays open (tests/store_reader.py watch, written
# from docs/SCHEMA.md) reads on while the map grows under it, and sees
# collectord's samples after; a reader that ignores MDB_MAP_RESIZED, as
# SCHEMA.md's example once did, fails there.
. "$CADV_TOP/tests/lib.sh"

if ! have_pylmdb; then
	skip "an outside reader across a grown map" "python3-lmdb not installed (make deps)"
	exit 0
fi
R=$T/tree
mkdir -p "$R/a"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
S=$T/store
start_pipeline "$S" --root "$R" -- --interval 200ms
"$PY" "$TOP/tests/store_reader.py" "$S" watch 8 >"$T/watch.out" 2>"$T/watch.err" &
rp=$!
on_exit "kill $rp 2>/dev/null"
# a reader as SCHEMA.md's example was: begin, with nothing else
"$PY" -c '
import lmdb, sys, time
env = lmdb.open(sys.argv[1], readonly=True, max_dbs=8)
end = time.time() + 6
while time.time() < end:
    with env.begin():
        pass
    time.sleep(0.1)' "$S" 2>"$T/naive.err" &
np=$!
on_exit "kill $np 2>/dev/null"
sleep 1.5
# another writer grows the map past the readers' 64 MiB: a table cadv does
# not know, which its readers pass over (SCHEMA.md)
"$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], map_size=256 << 20, max_dbs=16)
db = env.open_db(b"x-test-scratch")
with env.begin(write=True, db=db) as t:
    for i in range(80):
        t.put(b"%04d" % i, b"\0" * (1 << 20))' "$S"
wait "$np"
expect "a reader that does not handle MDB_MAP_RESIZED fails on the grown map" \
    grep -q MapResizedError "$T/naive.err"
wait "$rp"
expect "store_reader.py watch ran to the end" test $? -eq 0
expect "it adopted the grown map" awk '$2 >= 128 * 1048576 { f = 1 } END { exit !f }' "$T/watch.out"
expect "and saw new samples after it" awk '
	$2 >= 128 * 1048576 { if (n == 0) first = $1; n++; last = $1 }
	END { exit !(n >= 2 && last != first) }' "$T/watch.out"
expect "cadvctl reads the store with the unknown table" sh -c "'$BIN/cadvctl' --store '$S' stats /a >/dev/null"
stop_pipeline
exit 0
