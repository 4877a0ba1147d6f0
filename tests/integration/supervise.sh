# scripts/cadv: start, status, stop with pidfiles; it stops exactly the
# processes it started, never one that merely has its pid in a stale file.
. "$CADV_TOP/tests/lib.sh"

export CADV_STORE="$T/store" CADV_RUNDIR="$T/run" CADV_BINDIR="$BIN"
export CADV_EXPORTERD_ARGS="--listen 127.0.0.1:$(free_port)"
DAEMONS="watcherd collectord eventd identd exporterd"
ND=5
CADV=$TOP/scripts/cadv
on_exit "sh '$CADV' stop >/dev/null 2>&1"
# gone PID: exited (a daemon whose launcher has exited is reaped by init,
# which may take a moment: a zombie counts as gone)
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
quiet() { "$@" >/dev/null 2>&1; }

expect_status "status before start: none running (3)" 3 sh "$CADV" status
expect_status "start" 0 sh "$CADV" start
expect_status "status: all running (0)" 0 sh "$CADV" status
for d in $DAEMONS; do
	pid=$(cat "$T/run/$d.pid")
	expect "$d: its pidfile names a live $d" test "$(cat "/proc/$pid/comm")" = "$d"
	eval "pid_$d=$pid"
done
expect "the pipeline writes the store" wait_for 10 quiet "$BIN/cadvctl" stats /
expect_status "a second start starts nothing new" 0 sh "$CADV" start
expect "still the same collectord" test "$(cat "$T/run/collectord.pid")" = "$pid_collectord"
expect_status "a daemon started by hand on a held pidfile refuses (1)" 1 \
    "$BIN/eventd" --store "$T/store2" --pidfile "$T/run/eventd.pid"
expect "and names the pid that holds it" grep -q "already running as pid $pid_eventd" "$T/.err"

# a decoy of ours whose pid sits in a pidfile nobody holds
sleep 60 &
DECOY=$!
on_exit "kill $DECOY 2>/dev/null"
sh "$CADV" stop >"$T/stop.out" 2>&1
expect "stop stops all five" test "$(grep -c ' stopped$' "$T/stop.out")" -eq $ND
for d in $DAEMONS; do
	eval "pid=\$pid_$d"
	expect "$d (pid $pid) is gone" gone "$pid"
done
expect_status "status after stop: none running (3)" 3 sh "$CADV" status
echo "$DECOY" >"$T/run/eventd.pid"
expect_status "stop with only a stale pidfile" 0 sh "$CADV" stop
expect "leaves the process named in it alone" kill -0 "$DECOY"
expect "and removes the stale pidfile" test ! -e "$T/run/eventd.pid"

# run: foreground until a signal, then everything stops
sh "$CADV" run >"$T/run.out" 2>&1 &
RUNNER=$!
on_exit "kill $RUNNER 2>/dev/null"
expect "run: the daemons come up" wait_for 10 quiet sh "$CADV" status
pid=$(cat "$T/run/collectord.pid" 2>/dev/null)
kill -TERM "$RUNNER"
wait "$RUNNER"
expect "run: TERM stops them all" test "$(grep -c ' stopped$' "$T/run.out")" -eq $ND
expect "run: collectord (pid $pid) is gone" gone "$pid"

# a daemon dying under run ends the rest
sh "$CADV" run >"$T/run2.out" 2>&1 &
RUNNER=$!
on_exit "kill $RUNNER 2>/dev/null"
wait_for 10 quiet sh "$CADV" status
kill -9 "$(cat "$T/run/eventd.pid")"
expect "run: a dead daemon ends the run with status 1" sh -c "
	i=0; while kill -0 $RUNNER 2>/dev/null && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done
	! kill -0 $RUNNER 2>/dev/null"
wait "$RUNNER"; rc=$?
expect "run: status 1 and the others stopped" test "$rc" -eq 1
expect_status "nothing left running" 3 sh "$CADV" status
expect_status "unknown command: usage (2)" 2 sh "$CADV" frobnicate
