# Who may read exporterd (issue 17, finding 9 and the JSON half of 11):
# a Host header that is neither the listen address, localhost nor an
# --allowed-hosts name is refused (421), which stops a web page from
# reading the API through DNS rebinding; --tls-cert and --tls-key serve
# HTTPS; a unix socket is the store's group's alone.  A request's bytes
# echoed in a JSON error never make it invalid UTF-8.  Before, any local
# page read everything, OOM events with pids and process names included,
# and a path holding 0xff came back in a JSON string as it was.
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "exporterd hosts" "curl is not installed (make deps)"
	exit 0
fi
. "$CADV_TOP/tests/lib-exporterd.sh"

# --- Host ---
start --listen "127.0.0.1:$PORT"
for h in "evil.example:$PORT" "evil.example" "127.0.0.2:$PORT" "localhost.evil.example:$PORT"; do
	expect "Host: $h: 421" test "$(code -H "Host: $h" "$U/api/v2.0/events/?oom_kill_events=true")" = 421
done
expect "the 421 says why" grep -q 'DNS rebinding' "$T/body"
for h in "127.0.0.1:$PORT" "127.0.0.1" "localhost:$PORT" "LOCALHOST"; do
	expect "Host: $h: 200" test "$(code -H "Host: $h" "$U/api/v2.0/events/")" = 200
done
"$PY" - "$PORT" >"$T/raw.out" <<'PYEOF'
import socket, sys
def status(req):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(req)
    d = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        d += b
    return d.split(b" ")[1].decode()
print(status(b"GET /healthz HTTP/1.0\r\n\r\n"),
      status(b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"),
      status(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil\r\n"
             b"Connection: close\r\n\r\n"))
PYEOF
expect "HTTP/1.0 without Host (no browser sends it): 200" test "$(cut -d' ' -f1 "$T/raw.out")" = 200
expect "HTTP/1.1 without Host: 421" test "$(cut -d' ' -f2 "$T/raw.out")" = 421
expect "two Host headers: 400" test "$(cut -d' ' -f3 "$T/raw.out")" = 400

# --- invalid UTF-8 in the request, echoed in JSON errors ---
json_error_utf8() {	# json_error_utf8 STATUS: a 4xx whose body is a JSON error in UTF-8
	[ "$1" -ge 400 ] && [ "$1" -lt 500 ] && "$PY" -c '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
sys.exit(0 if d["error"] else 1)' "$T/body"
}
for q in "/api/v2.0/stats/%ff%fe" "/api/v2.0/stats/?count=%ff" \
    "/api/v2.0/%ff/x" "/api/v%ff/x" "/api/v2.0/events/?start_time=%c3%28" \
    "/api/v2.0/stats/$("$PY" -c 'print("%c3%a9" * 600 + "%c3")')"; do
	c=$(code --path-as-is "$U$q")
	expect "$(echo "$q" | cut -c1-40): $c, a JSON error in valid UTF-8" json_error_utf8 "$c"
done
stop
start --listen "127.0.0.1:$PORT" --allowed-hosts "node1.example, metrics.example"
expect "--allowed-hosts: a listed name is answered" test "$(code -H "Host: metrics.example:$PORT" "$U/healthz")" = 200
expect "--allowed-hosts: others still 421" test "$(code -H "Host: evil.example:$PORT" "$U/healthz")" = 421
stop
expect_status "--allowed-hosts with a port is a start-up error" 1 \
    "$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" --allowed-hosts "a.example:80"

# --- TLS ---
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1; then
	chmod 600 "$T/key.pem"
	start --listen "127.0.0.1:$PORT" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
	expect "TLS: https with the certificate: 200" \
	    test "$(code --cacert "$T/cert.pem" "https://localhost:$PORT/metrics")" = 200
	expect "TLS: /metrics came over it" grep -q '^container_memory_usage_bytes{' "$T/body"
	expect "TLS: plain HTTP gets no answer" sh -c "! curl -s -m 3 -o /dev/null '$U/healthz'"
	if is_root; then
		expect "TLS: seccomp on" grep -q '^Seccomp:[[:space:]]*2' "/proc/$XP/status"
	fi
	stop
	expect_status "TLS: a key that is not the certificate's: 1" 1 \
	    "$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" --tls-cert "$T/cert.pem" --tls-key "$T/cert.pem"
	expect_status "TLS: --tls-cert alone is a usage error" 2 \
	    "$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" --tls-cert "$T/cert.pem"
else
	skip "TLS" "openssl cannot make a test certificate"
fi

# --- unix socket: the store's group, mode 0660 ---
if is_root; then
	GRP=$(getent group daemon | cut -d: -f3)
	chgrp -R "$GRP" "$S"
	start --listen "unix:$T/x.sock"
	XU=$(awk '/^Uid:/ { print $2 }' "/proc/$XP/status")
	expect "the socket: mode 0660, exporterd's user, the store's group" \
	    test "$(stat -c '%a %u %g' "$T/x.sock")" = "660 $XU $GRP"
	conn_as() {	# conn_as GROUPS: 0 when a uid of no one's, with GROUPS, may connect
		"$PY" -c '
import os, socket, sys
os.setgroups([int(g) for g in sys.argv[2].split(",") if g])
os.setgid(54321)
os.setuid(54321)
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
except PermissionError:
    sys.exit(1)' "$T/x.sock" "$1"
	}
	if conn_as ""; then fail "a user outside the store's group cannot connect"; else pass "a user outside the store's group cannot connect"; fi
	expect "a member of the store's group can" conn_as "$GRP"
	stop
else
	skip "unix socket owner and group" "not root"
	start --listen "unix:$T/x.sock"
	expect "the socket is mode 0660" test "$(stat -c %a "$T/x.sock")" = 660
	stop
fi
