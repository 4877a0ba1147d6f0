# The manual (docs/man): every page renders without a warning (groff -ww,
# man -l), as installed under a MANPATH; every call cadv.h declares has a
# page of section 3 (its group's, or a .so naming one that exists); and
# cadv(3)'s EXAMPLE compiles and reads a real store.
. "$CADV_TOP/tests/lib.sh"

if ! command -v groff >/dev/null 2>&1 || ! command -v man >/dev/null 2>&1; then
	skip "man pages" "groff or man is not installed"
	exit 0
fi
M=$T/man
for s in 1 3 8; do
	mkdir -p "$M/man$s"
	cp "$TOP"/docs/man/*."$s" "$M/man$s/"
done

# as installed: a .so names man3/PAGE.3, found from the tree's top
bad=""
for p in "$M"/man*/*.[138]; do
	rel=${p#"$M"/}
	out=$(cd "$M" && groff -s -man -ww -z "$rel" 2>&1)
	[ -z "$out" ] || bad="$bad $rel: $out;"
	(cd "$M" && MANWIDTH=80 man -l "$rel" >"$T/page.out" 2>"$T/page.err")
	[ ! -s "$T/page.err" ] || bad="$bad $rel (man -l): $(cat "$T/page.err");"
	[ -s "$T/page.out" ] || bad="$bad $rel: renders empty;"
done
expect "every page renders without warnings (groff -ww, man -l): $(ls "$M"/man*/* | wc -l) pages" test -z "$bad"
[ -z "$bad" ] || echo "$bad"

# every call of the public header has a page, and each .so its target
calls=$(sed -n 's/.*\b\(cadv_[a-z0-9_]*\)[ 	]*(.*/\1/p' "$TOP/libcadv/cadv.h" |
    grep -v '_cb$' | sort -u)
nocall=""
for f in $calls; do
	[ -f "$M/man3/$f.3" ] || nocall="$nocall $f"
done
expect "each of cadv.h's $(echo "$calls" | wc -l) calls has a page" test -z "$nocall"
[ -z "$nocall" ] || echo "no page:$nocall"
dangling=""
for p in "$M"/man3/*.3; do
	to=$(sed -n 's/^\.so //p' "$p")
	[ -z "$to" ] || [ -f "$M/$to" ] || dangling="$dangling $p -> $to"
	# a .so page's call is in its target's NAME
	[ -z "$to" ] || grep -qx ".Nm $(basename "$p" .3)\( ,\)\{0,1\}" "$M/$to" 2>/dev/null ||
	    dangling="$dangling $(basename "$p") not in $to's NAME"
done
expect "every .so page names a page that documents its call" test -z "$dangling"
[ -z "$dangling" ] || echo "$dangling"
# found by name under a MANPATH, through the .so
expect "man finds cadv_end(3) and shows cadv_begin's page" sh -c \
    "MANPATH='$M' MANWIDTH=80 man 3 cadv_end 2>/dev/null | grep -q 'take and end a snapshot'"
# the page the Makefile installs: section 3 is install-lib's
expect "make install-lib installs docs/man/*.3" grep -q 'docs/man/\*\.3' "$TOP/Makefile"

# cadv(3)'s EXAMPLE, as printed, against a store storefill wrote; built
# as this build's objects are (the compiler and sanitizers of its name)
B=$(dirname "$BIN")
case $(basename "$B") in
clang*) cc=clang ;;
*) cc=cc ;;
esac
case $(basename "$B") in
*-san) san="-fsanitize=address -fsanitize=undefined" ;;
*) san="" ;;
esac
sed -n '/^\.Sh EXAMPLES/,/^\.Ed/p' "$TOP/docs/man/cadv.3" |
    sed -e '1,/^\.Bd -literal/d' -e '/^\.Ed/d' -e 's/\\e/\\/g' >"$T/ws.c"
# shellcheck disable=SC2086
$cc -std=gnu11 -Wall -Wextra -Werror $san -I"$TOP/libcadv" -o "$T/ws" \
    "$T/ws.c" -Wl,--start-group "$B"/libdaemon.a "$B"/libparse.a \
    "$B"/libstore.a "$B"/libcadv.a -Wl,--end-group \
    $(pkg-config --libs lmdb libbsd json-c libseccomp libmicrohttpd libcrypt libmd) \
    -lm >"$T/cc.out" 2>&1
expect "cadv(3)'s EXAMPLE compiles warning-free" test $? -eq 0 -a ! -s "$T/cc.out"
[ -s "$T/cc.out" ] && head -20 "$T/cc.out"
S=$T/store
"$TBIN/storefill" --store "$S" --containers 6 --samples 2 >/dev/null
"$T/ws" "$S" >"$T/ws.out" 2>"$T/ws.err"
expect "the EXAMPLE runs on a store" test $? -eq 0 -a ! -s "$T/ws.err"
# storefill's values: container c, sample k, field f = c*1e6 + k*1000 + f
n=$(wc -l <"$T/ws.out")
expect "it prints containers' working sets ($n lines)" test "$n" -gt 0
expect "each is the working set's field" awk -v f=18 \
    '$NF % 1000 != f { bad = 1 } END { exit bad }' "$T/ws.out"
"$T/ws" "$T/none" >"$T/ws.out" 2>"$T/ws.err"
expect "and says why on a missing store" sh -c "test $? -eq 1 && grep -q 'no store here' '$T/ws.err'"
