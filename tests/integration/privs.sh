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
wait_for 5 test -S "$S/events.sock"
sleep 0.5
dropped() {	# dropped PID: non-root ids, no capabilities, no_new_privs
	st=/proc/$1/status
	awk '
	/^Uid:/ { for (i = 2; i <= 5; i++) if ($i == 0) bad = 1 }
	/^Gid:/ { for (i = 2; i <= 5; i++) if ($i == 0) bad = 1 }
	/^Cap(Inh|Prm|Eff|Bnd|Amb):/ { if ($2 !~ /^0+$/) bad = 1 }
	/^NoNewPrivs:/ { nnp = $2 }
	END { exit (bad || nnp != 1) }' "$st"
}
for p in "watcherd $WP" "collectord $CP" "eventd $ED"; do
	set -- $p
	expect "$1: non-zero uid and gid, no capabilities in any set, no_new_privs" dropped "$2"
done
expect "the store belongs to the daemons' user" test "$(stat -c %U "$S/data.mdb")" = nobody
expect "the socket belongs to it too, mode 0660" test "$(stat -c '%U %a' "$S/events.sock")" = "nobody 660"
expect "eventd still read /dev/kmsg (opened before the drop)" sh -c "! grep -q 'OOM kills will come from the oom_kill counters' '$T/eventd.err'"

# someone outside the group: neither the store nor the socket
if id daemon >/dev/null 2>&1; then
	expect_status "a user outside the group cannot read the store" 3 \
	    runuser -u daemon -- "$BIN/cadvctl" --store "$S" ls
	expect "nor subscribe" sh -c "! runuser -u daemon -- '$BIN/cadvctl' --store '$S' events --follow --max 0 2>/dev/null"
fi
expect_status "--user with no such user is an error" 1 "$BIN/watcherd" --root "$FIX/v2tree" --user no-such-user-here
kill "$ED"; wait "$ED" 2>/dev/null
stop_pipeline
