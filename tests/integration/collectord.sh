# collectord on real cgroups (as root, under this test's own prefix), each
# figure compared with an independent measure.
. "$CADV_TOP/tests/lib.sh"

if ! can_mkcg; then
	skip "collectord on real cgroups" "need root, or cgroups delegated by tests/run-as-user"
	exit 0
fi

P=${CGD}cadv-test-$$-c
CG=/sys/fs/cgroup
HIER="cpu cpuacct memory blkio pids"
for h in $HIER; do
	[ -d "$CG/$h" ] || { skip "collectord on real cgroups" "no v1 $h hierarchy"; exit 0; }
	mkdir "$CG/$h/$P"
	# processes first (ours, by pid), then the directories, deepest first
	on_exit "rmdir $CG/$h/$P/* $CG/$h/$P 2>/dev/null"
done
mkcg() {	# mkcg NAME: the container in every hierarchy used here
	for h in $HIER; do mkdir "$CG/$h/$P/$1"; done
}
cgargs() {	# cgargs NAME: cgtask options joining all of them
	for h in $HIER; do printf ' --cg %s' "$CG/$h/$P/$1"; done
}
S=$T/store
C="$BIN/cadvctl --store $S"
start_pipeline "$S"
latest() { $C stats "/$P/$1" --json --count 1 | jv "$2"; }

# cpu: a process burning 2 s; the container's usage against its own rusage
mkcg burn
# shellcheck disable=SC2046
used=$("$TBIN/cgtask" $(cgargs burn) burn 2)
sleep 2.2
got=$(latest burn 'd["stats"][-1]["cpu"]["usage"]["total"]')
expect "cpu: usage $got ns within 5% of the process's utime+stime $used ns" \
    "$PY" -c "import sys; a,b=int(sys.argv[1]),int(sys.argv[2]); sys.exit(0 if abs(a-b) <= 0.05*b else 1)" "${got:-0}" "$used"
ut=$(latest burn 'd["stats"][-1]["cpu"]["usage"]["user"] + d["stats"][-1]["cpu"]["usage"]["system"]')
expect "cpu: user+system ($ut ns, USER_HZ ticks) within 5% too" \
    "$PY" -c "import sys; a,b=int(sys.argv[1]),int(sys.argv[2]); sys.exit(0 if abs(a-b) <= 0.05*b else 1)" "${ut:-0}" "$used"
pc=$(latest burn 'sum(d["stats"][-1]["cpu"]["usage"]["per_cpu_usage"])')
expect "cpu: per-cpu usage adds up to the total" test "${pc:-0}" -eq "${got:-1}"

# memory: 64 MiB allocated and touched
mkcg hog
before=$(latest hog 'd["stats"][-1]["memory"]["usage"]')
# shellcheck disable=SC2046
"$TBIN/cgtask" $(cgargs hog) hog 64 30 >"$T/hog.out" &
hog=$!
on_exit "kill $hog 2>/dev/null"
wait_for 10 grep -q ready "$T/hog.out"
sleep 2.2
$C stats "/$P/hog" --json --count 1 >"$T/hog.json"
u=$(jv 'd["stats"][-1]["memory"]["usage"]' <"$T/hog.json")
ws=$(jv 'd["stats"][-1]["memory"]["working_set"]' <"$T/hog.json")
inact=$(jv 'd["stats"][-1]["memory"]["total_inactive_file"]' <"$T/hog.json")
expect "memory: usage rose by at least 64 MiB ($before -> $u)" test $((u - before)) -ge $((64 << 20))
expect "memory: working set rose by at least 64 MiB ($ws)" test "$ws" -ge $((64 << 20))
expect "memory: working set = usage - inactive_file" test "$ws" -eq $((u - inact))
kill "$hog"; wait "$hog" 2>/dev/null

# pids and limits: 5 sleepers, a memory limit and pids.max set here
mkcg five
echo $((96 << 20)) >"$CG/memory/$P/five/memory.limit_in_bytes"
echo 10 >"$CG/pids/$P/five/pids.max"
pids=""
for i in 1 2 3 4 5; do
	# shellcheck disable=SC2046
	"$TBIN/cgtask" $(cgargs five) sleep 60 &
	pids="$pids $!"
done
on_exit "kill $pids 2>/dev/null"
sleep 0.5
kill -HUP "$WP"		# no-op rescan; spec refresh comes from collectord itself
# the spec is read again every 10 s: wait for the limits set above
five_seen() {
	$C stats "/$P/five" --json --count 1 >"$T/five.json" &&
	    [ "$(jv 'd["spec"]["memory"]["limit"]' <"$T/five.json")" = $((96 << 20)) ] &&
	    [ "$(jv 'd["spec"]["processes"]["limit"]' <"$T/five.json")" = 10 ] &&
	    [ "$(jv 'd["stats"][-1]["pids"]["current"]' <"$T/five.json")" = 5 ]
}
wait_for 15 five_seen
expect "pids: current is 5" test "$(jv 'd["stats"][-1]["pids"]["current"]' <"$T/five.json")" = 5
expect "processes: 5 in cgroup.procs" test "$(jv 'd["stats"][-1]["processes"]["process_count"]' <"$T/five.json")" = 5
expect "spec: memory limit set by the test" test "$(jv 'd["spec"]["memory"]["limit"]' <"$T/five.json")" = $((96 << 20))
expect "spec: pids.max set by the test" test "$(jv 'd["spec"]["processes"]["limit"]' <"$T/five.json")" = 10
kill $pids; wait $pids 2>/dev/null

# io: a throttle rule on our own cgroup (>= 6.10 counts nothing without
# one), then 16 MiB written with O_DIRECT
mkcg io
dev=$(stat -c '%d' "$T")
maj=$((dev >> 8)) min=$((dev & 255))
if echo "$maj:$min 1099511627776" >"$CG/blkio/$P/io/blkio.throttle.write_bps_device" 2>/dev/null; then
	# shellcheck disable=SC2046
	"$TBIN/cgtask" $(cgargs io) sleep 0 && \
	sh -c "echo \$\$ >$CG/blkio/$P/io/cgroup.procs && exec dd if=/dev/zero of='$T/io.bin' bs=1M count=16 oflag=direct status=none"
	sleep 2.2
	wb=$(latest io 'd["stats"][-1]["diskio"]["write_bytes"]')
	expect "io: write bytes rose by at least 16 MiB ($wb)" test "${wb:-0}" -ge $((16 << 20))
	dv=$(latest io '[x["write_bytes"] for x in d["stats"][-1]["diskio"]["devices"] if (x["major"],x["minor"])==('"$maj,$min"')][0]')
	expect "io: per device, on $maj:$min" test "${dv:-0}" -ge $((16 << 20))
	# the kernel's Sync, Async and Discard rows (table diskio), as they
	# stand with the writer gone
	for op in Sync Async Discard; do
		k=$(awk -v d="$maj:$min" -v o="$op" '$1 == d && $2 == o { print $3 }' \
		    "$CG/blkio/$P/io/blkio.throttle.io_service_bytes_recursive")
		key=$(echo "$op" | tr 'A-Z' 'a-z')_bytes
		got=$(latest io '[x["'"$key"'"] for x in d["stats"][-1]["diskio"]["devices"] if (x["major"],x["minor"])==('"$maj,$min"')][0]')
		expect "io: $op bytes on $maj:$min as the kernel's row ($got, kernel ${k:-none})" test -n "$k" -a "$got" = "$k"
	done
	expect "io: the O_DIRECT writes are sync" test "$(latest io '[x["sync_bytes"] for x in d["stats"][-1]["diskio"]["devices"] if (x["major"],x["minor"])==('"$maj,$min"')][0]')" -ge $((16 << 20))
else
	skip "io: write bytes" "cannot set a blkio throttle rule on $maj:$min"
fi

# oom: a 32 MiB limit and a 64 MiB hog: exactly one kill counted
mkcg oom
echo $((32 << 20)) >"$CG/memory/$P/oom/memory.limit_in_bytes"
# shellcheck disable=SC2046
"$TBIN/cgtask" $(cgargs oom) hog 64 30 >/dev/null 2>&1
sleep 2.2
expect "oom: the kill is counted exactly once" test "$(latest oom 'd["stats"][-1]["memory"]["oom_kill"]')" = 1

# deletion: rmdir everywhere; the store marks it deleted with an event
for h in $HIER; do rmdir "$CG/$h/$P/burn"; done
sleep 0.5
expect "deleted containers are marked in the store" sh -c \
    "$C ls --all --json | '$PY' -c 'import json,sys; d=[c for c in json.load(sys.stdin) if c[\"name\"]==\"/$P/burn\"]; sys.exit(0 if d and not d[0][\"live\"] else 1)'"
stop_pipeline

# network: a process of the container in a network namespace of its own,
# with a veth pair there (left down: no traffic, so the counters hold
# still and can be compared exactly with what the namespace shows)
if command -v ip >/dev/null && unshare -n true 2>/dev/null; then
	mkcg net
	start_pipeline "$S"
	# shellcheck disable=SC2046
	unshare -n sh -c "ip link add cadv0 type veth peer name cadv1 &&
	    exec '$TBIN/cgtask' $(cgargs net) sleep 30" &
	np=$!
	on_exit "kill $np 2>/dev/null"
	sleep 2.5
	$C stats "/$P/net" --json --count 1 >"$T/net.json"
	expect "network: the namespace's interfaces are reported" has "$T/net.json" \
	    '[i for i in d["stats"][-1]["network"]["interfaces"] if i["name"] in ("cadv0", "cadv1")][1]'
	expect "network: loopback is left out" sh -c "! grep -q '\"name\":\"lo\"' '$T/net.json'"
	cp "/proc/$np/net/dev" "$T/netdev" 2>/dev/null
	expect "network: counters equal /proc/PID/net/dev" "$PY" -c '
import json, sys
got = {i["name"]: i for i in json.load(open(sys.argv[1]))["stats"][-1]["network"]["interfaces"]}
for line in open(sys.argv[2]):
    if ":" not in line or line.split(":")[0].strip() not in got:
        continue
    name, rest = line.split(":")
    v = [int(x) for x in rest.split()]
    g = got[name.strip()]
    if [g["rx_bytes"], g["rx_packets"], g["rx_errors"], g["rx_dropped"], g["tx_bytes"],
        g["tx_packets"], g["tx_errors"], g["tx_dropped"]] != v[0:4] + v[8:12]:
        sys.exit(1)
    del got[name.strip()]
sys.exit(0 if not got else 1)' "$T/net.json" "$T/netdev"
	kill "$np" 2>/dev/null; wait "$np" 2>/dev/null
	stop_pipeline
else
	skip "network counters" "no ip(8) or cannot unshare a network namespace"
fi
