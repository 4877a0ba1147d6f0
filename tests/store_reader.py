#!/usr/bin/python3
"""A reader of the cadv store written from docs/SCHEMA.md alone.

    store_reader.py DIR ls             like `cadvctl ls --all --json`
    store_reader.py DIR stats NAME N   like `cadvctl stats NAME --count N --json`
    store_reader.py DIR events         every event, oldest first
    store_reader.py DIR idents         like `cadvctl idents --json`: every
                                       runtime identity, oldest first
    store_reader.py DIR layers         every writable layer measured, with
                                       its identity's cgroup and id
    store_reader.py DIR watch SECONDS  one environment kept open, a read
                                       transaction every 0.1 s; prints the
                                       number of samples and the map size each
                                       time either changes (a writer growing
                                       the map past the reader's must not
                                       stop it)

NAME is given in cadvctl's escaped text form. Needs Debian's python3-lmdb.
"""
import datetime
import json
import struct
import sys
import time

import lmdb

from cgname import escape, unescape

SCHEMA_VERSION = 5
# the counts schema 5 began with; a record may hold more (SCHEMA.md,
# "Versions and upgrades"): those are read past
NSCALAR_MIN, NSCALAR_MAX = 56, 128
NSPEC_MIN, NSPEC_MAX = 7, 64

# docs/SCHEMA.md, "Scalar fields" and "Spec fields", in order.
SAMPLE_FIELDS = """
cpu.usage.total cpu.usage.user cpu.usage.system cpu.cfs.periods
cpu.cfs.throttled_periods cpu.cfs.throttled_time memory.usage
memory.max_usage memory.cache memory.rss memory.rss_huge memory.shmem
memory.mapped_file memory.file_dirty memory.file_writeback memory.swap
memory.total_active_file memory.total_inactive_file memory.working_set
memory.kernel memory.failcnt memory.pgfault memory.pgmajfault memory.oom
memory.oom_kill diskio.read_bytes diskio.write_bytes diskio.read_ops
diskio.write_ops pids.current processes.process_count
processes.threads_current
cpu.psi.some.avg10 cpu.psi.some.avg60 cpu.psi.some.avg300 cpu.psi.some.total
cpu.psi.full.avg10 cpu.psi.full.avg60 cpu.psi.full.avg300 cpu.psi.full.total
memory.psi.some.avg10 memory.psi.some.avg60 memory.psi.some.avg300
memory.psi.some.total memory.psi.full.avg10 memory.psi.full.avg60
memory.psi.full.avg300 memory.psi.full.total
diskio.psi.some.avg10 diskio.psi.some.avg60 diskio.psi.some.avg300
diskio.psi.some.total diskio.psi.full.avg10 diskio.psi.full.avg60
diskio.psi.full.avg300 diskio.psi.full.total
memory.events.high memory.events.max memory.pgscan memory.pgsteal
memory.workingset_refault_anon memory.workingset_refault_file
cpu.cfs.bursts_periods cpu.cfs.burst_time
cpu.load_average cpu.load_d_average task_stats.nr_sleeping
task_stats.nr_running task_stats.nr_stopped task_stats.nr_uninterruptible
processes.fd_count processes.socket_count
processes.ulimits.max_open_files.soft_limit
processes.ulimits.max_open_files.hard_limit
""".split()
SPEC_FIELDS = """memory.limit memory.swap_limit memory.reservation cpu.limit
cpu.quota cpu.period processes.limit""".split()


class Corrupt(Exception):
    pass


def rfc3339(ns: int) -> str:
    t = datetime.datetime.fromtimestamp(ns // 10**9, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % (ns % 10**9)


def set_path(obj: dict, path: str, value) -> None:
    parts = path.split(".")
    for p in parts[:-1]:
        obj = obj.setdefault(p, {})
    obj[parts[-1]] = value


def container(key: bytes, val: bytes) -> dict:
    if len(key) != 8 or len(val) < 40:
        raise Corrupt("container record too short")
    (cid,) = struct.unpack(">Q", key)
    created, deleted, present, flags, nspec, nlen, mlen = \
        struct.unpack_from("<QQQIHHH", val)
    if not NSPEC_MIN <= nspec <= NSPEC_MAX or \
            len(val) != 40 + 8 * nspec + nlen + mlen:
        raise Corrupt("container record length")
    if present >> nspec:
        raise Corrupt("container marks fields beyond its count present")
    spec_vals = struct.unpack_from("<%dQ" % nspec, val, 40)
    name = val[40 + 8 * nspec:40 + 8 * nspec + nlen]
    mask = val[40 + 8 * nspec + nlen:]
    c = {
        "name": escape(name), "id": cid,
        "creation_time": rfc3339(created), "creation_time_ns": created,
        "live": deleted == 0, "cgroup_version": 2 if flags & 1 else 1,
    }
    if deleted:
        c["deletion_time"] = rfc3339(deleted)
        c["deletion_time_ns"] = deleted
    spec = {}
    for i, path in enumerate(SPEC_FIELDS):
        if present >> i & 1:
            set_path(spec, path, spec_vals[i])
    if mask:
        set_path(spec, "cpu.mask", mask.decode())
    c["spec"] = spec
    return c


class Record:
    """A sample record's bytes, read front to back (SCHEMA.md)."""

    def __init__(self, buf: bytes):
        self.buf, self.off = buf, 0

    def uv(self, bound: int = 2**64 - 1) -> int:
        v = shift = 0
        while True:
            if self.off >= len(self.buf):
                raise Corrupt("sample ends inside a number")
            b = self.buf[self.off]
            self.off += 1
            v |= (b & 0x7f) << shift
            if b < 0x80:
                if b == 0 and shift:
                    raise Corrupt("number not in its shortest form")
                if v > bound:
                    raise Corrupt("number out of range")
                return v
            shift += 7
            if shift > 63:
                raise Corrupt("number over 64 bits")

    def raw(self, n: int) -> bytes:
        if self.off + n > len(self.buf):
            raise Corrupt("sample ends inside an interface")
        self.off += n
        return self.buf[self.off - n:self.off]


def sample(stored: bytes) -> dict:
    if len(stored) < 8:
        raise Corrupt("sample without timestamp")
    (ts,) = struct.unpack_from("<Q", stored)
    r = Record(stored[8:])
    nscalar = r.uv()
    if not NSCALAR_MIN <= nscalar <= NSCALAR_MAX:
        raise Corrupt("sample's number of scalar fields out of range")
    present = r.uv() | r.uv() << 64
    if present >> nscalar:
        raise Corrupt("fields beyond the count present")
    ncpu, nblk, nnet = r.uv(1024), r.uv(256), r.uv(64)
    s = {"timestamp": rfc3339(ts), "timestamp_ns": ts}
    for i in range(nscalar):
        if present >> i & 1:
            v = r.uv()
            if i < len(SAMPLE_FIELDS):  # newer fields are read past
                set_path(s, SAMPLE_FIELDS[i], v)
    if ncpu:
        set_path(s, "cpu.usage.per_cpu_usage", [r.uv() for _ in range(ncpu)])
    devs = []
    for _ in range(nblk):
        d = {"major": r.uv(2**32 - 1), "minor": r.uv(2**32 - 1)}
        for k in ("read_bytes", "write_bytes", "read_ops", "write_ops"):
            d[k] = r.uv()
        devs.append(d)
    if devs:
        set_path(s, "diskio.devices", devs)
    ifs = []
    for _ in range(nnet):
        nlen = r.raw(1)[0]
        if nlen > 15:
            raise Corrupt("interface name too long")
        name = r.raw(nlen)
        d = {"name": escape(name)}
        for k in ("rx_bytes", "rx_packets", "rx_errors", "rx_dropped",
                  "tx_bytes", "tx_packets", "tx_errors", "tx_dropped"):
            d[k] = r.uv()
        ifs.append(d)
    if ifs:
        set_path(s, "network.interfaces", ifs)
    if r.off != len(r.buf):
        raise Corrupt("sample longer than its counts")
    return s


EVENT_TYPES = {1: "oom", 2: "oomKill", 3: "containerCreation",
               4: "containerDeletion"}


def event(key: bytes, val: bytes) -> dict:
    (seq,) = struct.unpack(">Q", key)
    ts, etype, flags, pid, clen, vlen, plen = struct.unpack_from("<QIIIHHH", val)
    if len(val) != 32 + clen + vlen + plen or etype not in EVENT_TYPES:
        raise Corrupt("event record")
    off = 32
    cont = val[off:off + clen]
    off += clen
    victim = val[off:off + vlen]
    off += vlen
    comm = val[off:off + plen]
    return {"seq": seq, "timestamp_ns": ts, "event_type": EVENT_TYPES[etype],
            "container_name": escape(cont), "victim": escape(victim),
            "process_name": escape(comm), "pid": pid,
            "from_counter": bool(flags & 1)}


# docs/SCHEMA.md, "idents: the identity record"
IDENT_STRINGS = """id cgroup name image rt_namespace pod namespace pod_uid
container sandbox_id netns_owner""".split()
RUNTIMES = {1: "docker", 2: "containerd", 3: "podman", 4: "crio"}
STR_MAX, KEY_MAX, KV_MAX = 4096, 256, 256


def fnv1a(b: bytes) -> int:
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return h


def valid_name(n: bytes) -> bool:
    """SCHEMA.md, "Container names"."""
    if not n.startswith(b"/") or len(n) > 4096 or b"\0" in n:
        return False
    if n == b"/":
        return True
    return all(c not in (b"", b".", b"..") for c in n[1:].split(b"/"))


def ident(key: bytes, val: bytes) -> dict:
    """An identity as `cadvctl idents --json` gives it, with its cgroup's
    bytes under "_cgroup" (SCHEMA.md: the record, then its key)."""
    if len(key) != 16 or len(val) < 64:
        raise Corrupt("ident key or header")
    (seen, gone, created, started, finished, rt, nstr, flags, exit_code,
     restarts, pid, nlab, nenv) = struct.unpack_from("<QQQQQHHIiIIHH", val)
    if nstr < len(IDENT_STRINGS) or nlab > KV_MAX or nenv > KV_MAX:
        raise Corrupt("ident counts")
    off = 64

    def take() -> bytes:
        nonlocal off
        if off + 2 > len(val):
            raise Corrupt("ident runs past its record")
        (n,) = struct.unpack_from("<H", val, off)
        if off + 2 + n > len(val):
            raise Corrupt("ident runs past its record")
        off += 2 + n
        return val[off - n:off]

    strs = [take() for _ in range(nstr)][:len(IDENT_STRINGS)]
    if any(len(v) > STR_MAX or b"\0" in v for v in strs):
        raise Corrupt("ident string")
    cg = strs[1]
    if not cg or not valid_name(cg):
        raise Corrupt("ident cgroup")
    if struct.unpack(">QQ", key) != (fnv1a(cg), seen):
        raise Corrupt("ident key is not its cgroup's hash and time")

    def kvs(n: int) -> dict:
        d = {}
        for _ in range(n):
            k, v = take(), take()
            if not 1 <= len(k) <= KEY_MAX or len(v) > STR_MAX or \
                    b"\0" in k or b"\0" in v:
                raise Corrupt("ident label")
            d[escape(k)] = escape(v)   # a key again: its value replaced
        return d

    labels, env = kvs(nlab), kvs(nenv)
    o = {"runtime": RUNTIMES.get(rt, "")}
    for name, v in zip(IDENT_STRINGS, strs):
        if v:
            o[name] = escape(v)
    o["labels"] = labels
    if env:
        o["env"] = env
    if flags & 1:
        o["sandbox"] = True
    if flags & 2:
        o["pod_cgroup"] = True
    for k, ns in (("created", created), ("started", started)):
        if ns:
            o[k] = rfc3339(ns)
    if flags & 4:
        if finished:
            o["finished"] = rfc3339(finished)
        o["exit_code"] = exit_code
        o["oom_killed"] = bool(flags & 8)
    elif flags & 8:
        o["oom_killed"] = True
    if restarts:
        o["restart_count"] = restarts
    if pid:
        o["pid"] = pid
    o["first_stored"] = rfc3339(seen)
    o["first_stored_ns"] = seen
    if gone:
        o["gone"] = rfc3339(gone)
        o["gone_ns"] = gone
    o["_cgroup"] = cg
    return o


def all_idents(env, txn) -> list:
    """Every identity in key order; none in a store identd never wrote
    (SCHEMA.md: such a store has no idents table)."""
    try:
        db = env.open_db(b"idents", txn=txn, create=False)
    except lmdb.NotFoundError:
        return []
    return [ident(k, v) for k, v in txn.cursor(db=db)]


def ident_of(idents: list, cgroup: bytes, at: int):
    """SCHEMA.md: the newest record of the cgroup; with a time, the newest
    stored at or before it, or failing that the first after.  Containers
    join at their deletion time (0 while live), as cadvctl does."""
    mine = sorted((i for i in idents if i["_cgroup"] == cgroup),
                  key=lambda i: i["first_stored_ns"])
    if not mine:
        return None
    if at == 0:
        return mine[-1]
    before = [i for i in mine if i["first_stored_ns"] <= at]
    return before[-1] if before else mine[0]


def joined(idents: list, c: dict):
    i = ident_of(idents, unescape(c["name"]), c.get("deletion_time_ns", 0))
    if i is not None:
        c["identity"] = {k: v for k, v in i.items()
                         if k not in ("_cgroup", "first_stored",
                                      "first_stored_ns", "gone", "gone_ns")}
    return c


def all_layers(env, txn, idents: list) -> list:
    """SCHEMA.md "layers": each record under its identity's key; none in a
    store no identd of that version opened."""
    try:
        db = env.open_db(b"layers", txn=txn, create=False)
    except lmdb.NotFoundError:
        return []
    by_key = {struct.pack(">QQ", fnv1a(i["_cgroup"]), i["first_stored_ns"]): i
              for i in idents}
    out = []
    for k, v in txn.cursor(db=db):
        if len(v) < 44:
            raise Corrupt("a layer record shorter than 44 bytes")
        m, nb, ni, ma, mi, w, fl = struct.unpack_from("<QQQIIQI", v)
        i = by_key.get(bytes(k))
        out.append({"cgroup": i["_cgroup"].decode("utf-8", "replace")
                    if i else None, "id": i.get("id") if i else None,
                    "measured_ns": m, "bytes": nb, "inodes": ni,
                    "device": f"{ma}:{mi}", "walk_ns": w, "flags": fl})
    return out


def begin(env):
    """A read transaction; a writer may have grown the map since the last."""
    try:
        return env.begin()
    except lmdb.MapResizedError:
        env.set_mapsize(0)
        return env.begin()


def newest(txn, samples, latest, cid: int, count: int) -> list:
    """SCHEMA.md's "Newest N" recipe: back from the latest round."""
    kb = struct.pack(">Q", cid)
    lv = txn.get(kb, db=latest)
    if lv is None:
        return []
    (rnd,) = struct.unpack("<Q", lv)
    cur = txn.cursor(db=samples)
    rows = []
    while len(rows) < count:
        v = txn.get(struct.pack(">QQ", rnd, cid), db=samples)
        if v is not None:
            rows.append(sample(v))
        # the last key of the round before rnd
        if cur.set_range(struct.pack(">QQ", rnd, 0)):
            found = cur.prev()
        else:
            found = cur.last()
        if not found:
            break
        prev, _ = struct.unpack(">QQ", cur.key())
        if prev >= rnd:
            raise Corrupt("sample keys out of order")
        rnd = prev
    rows.reverse()
    return rows


def forward(txn, samples, cid: int) -> list:
    """SCHEMA.md's "Series" recipe from the first round: two seeks a round."""
    cur = txn.cursor(db=samples)
    rows = []
    rnd = 0
    while cur.set_range(struct.pack(">QQ", rnd, cid)):
        kr, kid = struct.unpack(">QQ", cur.key())
        if kr != rnd:       # a later round: try it
            rnd = kr
            continue
        if kid == cid:      # this round's sample of the container
            rows.append(sample(cur.value()))
        rnd += 1            # (a larger id: none in this round)
    return rows


def watch(env, seconds: float) -> int:
    samples = env.open_db(b"samples", create=False)
    last = None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with begin(env) as txn:
            now = (txn.stat(samples)["entries"], env.info()["map_size"])
        if now != last:
            print("%d %d" % now, flush=True)
            last = now
        time.sleep(0.1)
    return 0


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    env = lmdb.open(sys.argv[1], readonly=True, max_dbs=8, subdir=True,
                    create=False)
    if sys.argv[2] == "watch":
        return watch(env, float(sys.argv[3]))
    with begin(env) as txn:  # everything below read in one transaction
        meta = env.open_db(b"meta", txn=txn, create=False)
        ver = txn.get(b"schema", db=meta)
        if ver is None or struct.unpack("<I", ver)[0] != SCHEMA_VERSION:
            print("unsupported schema", file=sys.stderr)
            return 3
        conts = env.open_db(b"containers", txn=txn, create=False)
        samples = env.open_db(b"samples", txn=txn, create=False)
        latest = env.open_db(b"latest", txn=txn, create=False)
        if sys.argv[2] == "events":
            evs = env.open_db(b"events", txn=txn, create=False)
            print(json.dumps([event(k, v) for k, v in txn.cursor(db=evs)],
                             ensure_ascii=False, indent=1))
            return 0
        idents = all_idents(env, txn)
        if sys.argv[2] == "layers":
            print(json.dumps(all_layers(env, txn, idents),
                             ensure_ascii=False, indent=1))
            return 0
        if sys.argv[2] == "idents":
            idents.sort(key=lambda i: i["first_stored_ns"])  # stable: keys
            for i in idents:
                del i["_cgroup"]
            print(json.dumps(idents, ensure_ascii=False, indent=1))
            return 0
        all_c = [joined(idents, container(k, v))
                 for k, v in txn.cursor(db=conts)]
        if sys.argv[2] == "ls":
            print(json.dumps(all_c, ensure_ascii=False, indent=1))
            return 0
        want = sys.argv[3]
        count = int(sys.argv[4])
        match = [c for c in all_c if unescape(c["name"]) == unescape(want)]
        if not match:
            return 1
        c = match[0]
        rows = newest(txn, samples, latest, c["id"], count)
        # the two recipes must agree
        if rows != forward(txn, samples, c["id"])[-count:]:
            print("newest-N and forward walks differ", file=sys.stderr)
            return 4
        c["stats"] = rows
        print(json.dumps(c, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
