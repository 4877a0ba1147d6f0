# /metrics against cAdvisor's default families (issue 19): every family
# exporterd writes is cAdvisor's, with its TYPE, its HELP and its label
# names, or one of cadv's own listed below; the families the store has data
# for are there; those cadv cannot fill yet are absent (listed, so that one
# appearing half-made is noticed).  Two scrapes: a store filled by
# storefill, and a live pipeline on the v2 fixture tree (machine document,
# version, a quota, memory.events, statfs of the root's filesystems).
# promtool says nothing but cAdvisor's own complaints (tests/promcheck.sh).
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "families" "curl is not installed (make deps)"
	exit 0
fi
PORT=$(free_port)
U=http://127.0.0.1:$PORT
scrape() {	# scrape STORE OUT: one /metrics of exporterd on STORE
	"$BIN/exporterd" --store "$1" --listen "127.0.0.1:$PORT" \
	    2>>"$T/exporterd.err" &
	XP=$!
	on_exit "kill $XP 2>/dev/null"
	wait_for 5 curl -sf -o /dev/null "$U/healthz"
	curl -s "$U/metrics" >"$2"
	kill "$XP"
	wait "$XP" 2>/dev/null
}

# families FILE WHAT WANT: FILE's families checked against cAdvisor's
# (google/cadvisor metrics/prometheus.go and prometheus_machine.go at HEAD,
# client_golang's process collector); WANT: the families that must be there
families() {
	"$PY" - "$1" "$2" "$3" <<'PYEOF'
import re, sys
path, what, want = sys.argv[1], sys.argv[2], sys.argv[3].split()
C, M, U = "container", "machine", "unlabelled"
# client_golang's process_*: cadv is several processes, each series
# names its daemon (cAdvisor's one process has no label)
P = "process"
G, K = "gauge", "counter"
# name: (type, help, extra labels, base labels)
CADVISOR = {
 "container_last_seen": (G, "Last time a container was seen by the exporter", [], C),
 "container_cpu_user_seconds_total": (K, "Cumulative user cpu time consumed in seconds.", [], C),
 "container_cpu_system_seconds_total": (K, "Cumulative system cpu time consumed in seconds.", [], C),
 "container_cpu_usage_seconds_total": (K, "Cumulative cpu time consumed in seconds.", ["cpu"], C),
 "container_cpu_cfs_periods_total": (K, "Number of elapsed enforcement period intervals.", [], C),
 "container_cpu_cfs_throttled_periods_total": (K, "Number of throttled period intervals.", [], C),
 "container_cpu_cfs_throttled_seconds_total": (K, "Total time duration the container has been throttled.", [], C),
 "container_cpu_cfs_burst_periods_total": (K, "Number of periods when burst occurs.", [], C),
 "container_cpu_cfs_burst_seconds_total": (K, "Total time duration the container has been bursted.", [], C),
 "container_memory_cache": (G, "Number of bytes of page cache memory.", [], C),
 "container_memory_rss": (G, "Size of RSS in bytes.", [], C),
 "container_memory_kernel_usage": (G, "Size of kernel memory allocated in bytes.", [], C),
 "container_memory_mapped_file": (G, "Size of memory mapped files in bytes.", [], C),
 "container_memory_swap": (G, "Container swap usage in bytes.", [], C),
 "container_memory_failcnt": (K, "Number of memory usage hits limits", [], C),
 "container_memory_usage_bytes": (G, "Current memory usage in bytes, including all memory regardless of when it was accessed", [], C),
 "container_memory_max_usage_bytes": (G, "Maximum memory usage recorded in bytes", [], C),
 "container_memory_working_set_bytes": (G, "Current working set in bytes.", [], C),
 "container_memory_total_active_file_bytes": (G, "Current total active file in bytes.", [], C),
 "container_memory_total_inactive_file_bytes": (G, "Current total inactive file in bytes.", [], C),
 "container_memory_failures_total": (K, "Cumulative count of memory allocation failures.", ["failure_type", "scope"], C),
 "container_memory_events_high_total": (K, "Cumulative count of memory.high throttle events for the container", [], C),
 "container_memory_events_max_total": (K, "Cumulative count of memory.max limit hit events for the container", [], C),
 "container_memory_file_dirty_bytes": (G, "Number of bytes of file cache that has been modified but not yet written back to disk.", [], C),
 "container_memory_file_writeback_bytes": (G, "Number of bytes of file cache that is currently being written back to disk.", [], C),
 "container_memory_pgscan_total": (K, "Cumulative number of pages scanned by the page reclaim algorithm.", [], C),
 "container_memory_pgsteal_total": (K, "Cumulative number of pages reclaimed by the page reclaim algorithm.", [], C),
 "container_memory_workingset_refault_file_total": (K, "Cumulative number of refaults of previously evicted file pages.", [], C),
 "container_memory_workingset_refault_anon_total": (K, "Cumulative number of refaults of previously evicted anonymous pages.", [], C),
 "container_fs_inodes_free": (G, "Number of available Inodes", ["device"], C),
 "container_fs_inodes_total": (G, "Number of Inodes", ["device"], C),
 "container_fs_limit_bytes": (G, "Number of bytes that can be consumed by the container on this filesystem.", ["device"], C),
 "container_fs_usage_bytes": (G, "Number of bytes that are consumed by the container on this filesystem.", ["device"], C),
 "container_fs_reads_bytes_total": (K, "Cumulative count of bytes read", ["device"], C),
 "container_fs_reads_total": (K, "Cumulative count of reads completed", ["device"], C),
 "container_fs_sector_reads_total": (K, "Cumulative count of sector reads completed", ["device"], C),
 "container_fs_reads_merged_total": (K, "Cumulative count of reads merged", ["device"], C),
 "container_fs_read_seconds_total": (K, "Cumulative count of seconds spent reading", ["device"], C),
 "container_fs_writes_bytes_total": (K, "Cumulative count of bytes written", ["device"], C),
 "container_fs_writes_total": (K, "Cumulative count of writes completed", ["device"], C),
 "container_fs_sector_writes_total": (K, "Cumulative count of sector writes completed", ["device"], C),
 "container_fs_writes_merged_total": (K, "Cumulative count of writes merged", ["device"], C),
 "container_fs_write_seconds_total": (K, "Cumulative count of seconds spent writing", ["device"], C),
 "container_fs_io_current": (G, "Number of I/Os currently in progress", ["device"], C),
 "container_fs_io_time_seconds_total": (K, "Cumulative count of seconds spent doing I/Os", ["device"], C),
 "container_fs_io_time_weighted_seconds_total": (K, "Cumulative weighted I/O time in seconds", ["device"], C),
 "container_fs_io_cost_usage_seconds_total": (K, "Cumulative IOCost usage in seconds", ["device"], C),
 "container_fs_io_cost_wait_seconds_total": (K, "Cumulative IOCost wait in seconds", ["device"], C),
 "container_fs_io_cost_indebt_seconds_total": (K, "Cumulative IOCost debt in seconds", ["device"], C),
 "container_fs_io_cost_indelay_seconds_total": (K, "Cumulative IOCost delay in seconds", ["device"], C),
 "container_blkio_device_usage_total": (K, "Blkio Device bytes usage", ["device", "major", "minor", "operation"], C),
 "container_network_receive_bytes_total": (K, "Cumulative count of bytes received", ["interface"], C),
 "container_network_receive_packets_total": (K, "Cumulative count of packets received", ["interface"], C),
 "container_network_receive_packets_dropped_total": (K, "Cumulative count of packets dropped while receiving", ["interface"], C),
 "container_network_receive_errors_total": (K, "Cumulative count of errors encountered while receiving", ["interface"], C),
 "container_network_transmit_bytes_total": (K, "Cumulative count of bytes transmitted", ["interface"], C),
 "container_network_transmit_packets_total": (K, "Cumulative count of packets transmitted", ["interface"], C),
 "container_network_transmit_packets_dropped_total": (K, "Cumulative count of packets dropped while transmitting", ["interface"], C),
 "container_network_transmit_errors_total": (K, "Cumulative count of errors encountered while transmitting", ["interface"], C),
 "container_oom_events_total": (K, "Count of out of memory events observed for the container", [], C),
 "container_pressure_cpu_stalled_seconds_total": (K, "Total time duration no tasks in the container could make progress due to CPU congestion.", [], C),
 "container_pressure_cpu_waiting_seconds_total": (K, "Total time duration tasks in the container have waited due to CPU congestion.", [], C),
 "container_pressure_memory_stalled_seconds_total": (K, "Total time duration no tasks in the container could make progress due to memory congestion.", [], C),
 "container_pressure_memory_waiting_seconds_total": (K, "Total time duration tasks in the container have waited due to memory congestion.", [], C),
 "container_pressure_io_stalled_seconds_total": (K, "Total time duration no tasks in the container could make progress due to IO congestion.", [], C),
 "container_pressure_io_waiting_seconds_total": (K, "Total time duration tasks in the container have waited due to IO congestion.", [], C),
 "container_health_state": (G, "The result of the container's health check", [], C),
 "container_creation_time_seconds": (G, "Container creation time since unix epoch in seconds.", [], C),
 "container_start_time_seconds": (G, "Start time of the container since unix epoch in seconds.", [], C),
 "container_spec_cpu_period": (G, "CPU period of the container.", [], C),
 "container_spec_cpu_quota": (G, "CPU quota of the container.", [], C),
 "container_spec_cpu_shares": (G, "CPU share of the container.", [], C),
 "container_spec_memory_limit_bytes": (G, "Memory limit for the container.", [], C),
 "container_spec_memory_swap_limit_bytes": (G, "Memory swap limit for the container.", [], C),
 "container_spec_memory_reservation_limit_bytes": (G, "Memory reservation limit for the container.", [], C),
 "container_scrape_error": (G, "1 if there was an error while getting container metrics, 0 otherwise", [], U),
 "cadvisor_version_info": (G, "A metric with a constant '1' value labeled by kernel version, OS version, docker version, cadvisor version & cadvisor revision.",
     ["cadvisorRevision", "cadvisorVersion", "dockerVersion", "kernelVersion", "osVersion"], U),
 "machine_scrape_error": (G, "1 if there was an error while getting machine metrics, 0 otherwise.", [], U),
 "machine_cpu_physical_cores": (G, "Number of physical CPU cores.", [], M),
 "machine_cpu_cores": (G, "Number of logical CPU cores.", [], M),
 "machine_cpu_sockets": (G, "Number of CPU sockets.", [], M),
 # help texts of books and drawers not read in cAdvisor's source (unverified)
 "machine_cpu_books": (G, "Number of CPU books.", [], M),
 "machine_cpu_drawers": (G, "Number of CPU drawers.", [], M),
 "machine_memory_bytes": (G, "Amount of memory installed on the machine.", [], M),
 "machine_swap_bytes": (G, "Amount of swap memory available on the machine.", [], M),
 "machine_dimm_count": (G, "Number of RAM DIMM (all types memory modules) value labeled by dimm type.", ["type"], M),
 "machine_dimm_capacity_bytes": (G, "Total RAM DIMM capacity (all types memory modules) value labeled by dimm type.", ["type"], M),
 "machine_nvm_capacity": (G, "NVM capacity value labeled by NVM mode (memory mode or app direct mode).", ["mode"], M),
 "machine_nvm_avg_power_budget_watts": (G, "NVM power budget.", [], M),
 "process_cpu_seconds_total": (K, "Total user and system CPU time spent in seconds.", [], P),
 "process_max_fds": (G, "Maximum number of open file descriptors.", [], P),
 "process_open_fds": (G, "Number of open file descriptors.", [], P),
 "process_resident_memory_bytes": (G, "Resident memory size in bytes.", [], P),
 "process_start_time_seconds": (G, "Start time of the process since unix epoch in seconds.", [], P),
 "process_virtual_memory_bytes": (G, "Virtual memory size in bytes.", [], P),
 # cpuLoad: cAdvisor's iowaiting state is never written (README)
 "container_cpu_load_average_10s": (G, "Value of container cpu load average over the last 10 seconds.", [], C),
 "container_cpu_load_d_average_10s": (G, "Value of container cpu load.d average over the last 10 seconds.", [], C),
 "container_tasks_state": (G, "Number of tasks in given state", ["state"], C),
}
# cAdvisor's default families that cadv does not fill (none now; one
# listed here must not appear half-made)
MISSING = """""".split()
# cadv's own: the version in snake_case, which container was not read
# whole, and cAdvisor's process group (off in cAdvisor, on in the kubelet)
CADV = {
 "cadv_version_info": (G, None, ["cadv_revision", "cadv_version", "kernel_version", "os_version"], U),
 "cadv_container_scrape_error": (G, None, [], C),
 "container_processes": (G, "Number of processes running inside the container.", [], C),
 "container_threads": (G, "Number of threads running inside the container", [], C),
 "container_file_descriptors": (G, "Number of open file descriptors for the container.", [], C),
 "container_sockets": (G, "Number of open sockets for the container.", [], C),
 "container_threads_max": (G, "Maximum number of threads allowed inside the container, infinity if value is zero", [], C),
 "container_ulimits_soft": (G, "Soft ulimit values for the container root process. Unlimited if -1, except priority and nice", ["ulimit"], C),
 # cadv's own health (issue 20): heartbeats, tick, store map
 "cadv_heartbeat_age_seconds": (G, None, ["daemon"], U),
 "cadv_collect_interval_seconds": (G, None, [], U),
 "cadv_store_map_size_bytes": (G, None, [], U),
 "cadv_store_map_used_bytes": (G, None, [], U),
 "cadv_store_map_used_ratio": (G, None, [], U),
}
BASE = {C: {"id", "image", "name"}, M: {"boot_id", "machine_id", "system_uuid"}, U: set(), P: {"daemon"}}
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (\d+))?$')
LAB = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(?:,|$)')
help_, type_, labels, order = {}, {}, {}, []
bad = []
for ln in open(path, encoding="utf-8"):
    ln = ln.rstrip("\n")
    if ln.startswith("# HELP "):
        n, _, h = ln[7:].partition(" ")
        help_[n] = h
        order.append(n)
    elif ln.startswith("# TYPE "):
        n, _, t = ln[7:].partition(" ")
        type_[n] = t
    elif ln:
        m = LINE.match(ln)
        if not m:
            bad.append("unparsed: " + ln[:120])
            continue
        labels.setdefault(m.group(1), []).append(
            frozenset(l.group(1) for l in LAB.finditer(m.group(2) or "")))
if len(order) != len(set(order)):
    bad.append("a family written twice")
for n in order:
    d = CADVISOR.get(n) or CADV.get(n)
    if d is None:
        bad.append("%s: not one of cAdvisor's families nor cadv's" % n)
        continue
    t, h, extra, base = d
    if type_.get(n) != t:
        bad.append("%s: type %s, cAdvisor's %s" % (n, type_.get(n), t))
    if h is not None and help_[n] != h:
        bad.append("%s: help %r, cAdvisor's %r" % (n, help_[n], h))
    if n not in labels:
        bad.append("%s: HELP without a sample" % n)
        continue
    for ls in set(labels[n]):
        want_ls = BASE[base] | set(extra)
        # cAdvisor adds container_label_*/container_env_* to the base
        got = {l for l in ls if not l.startswith(("container_label_", "container_env_"))}
        if got != want_ls:
            bad.append("%s: labels %s, cAdvisor's %s" % (n, sorted(ls), sorted(want_ls)))
    if len(set(labels[n])) != 1:
        bad.append("%s: series with different label names" % n)
for n in want:
    if n not in order:
        bad.append("%s: missing" % n)
for n in MISSING:
    if n in order:
        bad.append("%s: listed as not exported, but is (update the list)" % n)
print("%s: %d families, %d of cAdvisor's; not exported: %s" % (what, len(order),
      len([n for n in order if n in CADVISOR]),
      " ".join(sorted(n for n in CADVISOR if n not in order and n not in MISSING))))
for b in bad:
    print(what + ": " + b)
sys.exit(1 if bad else 0)
PYEOF
}
. "$CADV_TOP/tests/promcheck.sh"

# ---- storefill's store: no machine document, no version ----
S=$T/store
"$TBIN/storefill" --store "$S" --containers 6 --samples 2 --events 8 >/dev/null
scrape "$S" "$T/fill.metrics"
FILL="container_last_seen container_health_state container_cpu_user_seconds_total
container_cpu_system_seconds_total container_cpu_usage_seconds_total
container_memory_cache container_memory_rss container_memory_kernel_usage
container_memory_mapped_file container_memory_swap container_memory_failcnt
container_memory_usage_bytes container_memory_max_usage_bytes
container_memory_working_set_bytes container_memory_total_active_file_bytes
container_memory_total_inactive_file_bytes container_memory_failures_total
container_memory_events_high_total container_memory_events_max_total
container_memory_file_dirty_bytes container_memory_file_writeback_bytes
container_memory_pgscan_total container_memory_pgsteal_total
container_memory_workingset_refault_file_total
container_memory_workingset_refault_anon_total
container_fs_reads_bytes_total container_fs_reads_total
container_fs_writes_bytes_total container_fs_writes_total
container_blkio_device_usage_total container_network_receive_bytes_total
container_network_receive_packets_total
container_network_receive_packets_dropped_total
container_network_receive_errors_total container_network_transmit_bytes_total
container_network_transmit_packets_total
container_network_transmit_packets_dropped_total
container_network_transmit_errors_total container_oom_events_total
container_pressure_cpu_stalled_seconds_total
container_pressure_cpu_waiting_seconds_total
container_pressure_memory_stalled_seconds_total
container_pressure_memory_waiting_seconds_total
container_pressure_io_stalled_seconds_total
container_pressure_io_waiting_seconds_total container_creation_time_seconds
container_start_time_seconds container_spec_memory_limit_bytes
container_scrape_error machine_scrape_error process_cpu_seconds_total
process_max_fds process_open_fds process_resident_memory_bytes
process_start_time_seconds process_virtual_memory_bytes
container_cpu_load_average_10s container_cpu_load_d_average_10s
container_tasks_state"
expect "storefill's store: cAdvisor's families, types, help texts and labels" \
    families "$T/fill.metrics" storefill "$FILL"
expect "storefill's store: no machine document, machine_scrape_error 1" \
    grep -qx 'machine_scrape_error 1' "$T/fill.metrics"
expect "storefill's store: no version information, container_scrape_error 1" \
    grep -qx 'container_scrape_error 1' "$T/fill.metrics"
if command -v promtool >/dev/null 2>&1; then
	expect "storefill's store: promtool says nothing but cAdvisor's complaints" \
	    promcheck "$T/fill.metrics"
else
	skip "promtool check metrics" "promtool is not installed (package prometheus)"
fi

# ---- storefill's identities: a docker container's health is docker's ----
"$TBIN/storefill" --store "$T/ids" --containers 12 --samples 2 --events 8 --idents >/dev/null
scrape "$T/ids" "$T/ids.metrics"
expect "storefill's identities: cAdvisor's families, container_label_* beside the base labels" \
    families "$T/ids.metrics" idents "$FILL"
expect "container_health_state -1 (no health check) for podman's web1 and a raw cgroup" \
    sh -c "grep -qE '^container_health_state\{.*name=\"web1\".*\} -1 [0-9]+$' '$T/ids.metrics' && grep -qE '^container_health_state\{.*id=\"/fill/c7\",image=\"\",name=\"\"\} -1 [0-9]+$' '$T/ids.metrics'"
expect "none for docker's dweb and dside, whose health check state the store does not have" \
    sh -c "grep -q 'name=\"dweb\"' '$T/ids.metrics' && ! grep -qE '^container_health_state\{.*name=\"d(web|side)\"' '$T/ids.metrics'"

# ---- a live pipeline on the v2 fixture tree ----
start_pipeline "$T/v2" --root "$FIX/v2tree"
# the first statfs of the root's filesystems may come after the samples
wait_for 10 sh -c "'$BIN/cadvctl' --store '$T/v2' fs 2>/dev/null | grep -q /"
scrape "$T/v2" "$T/v2.metrics"
stop_pipeline
LIVE="$FILL container_cpu_cfs_periods_total
container_cpu_cfs_throttled_periods_total
container_cpu_cfs_throttled_seconds_total container_cpu_cfs_burst_periods_total
container_cpu_cfs_burst_seconds_total container_fs_inodes_free
container_fs_inodes_total container_fs_limit_bytes container_fs_usage_bytes
container_spec_cpu_period container_spec_cpu_quota container_spec_cpu_shares
container_spec_memory_swap_limit_bytes
container_spec_memory_reservation_limit_bytes cadvisor_version_info
machine_cpu_physical_cores machine_cpu_cores machine_cpu_sockets
machine_cpu_books machine_cpu_drawers machine_memory_bytes machine_swap_bytes
machine_nvm_capacity machine_nvm_avg_power_budget_watts
container_fs_io_cost_usage_seconds_total container_fs_io_cost_wait_seconds_total
container_fs_io_cost_indebt_seconds_total container_fs_io_cost_indelay_seconds_total
container_fs_sector_reads_total container_fs_reads_merged_total
container_fs_read_seconds_total container_fs_sector_writes_total
container_fs_writes_merged_total container_fs_write_seconds_total
container_fs_io_current container_fs_io_time_seconds_total
container_fs_io_time_weighted_seconds_total"
# no network namespace in the fixture tree, no failcnt or kernel on v2;
# no cgroup.threads there (tests/integration/tasks.sh writes one)
LIVE=$(echo "$LIVE" | tr ' ' '\n' | grep -v -e '^container_network_' \
    -e '^container_memory_failcnt$' -e '^container_memory_kernel_usage$' \
    -e '^container_cpu_load' -e '^container_tasks_state$')
expect "v2 fixture pipeline: cAdvisor's families, types, help texts and labels" \
    families "$T/v2.metrics" v2 "$LIVE"
expect "v2 fixture pipeline: container_scrape_error 0, machine_scrape_error 0" \
    sh -c "grep -qx 'container_scrape_error 0' '$T/v2.metrics' && grep -qx 'machine_scrape_error 0' '$T/v2.metrics'"
expect "v2: memory.events' high and max of /kube" \
    sh -c "grep -q '^container_memory_events_high_total{id=\"/kube\",[^}]*} 4 ' '$T/v2.metrics' && grep -q '^container_memory_events_max_total{id=\"/kube\",[^}]*} 3 ' '$T/v2.metrics'"
expect "v2: pgscan 300, pgsteal 250, refaults anon 11 and file 17 of /kube" \
    sh -c "grep -q '^container_memory_pgscan_total{id=\"/kube\",[^}]*} 300 ' '$T/v2.metrics' && grep -q '^container_memory_pgsteal_total{id=\"/kube\",[^}]*} 250 ' '$T/v2.metrics' && grep -q '^container_memory_workingset_refault_anon_total{id=\"/kube\",[^}]*} 11 ' '$T/v2.metrics' && grep -q '^container_memory_workingset_refault_file_total{id=\"/kube\",[^}]*} 17 ' '$T/v2.metrics'"
expect "v2: 5 burst periods, 2.5 ms of burst of /kube (quota set)" \
    sh -c "grep -q '^container_cpu_cfs_burst_periods_total{id=\"/kube\",[^}]*} 5 ' '$T/v2.metrics' && grep -qE '^container_cpu_cfs_burst_seconds_total\{id=\"/kube\",[^}]*\} 0.0025(0*[0-9])? ' '$T/v2.metrics'"
expect "v2: io cost of /kube's 8:16, 7 us of usage and zeros, in seconds" \
    sh -c "grep -qE '^container_fs_io_cost_usage_seconds_total\{device=\"\",id=\"/kube\",[^}]*\} 7e-0?6 ' '$T/v2.metrics' && grep -qE '^container_fs_io_cost_indelay_seconds_total\{device=\"\",id=\"/kube\",[^}]*\} 0 ' '$T/v2.metrics'"
expect "v2: blkio operations Read, Write and Discard (dbytes) for 254:0, no Sync" \
    sh -c "grep -q '^container_blkio_device_usage_total{[^}]*major=\"254\",minor=\"0\",operation=\"Discard\",id=\"/kube\",[^}]*} 0 ' '$T/v2.metrics' && ! grep -q 'operation=\"Sync\"' '$T/v2.metrics'"
expect "v2: no burst families for /kube/pod 1 (no quota), as cAdvisor" \
    sh -c "! grep -q '^container_cpu_cfs_burst_periods_total{id=\"/kube/pod 1\"' '$T/v2.metrics'"
expect "v2: start and creation times in whole seconds" \
    sh -c "grep -E '^container_(start|creation)_time_seconds\{' '$T/v2.metrics' | grep -qvE '\} [0-9]+$' && exit 1; grep -qE '^container_start_time_seconds\{' '$T/v2.metrics'"
if command -v promtool >/dev/null 2>&1; then
	expect "v2 fixture pipeline: promtool says nothing but cAdvisor's complaints" \
	    promcheck "$T/v2.metrics"
fi

# ---- a machine document with EDAC's memory modules (machine.c reads them
# from /sys/devices/system/edac: check_machine; none on this machine) ----
if have_pylmdb; then
	"$TBIN/storefill" --store "$T/dimm" --containers 2 --samples 2 >/dev/null
	"$PY" -c '
import json, lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=12)
m = {"num_cores": 2, "memory_capacity": 1 << 30, "machine_id": "m",
     "boot_id": "b", "system_uuid": "u", "filesystems": [],
     "memory_by_type": {"Registered-DDR4": {"capacity": 64 << 30, "dimm_count": 3},
                        "Unbuffered-DDR4": {"capacity": 8 << 30, "dimm_count": 1}}}
with env.begin(write=True) as txn:
    txn.put(b"machine", json.dumps(m).encode(), db=env.open_db(b"meta", txn=txn))' "$T/dimm"
	scrape "$T/dimm" "$T/dimm.metrics"
	expect "memory_by_type: cAdvisor's dimm families, types, help texts and labels" \
	    families "$T/dimm.metrics" dimm "$FILL machine_dimm_count machine_dimm_capacity_bytes"
	expect "a series per memory type: 3 registered modules of 64 GiB in all, 1 unbuffered of 8 GiB" \
	    sh -c "grep -qE '^machine_dimm_count\{[^}]*,type=\"Registered-DDR4\"\} 3 [0-9]+\$' '$T/dimm.metrics' && grep -qE '^machine_dimm_capacity_bytes\{[^}]*,type=\"Registered-DDR4\"\} 68719476736 [0-9]+\$' '$T/dimm.metrics' && grep -qE '^machine_dimm_count\{[^}]*,type=\"Unbuffered-DDR4\"\} 1 ' '$T/dimm.metrics' && grep -qE '^machine_dimm_capacity_bytes\{[^}]*,type=\"Unbuffered-DDR4\"\} 8589934592 ' '$T/dimm.metrics'"
	expect "no dimm families without modules (the live pipeline's document)" \
	    sh -c "! grep -q '^# HELP machine_dimm' '$T/v2.metrics'"
	if command -v promtool >/dev/null 2>&1; then
		expect "memory_by_type: promtool says nothing but cAdvisor's complaints" \
		    promcheck "$T/dimm.metrics"
	fi
else
	skip "machine_dimm_* from a machine document" "python3-lmdb not installed (make deps)"
fi
