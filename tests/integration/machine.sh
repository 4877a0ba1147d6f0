# Machine, version and filesystem info against independent tools.
. "$CADV_TOP/tests/lib.sh"

S=$T/store
C="$BIN/cadvctl --store $S"
F=$T/fix
mkdir -p "$F"
cp "$FIX/v2tree/cgroup.controllers" "$F/"
start_pipeline "$S" --root "$F" -- --fs-interval 1s
sleep 1.5
$C machine --json >"$T/m.json"
$C version --json >"$T/v.json"
m() { jv "$1" <"$T/m.json"; }

expect "machine: logical cpus equal nproc --all" test "$(m 'd["num_cores"]')" = "$(nproc --all)"
if command -v lscpu >/dev/null; then
	expect "machine: physical cores equal lscpu's" test "$(m 'd["num_physical_cores"]')" = \
	    "$(lscpu -p=CORE,SOCKET | grep -v '^#' | sort -u | wc -l)"
	expect "machine: sockets equal lscpu's" test "$(m 'd["num_sockets"]')" = \
	    "$(lscpu -p=SOCKET | grep -v '^#' | sort -u | wc -l)"
fi
expect "machine: memory equals MemTotal of /proc/meminfo" test "$(m 'd["memory_capacity"]')" = \
    "$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 1024 ))"
expect "machine: swap equals SwapTotal" test "$(m 'd["swap_capacity"]')" = \
    "$(( $(awk '/^SwapTotal:/ {print $2}' /proc/meminfo) * 1024 ))"
expect "machine: machine id equals /etc/machine-id" test "$(m 'd["machine_id"]')" = "$(cat /etc/machine-id)"
expect "machine: boot id equals the kernel's" test "$(m 'd["boot_id"]')" = "$(cat /proc/sys/kernel/random/boot_id)"
expect "version: kernel release equals uname -r" test "$(jv 'd["kernel_version"]' <"$T/v.json")" = "$(uname -r)"

if command -v lsblk >/dev/null; then
	lsblk -b -d -n -o MAJ:MIN,SIZE,NAME >"$T/lsblk" 2>/dev/null
	expect "machine: every disk's size equals lsblk -b's" "$PY" -c '
import json, sys
disks = json.load(open(sys.argv[1]))["disk_map"]
ls = {}
for line in open(sys.argv[2]):
    mm, size, name = line.split()
    ls[mm.strip()] = (int(size), name)
ok = bool(disks) and all(k in ls and ls[k] == (v["size"], v["name"]) for k, v in disks.items())
sys.exit(0 if ok else 1)' "$T/m.json" "$T/lsblk"
fi
if command -v ip >/dev/null; then
	ip -o link >"$T/iplink"
	expect "machine: network devices, mac and mtu as ip -o link shows them" "$PY" -c '
import json, os, re, sys
ours = {d["name"]: d for d in json.load(open(sys.argv[1]))["network_devices"]}
real = set()
for line in open(sys.argv[2]):
    m = re.match(r"\d+: ([^:@]+)[@:].* mtu (\d+) .*link/\S+ ([0-9a-f:]+)", line)
    if not m or "/virtual/" in os.readlink("/sys/class/net/" + m.group(1)):
        continue
    real.add(m.group(1))
    d = ours.get(m.group(1))
    if d is None or d["mtu"] != int(m.group(2)) or d["mac_address"] != m.group(3):
        sys.exit(1)
sys.exit(0 if real == set(ours) else 1)' "$T/m.json" "$T/iplink"
fi

# filesystems against df
$C fs / --json >"$T/root.json"
read -r dsrc dtgt dsize dused davail <<EOF2
$(df -B1 --output=source,target,size,used,avail / | tail -n 1)
EOF2
read -r itotal ifree <<EOF2
$(df --output=itotal,iavail / | tail -n 1)
EOF2
expect "fs /: device and mount as df shows them ($dsrc on $dtgt)" test \
    "$(jv 'd["device"] + " " + d["mountpoint"]' <"$T/root.json")" = "$dsrc $dtgt"
expect "fs /: capacity equals df -B1" test "$(jv 'd["capacity"]' <"$T/root.json")" = "$dsize"
expect "fs /: inodes equal df -i" test "$(jv 'd["inodes"]' <"$T/root.json")" = "$itotal"
expect "fs /: used within 1% of df's" "$PY" -c 'import sys; a,b,c=map(int,sys.argv[1:]); sys.exit(0 if abs(a-b) <= c/100 else 1)' \
    "$(jv 'd["usage"]' <"$T/root.json")" "$dused" "$dsize"
expect "fs /: free inodes within 1% of df's" "$PY" -c 'import sys; a,b,c=map(int,sys.argv[1:]); sys.exit(0 if abs(a-b) <= c/100 else 1)' \
    "$(jv 'd["inodes_free"]' <"$T/root.json")" "$ifree" "$itotal"
expect "fs /: answered from the store" test "$(jv 'd["source"]' <"$T/root.json")" = store
$C fs --json >"$T/all.json"
expect "fs: all filesystems listed, / among them" has "$T/all.json" '[f for f in d if f["mountpoint"] == "/"][0]'
expect "fs: pseudo filesystems left out" sh -c "! grep -q '\"type\":\"proc\"' '$T/all.json'"

# a directory with spaces under a bind mount is held by the bind mount
if is_root; then
	mkdir -p "$T/src/sub dir" "$T/with space/dst"
	if mount --bind "$T/src" "$T/with space/dst" 2>/dev/null; then
		on_exit "umount '$T/with space/dst' 2>/dev/null"
		$C fs "$T/with space/dst/sub dir" --json >"$T/bind.json"
		expect "fs PATH: names the bind mount that holds it" test \
		    "$(jv 'd["mountpoint"]' <"$T/bind.json")" = "$T/with space/dst"
		umount "$T/with space/dst"
	else
		skip "fs PATH under a bind mount" "mount --bind not permitted here"
	fi
fi
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	$C fs /dev/shm --json >"$T/shm.json"
	$C fs /dev/shm >/dev/null 2>"$T/shm.err"
	expect "fs PATH on a pseudo filesystem: measured now with statfs" test \
	    "$(jv 'd["source"] + " " + d["type"]' <"$T/shm.json")" = "statfs tmpfs"
	expect "fs PATH on a pseudo filesystem: and it says so" grep -q "not in the store" "$T/shm.err"
fi
expect_status "fs of a missing path exits 1" 1 $C fs "$T/nope"
stop_pipeline
"$TBIN/storefill" --store "$T/fill" >/dev/null
expect_status "machine on a store without machine info exits 1" 1 "$BIN/cadvctl" --store "$T/fill" machine
