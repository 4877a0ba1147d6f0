# Daemons started as root drop to an unprivileged user with nothing left;
# users outside the store's group are kept out.
. "$CADV_TOP/tests/lib.sh"

if ! is_root || ! id nobody >/dev/null 2>&1; then
	skip "privilege dropping" "needs root and a nobody user"
	exit 0
fi
S=$T/store
start_pipeline "$S" --root "$FIX/v2tree"
"$BIN/eventd" --store "$S" 2>"$T/eventd.err" &
ED=$!
on_exit "kill $ED 2>/dev/null"
"$BIN/exporterd" --store "$S" --listen "unix:$T/x.sock" 2>"$T/exporterd.err" &
XD=$!
on_exit "kill $XD 2>/dev/null"
"$BIN/identd" --store "$S" --host "$T" 2>"$T/identd.err" &
IDP=$!
on_exit "kill $IDP 2>/dev/null"
wait_for 5 test -S "$S/events.sock"
sleep 0.5
dropped() {	# dropped PID: non-root ids, no capabilities, no_new_privs
	st=/proc/$1/status
	awk '
	/^Uid:/ { for (i = 2; i <= 5; i++) if ($i == 0) bad = 1 }
	/^Gid:/ { for (i = 2; i <= 5; i++) if ($i == 0) bad = 1 }
	/^Cap(Inh|Prm|Eff|Bnd|Amb):/ { if ($2 !~ /^0+$/) bad = 1 }
	/^NoNewPrivs:/ { nnp = $2 }
	/^Seccomp:/ { sc = $2 }
	END { exit (bad || nnp != 1 || sc != 2) }' "$st"
}
for p in "watcherd $WP" "collectord $CP" "eventd $ED" "exporterd $XD" "identd $IDP"; do
	set -- $p
	expect "$1: non-zero uid and gid, no capabilities in any set, no_new_privs, seccomp filter" dropped "$2"
done
RP=$(pgrep -P "$IDP" identd | head -n 1)
expect "identd's reader: non-zero ids, CAP_DAC_READ_SEARCH alone (effective, permitted, bounding), no_new_privs, seccomp" \
    awk '
	/^Uid:/ { for (i = 2; i <= 5; i++) if ($i == 0) bad = 1 }
	/^Cap(Inh|Amb):/ { if ($2 !~ /^0+$/) bad = 1 }
	/^Cap(Prm|Eff|Bnd):/ { if ($2 != "0000000000000004") bad = 1 }
	/^NoNewPrivs:/ { nnp = $2 }
	/^Seccomp:/ { sc = $2 }
	END { exit (bad || nnp != 1 || sc != 2) }' "/proc/${RP:-0}/status"
expect "the store belongs to the daemons' user" test "$(stat -c %U "$S/data.mdb")" = nobody
expect "the socket belongs to it too, mode 0660" test "$(stat -c '%U %a' "$S/events.sock")" = "nobody 660"
expect "eventd still read /dev/kmsg (opened before the drop)" sh -c "! grep -q 'OOM kills will come from the oom_kill counters' '$T/eventd.err'"

# Someone outside the store's group reads neither the store nor the
# socket; a member reads both.  An unused uid with chosen groups needs no
# account on the machine (setpriv sets the groups directly).
G=$(stat -c %g "$S")
U=$(awk -F: '{ u[$3] = 1 } END { for (i = 43210; i in u; i++); print i }' /etc/passwd)
outsider() { setpriv --reuid="$U" --regid="$U" --clear-groups -- "$@"; }
member() { setpriv --reuid="$U" --regid="$U" --groups="$G" -- "$@"; }
expect_status "a user outside the group cannot read the store" 3 \
    outsider "$BIN/cadvctl" --store "$S" ls
expect "nor subscribe" sh -c "! setpriv --reuid=$U --regid=$U --clear-groups -- '$BIN/cadvctl' --store '$S' events --follow --max 0 2>/dev/null"
expect "a member of the group reads the store" sh -c "setpriv --reuid=$U --regid=$U --groups=$G -- '$BIN/cadvctl' --store '$S' ls | grep -q ' /$'"
# a refused subscriber is told and ends at once (3); an accepted one is
# still streaming when timeout stops it (124)
expect_status "and subscribes to events (still streaming after 2 s)" 124 \
    member timeout 2 "$BIN/cadvctl" --store "$S" events --follow
expect_status "--user with no such user is an error" 1 "$BIN/watcherd" --root "$FIX/v2tree" --user no-such-user-here
kill "$ED" "$XD" "$IDP"; wait "$ED" "$XD" "$IDP" 2>/dev/null
stop_pipeline

# A system call outside the allow-list kills the daemon (SIGSYS, status
# 159 from wait); with --no-seccomp the same call runs and it goes on.
# The hook (tests/hooks/sigsys.c) makes SIGUSR2 call socket(AF_INET).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
probe() {	# probe PID: signals PID once it runs filtered; FATE says how it went
	wait_for 5 grep -q '^Seccomp:.*[12]' "/proc/$1/status"
	sleep 0.2
	kill -USR2 "$1"
	sleep 0.5
	# a dead child stays a zombie until waited for: ask its state
	if grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null ||
	    ! kill -0 "$1" 2>/dev/null; then
		wait "$1"; FATE="status $?"
	else
		kill "$1"; wait "$1"; FATE=alive
	fi
}
S2=$T/store2
mkfifo "$T/probe.fifo"
LD_PRELOAD=$TBIN/sigsys.so "$BIN/watcherd" --root "$FIX/v2tree" >/dev/null 2>>"$T/probe.err" &
probe $!
expect "watcherd: a forbidden system call kills it" test "$FATE" = "status 159"
LD_PRELOAD=$TBIN/sigsys.so "$BIN/collectord" --store "$S2" --root "$FIX/v2tree" <"$T/probe.fifo" 2>>"$T/probe.err" &
CP=$!
exec 7>"$T/probe.fifo"
probe $CP
expect "collectord: a forbidden system call kills it" test "$FATE" = "status 159"
exec 7>&-
LD_PRELOAD=$TBIN/sigsys.so "$BIN/eventd" --store "$S2" --kmsg /nonexistent 2>>"$T/probe.err" &
probe $!
expect "eventd: a forbidden system call kills it" test "$FATE" = "status 159"
LD_PRELOAD=$TBIN/sigsys.so "$BIN/exporterd" --store "$S2" --listen "unix:$T/y.sock" 2>>"$T/probe.err" &
probe $!
expect "exporterd: a forbidden system call kills it" test "$FATE" = "status 159"
LD_PRELOAD=$TBIN/sigsys.so "$BIN/identd" --store "$S2" --host "$T" 2>>"$T/probe.err" &
probe $!
expect "identd: a forbidden system call kills it" test "$FATE" = "status 159"
LD_PRELOAD=$TBIN/sigsys.so "$BIN/identd" --store "$S2" --host "$T" 2>"$T/probe-reader.err" &
IDP=$!
wait_for 5 sh -c "pgrep -P $IDP identd >/dev/null"
RP=$(pgrep -P "$IDP" identd | head -n 1)
probe "$RP"
# (a zombie until its parent, gone too, is reaped by init)
expect "identd's reader: a forbidden system call kills it" sh -c "! kill -0 $RP 2>/dev/null || grep -q '^State:.*Z' /proc/$RP/status"
wait "$IDP"; rc=$?
expect "and the writer ends too, saying why (status 1)" sh -c "[ $rc -eq 1 ] && grep -q \"identd's reader exited\" '$T/probe-reader.err'"
LD_PRELOAD=$TBIN/sigsys.so "$BIN/eventd" --store "$S2" --kmsg /nonexistent --no-seccomp 2>"$T/noseccomp.err" &
ED=$!
on_exit "kill $ED 2>/dev/null"
probe $ED
expect "eventd --no-seccomp: the same call runs and eventd goes on" test "$FATE" = alive
expect "--no-seccomp is said in the log" grep -q "seccomp filter off" "$T/noseccomp.err"
expect "and the hook ran there" grep -q "sigsys hook: the call ran" "$T/noseccomp.err"
