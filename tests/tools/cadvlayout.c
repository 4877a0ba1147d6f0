/* cadvlayout: the size of every public struct of cadv.h and the offset of
 * each of its members, as "struct N" and "struct.member N" lines, for the
 * Python binding's test (tests/python/test_cadv.py), which compares its
 * ctypes mirrors (python/cadv/_ffi.py) with what the compiler made. */
#include <stdio.h>

#include <cadv.h>

#define S(s)		printf("%s %zu\n", #s, sizeof(struct s));
#define M(s, m)		printf("%s.%s %zu\n", #s, #m, offsetof(struct s, m));
#define MS(m)		M(cadv_sample, m)

int
main(void)
{
	S(cadv_blk) M(cadv_blk, major) M(cadv_blk, minor)
	M(cadv_blk, read_bytes) M(cadv_blk, write_ops)
	S(cadv_net) M(cadv_net, name) M(cadv_net, rx_bytes)
	M(cadv_net, tx_dropped)
	S(cadv_diskio) M(cadv_diskio, present) M(cadv_diskio, v)
	S(cadv_sample) MS(present) MS(v) MS(ncpu) MS(nblk) MS(nnet) MS(percpu)
	MS(blk) MS(net) MS(xpresent) MS(xio)
	S(cadv_container) M(cadv_container, id) M(cadv_container, created_ns)
	M(cadv_container, deleted_ns) M(cadv_container, flags)
	M(cadv_container, spec_present) M(cadv_container, spec)
	M(cadv_container, name_len) M(cadv_container, name)
	M(cadv_container, mask_len) M(cadv_container, cpu_mask)
	S(cadv_event) M(cadv_event, seq) M(cadv_event, ts_ns)
	M(cadv_event, type) M(cadv_event, flags) M(cadv_event, pid)
	M(cadv_event, container_len) M(cadv_event, victim_len)
	M(cadv_event, comm_len) M(cadv_event, container)
	M(cadv_event, victim) M(cadv_event, comm)
	S(cadv_fs) M(cadv_fs, capacity) M(cadv_fs, inodes_free)
	S(cadv_disk_stats) M(cadv_disk_stats, minor) M(cadv_disk_stats, v)
	S(cadv_percentiles) M(cadv_percentiles, ninetyfive)
	S(cadv_minute) M(cadv_minute, start_ns) M(cadv_minute, nsamples)
	M(cadv_minute, nrates) M(cadv_minute, percent) M(cadv_minute, flags)
	M(cadv_minute, cpu) M(cadv_minute, memory)
	S(cadv_process) M(cadv_process, written_ns) M(cadv_process, pid)
	M(cadv_process, present) M(cadv_process, v)
	S(cadv_layer) M(cadv_layer, measured_ns) M(cadv_layer, bytes)
	M(cadv_layer, inodes) M(cadv_layer, major) M(cadv_layer, minor)
	M(cadv_layer, walk_ns) M(cadv_layer, flags)
	S(cadv_ident_span) M(cadv_ident_span, len)
	S(cadv_ident_kv) M(cadv_ident_kv, v)
	S(cadv_ident) M(cadv_ident, runtime) M(cadv_ident, flags)
	M(cadv_ident, exit_code) M(cadv_ident, restart_count)
	M(cadv_ident, pid) M(cadv_ident, created_ns) M(cadv_ident, started_ns)
	M(cadv_ident, finished_ns) M(cadv_ident, seen_ns)
	M(cadv_ident, gone_ns) M(cadv_ident, s) M(cadv_ident, nlabels)
	M(cadv_ident, nenv) M(cadv_ident, labels) M(cadv_ident, env)
	M(cadv_ident, used) M(cadv_ident, arena)
	S(cadv_usage) M(cadv_usage, used) M(cadv_usage, readers_used)
	M(cadv_usage, readers_max)
	S(cadv_summary) M(cadv_summary, timestamp_ns)
	M(cadv_summary, latest_cpu) M(cadv_summary, latest_memory)
	M(cadv_summary, minute) M(cadv_summary, hour) M(cadv_summary, day)
	S(cadv_event_request) M(cadv_event_request, start_ns)
	M(cadv_event_request, end_ns) M(cadv_event_request, types)
	M(cadv_event_request, max) M(cadv_event_request, container_len)
	M(cadv_event_request, container) M(cadv_event_request, subcontainers)
	M(cadv_event_request, flags)
	S(cadv_info_request) M(cadv_info_request, num_stats)
	M(cadv_info_request, start_ns) M(cadv_info_request, end_ns)
	S(cadv_info_options) M(cadv_info_options, id_type)
	M(cadv_info_options, count) M(cadv_info_options, recursive)
	S(cadv_info_cbs) M(cadv_info_cbs, container) M(cadv_info_cbs, sample)
	M(cadv_info_cbs, arg)
	S(cadv_fs_info) M(cadv_fs_info, ts_ns) M(cadv_fs_info, device)
	M(cadv_fs_info, mountpoint) M(cadv_fs_info, type)
	M(cadv_fs_info, major) M(cadv_fs_info, minor) M(cadv_fs_info, labels)
	M(cadv_fs_info, has_inodes) M(cadv_fs_info, usage)
	S(cadv_check_counts) M(cadv_check_counts, records)
	M(cadv_check_counts, problems)
	return 0;
}
