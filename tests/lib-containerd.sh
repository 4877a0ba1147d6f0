# Sourced after tests/lib.sh: a containerd of the test's own (own config,
# root, state, sockets, CNI config; nothing under /run/containerd or
# /var/lib/containerd), busybox images imported into it, and everything
# removed at exit, failure included.
#
#   ctrd_start [cri]	starts it (with the CRI plugin when "cri" is given:
#			restrict_oom_score_adj, a local pause image as the
#			sandbox image, a CNI network moving a tap of ours
#			into the pod as eth0 with a static TEST-NET address);
#			sets CT_DIR (its files), CT_STATE, CT_ROOT, CT_SOCK,
#			CT_TAP (cri); returns 1 with CT_WHY set when it
#			cannot start; with "cri", CT_CRI_OK is 1 when the
#			CRI plugin runs, else CT_CRI_WHY says why not
#   CT_CRICLIENT	set to a CRI client command (tests/tools/cri.py with
#			its --sock and --state): ctrd_stop runs its cleanup
#   ct ARGS...		ctr on that containerd
#   ctrd_image NS NAME [CMD-JSON]
#			imports a busybox rootfs as image NAME into
#			namespace NS (CMD ["/bin/sh"] unless given)
#   ctrd_pause_image	the pause image the CRI plugin is configured with
#   ctrd_stop		removes every container and task of ours, stops
#			containerd by pid, removes its files, mounts, tap
#			and the cgroups listed in CT_CGROUPS (also at exit)
#   cri_pod_api [CREATE-ARGS...] -- CMD...
#			through the CRI as the kubelet does: the busybox and
#			pause images into k8s.io, pod shop/api-PID-... (PUID,
#			PODNAME, PODCG = /cadv-test-PID-cri/kubepods/besteffort/pod<uid>, POD)
#			and its container api (API) made with CREATE-ARGS and
#			started; sets CRI (the client); 1 with CT_WHY
#   ctrd_own_cgroup CG	adds CG (a cgroup name) to what ctrd_stop removes,
#			with its parents up to the first one that existed
#			before (call it before the cgroup is made)
CT_PID="" CT_WHY="" CT_DIR="" CT_TAP="" CT_CGROUPS="" CT_CRI=0 CT_CRI_OK=0
CT_CRI_WHY=""
CT_PAUSE=localhost/cadvtest-pause:1
. "$CADV_TOP/tests/lib-rt.sh"

ct() { ctr --address "$CT_SOCK" "$@"; }
ctrd_pause_image() { echo "$CT_PAUSE"; }

ctrd_start() {
	command -v containerd >/dev/null && command -v ctr >/dev/null &&
	    command -v runc >/dev/null || { CT_WHY="containerd, ctr or runc not installed"; return 1; }
	[ -d /sys/fs/cgroup/memory ] || { CT_WHY="no v1 memory hierarchy"; return 1; }
	[ "${1:-}" = cri ] && CT_CRI=1
	# short: unix socket paths are at most 107 bytes
	CT_DIR=$(mktemp -d /tmp/cadv-ct.XXXXXX) || { CT_WHY="mktemp"; return 1; }
	on_exit ctrd_stop
	CT_STATE=$CT_DIR/state CT_ROOT=$CT_DIR/root CT_SOCK=$CT_DIR/c.sock
	mkdir -p "$CT_STATE" "$CT_ROOT" "$CT_DIR/opt" "$CT_DIR/cni"
	if [ "$CT_CRI" -eq 1 ]; then
		[ -x /usr/lib/cni/host-device ] && [ -x /usr/lib/cni/static ] &&
		    [ -x /usr/lib/cni/loopback ] || { CT_WHY="CNI plugins host-device, static, loopback not in /usr/lib/cni"; return 1; }
		# a tap with nothing attached: the pod's eth0, sends nowhere
		CT_TAP=cadvct$$
		CT_TAP=$(echo "$CT_TAP" | cut -c1-15)
		ip tuntap add dev "$CT_TAP" mode tap 2>"$CT_DIR/tap.err" ||
		    { CT_WHY="ip tuntap add: $(cat "$CT_DIR/tap.err")"; CT_TAP=""; return 1; }
		cat >"$CT_DIR/cni/10-cadvtest.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "cadvtest-$$",
  "plugins": [{
    "type": "host-device",
    "device": "$CT_TAP",
    "ipam": {"type": "static",
      "addresses": [{"address": "192.0.2.$(( $$ % 250 + 2 ))/24"}]}
  }]
}
EOF
		_plug="disabled_plugins = []"
		_cri=$(cat <<EOF
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CT_PAUSE"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CT_DIR/cni"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
EOF
)
	else
		_plug='disabled_plugins = ["io.containerd.grpc.v1.cri"]'
		_cri=""
	fi
	cat >"$CT_DIR/containerd.toml" <<EOF
version = 2
root = "$CT_ROOT"
state = "$CT_STATE"
$_plug
[grpc]
  address = "$CT_SOCK"
[ttrpc]
  address = "$CT_SOCK.ttrpc"
[debug]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CT_DIR/opt"
$_cri
EOF
	containerd --config "$CT_DIR/containerd.toml" >"$CT_DIR/containerd.log" 2>&1 &
	CT_PID=$!
	if ! wait_for 20 test -S "$CT_SOCK"; then
		CT_WHY="containerd did not start: $(rt_log "$CT_DIR/containerd.log")"
		return 1
	fi
	if [ "$CT_CRI" -eq 1 ]; then
		# containerd runs on without a plugin that failed
		if wait_for 10 grep -q 'Start subscribing containerd event' "$CT_DIR/containerd.log" &&
		    ! grep -q 'failed to load plugin io.containerd.grpc.v1.cri' "$CT_DIR/containerd.log"; then
			CT_CRI_OK=1
		else
			CT_CRI_WHY="CRI plugin did not start: $(grep 'grpc.v1.cri' "$CT_DIR/containerd.log" | grep 'level=\(error\|warning\)' | tail -n 2 | tr '\n' ' ' | cut -c1-300)"
		fi
	fi
	return 0
}

# A docker-archive (what `docker save` writes) of a busybox rootfs: ctr
# imports it without any registry, podman or docker.
_ct_archive() {	# _ct_archive OUT.tar REPO:TAG CMD-JSON
	_w=$CT_DIR/img.$$
	rm -rf "$_w" && mkdir -p "$_w/a" && rt_rootfs "$_w/r" || return 1
	tar -C "$_w/r" --owner=0 --group=0 -cf "$_w/layer.tar" . || return 1
	_ld=$(sha256sum "$_w/layer.tar" | cut -d' ' -f1)
	mkdir -p "$_w/a/$_ld" && mv "$_w/layer.tar" "$_w/a/$_ld/layer.tar"
	printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Cmd":%s,"Env":["PATH=/bin"],"Labels":{"org.example.built-by":"cadv-tests"}},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	    "$3" "$_ld" >"$_w/config.json"
	_cd=$(sha256sum "$_w/config.json" | cut -d' ' -f1)
	mv "$_w/config.json" "$_w/a/$_cd.json"
	printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' \
	    "$_cd" "$2" "$_ld" >"$_w/a/manifest.json"
	tar -C "$_w/a" -cf "$1" . || return 1
	rm -rf "$_w"
}

ctrd_image() {	# ctrd_image NS NAME [CMD-JSON]
	_ar=$CT_DIR/image.tar
	_ct_archive "$_ar" "$2" "${3:-[\"/bin/sh\"]}" || return 1
	ct -n "$1" images import "$_ar" >"$CT_DIR/import.out" 2>&1 || {
		cat "$CT_DIR/import.out" >&2; return 1; }
	rm -f "$_ar"
}

# CG and its parents up to the first one that exists now, in every
# hierarchy: what ctrd_stop removes (deepest first, only when empty)
ctrd_own_cgroup() {
	_c=$1
	while [ -n "$_c" ] && [ "$_c" != / ]; do
		[ -d "/sys/fs/cgroup/memory$_c" ] && break
		CT_CGROUPS="$CT_CGROUPS $_c"
		_c=${_c%/*}
	done
}

_ct_rmcg() {
	# deepest first: longer names are below shorter ones
	for _c in $(printf '%s\n' $CT_CGROUPS | awk '{ print length($0), $0 }' |
	    sort -rn | cut -d' ' -f2-); do
		for _h in /sys/fs/cgroup/*/; do
			[ -d "$_h${_c#/}" ] || continue
			find "$_h${_c#/}" -depth -type d -exec rmdir {} \; 2>/dev/null
		done
	done
}

cri_pod_api() {
	CRI="$PY $CADV_TOP/tests/tools/cri.py --sock $CT_SOCK --state $CT_DIR/cri.json"
	CT_CRICLIENT=$CRI
	if ! ctrd_image k8s.io localhost/bb:1 ||
	    ! ctrd_image k8s.io "$(ctrd_pause_image)" '["/bin/sleep","2147483647"]'; then
		CT_WHY="images into containerd: $(_ct_log "$CT_DIR/containerd.log")"
		return 1
	fi
	PUID=$(cat /proc/sys/kernel/random/uuid)
	PODNAME=api-$$-$(echo "$PUID" | cut -c1-5)
	# under a parent of our own (rt_oci matches .../kubepods/<qos>/pod<uid>
	# anywhere): ctrd_stop removes it all, even after a run cut short
	PODCG=/cadv-test-$$-cri/kubepods/besteffort/pod$PUID
	ctrd_own_cgroup "$PODCG"
	if ! POD=$($CRI runp --name "$PODNAME" --namespace shop --uid "$PUID" \
	    --cgroup-parent "$PODCG" 2>"$CT_DIR/cri.err") ||
	    ! API=$($CRI create "$POD" --name api --image localhost/bb:1 \
	    "$@" 2>>"$CT_DIR/cri.err") ||
	    ! $CRI start "$API" 2>>"$CT_DIR/cri.err"; then
		CT_WHY="CRI pod shop/$PODNAME: $(cat "$CT_DIR/cri.err")"
		return 1
	fi
}

ctrd_stop() {
	[ -n "$CT_DIR" ] || return 0
	if [ -n "$CT_PID" ] && kill -0 "$CT_PID" 2>/dev/null; then
		if [ "$CT_CRI" -eq 1 ] && [ -n "${CT_CRICLIENT:-}" ]; then
			# pods through the CRI, so that CNI gives the tap back
			$CT_CRICLIENT cleanup >/dev/null 2>&1
		fi
		for _ns in $(ct namespaces ls -q 2>/dev/null); do
			for _t in $(ct -n "$_ns" tasks ls -q 2>/dev/null); do
				ct -n "$_ns" tasks kill -s KILL "$_t" >/dev/null 2>&1
				ct -n "$_ns" tasks delete -f "$_t" >/dev/null 2>&1
			done
			for _c in $(ct -n "$_ns" containers ls -q 2>/dev/null); do
				ct -n "$_ns" containers delete "$_c" >/dev/null 2>&1
			done
			for _i in $(ct -n "$_ns" images ls -q 2>/dev/null); do
				ct -n "$_ns" images rm "$_i" >/dev/null 2>&1
			done
		done
	fi
	# shims of our containerd and what they run: pids in our state dir
	rt_kill_shims "$CT_STATE"
	rt_kill "$CT_PID" 10
	CT_PID=""
	# mounts left under our dirs
	rt_umount_under "$CT_DIR"
	[ -z "$CT_TAP" ] || ip link del "$CT_TAP" 2>/dev/null
	CT_TAP=""
	_ct_rmcg
	rm -rf "$CT_DIR"
	CT_DIR=""
}
