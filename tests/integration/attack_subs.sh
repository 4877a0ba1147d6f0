# One user cannot take every subscriber slot of eventd (issue 17, finding
# 11): with the default 64 clients, one member of the store's group used
# to hold all of them and lock everyone else out of OOM events.  Now each
# peer uid (from SO_PEERCRED), root's included, gets at most
# --max-clients-per-uid (default a quarter of --max-clients) and another
# user is still served.
. "$CADV_TOP/tests/lib.sh"

# holder N OUT: N connections to the socket, each sending a subscription;
# writes "served refused" to OUT once each answered or stayed quiet for
# a moment, then holds them open until killed
cat >"$T/holder.py" <<'EOF'
import json, socket, sys, time
path, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
socks, served, refused, why = [], 0, 0, ""
for i in range(n):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    try:
        s.sendall(b"{}\n")
    except OSError:
        pass             # refused and closed already: its reply is read below
    socks.append(s)
    time.sleep(0.01)
time.sleep(0.5)
for s in socks:
    s.settimeout(0.2)
    try:
        b = s.recv(65536)
    except socket.timeout:
        b = b""          # a subscriber with no history yet
    except OSError:
        b = b""
    first = b.split(b"\n")[0]
    if first.startswith(b'{"error"'):
        refused += 1
        why = json.loads(first)["error"]
    else:
        served += 1
with open(out + ".tmp", "w") as f:
    f.write("%d %d %s\n" % (served, refused, why))
import os; os.rename(out + ".tmp", out)
time.sleep(60)
EOF
# one MAX: a one-shot history query; prints its first line
cat >"$T/one.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
s.sendall(b'{"max_events":1}\n')
b = b""
while b"\n" not in b:
    c = s.recv(65536)
    if not c:
        break
    b += c
print(b.split(b"\n")[0].decode())
EOF
chmod a+r "$T/holder.py" "$T/one.py"
W=$T/w		# where the users' clients write what they saw
mkdir -m 1777 "$W"

S=$T/store
# start_eventd AS ARGS...: eventd on S (AS: a setpriv prefix or empty)
start_eventd() {
	_as=$1; shift
	$_as "$BIN/eventd" --store "$S" --kmsg /nonexistent "$@" 2>>"$T/eventd.err" &
	EP=$!
	on_exit "kill $EP 2>/dev/null"
	wait_for 5 test -S "$S/events.sock"
}
# served OUT: the counts a holder wrote
counts() { wait_for 10 test -s "$1" && cut -d' ' -f1,2 "$1"; }

if is_root && command -v setpriv >/dev/null 2>&1; then
	# eventd as one user, a store of its own; two other users in its group
	free() { ! getent passwd "$1" >/dev/null && [ -z "$(ps -o pid= -u "$1" 2>/dev/null)" ]; }
	u=$((64200 + ($$ % 900) * 3))
	while ! free $u || ! free $((u + 1)) || ! free $((u + 2)); do u=$((u + 3)); done
	E=$u A=$((u + 1)) B=$((u + 2))
	on_exit 'for p in $(ps -o pid= -u '$A' -u '$B' -u '$E' 2>/dev/null); do kill -9 $p 2>/dev/null; done'
	as() { setpriv --reuid="$1" --regid="$E" --clear-groups; }
	mkdir -m 0755 "$S"
	chown $E:$E "$S"
	setpriv --reuid=$E --regid=$E --clear-groups "$TBIN/storefill" --store "$S" --containers 1 --samples 1 --events 20 >/dev/null
	start_eventd "setpriv --reuid=$E --regid=$E --clear-groups"

	# the attack: one group member opens every slot there is
	setpriv --reuid=$A --regid=$E --clear-groups "$PY" "$T/holder.py" "$S/events.sock" 64 "$W/a.out" &
	on_exit "kill $! 2>/dev/null"
	c=$(counts "$W/a.out")
	expect "one user gets a quarter of the 64 slots and no more (served refused: $c)" test "$c" = "16 48"
	expect "the others are told why, naming the uid" grep -q "too many clients of uid $A" "$W/a.out"
	setpriv --reuid=$B --regid=$E --clear-groups "$PY" "$T/one.py" "$S/events.sock" >"$T/b.out" 2>&1
	expect "another user is still served ($(head -c 200 "$T/b.out"))" grep -q '"seq"' "$T/b.out"
	# root's own clients count the same way
	"$PY" "$T/holder.py" "$S/events.sock" 17 "$W/root.out" &
	on_exit "kill $! 2>/dev/null"
	c=$(counts "$W/root.out")
	expect "root's clients are limited too (served refused: $c)" test "$c" = "16 1"
	setpriv --reuid=$B --regid=$E --clear-groups "$PY" "$T/one.py" "$S/events.sock" >"$T/b2.out" 2>&1
	expect "and still another user is served" grep -q '"seq"' "$T/b2.out"
	expect "eventd is fine" kill -0 "$EP"
	kill $EP; wait $EP 2>/dev/null
else
	skip "another user served while one holds its share" "needs root to act as several users"
fi

# as one user, whoever runs this: the share is the option's
rm -rf "$S"
"$TBIN/storefill" --store "$S" --containers 1 --samples 1 --events 20 >/dev/null
start_eventd "" --max-clients 10 --max-clients-per-uid 3
"$PY" "$T/holder.py" "$S/events.sock" 5 "$W/self.out" &
HP=$!
on_exit "kill $HP 2>/dev/null"
c=$(counts "$W/self.out")
expect "--max-clients-per-uid 3: three of five served (served refused: $c)" test "$c" = "3 2"
kill $HP; wait $HP 2>/dev/null
sleep 0.3
"$PY" "$T/one.py" "$S/events.sock" >"$T/again.out" 2>&1
expect "a slot given back is served again" grep -q '"seq"' "$T/again.out"
kill $EP; wait $EP 2>/dev/null
expect "eventd logs the limits it serves with" grep -q 'clients 10, 3 per uid' "$T/eventd.err"
expect_status "--max-clients-per-uid 0 is a usage error" 2 "$BIN/eventd" --store "$S" --max-clients-per-uid 0
expect_status "--max-clients-per-uid above --max-clients is a usage error" 2 "$BIN/eventd" --store "$S" --max-clients 4 --max-clients-per-uid 5
