# Descriptors a daemon inherits from whoever started it (a file, a pipe)
# are closed at start (issue 17, finding 11): otherwise they outlive the
# privilege drop and stay usable inside the sandbox.  Each daemon starts
# with a file of the starter's on descriptor 7 and a fifo on 8 and 9;
# once it runs in its seccomp filter, none may be open in it.
. "$CADV_TOP/tests/lib.sh"

S=$T/store
R=$T/tree
mkdir -p "$R/a"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
chmod -R a+rX "$R"
echo "the starter's secret" >"$T/secret"
mkfifo "$T/fifo" "$T/wc"
"$TBIN/storefill" --store "$S" --containers 1 --samples 1 >/dev/null
PORT=$(free_port)
exec 9<>"$T/fifo"	# read-write: opens at once, and every child has it

# running PID: the daemon is up and in its seccomp filter (start-up done)
running() { grep -q '^Seccomp:[[:space:]]*2' "/proc/$1/status"; }
# holds PID: PID has the starter's file or fifo open
holds() {
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd") in
		"$T/secret" | "$T/fifo") return 0 ;;
		esac
	done
	return 1
}

"$BIN/collectord" --store "$S" --root "$R" <"$T/wc" 7<"$T/secret" 8<&9 2>"$T/collectord.err" &
CP=$!
"$BIN/watcherd" --root "$R" >"$T/wc" 7<"$T/secret" 8<&9 2>"$T/watcherd.err" &
WP=$!
"$BIN/eventd" --store "$S" --kmsg /nonexistent 7<"$T/secret" 8<&9 2>"$T/eventd.err" &
EP=$!
"$BIN/exporterd" --store "$S" --listen 127.0.0.1:$PORT 7<"$T/secret" 8<&9 2>"$T/exporterd.err" &
XP=$!
on_exit "kill $CP $WP $EP $XP 2>/dev/null"
exec 9>&-

for d in watcherd:$WP collectord:$CP eventd:$EP exporterd:$XP; do
	name=${d%%:*} pid=${d#*:}
	if ! wait_for 10 running "$pid"; then
		fail "$name comes up in its filter" "$(head -c 300 "$T/$name.err")"
		continue
	fi
	if holds "$pid"; then
		fail "$name: the inherited file and fifo (descriptors 7, 8, 9) are closed" \
		    "$(ls -l /proc/"$pid"/fd | grep -E 'secret|fifo' | tr '\n' ' ')"
	else
		pass "$name: the inherited file and fifo (descriptors 7, 8, 9) are closed"
	fi
done
if wait_for 10 "$BIN/cadvctl" --store "$S" stats /a >/dev/null; then
	pass "stdin, stdout and stderr stay: the pipeline still flows"
else
	fail "stdin, stdout and stderr stay: the pipeline still flows" "$(head -c 300 "$T/collectord.err")"
fi
kill $CP $WP $EP $XP 2>/dev/null
wait $CP $WP $EP $XP 2>/dev/null
