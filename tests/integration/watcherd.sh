# watcherd against fixture trees and, as root, real cgroupfs (v1
# hierarchies and the v2 tree), each under this test's own prefix.
. "$CADV_TOP/tests/lib.sh"

CGSET="$PY $TOP/tests/cgset.py"

# start_watch LOG ARGS...: watcherd ARGS | framecat > LOG in the background,
# through a fifo so that we know watcherd's own pid: WP (killed by pid only)
start_watch() {
	log=$1; shift
	mkfifo "$log.fifo"
	"$TBIN/framecat" <"$log.fifo" >"$log" &
	FC=$!
	"$BIN/watcherd" "$@" >"$log.fifo" 2>"$log.err" &
	WP=$!
	on_exit "kill $WP 2>/dev/null"
	wait_for 10 grep -q '^SYNC$' "$log"
}

stop_watch() {
	kill "$WP" 2>/dev/null
	wait "$WP" "$FC" 2>/dev/null
}

# settled LOG UNDER ROOT...: wait until the live set equals the directories
settled() {
	log=$1 under=$2; shift 2
	i=0
	while [ $i -lt 100 ]; do
		$CGSET live "$log" --under "$under" >"$T/live.txt"
		$CGSET find "$@" --under "$under" >"$T/want.txt"
		cmp -s "$T/live.txt" "$T/want.txt" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "live set differs from the directories (< live, > existing):"
	diff "$T/live.txt" "$T/want.txt" | head -n 20
	return 1
}

# odd_names DIR [nonl]: names with bytes that need care; cgroupfs refuses
# newlines in names (EINVAL), so "nonl" leaves that one out
odd_names() {
	mkdir -p "$1/with space" "$1/tab	here" "$1/quote\"s'" "$1/back\\slash" \
	    "$1/$(printf '\377\376invalid')" "$1/caf$(printf '\303\251')"
	[ "${2:-}" = nonl ] || mkdir -p "$1/$(printf 'new\nline')"
}

### fixture tree
R=$T/tree
mkdir -p "$R/a/b/c" "$R/x"
odd_names "$R/x"
start_watch "$T/fix.log" --root "$R" --rescan-interval 60s
expect "fixture: initial snapshot equals find -type d" settled "$T/fix.log" / "$R"
sed '/^SYNC$/q' "$T/fix.log" >"$T/fix-snap.log"
expect "fixture: SYNC comes right after the whole snapshot" sh -c \
    "$CGSET live '$T/fix-snap.log' >'$T/snap.txt' && $CGSET find '$R' | cmp -s - '$T/snap.txt'"
expect "fixture: odd names come through byte-exact" sh -c \
    "grep -qx 'ADD /x/new\\\\x0aline' '$T/fix.log' && grep -qx 'ADD /x/\\\\xff\\\\xfeinvalid' '$T/fix.log' && grep -qx 'ADD /x/back\\\\\\\\slash' '$T/fix.log'"
mkdir -p "$R/live"
odd_names "$R/live"
expect "fixture: odd names created live come through" settled "$T/fix.log" / "$R"
mkdir -p "$R/deep/1/2/3/4/5/6"
expect "fixture: mkdir -p of a deep subtree is seen whole" settled "$T/fix.log" / "$R"
"$TBIN/treeburst" mkdir "$R/burst" 1000 && "$TBIN/treeburst" mix "$R/mix" 600 &&
    "$TBIN/treeburst" churn "$R" 300
expect "fixture: 1000-leaf burst, mix and churn settle exact" settled "$T/fix.log" / "$R"
"$TBIN/treeburst" rmdir "$R/burst"
mv "$R/deep/1" "$R/moved"
expect "fixture: removal and rename settle exact" settled "$T/fix.log" / "$R"
stop_watch

# --print writes the same text as framecat makes of the frames
"$BIN/watcherd" --root "$R" --print >"$T/print.log" 2>/dev/null &
wp=$!
wait_for 5 grep -q '^SYNC$' "$T/print.log"
kill "$wp"; wait "$wp" 2>/dev/null
"$BIN/watcherd" --root "$R" 2>/dev/null | "$TBIN/framecat" --count "$(wc -l <"$T/print.log")" >"$T/frames.log"
expect "--print equals the framed stream as text" cmp -s "$T/print.log" "$T/frames.log"

# a reader that closes the pipe ends watcherd, status 0, within a second
rm -f "$T/status"
( "$BIN/watcherd" --root "$R" 2>/dev/null; echo $? >"$T/status" ) | "$TBIN/framecat" --count 1 >/dev/null
t0=$(date +%s%N)
wait_for 3 test -s "$T/status"
t1=$(date +%s%N)
expect "closed pipe: watcherd exits with status 0" test "$(cat "$T/status" 2>/dev/null)" = 0
expect "closed pipe: within a second ($(( (t1 - t0) / 1000000 )) ms)" test $(( (t1 - t0) / 1000000 )) -lt 1000

expect_status "a missing --root is an error" 1 "$BIN/watcherd" --root "$T/nope"
expect_status "a bad --rescan-interval is a usage error" 2 "$BIN/watcherd" --root "$R" --rescan-interval 5

# watch limit: a user namespace of our own gets its own limit (>= 5.11),
# so lowering it there touches nobody else
E=$T/enospc
"$TBIN/treeburst" mkdir "$E" 50
if unshare -Ur true 2>/dev/null && unshare -Ur test -w /proc/sys/user/max_inotify_watches; then
	unshare -Ur sh -c "echo 20 >/proc/sys/user/max_inotify_watches &&
	    exec '$BIN/watcherd' --root '$E' --print >'$T/enospc.log' 2>'$T/enospc.err'" &
	ns=$!
	on_exit "kill $ns 2>/dev/null"
	wait_for 5 grep -q '^SYNC$' "$T/enospc.log"
	"$TBIN/treeburst" flat "$E/a0" 30
	mkdir "$E/late"
	expect "watch limit: every directory found by degraded rescans" settled "$T/enospc.log" / "$E"
	expect "watch limit: reported once, naming the limit to raise" sh -c \
	    "test \$(grep -c 'watch limit reached (user.max_inotify_watches = 20' '$T/enospc.err') -eq 1"
	kill "$ns"; wait "$ns" 2>/dev/null
else
	skip "watch limit (ENOSPC) tests" "unshare -Ur or per-namespace inotify limits not available"
fi

### real cgroupfs
if ! is_root; then
	skip "real cgroupfs tests" "need root to create cgroups"
	exit 0
fi
P=cadv-test-$$-w
V1A=/sys/fs/cgroup/memory V1B=/sys/fs/cgroup/pids V2=/sys/fs/cgroup/unified
for h in $V1A $V1B $V2; do
	[ -d "$h" ] || continue
	on_exit "'$TBIN/treeburst' rmdir '$h/$P' 2>/dev/null; rmdir '$h/$P' 2>/dev/null"
done

if [ -d $V1A ] && [ -d $V1B ]; then
	mkdir $V1A/$P $V1B/$P
	start_watch "$T/v1.log"
	expect "v1: initial snapshot includes the test prefix" grep -qx "ADD /$P" "$T/v1.log"
	"$TBIN/treeburst" mkdir $V1A/$P 1000 && "$TBIN/treeburst" mix $V1B/$P 500 && "$TBIN/treeburst" churn $V1A/$P 200
	expect "v1: 1000 cgroups burst over two hierarchies settles exact" settled "$T/v1.log" /$P $V1A $V1B
	"$TBIN/treeburst" rmdir $V1A/$P
	expect "v1: removal settles exact" settled "$T/v1.log" /$P $V1A $V1B
	# a name lives while any hierarchy has it
	mkdir $V1A/$P/both $V1B/$P/both
	wait_for 5 grep -qx "ADD /$P/both" "$T/v1.log"
	rmdir $V1A/$P/both
	sleep 0.3
	expect "v1: name in one hierarchy left is still live" sh -c "! grep -qx 'DEL /$P/both' '$T/v1.log'"
	rmdir $V1B/$P/both
	expect "v1: DEL when the last hierarchy loses it" wait_for 5 grep -qx "DEL /$P/both" "$T/v1.log"
	odd_names $V1A/$P nonl
	expect "v1: odd names on real cgroupfs byte-exact" settled "$T/v1.log" /$P $V1A $V1B
	stop_watch
	"$TBIN/treeburst" rmdir $V1A/$P; "$TBIN/treeburst" rmdir $V1B/$P
fi

if [ -d $V2 ] && [ "$(stat -f -c %T $V2)" = cgroup2fs ]; then
	mkdir $V2/$P
	start_watch "$T/v2.log" --root $V2
	"$TBIN/treeburst" mkdir $V2/$P 1000 && "$TBIN/treeburst" churn $V2/$P 200
	expect "v2: 1000 cgroups burst settles exact" settled "$T/v2.log" /$P $V2
	"$TBIN/treeburst" rmdir $V2/$P
	expect "v2: removal settles exact" settled "$T/v2.log" /$P $V2
	stop_watch

	# forced overflow: a 16-event queue for this watcherd's instance
	q=$(cat /proc/sys/fs/inotify/max_queued_events)
	on_exit "echo $q > /proc/sys/fs/inotify/max_queued_events"
	echo 16 >/proc/sys/fs/inotify/max_queued_events
	start_watch "$T/ovf.log" --root $V2 -d
	echo "$q" >/proc/sys/fs/inotify/max_queued_events
	# events only come from watched directories: make them flat
	kill -STOP "$WP"
	"$TBIN/treeburst" flat $V2/$P 400
	kill -CONT "$WP"
	expect "overflow: settles exact" settled "$T/ovf.log" /$P $V2
	expect "overflow: watcherd saw it and rescanned" grep -q "overflow" "$T/ovf.log.err"
	"$TBIN/treeburst" rmdir $V2/$P
	expect "overflow: removal after it settles exact" settled "$T/ovf.log" /$P $V2
	stop_watch
else
	skip "v2 cgroupfs tests" "no cgroup2 tree at $V2"
fi
