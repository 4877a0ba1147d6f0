#!/bin/sh
# podman as a runtime source: a store of our own with a labelled container,
# a renamed one, an OOM-killed one and a pod; rtscan must name each from
# podman's own records (bolt_state.db, containers.json, the bundles) with
# the cgroup podman made, the exit code and OOM flag podman recorded, the
# pod's infra container and network owner.  Then a rootless store, read by
# rtscan run as its user.
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-podman.sh"

RTSCAN=$TBIN/rtscan
is_root || { skip rt_podman "needs root (podman with cgroups)"; exit 0; }
[ -x "$RTSCAN" ] || { fail rt_podman "no $RTSCAN"; exit 0; }
if ! podman_start hpod; then
	skip rt_podman "podman cannot run here: $PM_WHY"
	exit 0
fi
podman_image localhost/bb:1 || { fail rt_podman_image "podman import"; exit 0; }

scan() {	# scan [ARGS]: rtscan over our store into $T/scan.json
	"$RTSCAN" --storage-root "$PM_ROOT" --storage-runroot "$PM_RUNROOT" \
	    --source podman "$@" >"$T/scan.json" 2>"$T/scan.err"
}
# got NAME EXPR: EXPR over the identity named NAME (bound to d) in the
# last scan; prints the value, fails when there is none
got() {
	"$PY" - "$T/scan.json" "$1" "$2" <<'EOF'
import json, os, sys
ids = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
m = [d for d in ids if d.get("name") == sys.argv[2] or
     (sys.argv[2].startswith("id:") and d.get("id") == sys.argv[2][3:])]
if len(m) != 1:
    sys.exit(1)
d = m[0]
try:
    print(eval(sys.argv[3]))
except (KeyError, IndexError, TypeError):
    sys.exit(1)
EOF
}
# is NAME EXPR WANT: the value of EXPR is WANT
is() { [ "$(got "$1" "$2" 2>/dev/null)" = "$3" ]; }
insp() { pm inspect --format "$2" "$1" 2>/dev/null; }

W=web1-$$ W2=web1r-$$ O=oom-$$ P=shop-$$ A=api-$$
pm run -d --name "$W" --label app=web --env FOO=bar --env SECRET=s3cr3t \
    --cgroup-parent "$PM_CGP" localhost/bb:1 sleep 600 >/dev/null 2>"$T/run.err" ||
    { fail rt_podman_run "$(head -c 300 "$T/run.err")"; exit 0; }
pm run -d --name "$O" --memory 16m --memory-swap 16m --cgroup-parent "$PM_CGP" \
    localhost/bb:1 sh -c 'x=a; while :; do x=$x$x; done' >/dev/null 2>&1
pm pod create --name "$P" --cgroup-parent "$PM_CGP" >/dev/null 2>&1
pm run -d --pod "$P" --name "$A" --label tier=api localhost/bb:1 sleep 600 \
    >/dev/null 2>&1
WID=$(insp "$W" '{{.Id}}') AID=$(insp "$A" '{{.Id}}')
PID_=$(pm pod inspect --format '{{.Id}}' "$P" 2>/dev/null)
INFRA=$(pm pod inspect --format '{{.InfraContainerID}}' "$P" 2>/dev/null)

# ---- a running container ----
scan
expect rt_podman_scan_ok [ -s "$T/scan.json" ]
expect rt_podman_no_errors grep -q 'podman: found [1-9][0-9]*, unreadable 0, malformed 0' "$T/scan.err"
expect rt_podman_id is "$W" 'd["id"]' "$WID"
expect rt_podman_runtime is "$W" 'd["runtime"]' podman
expect rt_podman_image is "$W" 'd["image"]' localhost/bb:1
expect rt_podman_label is "$W" 'd["labels"]["app"]' web
expect rt_podman_no_env is "$W" '"env" in d' False
expect rt_podman_pid is "$W" 'd["pid"]' "$(insp "$W" '{{.State.Pid}}')"
CG=$(got "$W" 'd["cgroup"]')
expect rt_podman_cgroup_name [ "$CG" = "$PM_CGP/libpod-$WID" ]
expect rt_podman_cgroup_exists [ -d "/sys/fs/cgroup/memory$CG" ]
expect rt_podman_created is "$W" '"created" in d and "started" in d and "exit_code" not in d' True
scan --env FOO
expect rt_podman_env_allowed is "$W" 'sorted(d["env"].items())' "[('FOO', 'bar')]"

# ---- a rename: podman rewrites the config's name and names[0] ----
pm rename "$W" "$W2" >/dev/null 2>&1
scan
expect rt_podman_renamed is "$W2" 'd["id"]' "$WID"
expect rt_podman_old_name_gone sh -c "! grep -q '\"name\":\"$W\"' '$T/scan.json'"

# ---- an OOM kill: exit code 137, no cgroup, the OOM flag podman kept ----
wait_for 20 sh -c "[ \"\$(pm inspect --format '{{.State.Status}}' $O 2>/dev/null)\" = exited ]"
scan
expect rt_podman_oom_exit is "$O" 'd["exit_code"]' 137
expect rt_podman_oom_exit_podman [ "$(insp "$O" '{{.State.ExitCode}}')" = 137 ]
# its bundle still names the cgroup it had, which is gone
expect rt_podman_oom_cgroup_named is "$O" '"/libpod-" in d.get("cgroup", "")' True
expect rt_podman_oom_cgroup_gone is "$O" 'os.path.isdir("/sys/fs/cgroup/memory" + d["cgroup"])' False
expect rt_podman_oom_finished is "$O" '"finished" in d' True
# podman 4.3 with conmon 2.1.6 records no OOM kill here (conmon writes its
# "oom" file into its working directory, where podman does not look): the
# flag must say what podman says
OOMP=$(insp "$O" '{{.State.OOMKilled}}')
[ "$OOMP" = true ] && WANT=True || WANT=False
expect rt_podman_oom_flag_as_podman is "$O" 'd.get("oom_killed", False)' "$WANT"
echo "note: podman recorded OOMKilled=$OOMP for $O"

# ---- a pod: its infra container, the netns owner, the pod's cgroup ----
expect rt_podman_pod_member is "$A" 'd["pod"]' "$P"
expect rt_podman_pod_sandbox_id is "$A" 'd["sandbox_id"]' "$INFRA"
expect rt_podman_pod_netns is "$A" 'd["netns_owner"]' "$INFRA"
expect rt_podman_pod_label is "$A" 'd["labels"]["tier"]' api
expect rt_podman_infra is "id:$INFRA" 'd.get("sandbox", False)' True
expect rt_podman_infra_pod is "id:$INFRA" 'd["pod"]' "$P"
ACG=$(got "$A" 'd["cgroup"]')
expect rt_podman_pod_ctr_cgroup [ -d "/sys/fs/cgroup/memory$ACG" ]
PCG=$(got "id:$PID_" 'd["cgroup"] if d.get("pod_cgroup") else ""')
expect rt_podman_pod_cgroup [ "$PCG" = "$PM_CGP/$PID_" ]
expect rt_podman_pod_cgroup_exists [ -d "/sys/fs/cgroup/memory$PCG" ]

# ---- the crio source leaves podman's containers alone ----
"$RTSCAN" --storage-root "$PM_ROOT" --storage-runroot "$PM_RUNROOT" \
    --source crio >"$T/crio.json" 2>"$T/crio.err"
expect rt_podman_not_crio [ ! -s "$T/crio.json" ]

# ---- removed: gone from the scan ----
pm rm -f -t 0 "$W2" >/dev/null 2>&1
scan
expect rt_podman_removed sh -c "! grep -q '$WID' '$T/scan.json'"

# ---- rootless: the user's own store, read by rtscan run as that user ----
if podman_user_start; then
	R=rl-$$
	if pmu run -d --name "$R" --label app=rootless localhost/bb:1 \
	    sleep 600 >"$T/rl.out" 2>&1; then
		RID=$(pmu inspect --format '{{.Id}}' "$R" 2>/dev/null)
		as_pm_user "$RTSCAN" --source podman >"$T/scan.json" 2>"$T/scan.err"
		expect rt_podman_rootless_found is "$R" 'd["id"]' "$RID"
		expect rt_podman_rootless_image is "$R" 'd["image"]' localhost/bb:1
		expect rt_podman_rootless_label is "$R" 'd["labels"]["app"]' rootless
		# the rootful store is not its to read: said, not fatal
		expect rt_podman_rootless_status grep -q 'podman: found 1,' "$T/scan.err"
	else
		fail rt_podman_rootless_run "$(tail -n 2 "$T/rl.out" | tr '\n' ' ' | cut -c1-300)"
	fi
else
	skip rt_podman_rootless "$PM_WHY"
fi
exit 0
