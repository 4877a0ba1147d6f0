"""cAdvisor's JSON types, field by field, as encoding/json writes them
(google/cadvisor info/v1 container.go, machine.go; info/v2 container.go,
machine.go; info/v1 events), for tests/integration/api_fields.sh.

A type is one of
  "u64" "i64" "int" "i32" "f64" "str" "bool" "time"   scalars
  ("arr", T)   a JSON array of T (null allowed: a nil Go slice)
  ("map", T)   a JSON object of string -> T (null allowed)
  {key: T}     a Go struct: KEY is required (Go always writes it: not
               omitempty, or a struct-typed field, which omitempty never
               leaves out); "?key" is optional (omitempty scalars, slices,
               maps and pointers)
check(value, T, path) returns (errors, extra): wrong JSON types and missing
required keys are errors; keys the Go type lacks are listed as extra (Go's
decoder skips them)."""
import re

U64, I64, INT, I32, F64 = "u64", "i64", "int", "i32", "f64"
STR, BOOL, TIME = "str", "bool", "time"

PSIData = {"total": U64, "avg10": F64, "avg60": F64, "avg300": F64}
PSIStats = {"full": PSIData, "some": PSIData}

CpuUsage = {"total": U64, "?per_cpu_usage": ("arr", U64), "user": U64,
            "system": U64}
CpuCFS = {"periods": U64, "throttled_periods": U64, "throttled_time": U64,
          "bursts_periods": U64, "burst_time": U64}
CpuSchedstat = {"run_time": U64, "runqueue_time": U64, "run_periods": U64}
CpuStats = {"usage": CpuUsage, "cfs": CpuCFS, "schedstat": CpuSchedstat,
            "load_average": I32, "psi": PSIStats,
            "?load_d_average": I32}
PerDiskStats = {"device": STR, "major": U64, "minor": U64,
                "stats": ("map", U64)}
DiskIoStats = {"?" + k: ("arr", PerDiskStats) for k in (
    "io_service_bytes", "io_serviced", "io_queued", "sectors",
    "io_service_time", "io_wait_time", "io_merged", "io_time")}
DiskIoStats["psi"] = PSIStats
HugetlbStats = {"?usage": U64, "?max_usage": U64, "failcnt": U64}
MemoryNumaStats = {"?file": ("map", U64), "?anon": ("map", U64),
                   "?unevictable": ("map", U64)}
MemoryData = {"pgfault": U64, "pgmajfault": U64, "numa_stats": MemoryNumaStats}
MemoryStats = {"usage": U64, "max_usage": U64, "cache": U64, "rss": U64,
               "swap": U64, "mapped_file": U64, "working_set": U64,
               "total_active_file": U64, "total_inactive_file": U64,
               "failcnt": U64, "container_data": MemoryData,
               "hierarchical_data": MemoryData, "psi": PSIStats}
InterfaceStats = {"name": STR, "rx_bytes": U64, "rx_packets": U64,
                  "rx_errors": U64, "rx_dropped": U64, "tx_bytes": U64,
                  "tx_packets": U64, "tx_errors": U64, "tx_dropped": U64}
TcpStat = {k: U64 for k in ("Established", "SynSent", "SynRecv", "FinWait1",
                            "FinWait2", "TimeWait", "Close", "CloseWait",
                            "LastAck", "Listen", "Closing")}
UdpStat = {k: U64 for k in ("Listen", "Dropped", "RxQueued", "TxQueued")}
TcpAdvancedStat = {k: U64 for k in """RtoAlgorithm RtoMin RtoMax ActiveOpens
PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs
InErrs OutRsts InCsumErrors EmbryonicRsts SyncookiesSent SyncookiesRecv
SyncookiesFailed PruneCalled RcvPruned OfoPruned OutOfWindowIcmps
LockDroppedIcmps TW TWRecycled TWKilled TCPTimeWaitOverflow TCPTimeouts
TCPSpuriousRTOs TCPLossProbes TCPLossProbeRecovery TCPRenoRecoveryFail
TCPSackRecoveryFail TCPRenoFailures TCPSackFailures TCPLossFailures
DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops
TCPHPHits TCPPureAcks TCPHPAcks TCPRenoRecovery TCPSackRecovery
TCPSACKReneging TCPFACKReorder TCPSACKReorder TCPRenoReorder TCPTSReorder
TCPFullUndo TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPFastRetrans
TCPSlowStartRetrans TCPLostRetransmit TCPRetransFail TCPRcvCollapsed
TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv TCPAbortOnData
TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger
TCPAbortFailed TCPMemoryPressures TCPMemoryPressuresChrono TCPSACKDiscard
TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPMD5NotFound TCPMD5Unexpected
TCPMD5Failure TCPSackShifted TCPSackMerged TCPSackShiftFallback
TCPBacklogDrop PFMemallocDrop TCPMinTTLDrop TCPDeferAcceptDrop
IPReversePathFilter TCPReqQFullDoCookies TCPReqQFullDrop TCPFastOpenActive
TCPFastOpenActiveFail TCPFastOpenPassive TCPFastOpenPassiveFail
TCPFastOpenListenOverflow TCPFastOpenCookieReqd TCPSynRetrans
TCPOrigDataSent PAWSActive PAWSEstab""".split()}
TcpAdvancedStat["MaxConn"] = I64
NetworkStats = dict(InterfaceStats)  # v1: InterfaceStats inline
NetworkStats.update({"?interfaces": ("arr", InterfaceStats), "tcp": TcpStat,
                     "tcp6": TcpStat, "udp": UdpStat, "udp6": UdpStat,
                     "tcp_advanced": TcpAdvancedStat})
FsStats = {"?device": STR, "type": STR, "capacity": U64, "usage": U64,
           "base_usage": U64, "available": U64, "has_inodes": BOOL,
           "inodes": U64, "inodes_free": U64, "reads_completed": U64,
           "reads_merged": U64, "sectors_read": U64, "read_time": U64,
           "writes_completed": U64, "writes_merged": U64,
           "sectors_written": U64, "write_time": U64, "io_in_progress": U64,
           "io_time": U64, "weighted_io_time": U64}
LoadStats = {k: U64 for k in ("nr_sleeping", "nr_running", "nr_stopped",
                              "nr_uninterruptible", "nr_io_wait")}
UlimitSpec = {"name": STR, "soft_limit": I64, "hard_limit": I64}
ProcessStats = {"process_count": U64, "fd_count": U64, "socket_count": U64,
                "?threads_current": U64, "?threads_max": U64,
                "?ulimits": ("arr", UlimitSpec)}
ResctrlStats = {"?memory_bandwidth": ("arr", {"?mbm_total_bytes": U64,
                                              "?mbm_local_bytes": U64}),
                "?cache": ("arr", {"?llc_occupancy": U64})}
CPUSetStats = {"memory_migrate": U64}
ContainerStats = {"timestamp": TIME, "cpu": CpuStats, "diskio": DiskIoStats,
                  "memory": MemoryStats, "?hugetlb": ("map", HugetlbStats),
                  "network": NetworkStats, "?filesystem": ("arr", FsStats),
                  "task_stats": LoadStats, "?accelerators": ("arr", dict()),
                  "processes": ProcessStats,
                  "?custom_metrics": ("map", ("arr", dict())),
                  "?perf_stats": ("arr", dict()),
                  "?perf_uncore_stats": ("arr", dict()),
                  "?referenced_memory": U64, "resctrl": ResctrlStats,
                  "cpuset": CPUSetStats, "?oom_events": U64}

CpuSpec = {"limit": U64, "max_limit": U64, "?mask": STR, "?quota": U64,
           "?period": U64}
MemorySpec = {"?limit": U64, "?reservation": U64, "?swap_limit": U64}
ProcessSpec = {"?limit": U64}
ContainerSpec = {"creation_time": TIME, "?labels": ("map", STR),
                 "?envs": ("map", STR), "has_cpu": BOOL, "cpu": CpuSpec,
                 "has_memory": BOOL, "memory": MemorySpec,
                 "has_hugetlb": BOOL, "has_network": BOOL,
                 "has_processes": BOOL, "processes": ProcessSpec,
                 "has_filesystem": BOOL, "has_diskio": BOOL,
                 "has_custom_metrics": BOOL,
                 "?custom_metrics": ("arr", dict()), "?image": STR}
ContainerReference = {"?id": STR, "name": STR, "?aliases": ("arr", STR),
                      "?namespace": STR}
ContainerInfo = dict(ContainerReference)
ContainerInfo.update({"?subcontainers": ("arr", ContainerReference),
                      "spec": ContainerSpec,
                      "?stats": ("arr", ContainerStats)})

# info/v2
V2ContainerSpec = {"creation_time": TIME, "?aliases": ("arr", STR),
                   "?namespace": STR, "?labels": ("map", STR),
                   "?envs": ("map", STR), "has_cpu": BOOL, "cpu": CpuSpec,
                   "has_memory": BOOL, "memory": MemorySpec,
                   "has_hugetlb": BOOL, "has_custom_metrics": BOOL,
                   "?custom_metrics": ("arr", dict()),
                   "has_processes": BOOL, "processes": ProcessSpec,
                   "has_network": BOOL, "has_filesystem": BOOL,
                   "has_diskio": BOOL, "?image": STR}
V2NetworkStats = {"?interfaces": ("arr", InterfaceStats), "tcp": TcpStat,
                  "tcp6": TcpStat, "udp": UdpStat, "udp6": UdpStat,
                  "tcp_advanced": TcpAdvancedStat}
CpuInstStats = {"usage": {"total": U64, "?per_cpu_usage": ("arr", U64),
                          "user": U64, "system": U64,
                          "percpu_usage_kernel": ("arr", U64),
                          "percpu_usage_user": ("arr", U64)}}
DeprecatedContainerStats = {
    "timestamp": TIME, "has_cpu": BOOL, "cpu": CpuStats,
    "?cpu_inst": CpuInstStats, "has_diskio": BOOL, "diskio": DiskIoStats,
    "has_memory": BOOL, "memory": MemoryStats, "has_hugetlb": BOOL,
    "?hugetlb": ("map", HugetlbStats), "has_network": BOOL,
    "network": V2NetworkStats, "has_processes": BOOL,
    "processes": ProcessStats, "has_filesystem": BOOL,
    "?filesystem": ("arr", FsStats), "has_load": BOOL,
    "load_stats": LoadStats, "has_custom_metrics": BOOL,
    "?custom_metrics": ("map", ("arr", dict())),
    "?perf_stats": ("arr", dict()), "?perf_uncore_stats": ("arr", dict()),
    "?referenced_memory": U64, "resctrl": ResctrlStats}
FilesystemStats = {"?totalUsageBytes": U64, "?baseUsageBytes": U64,
                   "?containter_inode_usage": U64}
V2ContainerStats = {
    "timestamp": TIME, "?cpu": CpuStats, "?cpu_inst": CpuInstStats,
    "?diskio": DiskIoStats, "?memory": MemoryStats,
    "?hugetlb": ("map", HugetlbStats), "?network": V2NetworkStats,
    "?processes": ProcessStats, "?filesystem": FilesystemStats,
    "?load_stats": LoadStats, "?accelerators": ("arr", dict()),
    "?custom_metrics": ("map", ("arr", dict())),
    "?perf_stats": ("arr", dict()), "?perf_uncore_stats": ("arr", dict()),
    "?referenced_memory": U64, "resctrl": ResctrlStats}
V2ContainerInfo = {"spec": V2ContainerSpec,
                   "?stats": ("arr", V2ContainerStats)}
MachineFsStats = {"device": STR, "type": STR, "?capacity": U64,
                  "?usage": U64, "?available": U64, "?inodes_free": U64}
MachineStats = {"timestamp": TIME, "?cpu": CpuStats,
                "?cpu_inst": CpuInstStats, "?memory": MemoryStats,
                "?network": V2NetworkStats,
                "?filesystem": ("arr", MachineFsStats),
                "?load_stats": LoadStats}
V2FsInfo = {"timestamp": TIME, "device": STR, "mountpoint": STR,
            "capacity": U64, "available": U64, "usage": U64,
            "labels": ("arr", STR), "?inodes": U64, "?inodes_free": U64}

ProcessInfo = {"user": STR, "pid": INT, "parent_pid": INT,
               "start_time": STR, "percent_cpu": F64, "percent_mem": F64,
               "rss": U64, "virtual_size": U64, "status": STR,
               "running_time": STR, "cgroup_path": STR, "cmd": STR,
               "fd_count": INT, "psr": INT}

# v2.0/summary (info/v2/container.go DerivedStats)
Percentiles = {"present": BOOL, "mean": U64, "max": U64, "fifty": U64,
               "ninety": U64, "ninetyfive": U64}
Usage = {"percent_complete": I32, "cpu": Percentiles, "memory": Percentiles}
InstantUsage = {"cpu": U64, "memory": U64}
DerivedStats = {"timestamp": TIME, "latest_usage": InstantUsage,
                "minute_usage": Usage, "hour_usage": Usage,
                "day_usage": Usage}

# machine
V1FsInfo = {"device": STR, "capacity": U64, "type": STR, "inodes": U64,
            "has_inodes": BOOL}
Cache = {"size": U64, "type": STR, "level": INT}
Core = {"core_id": INT, "thread_ids": ("arr", INT), "caches": ("arr", Cache)}
HugePagesInfo = {"page_size": U64, "num_pages": U64}
Node = {"node_id": INT, "memory": U64, "hugepages": ("arr", HugePagesInfo),
        "cores": ("arr", Core), "caches": ("arr", Cache)}
DiskInfo = {"name": STR, "major": U64, "minor": U64, "size": U64,
            "scheduler": STR}
NetInfo = {"name": STR, "mac_address": STR, "speed": I64, "mtu": I64}
MachineInfo = {"num_cores": INT, "num_physical_cores": INT,
               "num_sockets": INT, "cpu_frequency_khz": U64,
               "memory_capacity": U64, "?memory_dimm_count": U64,
               "?swap_capacity": U64, "?timestamp": TIME,
               "memory_by_type": ("map", {"capacity": U64,
                                          "dimm_count": U64}),
               "nvm": {"memory_mode_capacity": U64,
                       "app_direct_mode_capacity": U64,
                       "avg_power_budget": U64},
               "hugepages": ("arr", HugePagesInfo), "machine_id": STR,
               "system_uuid": STR, "boot_id": STR,
               "filesystems": ("arr", V1FsInfo),
               "disk_map": ("map", DiskInfo),
               "network_devices": ("arr", NetInfo),
               "topology": ("arr", Node), "cloud_provider": STR,
               "instance_type": STR, "instance_id": STR}
Attributes = {"?kernel_version": STR, "?container_os_version": STR,
              "?docker_version": STR, "?docker_api_version": STR,
              "?cadvisor_version": STR, "num_cores": INT,
              "cpu_frequency_khz": U64, "memory_capacity": U64,
              "machine_id": STR, "system_uuid": STR,
              "hugepages": ("arr", HugePagesInfo),
              "filesystems": ("arr", V1FsInfo),
              "disk_map": ("map", DiskInfo),
              "network_devices": ("arr", NetInfo),
              "topology": ("arr", Node), "cloud_provider": STR,
              "instance_type": STR}

# events (info/v1/container.go Event)
Event = {"container_name": STR, "timestamp": TIME, "event_type": STR,
         "event_data": {"?oom": {"pid": INT, "process_name": STR,
                                 "?constraint": STR}}}
EVENT_TYPES = {"oom", "oomKill", "containerCreation", "containerDeletion"}

# what Go's time.Time.UnmarshalJSON takes: RFC 3339 with a zone
RFC3339 = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?'
                     r'(Z|[+-]\d\d:\d\d)$')
RANGES = {U64: (0, 2**64 - 1), I64: (-2**63, 2**63 - 1),
          INT: (-2**63, 2**63 - 1), I32: (-2**31, 2**31 - 1)}


def check(v, t, path="$"):
    errors, extra = [], []
    _check(v, t, path, errors, extra)
    return errors, extra


def _check(v, t, path, errors, extra):
    if isinstance(t, str):
        ok = True
        if t in RANGES:
            lo, hi = RANGES[t]
            ok = (isinstance(v, int) and not isinstance(v, bool) and
                  lo <= v <= hi)
        elif t == F64:
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif t == STR:
            ok = isinstance(v, str)
        elif t == BOOL:
            ok = isinstance(v, bool)
        elif t == TIME:
            ok = isinstance(v, str) and RFC3339.match(v) is not None
        if not ok:
            errors.append("%s: %r is not %s" % (path, v, t))
        return
    if isinstance(t, tuple):
        kind, sub = t
        if v is None:
            return
        if kind == "arr":
            if not isinstance(v, list):
                errors.append("%s: not an array" % path)
                return
            for i, x in enumerate(v):
                _check(x, sub, "%s[%d]" % (path, i), errors, extra)
        else:
            if not isinstance(v, dict):
                errors.append("%s: not an object" % path)
                return
            for k, x in v.items():
                _check(x, sub, "%s[%r]" % (path, k), errors, extra)
        return
    # a struct
    if not isinstance(v, dict):
        errors.append("%s: not an object" % path)
        return
    if not t:
        return  # a type this test does not spell out: any object
    known = set()
    for key, sub in t.items():
        name = key.lstrip("?")
        known.add(name)
        if name not in v:
            if not key.startswith("?"):
                errors.append("%s.%s: missing" % (path, name))
            continue
        _check(v[name], sub, "%s.%s" % (path, name), errors, extra)
    for k in v:
        if k not in known:
            extra.append(re.sub(r'\[[^\]]*\]', '[]', "%s.%s" % (path, k)))


def ulimits_cover(cadv, api):
    """cadv's {name: {soft_limit, hard_limit}} (2^64-1 unlimited) as
    cAdvisor's [{name, soft_limit, hard_limit}] (-1 unlimited)."""
    if not isinstance(cadv, dict) or not isinstance(api, list):
        return False
    by = {u.get("name"): u for u in api if isinstance(u, dict)}
    conv = lambda v: -1 if v == 2**64 - 1 else v
    return len(by) == len(cadv) and all(
        n in by and all(conv(v) == by[n].get(k) for k, v in lim.items())
        for n, lim in cadv.items())


def covers(cadv, api):
    """api holds cadv: every key of cadv's own document (cadvctl's) with
    the same value, lists element by element; "psi" aside (cAdvisor's
    units there, ppm and ns in cadv's), "ulimits" in cAdvisor's shape.
    The API adds cAdvisor's keys."""
    if isinstance(cadv, dict):
        return isinstance(api, dict) and all(
            k == "psi" or (k == "ulimits" and ulimits_cover(v, api.get(k)))
            or (k in api and covers(v, api[k]))
            for k, v in cadv.items())
    if isinstance(cadv, list):
        return (isinstance(api, list) and len(cadv) == len(api) and
                all(covers(x, y) for x, y in zip(cadv, api)))
    return cadv == api
