#!/usr/bin/python3
"""chromepipe: a page in headless Chromium, driven over the DevTools
protocol on a pipe (--remote-debugging-pipe: no port, no package beyond
Python's own), in real time (no virtual time: the page's own
performance.now() figures are true).

  chromepipe.py CHROME URL [--wait JS] [--after SECONDS] [--timeout S]
                [--eval JS]... [--screenshot FILE] [--size WxH]

Opens URL, waits until the expression --wait is truthy (polled), then
--after seconds more, evaluates each --eval and prints one JSON array of
their values; --screenshot saves a PNG of the page then.  Exit 1 with a
message on stderr when the page never gets there."""
import argparse, base64, json, os, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("chrome")
ap.add_argument("url")
ap.add_argument("--wait", default="document.readyState == 'complete'")
ap.add_argument("--after", type=float, default=0)
ap.add_argument("--timeout", type=float, default=30)
ap.add_argument("--eval", action="append", default=[])
ap.add_argument("--screenshot")
ap.add_argument("--size", default="1200x900")
a = ap.parse_args()

w, h = (int(x) for x in a.size.split("x"))
home = tempfile.mkdtemp(prefix="chromepipe.")
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
# Chromium reads commands on fd 3 and writes answers on fd 4
def fds():
    os.dup2(to_chrome_r, 3)
    os.dup2(from_chrome_w, 4)
proc = subprocess.Popen(
    [a.chrome, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
     "--disable-extensions", "--disable-background-networking",
     "--remote-debugging-pipe", "--user-data-dir=" + home,
     "--window-size=%d,%d" % (w, h), "about:blank"],
    pass_fds=(3, 4), preexec_fn=fds, stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL, env=dict(os.environ, HOME=home))
os.close(to_chrome_r)
os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0)
inp = os.fdopen(from_chrome_r, "rb", buffering=0)
buf = b""
seq = 0

def call(method, params=None, session=None):
    global buf, seq
    seq += 1
    msg = {"id": seq, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" not in buf:
            chunk = inp.read(65536)
            if not chunk:
                raise SystemExit("chromepipe: Chromium went away")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        m = json.loads(raw)
        if m.get("id") == seq:
            if "error" in m:
                raise SystemExit("chromepipe: %s: %s" % (method, m["error"]))
            return m.get("result", {})

def run():
    page = [t for t in call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
    tid = page[0]["targetId"] if page else call("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = call("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
    ev = lambda js: call("Runtime.evaluate", {"expression": js, "returnByValue": True,
                                               "awaitPromise": True}, s).get("result", {}).get("value")
    call("Page.enable", session=s)
    call("Page.navigate", {"url": a.url}, s)
    end = time.time() + a.timeout
    while not ev("!!(%s)" % a.wait):
        if time.time() > end:
            print("chromepipe: timed out waiting for", a.wait, file=sys.stderr)
            return 1
        time.sleep(0.1)
    time.sleep(a.after)
    print(json.dumps([ev(e) for e in a.eval]))
    if a.screenshot:
        png = call("Page.captureScreenshot", {"format": "png"}, s)["data"]
        with open(a.screenshot, "wb") as f:
            f.write(base64.b64decode(png))
    return 0

try:
    rc = run()
finally:
    try:
        call("Browser.close")
    except SystemExit:
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    subprocess.run(["rm", "-rf", home])
sys.exit(rc)
