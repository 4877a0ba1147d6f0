# exporterd's basic authentication (issue 17, finding 9): with
# --http-auth-file (htpasswd: bcrypt, SHA-crypt, {SHA}) every path but
# /healthz wants a user and password, OOM events with pids included; what
# the file holds that exporterd cannot verify is a start-up error naming
# the line; guessing is limited (429) while a known password still works;
# over TLS too.  Before, there was no such option: any local user read
# the OOM events.
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "exporterd authentication" "curl is not installed (make deps)"
	exit 0
fi
# the test's password hashes come from crypt(3) through Python's crypt
if ! "$PY" -W ignore -c 'import crypt' 2>/dev/null; then
	skip "exporterd authentication" "$PY has no crypt module to make bcrypt hashes with"
	exit 0
fi
. "$CADV_TOP/tests/lib-exporterd.sh"

# --- basic authentication ---
"$PY" -W ignore - "$T/htpasswd" <<'PYEOF'
import base64, crypt, hashlib, sys
with open(sys.argv[1], "w") as f:
    # htpasswd -B writes $2y$ (the same bcrypt as $2b$), -s {SHA}
    f.write("bob:" + crypt.crypt("bob-pw", crypt.mksalt(crypt.METHOD_BLOWFISH,
            rounds=16)).replace("$2b$", "$2y$", 1) + "\n")
    f.write("sam:{SHA}" + base64.b64encode(hashlib.sha1(b"sam-pw").digest())
            .decode() + "\n")
    f.write("# SHA-crypt\nsix:" + crypt.crypt("six-pw", crypt.mksalt(
            crypt.METHOD_SHA512)) + "\r\n")
    f.write("five:" + crypt.crypt("five-pw", crypt.mksalt(crypt.METHOD_SHA256)))
PYEOF
start --listen "127.0.0.1:$PORT" --http-auth-file "$T/htpasswd"
OOM="$U/api/v2.0/events/?oom_kill_events=true&subcontainers=true&max_events=-1"
expect "no credentials: OOM events are 401" test "$(code "$OOM")" = 401
expect "and no pid in the answer" sh -c "! grep -q pid '$T/body'"
curl -s -D "$T/head" -o /dev/null "$U/metrics"
expect "401 names the scheme and realm" grep -qi '^WWW-Authenticate: Basic realm="cadv"' "$T/head"
for c in bob:bob-pw sam:sam-pw six:six-pw five:five-pw; do
	expect "user ${c%%:*}: 200" test "$(code -u "$c" "$OOM")" = 200
done
expect "an authenticated user reads the OOM events" grep -q '"pid"' "$T/body"
expect "a wrong password: 401" test "$(code -u bob:bob-px "$U/metrics")" = 401
expect "an unknown user: 401" test "$(code -u eve:bob-pw "$U/metrics")" = 401
expect "a malformed Authorization header: 401" test "$(code -H 'Authorization: Basic !!' "$U/metrics")" = 401
expect "/healthz asks for nothing" test "$(code "$U/healthz")" = 200
# guessing is limited: more than AUTH_HASHES_PER_S tries a second get 429,
# and a password seen to work still works meanwhile
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do code -u "bob:guess$i" "$U/metrics"; echo; done >"$T/guesses"
expect "a burst of wrong passwords meets 429" grep -qx 429 "$T/guesses"
expect "while a known one is answered" test "$(code -u sam:sam-pw "$U/metrics")" = 200
stop
printf 'x:$apr1$abcdefgh$0123456789abcdefghijkl\n' >"$T/apr1"
printf 'x:secret\n' >"$T/plain"
printf '# nothing\n' >"$T/empty"
printf 'x:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\nx:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\n' >"$T/twice"
for f in apr1:APR1 plain:'plain text' empty:'no users' twice:'line 2: user x: listed twice'; do
	expect_status "--http-auth-file ${f%%:*}: start-up error" 1 \
	    "$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" --http-auth-file "$T/${f%%:*}"
	expect "naming it: ${f#*:}" grep -q "${f#*:}" "$T/.err"
done

# --- over TLS ---
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1; then
	start --listen "127.0.0.1:$PORT" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" --http-auth-file "$T/htpasswd"
	expect "TLS: no credentials: 401" test "$(code --cacert "$T/cert.pem" "https://localhost:$PORT/metrics")" = 401
	expect "TLS: authenticated: 200" \
	    test "$(code --cacert "$T/cert.pem" -u sam:sam-pw "https://localhost:$PORT/metrics")" = 200
	stop
else
	skip "TLS" "openssl cannot make a test certificate"
fi
