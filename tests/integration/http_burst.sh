# Every connection of a burst is answered: 3 x 3,000 requests on their own
# connections, 16 at a time, GETs and POSTs with a body.  Before, 0 to 21 of
# each 4,000 were closed unanswered within milliseconds: the header
# deadline's reaper read the clock before taking the lock, so a connection
# listed in between was "older" than the deadline by an unsigned wrap and
# cut (exporterd/conns.c).
. "$CADV_TOP/tests/lib.sh"
same_for_any_user "exporterd's HTTP server under load; as root it serves as its unprivileged user already"

S=$T/store
"$TBIN/storefill" --store "$S" --containers 20 --samples 5 >/dev/null
PORT=$(free_port)
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))"
# a sanitizer build answers five times slower: one round there (the
# race is the plain build's to catch; ASan's is for memory)
ROUNDS="1 2 3"
if ldd "$BIN/exporterd" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	ROUNDS=1
fi
for round in $ROUNDS; do
	/usr/bin/python3 "$CADV_TOP/tests/tools/burst.py" "$PORT" 3000 16 \
	    >"$T/burst.out" 2>&1
	rc=$?
	sed 's/^/# /' "$T/burst.out"
	expect "burst $round: 3,000 requests, 16 at a time, every one answered" \
	    test "$rc" -eq 0
done
