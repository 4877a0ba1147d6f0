#!/usr/bin/python3
"""burst.py PORT N CONC: N short HTTP/1.1 requests, CONC at a time, each on
its own connection (Connection: close), a third of them POSTs with a
ContainerInfoRequest body sent in two writes.  Prints one line: the count
of requests that got no HTTP status line (closed unanswered, reset, or
timed out), and the first few of them; exit 1 if any."""
import socket
import sys
import threading
import time

port, n, conc = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
BODY = b'{"num_stats":2}'
GET = b"GET /api/v1.3/subcontainers/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" \
      b"Connection: close\r\n\r\n"
POST = b"POST /api/v1.3/subcontainers/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" \
       b"Content-Type: application/json\r\nContent-Length: %d\r\n" \
       b"Connection: close\r\n\r\n" % len(BODY)
bad = []
lock = threading.Lock()


def one(i):
    t0 = time.monotonic()
    data = b""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        if i % 3 == 1:
            s.sendall(POST)
            time.sleep(0.001)
            s.sendall(BODY)
        else:
            s.sendall(GET)
        while True:
            d = s.recv(65536)
            if not d:
                break
            data += d
        s.close()
        why = data[:40]
    except OSError as e:
        why = str(e)
    if not data.startswith(b"HTTP/1.1 "):
        with lock:
            bad.append("#%d after %.0f ms: %r" %
                       (i, (time.monotonic() - t0) * 1000, why))


def worker(k):
    for i in range(k, n, conc):
        one(i)


threads = [threading.Thread(target=worker, args=(k,)) for k in range(conc)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("%d requests, %d unanswered %s" % (n, len(bad), "; ".join(bad[:3])))
sys.exit(1 if bad else 0)
