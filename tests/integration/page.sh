# The web page in headless Chromium: the container tree and charts with
# data points, drawn from exporterd alone; the screenshot is kept in
# $CADV_ARTIFACTS/page.png.
. "$CADV_TOP/tests/lib.sh"

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] || ! command -v curl >/dev/null 2>&1; then
	skip "web page" "chromium or curl not installed (make deps)"
	exit 0
fi
S=$T/store
start_pipeline "$S"
PORT=$((20000 + ($$ + 3) % 20000))
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
U=http://127.0.0.1:$PORT
wait_for 5 curl -sf -o /dev/null "$U/healthz"
# a few ticks of samples for the charts
wait_for 10 sh -c "curl -s '$U/api/v2.0/stats/?count=4' | grep -o timestamp_ns | wc -l | grep -qx 4"

# Chromium wants a home it can write; no sandbox when run as root
export HOME="$T/home"
mkdir -p "$HOME"
chrome() {
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-extensions --disable-background-networking \
	    --virtual-time-budget=5000 "$@" 2>>"$T/chrome.err"
}
chrome --dump-dom "$U/containers/" >"$T/dom.html"
expect "the page lists the root container" grep -q 'data-name="/"' "$T/dom.html"
n=$(grep -o 'data-name="' "$T/dom.html" | wc -l)
want=$("$BIN/cadvctl" --store "$S" ls --json | "$PY" -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["live"]))')
expect "the tree shows every live container ($n of $want)" test "$n" -ge "$want"
pts=$(sed -n 's/.*<canvas id="c0"[^>]*data-points="\([0-9]*\)".*/\1/p' "$T/dom.html")
expect "the cpu chart has data points (${pts:-none})" test "${pts:-0}" -ge 2
expect "four charts: cpu, memory, io, network" test "$(grep -o '<canvas' "$T/dom.html" | wc -l)" -eq 4
chrome --window-size=1000,700 --screenshot="$T/page.png" "$U/containers/" >/dev/null
expect "a screenshot is taken" sh -c "head -c 8 '$T/page.png' | od -An -c | grep -q 'P   N   G'"
cp "$T/page.png" "$CADV_ARTIFACTS/page.png" 2>/dev/null
# everything comes from exporterd: no address but its own in the page
expect "the page loads nothing from elsewhere" sh -c "! curl -s '$U/' | grep -Eq '(src|href)=\"?(https?:)?//'"
kill "$XP"; wait "$XP" 2>/dev/null
stop_pipeline
