# Another user's directory or link where a non-root cadv keeps its store
# (/tmp/cadv-UID) or its pidfiles and log (/tmp/cadvd-UID) (issue 17,
# finding 2).  Two users no account has play it out: the attacker plants
# a directory of its own or a symbolic link before the victim's first
# start; the victim's writers, readers and `cadv start` must refuse the
# path, naming it, and change nothing of the attacker's or its own.
. "$CADV_TOP/tests/lib.sh"

if ! is_root; then
	skip "another user's /tmp/cadv-UID and /tmp/cadvd-UID" "needs root to act as two users"
	exit 0
fi
if ! command -v setpriv >/dev/null 2>&1; then
	skip "another user's /tmp/cadv-UID and /tmp/cadvd-UID" "setpriv (util-linux) is missing"
	exit 0
fi

# free UID: no account, no process, nothing of its at /tmp/cadv{,d}-UID
free() {
	! getent passwd "$1" >/dev/null && [ -z "$(ps -o pid= -u "$1" 2>/dev/null)" ] &&
	    for p in /tmp/cadv-$1 /tmp/cadvd-$1; do
		[ ! -e "$p" ] && [ ! -L "$p" ] || return 1
	    done
}
u=$((64100 + ($$ % 900) * 2))
while ! free $u || ! free $((u + 1)); do u=$((u + 2)); done
VIC=$u ATT=$((u + 1))
SD=/tmp/cadv-$VIC RD=/tmp/cadvd-$VIC XD=/tmp/cadv-xdg-$ATT.$$
# ours alone: they did not exist, and the uids are no one's
on_exit "rm -rf '$SD' '$RD' '$XD'"
# whatever either user still runs (the unfixed code starts daemons)
on_exit 'for p in $(ps -o pid= -u '$VIC' -u '$ATT' 2>/dev/null); do kill -9 $p 2>/dev/null; done'

V=$T/victim
mkdir -m 0700 "$V" "$T/attacker"
chown $VIC:$VIC "$V"
chown $ATT:$ATT "$T/attacker"
R=$T/tree
mkdir -p "$R/a"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
chmod -R a+rX "$R"
PORT=$(free_port)

# asu UID CMD...: CMD as UID alone, in a clean environment (no
# $XDG_RUNTIME_DIR unless given: VAR=VALUE words first, as env takes them)
asu() {
	_u=$1; shift
	setpriv --reuid="$_u" --regid="$_u" --clear-groups \
	    env -i PATH="$PATH" LANG=C HOME="$T/home-$_u" "$@"
}
# run NAME UID CMD...: asu UID CMD, its status into NAME.rc, its output
# into NAME.out and NAME.err; at most 10 s
run() {
	_n=$1 _u=$2; shift 2
	timeout -k 2 10 setpriv --reuid="$_u" --regid="$_u" --clear-groups \
	    env -i PATH="$PATH" LANG=C HOME="$T/home-$_u" "$@" \
	    >"$T/$_n.out" 2>"$T/$_n.err" </dev/null
	echo $? >"$T/$_n.rc"
}
rc() { cat "$T/$1.rc"; }
# said NAME PATH WHY: the refusal on stderr names PATH and says WHY
said() { grep -qF "$2" "$T/$1.err" && grep -q "$3" "$T/$1.err"; }
# state DIR: every entry with its type, owner, mode, size, link target and
# content hash, to compare before and after
state() {
	find "$1" -printf '%P %y %u %m %s %l\n' | sort
	find "$1" -type f -exec md5sum {} + | sort
}
# victim_file PATH TEXT: a file of the victim's, 0600
victim_file() { printf '%s\n' "$2" >"$1"; chmod 600 "$1"; chown $VIC:$VIC "$1"; }
# untouched PATH TEXT: still the victim's, 0600, with TEXT only
untouched() {
	[ "$(stat -c '%u %a' "$1")" = "$VIC 600" ] && [ "$(cat "$1")" = "$2" ]
}

# ---- the store: an attacker's directory serving a fake store -------------
# (a live pipeline of its own: fresh heartbeats, fake containers, and
# fake OOM kills from storefill)
asu $ATT mkdir -m 0777 "$SD"
asu $ATT "$TBIN/storefill" --store "$SD" --containers 2 --samples 2 --events 40 >/dev/null
mkfifo "$T/att.fifo"
chmod 666 "$T/att.fifo"
asu $ATT "$BIN/collectord" --store "$SD" --root "$R" --interval 200ms <"$T/att.fifo" 2>"$T/att.err" &
asu $ATT "$BIN/watcherd" --root "$R" >"$T/att.fifo" 2>>"$T/att.err" &
wait_for 5 test -e "$SD/data.mdb"
sleep 0.5
asu $ATT chmod 0666 "$SD/data.mdb" "$SD/lock.mdb"
expect "the attacker's fake store answers (the test works)" \
    sh -c "\"$BIN/cadvctl\" --store $SD ls >/dev/null"

run ls $VIC "$BIN/cadvctl" ls
expect "cadvctl refuses another user's $SD: exit 3 ($(rc ls))" test "$(rc ls)" = 3
expect "cadvctl's refusal names the path and its owner" said ls "$SD" "owned by uid $ATT"
expect "cadvctl shows none of the fake containers" sh -c "! grep -q /fill '$T/ls.out'"
run ev $VIC "$BIN/cadvctl" events --type oom_kill --max -1
expect "cadvctl events: no fake OOM kills, exit 3 ($(rc ev))" sh -c "[ $(rc ev) = 3 ] && ! grep -q . '$T/ev.out'"
run health $VIC sh "$TOP/scripts/cadv-health" --cadvctl "$BIN/cadvctl"
expect "cadv-health: UNKNOWN (3) naming the path, no fake OK ($(head -c 200 "$T/health.out"))" \
    sh -c "[ $(rc health) = 3 ] && grep -q '^CADV UNKNOWN.*$SD' '$T/health.out'"
run exp $VIC "$BIN/exporterd" --listen 127.0.0.1:$PORT
expect "exporterd refuses it: exit 1, naming it ($(rc exp))" sh -c "[ $(rc exp) = 1 ] && grep -qF '$SD' '$T/exp.err'"
run evd $VIC "$BIN/eventd" --kmsg /nonexistent
expect "eventd refuses it: exit 1, naming it ($(rc evd))" sh -c "[ $(rc evd) = 1 ] && grep -qF '$SD' '$T/evd.err'"
expect "no subscription socket of the victim's in the attacker's directory" test ! -e "$SD/events.sock"
for p in $(ps -o pid= -u $ATT); do kill "$p" 2>/dev/null; done
wait
rm -rf "$SD"

# ---- the store: an attacker's empty directory, open to all ---------------
asu $ATT mkdir -m 0777 "$SD"
state "$SD" >"$T/before"
run coll $VIC "$BIN/collectord" --root "$R"
expect "collectord refuses another user's $SD: exit 1 ($(rc coll))" test "$(rc coll)" = 1
expect "collectord's refusal names the path" said coll "$SD" "refusing"
state "$SD" >"$T/after"
expect "the victim wrote nothing into the attacker's directory" cmp -s "$T/before" "$T/after"
rm -rf "$SD"

# ---- the store: a link from lock.mdb to a file of the victim's -----------
victim_file "$V/precious" "keep me"
asu $ATT mkdir -m 0777 "$SD"
asu $ATT ln -s "$V/precious" "$SD/lock.mdb"
run coll $VIC "$BIN/collectord" --root "$R"
expect "collectord refuses a store directory with the attacker's link in it ($(rc coll))" test "$(rc coll)" = 1
expect "the victim's file the link names is untouched (owner, mode 0600, bytes)" untouched "$V/precious" "keep me"
rm -rf "$SD"

# ---- the store: the path itself a link to a directory of the victim's ----
mkdir -m 0700 "$V/private"
chown $VIC:$VIC "$V/private"
asu $ATT ln -s "$V/private" "$SD"
run coll $VIC "$BIN/collectord" --root "$R"
expect "collectord refuses $SD as a symbolic link ($(rc coll))" \
    sh -c "[ $(rc coll) = 1 ] && grep -qF '$SD: a symbolic link' '$T/coll.err'"
run ls $VIC "$BIN/cadvctl" ls
expect "cadvctl refuses it too ($(rc ls))" sh -c "[ $(rc ls) = 3 ] && grep -qF '$SD: a symbolic link' '$T/ls.err'"
expect "the directory the link names is still empty and 0700" \
    sh -c "[ -z \"\$(ls -A '$V/private')\" ] && [ \$(stat -c %a '$V/private') = 700 ]"
rm -f "$SD"

# ---- $XDG_RUNTIME_DIR naming the attacker's directory --------------------
asu $ATT mkdir -m 0777 "$XD"
run xdg $VIC env XDG_RUNTIME_DIR="$XD" "$BIN/collectord" --root "$R"
expect "a \$XDG_RUNTIME_DIR of another user's is refused, named ($(rc xdg))" \
    sh -c "[ $(rc xdg) = 1 ] && grep -qF '$XD' '$T/xdg.err' && grep -q XDG_RUNTIME_DIR '$T/xdg.err'"
expect "and nothing was made in it" test -z "$(ls -A "$XD")"

# ---- cadv start: the pidfile directory a link to a private directory -----
# the victim's cadv, its store named (the store is not what this tests)
CADV_ENV="CADV_BINDIR=$BIN CADV_STORE=$V/store CADV_EVENTD_ARGS=--kmsg=/nonexistent CADV_EXPORTERD_ARGS=--listen=127.0.0.1:$PORT"
CADV="sh $TOP/scripts/cadv"
mkdir -m 0700 "$V/private2"
chown $VIC:$VIC "$V/private2"
asu $ATT ln -s "$V/private2" "$RD"
run start $VIC $CADV_ENV CADV_WATCHERD_ARGS="--root $R" CADV_COLLECTORD_ARGS="--root $R" $CADV start
expect "cadv start refuses $RD as a symbolic link: exit 1 ($(rc start))" \
    sh -c "[ $(rc start) = 1 ] && grep -qF '$RD: a symbolic link' '$T/start.err'"
expect "the private directory the link names keeps mode 0700" test "$(stat -c %a "$V/private2")" = 700
expect "and holds no pidfile or log" test -z "$(ls -A "$V/private2")"
run stop $VIC $CADV_ENV $CADV stop
rm -f "$RD"

# ---- cadv start: the attacker's directory with links to the victim's files
victim_file "$V/f1" "first"
victim_file "$V/f2" "second"
asu $ATT mkdir -m 0777 "$RD"
asu $ATT ln -s "$V/f1" "$RD/watcherd.pid"
asu $ATT ln -s "$V/f2" "$RD/daemons.log"
state "$RD" >"$T/before"
run start $VIC $CADV_ENV CADV_WATCHERD_ARGS="--root $R" CADV_COLLECTORD_ARGS="--root $R" $CADV start
expect "cadv start refuses another user's $RD: exit 1 ($(rc start))" \
    sh -c "[ $(rc start) = 1 ] && grep -qF '$RD: owned by uid $ATT' '$T/start.err'"
expect "a pidfile link did not lead it to overwrite the victim's file" untouched "$V/f1" first
expect "the log link did not lead it to append to the victim's file" untouched "$V/f2" second
state "$RD" >"$T/after"
expect "the attacker's directory is as it was" cmp -s "$T/before" "$T/after"
run stop $VIC $CADV_ENV $CADV stop
expect "cadv stop refuses it as well ($(rc stop))" test "$(rc stop)" = 1
rm -rf "$RD"

# ---- nothing planted: each default is made private, and works ------------
run coll $VIC "$BIN/collectord" --root "$R"
expect "with nothing planted, collectord makes $SD: the victim's, 0700" \
    test "$(stat -c '%u %a' "$SD")" = "$VIC 700"
run ls $VIC "$BIN/cadvctl" ls
expect "and cadvctl reads it ($(rc ls): $(head -c 200 "$T/ls.err"))" test "$(rc ls)" = 0
# the defaults for everything now: store and pidfiles
CADV_ENV="CADV_BINDIR=$BIN CADV_EVENTD_ARGS=--kmsg=/nonexistent CADV_EXPORTERD_ARGS=--listen=127.0.0.1:$PORT"
run start $VIC $CADV_ENV CADV_WATCHERD_ARGS="--root $R" CADV_COLLECTORD_ARGS="--root $R" $CADV start
expect "cadv start makes $RD: the victim's, 0700 ($(tail -n 3 "$T/start.err" | tr '\n' ' '))" \
    test "$(stat -c '%u %a' "$RD")" = "$VIC 700"
# (a loaded machine may take a moment to bring the last one up)
up() { run status $VIC $CADV_ENV $CADV status; test "$(rc status)" = 0; }
wait_for 5 up
expect "and its daemons run ($(rc status): $(head -c 300 "$T/status.out" 2>/dev/null | tr '\n' ' '))" test "$(rc status)" = 0
run stop $VIC $CADV_ENV $CADV stop
run status $VIC $CADV_ENV $CADV status
expect "and stop ($(rc status))" test "$(rc status)" = 3
