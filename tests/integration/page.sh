# The web page in headless Chromium: the container tree and charts with
# data points, drawn from exporterd alone; the screenshot is kept in
# $CADV_ARTIFACTS/page.png.
#
# The tree is the machine's whole cgroup tree, which other programs change
# while we look (container runtimes, systemd, other tests): it is compared
# with the store's own lists read just before and just after the page, and
# may differ from them only in containers the store records as created or
# deleted in between (lifecycle events newer than a mark taken first).
# The test's own containers, which nothing else touches, must be there
# exactly.
. "$CADV_TOP/tests/lib.sh"

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] || ! command -v curl >/dev/null 2>&1; then
	skip "web page" "chromium or curl not installed (make deps)"
	exit 0
fi
S=$T/store
C="$BIN/cadvctl --store $S"
# containers of our own, one with bytes that HTML must escape
P="" ODD=""
if can_mkcg && [ -d /sys/fs/cgroup/memory ]; then
	P="${CGD}cadv-test-$$-g"
	M=/sys/fs/cgroup/memory/$P
	ODD='tag <i>&"q"'
	mkdir "$M" "$M/a" "$M/a/b" "$M/$ODD"
	on_exit "rmdir '$M/a/b' '$M/a' '$M/$ODD' '$M' 2>/dev/null"
fi
start_pipeline "$S"
PORT=$((20000 + ($$ + 3) % 20000))
"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" 2>"$T/exporterd.err" &
XP=$!
on_exit "kill $XP 2>/dev/null"
U=http://127.0.0.1:$PORT
wait_for 5 curl -sf -o /dev/null "$U/healthz"
# a few ticks of samples for the charts
wait_for 10 sh -c "curl -s '$U/api/v2.0/stats/?count=4' | grep -o timestamp_ns | wc -l | grep -qx 4"
[ -n "$P" ] && wait_for 10 sh -c "curl -s '$U/api/v2.0/stats/$P/a/b?count=4' | grep -o timestamp_ns | wc -l | grep -qx 4"

# Chromium wants a home it can write; no sandbox when run as root
export HOME="$T/home"
mkdir -p "$HOME"
chrome() {
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-extensions --disable-background-networking \
	    --virtual-time-budget=5000 "$@" 2>>"$T/chrome.err"
}
# mark: the newest event's sequence number; every container created or
# deleted after it has a lifecycle event with a larger one (collectord
# writes both in one transaction)
mark=$($C events --max 1 --json | jv 'd[-1]["seq"] if d else 0')
$C ls --json >"$T/ls0.json"
chrome --dump-dom "$U/containers/" >"$T/dom.html"
$C ls --json >"$T/ls1.json"
$C events --type container_creation,container_deletion --max -1 --json >"$T/life.json"
expect "the page lists the root container" grep -q 'data-name="/"' "$T/dom.html"
# tree CHECK: the page's tree against the store (see the top); CHECK is
# "all" (every container the store kept unchanged meanwhile is listed, and
# nothing else but the changed) or "own" (exactly the test's own under /$P)
tree() {
	"$PY" - "$1" "${mark:-x}" "$T/dom.html" "$T/ls0.json" "$T/ls1.json" \
	    "$T/life.json" "/$P" "$ODD" <<'PYEOF'
import html.parser, json, sys
check, mark, dom, ls0, ls1, life, own, odd = sys.argv[1:9]

class Tree(html.parser.HTMLParser):
    """the data-name of every link in the tree, with its text (None when
    a name turned into markup inside the link)"""
    def __init__(self):
        super().__init__()
        self.names, self.text, self.cur = [], {}, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.cur is not None:
            self.text[self.cur] = None
        elif tag == "a" and "data-name" in a:
            self.cur = a["data-name"]
            self.names.append(self.cur)
            self.text[self.cur] = ""
    def handle_endtag(self, tag):
        if tag == "a":
            self.cur = None
    def handle_data(self, data):
        if self.cur is not None and self.text[self.cur] is not None:
            self.text[self.cur] += data
t = Tree()
t.feed(open(dom, encoding="utf-8").read())
t.close()
page = t.names
live = lambda p: {c["name"] for c in json.load(open(p)) if c["live"]}
before, after = live(ls0), live(ls1)
changed = {e["container_name"] for e in json.load(open(life))
           if e["seq"] > int(mark)}
if check == "own":
    want = {own, own + "/a", own + "/a/b", own + "/" + odd}
    got = {n for n in page if n == own or n.startswith(own + "/")}
    shown = t.text.get(own + "/" + odd)
    print("own: page", sorted(got), "want", sorted(want), "odd one shown as",
          repr(shown))
    sys.exit(0 if got == want and not want & changed and shown == odd else 1)
steady = before - changed
print("page %d, store %d before and %d after, %d created or deleted "
      "in between" % (len(page), len(before), len(after), len(changed)))
bad = {"listed twice": sorted({n for n in page if page.count(n) > 1}),
       "store changed without an event": sorted(steady ^ (after - changed)),
       "missing from the page": sorted(steady - set(page)),
       "on the page, not live in the store": sorted(set(page) - steady - changed)}
bad = {k: v[:5] for k, v in bad.items() if v}
if bad or not steady:
    print(bad)
    sys.exit(1)
PYEOF
}
expect "the tree shows exactly the store's live containers, give or take those created or deleted meanwhile" tree all
if [ -n "$P" ]; then
	expect "the tree lists the test's own containers, odd name included, and nothing else under them" tree own
else
	skip "the test's own containers on the page" "cannot make cgroups here"
fi
pts=$(sed -n 's/.*<canvas id="c0"[^>]*data-points="\([0-9]*\)".*/\1/p' "$T/dom.html")
expect "the cpu chart has data points (${pts:-none})" test "${pts:-0}" -ge 2
expect "four charts: cpu, memory, io, network" test "$(grep -o '<canvas' "$T/dom.html" | wc -l)" -eq 4
if [ -n "$P" ]; then
	# the page of one of ours: chosen in the tree, its own charts drawn
	chrome --dump-dom "$U/containers/$P/a/b" >"$T/own.html"
	expect "a container's page: its name as the title" grep -q "<h2 id=\"title\">/$P/a/b</h2>" "$T/own.html"
	expect "a container's page: it is the one selected in the tree" sh -c \
	    "grep -o '<a [^>]*class=\"sel\"[^>]*>' '$T/own.html' | grep -c . | grep -qx 1 && grep -o '<a [^>]*class=\"sel\"[^>]*>' '$T/own.html' | grep -q 'data-name=\"/$P/a/b\"'"
	opts=$(sed -n 's/.*<canvas id="c1"[^>]*data-points="\([0-9]*\)".*/\1/p' "$T/own.html")
	expect "a container's page: its memory chart has data points (${opts:-none})" test "${opts:-0}" -ge 2
fi
chrome --window-size=1000,700 --screenshot="$T/page.png" "$U/containers/" >/dev/null
expect "a screenshot is taken" sh -c "head -c 8 '$T/page.png' | od -An -c | grep -q 'P   N   G'"
cp "$T/page.png" "$CADV_ARTIFACTS/page.png" 2>/dev/null
# everything comes from exporterd: no address but its own in the page
expect "the page loads nothing from elsewhere" sh -c "! curl -s '$U/' | grep -Eq '(src|href)=\"?(https?:)?//'"
kill "$XP"; wait "$XP" 2>/dev/null
stop_pipeline
