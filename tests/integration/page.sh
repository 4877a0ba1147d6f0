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
PORT=$(free_port)
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
expect "the charts: cpu, memory, io, network first (c0-c3), per core, throttling, network errors, pressure" \
    test "$(grep -o '<canvas id="c[0-7]"' "$T/dom.html" | wc -l)" -eq 8
# the root container's network chart: the host's interfaces, as cAdvisor
# shows them there
npts=$(sed -n 's/.*<canvas id="c3"[^>]*data-points="\([0-9]*\)".*/\1/p' "$T/dom.html")
expect "the root container's network chart has data points (${npts:-none})" test "${npts:-0}" -ge 2
# axes: clock times along x, values with their unit up y
axes() {
	"$PY" - "$T/dom.html" <<'PYEOF'
import re, sys
d = open(sys.argv[1], encoding="utf-8").read()
ok = True
for cid, unit in (("c0", "cores"), ("c1", "B"), ("c3", "/s")):
    m = re.search(r'<canvas id="%s"[^>]*>' % cid, d)
    tag = m.group(0) if m else ""
    y = re.search(r'data-yaxis="([^"]*)"', tag)
    x = re.search(r'data-xaxis="([^"]*)"', tag)
    print(cid, "y:", y and y.group(1), "x:", x and x.group(1))
    ok &= bool(y and x and unit in y.group(1) and
               len(re.findall(r"\d\d:\d\d:\d\d", x.group(1))) == 5)
sys.exit(0 if ok else 1)
PYEOF
}
expect "the charts' axes are labelled: times along x, values with units up y" axes
expect "the container's identity, isolation, usage gauges, processes and subcontainers sections" sh -c \
    "for s in identity isolation usage processes subcontainers; do grep -q \"<section id=\\\"\$s\\\"\" '$T/dom.html' || exit 1; done"
expect "the root's process list has rows (every process for /)" sh -c "[ \$(grep -o '<table class=\"ps\">.*</table>' '$T/dom.html' | grep -o '<td' | wc -l) -ge 22 ]"

if [ -n "$P" ]; then
	# the page of one of ours: chosen in the tree, its own charts drawn
	chrome --dump-dom "$U/containers/$P/a/b" >"$T/own.html"
	expect "a container's page: its name as the title" grep -q "<h2 id=\"title\">/$P/a/b</h2>" "$T/own.html"
	expect "a container's page: it is the one selected in the tree" sh -c \
	    "grep -o '<a [^>]*class=\"sel\"[^>]*>' '$T/own.html' | grep -c . | grep -qx 1 && grep -o '<a [^>]*class=\"sel\"[^>]*>' '$T/own.html' | grep -q 'data-name=\"/$P/a/b\"'"
	opts=$(sed -n 's/.*<canvas id="c1"[^>]*data-points="\([0-9]*\)".*/\1/p' "$T/own.html")
	expect "a container's page: its memory chart has data points (${opts:-none})" test "${opts:-0}" -ge 2
fi
# the overview: the machine, filesystems, busiest containers, events
chrome --dump-dom "$U/" >"$T/over.html"
expect "the overview: machine, filesystems, busiest containers, OOM kills, lifecycle events" sh -c \
    "for s in machine filesystems busiest ooms events; do grep -q \"<section id=\\\"\$s\\\"\" '$T/over.html' || exit 1; done"
expect "the overview: the machine's cores and memory" sh -c "grep -q 'Cores<b>$(nproc)</b>' '$T/over.html' && grep -q 'Memory<b>[0-9.]* GiB</b>' '$T/over.html'"
expect "the overview: a usage bar for the root filesystem" grep -q 'role="meter" aria-label="/ (' "$T/over.html"
chrome --window-size=1200,1400 --screenshot="$T/overview.png" "$U/" >/dev/null
cp "$T/overview.png" "$CADV_ARTIFACTS/page-overview.png" 2>/dev/null
# the page's files: types, caching, and the policy that keeps it to this server
expect "the page: text/html, revalidated, Content-Security-Policy default-src 'self'" sh -c \
    "hdr() { curl -s -D - -o /dev/null '$U'\$1; }; h=\$(hdr /containers/x); echo \"\$h\" | grep -qi '^content-type: text/html' && echo \"\$h\" | grep -qi '^cache-control: no-cache' && echo \"\$h\" | grep -qi \"^content-security-policy: default-src 'self'\""
js=$(curl -s "$U/" | sed -n 's/.*src="\(\/static\/app.js?v=[0-9]*\)".*/\1/p')
expect "the script: under /static/ with its checksum in the URL (${js:-none}), text/javascript, cached a day" sh -c \
    "[ -n '$js' ] && curl -s -D - -o /dev/null '$U$js' | grep -qi '^content-type: text/javascript' && curl -s -D - -o /dev/null '$U$js' | grep -qi '^cache-control: public, max-age=86400'"
expect "a file the page does not have is a 404" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$U/static/nope.js')\" = 404 ]"
chrome --window-size=1200,1400 --screenshot="$T/page.png" "$U/containers/" >/dev/null
expect "a screenshot is taken" sh -c "head -c 8 '$T/page.png' | od -An -c | grep -q 'P   N   G'"
cp "$T/page.png" "$CADV_ARTIFACTS/page.png" 2>/dev/null
# everything comes from exporterd: no address but its own in the page
expect "the page loads nothing from elsewhere" sh -c "! curl -s '$U/' | grep -Eq '(src|href)=\"?(https?:)?//'"
expect "the script fetches nothing from elsewhere" sh -c "! curl -s '$U$js' | grep -Eq '(https?:)?//[a-z]'"
kill "$XP"; wait "$XP" 2>/dev/null
stop_pipeline
