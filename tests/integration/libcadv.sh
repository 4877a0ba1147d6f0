# libcadv from outside cadv's tree: `make install-lib` into a PREFIX of
# the test's own, then examples/containers.c, copied out of the tree, built
# with nothing but `pkg-config --cflags --libs cadv`, and
# examples/containers.py on the installed module, each run on a live store
# (watcherd | collectord over a memory cgroup of the test's own holding a
# process with 48 MiB): the memory they print for it is what
# `cadvctl stats --json` says of the same sample.  And the library's
# face: only cadv_* exported, its soname, its .pc's version.
. "$CADV_TOP/tests/lib.sh"

build=$(cd "$BIN/.." && pwd)
SO=$build/lib/libcadv.so.0
if [ ! -e "$SO" ]; then
	skip "libcadv" "no $SO (make libcadv)"
	exit 0
fi
for t in pkg-config nm readelf make; do
	if ! command -v $t >/dev/null 2>&1; then
		skip "libcadv" "$t is not installed"
		exit 0
	fi
done
# the build's compiler and sanitizer, should make have to relink
b=$(basename "$build")
case $b in
*-san) mkargs="CC=${b%-san} SANITIZE=1" ;;
cc|gcc|clang) mkargs="CC=$b" ;;
*) mkargs="" ;;
esac
# a sanitizer build's library needs its runtime first in the process
sanflags=""
if readelf -d "$SO" | grep -q 'libasan'; then
	sanflags="-fsanitize=address,undefined"
	export ASAN_OPTIONS=detect_leaks=0
fi

# ---- the install, into $T/prefix (LDCONFIG=: leaves the system's cache)
P=$T/prefix
# shellcheck disable=SC2086
make -s -C "$TOP" BUILD="$build" $mkargs PREFIX="$P" LDCONFIG=: install-lib >"$T/make.out" 2>&1
expect "make install-lib PREFIX=$P ($(tail -n 2 "$T/make.out" | tr '\n' ' '))" test $? -eq 0
for f in lib/libcadv.so.0 lib/libcadv.so include/cadv.h lib/pkgconfig/cadv.pc \
    lib/python3/dist-packages/cadv/__init__.py; do
	expect "installed: $f" test -e "$P/$f"
done
export PKG_CONFIG_PATH=$P/lib/pkgconfig
major=$(sed -n 's/^#define CADV_VERSION_MAJOR[[:space:]]*//p' "$TOP/libcadv/cadv.h")
minor=$(sed -n 's/^#define CADV_VERSION_MINOR[[:space:]]*//p' "$TOP/libcadv/cadv.h")
got=$(pkg-config --modversion cadv 2>&1)
expect "pkg-config --modversion cadv: $got, cadv.h's $major.$minor.0" test "$got" = "$major.$minor.0"
got=$(echo $(pkg-config --cflags --libs cadv 2>&1))
expect "pkg-config names the install's paths ($got)" \
    test "$got" = "-I$P/include -L$P/lib -lcadv"

# ---- the library's face
# names as cadv_open@@CADV_0: the version cut off
nm -D --defined-only "$P/lib/libcadv.so.0" | awk '{ sub(/@.*/, "", $NF); print $NF }' >"$T/syms"
# CADV_0: the version script's node (type A), not a symbol of code
others=$(grep -v -e '^cadv_' -e '^CADV_0$' "$T/syms" | head -n 5 | tr '\n' ' ')
expect "nm -D --defined-only: only cadv_* (others: ${others:-none})" test -z "$others"
n=$(grep -c '^cadv_' "$T/syms")
expect "and the public calls are there ($n cadv_*, cadv_open among them)" \
    sh -c "[ $n -ge 50 ] && grep -qx cadv_open '$T/syms'"
soname=$(readelf -d "$P/lib/libcadv.so.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
expect "readelf: SONAME $soname" test "$soname" = libcadv.so.0

# ---- the example, built outside the tree with only what is installed
O=$T/outside
mkdir -p "$O"
cp "$TOP/examples/containers.c" "$TOP/examples/containers.py" "$O/"
# shellcheck disable=SC2046,SC2086
(cd "$O" && cc -std=c11 -Wall -Wextra -Werror $sanflags -o containers containers.c \
    $(pkg-config --cflags --libs cadv)) >"$T/cc.out" 2>&1
expect "examples/containers.c builds with pkg-config's flags alone ($(head -c 300 "$T/cc.out"))" \
    test -x "$O/containers"

# ---- a live store: a memory cgroup of the test's own, 48 MiB in it
MEMCG=/sys/fs/cgroup/memory
if ! is_root || [ ! -d "$MEMCG" ]; then
	skip "libcadv: a live store" "needs root and the v1 memory hierarchy"
	exit 0
fi
CG=/cadv-test-libcadv-$$
mkdir "$MEMCG$CG"
on_exit "rmdir $MEMCG$CG 2>/dev/null"
"$TBIN/cgtask" --cg "$MEMCG$CG" hog 48 60 >"$T/hog.out" 2>&1 &
HOG=$!
on_exit "kill $HOG 2>/dev/null; wait $HOG 2>/dev/null"
expect "a process holds 48 MiB in $CG ($(head -c 200 "$T/hog.out"))" \
    wait_for 10 grep -q ready "$T/hog.out"
S=$T/store
start_pipeline "$S" -- --interval 500ms
usage() {	# the newest sample's memory usage of CG, through cadvctl
	"$BIN/cadvctl" --store "$S" stats "$CG" --json --count 1 2>/dev/null |
	    jv 'd["stats"][-1]["memory"]["usage"]'
}
big() { u=$(usage) && [ "${u:-0}" -ge $((48 << 20)) ]; }
expect "collectord saw the 48 MiB" wait_for 15 big
# a stopped writer: the newest sample is the same for every reader
stop_pipeline
want=$(usage)
expect "cadvctl stats --json: $CG uses $want bytes" test -n "$want"

LD_LIBRARY_PATH=$P/lib "$O/containers" "$S" >"$T/c.out" 2>"$T/c.err"
expect "the C example ran ($(head -c 300 "$T/c.err"))" test $? -eq 0
got=$(awk -v n="$CG" '$1 == n { print $2 }' "$T/c.out")
expect "the C example: $CG uses ${got:-nothing}, as cadvctl says" test "$got" = "$want"
expect "the C example lists the root container too" grep -q '^/ [0-9]' "$T/c.out"

# the module finds PREFIX/lib/libcadv.so.0 beside itself: no
# LD_LIBRARY_PATH, no CADV_LIBRARY
pyenv="PYTHONPATH=$P/lib/python3/dist-packages"
if [ -n "$sanflags" ]; then
	pyenv="$pyenv LD_PRELOAD=$(cc -print-file-name=libasan.so)"
fi
env -u CADV_LIBRARY $pyenv "$PY" "$O/containers.py" "$S" >"$T/py.out" 2>"$T/py.err"
expect "the Python example ran ($(head -c 300 "$T/py.err"))" test $? -eq 0
got=$(awk -v n="$CG" '$1 == n { print $2 }' "$T/py.out")
expect "the Python example: $CG uses ${got:-nothing}, as cadvctl says" test "$got" = "$want"
expect "the two examples print the same lines" cmp -s "$T/c.out" "$T/py.out"
env $pyenv CADV_STORE="$S" "$PY" -c 'import cadv; print(cadv.open().containers())' >"$T/one.out" 2>&1
expect "CADV_STORE=S python3 -c 'import cadv; print(cadv.open().containers())'" grep -q "Container [0-9]* '$CG'" "$T/one.out"
env $pyenv CADV_LIBRARY=$T/nonexistent.so "$PY" -c 'import cadv' >"$T/nolib.out" 2>&1
expect "CADV_LIBRARY is the one place looked at, and a missing one is named" \
    grep -q "$T/nonexistent.so" "$T/nolib.out"

# ---- uninstall takes it all away again
# shellcheck disable=SC2086
make -s -C "$TOP" BUILD="$build" $mkargs PREFIX="$P" uninstall >"$T/un.out" 2>&1
left=$(find "$P" -type f -o -type l | head -n 5 | tr '\n' ' ')
expect "make uninstall PREFIX=$P leaves no file (${left:-none})" test -z "$left"
exit 0
