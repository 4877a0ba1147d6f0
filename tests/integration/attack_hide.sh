# Attack (issue 17, finding 10): a container owner hides a container by
# closing its cgroup directory to cadv (chmod 0700 on a delegated cgroup),
# or a file of it.  A root-started cadv must still list it, flagged
# unreadable with the error, counted in container_scrape_error, while a
# readable sibling is sampled as ever; and see it whole once it opens.
. "$CADV_TOP/tests/lib.sh"

if ! is_root; then
	skip "a container closed to cadv" "needs root: the daemons must start as root and drop to their user, and the test delegates (chowns) cgroups to another uid"
	exit 0
fi
if ! command -v setpriv >/dev/null 2>&1; then
	skip "a container closed to cadv" "setpriv (util-linux) is not installed"
	exit 0
fi
# our own tree under a unique prefix in each hierarchy we read: the v1
# memory, cpu, cpuacct and pids hierarchies, or the unified tree on a v2 machine
ROOTS=""
for h in memory cpu cpuacct pids; do
	[ -d "/sys/fs/cgroup/$h" ] || continue
	ROOTS="$ROOTS $(cd "/sys/fs/cgroup/$h" && pwd -P)"
done
if [ -z "$ROOTS" ] && [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	ROOTS=/sys/fs/cgroup
fi
if [ -z "$ROOTS" ]; then
	skip "a container closed to cadv" "no cgroup v1 memory/cpu/pids hierarchy and no cgroup v2 tree"
	exit 0
fi
# the container owner: a uid of no daemon's (they run as cadv or nobody)
OWNER=$((3000000 + $$ % 1000000))
P=cadv-test-$$-hide
R_ARGS=""
for r in $ROOTS; do
	mkdir "$r/$P" "$r/$P/deleg" || { fail "mkdir $r/$P"; exit 1; }
	on_exit "find '$r/$P' -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null; rmdir '$r/$P' 2>/dev/null"
	R_ARGS="$R_ARGS --root $r/$P"
	# v2: the controllers down to the owner's cgroups, where there are any
	for d in "$r/$P" "$r/$P/deleg"; do
		[ -f "$d/cgroup.subtree_control" ] &&
		    echo "+memory +cpu +pids" >"$d/cgroup.subtree_control" 2>/dev/null
	done
done
FIRST=$(echo $ROOTS | cut -d' ' -f1)
MEMROOT=""
for r in $ROOTS; do [ -f "$r/$P/memory.stat" ] && [ -z "$MEMROOT" ] && MEMROOT=$r; done

# delegation, as a runtime does it: the owner gets the directory and its
# files, and makes what it likes below
as_owner() { setpriv --reuid="$OWNER" --regid="$OWNER" --clear-groups -- sh -c "$1"; }
for r in $ROOTS; do
	chown -R "$OWNER:$OWNER" "$r/$P/deleg"
	# hidden: closed with a child inside; open: its readable sibling;
	# late: open at start, closed once cadv watches it
	as_owner "cd '$r/$P/deleg' && mkdir hidden hidden/inner open late late/kid && chmod 700 hidden" ||
	    { fail "the owner makes its cgroups in $r"; exit 1; }
done
# part: a file of it closed (its memory.stat), the rest readable
if [ -n "$MEMROOT" ]; then
	as_owner "cd '$MEMROOT/$P/deleg' && mkdir part && chmod 000 part/memory.stat"
	for r in $ROOTS; do [ "$r" = "$MEMROOT" ] || as_owner "mkdir '$r/$P/deleg/part'"; done
fi

S=$T/store
# shellcheck disable=SC2086
start_pipeline "$S" $R_ARGS
C() { "$BIN/cadvctl" --store "$S" "$@"; }
wait_for 10 sh -c "'$BIN/cadvctl' --store '$S' ls | grep -q ' /deleg/open\$'"
wait_for 5 sh -c "'$BIN/cadvctl' --store '$S' ls | grep -q ' /deleg/hidden\$'"
sleep 1	# a tick for the samples

C ls >"$T/ls.txt"
C ls --json >"$T/ls.json"
flagged() {	# flagged NAME: listed with the error, in text and JSON
	grep -q "live  unreadable (permission denied)  $1\$" "$T/ls.txt" &&
	    has "$T/ls.json" "[c for c in d if c['name'] == '$1' and c['error'] == 'permission denied'][0]"
}
clean() {	# clean NAME: listed without an error
	grep -q "live  $1\$" "$T/ls.txt" &&
	    has "$T/ls.json" "[c for c in d if c['name'] == '$1' and 'error' not in c][0]"
}
expect "a cgroup directory closed to cadv (0700) is still listed, with the error (cadvctl ls, ls --json)" flagged /deleg/hidden
expect "its readable sibling is listed without one" clean /deleg/open
C stats /deleg/open --json --count 1 >"$T/open.json"
expect "and sampled as ever (fresh cpu and memory)" "$PY" -c '
import json, sys, time
d = json.load(open(sys.argv[1]))
s = d["stats"][-1]
ok = (time.time() - s["timestamp_ns"] / 1e9 < 3 and "total" in s["cpu"]["usage"]
      and (not sys.argv[2] or "usage" in s["memory"]) and "error" not in d)
sys.exit(0 if ok else 1)' "$T/open.json" "$MEMROOT"
C stats /deleg/hidden --json >"$T/hidden.json"
expect "cadvctl stats of the closed one: the error, and no made-up samples" has "$T/hidden.json" 'd["error"] == "permission denied" and d["stats"] == [] or d["x"]'
expect "cadvctl stats says it in text too" sh -c "'$BIN/cadvctl' --store '$S' stats /deleg/hidden | grep -q 'unreadable (permission denied)'"
if [ -n "$MEMROOT" ]; then
	expect "a container with one file closed to cadv (memory.stat) is flagged too" flagged /deleg/part
	C stats /deleg/part --json --count 1 >"$T/part.json"
	expect "and what it can read is still sampled" has "$T/part.json" '"total" in d["stats"][-1]["cpu"]["usage"] or d["x"]'
fi
expect "collectord says why, once per container" test "$(grep -c 'container /deleg/hidden: permission denied' "$T/collectord.err")" -eq 1
n=$(echo $ROOTS | wc -w)
expect "watcherd says it once per hierarchy, and does not poll it every 5 s" \
    sh -c "sleep 4; test \$(grep -c 'cgroup /deleg/hidden in .*permission denied' '$T/watcherd.err') -eq $n"

# exporterd: container_scrape_error 1 (cAdvisor's, one for the scrape),
# cadv_container_scrape_error 1 for the closed one, none for the open
if command -v curl >/dev/null 2>&1; then
	PORT=$(free_port)
	"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>"$T/exporterd.err" &
	XP=$!
	on_exit "kill $XP 2>/dev/null"
	wait_for 5 curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"
	curl -s "http://127.0.0.1:$PORT/metrics" >"$T/metrics"
	expect "exporterd: container_scrape_error is 1" \
	    grep -qx 'container_scrape_error 1' "$T/metrics"
	expect "exporterd: cadv_container_scrape_error is 1 for the closed container" \
	    grep -q '^cadv_container_scrape_error{id="/deleg/hidden",[^}]*} 1$' "$T/metrics"
	expect "exporterd: and absent for its readable sibling" \
	    sh -c "! grep -q '^cadv_container_scrape_error{id=\"/deleg/open\",' '$T/metrics'"
	kill "$XP" 2>/dev/null
else
	skip "container_scrape_error of the closed container" "curl is not installed (make deps)"
fi

# closed after cadv watched it: what it had stays listed through a rescan,
# and a cgroup made inside is listed too, flagged
for r in $ROOTS; do as_owner "chmod 700 '$r/$P/deleg/late'"; done
kill -HUP "$WP"
for r in $ROOTS; do as_owner "mkdir '$r/$P/deleg/late/new'"; done
wait_for 5 sh -c "'$BIN/cadvctl' --store '$S' ls | grep -q ' /deleg/late/new\$'"
# the rescan found it closed (and would have sent its DELs then)
wait_for 5 grep -q 'cgroup /deleg/late in .*permission denied' "$T/watcherd.err"
sleep 0.5
C ls >"$T/ls.txt"
C ls --json >"$T/ls.json"
expect "a directory closed once watched keeps its children listed through a rescan" clean /deleg/late/kid
expect "a cgroup made inside it afterwards is listed, flagged" flagged /deleg/late/new

# opened again: watcherd finds what was inside, collectord reads it
for r in $ROOTS; do as_owner "chmod 755 '$r/$P/deleg/hidden'"; done
wait_for 15 sh -c "'$BIN/cadvctl' --store '$S' ls | grep -q 'live  /deleg/hidden\$'"
C ls >"$T/ls.txt"
C ls --json >"$T/ls.json"
expect "opened again: the flag goes" clean /deleg/hidden
expect "and the cgroup that was inside it is found" clean /deleg/hidden/inner
C stats /deleg/hidden --json --count 1 >"$T/hidden.json"
expect "and it is sampled" has "$T/hidden.json" '"total" in d["stats"][-1]["cpu"]["usage"] or d["x"]'

# an owner flipping the mode in a loop does not flood the logs
i=0
while [ $i -lt 20 ]; do
	for r in $ROOTS; do as_owner "chmod 700 '$r/$P/deleg/hidden'; chmod 755 '$r/$P/deleg/hidden'"; done
	i=$((i + 1))
done
sleep 1
expect "flipping its mode 20 times: still one line per hierarchy from watcherd" \
    test "$(grep -c 'cgroup /deleg/hidden in ' "$T/watcherd.err")" -eq "$n"
expect "and one from collectord" test "$(grep -c 'container /deleg/hidden:' "$T/collectord.err")" -eq 1
stop_pipeline
