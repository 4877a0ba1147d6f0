# cadvctl and runtime identities (issue 18): ls, top and idents show name,
# image and pod; stats, get and events --container take a runtime name,
# an id or id prefix, or namespace/pod/container; events name their
# container as it was at the event's time; check validates the idents
# table; the Python reader written from SCHEMA.md reads it the same.
# Identities are written by tests/tools/identfill (no runtime needed).
. "$CADV_TOP/tests/lib.sh"

S=$T/store
C="$BIN/cadvctl --store $S"
ESC=$(printf '\033')
BEL=$(printf '\007')
ID0=38c8a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e
ID1=7f68aa00bb11cc22dd33ee44ff5566778899aabbccddeeff0011223344556677
LONG=$(printf 'registry.example/%0200d:1' 0)
"$TBIN/storefill" --store "$S" --containers 8 --samples 3 >/dev/null ||
	fail "storefill" "could not write a store"
# /fill/c2 and /fill/c5 are deleted containers (storefill); /fill/c6 was
# two containers one after the other; /gone/x has no container record
cat >"$T/idents.json" <<EOF
{"idents": [
 {"cgroup": "/fill/c0", "runtime": "podman", "id": "$ID0", "name": "web1",
  "image": "localhost/bb:1", "labels": {"app": "web"}, "seen": -3000,
  "created": -3001, "started": -3000, "pid": 4321},
 {"cgroup": "/fill/c1", "runtime": "containerd", "id": "$ID1", "name": "$ID1",
  "image": "localhost/bb:1", "rt_namespace": "k8s.io", "pod": "api-7d9f",
  "namespace": "shop", "pod_uid": "2119aaaa-bbbb-cccc", "container": "api",
  "sandbox_id": "5a5a5a", "labels": {"io.kubernetes.pod.name": "api-7d9f"},
  "restart_count": 2, "seen": -2900},
 {"cgroup": "/fill/c2", "runtime": "docker", "id": "d0cce7aa", "name": "dweb",
  "image": "bb:1", "seen": -2800, "gone": -10, "finished": -10,
  "exit_code": 137, "oom_killed": true},
 {"cgroup": "/fill/c3", "runtime": "podman", "id": "eeee0000",
  "name": "evil\\\\x1b[31mred", "image": "img\\\\x0awith newline",
  "labels": {"k\\\\x07": "v\\\\x1b"}, "env": {"LANG": "C"}, "seen": -2700},
 {"cgroup": "/fill/c4", "runtime": "podman", "id": "abc1110000", "name": "twin",
  "image": "$LONG", "seen": -2600},
 {"cgroup": "/fill/c5", "runtime": "podman", "id": "abc2220000", "name": "twin",
  "seen": -2500},
 {"cgroup": "/fill/c6", "runtime": "containerd", "id": "c6", "name": "old6",
  "rt_namespace": "default", "seen": -100, "gone": -50, "exit_code": 0},
 {"cgroup": "/fill/c6", "runtime": "containerd", "id": "c6", "name": "new6",
  "rt_namespace": "default", "seen": -50},
 {"cgroup": "/gone/x", "runtime": "docker", "id": "fafafa01", "name": "ghost",
  "seen": -400, "gone": -5, "exit_code": 1}
],
"events": [
 {"type": "container_creation", "cgroup": "/fill/c0", "at": -2999},
 {"type": "container_creation", "cgroup": "/fill/c6", "at": -99},
 {"type": "container_deletion", "cgroup": "/fill/c6", "at": -51},
 {"type": "container_creation", "cgroup": "/fill/c6", "at": -49},
 {"type": "oom_kill", "cgroup": "/fill/c2", "at": -12},
 {"type": "container_deletion", "cgroup": "/fill/c2", "at": -9},
 {"type": "oom_kill", "cgroup": "/fill/c7", "at": -8},
 {"type": "oom_kill", "cgroup": "/fill/c1", "at": -7}
]}
EOF
"$TBIN/identfill" --store "$S" "$T/idents.json" ||
	fail "identfill" "could not write the identities"

# --- ls ---
expect_status "ls: exit 0" 0 $C ls
cp "$T/.out" "$T/ls.txt"
expect "ls: NAME, IMAGE and POD columns before the cgroup" \
    grep -qE '^CREATED +STATE +NAME +IMAGE +POD +CGROUP$' "$T/ls.txt"
expect "ls: a podman container by name and image" \
    grep -qE ' web1 +localhost/bb:1 +- +/fill/c0$' "$T/ls.txt"
expect "ls: a Kubernetes container's pod as namespace/pod, its id short as its name" \
    grep -qE ' 7f68aa00bb11 +localhost/bb:1 +shop/api-7d9f +/fill/c1$' "$T/ls.txt"
expect "ls: /fill/c6 is the container of now (new6), not the one before" \
    grep -qE ' new6 .*/fill/c6$' "$T/ls.txt"
expect "ls: a container without identity has - in each column" \
    grep -qE ' - +- +- +/fill/c7$' "$T/ls.txt"
expect "ls: a runtime's control bytes are escaped (name and image)" \
    grep -qF 'evil\x1b[31mred  img\x0awith newline' "$T/ls.txt"
expect "ls: a long image is cut (... at the end), the line stays short" \
    sh -c "grep -q 'registry.example/0000.*\.\.\.  ' '$T/ls.txt' && ! awk 'length > 300 { f = 1 } END { exit !f }' '$T/ls.txt'"
expect "ls: deleted containers only with --all" sh -c "! grep -q '/fill/c2\$' '$T/ls.txt'"
expect_status "ls --all --k8s: exit 0" 0 $C ls --all --k8s
cp "$T/.out" "$T/k8s.txt"
expect "ls --k8s: NAMESPACE, POD, CONTAINER, IMAGE columns" \
    grep -qE '^CREATED +STATE +NAMESPACE +POD +CONTAINER +IMAGE +CGROUP$' "$T/k8s.txt"
expect "ls --k8s: shop api-7d9f api" \
    grep -qE ' shop +api-7d9f +api +localhost/bb:1 +/fill/c1$' "$T/k8s.txt"
$C ls --all --json >"$T/ls.json"
expect "ls --json: identity of web1 (runtime, id, image, labels)" has "$T/ls.json" \
    '[c for c in d if c["name"] == "/fill/c0"][0]["identity"] == {"runtime": "podman", "id": "'$ID0'", "cgroup": "/fill/c0", "name": "web1", "image": "localhost/bb:1", "labels": {"app": "web"}, "created": [c for c in d if c["name"] == "/fill/c0"][0]["identity"]["created"], "started": [c for c in d if c["name"] == "/fill/c0"][0]["identity"]["started"], "pid": 4321} or d["x"]'
expect "ls --json: a deleted container's exit code and OOM kill" has "$T/ls.json" \
    '[c for c in d if c["name"] == "/fill/c2"][0]["identity"]["exit_code"] == 137 and [c for c in d if c["name"] == "/fill/c2"][0]["identity"]["oom_killed"] is True or d["x"]'
expect "ls --json: pod fields" has "$T/ls.json" \
    '[(i["namespace"], i["pod"], i["container"], i["pod_uid"], i["restart_count"]) for c in d if c["name"] == "/fill/c1" for i in [c["identity"]]][0] == ("shop", "api-7d9f", "api", "2119aaaa-bbbb-cccc", 2) or d["x"]'
expect "ls --json: escaped bytes in names, labels and env" has "$T/ls.json" \
    '[c["identity"] for c in d if c["name"] == "/fill/c3"][0]["labels"] == {"k\\x07": "v\\x1b"} and [c["identity"] for c in d if c["name"] == "/fill/c3"][0]["name"] == "evil\\x1b[31mred" and [c["identity"] for c in d if c["name"] == "/fill/c3"][0]["env"] == {"LANG": "C"} or d["x"]'
expect "ls --json: no identity key for a container without one" has "$T/ls.json" \
    '"identity" not in [c for c in d if c["name"] == "/fill/c7"][0] or d["x"]'

# --- top ---
expect_status "top --iterations 1: exit 0" 0 $C top --iterations 1 --sort name
cp "$T/.out" "$T/top.txt"
expect "top: NAME, IMAGE, POD columns and web1" sh -c \
    "grep -qE 'TASKS +NAME +IMAGE +POD +CGROUP\$' '$T/top.txt' && grep -qE ' web1 +localhost/bb:1 +- +/fill/c0\$' '$T/top.txt'"
expect_status "top --k8s: exit 0" 0 $C top --iterations 1 --k8s
expect "top --k8s: namespace, pod, container" grep -qE ' shop +api-7d9f +api +localhost/bb:1 +/fill/c1$' "$T/.out"

# --- idents ---
expect_status "idents: exit 0" 0 $C idents
cp "$T/.out" "$T/idents.txt"
expect "idents: every record, the gone ones too (9 and a header)" test "$(wc -l <"$T/idents.txt")" -eq 10
expect "idents: a gone container's exit code and OOM kill" grep -qE ' docker +d0cce7aa +dweb +bb:1 +- +137 oom +/fill/c2$' "$T/idents.txt"
expect "idents: ghost, gone, with no container record" grep -qE ' ghost .* 1 +/gone/x$' "$T/idents.txt"
$C idents --json >"$T/idents.out.json"
expect "idents --json: oldest first, with first_stored and gone" has "$T/idents.out.json" \
    'len(d) == 9 and [i["first_stored_ns"] for i in d] == sorted(i["first_stored_ns"] for i in d) and [i["name"] for i in d if "gone" in i] == ["dweb", "ghost", "old6"] or d["x"]'

# --- stats, get: a container by name, id, prefix, namespace/pod/container ---
name_of() { "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["name"], d.get("identity", {}).get("name", "-"))'; }
for q in web1 "$ID0" 38c8a1 /fill/c0 fill/c0; do
	$C stats "$q" --count 1 --json | name_of >"$T/n.txt"
	expect "stats $q: /fill/c0 with its identity" grep -qx '/fill/c0 web1' "$T/n.txt"
done
$C stats shop/api-7d9f/api --count 1 --json | name_of >"$T/n.txt"
expect "stats namespace/pod/container: /fill/c1" grep -qx "/fill/c1 $ID1" "$T/n.txt"
$C stats 7f68aa00 --count 1 --json | name_of >"$T/n.txt"
expect "stats by a containerd id prefix: /fill/c1" grep -qx "/fill/c1 $ID1" "$T/n.txt"
$C stats 'evil\x1b[31mred' --count 1 --json | name_of >"$T/n.txt"
expect "stats by a name with an escaped byte, as ls prints it" grep -qx '/fill/c3 evil\\x1b\[31mred' "$T/n.txt"
$C stats --raw-name "$(printf 'evil\033[31mred')" --count 1 --json | name_of >"$T/n.txt"
expect "stats --raw-name by the name's bytes" grep -qx '/fill/c3 evil\\x1b\[31mred' "$T/n.txt"
$C stats dweb --count 1 --json | name_of >"$T/n.txt"
expect "stats of a gone container whose record is still kept" grep -qx '/fill/c2 dweb' "$T/n.txt"
$C stats old6 --count 1 --json >"$T/old6.json"
expect "stats of a container's earlier life: its identity, the cgroup's record" has "$T/old6.json" \
    'd["name"] == "/fill/c6" and d["identity"]["name"] == "old6" and d["identity"]["exit_code"] == 0 or d["x"]'
expect_status "stats web1 (text): exit 0" 0 $C stats web1 --count 1
expect "stats text: the identity, escaped" sh -c \
    "grep -qx '  identity name web1' '$T/.out' && grep -qx '  identity label app=web' '$T/.out' && grep -q '^  identity image localhost/bb:1' '$T/.out'"
expect_status "stats evil (text): exit 0" 0 $C stats 'evil\x1b[31mred' --count 1
expect "stats text: no raw control byte" sh -c "! grep -q '[$ESC$BEL]' '$T/.out' && grep -qF 'identity label k\\x07=v\\x1b' '$T/.out'"
a=$($C get web1 memory.usage) b=$($C get /fill/c0 memory.usage)
expect "get web1 = get /fill/c0 ($a, $b)" test -n "$a" -a "$a" = "$b"
expect_status "get shop/api-7d9f/api: exit 0" 0 $C get shop/api-7d9f/api spec.memory.limit
expect_status "stats twin: two live containers, usage error (2)" 2 $C stats twin
expect "  the message names both and how to choose" sh -c \
    "grep -q 'twin names 2 live containers' '$T/.err' && grep -q 'cgroup /fill/c4\$' '$T/.err' && grep -q 'cgroup /fill/c5\$' '$T/.err' && grep -q 'abc1110000' '$T/.err' && grep -q 'longer id prefix' '$T/.err'"
expect_status "stats abc: an id prefix of two containers, 2" 2 $C stats abc
expect "  the message names both ids" sh -c "grep -q 'abc1110000' '$T/.err' && grep -q 'abc2220000' '$T/.err'"
expect_status "get twin: 2 as well" 2 $C get twin memory.usage
expect_status "stats abc1: a unique prefix, 0" 0 $C stats abc1 --count 1
expect_status "stats ab: a prefix under 3 bytes is no prefix, and no cgroup /ab: 1" 1 $C stats ab
expect_status "stats nosuch: 1" 1 $C stats nosuch
expect "  the message says neither a container nor a cgroup" grep -q 'no container /nosuch in .*no runtime container nosuch' "$T/.err"
expect_status "stats ghost: gone and its cgroup not in the store: 1" 1 $C stats ghost
expect "  the message names the runtime, id, gone, and the cgroup" grep -q 'ghost is docker container fafafa01 (gone) with cgroup /gone/x, which is not in' "$T/.err"
expect_status "stats of a name with control bytes: 1" 1 $C stats --raw-name "$(printf 'x\033]0;y')"
expect "  its message escapes them" sh -c "! grep -q '[$ESC$BEL]' '$T/.err' && grep -qF 'x\\x1b]0;y' '$T/.err'"
expect_status "stats 'bad\\q': a malformed name, 2 as before" 2 $C stats 'bad\q'

# --- events ---
$C events --max -1 --json >"$T/ev.json"
expect "events --json: each event of a known container has a container object" has "$T/ev.json" \
    'all(("container" in e) == (e["container_name"] != "/fill/c7") for e in d) and len(d) == 8 or d["x"]'
expect "events --json: /fill/c6's events name the container of their time" has "$T/ev.json" \
    '[e["container"]["name"] for e in d if e["container_name"] == "/fill/c6"] == ["old6", "old6", "new6"] or d["x"]'
expect "events --json: a deletion carries the exit code and OOMKilled" has "$T/ev.json" \
    '[e["event_data"]["container_deletion"] for e in d if e["container_name"] == "/fill/c2" and e["event_type"] == "containerDeletion"] == [{"exit_code": 137, "oom_killed": True}] or d["x"]'
expect "events --json: the deletion of old6 exited 0" has "$T/ev.json" \
    '[e["event_data"]["container_deletion"] for e in d if e["container_name"] == "/fill/c6" and e["event_type"] == "containerDeletion"] == [{"exit_code": 0, "oom_killed": False}] or d["x"]'
expect "events --json: pod fields of the container object" has "$T/ev.json" \
    '[e["container"] for e in d if e["container_name"] == "/fill/c1"] == [{"runtime": "containerd", "id": "'$ID1'", "name": "'$ID1'", "image": "localhost/bb:1", "pod": "api-7d9f", "namespace": "shop", "container": "api"}] or d["x"]'
$C events --max -1 >"$T/ev.txt"
expect "events text: name and image" grep -q 'containerCreation  /fill/c0  name=web1  image=localhost/bb:1$' "$T/ev.txt"
expect "events text: a deletion's exit code and OOM kill" grep -q 'containerDeletion  /fill/c2  name=dweb  image=bb:1  exit 137 (OOM killed)$' "$T/ev.txt"
expect "events text: an event of a container without identity as before" grep -q 'oomKill            /fill/c7  pid 4242 (hog)$' "$T/ev.txt"
expect "events text: pod and container" grep -q "oomKill            /fill/c1  name=$ID1  image=localhost/bb:1  pod=shop/api-7d9f  container=api  pid 4242 (hog)\$" "$T/ev.txt"
expect_status "events --container dweb: exit 0" 0 $C events --container dweb --max -1
expect "  the events of /fill/c2 only (2)" sh -c "[ \$(grep -c ' /fill/c2 ' '$T/.out') -eq 2 ] && [ \$(wc -l <'$T/.out') -eq 2 ]"
expect_status "events --container shop/api-7d9f/api --max -1: exit 0" 0 $C events --container shop/api-7d9f/api --max -1
expect_status "events --container twin: 2" 2 $C events --container twin
expect_status "events --container /fill/c6: exit 0, three events" 0 $C events --container /fill/c6 --max -1
expect "  three" test "$(wc -l <"$T/.out")" -eq 3
expect_status "events --container nosuch: exit 0 (a cgroup may have gone)" 0 $C events --container nosuch
expect "  with a note that it was read as the cgroup /nosuch" grep -q 'reading it as the cgroup /nosuch$' "$T/.err"
expect_status "events --container 'bad\\q' with no store: 2 before the store" 2 \
    "$BIN/cadvctl" --store "$T/none" events --container 'bad\q'

# --- no control byte anywhere ---
expect "no raw control byte in ls, top, idents, events, stats" sh -c \
    "! cat '$T/ls.txt' '$T/k8s.txt' '$T/top.txt' '$T/idents.txt' '$T/ev.txt' | tr -d '\n' | grep -q '[[:cntrl:]]'"

# --- every identity path under valgrind: no error, no leak ---
if ! command -v valgrind >/dev/null 2>&1; then
	skip "cadvctl with identities under valgrind" "valgrind is not installed (make deps)"
elif ldd "$BIN/cadvctl" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	skip "cadvctl with identities under valgrind" "a sanitizer build (ASan and valgrind do not mix)"
else
	n=0
	for cmd in "ls --all" "ls --all --json" "ls --k8s" "idents" "idents --json" \
	    "stats web1" "stats shop/api-7d9f/api --json" "stats twin" "stats ghost" \
	    "stats nosuch" "get abc1 memory.usage" "events --max -1" \
	    "events --container twin" "events --container nosuch --json" "check" \
	    "top --iterations 1 --k8s"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full \
		    --show-leak-kinds=definite,indirect,possible \
		    --errors-for-leak-kinds=definite,indirect,possible \
		    --log-file="$T/vg.$n" $C $cmd >/dev/null 2>&1
		rc=$?
		expect "valgrind: cadvctl $cmd: no errors or leaks" test "$rc" -ne 99 -a ! -s "$T/vg.$n"
	done
fi

# --- the Python reader written from SCHEMA.md ---
if have_pylmdb; then
	"$PY" "$TOP/tests/store_reader.py" "$S" ls >"$T/py-ls.json"
	expect "python reader: ls with identities equals cadvctl ls --all --json" "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b and sum("identity" in c for c in a) == 7 else 1)' "$T/py-ls.json" "$T/ls.json"
	"$PY" "$TOP/tests/store_reader.py" "$S" idents >"$T/py-id.json"
	expect "python reader: idents equals cadvctl idents --json" "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b and len(a) == 9 else 1)' "$T/py-id.json" "$T/idents.out.json"
	ok=0
	for n in /fill/c0 /fill/c1 /fill/c2 /fill/c3 /fill/c6; do
		$C stats "$n" --count 2 --json >"$T/c-st.json"
		"$PY" "$TOP/tests/store_reader.py" "$S" stats "$n" 2 >"$T/py-st.json" &&
		    "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b and "identity" in a else 1)' "$T/py-st.json" "$T/c-st.json" && ok=$((ok + 1))
	done
	expect "python reader: stats with identity equals cadvctl stats --json ($ok of 5)" test "$ok" -eq 5
else
	skip "python reader agrees with cadvctl on identities" "python3-lmdb not installed (make deps)"
fi

# --- check ---
expect_status "check: a store with identities is consistent (0)" 0 $C check
expect "  and counts them" grep -q ', 9 idents: consistent$' "$T/.out"
$C check --json >"$T/check.json"
expect "check --json: records.idents" has "$T/check.json" 'd["ok"] is True and d["records"]["idents"] == 9 or d["x"]'

if ! have_pylmdb; then
	skip "check on damaged identities" "python3-lmdb not installed (make deps)"
	skip "a store without the idents table" "python3-lmdb not installed (make deps)"
	exit 0
fi
# a store written before identd: no idents table (SCHEMA.md)
cp -r "$S" "$T/noid"
"$PY" -c '
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=8)
with env.begin(write=True) as txn:
    txn.drop(env.open_db(b"idents", txn=txn), delete=True)' "$T/noid"
expect_status "no idents table: ls exits 0" 0 "$BIN/cadvctl" --store "$T/noid" ls
expect "  in the layout of old (no identity columns)" sh -c \
    "grep -qE '^CREATED +STATE CGROUP\$' '$T/.out' && grep -q '^2.* live  /fill/c0\$' '$T/.out'"
expect_status "no idents table: check consistent, 0 idents" 0 "$BIN/cadvctl" --store "$T/noid" check
expect "  0 idents" grep -q ', 0 idents: consistent$' "$T/.out"
expect_status "no idents table: stats web1 is not found (1)" 1 "$BIN/cadvctl" --store "$T/noid" stats web1
expect_status "no idents table: idents lists none (0)" 0 "$BIN/cadvctl" --store "$T/noid" idents --json
expect "  an empty list" has "$T/.out" 'd == [] or d["x"]'
expect_status "no idents table: events as before" 0 "$BIN/cadvctl" --store "$T/noid" events --json
expect "  no container object" has "$T/.out" 'not any("container" in e for e in d) or d["x"]'
"$PY" "$TOP/tests/store_reader.py" "$T/noid" ls >"$T/py-noid.json"
"$BIN/cadvctl" --store "$T/noid" ls --all --json >"$T/c-noid.json"
expect "python reader agrees on a store without the table" "$PY" -c '
import json, sys
sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' "$T/py-noid.json" "$T/c-noid.json"

# damage of each kind in the idents table, written straight into LMDB
cp -r "$S" "$T/bad"
"$PY" - "$T/bad" <<'PYEOF'
import struct, sys, lmdb
sys.path.insert(0, __import__("os").environ["CADV_TOP"] + "/tests")
from store_reader import fnv1a

def rec(cg, seen, gone=0):
    strs = [b"id1", cg] + [b""] * 9
    v = struct.pack("<QQQQQHHIiIIHH", seen, gone, 0, 0, 0, 3, 11, 0, 0, 0,
                    0, 0, 0)
    return v + b"".join(struct.pack("<H", len(s)) + s for s in strs)

env = lmdb.open(sys.argv[1], max_dbs=8)
with env.begin(write=True) as txn:
    db = env.open_db(b"idents", txn=txn, create=False)
    k0 = [k for k, v in txn.cursor(db=db)
          if struct.unpack(">Q", k[:8])[0] == fnv1a(b"/fill/c0")][0]
    v0 = txn.get(k0, db=db)
    h0, s0 = struct.unpack(">QQ", k0)
    # 1. a key that is not 16 bytes
    txn.put(b"k" * 15, v0, db=db)
    # 2. a value that does not decode
    txn.put(struct.pack(">QQ", 1, 2), b"garbage", db=db)
    # 3. web1's record under another name's hash
    txn.put(struct.pack(">QQ", h0 ^ 1, s0), v0, db=db)
    # 4. web1's record under another time (of the same name: ls reads it)
    txn.put(struct.pack(">QQ", h0, s0 + 1), v0, db=db)
    # 5. no cgroup
    txn.put(struct.pack(">QQ", fnv1a(b""), 5), rec(b"", 5), db=db)
    # 6. gone before it was first stored
    txn.put(struct.pack(">QQ", fnv1a(b"/z"), 100), rec(b"/z", 100, 50), db=db)
    # 7. a cgroup that is no container name
    txn.put(struct.pack(">QQ", fnv1a(b"z/.."), 7), rec(b"z/..", 7), db=db)
PYEOF
expect_status "check: damaged identities, 1" 1 "$BIN/cadvctl" --store "$T/bad" check
cp "$T/.out" "$T/bad.txt"
expect "a 15-byte key is named" grep -q '^idents .*key is 15 bytes, not 16' "$T/bad.txt"
expect "a value that does not decode is named" grep -q '^idents 00000000000000010000000000000002: record does not decode' "$T/bad.txt"
expect "a record under another hash is named" grep -q "^idents .*key is not the hash of the record's cgroup" "$T/bad.txt"
expect "a record under another time is named" grep -q "^idents .*key's time is not the record's first-stored time" "$T/bad.txt"
expect "a record without cgroup is named" grep -q '^idents .*record has no cgroup name' "$T/bad.txt"
expect "gone before first stored is named" grep -q '^idents .*gone before it was first stored' "$T/bad.txt"
expect "an invalid cgroup is named" grep -q '^idents .*does not decode: its cgroup is not a container name' "$T/bad.txt"
expect "7 problems, the good records not among them" grep -qE ', 16 idents: 7 problems$' "$T/bad.txt"
"$BIN/cadvctl" --store "$T/bad" check --json >"$T/bad.json" 2>/dev/null
expect "check --json: the problems name the idents table" has "$T/bad.json" \
    'd["ok"] is False and len(d["problems"]) == 7 and all(p["table"] == "idents" for p in d["problems"]) or d["x"]'
expect_status "ls through web1's damaged record: 3, not a guess" 3 "$BIN/cadvctl" --store "$T/bad" ls
expect "  naming the idents table" grep -q 'idents' "$T/.err"
expect_status "idents on the damaged table: 3" 3 "$BIN/cadvctl" --store "$T/bad" idents

# bytes flipped in the pages: never a signal or a hang
for cmd in check ls idents "events --max -1"; do
	expect "flipped bytes: cadvctl $cmd never dies of a signal or hangs" \
	    "$PY" "$TOP/tests/flipstore.py" "$S" "$BIN/cadvctl --store {} $cmd" 150 7
done
exit 0
