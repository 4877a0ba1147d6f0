# The container image (deploy/image/Containerfile, scripts/image): built
# offline into a podman store of the test's own, run with the documented
# flags (no --privileged: the capabilities and mounts of
# deploy/image/README.md) beside a container of ours, /metrics names that
# container, and a daemon killed inside is restarted by cadvinit.
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-podman.sh"

if ! is_root; then
	skip image "needs root (rootful podman, --pid=host)"
	exit 0
fi
command -v strip >/dev/null || { skip image "no strip (binutils)"; exit 0; }
if ! podman_start img; then
	skip image "$PM_WHY"
	exit 0
fi
podman_image localhost/bb:1 || { fail image "busybox image import"; exit 0; }

TAG=localhost/cadv:test-$$
PORT=$(free_port)
CAPS=SETUID,SETGID,SETPCAP,CHOWN,DAC_OVERRIDE,DAC_READ_SEARCH,KILL,SYSLOG
export CONTAINERS_CONF="$PM_DIR/containers.conf"
t0=$(date +%s)
PODMAN="podman --root $PM_ROOT --runroot $PM_RUNROOT --tmpdir $PM_DIR/tmp" \
    sh "$TOP/scripts/image" "$BIN/.." "$TAG" "$T/ctx" >"$T/build.out" 2>&1
expect "scripts/image builds the image offline (FROM scratch)" test $? -eq 0
echo "build: $(cat "$T/build.out") ($(($(date +%s) - t0)) s)"
size=$(pm image inspect --format '{{.Size}}' "$TAG" 2>/dev/null)
echo "image size: $size bytes"
expect "the image is small (< 40 MB)" test "${size:-999999999}" -lt 40000000
entry() { pm image inspect --format '{{.Config.Entrypoint}}' "$TAG" | grep -q /usr/sbin/cadvinit; }
expect "its entrypoint is cadvinit" entry

# a container of ours for the image to see
pm run -d --name "web-$$" --cgroup-parent "$PM_CGP" localhost/bb:1 sleep 600 >/dev/null
expect "our container runs" test "$(pm inspect -f '{{.State.Running}}' "web-$$")" = true

# the documented flags; host network only for the test's port (a pod or
# -p 8080:8080 otherwise), identd pointed at our private podman store
pm run -d --name "cadv-$$" --cgroup-parent "$PM_CGP" --network host --pid=host \
    -v /:/rootfs:ro --device /dev/kmsg --tmpfs /run/cadv:mode=0755 --read-only \
    --cap-drop ALL --cap-add "$CAPS" \
    --security-opt no-new-privileges \
    -e CADV_EXPORTERD_ARGS="--listen 127.0.0.1:$PORT" \
    -e CADV_IDENTD_ARGS="--storage-root $PM_ROOT --storage-runroot $PM_RUNROOT" \
    "$TAG" >"$T/run.out" 2>&1
expect "the image starts with the documented flags" test $? -eq 0
expect "not privileged" test "$(pm inspect -f '{{.HostConfig.Privileged}}' "cadv-$$")" = false
logs() { pm logs "cadv-$$" >"$T/cadv.log" 2>&1; }
started() { logs; sed -n "s/^cadvinit: started $1 (pid \([0-9]*\))\$/\1/p" "$T/cadv.log" | tail -n 1; }
has_started() { [ -n "$(started "$1")" ]; }
# restarted NAME OLDPID: a newer NAME runs
restarted() { _p=$(started "$1"); [ -n "$_p" ] && [ "$_p" != "$2" ] && [ "$(cat "/proc/$_p/comm")" = "$1" ]; }
scrape() { curl -sf "http://127.0.0.1:$PORT/metrics" >"$T/m.txt"; }
sees_web() { scrape && grep -q "^container_cpu_usage_seconds_total{.*name=\"web-$$\"" "$T/m.txt"; }
running() { [ "$(pm inspect -f '{{.State.Running}}' "cadv-$$")" = "$1" ]; }
for d in watcherd collectord eventd identd exporterd; do
	expect "cadvinit starts $d" wait_for 15 has_started "$d"
done
expect "/metrics is served" wait_for 30 scrape
expect "/metrics names our container (name=\"web-$$\")" wait_for 30 sees_web
logs
expect "every daemon dropped to its user" sh -c "
	grep -q '^collectord: running as cadv ' '$T/cadv.log' &&
	grep -q '^watcherd: running as cadv-watch ' '$T/cadv.log' &&
	grep -q '^exporterd: running as cadv-web ' '$T/cadv.log' &&
	grep -q '^identd: reader running as cadv-ident .* with CAP_DAC_READ_SEARCH only' '$T/cadv.log'"
expect "no daemon failed to start" sh -c "! grep -q 'fatal' '$T/cadv.log'"
expect "eventd reads /dev/kmsg (CAP_SYSLOG)" sh -c "! grep -q 'kmsg.*Operation not permitted' '$T/cadv.log'"

# collectord killed (by the host pid cadvinit logged: --pid=host)
cp=$(started collectord)
expect "collectord's pid is a collectord of uid cadv's" sh -c \
    "[ \"\$(cat /proc/$cp/comm)\" = collectord ] && grep -q '^Uid:.*64801' /proc/$cp/status"
kill -KILL "$cp"
died() { logs; grep -q "^cadvinit: collectord (pid $cp) killed by signal 9" "$T/cadv.log"; }
expect "cadvinit logs its death" wait_for 10 died
expect "and restarts it" wait_for 15 restarted collectord "$cp"
expect "the unit's watcherd restarted with it" grep -q '^cadvinit: watcherd | collectord: stopping the rest of the unit$' "$T/cadv.log"
expect "/metrics still names our container after the restart" wait_for 30 sees_web

# a stop reaches every daemon through cadvinit (TERM; CAP_KILL: they run
# as other users)
pids=$(logs; sed -n 's/^cadvinit: started [a-z]* (pid \([0-9]*\))$/\1/p' "$T/cadv.log")
ipid=$(pm inspect -f '{{.State.Pid}}' "cadv-$$")
kill -TERM "$ipid"
expect "TERM to cadvinit: the container exits" wait_for 20 running false
logs
expect "cadvinit saw every daemon go" grep -q '^cadvinit: every daemon is gone$' "$T/cadv.log"
expect "without needing KILL" sh -c "! grep -q 'still running after' '$T/cadv.log'"
left=""
for p in $pids; do
	kill -0 "$p" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$p/status" && left="$left $p"
done
expect "no daemon left running" test -z "$left"
