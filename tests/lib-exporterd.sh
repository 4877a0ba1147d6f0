# Sourced after tests/lib.sh by the exporterd attack suites: a filled
# store, a port of the test's own, and exporterd started and stopped on it.
S=$T/store
"$TBIN/storefill" --store "$S" --containers 20 --samples 3 --events 40 >/dev/null
PORT=$(free_port)
U=http://127.0.0.1:$PORT
start() {	# start ARGS...: exporterd on $PORT, XP its pid
	"$BIN/exporterd" --store "$S" "$@" 2>>"$T/exporterd.err" &
	XP=$!
	on_exit "kill $XP 2>/dev/null"
	wait_for 5 sh -c "curl -s -o /dev/null -k '$U/healthz' || curl -s -o /dev/null -k 'https://127.0.0.1:$PORT/healthz' || curl -s -o /dev/null --unix-socket '$T/x.sock' http://x/healthz"
}
stop() { kill "$XP"; wait "$XP" 2>/dev/null; }
code() { curl -s -m 10 -o "$T/body" -w '%{http_code}' "$@"; }
