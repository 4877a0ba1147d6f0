#!/bin/sh
# Issue 19: a container's writable layer in /metrics.  A podman container
# (and a docker one when dockerd runs here) writes 5 MB into its rootfs;
# identd's layer walker must measure it, within a bounded time, as
# container_fs_usage_bytes >= 5 MB and container_fs_inodes_total on the
# device holding the layer, with cAdvisor's limit (that filesystem's
# capacity) and inodes free (0); cadvctl check holds the store consistent.
# identd's rounds are an hour apart here: the containers, started after
# identd, are measured by the walker's checks of new ones (1 s).
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-podman.sh"
. "$CADV_TOP/tests/lib-docker.sh"

is_root || { skip layer_fs "needs root (podman, cgroups)"; cleanup; exit 0; }
command -v curl >/dev/null || { skip layer_fs "no curl"; cleanup; exit 0; }
if ! podman_start layer; then
	skip layer_fs "podman cannot run here: $PM_WHY"
	cleanup
	exit 0
fi
podman_image localhost/bb:1 || { fail layer_fs_image "podman import"; cleanup; exit 0; }
DOCKER=0 DKARGS=""
if docker_start layer && docker_image localhost/bb:1; then
	DOCKER=1 DKARGS="--docker-root $DK_DATA --containerd-state $DK_CSTATE"
else
	skip layer_fs_docker "dockerd cannot run here: $DK_WHY"
fi

S=$T/store
PORT=$(free_port)
start_pipeline "$S"
"$BIN/identd" --store "$S" --storage-root "$PM_ROOT" \
    --storage-runroot "$PM_RUNROOT" $DKARGS --layer-interval 1h \
    --check-interval 1s --layer-budget 100000 --debug 2>>"$T/identd.err" &
IDP=$!
on_exit "kill $IDP 2>/dev/null"
# the walker: a second child, with the reader's privileges (not root,
# CAP_DAC_READ_SEARCH alone, no_new_privs, seccomp)
wait_for 5 sh -c "[ \$(pgrep -P $IDP identd | wc -l) -eq 2 ]"
LWP=$(pgrep -P "$IDP" identd | tail -n 1)
expect "identd's layer walker: not root, CAP_DAC_READ_SEARCH alone, no_new_privs, seccomp" \
    awk '
	/^Uid:/ { for (i = 2; i <= 5; i++) if ($i == 0) bad = 1 }
	/^Cap(Inh|Amb):/ { if ($2 !~ /^0+$/) bad = 1 }
	/^Cap(Prm|Eff|Bnd):/ { if ($2 != "0000000000000004") bad = 1 }
	/^NoNewPrivs:/ { nnp = $2 }
	/^Seccomp:/ { sc = $2 }
	END { exit (bad || nnp != 1 || sc != 2) }' "/proc/${LWP:-0}/status"
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
on_exit "kill $! 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"

P=lay-$$
pm run -d --name "$P" --cgroup-parent "$PM_CGP" localhost/bb:1 \
    sh -c 'dd if=/dev/urandom of=/big bs=1M count=5 2>/dev/null; mkdir /d; for i in 1 2 3 4 5 6 7 8 9 10; do : >/d/f$i; done; sync; sleep 600' \
    >/dev/null 2>"$T/run.err" ||
    { fail layer_fs_podman_run "$(head -c 300 "$T/run.err")"; cleanup; exit 0; }
if [ "$DOCKER" = 1 ]; then
	D=dlay-$$
	dk run -d --network none --name "$D" --cgroup-parent "$DK_CGP" localhost/bb:1 \
	    sh -c 'dd if=/dev/urandom of=/big bs=1M count=5 2>/dev/null; sync; sleep 600' \
	    >/dev/null 2>"$T/drun.err" ||
	    { fail layer_fs_docker_run "$(head -c 300 "$T/drun.err")"; DOCKER=0; }
fi

# val NAME FAMILY: the value of FAMILY's series for name="NAME"
val() {
	curl -s "http://127.0.0.1:$PORT/metrics" >"$T/m"
	grep "^$2{" "$T/m" | grep "name=\"$1\"" | head -n 1 | sed 's/.*} //; s/ .*//'
}
big() { v=$(val "$1" container_fs_usage_bytes); [ -n "$v" ] && "$PY" -c "import sys; sys.exit(0 if float('$v') >= 5*1024*1024 else 1)"; }
START=$(date +%s)
expect "podman: container_fs_usage_bytes{name=\"$P\"} >= 5 MB within 20 s" wait_for 20 big "$P"
echo "note: measured within $(( $(date +%s) - START + 1 )) s of the container's start"
LINE=$(grep '^container_fs_usage_bytes{' "$T/m" | grep "name=\"$P\"")
echo "note: $LINE"
DEV=$(echo "$LINE" | sed -n 's/.*device="\([^"]*\)".*/\1/p')
# the layer's filesystem: the one holding podman's store, as df names it
WANT=$(df --output=source "$PM_ROOT" | tail -n 1)
expect "podman: device=\"$DEV\" is the filesystem holding the store ($WANT)" [ "$DEV" = "$WANT" ]
INO=$(val "$P" container_fs_inodes_total)
# /big, /d and its ten files, the layer's top, what runc adds (/etc...)
expect "podman: container_fs_inodes_total >= 13 (is $INO)" "$PY" -c "import sys; sys.exit(0 if float('$INO') >= 13 else 1)"
expect "podman: container_fs_inodes_free 0 (cAdvisor sets none)" [ "$(val "$P" container_fs_inodes_free)" = 0 ]
CAP=$(df -B1 --output=size "$PM_ROOT" | tail -n 1 | tr -d ' ')
LIM=$(val "$P" container_fs_limit_bytes)
expect "podman: container_fs_limit_bytes is the filesystem's capacity ($LIM ~ $CAP)" \
    "$PY" -c "import sys; sys.exit(0 if abs(float('$LIM') - $CAP) <= $CAP / 100 else 1)"
# what du says of the layer itself
V=$(val "$P" container_fs_usage_bytes)
LAYER=$(pm inspect --format '{{.GraphDriver.Data.UpperDir}}' "$P" 2>/dev/null)
if [ -d "$LAYER" ]; then
	DU=$(du -s -B1 "$LAYER" | cut -f1)
	expect "podman: usage is du's figure for the layer ($V vs $DU)" \
	    "$PY" -c "import sys; sys.exit(0 if abs(float('$V') - $DU) <= 65536 else 1)"
fi
if [ "$DOCKER" = 1 ]; then
	expect "docker: container_fs_usage_bytes{name=\"$D\"} >= 5 MB within 20 s" wait_for 20 big "$D"
	DW=$(df --output=source "$DK_DATA" | tail -n 1)
	expect "docker: device is the filesystem of its data root" \
	    sh -c "grep '^container_fs_usage_bytes{' '$T/m' | grep 'name=\"$D\"' | grep -q 'device=\"$DW\"'"
fi
# the JSON API: v1 filesystem [FsStats], v2.0 the same, v2.1 {totalUsageBytes,
# baseUsageBytes, containter_inode_usage}, strictly as cAdvisor's types
CG=$(echo "$LINE" | sed -n 's/.*id="\([^"]*\)".*/\1/p')
api() {	# api PATH TYPE EXPR: the answer is TYPE and EXPR holds over it (d)
	curl -s -m 20 "http://127.0.0.1:$PORT$1" >"$T/a.json"
	"$PY" - "$T/a.json" "$2" "$3" <<'PYEOF'
import json, os, sys
sys.path.insert(0, os.environ["CADV_TOP"] + "/tests")
from cadvisor_fields import *
d = json.load(open(sys.argv[1]))
errors, extra = check(d, eval(sys.argv[2]))
for e in errors[:10]:
    print("  ", e)
ok = eval(sys.argv[3])
if not ok:
    print("   not", sys.argv[3], json.dumps(d)[:600])
sys.exit(0 if ok and not errors else 1)
PYEOF
}
MB5=$((5 * 1024 * 1024))
expect "v1.3/containers$CG: filesystem [FsStats] with the layer's usage and inodes" \
    api "/api/v1.3/containers$CG?count=1" ContainerInfo \
    "d['spec']['has_filesystem'] and d['stats'][-1]['filesystem'][0]['usage'] >= $MB5 and d['stats'][-1]['filesystem'][0]['inodes'] == $INO and d['stats'][-1]['filesystem'][0]['device'] == '$DEV' and d['stats'][-1]['filesystem'][0]['capacity'] == $LIM"
expect "v2.0/stats$CG: filesystem [FsStats]" \
    api "/api/v2.0/stats$CG?count=1" '("map", ("arr", DeprecatedContainerStats))' \
    "list(d.values())[0][-1]['has_filesystem'] and list(d.values())[0][-1]['filesystem'][0]['usage'] >= $MB5"
expect "v2.1/stats$CG: filesystem {totalUsageBytes, baseUsageBytes, containter_inode_usage}" \
    api "/api/v2.1/stats$CG?count=1" '("map", V2ContainerInfo)' \
    "list(d.values())[0]['stats'][-1]['filesystem']['totalUsageBytes'] >= $MB5 and list(d.values())[0]['stats'][-1]['filesystem']['containter_inode_usage'] == $INO"

# the root keeps its own filesystems, one series per device
expect "the root's container_fs_usage_bytes are still there" \
    sh -c "grep '^container_fs_usage_bytes{' '$T/m' | grep -q 'id=\"/\"'"

# the store: a layers record per measured container, consistent
"$BIN/cadvctl" --store "$S" check >"$T/check.out" 2>&1
expect "cadvctl check: consistent, with layer records" \
    grep -qE ', [1-9][0-9]* layers, .*: consistent$' "$T/check.out"

# another language, from SCHEMA.md alone: the same bytes under the
# container's identity
if have_pylmdb; then
	PID_=$(pm inspect --format '{{.Id}}' "$P" 2>/dev/null)
	"$PY" "$CADV_TOP/tests/store_reader.py" "$S" layers >"$T/layers.json" 2>&1
	expect "store_reader.py layers: the podman container's record, as /metrics has it" \
	    "$PY" -c "import json, sys; l = [x for x in json.load(open('$T/layers.json')) if x['id'] == '$PID_']; sys.exit(0 if len(l) == 1 and l[0]['bytes'] == int(float('$V')) and l[0]['inodes'] == $INO and l[0]['cgroup'] == '$CG' else 1)"
else
	skip layer_fs_store_reader "no python3-lmdb"
fi

# the walk's cost, from identd's own line
grep 'layers:' "$T/identd.err" | tail -n 1 | sed 's/^/note: /'

# cadvctl check on bad layer records (the daemons stopped, the store
# ours): one no identity has, one too short to decode
kill "$IDP" 2>/dev/null; wait "$IDP" 2>/dev/null
stop_pipeline
if have_pylmdb; then
	"$PY" - "$S" <<'PYEOF'
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=16)
db = env.open_db(b"layers", create=False)
with env.begin(write=True) as txn:
    txn.put(b"\xff" * 16, bytes(44), db=db)
    k = next(iter(txn.cursor(db=db).iternext(values=False)))
    txn.put(bytes(k), bytes(20), db=db)
PYEOF
	"$BIN/cadvctl" --store "$S" check >"$T/bad.out" 2>&1
	expect "cadvctl check: a layer record of no identity is a problem" \
	    grep -q 'no identity has its key' "$T/bad.out"
	expect "cadvctl check: a short layer record is a problem" \
	    grep -q 'layers.*does not decode' "$T/bad.out"
	expect "cadvctl check: two problems, exit 1" \
	    sh -c "grep -q ': 2 problems\$' '$T/bad.out' && ! '$BIN/cadvctl' --store '$S' check >/dev/null 2>&1"
fi
exit 0
