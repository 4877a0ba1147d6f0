# --host-root: where a container mounted the host (cAdvisor's /rootfs).
# /etc and the machine's filesystems come from under it; a bind of / used
# as the host root gives the same machine document as none.
. "$CADV_TOP/tests/lib.sh"

# machine ROOTARG...: collectord once on a fresh store, then the machine
# document's text (cadvctl machine)
N=0
machine() {
	N=$((N + 1))
	_s=$T/s$N
	mkfifo "$T/f$N"
	"$@" --store "$_s" <"$T/f$N" 2>>"$T/collectord.$N.err" &
	_c=$!
	"$BIN/watcherd" >"$T/f$N" 2>/dev/null &
	_w=$!
	on_exit "kill $_c $_w 2>/dev/null"
	wait_for 10 "$BIN/cadvctl" --store "$_s" machine >/dev/null
	"$BIN/cadvctl" --store "$_s" machine >"$T/machine.$N"
	kill "$_c" "$_w" 2>/dev/null
	wait "$_c" "$_w" 2>/dev/null
	cat "$T/machine.$N"
}
field() { grep "^$1" "$2"; }

machine "$BIN/collectord" >"$T/plain"
expect "without a host root: the machine's filesystems are listed" grep -q '^filesystem .* on / ' "$T/plain"

# a host of our own making: its /etc is the one read
FAKE=$T/fake
mkdir -p "$FAKE/etc"
echo 0123456789abcdef0123456789abcdef >"$FAKE/etc/machine-id"
printf 'NAME="Hostroot"\nPRETTY_NAME="Hostroot Test 1"\n' >"$FAKE/etc/os-release"
chmod -R a+rX "$FAKE"
machine "$BIN/collectord" --host-root "$FAKE" >"$T/fake.out"
expect "--host-root DIR: the machine id is DIR/etc/machine-id" \
    grep -q '^machine id 0123456789abcdef0123456789abcdef$' "$T/fake.out"
expect "and differs from the host's" sh -c "! grep -q '^machine id 0123456789abcdef' '$T/plain'"
machine env CADV_HOST_ROOT="$FAKE" "$BIN/collectord" >"$T/env.out"
expect "CADV_HOST_ROOT: the same machine id" grep -q '^machine id 0123456789abcdef' "$T/env.out"

for d in collectord exporterd; do
	expect_status "$d: a relative --host-root is refused (1)" 1 "$BIN/$d" --host-root rel --store "$T/x"
	expect "naming why" grep -q 'not an absolute path' "$T/.err"
	expect_status "$d: a missing --host-root is refused (1)" 1 "$BIN/$d" --host-root "$T/none" --store "$T/x"
done

# cadvinit hands the prefix on: collectord under it reads the fake /etc
PORT=$(free_port)
"$BIN/cadvinit" -s "$T/init" --host-root "$FAKE" --without eventd \
    --exporterd-args "--listen 127.0.0.1:$PORT" 2>"$T/init.log" &
INIT=$!
on_exit "kill $INIT 2>/dev/null"
expect "cadvinit --host-root reaches collectord" wait_for 15 sh -c \
    "'$BIN/cadvctl' --store '$T/init' machine 2>/dev/null | grep -q '^machine id 0123456789abcdef'"
expect "and identd starts with it" wait_for 5 grep -q '^identd: store ' "$T/init.log"
expect "and exporterd serves" wait_for 10 sh -c "curl -sf http://127.0.0.1:$PORT/healthz >/dev/null"
kill -TERM "$INIT"; wait "$INIT"

# the real case: the host's / bound at a directory, in a mount namespace
# of the test's own (private: nothing it mounts reaches the host, and its
# mounts go when it ends)
if ! is_root; then
	skip "a bind of / as the host root" "needs root (mount --rbind)"
elif ! command -v unshare >/dev/null; then
	skip "a bind of / as the host root" "no unshare (util-linux)"
else
	R=$T/rootfs
	mkdir "$R"
	machine unshare -m --propagation private sh -c \
	    "mount --rbind / '$R' &&
	     exec '$BIN/collectord' --host-root '$R' \"\$@\"" collectord >"$T/bound"
	expect "a bind of / as host root: the same machine id" \
	    test "$(field 'machine id' "$T/bound")" = "$(field 'machine id' "$T/plain")"
	expect "the same filesystems, capacities and inodes" \
	    test "$(field filesystem "$T/bound")" = "$(field filesystem "$T/plain")"
	expect "(at least one)" test -n "$(field filesystem "$T/bound")"
	# and the statfs is done there: a 1 MiB tmpfs as the host root
	R2=$T/small
	mkdir "$R2"
	machine unshare -m --propagation private sh -c \
	    "mount -t tmpfs -o size=1m cadv-test '$R2' &&
	     exec '$BIN/collectord' --host-root '$R2' \"\$@\"" collectord >"$T/small.out"
	expect "a 1 MiB tmpfs as host root: / is measured there (1048576 bytes)" \
	    grep -q '^filesystem .* on / .* 1048576 bytes' "$T/small.out"
	expect "the bind is gone with its namespace" sh -c "! grep -q ' $R ' /proc/self/mountinfo"
fi
