"""The store's records as Python values, copied out of libcadv's structs
(which live only as long as the call that filled them)."""

import collections.abc
import ctypes
import datetime

from . import _ffi


def text(raw):
    """Stored names are bytes (any but NUL); ones that are not UTF-8 keep
    their bytes as os.fsdecode does, so encode(..., "surrogateescape")
    gives them back."""
    return raw.decode("utf-8", "surrogateescape")


def _names(lib, call, bound):
    """The names libcadv gives the numbers 0.. of an enum, up to the first
    it does not know."""
    out = []
    for i in range(bound):
        n = getattr(lib, call)(i)
        if n is None:
            break
        out.append(n.decode())
    return out


class Names:
    """The library's names for its enums, read once."""

    def __init__(self, lib):
        self.fields = _names(lib, "cadv_sample_field_path", _ffi.SCALARS_MAX)
        self.units = {p: lib.cadv_sample_field_unit(i).decode()
                      for i, p in enumerate(self.fields)}
        self.specs = _names(lib, "cadv_spec_field_path", _ffi.SPEC_MAX)
        self.diskio = _names(lib, "cadv_diskio_counter_name",
                             _ffi.DISKIO_MAX)
        self.ident = _names(lib, "cadv_ident_str_name", _ffi.IS_COUNT)
        self._lib = lib
        # "memory.usage" is also s.memory_usage
        self.attrs = {p.replace(".", "_"): p for p in self.fields}

    def runtime(self, r):
        """The runtime's name: "docker" ..., "" unknown."""
        return (self._lib.cadv_runtime_name(r) or b"").decode()

    def event_type(self, t):
        n = self._lib.cadv_event_type_name(t)
        return n.decode() if n else str(t)


def raw(struct, field, n):
    """n bytes of a char array member: reading the member itself would stop
    at its first NUL."""
    f = getattr(type(struct), field)
    n = max(0, min(n, f.size))
    return ctypes.string_at(ctypes.addressof(struct) + f.offset, n)


def _bits(words, n):
    """The numbers of the set bits of a little array of uint64."""
    return [i for i in range(n) if (words[i // 64] >> (i % 64)) & 1]


def ns_datetime(ns):
    return datetime.datetime.fromtimestamp(ns / 1e9, datetime.timezone.utc)


class Sample(collections.abc.Mapping):
    """One sample: its scalars by cAdvisor path (s["memory.usage"], or
    s.memory_usage); a field the collector did not read is absent (not in
    s, KeyError, AttributeError).  ts is nanoseconds since the epoch."""

    def __init__(self, names, ts, c):
        self.ts = ts
        self._names = names
        n = len(names.fields)
        self._f = {names.fields[i]: c.v[i] for i in _bits(c.present, n)}
        self.percpu = list(c.percpu[:min(c.ncpu, _ffi.MAX_CPUS)])
        self.blk = []
        for i in range(min(c.nblk, _ffi.MAX_BLK)):
            b = c.blk[i]
            d = {"major": b.major, "minor": b.minor}
            d.update((k, getattr(b, k)) for k in _ffi.BLK_COUNTERS)
            x = c.xio[i]
            for j, name in enumerate(names.diskio):
                if (x.present >> j) & 1:
                    d[name] = x.v[j]
            self.blk.append(d)
        self.net = []
        for i in range(min(c.nnet, _ffi.MAX_NET)):
            e = c.net[i]
            d = {"name": text(raw(e, "name", _ffi.IFNAME_LEN).rstrip(b"\0"))}
            d.update((k, getattr(e, k)) for k in _ffi.NET_COUNTERS)
            self.net.append(d)

    @property
    def time(self):
        return ns_datetime(self.ts)

    def __getitem__(self, path):
        return self._f[path]

    def __iter__(self):
        return iter(self._f)

    def __len__(self):
        return len(self._f)

    def __getattr__(self, attr):
        # before __init__ (copy, pickle) there are no names yet
        if attr.startswith("_"):
            raise AttributeError(attr)
        path = self._names.attrs.get(attr)
        if path is None or path not in self._f:
            raise AttributeError("%s: not in this sample" % attr)
        return self._f[path]

    def __repr__(self):
        return "<cadv.Sample ts=%d %d fields>" % (self.ts, len(self._f))


class Identity:
    """A container's runtime identity: name, image, pod, namespace,
    container, id ... ("" when unset), runtime ("docker" ...), labels and
    env (dicts), and the times in nanoseconds (0: unknown)."""

    def __init__(self, names, c):
        arena = raw(c, "arena", c.used)

        def span(sp):
            return text(arena[sp.off:sp.off + sp.len])

        for i, name in enumerate(names.ident):
            setattr(self, name, span(c.s[i]))
        self.runtime = names.runtime(c.runtime)
        self.labels = {span(kv.k): span(kv.v)
                       for kv in c.labels[:min(c.nlabels, _ffi.IDENT_KV_MAX)]}
        self.env = {span(kv.k): span(kv.v)
                    for kv in c.env[:min(c.nenv, _ffi.IDENT_KV_MAX)]}
        self.flags = c.flags
        self.exit_code = c.exit_code
        self.restart_count = c.restart_count
        self.pid = c.pid
        for t in ("created", "started", "finished", "seen", "gone"):
            setattr(self, t, getattr(c, t + "_ns"))

    def __repr__(self):
        return "<cadv.Identity %s %s %r>" % (self.runtime, self.id[:12],
                                             self.name)


class Container:
    """A container (cgroup) as the collector keeps it: name, id, created
    and deleted (ns; deleted 0 while live), spec (limits by path), flags,
    cpu_mask, and its identity (None when no runtime named it).  Its
    samples are read through the store or snapshot it came from."""

    def __init__(self, reader, names, c, identity):
        self._reader = reader
        self.id = c.id
        self.name_bytes = raw(c, "name", c.name_len)
        self.name = text(self.name_bytes)
        self.created = c.created_ns
        self.deleted = c.deleted_ns
        self.flags = c.flags
        self.spec = {names.specs[i]: c.spec[i]
                     for i in range(len(names.specs))
                     if (c.spec_present >> i) & 1}
        self.cpu_mask = text(raw(c, "cpu_mask", c.mask_len))
        self.identity = identity

    @property
    def live(self):
        return self.deleted == 0

    def latest(self):
        """The newest sample, None when there is none."""
        return self._reader._latest(self.id)

    def samples(self, start=None, end=None, last=None):
        """Samples oldest first: between start and end (ns, inclusive;
        None: unbounded), or the newest `last` of them."""
        return self._reader._samples(self.id, start, end, last)

    def minutes(self, start=None, end=None):
        """The per-minute aggregates (cpu millicores, memory bytes)."""
        return self._reader._minutes(self.id, start, end)

    def summary(self, now=None):
        """cAdvisor's DerivedStats at now (ns; None: the time now)."""
        return self._reader._summary(self.id, now)

    def __repr__(self):
        return "<cadv.Container %d %r%s>" % (self.id, self.name,
                                            "" if self.live else " deleted")


def percentiles(p):
    return {k: getattr(p, k) for k, _ in _ffi.Percentiles._fields_}


def minute(m):
    return {
        "start": m.start_ns, "samples": m.nsamples, "rates": m.nrates,
        "percent": m.percent,
        "cpu": percentiles(m.cpu) if m.flags & 1 else None,
        "memory": percentiles(m.memory) if m.flags & 2 else None,
    }


class Event:
    """A stored event: seq, ts (ns), type ("oom", "oom_kill",
    "container_creation", "container_deletion"), container, victim, comm,
    pid (0: unknown), flags."""

    def __init__(self, names, e):
        self.seq = e.seq
        self.ts = e.ts_ns
        self.type = names.event_type(e.type)
        self.flags = e.flags
        self.pid = e.pid
        self.container = text(raw(e, "container", e.container_len))
        self.victim = text(raw(e, "victim", e.victim_len))
        self.comm = text(raw(e, "comm", e.comm_len))

    def __repr__(self):
        return "<cadv.Event %d %s %r>" % (self.seq, self.type,
                                          self.container)


def cstr(struct, field):
    """A NUL-ended char array member up to its NUL (all of it when it has
    none)."""
    return text(raw(struct, field, getattr(type(struct), field).size)
                .split(b"\0")[0])


def fs_info(f):
    """cAdvisor's v2 FsInfo of a struct cadv_fs_info, as a dict."""
    d = {
        "timestamp": f.ts_ns,
        "device": cstr(f, "device"),
        "mountpoint": cstr(f, "mountpoint"),
        "type": cstr(f, "type"),
        "major": f.major, "minor": f.minor,
        "labels": ["root"] if f.labels & _ffi.FSL_ROOT else [],
        "capacity": f.usage.capacity, "available": f.usage.available,
        "usage": f.usage.used,
    }
    if f.has_inodes:
        d["inodes"] = f.usage.inodes
        d["inodes_free"] = f.usage.inodes_free
    return d
