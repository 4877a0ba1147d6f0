# cadvctl reads the store through libcadv's public header alone: no
# source of it reaches a store header (directly or through another) or
# calls the store's own functions or LMDB's; cadv-health's figures come
# through cadvctl.  A damaged record is reported once.
. "$CADV_TOP/tests/lib.sh"

FORBIDDEN='store.h schema.h storeident.h storeminute.h storedisk.h storelayer.h storeproc.h ident.h evreq.h cadv_impl.h lmdb.h'
CC_=${CC:-cc}
INC="-I$TOP/libdaemon -I$TOP/libparse -I$TOP/libstore -I$TOP/libcadv -I/usr/include/json-c"

# headers FILE: every header FILE reaches, one a line
headers() {
	"$CC_" -std=gnu11 -D_GNU_SOURCE $INC -MM -MG "$1" 2>/dev/null |
	    tr ' \\' '\n\n' | sed -n 's|.*/||p' | sort -u
}
# offends FILE: prints what FILE reaches or calls of the store; status 0
# when there is any
offends() {
	o_bad=""
	o_hs=$(headers "$1")
	[ -n "$o_hs" ] || { echo "$1: the preprocessor read nothing"; return 0; }
	for h in $FORBIDDEN; do
		printf '%s\n' "$o_hs" | grep -qx "$h" && o_bad="$o_bad $h"
	done
	o_calls=$(grep -noE '\b(store_[a-z_]+|mdb_[a-z_]+) *\(|\bMDB_[A-Za-z_]+' "$1" | tr '\n' ' ')
	[ -n "$o_bad$o_calls" ] || return 1
	echo "$(basename "$1"):${o_bad:+ includes$o_bad}${o_calls:+ calls $o_calls}"
	return 0
}

# the check itself catches what it is for
mkdir -p "$T/plant"
printf '#include "cadvctl.h"\n#include "jsonfmt.h"\nint f(void);\nint f(void) { return 0; }\n' >"$T/plant/clean.c"
printf '#include "cadvctl.h"\n#include "storeident.h"\n' >"$T/plant/inc.c"
printf '#include "fsinfo2.h"\n' >"$T/plant/deep.c"
printf '#include "ident.h"\n' >"$T/plant/fsinfo2.h"
printf '#include "cadvctl.h"\nvoid g(struct store *s);\nvoid g(struct store *s) { store_close (s); }\n' >"$T/plant/call.c"
INC="$INC -I$T/plant"
if offends "$T/plant/clean.c" >"$T/o"; then fail "the check passes a clean file" "$(cat "$T/o")"; else pass "the check passes a clean file"; fi
offends "$T/plant/inc.c" >"$T/o"; expect "the check catches a store header included ($(cat "$T/o"))" grep -q storeident.h "$T/o"
offends "$T/plant/deep.c" >"$T/o"; expect "the check catches one reached through another header ($(cat "$T/o"))" grep -q ident.h "$T/o"
offends "$T/plant/call.c" >"$T/o"; expect "the check catches a call of the store's own ($(cat "$T/o"))" grep -q store_close "$T/o"

bad=""
n=0
for f in "$TOP"/cadvctl/*.c "$TOP"/cadvctl/*.h; do
	:
	n=$((n + 1))
	if offends "$f" >"$T/o"; then bad="$bad $(cat "$T/o");"; fi
done
expect "cadvctl's $n sources read through cadv.h alone${bad:+:$bad}" test -z "$bad" -a "$n" -ge 10
expect "cadvctl has no event query of its own (cadv_events)" sh -c "! grep -qE 'events_each|ev_match|cadv_event_matches' '$TOP'/cadvctl/cmd_events.c && grep -q 'cadv_events(' '$TOP'/cadvctl/cmd_events.c"
health_via_ctl() {	# its figures are cadvctl health's; nothing opens the store
	grep -qE '"\$ctl" (--store "\$store" )?health' "$1" &&
	    ! grep -qE 'mdb_[a-z]|import lmdb|data\.mdb|python|store_reader' "$1"
}
expect "cadv-health reads its figures through cadvctl, not the store" health_via_ctl "$TOP/scripts/cadv-health"
printf 'out=$("$ctl" health)\nmdb_stat -e "$store"\n' >"$T/plant/health"
if health_via_ctl "$T/plant/health"; then fail "the check sees a store tool in a script"; else pass "the check sees a store tool in a script"; fi

# a damaged record: each command says so once, naming its table, exit 3
if ! have_pylmdb; then
	skip "a damaged record is reported once" "python3-lmdb not installed (make deps)"
	exit 0
fi
S=$T/store
"$TBIN/storefill" --store "$S" --containers 4 --samples 5 --events 6 >/dev/null
"$PY" - "$S" <<'PYEOF'
import sys, lmdb
env = lmdb.open(sys.argv[1], max_dbs=16)
with env.begin(write=True) as txn:
    conts = env.open_db(b"containers", txn=txn, create=False)
    c = txn.cursor(db=conts)
    c.first(); c.next()
    txn.put(c.key(), c.value()[:10], db=conts)
    events = env.open_db(b"events", txn=txn, create=False)
    e = txn.cursor(db=events)
    e.last()
    txn.put(e.key(), b"xx", db=events)
PYEOF
once() {	# once NAME TABLE ARGS...
	o_name=$1 o_table=$2; shift 2
	expect_status "$o_name: a damaged record exits 3" 3 "$BIN/cadvctl" --store "$S" "$@"
	expect "$o_name: and is reported once, naming table $o_table ($(wc -l <"$T/.err") lines: $(head -c 200 "$T/.err"))" \
	    sh -c "test \$(wc -l <'$T/.err') -eq 1 && grep -q 'table $o_table' '$T/.err'"
}
once ls containers ls
once "ls --json" containers ls --json
once events events events
once "events --max -1" events events --max -1
once health containers health
once top containers top --iterations 1
