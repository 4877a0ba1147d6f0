# A damaged store (issue 17, finding 7): a data.mdb cut short, or with
# bytes flipped in its pages, makes readers exit 3 naming the file and what
# is wrong, never die of a signal; a writer sets it aside under a name that
# says so and starts a fresh one; cadvctl check reports, never crashes.
. "$CADV_TOP/tests/lib.sh"
same_for_any_user "damaged stores, read by cadvctl and exporterd; the stores are the test's own either way"

C="$BIN/cadvctl"
S=$T/store
"$TBIN/storefill" --store "$S" --containers 50 --samples 20 --events 200 >/dev/null ||
	fail "storefill" "could not make a store"
# status CMD...: the exit status, "signal N" for a death by signal
status() { "$@" >"$T/.out" 2>"$T/.err"; _s=$?; [ $_s -ge 128 ] && echo "signal $((_s - 128))" || echo $_s; }

for kib in 8 12 40; do
	D=$T/cut$kib
	mkdir -p "$D"
	head -c $((kib * 1024)) "$S/data.mdb" >"$D/data.mdb"
	for cmd in "ls" "stats /fill/c1" "check" "events"; do
		# shellcheck disable=SC2086
		got=$(status "$C" --store "$D" $cmd)
		expect "cut to $kib KiB: cadvctl $cmd exits 3 ($got)" test "$got" = 3
	done
	expect "cut to $kib KiB: the message names the file and what is wrong" \
	    grep -q "$D/data.mdb: damaged: $((kib * 1024)) bytes, but its last page" "$T/.err"
	got=$(status "$BIN/exporterd" --store "$D" --listen "unix:$T/x$kib.sock")
	expect "cut to $kib KiB: exporterd exits with a message, not a signal ($got)" test "$got" = 1
	"$BIN/eventd" --store "$D" --socket "$T/e$kib.sock" --kmsg /nonexistent 2>"$T/e$kib.err" &
	ep=$!
	wait_for 5 grep -q "store $D" "$T/e$kib.err"
	expect "cut to $kib KiB: eventd, a writer, is running" kill -0 $ep
	kill $ep; wait $ep 2>/dev/null
	aside=$(ls "$D" | grep '^data\.mdb\.damaged-' || :)
	expect "cut to $kib KiB: the writer set it aside ($aside)" test -n "$aside"
	expect "cut to $kib KiB: and said so" grep -q "the store was damaged: .*: set it aside as $D/data.mdb.damaged-" "$T/e$kib.err"
	expect "cut to $kib KiB: the set-aside file is the damaged one, untouched" test "$(stat -c %s "$D/$aside")" = $((kib * 1024))
	expect_status "cut to $kib KiB: the fresh store is sound" 0 "$C" --store "$D" check
done

# bytes flipped in the pages: cadvctl check reports, 1,000 times
expect "1,000 stores with flipped bytes: cadvctl check never dies of a signal or hangs" \
    "$PY" "$TOP/tests/flipstore.py" "$S" "'$C' --store {} check" 1000 1
# a writer opening such a store: it takes it or sets it aside, never dies
expect "30 stores with flipped bytes: eventd starts on each, never dying of a signal" \
    "$PY" "$TOP/tests/flipstore.py" "$S" "timeout -s TERM 1 '$BIN/eventd' --store {} --socket {}/e.sock --kmsg /nonexistent" 30 2
exit 0
