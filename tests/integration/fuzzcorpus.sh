#!/bin/sh
# Every fuzz target's entry point over its seed corpus (real formats) and
# every input a fuzzer ever crashed it with (tests/fuzz/regress/NAME/):
# the regression tests of `make fuzz`.  Runs under the build's compiler
# and sanitizers.
. "$CADV_TOP/tests/lib.sh"

for corpus in "$CADV_TOP"/tests/fuzz/corpus/*/; do
	name=$(basename "$corpus")
	bin="$TBIN/replay_$name"
	if [ ! -x "$bin" ]; then
		fail "fuzz target $name has a replay program" "$bin"
		continue
	fi
	set -- "$corpus"
	[ -d "$CADV_TOP/tests/fuzz/regress/$name" ] &&
	    set -- "$@" "$CADV_TOP/tests/fuzz/regress/$name"
	expect_status "fuzz $name: seeds and regressions run clean" 0 "$bin" "$@"
	expect "fuzz $name: there were inputs" grep -qE '^[1-9][0-9]* inputs$' "$T/.out"
done
