# cadvinit, the container image's PID 1, run outside a container: it
# starts every daemon, restarts one that dies (the pipeline as one unit)
# with a doubling backoff, reaps orphans, and on TERM stops them all.
. "$CADV_TOP/tests/lib.sh"

PORT=$(free_port)
S=$T/store
LOG=$T/init.log
quiet() { "$@" >/dev/null 2>&1; }
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
# pid_of NAME: the pid of NAME's latest start, from cadvinit's log
pid_of() { sed -n "s/^cadvinit: started $1 (pid \([0-9]*\))$/\1/p" "$LOG" | tail -n 1; }
is_daemon() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
restarted() { _p=$(pid_of "$1"); [ -n "$_p" ] && [ "$_p" != "$2" ] && is_daemon "$_p" "$1"; }
# zombies PID: children of PID that are zombies (none expected: reaped)
zombies() { ps -o stat= --ppid "$1" | grep -c '^Z'; }
fresh_stats() { "$BIN/cadvctl" --store "$S" stats / >/dev/null 2>&1; }

"$BIN/cadvinit" -s "$S" --exporterd-args "--listen 127.0.0.1:$PORT" 2>"$LOG" &
INIT=$!
on_exit "kill $INIT 2>/dev/null"
# Each daemon is started once: a second start means the first one died,
# and the log (printed on failure) says why.
started_once() { [ "$(grep -c "^cadvinit: started $1 (pid" "$LOG")" -eq 1 ] &&
	is_daemon "$(pid_of "$1")" "$1"; }
for d in watcherd collectord eventd identd exporterd; do
	expect "starts $d once and logs its pid" wait_for 10 started_once "$d"
done
expect "the pipeline writes the store" wait_for 15 fresh_stats
expect "exporterd serves /metrics" wait_for 10 sh -c \
    "curl -sf http://127.0.0.1:$PORT/metrics | grep -q '^container_cpu_usage_seconds_total'"
for d in watcherd collectord eventd identd exporterd; do
	started_once "$d" || echo "cadvinit: $d died at start: $(tail -n 20 "$LOG")"
done

# eventd killed: restarted after 1 s, with its status logged
ev=$(pid_of eventd)
kill -KILL "$ev"
expect "eventd killed: its end is logged with the signal" wait_for 5 \
    grep -q "^cadvinit: eventd (pid $ev) killed by signal 9" "$LOG"
expect "restart after the first backoff (1 s)" grep -q '^cadvinit: restarting eventd in 1 s$' "$LOG"
expect "eventd runs again under a new pid" wait_for 5 restarted eventd "$ev"
expect "no zombie left behind" test "$(zombies "$INIT")" -eq 0

# killed again at once: the backoff doubles
ev=$(pid_of eventd)
kill -KILL "$ev"
expect "a second death within a minute waits 2 s" wait_for 5 \
    grep -q '^cadvinit: restarting eventd in 2 s$' "$LOG"
expect "and eventd comes back" wait_for 6 restarted eventd "$ev"

# watcherd killed: collectord goes with it, both restart together
wp=$(pid_of watcherd) cp=$(pid_of collectord)
kill -KILL "$wp"
expect "watcherd's death stops collectord too" wait_for 10 gone "$cp"
expect "watcherd restarted" wait_for 5 restarted watcherd "$wp"
expect "collectord restarted" wait_for 5 restarted collectord "$cp"
before=$(stat -c %Y "$S/data.mdb" 2>/dev/null)
sleep 2.2
expect "the new pipeline writes the store" wait_for 10 sh -c \
    "[ \"\$(stat -c %Y '$S/data.mdb')\" -gt '$before' ] && '$BIN/cadvctl' --store '$S' stats / >/dev/null"

# identd killed: its reader and walker, now orphans, come to cadvinit
# (a subreaper outside a container, PID 1 inside) and are reaped
ip=$(pid_of identd)
kids=$(ps -o pid= --ppid "$ip" | tr -d ' ' | tr '\n' ' ')
kill -KILL "$ip"
expect "identd restarted" wait_for 5 restarted identd "$ip"
for k in $kids; do
	expect "identd's child $k, orphaned, is reaped" wait_for 10 gone "$k"
done
expect "no zombie among cadvinit's children" wait_for 5 sh -c \
    "[ \$(ps -o stat= --ppid $INIT | grep -c '^Z') -eq 0 ]"

# TERM: every daemon stops, cadvinit exits 0
all=""
for d in watcherd collectord eventd identd exporterd; do all="$all $(pid_of $d)"; done
kill -TERM "$INIT"
wait "$INIT"; rc=$?
expect "TERM: cadvinit exits 0" test "$rc" -eq 0
expect "and logs every daemon gone" grep -q '^cadvinit: every daemon is gone$' "$LOG"
for p in $all; do expect "daemon pid $p is gone" gone "$p"; done

# stand-ins: a daemon that ignores TERM is KILLed after --grace; one
# that keeps failing backs off 1, 2, 4 s
FAKE=$T/fake
mkdir "$FAKE"
for d in watcherd collectord; do
	printf '#!/bin/sh\ntrap "" TERM\nwhile :; do sleep 0.2; done\n' >"$FAKE/$d"
done
printf '#!/bin/sh\nexit 3\n' >"$FAKE/eventd"
chmod 755 "$FAKE"/*
"$BIN/cadvinit" -b "$FAKE" --grace 1 2>"$T/fake.log" &
INIT=$!
on_exit "kill -KILL $INIT 2>/dev/null"
expect "missing identd and exporterd are not started" wait_for 5 \
    grep -q 'exporterd is not installed: not started' "$T/fake.log"
expect "a failing daemon's exit status is logged" wait_for 5 \
    grep -q '^cadvinit: eventd (pid [0-9]*) exited with status 3$' "$T/fake.log"
expect "it backs off 1, 2, then 4 s" wait_for 8 sh -c "
	grep '^cadvinit: restarting eventd' '$T/fake.log' | head -n 3 |
	    sed 's/.* in //' | tr '\n' ' ' | grep -qx '1 s 2 s 4 s '"
t0=$(date +%s)
kill -TERM "$INIT"
wait "$INIT"; rc=$?
t1=$(date +%s)
expect "daemons ignoring TERM are KILLed after the grace" \
    grep -q '^cadvinit: daemons still running after 1 s: KILL$' "$T/fake.log"
expect "cadvinit then exits 0, within 4 s" test "$rc" -eq 0 -a $((t1 - t0)) -le 4
expect "no stand-in is left" sh -c "! ps -o args= -u $(id -u) | grep -q '^/bin/sh $FAKE/'"

expect_status "a missing watcherd is an error (1)" 1 "$BIN/cadvinit" -b "$T/nowhere"
expect "naming it" grep -q "$T/nowhere/watcherd: missing" "$T/.err"
expect_status "--without the pipeline is refused (1)" 1 "$BIN/cadvinit" --without collectord
expect_status "a relative --host-root is refused (1)" 1 "$BIN/cadvinit" -b "$FAKE" --host-root rel
