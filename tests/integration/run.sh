# make run's launcher: it shows live containers, as root and as an
# ordinary user, and stops exactly what it started.
. "$CADV_TOP/tests/lib.sh"

# run_as USER|- STORE OUT: the launcher with one table from top
run_as() {
	if [ "$1" = - ]; then
		# TMPDIR: the launcher's log directory goes with the test's
		CADV_STORE=$2 CADV_LISTEN=127.0.0.1:$(free_port) CADV_TOP_ARGS="--iterations 1" \
		    TMPDIR="$T" sh "$TOP/scripts/cadv-run" "$BIN" >"$3" 2>&1
	else
		runuser -u "$1" -- env CADV_STORE="$2" CADV_LISTEN=127.0.0.1:$(free_port) CADV_TOP_ARGS="--iterations 1" \
		    TMPDIR="$(dirname "$2")" sh "$TOP/scripts/cadv-run" "$BIN" >"$3" 2>&1
	fi
}

gone() {	# gone OUT: the pids the launcher started are no longer running
	for p in $(sed -n 's/.*(pids \([0-9 ]*\)).*/\1/p' "$1"); do
		kill -0 "$p" 2>/dev/null && return 1
	done
	grep -q '(pids [0-9]' "$1"
}

run_as - "$T/store" "$T/root.out"
expect "make run: top shows the root container" grep -qE '^ +[0-9.-]+ +[0-9.]+[KMG]? .* /$' "$T/root.out"
expect "make run: top shows cpu rates" grep -qE '^ +[0-9]+\.[0-9] ' "$T/root.out"
expect "make run: every daemon it started is stopped" gone "$T/root.out"
expect "make run: five daemons, identd and exporterd among them" sh -c "grep -q 'identd, exporterd (pids [0-9]* [0-9]* [0-9]* [0-9]* [0-9]*)' '$T/root.out'"

if is_root && id nobody >/dev/null 2>&1; then
	U=$(mktemp -d /tmp/cadv-run-user.XXXXXX)
	on_exit "rm -rf '$U'"
	chown nobody "$U"
	if runuser -u nobody -- test -x "$BIN/cadvctl" -a -r "$TOP/scripts/cadv-run"; then
		run_as nobody "$U/store" "$T/user.out"
		expect "make run as an ordinary user: top shows the root container" \
		    grep -qE '^ +[0-9.-]+ +[0-9.]+[KMG]? .* /$' "$T/user.out"
		expect "make run as an ordinary user: daemons stopped" gone "$T/user.out"
		expect "make run as an ordinary user: the store belongs to that user" \
		    test "$(stat -c %U "$U/store/data.mdb")" = nobody
	else
		skip "make run as an ordinary user" "nobody cannot reach $BIN"
	fi
fi
