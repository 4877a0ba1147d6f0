# Sourced by tests/lib-containerd.sh and tests/lib-docker.sh: what their
# runtimes of the test's own share.
#
#   rt_log FILE		its last lines on one line (for a *_WHY)
#   rt_kill PID SECONDS	TERM, then KILL after SECONDS; waits for it
#   rt_rootfs DIR		a busybox rootfs in DIR (made afresh)
#   rt_kill_shims STATE	KILLs the shims of the containerd whose state is
#			STATE and what they run (their pids are there)
#   rt_umount_under DIR	lazily unmounts what is left mounted under DIR
#			(overlay, netns, shm), deepest first
#   rt_check KEY FILE VALUE EXPR
#			the one identity of FILE (rtscan's output) whose KEY
#			is VALUE, bound to c, makes the Python expression
#			EXPR true (os is imported)

rt_log() { tail -n 5 "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-300; }

rt_kill() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null || return 0
	_n=0
	while kill -0 "$1" 2>/dev/null && [ "$_n" -lt $(($2 * 10)) ]; do
		sleep 0.1; _n=$((_n + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

rt_rootfs() {
	rm -rf "$1" && mkdir -p "$1/bin" "$1/tmp" "$1/proc" "$1/sys" \
	    "$1/dev" "$1/etc" || return 1
	cp /bin/busybox "$1/bin/busybox" || return 1
	chroot "$1" /bin/busybox --install -s /bin
}

rt_kill_shims() {
	for _p in "$1"/io.containerd.runtime.v2.task/*/*/init.pid \
	    "$1"/io.containerd.runtime.v2.task/*/*/shim.pid; do
		[ -f "$_p" ] && kill -9 "$(cat "$_p")" 2>/dev/null
	done
	return 0
}

rt_umount_under() {
	grep -o " $1/[^ ]*" /proc/self/mounts 2>/dev/null | sort -r |
	    while read -r _m; do umount -l "$_m" 2>/dev/null; done
	return 0
}

rt_check() {
	"$PY" -c '
import json, os, sys
ids = [json.loads(l) for l in open(sys.argv[2])]
c = [i for i in ids if i.get(sys.argv[1]) == sys.argv[3]]
if len(c) != 1:
    sys.exit("%d identities with %s %s" % (len(c), sys.argv[1], sys.argv[3]))
c = c[0]
if not eval(sys.argv[4]):
    sys.exit("not so: " + json.dumps(c)[:700])' "$@"
}
