# The daemons apart (issue 17, finding 6): the writers own the store's
# files; watcherd and the network-facing exporterd run as other users that
# can neither write the store nor signal the writers; exporterd's filter
# has no call that writes or resizes a file.  Users are numeric ids of the
# test's own (`--user UID:GID[:GROUPS]`, no account needed), as
# scripts/systemd/cadv.sysusers would make them.
. "$CADV_TOP/tests/lib.sh"

# the sysusers file makes the three users and the group membership
if command -v systemd-sysusers >/dev/null; then
	mkdir -p "$T/root/etc"
	systemd-sysusers --root "$T/root" "$TOP/scripts/systemd/cadv.sysusers" >/dev/null 2>&1
	expect "cadv.sysusers makes cadv, cadv-watch and cadv-web" sh -c \
	    "grep -q '^cadv:' '$T/root/etc/passwd' && grep -q '^cadv-watch:' '$T/root/etc/passwd' && grep -q '^cadv-web:' '$T/root/etc/passwd'"
	expect "cadv-web is in group cadv (it reads the store)" grep -q '^cadv:x:[0-9]*:cadv-web$' "$T/root/etc/group"
else
	skip "cadv.sysusers makes the users" "no systemd-sysusers"
fi

if ! is_root; then
	skip "daemons apart" "needs root (privileges are dropped only from root)"
	exit 0
fi
W=64180 WEB=64181 WATCH=64182	# writers, exporterd, watcherd
S=$T/store
R=$T/tree
mkdir -p "$R/a"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
chmod -R a+rX "$R"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

mkfifo "$T/pipe"
"$BIN/collectord" --store "$S" --root "$R" --user $W:$W <"$T/pipe" 2>"$T/c.err" &
CP=$!
"$BIN/watcherd" --root "$R" --user $WATCH:$WATCH >"$T/pipe" 2>"$T/w.err" &
WP=$!
on_exit "kill $CP $WP 2>/dev/null"
wait_for 10 "$BIN/cadvctl" --store "$S" stats /a >/dev/null
"$BIN/eventd" --store "$S" --kmsg /nonexistent --user $W:$W 2>"$T/e.err" &
EP=$!
on_exit "kill $EP 2>/dev/null"
# exporterd, in the writers' group to read; the hook for the filter test
CADV_SIGSYS_CALL="ftruncate:$S/data.mdb" LD_PRELOAD=$TBIN/sigsys.so \
    "$BIN/exporterd" --store "$S" --listen "unix:$T/web.sock" --user $WEB:$WEB:$W 2>"$T/x.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 10 sh -c "curl -sf --unix-socket '$T/web.sock' http://localhost/healthz >/dev/null"

uid_of() { awk '/^Uid:/ { print $2 }' "/proc/$1/status"; }
expect "collectord and eventd run as the writers' user" test "$(uid_of $CP):$(uid_of $EP)" = "$W:$W"
expect "exporterd runs as a user of its own ($(uid_of $XP))" test "$(uid_of $XP)" = $WEB
expect "watcherd runs as a user of its own ($(uid_of $WP))" test "$(uid_of $WP)" = $WATCH
expect "the store directory is root's, in the writers' group, 0750" test "$(stat -c '%u %g %a' "$S")" = "0 $W 750"
expect "data.mdb is the writers', 0640" test "$(stat -c '%u %a' "$S/data.mdb")" = "$W 640"
expect "exporterd answers from the store" sh -c "curl -sf --unix-socket '$T/web.sock' http://localhost/api/v2.0/spec/a | grep -q '\"/a\"'"

as() { u=$1; shift; setpriv --reuid=$u --regid=$u --groups=$W "$@"; }
expect "exporterd's user reads data.mdb" as $WEB sh -c "head -c 4096 '$S/data.mdb' >/dev/null"
expect "exporterd's user cannot write data.mdb" sh -c "! setpriv --reuid=$WEB --regid=$WEB --groups=$W sh -c ': >>\"$S/data.mdb\"' 2>/dev/null"
expect "exporterd's user cannot add a file to the store" sh -c "! setpriv --reuid=$WEB --regid=$WEB --groups=$W sh -c ': >\"$S/x\"' 2>/dev/null"
expect "exporterd's user cannot signal collectord" sh -c "! setpriv --reuid=$WEB --regid=$WEB --groups=$W kill -0 $CP 2>/dev/null"
expect "exporterd's user cannot signal eventd" sh -c "! setpriv --reuid=$WEB --regid=$WEB --groups=$W kill -0 $EP 2>/dev/null"
expect "watcherd's user cannot read the store" sh -c "! setpriv --reuid=$WATCH --regid=$WATCH --clear-groups cat '$S/data.mdb' >/dev/null 2>&1"
expect "watcherd's user cannot signal collectord" sh -c "! setpriv --reuid=$WATCH --regid=$WATCH --clear-groups kill -0 $CP 2>/dev/null"

# code running in exporterd that tries to truncate the store dies
kill -USR2 $XP
sleep 0.5
if kill -0 $XP 2>/dev/null && ! grep -q '^State:.*Z' /proc/$XP/status 2>/dev/null; then
	fate=alive
else
	wait $XP; fate="status $?"
fi
expect "exporterd trying ftruncate on data.mdb is killed by its filter ($fate)" test "$fate" = "status 159"
expect "and the store is whole" sh -c "'$BIN/cadvctl' --store '$S' check >/dev/null"
expect "collectord still writes" sh -c "sleep 1.2; '$BIN/cadvctl' --store '$S' health | grep -q 'collectord'"

# once its store is open, exporterd cannot open a file to write at all
CADV_SIGSYS_CALL="openrw:$S/lock.mdb" LD_PRELOAD=$TBIN/sigsys.so \
    "$BIN/exporterd" --store "$S" --listen "unix:$T/web2.sock" --user $WEB:$WEB:$W 2>"$T/x2.err" &
XP=$!
wait_for 10 sh -c "curl -sf --unix-socket '$T/web2.sock' http://localhost/healthz >/dev/null"
kill -USR2 $XP
sleep 0.5
if kill -0 $XP 2>/dev/null && ! grep -q '^State:.*Z' /proc/$XP/status 2>/dev/null; then
	fate=alive; kill $XP
else
	wait $XP; fate="status $?"
fi
expect "exporterd opening lock.mdb read-write after its store is open is killed ($fate)" test "$fate" = "status 159"

# without the users, the defaults say what they fell back to
if getent passwd cadv-web >/dev/null; then
	skip "a missing default user is said" "this machine has cadv-web"
else
	"$BIN/exporterd" --store "$S" --listen "unix:$T/web3.sock" 2>"$T/x3.err" &
	p=$!
	wait_for 10 grep -q "running as" "$T/x3.err"
	kill $p; wait $p 2>/dev/null
	expect "exporterd without user cadv-web says so and runs as nobody" \
	    grep -q "no user cadv-web (make install or systemd-sysusers creates it): running as nobody" "$T/x3.err"
fi
exit 0
