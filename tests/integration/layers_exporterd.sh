#!/bin/sh
# Issue 22: exporterd reads the store only through libcadv's public calls
# (cadv.h).  Its sources include no header of the store's own (nor one
# that includes one), call no store_* function and name no LMDB type; its
# objects call nothing of the store's directly.  A store header pulled in
# again, say by a module's header, fails here.
. "$CADV_TOP/tests/lib.sh"

SRC=$CADV_TOP/exporterd
FORBID='store|schema|storeident|storeminute|storedisk|storelayer|storeproc|ident|evreq|cadv_impl'

# the headers each source reads, its own and those they include in turn
: >"$T/deps"
for f in "$SRC"/*.c; do
	${CC:-cc} -MM -MG -D_GNU_SOURCE -I"$SRC" -I"$CADV_TOP/libdaemon" \
	    -I"$CADV_TOP/libparse" -I"$CADV_TOP/libstore" \
	    -I"$CADV_TOP/libcadv" "$f" >>"$T/deps" 2>>"$T/deps.err" ||
	    echo "cannot list $f" >>"$T/deps.bad"
done
expect "the compiler lists every exporterd source's headers" \
    test ! -s "$T/deps.bad" -a -s "$T/deps"
tr ' \\' '\n\n' <"$T/deps" | grep -E "/($FORBID)\.h\$|lmdb\.h\$" | sort -u >"$T/bad.h"
sed 's/^/# /' "$T/bad.h"
expect "exporterd reads no store header, directly or through another" \
    test ! -s "$T/bad.h"

grep -nE '(^|[^A-Za-z0-9_])(store_[a-z_]+[[:space:]]*\(|MDB_[A-Za-z]+|mdb_[a-z_]+[[:space:]]*\()' \
    "$SRC"/*.c "$SRC"/*.h >"$T/calls"
sed 's/^/# /' "$T/calls"
expect "exporterd's sources call no store_ function and name no LMDB type" \
    test ! -s "$T/calls"

# what the build made of them: nothing but cadv_* of the store's reads
OBJ=$CADV_BIN/../exporterd
if ls "$OBJ"/*.o >/dev/null 2>&1 && command -v nm >/dev/null; then
	nm -u "$OBJ"/*.o | grep -E ' (store_|mdb_|ident_|ev_match|ev_request)' \
	    | sort -u >"$T/undef"
	sed 's/^/# /' "$T/undef"
	expect "exporterd's objects call no store_, mdb_, ident_ or ev_ function" \
	    test ! -s "$T/undef"
else
	skip "exporterd's objects" "no objects beside $CADV_BIN, or no nm"
fi
cleanup
