# Sourced after tests/lib.sh: a containerd and a dockerd of the test's own
# (own config, root, state, sockets, pidfile, cgroup parent), a busybox
# image imported into it, and everything removed at exit, failure included.
#
#   docker_start TAG	starts both; sets DK_DIR (their files), DK_CSTATE
#			(containerd state), DK_CROOT, DK_SOCK (containerd's),
#			DK_DATA (docker's --data-root), DK_EXEC (--exec-root),
#			DK_HOST (dockerd's socket), DK_CGP (cgroup parent,
#			"/cadvtest-TAG-PID"); returns 1 with DK_WHY set when
#			either cannot start
#   dk ARGS...		the docker client on that dockerd
#   docker_image NAME	imports a busybox rootfs as NAME (CMD /bin/sh)
#   docker_stop		stops dockerd and containerd by pid, removes their
#			files and cgroups (also run at exit)
DK_CTRD_PID="" DK_DOCKERD_PID="" DK_WHY="" DK_DIR=""
. "$CADV_TOP/tests/lib-rt.sh"

dk() { docker -H "unix://$DK_HOST" "$@"; }

docker_start() {
	_tag=$1
	command -v containerd >/dev/null && command -v dockerd >/dev/null &&
	    command -v docker >/dev/null || { DK_WHY="containerd or dockerd not installed"; return 1; }
	[ -d /sys/fs/cgroup/memory ] || { DK_WHY="no v1 memory hierarchy"; return 1; }
	# short: unix socket paths are at most 107 bytes
	DK_DIR=$(mktemp -d /tmp/cadv-dk.XXXXXX) || { DK_WHY="mktemp"; return 1; }
	on_exit docker_stop
	DK_CSTATE=$DK_DIR/cstate DK_CROOT=$DK_DIR/croot DK_SOCK=$DK_DIR/c.sock
	DK_DATA=$DK_DIR/data DK_EXEC=$DK_DIR/exec DK_HOST=$DK_DIR/d.sock
	DK_CGP=/cadvtest-$_tag-$$
	mkdir -p "$DK_CSTATE" "$DK_CROOT" "$DK_DATA" "$DK_EXEC" "$DK_DIR/opt"
	# no CRI plugin (it wants CNI); every path under DK_DIR
	cat >"$DK_DIR/containerd.toml" <<EOF
version = 2
root = "$DK_CROOT"
state = "$DK_CSTATE"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$DK_SOCK"
[ttrpc]
  address = "$DK_SOCK.ttrpc"
[debug]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$DK_DIR/opt"
EOF
	containerd --config "$DK_DIR/containerd.toml" >"$DK_DIR/containerd.log" 2>&1 &
	DK_CTRD_PID=$!
	if ! wait_for 20 test -S "$DK_SOCK"; then
		DK_WHY="containerd did not start: $(rt_log "$DK_DIR/containerd.log")"
		return 1
	fi
	echo '{}' >"$DK_DIR/daemon.json"
	dockerd --config-file "$DK_DIR/daemon.json" \
	    --data-root "$DK_DATA" --exec-root "$DK_EXEC" \
	    --pidfile "$DK_DIR/dockerd.pid" -H "unix://$DK_HOST" \
	    --containerd "$DK_SOCK" --bridge=none --iptables=false \
	    --ip6tables=false --ip-masq=false --ip-forward=false \
	    --userland-proxy=false --oom-score-adjust=0 \
	    --exec-opt native.cgroupdriver=cgroupfs \
	    --default-ulimit nofile=1024:4096 --cgroup-parent "$DK_CGP" \
	    --storage-driver overlay2 \
	    >"$DK_DIR/dockerd.log" 2>&1 &
	DK_DOCKERD_PID=$!
	if ! wait_for 30 dk version >/dev/null 2>&1; then
		DK_WHY="dockerd did not start: $(rt_log "$DK_DIR/dockerd.log")"
		return 1
	fi
	return 0
}

docker_image() {
	_r=$DK_DIR/rootfs
	rt_rootfs "$_r" || return 1
	tar -C "$_r" -cf "$DK_DIR/rootfs.tar" . || return 1
	dk import --change 'CMD ["/bin/sh"]' "$DK_DIR/rootfs.tar" "$1" >/dev/null
}

# every memory/cpu/... cgroup under our parent, deepest first
_dk_rmcg() {
	for _h in /sys/fs/cgroup/*/ /sys/fs/cgroup/unified/; do
		[ -d "$_h${DK_CGP#/}" ] || continue
		find "$_h${DK_CGP#/}" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
}

docker_stop() {
	[ -n "$DK_DIR" ] || return 0
	if [ -n "$DK_DOCKERD_PID" ] && kill -0 "$DK_DOCKERD_PID" 2>/dev/null; then
		# our containers first (dockerd would leave them running)
		_ids=$(dk ps -aq 2>/dev/null)
		[ -z "$_ids" ] || dk rm -f $_ids >/dev/null 2>&1
	fi
	rt_kill "$DK_DOCKERD_PID" 15
	DK_DOCKERD_PID=""
	# shims of our containerd and what they run: pids in our state dir
	rt_kill_shims "$DK_CSTATE"
	rt_kill "$DK_CTRD_PID" 10
	DK_CTRD_PID=""
	# mounts left under our dirs
	rt_umount_under "$DK_DIR"
	_dk_rmcg
	rm -rf "$DK_DIR"
	DK_DIR=""
}
