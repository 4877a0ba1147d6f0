# The web page of a podman container (issue 21), in headless Chromium: a
# container of our own podman store with limits, named by identd; its page
# (reached by cgroup path and by the runtime's name) shows its name,
# image, labels, limits and process list, checked in the DOM; screenshots
# of it and of the overview go to $CADV_ARTIFACTS.
. "$CADV_TOP/tests/lib.sh"
. "$CADV_TOP/tests/lib-podman.sh"

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] || ! command -v curl >/dev/null 2>&1; then
	skip "page_podman" "chromium or curl not installed (make deps)"
	exit 0
fi
is_root || { skip page_podman "needs root (podman with cgroups)"; exit 0; }
if ! podman_start pgw; then
	skip page_podman "podman cannot run here: $PM_WHY"
	exit 0
fi
podman_image localhost/bb:1 || { fail page_podman "podman import"; exit 0; }
S=$T/store
start_pipeline "$S"
"$BIN/identd" --store "$S" --storage-root "$PM_ROOT" \
    --storage-runroot "$PM_RUNROOT" 2>>"$T/identd.err" &
IDP=$!
on_exit "kill $IDP 2>/dev/null"
PORT=$(free_port)
U=http://127.0.0.1:$PORT
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
wait_for 5 curl -sf -o /dev/null "$U/healthz"

W=webpage-$$
pm run -d --name "$W" --label tier=front --memory 64m --cpus 0.5 \
    --cpuset-cpus 0 --pids-limit 50 --cpu-shares 512 \
    --cgroup-parent "$PM_CGP" localhost/bb:1 sh -c 'sleep 600' >/dev/null 2>"$T/run.err" ||
    { fail page_podman "podman run: $(head -c 300 "$T/run.err")"; exit 0; }
named() { curl -sf "$U/api/v2.0/spec/$W?type=podman" >"$T/spec.json"; }
expect "identd names the container (spec by its podman name)" wait_for 20 named
CG=$(jv 'list(d)[0]' <"$T/spec.json")
# runc writes the limits after making the cgroup: collectord's spec has
# them a moment later
limits() { named && jv 'list(d.values())[0]["memory"]["limit"] == 64 << 20' <"$T/spec.json" | grep -qx True; }
expect "collectord has its limits" wait_for 20 limits
# a few ticks for the charts
wait_for 10 sh -c "curl -s '$U/api/v2.0/stats$CG?count=3' | grep -o timestamp_ns | wc -l | grep -qx 3"
# identd's walker measures a new container's writable layer within its
# first check intervals
wait_for 20 sh -c "curl -s '$U/api/v2.0/stats$CG?count=1' | grep -q '\"filesystem\"'"

chrome() {
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-extensions --disable-background-networking \
	    --virtual-time-budget=5000 "$@" 2>>"$T/chrome.err"
}
export HOME="$T/home"
mkdir -p "$HOME"
chrome --dump-dom "$U/containers$CG" >"$T/ctr.html"
# dd FILE LABEL: the <dd> after <dt>LABEL</dt>, tags stripped
dd() { sed -n "s|.*<dt>$2</dt><dd>\([^<]*\(<[^/][^>]*>[^<]*</[a-z]*>\)*[^<]*\)</dd>.*|\1|p" "$1" | sed 's/<[^>]*>//g'; }
expect "its page's title is its cgroup ($CG)" grep -q "<h2 id=\"title\">$CG</h2>" "$T/ctr.html"
expect "identity: the name $W" test "$(dd "$T/ctr.html" Name)" = "$W"
expect "identity: the image localhost/bb:1" test "$(dd "$T/ctr.html" Image)" = "localhost/bb:1"
expect "identity: runtime podman" test "$(dd "$T/ctr.html" Runtime)" = "podman"
expect "identity: the label tier=front" grep -q '<span class="lbl">tier=front</span>' "$T/ctr.html"
expect "isolation: memory limit 64.0 MiB ($(dd "$T/ctr.html" 'Memory limit'))" test "$(dd "$T/ctr.html" 'Memory limit')" = "64.0 MiB"
expect "isolation: cpu quota 0.500 cores ($(dd "$T/ctr.html" 'CPU quota'))" sh -c "dd() { :; }; echo '$(dd "$T/ctr.html" 'CPU quota')' | grep -q '^0.500 cores (50000 µs per 100000 µs)$'"
expect "isolation: cpu shares 512, cpuset 0, pids limit 50" sh -c \
    "[ '$(dd "$T/ctr.html" 'CPU shares')' = 512 ] && [ '$(dd "$T/ctr.html" 'CPU set')' = 0 ] && [ '$(dd "$T/ctr.html" 'Pids limit')' = 50 ]"
expect "usage against the memory limit: a gauge of 64.0 MiB" grep -q 'Memory: [^<]* of 64.0 MiB limit' "$T/ctr.html"
expect "its writable layer's filesystem usage: a gauge against the capacity" grep -q 'Filesystem [^<:]*: [^<]* of [^<]* capacity' "$T/ctr.html"
expect "the process list shows its process: sleep, with its pid" sh -c \
    "grep -o '<table class=\"ps\">.*</table>' '$T/ctr.html' | grep -q '<td>root</td><td class=\"num\">[0-9]*</td>.*<td>sleep</td>'"
mpts=$(sed -n 's/.*<canvas id="c1"[^>]*data-points="\([0-9]*\)".*/\1/p' "$T/ctr.html")
expect "its memory chart has data points (${mpts:-none})" test "${mpts:-0}" -ge 2
expect "its memory chart names the limit, 64.0 MiB" grep -q '<canvas id="c1"[^>]*data-lines="limit 64.0 MiB"' "$T/ctr.html"
# by the runtime's name: the same container's page
chrome --dump-dom "$U/docker/$W" >"$T/byname.html"
expect "/docker/$W shows the same container" grep -q "<h2 id=\"title\">$CG</h2>" "$T/byname.html"
# /docker/ alone, as cAdvisor's: the containers the runtimes name
chrome --dump-dom "$U/docker/" >"$T/runtimes.html"
expect "/docker/ lists the runtimes' containers, ours by its name" "$PY" -c "
import sys
h = open(sys.argv[1]).read()
i = h.find('<section id=\"runtime\">')
sys.exit(0 if i >= 0 and sys.argv[2] in h[i:h.find('</section>', i)] else 1)" "$T/runtimes.html" "$W"
chrome --window-size=1200,1600 --screenshot="$T/ctr.png" "$U/containers$CG" >/dev/null
expect "a screenshot of the container's page" sh -c "head -c 8 '$T/ctr.png' | od -An -c | grep -q 'P   N   G'"
cp "$T/ctr.png" "$CADV_ARTIFACTS/page-podman.png" 2>/dev/null
# the overview names it among the containers, by name and image
chrome --dump-dom "$U/" >"$T/over.html"
expect "the overview's busiest lists name it with its image" sh -c \
    "grep -o '<section id=\"busiest\">.*</section>' '$T/over.html' | grep -q '>$W</a></td><td>localhost/bb:1</td>'"
chrome --window-size=1200,1400 --screenshot="$T/over.png" "$U/" >/dev/null
cp "$T/over.png" "$CADV_ARTIFACTS/page-podman-overview.png" 2>/dev/null
exited_says exporterd "$XP" "$T/exporterd.err"
kill "$XP"; wait "$XP" 2>/dev/null
stop_pipeline
