# Raw control bytes from outside (a cgroup's name) never reach a log line
# (issue 17, finding 11): a name holding ESC, CR and newline could paint
# the operator's terminal, overwrite the line it is on, or forge a whole
# line of its own.  Logged, it is in cadv's text form (\xNN, as cadvctl
# prints names), and every line is one of the daemon's.  The cgroup is a
# directory of a fixture tree that watcherd cannot open (mode 0), so it
# logs the name.
. "$CADV_TOP/tests/lib.sh"

R=$T/tree
mkdir -p "$R"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
# x ESC[31m red CR, then a forged line after LF
NAME=$(printf 'x\033[31mred\rCR\nwatcherd: forged')
mkdir "$R/$NAME" "$R/$NAME/below"
chmod -R a+rX "$R"
chmod 0 "$R/$NAME"
on_exit "chmod 755 '$R/$NAME' 2>/dev/null"

# watcherd as someone whom mode 0 keeps out: as root, nobody
if is_root; then
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	command -v setpriv >/dev/null 2>&1 || { skip "log escaping" "setpriv (util-linux) is missing"; exit 0; }
else
	AS=""
fi
$AS "$BIN/watcherd" --root "$R" >"$T/out" 2>"$T/err" &
WP=$!
on_exit "kill $WP 2>/dev/null"
wait_for 5 grep -q ' cgroups, ' "$T/err"
kill $WP; wait $WP 2>/dev/null

expect "watcherd logged the cgroup it cannot open (the test works)" grep -q 'x\\x1b\[31mred' "$T/err"
expect "the log holds the name's escaped form, whole" \
    grep -qF 'x\x1b[31mred\x0dCR\x0awatcherd: forged' "$T/err"
expect "no raw ESC, CR or other control byte in the log (newlines end lines only)" "$PY" -c '
import sys
b = open(sys.argv[1], "rb").read()
sys.exit(1 if any(c < 0x20 and c != 0x0a or c == 0x7f for c in b) else 0)' "$T/err"
expect "every line is one of watcherd's: no forged line" "$PY" -c '
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
sys.exit(0 if lines and all(l.startswith(b"watcherd: ") and b"forged" not in l[:20] for l in lines) else 1)' "$T/err"
