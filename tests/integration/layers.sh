# The libraries in layers (Makefile LAYERS, linked in that order without
# --start-group): each archive uses only the ones after it, so a
# single-pass link resolves everything.  Checked on the built archives'
# symbols: what one leaves undefined is never defined by one before it.
. "$CADV_TOP/tests/lib.sh"

B=$(cd "$BIN/.." && pwd)
layers=$(sed -n 's/^LAYERS[[:space:]]*:=[[:space:]]*//p' "$TOP/Makefile")
expect "Makefile names four layers" test "$(echo $layers | wc -w)" -eq 4
expect "the layers link without a group" sh -c \
	"! grep -q -- '--start-group' '$TOP/Makefile'"

for l in $layers; do
	if [ ! -f "$B/$l.a" ]; then
		fail "$l.a is built" "$B/$l.a missing"
		continue
	fi
	nm -u "$B/$l.a" | awk '$1 == "U" { print $2 }' | sort -u >"$T/$l.und"
	nm -g --defined-only "$B/$l.a" | awk 'NF == 3 { print $3 }' |
	    sort -u >"$T/$l.def"
done

# uses LOWER UPPER: what LOWER leaves undefined that UPPER defines
uses() { comm -12 "$T/$1.und" "$T/$2.def" | tr '\n' ' '; }

# every layer against each one before it
seen=""
for l in $layers; do
	for u in $seen; do
		got=$(uses "$l" "$u")
		expect "$l uses nothing of $u${got:+ (uses: $got)}" test -z "$got"
	done
	seen="$seen $l"
done

# the check sees real uses: the other way round there are some
expect "libstore uses libcadv (the check sees uses)" \
	test -n "$(uses libstore libcadv)"
expect "libparse uses libcadv (the check sees uses)" \
	test -n "$(uses libparse libcadv)"

# libcadv only reads: LMDB's calls that change a store are libstore's
writes='^(mdb_put|mdb_del|mdb_cursor_put|mdb_cursor_del|mdb_drop)$'
got=$(grep -E "$writes" "$T/libcadv.und" | tr '\n' ' ')
expect "libcadv changes nothing in a store${got:+ (calls: $got)}" test -z "$got"
expect "libstore does (the check sees them)" \
	test "$(grep -cE "$writes" "$T/libstore.und")" -ge 1

# README's layout names every top-level directory the tree has
layout=$(sed -n '/^## Repository layout/,/^## /p' "$TOP/README.md")
missing=""
for d in $(git -C "$TOP" ls-files 2>/dev/null | sed -n 's|^\([^/]*\)/.*|\1|p' | sort -u); do
	case $d in .*) continue ;; esac
	printf '%s\n' "$layout" | grep -q "\(^\| \)$d/" || missing="$missing $d/"
done
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	expect "README's layout names every directory${missing:+ (not:$missing)}" \
	    test -z "$missing"
else
	skip "README's layout against the tree" "not a git checkout"
fi
