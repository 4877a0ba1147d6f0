# A short scenario with every program under valgrind (memcheck): the
# pipeline on a fixture tree, eventd, exporterd answering requests, and
# cadvctl's commands; each must end with zero errors and zero leaks
# (definite, indirect or possible).
. "$CADV_TOP/tests/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind scenario" "valgrind is not installed (make deps)"
	exit 0
fi
if ldd "$BIN/collectord" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	skip "valgrind scenario" "a sanitizer build (ASan and valgrind do not mix)"
	exit 0
fi
# seccomp off: valgrind makes system calls of its own
VG="valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full
    --suppressions=$CADV_TOP/tests/valgrind.supp
    --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible"
S=$T/store
PORT=$(free_port)
mkfifo "$T/pipe"
# shellcheck disable=SC2086
$VG --log-file="$T/vg.collectord" "$BIN/collectord" --no-seccomp --store "$S" \
    --root "$FIX/v2tree" <"$T/pipe" 2>"$T/collectord.err" &
CP=$!
# shellcheck disable=SC2086
$VG --log-file="$T/vg.watcherd" "$BIN/watcherd" --no-seccomp --root "$FIX/v2tree" \
    >"$T/pipe" 2>"$T/watcherd.err" &
WP=$!
on_exit "kill $WP $CP 2>/dev/null"
wait_for 60 "$BIN/cadvctl" --store "$S" stats / >/dev/null
# shellcheck disable=SC2086
$VG --log-file="$T/vg.eventd" "$BIN/eventd" --no-seccomp --store "$S" \
    --kmsg /nonexistent 2>"$T/eventd.err" &
ED=$!
# shellcheck disable=SC2086
$VG --log-file="$T/vg.exporterd" "$BIN/exporterd" --no-seccomp --store "$S" \
    --listen "127.0.0.1:$PORT" 2>"$T/exporterd.err" &
XP=$!
# identd over every runtime's captured state (both its processes: %p)
mkdir -p "$T/host"
for r in "$FIX"/runtimes/*/; do cp -a "$r". "$T/host/"; done
# shellcheck disable=SC2086
$VG --log-file="$T/vg.identd.%p" "$BIN/identd" --no-seccomp --store "$S" \
    --host "$T/host" 2>"$T/identd.err" &
IP=$!
on_exit "kill $ED $XP $IP 2>/dev/null"
wait_for 60 curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"
sleep 2
for u in /metrics "/api/v2.0/stats/?recursive=true" /api/v1.3/subcontainers/ \
    /api/v2.0/spec/ /api/v2.0/machine "/api/v2.0/events/?all_events=true" \
    /api/v2.0/stats/nonexistent "/api/v2.0/stats/?count=x" /; do
	curl -s -o /dev/null "http://127.0.0.1:$PORT$u"
done
n=0
for cmd in "ls --all --json" "stats / --json" "stats /a" "machine" "version" \
    "events --max -1 --json" "health --json" "get / memory.usage" "check" \
    "stats /no/such" "idents --json" "ls --k8s" "stats web1" "events --container dweb-10587"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	$VG --log-file="$T/vg.cadvctl.$n" "$BIN/cadvctl" --store "$S" $cmd \
	    >/dev/null 2>&1
	rc=$?
	expect "cadvctl $cmd: no valgrind errors or leaks" test "$rc" -ne 99 -a ! -s "$T/vg.cadvctl.$n"
done
expect "identd stored identities under valgrind" sh -c "'$BIN/cadvctl' --store '$S' idents | grep -q web1"
kill "$XP" "$ED" "$WP" "$IP"
wait "$IP"
rc=$?
expect "identd (writer and reader): no valgrind errors or leaks (status $rc)" \
    sh -c "[ $rc -ne 99 ] && ! [ -s \"\$(ls -S '$T'/vg.identd.* | head -n 1)\" ]"
for f in "$T"/vg.identd.*; do [ -s "$f" ] && head -40 "$f"; done
for p in "exporterd $XP" "eventd $ED" "watcherd $WP" "collectord $CP"; do
	set -- $p
	wait "$2"
	rc=$?
	expect "$1: no valgrind errors or leaks (status $rc)" test "$rc" -ne 99 -a ! -s "$T/vg.$1"
	if [ -s "$T/vg.$1" ]; then head -40 "$T/vg.$1"; fi
done
