# collectord at its descriptor limit reads the containers beyond it by path;
# once containers go and descriptors come free, it keeps files open again
# (issue 17, finding 11): the ones read by path and the ones that come next.
. "$CADV_TOP/tests/lib.sh"

M=/sys/fs/cgroup/memory
if ! can_mkcg || [ ! -d $M ] || [ ! -d /sys/fs/cgroup/cpuacct ]; then
	skip "descriptors free again" "need root or delegated cgroups (memory and cpuacct)"
	exit 0
fi
A=/sys/fs/cgroup/cpuacct/${CGD}cadv-test-$$-fdback
B=$M/${CGD}cadv-test-$$-fdback
mkdir "$A" "$B" || { fail "mkdir $A $B"; exit 1; }
on_exit "rmdir $A/* $A $B/* $B 2>/dev/null"
i=0
while [ $i -lt 60 ]; do mkdir "$A/c$i" "$B/c$i"; i=$((i + 1)); done

S=$T/store
mkfifo "$T/fifo"
(ulimit -n 150 && exec "$BIN/collectord" --store "$S" --root "$A" --root "$B") <"$T/fifo" 2>"$T/collectord.err" &
CP=$!
"$BIN/watcherd" --root "$A" --root "$B" >"$T/fifo" 2>/dev/null &
WP=$!
on_exit "kill $WP $CP 2>/dev/null"
# kept open: a descriptor of collectord's on a file of the container
kept() { ls -l "/proc/$CP/fd" 2>/dev/null | grep -q -- "-> $B/$1/memory.stat\$"; }
wait_for 10 grep -q 'out of file descriptors' "$T/collectord.err"
expect "at 150 descriptors collectord reaches its limit" grep -q 'out of file descriptors' "$T/collectord.err"
ls -l "/proc/$CP/fd" >"$T/fds.1" 2>/dev/null
expect "the first containers keep their files open" grep -q -- "-> $B/c[0-9]*/memory.stat\$" "$T/fds.1"
# one read by path (watcherd's order is the directory's, not ours)
K=""
i=0
while [ $i -lt 60 ] && [ -z "$K" ]; do
	grep -q -- "-> $B/c$i/" "$T/fds.1" || K=c$i
	i=$((i + 1))
done
expect "the containers beyond the limit are read by path" test -n "$K"
K=${K:-c59}

# all others go: their descriptors come free
i=0
while [ $i -lt 60 ]; do
	[ "c$i" = "$K" ] || rmdir "$A/c$i" "$B/c$i"
	i=$((i + 1))
done
expect "with the descriptors free again collectord says so (within 12 s)" \
    wait_for 12 grep -q 'file descriptors free again' "$T/collectord.err"
mkdir "$A/c60" "$B/c60"
expect "the container read by path gets its files kept open again" wait_for 3 kept "$K"
expect "and one that comes now has them kept open from the start" wait_for 3 kept c60
"$BIN/cadvctl" --store "$S" stats "/$K" --json --count 1 >"$T/k.json"
expect "it is still sampled every tick" "$PY" -c '
import json, sys, time
s = json.load(open(sys.argv[1]))["stats"][-1]
sys.exit(0 if time.time() - s["timestamp_ns"] / 1e9 < 2 and "usage" in s["memory"] else 1)' "$T/k.json"
expect "collectord goes on" kill -0 "$CP"
kill "$WP" 2>/dev/null
wait "$WP" "$CP" 2>/dev/null || true
