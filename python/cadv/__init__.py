"""cadv: reading cadv's store from Python, through libcadv.so.0 (ctypes).

    import cadv
    with cadv.open() as store:              # $CADV_STORE or /run/cadv
        with store.snapshot() as snap:      # one instant of the store
            for c in snap.containers():
                s = c.latest()
                if s is not None and "memory.usage" in s:
                    print(c.name, s["memory.usage"], s.memory_usage)

Every read is in a snapshot (a read transaction): a Store's own methods
take one for the call; a Snapshot's share one until it ends, and the
containers it gave read their samples in it.  Keep snapshots short: the
writers cannot reuse pages an open one may see.  Times are nanoseconds
since the epoch; fields by cAdvisor's paths (cadv.FIELDS, cadv.unit()).
A failure of the library raises cadv.Error with its message.
"""

import contextlib
import errno
import ctypes
import json
import os
import threading
import time
import weakref

from . import _ffi
from ._records import Container, Event, Identity, Names, Sample, fs_info, \
    minute, raw, text

__all__ = ["open", "watch", "Store", "Snapshot", "Watch", "Container",
           "Sample", "Identity", "Event", "Error", "FIELDS", "unit",
           "UNLIMITED"]

_lib = _ffi.load()
_names = Names(_lib)

FIELDS = tuple(_names.fields)
UNLIMITED = _ffi.UNLIMITED
NOTFOUND = _ffi.NOTFOUND
CORRUPT = _ffi.CORRUPT
NOSTORE = _ffi.NOSTORE
AMBIGUOUS = _ffi.AMBIGUOUS


def unit(path):
    """A field's unit: "ns", "bytes", "count", "ppm" or "milli"."""
    return _names.units[path]


class Error(Exception):
    """A libcadv failure: code is the library's (enum cadv_error, an errno
    value or LMDB's), str() its sentence."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _guard(raised, f):
    """f as a library callback: an exception (which ctypes would print and
    pass over) is kept in raised for the caller to raise, and stops the
    walk (a non-zero return)."""
    def call(*a):
        try:
            return f(*a)
        except BaseException as e:  # pylint: disable=broad-except
            raised.append(e)
            return 1
    return call


def _bytes(s):
    return s if isinstance(s, bytes) else os.fsencode(s)


def open(path=None):    # pylint: disable=redefined-builtin
    """Opens the store in path read-only (None: the daemons' default:
    $CADV_STORE, else /run/cadv for root, $XDG_RUNTIME_DIR/cadv or
    /tmp/cadv-$UID for anyone else)."""
    handle = ctypes.c_void_p()
    err = ctypes.create_string_buffer(1024)
    rc = _lib.cadv_open(None if path is None else _bytes(path),
                        ctypes.byref(handle), err, len(err))
    if rc != 0:
        raise Error(rc, err.value.decode("utf-8", "replace") or
                    _lib.cadv_strerror(rc).decode("utf-8", "replace"))
    return Store(handle)


class _Reader:
    """What a Store and a Snapshot both read; _txn() gives the snapshot
    a call reads in."""

    _store = None

    def _txn(self):
        raise NotImplementedError

    def _check(self, rc, ok=(0,)):
        if rc not in ok:
            raise Error(rc, self._store._message(rc))
        return rc

    def _walk_in(self, t, call, cbtype, keep, *args, check=True):
        """Runs a walking call in snapshot t with keep() as its callback;
        an exception there stops the walk and is raised.  Returns the
        call's code, which check=False leaves for the caller to judge."""
        raised = []
        rc = call(t, *args, cbtype(_guard(raised, lambda *a: keep(*a[:-1]))),
                  None)
        if raised:
            raise raised[0]
        return self._check(rc) if check else rc

    def _walk(self, call, cbtype, convert, *args):
        """The records of a walking call, each convert()ed in the callback
        (the struct lives only as long as the call)."""
        out = []

        def keep(*a):
            out.append(convert(*a))
            return 0
        with self._txn() as t:
            self._walk_in(t, call, cbtype, keep, *args)
        return out

    def _identity(self, t, name):
        ident = _ffi.Ident()
        rc = _lib.cadv_ident_find(t, name, len(name), 0, ctypes.byref(ident))
        if self._check(rc, (0, NOTFOUND)) == NOTFOUND:
            return None
        return Identity(_names, ident)

    def containers(self):
        """Every container, live and deleted, in id order, with its
        identity."""
        raws = []

        def keep(c):
            raws.append(_ffi.Container.from_buffer_copy(c.contents))
            return 0
        with self._txn() as t:
            self._walk_in(t, _lib.cadv_containers_each, _ffi.ContainerCb,
                          keep)
            return [Container(self, _names, c,
                              self._identity(t, raw(c, "name", c.name_len)))
                    for c in raws]

    def container(self, name):
        """The container of that exact name, None when there is none."""
        name = _bytes(name)
        c = _ffi.Container()
        with self._txn() as t:
            rc = _lib.cadv_container_find(t, name, len(name), ctypes.byref(c))
            if self._check(rc, (0, NOTFOUND)) == NOTFOUND:
                return None
            return Container(self, _names, c, self._identity(t, name))

    def identities(self):
        """Every stored runtime identity."""
        return self._walk(_lib.cadv_idents_each, _ffi.IdentCb,
                          lambda p: Identity(_names, p.contents))

    def _latest(self, cid):
        ts = ctypes.c_uint64()
        s = _ffi.Sample()
        with self._txn() as t:
            rc = _lib.cadv_sample_latest(t, cid, ctypes.byref(ts),
                                         ctypes.byref(s))
        if self._check(rc, (0, NOTFOUND)) == NOTFOUND:
            return None
        return Sample(_names, ts.value, s)

    def _samples(self, cid, start, end, last):
        conv = lambda ts, p: Sample(_names, ts, p.contents)
        if last is not None:
            return self._walk(_lib.cadv_samples_last, _ffi.SampleCb, conv,
                              cid, last)
        return self._walk(_lib.cadv_samples_range, _ffi.SampleCb, conv, cid,
                          start or 0, UNLIMITED if end is None else end)

    def _minutes(self, cid, start, end):
        return self._walk(_lib.cadv_minutes_range, _ffi.MinuteCb,
                          lambda p: minute(p.contents), cid, start or 0,
                          UNLIMITED if end is None else end)

    def _summary(self, cid, now):
        s = _ffi.Summary()
        if now is None:
            now = _now_ns()
        with self._txn() as t:
            self._check(_lib.cadv_summary(t, cid, now, ctypes.byref(s)))
        return {
            "timestamp": s.timestamp_ns, "latest_cpu": s.latest_cpu,
            "latest_memory": s.latest_memory, "minute": minute(s.minute),
            "hour": minute(s.hour), "day": minute(s.day),
        }

    def _document(self, call):
        ptr, n = ctypes.c_void_p(), ctypes.c_size_t()
        with self._txn() as t:
            rc = call(t, ctypes.byref(ptr), ctypes.byref(n))
            if self._check(rc, (0, NOTFOUND)) == NOTFOUND:
                return None
            doc = ctypes.string_at(ptr, n.value)
        try:
            return json.loads(doc)
        except ValueError as e:
            raise Error(CORRUPT, "the stored document is not JSON: %s" % e)

    def machine_info(self):
        """cAdvisor's MachineInfo as the collector wrote it (None: not
        yet)."""
        return self._document(_lib.cadv_machine_info)

    def version_info(self):
        """cAdvisor's VersionInfo (None: not yet)."""
        return self._document(_lib.cadv_version_info)

    def _scalar(self, call):
        v = ctypes.c_uint64()
        with self._txn() as t:
            rc = call(t, ctypes.byref(v))
        return None if self._check(rc, (0, NOTFOUND)) == NOTFOUND \
            else v.value

    def interval(self):
        """The collector's tick, ns (None: not written yet)."""
        return self._scalar(_lib.cadv_interval)

    def storage_duration(self):
        """How long samples are kept, ns (None: not written yet)."""
        return self._scalar(_lib.cadv_storage_duration)

    def heartbeats(self):
        """When each writer last wrote (ns), by its name; absent: never."""
        out = {}
        with self._txn() as t:
            for w in range(16):
                name = _lib.cadv_writer_name(w)
                if name is None:
                    break
                v = ctypes.c_uint64()
                rc = _lib.cadv_heartbeat(t, w, ctypes.byref(v))
                if self._check(rc, (0, NOTFOUND)) == 0:
                    out[name.decode()] = v.value
        return out

    def events(self, start=None, end=None, types=None, max=10,
               container=None, subcontainers=False, cadvisor_names=False):
        # pylint: disable=redefined-builtin,too-many-arguments
        """cAdvisor's events.Request: the newest `max` (-1: all) of the
        events between start and end (ns, inclusive) of the types given
        (names: "oom", "oom_kill", ... or cAdvisor's "oomKill"; None: all)
        in container (and under it, with subcontainers), oldest first."""
        req = _event_request(start, end, types, max, container,
                             subcontainers)
        if cadvisor_names:
            req.flags |= _ffi.EVQ_CADVISOR_NAMES
        return self._walk(lambda t, cb, arg: _lib.cadv_events(
            t, ctypes.byref(req), cb, arg), _ffi.EventCb,
            lambda p: Event(_names, p.contents))

    def container_info(self, name, id_type="name", count=-1,
                       recursive=False):
        """cAdvisor's ContainerInfoV2 (the kubelet's call): the live
        container of that name ("name": a cgroup; "docker", "podman": a
        container of that runtime by its name, id or unique id prefix),
        and with recursive every live one under it, each as
        (Container, [Sample, ...]) with its newest `count` samples (-1:
        all) oldest first.  Error with code NOTFOUND when there is none,
        AMBIGUOUS for an id prefix of several."""
        name = _bytes(name)
        opts = _ffi.InfoOptions()
        if id_type not in _ffi.ID_TYPES:
            raise ValueError("%r: not one of %s" %
                             (id_type, ", ".join(_ffi.ID_TYPES)))
        opts.id_type = _ffi.ID_TYPES[id_type]
        opts.count = count
        opts.recursive = int(bool(recursive))
        out = []
        raised = []

        def on_container(c, ident, _arg):
            idn = None if not ident else Identity(_names, ident.contents)
            out.append((Container(self, _names, c.contents, idn), []))
            return 0

        def on_sample(_c, ts, s, _arg):
            out[-1][1].append(Sample(_names, ts, s.contents))
            return 0
        ccb = _ffi.InfoContainerCb(_guard(raised, on_container))
        scb = _ffi.InfoSampleCb(_guard(raised, on_sample))
        cbs = _ffi.InfoCbs(ctypes.cast(ccb, ctypes.c_void_p),
                           ctypes.cast(scb, ctypes.c_void_p), None)
        with self._txn() as t:
            rc = _lib.cadv_container_info_v2(t, name, len(name),
                                              ctypes.byref(opts),
                                              ctypes.byref(cbs))
        if raised:
            raise raised[0]
        if rc == NOTFOUND:
            raise Error(rc, "%s: no live container of that %s" %
                        (text(name), "name" if id_type == "name" else
                         id_type + " name or id"))
        if rc == AMBIGUOUS:
            raise Error(rc, "%s: the id prefix of several %s containers" %
                        (text(name), id_type))
        self._check(rc)
        return out

    def _fs_check(self, rc, what):
        if rc == NOTFOUND:
            raise Error(rc, "%s: not in the store (collectord writes the "
                        "machine's filesystems when it starts)" % what)
        if rc == errno.EINVAL:
            raise Error(rc, "%s: not a label cadv knows (it knows "
                        "\"root\")" % what)
        self._check(rc)

    def fs_info(self, label=None):
        """cAdvisor's v2 FsInfo of each filesystem with that label (None:
        all; cadv knows "root"), as dicts; usage fields are 0 and ts 0
        until collectord has read the filesystem."""
        out = []
        with self._txn() as t:
            rc = self._walk_in(t, _lib.cadv_fs_info, _ffi.FsInfoCb,
                               lambda p: out.append(fs_info(p.contents)) or 0,
                               None if label is None else _bytes(label),
                               check=False)
        self._fs_check(rc, "filesystems" if label is None else label)
        return out

    def _one_fs(self, what, call, *args):
        f = _ffi.FsInfo()
        with self._txn() as t:
            rc = call(t, *args, ctypes.byref(f))
        if rc > 0 and rc != errno.EINVAL:
            raise Error(rc, "%s: %s" % (what, os.strerror(rc)))
        self._fs_check(rc, what)
        return fs_info(f)

    def root_fs_info(self):
        """RootFsInfo: the filesystem labelled root."""
        return self._one_fs("the root filesystem", _lib.cadv_root_fs_info)

    def dir_fs_info(self, path):
        """GetDirFsInfo: the filesystem holding path (by its device)."""
        return self._one_fs("the filesystem of %s" % path,
                            _lib.cadv_dir_fs_info, _bytes(path))

    def check(self):
        """Reads every record of every table and what they say of each
        other, as `cadvctl check` does: (problems, records), problems a
        list of (table, key in hex, why), records the count by table."""
        problems = []
        counts = _ffi.CheckCounts()
        with self._txn() as t:
            rc = self._walk_in(t, lambda t, cb, arg: _lib.cadv_check(
                t, cb, arg, ctypes.byref(counts)), _ffi.ProblemCb,
                lambda *p: problems.append(tuple(text(x) for x in p)) or 0,
                check=False)
        self._check(rc, (0, CORRUPT) if problems else (0,))
        records = {}
        for i in range(_ffi.TABLES_MAX):
            n = _lib.cadv_table_name(i)
            if n is None:
                break
            records[n.decode()] = counts.records[i]
        return problems, records


def _event_request(start, end, types, max_, container, subcontainers):
    # pylint: disable=too-many-arguments
    req = _ffi.EventRequest()
    _lib.cadv_event_request_init(ctypes.byref(req))
    req.start_ns = start or 0
    req.end_ns = end or 0
    req.max = max_
    if types is not None:
        req.types = 0
        for name in types:
            t = _ffi.c_enum()
            if _lib.cadv_event_type_parse(_bytes(name),
                                          ctypes.byref(t)) != 0:
                raise ValueError("%r: not an event type" % (name,))
            req.types |= 1 << t.value
    if container is not None:
        name = _bytes(container)
        if len(name) > _ffi.NAME_MAX:
            raise ValueError("container name longer than %d bytes"
                             % _ffi.NAME_MAX)
        req.container = name
        req.container_len = len(name)
    req.subcontainers = int(bool(subcontainers))
    return req


def watch(socket=None, start=None, types=None, max=-1, container=None,
          subcontainers=False):
    # pylint: disable=redefined-builtin,too-many-arguments
    """cAdvisor's WatchEvents, on eventd's socket (None: events.sock in the
    default store directory): a Watch giving the stored events the request
    selects (the newest `max`; -1: all), then live ones as they happen."""
    req = _event_request(start, None, types, max, container, subcontainers)
    w = ctypes.c_void_p()
    err = ctypes.create_string_buffer(1024)
    rc = _lib.cadv_watch_events(None if socket is None else _bytes(socket),
                                ctypes.byref(req), ctypes.byref(w), err,
                                len(err))
    if rc != 0:
        raise Error(rc, err.value.decode("utf-8", "replace") or
                    _lib.cadv_strerror(rc).decode("utf-8", "replace"))
    return Watch(w)


def _now_ns():
    return time.time_ns()


class _Closing:
    """A context manager that closes what it holds at the end, or when it
    is collected; close() may be called again."""

    def close(self):
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


class Store(_Reader, _Closing):
    """An open store.  Its methods each read in a snapshot of their own;
    snapshot() gives one to share.  A context manager: closed at the end."""

    def __init__(self, handle):
        self._h = handle
        self._store = self
        self._snaps = weakref.WeakSet()
        self._lock = threading.Lock()

    @property
    def path(self):
        return text(_lib.cadv_dir(self._handle()))

    def _handle(self):
        if not self._h:
            raise Error(errno.EBADF, "the store is closed")
        return self._h

    def _message(self, rc):
        if not self._h:
            return _lib.cadv_strerror(rc).decode("utf-8", "replace")
        return _lib.cadv_error(self._h, rc).decode("utf-8", "replace")

    def _begin(self):
        t = ctypes.c_void_p()
        rc = _lib.cadv_begin(self._handle(), ctypes.byref(t))
        self._check(rc)
        return t

    @contextlib.contextmanager
    def _txn(self):
        t = self._begin()
        try:
            yield t
        finally:
            _lib.cadv_end(t)

    def snapshot(self):
        """A Snapshot: everything read through it is of one instant."""
        s = Snapshot(self, self._begin())
        with self._lock:
            self._snaps.add(s)
        return s

    def close(self):
        """Ends the snapshots still open and closes the store."""
        if not getattr(self, "_h", None):
            return
        with self._lock:
            snaps = list(self._snaps)
        for s in snaps:
            s.close()
        _lib.cadv_close(self._h)
        self._h = None

    def __repr__(self):
        return "<cadv.Store %s>" % (self.path if self._h else "closed")


class Watch(_Closing):
    """A subscription to eventd's events: next(timeout) gives the next
    Event (None when timeout seconds passed first), iterating waits
    without limit until eventd ends the stream; fileno() is for select().
    dropped counts the events eventd had to drop for it, bad_lines the
    lines that were not events (bad_why: the last one's fault).  A
    context manager: closed at the end."""

    def __init__(self, handle):
        self._w = handle
        self.dropped = 0
        self.bad_lines = 0      # lines that were not events, passed over
        self.bad_why = ""       # what the last of them was

    def fileno(self):
        return _lib.cadv_watch_fd(self._handle())

    def _handle(self):
        if not self._w:
            raise Error(errno.EBADF, "the watch is closed")
        return self._w

    def next(self, timeout=None):
        """The next event; None after timeout seconds (None: no limit);
        StopIteration when eventd closed the stream; Error when eventd
        refused the request."""
        e = _ffi.Event()
        dropped = ctypes.c_uint64()
        # one deadline over the lines passed over: a stream of bad lines
        # cannot hold next() past its timeout
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            ms = -1 if end is None else \
                max(0, int((end - time.monotonic()) * 1000))
            rc = _lib.cadv_watch_next(self._handle(), ms, ctypes.byref(e),
                                      ctypes.byref(dropped))
            self.dropped += dropped.value
            if rc == 0:
                return Event(_names, e)
            if rc == errno.ETIMEDOUT:
                return None
            if rc == NOTFOUND:
                raise StopIteration
            if rc == CORRUPT:   # a line that is not an event: read on
                self.bad_lines += 1
                self.bad_why = (_lib.cadv_watch_error(self._w) or
                                b"").decode("utf-8", "replace")
                if end is not None and time.monotonic() >= end:
                    return None
                continue
            why = _lib.cadv_watch_error(self._w)
            raise Error(rc, (why or _lib.cadv_strerror(rc)).decode(
                "utf-8", "replace"))

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def close(self):
        if getattr(self, "_w", None):
            _lib.cadv_watch_close(self._w)
            self._w = None


class Snapshot(_Reader, _Closing):
    """A read transaction of a store: every read through it, and through
    the containers it gave, sees the same instant.  It belongs to the
    thread that made it.  A context manager: ended at the end."""

    def __init__(self, store, txn):
        self._store = store
        self._t = txn

    @contextlib.contextmanager
    def _txn(self):
        if not self._t:
            raise Error(errno.EBADF, "the snapshot has ended")
        yield self._t

    def close(self):
        if getattr(self, "_t", None):
            _lib.cadv_end(self._t)
            self._t = None
