"""The cadv Python module (python/cadv) on real stores: storefill's, whose
values are functions of the container and sample index
(tests/tools/storefill.c), and damaged ones.  Run by
tests/integration/python.sh, which makes the stores and passes them in:
    CADV_TEST_STORE    storefill --containers 8 --samples 3 --events 8
                       --idents
    CADV_TEST_ODD      storefill --odd (names that are not UTF-8 ...)
    CADV_TEST_DAMAGED  stores cut short, ":"-separated
    CADV_TEST_FLIPPED  a directory of stores with bytes flipped
    CADV_TEST_FAULTS   where to write the ones that faulted
    CADV_TEST_EVENTS   eventd's socket on storefill --events 12 (watch)
    CADV_TEST_LIVE     a store collectord writes (unset: Live skips)
    CADV_TEST_SPOILED  the filled store with bad records written into LMDB
                       (container 1's value, a sample of no container;
                       unset without python3-lmdb: Spoiled skips)
    CADV_TESTBIN       where cadvlayout is
"""

import collections
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import cadv
from cadv import _ffi

NCONT, NSAMPLES = 8, 3
MEM_USAGE = 6           # CADV_SF_MEM_USAGE


def read_all(store):
    """Everything the module can read of a store, in one snapshot and
    through the store's own ones."""
    n = 0
    with store.snapshot() as snap:
        for c in snap.containers():
            s = c.latest()
            n += 0 if s is None else len(s)
            n += len(c.samples()) + len(c.minutes())
            c.summary(now=1)
        n += len(snap.identities()) + len(snap.events(max=-1))
        snap.machine_info()
        snap.version_info()
        snap.heartbeats()
        snap.interval()
    return n + len(store.containers())


class Layout(unittest.TestCase):
    """Every ctypes mirror has the C compiler's size and offsets."""

    def test_layout(self):
        tool = os.path.join(os.environ["CADV_TESTBIN"], "cadvlayout")
        out = subprocess.run([tool], check=True, capture_output=True,
                             text=True).stdout
        seen = set()
        for line in out.splitlines():
            what, n = line.split()
            name, _, member = what.partition(".")
            cls = _ffi.STRUCTS[name]
            seen.add(name)
            with self.subTest(what):
                if member:
                    self.assertEqual(getattr(cls, member).offset, int(n))
                else:
                    self.assertEqual(_ffi.ctypes.sizeof(cls), int(n))
        self.assertEqual(seen, set(_ffi.STRUCTS), "structs never compared")
        self.assertGreater(len(out.splitlines()), 100)


class Fill(unittest.TestCase):
    """storefill's store, read back value for value."""

    @classmethod
    def setUpClass(cls):
        cls.store = cadv.open(os.environ["CADV_TEST_STORE"])

    @classmethod
    def tearDownClass(cls):
        cls.store.close()

    def expect(self, c, k, i):
        """storefill's value of field i of container c's sample k, None
        when it leaves it unset."""
        return None if (i + c) % 4 == 0 else c * 1000000 + k * 1000 + i

    def test_containers(self):
        cs = self.store.containers()
        self.assertEqual([c.name for c in cs],
                         ["/fill/c%d" % i for i in range(NCONT)])
        self.assertEqual([c.id for c in cs], list(range(1, NCONT + 1)))
        self.assertEqual([c.live for c in cs],
                         [i % 3 != 2 for i in range(NCONT)])
        self.assertEqual(cs[3].spec, {"memory.limit": 4 << 20,
                                      "processes.limit": cadv.UNLIMITED})
        self.assertLess(cs[0].created, cs[1].created)

    def test_latest(self):
        with self.store.snapshot() as snap:
            for c, con in enumerate(snap.containers()):
                s = con.latest()
                want = {p: self.expect(c, NSAMPLES - 1, i)
                        for i, p in enumerate(cadv.FIELDS)
                        if self.expect(c, NSAMPLES - 1, i) is not None}
                self.assertEqual(dict(s), want, con.name)
                self.assertEqual(s.percpu, [(NSAMPLES - 1) * 10,
                                            (NSAMPLES - 1) * 20 + c])
                self.assertEqual((s.blk[0]["major"], s.blk[0]["minor"]),
                                 (254, c))

    def test_field_access(self):
        s = self.store.container("/fill/c1").latest()
        self.assertEqual(s["memory.usage"], 1002000 + MEM_USAGE)
        self.assertEqual(s.memory_usage, s["memory.usage"])
        # (i + 1) % 4 == 0: field 3, cpu.cfs.periods, is not in c1's
        self.assertNotIn("cpu.cfs.periods", s)
        with self.assertRaises(KeyError):
            s["cpu.cfs.periods"]    # pylint: disable=pointless-statement
        with self.assertRaises(AttributeError):
            s.cpu_cfs_periods       # pylint: disable=pointless-statement
        self.assertIsNone(s.get("cpu.cfs.periods"))
        self.assertEqual(cadv.unit("memory.usage"), "bytes")
        self.assertEqual(cadv.FIELDS[MEM_USAGE], "memory.usage")

    def test_samples(self):
        c = self.store.container("/fill/c4")
        all_ = c.samples()
        self.assertEqual(len(all_), NSAMPLES)
        ts = [s.ts for s in all_]
        self.assertEqual(ts, sorted(ts))
        self.assertEqual([s.ts for s in c.samples(last=2)], ts[1:])
        self.assertEqual([s.ts for s in c.samples(ts[1], ts[1])], [ts[1]])
        self.assertEqual([s["memory.usage"] for s in all_],
                         [4000000 + k * 1000 + MEM_USAGE
                          for k in range(NSAMPLES)])
        self.assertEqual(c.latest().ts, ts[-1])

    def test_identity(self):
        cs = {c.name: c for c in self.store.containers()}
        web = cs["/fill/c0"].identity
        self.assertEqual((web.runtime, web.name, web.image),
                         ("podman", "web1", "localhost/bb:1"))
        self.assertEqual(web.labels, {"app": "web", "tier.name": "front"})
        self.assertEqual(web.restart_count, 2)
        odd = cs["/fill/c1"].identity.labels["com.example.odd"]
        self.assertEqual(odd.encode("utf-8", "surrogateescape"),
                         b'quote"back\\slash\nline\xff')
        api = cs["/fill/c4"].identity
        self.assertEqual((api.runtime, api.namespace, api.pod, api.container),
                         ("containerd", "shop", "api-7d9f", "api"))
        self.assertEqual(api.id, cs["/fill/c4"].identity.id)
        self.assertEqual(len(api.id), 64)
        self.assertEqual(cs["/fill/c2"].identity.exit_code, 137)
        self.assertIsNone(self.store.container("/no/such"))

    def test_events(self):
        every = self.store.events(max=-1)
        self.assertGreaterEqual(len(every), 8)
        self.assertEqual([e.seq for e in every], sorted(e.seq for e in every))
        newest = self.store.events(max=3)
        self.assertEqual([e.seq for e in newest],
                         [e.seq for e in every[-3:]])
        ooms = self.store.events(types=["oomKill"], max=-1)
        self.assertTrue(ooms)
        self.assertEqual({e.type for e in ooms}, {"oom_kill"})
        self.assertEqual(len(ooms),
                         sum(e.type == "oom_kill" for e in every))
        for e in self.store.events(container="/fill/c2", max=-1):
            self.assertEqual(e.container, "/fill/c2")
        with self.assertRaises(ValueError):
            self.store.events(types=["nonsense"])

    def test_snapshot_lifetime(self):
        with self.store.snapshot() as snap:
            c = snap.containers()[0]
        with self.assertRaises(cadv.Error):
            c.latest()
        with self.assertRaises(cadv.Error):
            snap.containers()

    def test_closed_store(self):
        st = cadv.open(os.environ["CADV_TEST_STORE"])
        snap = st.snapshot()
        st.close()
        with self.assertRaises(cadv.Error):
            st.containers()
        with self.assertRaises(cadv.Error):
            snap.containers()

    def test_container_info(self):
        (c, samples), = self.store.container_info("/fill/c4")
        self.assertEqual(c.name, "/fill/c4")
        self.assertEqual(c.identity.pod, "api-7d9f")
        self.assertEqual([s.ts for s in samples],
                         [s.ts for s in c.samples()])
        (_, newest), = self.store.container_info("/fill/c4", count=1)
        self.assertEqual([s.ts for s in newest], [samples[-1].ts])
        self.assertEqual(dict(newest[0]), dict(samples[-1]))
        # recursive from "/": every live container once, in id order
        every = self.store.container_info("/", recursive=True, count=0)
        self.assertEqual([c.name for c, _ in every],
                         [c.name for c in self.store.containers() if c.live])
        self.assertEqual({len(s) for _, s in every}, {0})
        # by runtime name: storefill's podman container web1 is /fill/c0
        (web, _), = self.store.container_info("web1", id_type="podman")
        self.assertEqual(web.name, "/fill/c0")
        with self.assertRaises(cadv.Error) as cm:
            self.store.container_info("/no/such")
        self.assertEqual(cm.exception.code, cadv.NOTFOUND)
        self.assertIn("/no/such", str(cm.exception))
        # a deleted container (c2) is not a live one
        with self.assertRaises(cadv.Error):
            self.store.container_info("/fill/c2")
        with self.assertRaises(ValueError):
            self.store.container_info("/", id_type="crio")

    def test_check(self):
        problems, records = self.store.check()
        self.assertEqual(problems, [])
        self.assertEqual((records["containers"], records["samples"],
                          records["idents"]), (NCONT, NCONT * NSAMPLES, NCONT))

    def test_no_filesystems(self):
        # storefill writes no machine document: collectord's first write
        with self.assertRaises(cadv.Error) as cm:
            self.store.root_fs_info()
        self.assertEqual(cm.exception.code, cadv.NOTFOUND)
        self.assertIn("collectord", str(cm.exception))

    def test_read_all(self):
        self.assertGreater(read_all(self.store), NCONT * NSAMPLES)


@unittest.skipUnless(os.environ.get("CADV_TEST_LIVE"),
                     "no store written by collectord (python.sh could not "
                     "start the pipeline)")
class Live(unittest.TestCase):
    """A store collectord writes: the machine's filesystems and the
    containers of this machine."""

    @classmethod
    def setUpClass(cls):
        cls.store = cadv.open(os.environ["CADV_TEST_LIVE"])

    @classmethod
    def tearDownClass(cls):
        cls.store.close()

    def test_filesystems(self):
        every = self.store.fs_info()
        self.assertTrue(every)
        roots = self.store.fs_info("root")
        self.assertEqual([f["labels"] for f in roots], [["root"]])
        self.assertEqual(roots[0]["mountpoint"], "/")
        self.assertIn(roots[0], every)
        root = self.store.root_fs_info()
        self.assertEqual(root["device"], roots[0]["device"])
        st = os.stat("/")
        self.assertEqual((root["major"], root["minor"]),
                         (os.major(st.st_dev), os.minor(st.st_dev)))
        self.assertEqual(self.store.dir_fs_info("/")["device"],
                         root["device"])
        with self.assertRaises(cadv.Error) as cm:
            self.store.dir_fs_info("/nonexistent/dir")
        self.assertIn("/nonexistent/dir", str(cm.exception))
        with self.assertRaises(cadv.Error) as cm:
            self.store.fs_info("docker-images")
        self.assertIn("root", str(cm.exception))
        # statfs as collectord reads it, give or take what was written since
        vfs = os.statvfs("/")
        self.assertEqual(root["capacity"], vfs.f_blocks * vfs.f_frsize)

    def test_machine(self):
        (c, samples), = self.store.container_info("/", count=1)
        self.assertEqual(c.name, "/")
        self.assertEqual(len(samples), 1)
        self.assertGreater(samples[0]["cpu.usage.total"], 0)
        problems, records = self.store.check()
        self.assertEqual(problems, [])
        self.assertGreater(records["containers"], 0)


@unittest.skipUnless(os.environ.get("CADV_TEST_EVENTS"),
                     "no eventd socket given")
class Watch(unittest.TestCase):
    """cadv.watch on a real eventd, serving a store with 12 events."""

    def setUp(self):
        self.sock = os.environ["CADV_TEST_EVENTS"]
        self.stored = cadv.open(os.path.dirname(self.sock)).events(max=-1)

    def test_history_then_timeout(self):
        with cadv.watch(self.sock, max=3) as w:
            got = [w.next(timeout=5) for _ in range(3)]
            self.assertEqual([e.seq for e in got],
                             [e.seq for e in self.stored[-3:]])
            self.assertIsNone(w.next(timeout=0.3))
            self.assertGreaterEqual(w.fileno(), 0)
        with self.assertRaises(cadv.Error):
            w.fileno()

    def test_types(self):
        kills = [e for e in self.stored if e.type == "oom_kill"]
        self.assertTrue(kills)
        with cadv.watch(self.sock, types=["oom_kill"]) as w:
            got = []
            while True:
                e = w.next(timeout=0.5)
                if e is None:
                    break
                got.append(e)
        self.assertEqual([(e.seq, e.container, e.pid, e.comm)
                          for e in got],
                         [(e.seq, e.container, e.pid, e.comm)
                          for e in kills])

    def test_no_eventd(self):
        with self.assertRaises(cadv.Error) as cm:
            cadv.watch("/nonexistent/events.sock")
        self.assertIn("/nonexistent/events.sock", str(cm.exception))


@unittest.skipUnless(os.environ.get("CADV_TEST_SPOILED"),
                     "no store with bad records (python3-lmdb missing)")
class Spoiled(unittest.TestCase):
    """Bad records: check() names them, the calls that meet one say so."""

    def test_check_names_them(self):
        with cadv.open(os.environ["CADV_TEST_SPOILED"]) as st:
            problems, records = st.check()
            self.assertIn("containers", {t for t, _, _ in problems})
            self.assertIn("samples", {t for t, _, _ in problems})
            self.assertTrue(all(why for _, _, why in problems))
            self.assertGreater(records["samples"], 0)

    def test_calls_say_corrupt(self):
        with cadv.open(os.environ["CADV_TEST_SPOILED"]) as st:
            for call in (st.containers,
                         lambda: st.container_info("/", recursive=True)):
                with self.assertRaises(cadv.Error) as cm:
                    call()
                self.assertEqual(cm.exception.code, cadv.CORRUPT)
                self.assertIn("containers", str(cm.exception))


class BadLines(unittest.TestCase):
    """cadv.watch against a server of the test's own that speaks eventd's
    framing but sends lines that are not events."""

    def serve(self, lines, forever=False):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "ev.sock")
        ls = socket.socket(socket.AF_UNIX)
        ls.bind(path)
        ls.listen(1)
        stop = threading.Event()

        def run():
            c, _ = ls.accept()
            c.recv(4096)
            try:
                c.sendall(lines)
                while forever and not stop.is_set():
                    c.sendall(b"not an event\n")
                stop.wait(5)
            except OSError:
                pass
            c.close()
        t = threading.Thread(target=run, daemon=True)
        t.start()
        self.addCleanup(lambda: (stop.set(), t.join(10), ls.close(),
                                 os.unlink(path), os.rmdir(d)))
        return path

    def test_passed_over_and_counted(self):
        path = self.serve(b"not json\n[1, 2]\n{\"seq\": -1}\n"
                          b"{\"seq\": 9, \"timestamp_ns\": 5, "
                          b"\"event_type\": \"oom\", "
                          b"\"container_name\": \"/x\"}\n")
        with cadv.watch(path) as w:
            e = w.next(timeout=5)
            self.assertEqual((e.seq, e.type, e.container), (9, "oom", "/x"))
            self.assertEqual(w.bad_lines, 3)
            self.assertTrue(w.bad_why)

    def test_a_stream_of_them_cannot_hold_next(self):
        path = self.serve(b"", forever=True)
        with cadv.watch(path) as w:
            t0 = time.monotonic()
            self.assertIsNone(w.next(timeout=0.5))
            self.assertLess(time.monotonic() - t0, 3)
            self.assertGreater(w.bad_lines, 0)


class Odd(unittest.TestCase):
    """Names are bytes: ones that are not UTF-8 come back as they are."""

    def test_names(self):
        with cadv.open(os.environ["CADV_TEST_ODD"]) as st:
            names = [c.name_bytes for c in st.containers()]
            self.assertIn(b"/fill/\xff\xfe-invalid-utf8", names)
            self.assertIn(b"/fill/new\nline", names)
            for c in st.containers():
                self.assertEqual(c.name.encode("utf-8", "surrogateescape"),
                                 c.name_bytes)
                self.assertEqual(st.container(c.name).id, c.id)
                self.assertEqual(st.container(c.name_bytes).id, c.id)


class Damaged(unittest.TestCase):
    """A damaged store is a cadv.Error with the library's sentence."""

    def test_missing(self):
        with self.assertRaises(cadv.Error) as cm:
            cadv.open("/nonexistent/cadv-store")
        self.assertEqual(cm.exception.code, cadv.NOSTORE)
        self.assertIn("/nonexistent/cadv-store", str(cm.exception))

    def test_cut(self):
        dirs = os.environ["CADV_TEST_DAMAGED"].split(":")
        self.assertTrue(dirs)
        for d in dirs:
            with self.subTest(d):
                with self.assertRaises(cadv.Error) as cm:
                    with cadv.open(d) as st:
                        read_all(st)
                self.assertIn("data.mdb", str(cm.exception))
                self.assertIn("damaged", str(cm.exception))

    # Each store read by a child of its own: the module gives cadv.Error
    # (status 3) or reads it (0), never a Python exception of another
    # kind.  A fault inside LMDB (a garbled page pointer; libcadv guards
    # its reads only while opening) kills the child (or, under
    # AddressSanitizer, ends it with ASan's SEGV report): counted into
    # $CADV_TEST_FAULTS for python.sh to report, not hidden.
    def test_flipped(self):
        top = os.environ["CADV_TEST_FLIPPED"]
        codes, faults = collections.Counter(), []
        for d in sorted(os.listdir(top)):
            p = subprocess.run([sys.executable, os.path.abspath(__file__),
                                "--read", os.path.join(top, d)],
                               capture_output=True, text=True, timeout=60,
                               check=False)
            if p.returncode < 0:
                faults.append("%s: signal %d" % (d, -p.returncode))
                continue
            # under AddressSanitizer the same fault is its report and an
            # exit status, not a signal
            if "AddressSanitizer: SEGV" in p.stderr or \
                    "AddressSanitizer: BUS" in p.stderr:
                faults.append("%s: SEGV (AddressSanitizer)" % d)
                continue
            codes[p.returncode] += 1
            with self.subTest(d):
                self.assertIn(p.returncode, (0, 3), p.stderr[-800:])
                if p.returncode == 3:
                    self.assertRegex(p.stderr, "^cadv.Error: .+")
        with open(os.environ["CADV_TEST_FAULTS"], "w") as f:
            f.write("".join(x + "\n" for x in faults))
        self.assertGreater(codes[3], 0, codes)


def read_one(path):
    """--read PATH: read_all on one store; cadv.Error exits 3."""
    try:
        with cadv.open(path) as st:
            read_all(st)
    except cadv.Error as e:
        print("cadv.Error: %s" % e, file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--read":
        sys.exit(read_one(sys.argv[2]))
    unittest.main()
