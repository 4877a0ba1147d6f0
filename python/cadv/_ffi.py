"""libcadv.so.0 through ctypes: the structs of cadv.h and the calls' types.

The structs mirror cadv.h member for member; tests/python/test_cadv.py
compares every size and offset here with the C compiler's
(tests/tools/cadvlayout.c), so a change to cadv.h that is not made here
too fails there, not in a user's program.
"""

import ctypes
import ctypes.util
import os

from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_int,
                    c_int32, c_int64, c_size_t, c_uint, c_uint16, c_uint32,
                    c_uint64, c_void_p)

SONAME = "libcadv.so.0"

# cadv.h's bounds
NAME_MAX = 4096
MAX_CPUS = 1024
MAX_BLK = 256
MAX_NET = 64
IFNAME_LEN = 16
SCALARS_MAX = 128
SPEC_MAX = 64
DISKIO_MAX = 16
UNLIMITED = (1 << 64) - 1
IS_COUNT = 11           # enum cadv_ident_str
IDENT_KV_MAX = 256
IDENT_ARENA = 65536
PF_COUNT = 6            # enum cadv_process_field
DS_COUNT = 11           # enum cadv_ds_counter
EV_TYPE_MAX = 4
EV_TYPES_ALL = (1 << (EV_TYPE_MAX + 1)) - 2
EVQ_CADVISOR_NAMES = 1
TABLES_MAX = 32
ID_TYPES = {"name": 0, "docker": 1, "podman": 2}     # enum cadv_id_type
FSL_ROOT = 1            # enum cadv_fs_label

# enum cadv_error
NOTFOUND = -30798
CORRUPT = -30000
NOSTORE = -30001
SCHEMA = -30002
NOTCADV = -30003
FOREIGN = -30004
UNSAFE = -30005
UPGRADING = -30006
AMBIGUOUS = -30007

c_enum = c_int      # a C enum of small values is an int (SysV ABI)

BLK_COUNTERS = ("read_bytes", "write_bytes", "read_ops", "write_ops")
NET_COUNTERS = ("rx_bytes", "rx_packets", "rx_errors", "rx_dropped",
                "tx_bytes", "tx_packets", "tx_errors", "tx_dropped")


class Blk(Structure):
    _fields_ = [("major", c_uint32), ("minor", c_uint32)] + \
        [(n, c_uint64) for n in BLK_COUNTERS]


class Net(Structure):
    _fields_ = [("name", c_char * IFNAME_LEN)] + \
        [(n, c_uint64) for n in NET_COUNTERS]


class Diskio(Structure):
    _fields_ = [("present", c_uint64), ("v", c_uint64 * DISKIO_MAX)]


class Sample(Structure):
    _fields_ = [
        ("present", c_uint64 * (SCALARS_MAX // 64)),
        ("v", c_uint64 * SCALARS_MAX),
        ("ncpu", c_uint16), ("nblk", c_uint16), ("nnet", c_uint16),
        ("percpu", c_uint64 * MAX_CPUS),
        ("blk", Blk * MAX_BLK),
        ("net", Net * MAX_NET),
        ("xpresent", c_uint64),
        ("xio", Diskio * MAX_BLK),
    ]


class Container(Structure):
    _fields_ = [
        ("id", c_uint64), ("created_ns", c_uint64), ("deleted_ns", c_uint64),
        ("flags", c_uint32),
        ("spec_present", c_uint64), ("spec", c_uint64 * SPEC_MAX),
        ("name_len", c_size_t), ("name", c_char * (NAME_MAX + 1)),
        ("mask_len", c_size_t), ("cpu_mask", c_char * 256),
    ]


class Event(Structure):
    _fields_ = [
        ("seq", c_uint64), ("ts_ns", c_uint64), ("type", c_enum),
        ("flags", c_uint32), ("pid", c_uint32),
        ("container_len", c_size_t), ("victim_len", c_size_t),
        ("comm_len", c_size_t),
        ("container", c_char * (NAME_MAX + 1)),
        ("victim", c_char * (NAME_MAX + 1)),
        ("comm", c_char * 64),
    ]


class Fs(Structure):
    _fields_ = [(n, c_uint64) for n in
                ("capacity", "available", "used", "inodes", "inodes_free")]


class DiskStats(Structure):
    _fields_ = [("major", c_uint32), ("minor", c_uint32),
                ("v", c_uint64 * DS_COUNT)]


class Percentiles(Structure):
    _fields_ = [(n, c_uint64) for n in
                ("mean", "max", "fifty", "ninety", "ninetyfive")]


class Minute(Structure):
    _fields_ = [
        ("start_ns", c_uint64), ("nsamples", c_uint32),
        ("nrates", c_uint32), ("percent", c_uint32), ("flags", c_uint32),
        ("cpu", Percentiles), ("memory", Percentiles),
    ]


class Process(Structure):
    _fields_ = [("written_ns", c_uint64), ("pid", c_uint32),
                ("present", c_uint32), ("v", c_uint64 * PF_COUNT)]


class Layer(Structure):
    _fields_ = [
        ("measured_ns", c_uint64), ("bytes", c_uint64), ("inodes", c_uint64),
        ("major", c_uint32), ("minor", c_uint32), ("walk_ns", c_uint64),
        ("flags", c_uint32),
    ]


class IdentSpan(Structure):
    _fields_ = [("off", c_uint32), ("len", c_uint32)]


class IdentKv(Structure):
    _fields_ = [("k", IdentSpan), ("v", IdentSpan)]


class Ident(Structure):
    _fields_ = [
        ("runtime", c_enum), ("flags", c_uint32), ("exit_code", c_int32),
        ("restart_count", c_uint32), ("pid", c_uint32),
        ("created_ns", c_uint64), ("started_ns", c_uint64),
        ("finished_ns", c_uint64), ("seen_ns", c_uint64),
        ("gone_ns", c_uint64),
        ("s", IdentSpan * IS_COUNT),
        ("nlabels", c_uint32), ("nenv", c_uint32),
        ("labels", IdentKv * IDENT_KV_MAX), ("env", IdentKv * IDENT_KV_MAX),
        ("used", c_uint32), ("arena", c_char * IDENT_ARENA),
    ]


class Usage(Structure):
    _fields_ = [("map_size", c_size_t), ("used", c_size_t),
                ("readers_used", c_uint), ("readers_max", c_uint)]


class Summary(Structure):
    _fields_ = [
        ("timestamp_ns", c_uint64), ("latest_cpu", c_uint64),
        ("latest_memory", c_uint64),
        ("minute", Minute), ("hour", Minute), ("day", Minute),
    ]


class EventRequest(Structure):
    _fields_ = [
        ("start_ns", c_uint64), ("end_ns", c_uint64), ("types", c_uint32),
        ("max", c_int64), ("container_len", c_size_t),
        ("container", c_char * (NAME_MAX + 1)),
        ("subcontainers", c_int), ("flags", c_uint),
    ]


class InfoRequest(Structure):
    _fields_ = [("num_stats", c_int), ("start_ns", c_uint64),
                ("end_ns", c_uint64)]


class InfoOptions(Structure):
    _fields_ = [("id_type", c_enum), ("count", c_int), ("recursive", c_int)]


class InfoCbs(Structure):
    _fields_ = [("container", c_void_p), ("sample", c_void_p),
                ("arg", c_void_p)]


class FsInfo(Structure):
    _fields_ = [
        ("ts_ns", c_uint64), ("device", c_char * 4096),
        ("mountpoint", c_char * 4096), ("type", c_char * 64),
        ("major", c_uint32), ("minor", c_uint32), ("labels", c_uint32),
        ("has_inodes", c_int), ("usage", Fs),
    ]


class CheckCounts(Structure):
    _fields_ = [("records", c_uint64 * TABLES_MAX), ("problems", c_uint64)]


# every public struct by its C name, for the layout test
STRUCTS = {
    "cadv_blk": Blk, "cadv_net": Net, "cadv_diskio": Diskio,
    "cadv_sample": Sample, "cadv_container": Container,
    "cadv_event": Event, "cadv_fs": Fs, "cadv_disk_stats": DiskStats,
    "cadv_percentiles": Percentiles, "cadv_minute": Minute,
    "cadv_process": Process, "cadv_layer": Layer,
    "cadv_ident_span": IdentSpan, "cadv_ident_kv": IdentKv,
    "cadv_ident": Ident, "cadv_usage": Usage, "cadv_summary": Summary,
    "cadv_event_request": EventRequest, "cadv_info_request": InfoRequest,
    "cadv_info_options": InfoOptions, "cadv_info_cbs": InfoCbs,
    "cadv_fs_info": FsInfo, "cadv_check_counts": CheckCounts,
}

ContainerCb = CFUNCTYPE(c_int, POINTER(Container), c_void_p)
SampleCb = CFUNCTYPE(c_int, c_uint64, POINTER(Sample), c_void_p)
MinuteCb = CFUNCTYPE(c_int, POINTER(Minute), c_void_p)
IdentCb = CFUNCTYPE(c_int, POINTER(Ident), c_void_p)
EventCb = CFUNCTYPE(c_int, POINTER(Event), c_void_p)
InfoContainerCb = CFUNCTYPE(c_int, POINTER(Container), POINTER(Ident),
                            c_void_p)
InfoSampleCb = CFUNCTYPE(c_int, POINTER(Container), c_uint64,
                         POINTER(Sample), c_void_p)
FsInfoCb = CFUNCTYPE(c_int, POINTER(FsInfo), c_void_p)
ProblemCb = CFUNCTYPE(c_int, c_char_p, c_char_p, c_char_p, c_void_p)

_p = POINTER
# name: (restype, argtypes)
_CALLS = {
    "cadv_open": (c_int, [c_char_p, _p(c_void_p), c_char_p, c_size_t]),
    "cadv_close": (None, [c_void_p]),
    "cadv_dir": (c_char_p, [c_void_p]),
    "cadv_strerror": (c_char_p, [c_int]),
    "cadv_error": (c_char_p, [c_void_p, c_int]),
    "cadv_begin": (c_int, [c_void_p, _p(c_void_p)]),
    "cadv_end": (None, [c_void_p]),
    "cadv_usage": (c_int, [c_void_p, _p(Usage)]),
    "cadv_container_find": (c_int, [c_void_p, c_char_p, c_size_t,
                                    _p(Container)]),
    "cadv_container_get": (c_int, [c_void_p, c_uint64, _p(Container)]),
    "cadv_containers_each": (c_int, [c_void_p, ContainerCb, c_void_p]),
    "cadv_sample_latest": (c_int, [c_void_p, c_uint64, _p(c_uint64),
                                   _p(Sample)]),
    "cadv_samples_range": (c_int, [c_void_p, c_uint64, c_uint64, c_uint64,
                                   SampleCb, c_void_p]),
    "cadv_samples_last": (c_int, [c_void_p, c_uint64, c_size_t, SampleCb,
                                  c_void_p]),
    "cadv_sample_field_path": (c_char_p, [c_enum]),
    "cadv_sample_field_unit": (c_char_p, [c_enum]),
    "cadv_spec_field_path": (c_char_p, [c_enum]),
    "cadv_diskio_counter_name": (c_char_p, [c_enum]),
    "cadv_minutes_range": (c_int, [c_void_p, c_uint64, c_uint64, c_uint64,
                                   MinuteCb, c_void_p]),
    "cadv_summary": (c_int, [c_void_p, c_uint64, c_uint64, _p(Summary)]),
    "cadv_ident_find": (c_int, [c_void_p, c_char_p, c_size_t, c_uint64,
                                _p(Ident)]),
    "cadv_idents_each": (c_int, [c_void_p, IdentCb, c_void_p]),
    "cadv_ident_str_name": (c_char_p, [c_enum]),
    "cadv_runtime_name": (c_char_p, [c_enum]),
    "cadv_machine_info": (c_int, [c_void_p, _p(c_void_p), _p(c_size_t)]),
    "cadv_version_info": (c_int, [c_void_p, _p(c_void_p), _p(c_size_t)]),
    "cadv_interval": (c_int, [c_void_p, _p(c_uint64)]),
    "cadv_storage_duration": (c_int, [c_void_p, _p(c_uint64)]),
    "cadv_writer_name": (c_char_p, [c_enum]),
    "cadv_heartbeat": (c_int, [c_void_p, c_enum, _p(c_uint64)]),
    "cadv_event_request_init": (None, [_p(EventRequest)]),
    "cadv_events": (c_int, [c_void_p, _p(EventRequest), EventCb, c_void_p]),
    "cadv_event_type_name": (c_char_p, [c_enum]),
    "cadv_event_type_cadvisor": (c_char_p, [c_enum]),
    "cadv_event_type_parse": (c_int, [c_char_p, _p(c_enum)]),
    "cadv_watch_events": (c_int, [c_char_p, _p(EventRequest), _p(c_void_p),
                                  c_char_p, c_size_t]),
    "cadv_watch_fd": (c_int, [c_void_p]),
    "cadv_watch_next": (c_int, [c_void_p, c_int, _p(Event), _p(c_uint64)]),
    "cadv_watch_error": (c_char_p, [c_void_p]),
    "cadv_watch_close": (None, [c_void_p]),
    "cadv_container_info_v2": (c_int, [c_void_p, c_char_p, c_size_t,
                                       _p(InfoOptions), _p(InfoCbs)]),
    "cadv_root_fs_info": (c_int, [c_void_p, _p(FsInfo)]),
    "cadv_dir_fs_info": (c_int, [c_void_p, c_char_p, _p(FsInfo)]),
    "cadv_fs_info": (c_int, [c_void_p, c_char_p, FsInfoCb, c_void_p]),
    "cadv_table_name": (c_char_p, [c_enum]),
    "cadv_check": (c_int, [c_void_p, ProblemCb, c_void_p, _p(CheckCounts)]),
}


def _candidates():
    """Where libcadv.so.0 may be, in the order tried."""
    env = os.environ.get("CADV_LIBRARY")
    if env:
        return [env]
    # installed by `make install`: PREFIX/lib/python3/dist-packages/cadv,
    # beside PREFIX/lib/libcadv.so.0
    here = os.path.dirname(os.path.abspath(__file__))
    out = [os.path.join(here, "..", "..", "..", SONAME), SONAME]
    found = ctypes.util.find_library("cadv")
    # another major's structs are not these
    if found and os.path.basename(found) == SONAME:
        out.append(found)
    return out


def load():
    """The library with every call's types set; OSError naming what was
    tried when none loads."""
    tried = []
    lib = None
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path + ": no such file")
            continue
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError as e:
            tried.append(str(e))
    if lib is None:
        raise OSError("cannot load %s (set CADV_LIBRARY to its path): %s"
                      % (SONAME, "; ".join(tried)))
    for name, (res, args) in _CALLS.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    return lib
