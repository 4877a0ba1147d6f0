#!/usr/bin/python3
"""flipstore.py STORE CMD N [SEED]: N copies of STORE's data.mdb, each with
1 to 8 random bytes past the two meta pages set to random values, each
given to CMD (a command line, STORE_COPY put where {} stands) with a
20 s limit; prints the exit codes seen.  Fails when any copy made CMD die
of a signal or hang (issue 17, finding 7: a damaged store is reported,
never a crash)."""
import collections
import os
import random
import shlex
import subprocess
import sys

src, cmd, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(os.path.join(src, "data.mdb"), "rb").read()
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
work = os.path.join(os.path.dirname(os.path.abspath(src)), "flip")
codes = collections.Counter()
bad = []
for i in range(n):
    os.makedirs(work, exist_ok=True)
    for f in os.listdir(work):
        os.unlink(os.path.join(work, f))
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        b[rnd.randrange(8192, len(b))] = rnd.randrange(256)
    with open(os.path.join(work, "data.mdb"), "wb") as f:
        f.write(b)
    argv = [a.replace("{}", work) for a in shlex.split(cmd)]
    try:
        rc = subprocess.run(argv, capture_output=True, timeout=20).returncode
    except subprocess.TimeoutExpired:
        rc = "hang"
    codes[rc] += 1
    if rc == "hang" or rc < 0 or rc >= 128:
        bad.append((i, rc))
print("exit codes:", dict(codes), "signals or hangs:", bad[:5])
sys.exit(1 if bad else 0)
