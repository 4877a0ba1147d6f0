# Sourced by integration tests: result lines that tests/run counts, a
# scratch directory removed on exit, and paths to the programs under test.
: "${CADV_BIN:?run through tests/run}"
BIN=$CADV_BIN
TBIN=$CADV_TESTBIN
TOP=$CADV_TOP
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/cadv-it.XXXXXX")
# Daemons started as root drop to an unprivileged user (nobody here):
# what they read must be readable to it, wherever the clone lives.
chmod 755 "$T"
cp -r "$TOP/tests/fixtures" "$T/fixtures"
chmod -R a+rX "$T/fixtures"
FIX=$T/fixtures
CLEANUPS=""

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }
skip() { echo "SKIP: $1: $2"; }
# expect NAME CMD...: pass when CMD succeeds
expect() { _e=$1; shift; if "$@"; then pass "$_e"; else fail "$_e" "$*"; fi; }
# expect_status NAME STATUS CMD...: pass when CMD exits with STATUS
expect_status() {
	_e=$1 _want=$2; shift 2
	"$@" >"$T/.out" 2>"$T/.err"; _got=$?
	if [ "$_got" -eq "$_want" ]; then pass "$_e"; else fail "$_e" "exit $_got, want $_want: $(head -c 300 "$T/.err")"; fi
}
# on_exit CMD: run CMD (a string) at exit, newest first
on_exit() { CLEANUPS="$1; $CLEANUPS"; }
cleanup() { eval "$CLEANUPS"; [ -n "${KEEP_T:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

is_root() { [ "$(id -u)" -eq 0 ]; }
# Where tests make cgroups: at a v1 hierarchy's root as root; as anyone
# else only inside the directory that tests/run-as-user delegated (chowned)
# to them in each hierarchy.  Prefix a test's own name with $CGD.
CGD=""
if ! is_root && [ -n "${CADV_TEST_CGDELEG:-}" ]; then CGD="$CADV_TEST_CGDELEG/"; fi
can_mkcg() { is_root || [ -n "$CGD" ]; }
# /dev/kmsg opens for us (root, or kernel.dmesg_restrict=0)
kmsg_readable() { (: </dev/kmsg) 2>/dev/null; }
have_pylmdb() { "$PY" -c 'import lmdb' 2>/dev/null; }

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds
wait_for() {
	w_end=$(( $(date +%s) + $1 )); shift
	while ! "$@" 2>/dev/null; do
		[ "$(date +%s)" -ge "$w_end" ] && return 1
		sleep 0.05
	done
	return 0
}

# exited_says WHAT PID LOG: when a daemon the test started has exited
# before the test ends, what it last wrote (its stderr goes with $T)
exited_says() {
	kill -0 "$2" 2>/dev/null ||
	    echo "$(basename "$0" .sh): $1 had exited: $(tail -n 20 "$3")"
}

# same_for_any_user WHY: ends a suite run by tests/run-as-user, for one
# whose checks are of code that runs the same whoever starts it (WHY says
# why): CI runs it as root just before, where the daemons it tests have
# already dropped to an unprivileged user.  CADV_TEST_EVERY_SUITE=1 runs
# it anyway.
same_for_any_user() {
	[ -n "${CADV_TEST_AS_USER:-}" ] && [ -z "${CADV_TEST_EVERY_SUITE:-}" ] ||
	    return 0
	skip "$(basename "$0" .sh) as $(id -un)" "the root run covers it ($1; CADV_TEST_EVERY_SUITE=1 runs it)"
	exit 0
}

# free_port: a TCP port that no socket holds now, for a server the test
# starts. It lies below the kernel's ephemeral range (32768 up, see
# /proc/sys/net/ipv4/ip_local_port_range), so no outgoing connection of
# another test can take it between this pick and the bind; each call in
# a test returns another port (the picks are kept in $T/ports).
free_port() {
	_lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
	[ "$_lo" -gt 20000 ] 2>/dev/null || _lo=32768
	_span=$((_lo - 20000))
	_n=0
	[ -f "$T/ports" ] && _n=$(wc -l <"$T/ports")
	_p=$((20000 + ($$ * 13 + _n * 101) % _span))
	_held=$(awk 'FNR > 1 { split($2, a, ":"); print a[2] }' \
	    /proc/net/tcp /proc/net/tcp6 2>/dev/null)
	_i=0
	while [ "$_i" -lt "$_span" ]; do
		if ! printf '%s\n' "$_held" | grep -qix "$(printf %04X "$_p")" &&
		    ! grep -qx "$_p" "$T/ports" 2>/dev/null; then
			echo "$_p" >>"$T/ports"
			echo "$_p"
			return 0
		fi
		_p=$((20000 + (_p - 20000 + 1) % _span))
		_i=$((_i + 1))
	done
	return 1
}

# jv EXPR: evaluates a Python expression over the JSON document on stdin,
# bound to d; prints the result (missing keys print nothing, status 1)
jv() {
	"$PY" -c '
import json, sys
d = json.load(sys.stdin)
try:
    print(eval(sys.argv[1]))
except (KeyError, IndexError, TypeError):
    sys.exit(1)' "$1"
}

# has FILE EXPR: the JSON document in FILE has what EXPR reaches
has() { jv "$2" <"$1" >/dev/null; }

# start_pipeline STORE [--root R]... [-- COLLECTORD ARGS]: watcherd |
# collectord through a fifo, so that both pids are known: WP, CP.
PIPES=0
start_pipeline() {
	sp_store=$1; shift
	sp_roots="" sp_extra=""
	while [ $# -gt 0 ]; do
		case $1 in
		--root) sp_roots="$sp_roots --root $2"; shift 2 ;;
		--) shift; sp_extra="$*"; break ;;
		*) sp_extra="$sp_extra $1"; shift ;;
		esac
	done
	PIPES=$((PIPES + 1))
	mkfifo "$T/pipe.$PIPES"
	# shellcheck disable=SC2086
	"$BIN/collectord" --store "$sp_store" $sp_roots $sp_extra <"$T/pipe.$PIPES" 2>>"$T/collectord.err" &
	CP=$!
	# shellcheck disable=SC2086
	"$BIN/watcherd" $sp_roots >"$T/pipe.$PIPES" 2>>"$T/watcherd.err" &
	WP=$!
	on_exit "kill $WP $CP 2>/dev/null"
	wait_for 10 "$BIN/cadvctl" --store "$sp_store" stats / >/dev/null
}

stop_pipeline() {
	kill "$WP" "$CP" 2>/dev/null
	wait "$WP" "$CP" 2>/dev/null
	return 0
}

# start_eventd STORE [ARGS]: eventd on STORE, its pid in ED, once its
# socket is there
start_eventd() {	# start_eventd STORE [ARGS]
	_s=$1; shift
	"$BIN/eventd" --store "$_s" "$@" 2>>"$T/eventd.err" &
	ED=$!
	on_exit "kill $ED 2>/dev/null"
	wait_for 5 test -S "$_s/events.sock"
}
