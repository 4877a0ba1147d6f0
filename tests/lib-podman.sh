# Sourced after tests/lib.sh: a podman store of the test's own (--root,
# --runroot, --tmpdir under one directory, a containers.conf of its own:
# runc, cgroupfs, no network, ulimits rootful podman can set here), a
# busybox image in it, and everything removed at exit, failure included.
#
#   podman_start TAG	makes the store; sets PM_DIR, PM_ROOT (--root),
#			PM_RUNROOT, PM_CGP (a cgroup parent of the run's own,
#			"/cadvtest-TAG-PID": pass --cgroup-parent "$PM_CGP");
#			returns 1 with PM_WHY set when podman cannot run here
#   pm ARGS...		podman on that store
#   podman_image NAME	imports a busybox rootfs as NAME (CMD /bin/sh)
#   podman_stop		removes the containers, pods, images, mounts,
#			cgroups and files (also run at exit)
#
#   podman_user_start	a throwaway user with a rootless store (vfs; no
#			cgroups on this hybrid layout): sets PM_USER, PM_HOME,
#			PM_XDG; returns 1 with PM_WHY when it cannot be made
#   pmu ARGS...		rootless podman as that user
#   as_pm_user CMD...	CMD as that user, in the environment pmu uses
#   podman_user_stop	removes its containers, processes, home and the
#			user (also run at exit)
PM_DIR="" PM_WHY="" PM_USER="" PM_HOME=""

_pm_conf() {	# _pm_conf FILE: runc, cgroupfs, no network, our ulimits
	cat >"$1" <<'EOF'
[containers]
# rootful podman's default RLIMIT_NOFILE is refused here (REFERENCE 7.1);
# pods' infra containers take these too
default_ulimits = ["nofile=1024:4096", "nproc=4096:4096"]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
EOF
}

# conmon writes an "oom" file in its working directory: ours
pm() {
	(cd "$PM_DIR" && CONTAINERS_CONF="$PM_DIR/containers.conf" \
	    podman --root "$PM_ROOT" --runroot "$PM_RUNROOT" \
	    --tmpdir "$PM_DIR/tmp" "$@")
}

podman_start() {
	command -v podman >/dev/null && command -v runc >/dev/null &&
	    command -v conmon >/dev/null ||
	    { PM_WHY="podman, runc or conmon not installed"; return 1; }
	[ -d /sys/fs/cgroup/memory ] || { PM_WHY="no v1 memory hierarchy"; return 1; }
	PM_DIR=$(mktemp -d /tmp/cadv-pm.XXXXXX) || { PM_WHY="mktemp"; return 1; }
	on_exit podman_stop
	PM_ROOT=$PM_DIR/root PM_RUNROOT=$PM_DIR/run PM_CGP=/cadvtest-$1-$$
	mkdir -p "$PM_DIR/tmp"
	_pm_conf "$PM_DIR/containers.conf"
	if ! pm info >"$PM_DIR/info.log" 2>&1; then
		PM_WHY="podman info failed: $(tail -n 3 "$PM_DIR/info.log" | tr '\n' ' ' | cut -c1-300)"
		return 1
	fi
	return 0
}

_pm_rootfs() {	# _pm_rootfs DIR: a busybox rootfs tarred into DIR/rootfs.tar
	_r=$1/rootfs
	rm -rf "$_r"
	mkdir -p "$_r/bin" "$_r/tmp" "$_r/proc" "$_r/sys" "$_r/dev" "$_r/etc"
	cp /bin/busybox "$_r/bin/busybox" || return 1
	chroot "$_r" /bin/busybox --install -s /bin || return 1
	tar -C "$_r" -cf "$1/rootfs.tar" . || return 1
	rm -rf "$_r"
}

podman_image() {
	_pm_rootfs "$PM_DIR" || return 1
	pm import --change 'CMD ["/bin/sh"]' "$PM_DIR/rootfs.tar" "$1" >/dev/null 2>&1
}

# every cgroup under our parent, in every hierarchy, deepest first
_pm_rmcg() {
	for _h in /sys/fs/cgroup/*/ /sys/fs/cgroup/unified/; do
		[ -d "$_h${PM_CGP#/}" ] || continue
		find "$_h${PM_CGP#/}" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
}

# mounts left under a directory (the driver's home, overlays, shm), inner
# ones first
_pm_umount() {
	grep -o " $1/[^ ]*" /proc/self/mounts 2>/dev/null | sort -r |
	    while read -r _m; do umount -l "$_m" 2>/dev/null; done
}

# waits up to 10 s for the processes that name our storage to end: a
# container's conmon runs "podman container cleanup" when it exits, and
# that podman mounts the storage again (its driver's private bind) after
# we unmounted it, leaving a mount and the directory behind
_pm_wait_ours() {
	_i=0
	while [ "$_i" -lt 100 ] &&
	    grep -qsF "$PM_ROOT" /proc/[0-9]*/cmdline 2>/dev/null; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

podman_stop() {
	[ -n "$PM_DIR" ] || return 0
	if [ -d "$PM_ROOT" ]; then
		pm pod rm -af -t 0 >/dev/null 2>&1
		pm rm -af -t 0 >/dev/null 2>&1
		# conmons of containers podman could not remove: their pids
		for _p in "$PM_RUNROOT"/*-containers/*/userdata/conmon.pid; do
			[ -f "$_p" ] && kill -9 "$(cat "$_p")" 2>/dev/null
		done
		pm rmi -af >/dev/null 2>&1
		_pm_wait_ours
	fi
	_pm_umount "$PM_DIR"
	_pm_rmcg
	rm -rf "$PM_DIR" 2>/dev/null
	if [ -d "$PM_DIR" ]; then
		sleep 1
		_pm_umount "$PM_DIR"
		rm -rf "$PM_DIR"
	fi
	PM_DIR=""
}

# ---- rootless ----

as_pm_user() {
	(cd "$PM_HOME" && runuser -u "$PM_USER" -- env -i HOME="$PM_HOME" \
	    USER="$PM_USER" LOGNAME="$PM_USER" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    XDG_RUNTIME_DIR="$PM_XDG" CONTAINERS_CONF="$PM_HOME/containers.conf" \
	    "$@")
}

pmu() { as_pm_user podman "$@"; }

podman_user_start() {
	command -v useradd >/dev/null && command -v userdel >/dev/null &&
	    command -v runuser >/dev/null && command -v newuidmap >/dev/null ||
	    { PM_WHY="useradd, runuser or newuidmap missing"; return 1; }
	PM_USER=cadvpm$$
	if ! useradd -m -s /bin/sh "$PM_USER" >/dev/null 2>&1; then
		PM_WHY="useradd $PM_USER failed"
		PM_USER=""
		return 1
	fi
	on_exit podman_user_stop
	PM_HOME=$(getent passwd "$PM_USER" | cut -d: -f6)
	grep -q "^$PM_USER:" /etc/subuid && grep -q "^$PM_USER:" /etc/subgid ||
	    { PM_WHY="useradd gave $PM_USER no subordinate ids"; return 1; }
	# its runtime directory in its home: nothing left in /tmp or /run
	PM_XDG=$PM_HOME/xdg
	install -d -m 700 -o "$PM_USER" "$PM_XDG"
	_pm_conf "$PM_HOME/containers.conf"
	_pm_rootfs "$PM_HOME" || { PM_WHY="busybox rootfs"; return 1; }
	chown "$PM_USER" "$PM_HOME/containers.conf" "$PM_HOME/rootfs.tar"
	if ! pmu import --change 'CMD ["/bin/sh"]' "$PM_HOME/rootfs.tar" \
	    localhost/bb:1 >"$PM_HOME/import.log" 2>&1; then
		PM_WHY="rootless podman import: $(tail -n 2 "$PM_HOME/import.log" | tr '\n' ' ' | cut -c1-200)"
		return 1
	fi
	return 0
}

podman_user_stop() {
	[ -n "$PM_USER" ] || return 0
	if [ -d "$PM_HOME" ]; then
		pmu rm -af -t 0 >/dev/null 2>&1
		pmu system reset -f >/dev/null 2>&1
	fi
	# the pause process holding its user namespace, conmons: by pid
	for _p in $(ps -o pid= -u "$PM_USER" 2>/dev/null); do
		kill -9 "$_p" 2>/dev/null
	done
	_pm_umount "$PM_HOME"
	userdel -r "$PM_USER" >/dev/null 2>&1
	case $PM_HOME in */cadvpm[0-9]*) rm -rf "$PM_HOME" ;; esac
	PM_USER=""
}
