/*
 * cAdvisor's JSON types from the store's records (cadvjson.h).  Field
 * names, JSON types and units are those of google/cadvisor's info/v1 and
 * info/v2 Go types as encoding/json writes them: a struct-typed field is
 * always written (omitempty leaves out only empty scalars, slices, maps
 * and nil pointers), so cpu.schedstat, network.tcp and the like are there,
 * zero, where cAdvisor reads nothing too.
 *
 * Units that differ from cadv's own document: PSI averages are percent as
 * floats (cadv stores ppm of a percent: percent x 10000), PSI totals are
 * microseconds (cadv stores ns); an unlimited CPU quota is left out (cgroup
 * v2 "max", v1 -1), unlimited memory and pids limits are 2^64-1 (cAdvisor
 * reads "max" as math.MaxUint64).
 */
#include <stdio.h>
#include <string.h>

#include "cadvjson.h"
#include "clock.h"
#include "jsonfmt.h"

static const char *const tcp_keys[] = {
	"Established", "SynSent", "SynRecv", "FinWait1", "FinWait2",
	"TimeWait", "Close", "CloseWait", "LastAck", "Listen", "Closing",
};
static const char *const udp_keys[] = {
	"Listen", "Dropped", "RxQueued", "TxQueued",
};
/* v1.TcpAdvancedStat: /proc/net/netstat and snmp counters cAdvisor reads
 * only with its advtcp metrics on; zero otherwise */
static const char *const tcp_adv_keys[] = {
	"RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens",
	"PassiveOpens", "AttemptFails", "EstabResets", "CurrEstab", "InSegs",
	"OutSegs", "RetransSegs", "InErrs", "OutRsts", "InCsumErrors",
	"EmbryonicRsts", "SyncookiesSent", "SyncookiesRecv",
	"SyncookiesFailed", "PruneCalled", "RcvPruned", "OfoPruned",
	"OutOfWindowIcmps", "LockDroppedIcmps", "TW", "TWRecycled",
	"TWKilled", "TCPTimeWaitOverflow", "TCPTimeouts", "TCPSpuriousRTOs",
	"TCPLossProbes", "TCPLossProbeRecovery", "TCPRenoRecoveryFail",
	"TCPSackRecoveryFail", "TCPRenoFailures", "TCPSackFailures",
	"TCPLossFailures", "DelayedACKs", "DelayedACKLocked",
	"DelayedACKLost", "ListenOverflows", "ListenDrops", "TCPHPHits",
	"TCPPureAcks", "TCPHPAcks", "TCPRenoRecovery", "TCPSackRecovery",
	"TCPSACKReneging", "TCPFACKReorder", "TCPSACKReorder",
	"TCPRenoReorder", "TCPTSReorder", "TCPFullUndo", "TCPPartialUndo",
	"TCPDSACKUndo", "TCPLossUndo", "TCPFastRetrans",
	"TCPSlowStartRetrans", "TCPLostRetransmit", "TCPRetransFail",
	"TCPRcvCollapsed", "TCPDSACKOldSent", "TCPDSACKOfoSent",
	"TCPDSACKRecv", "TCPDSACKOfoRecv", "TCPAbortOnData",
	"TCPAbortOnClose", "TCPAbortOnMemory", "TCPAbortOnTimeout",
	"TCPAbortOnLinger", "TCPAbortFailed", "TCPMemoryPressures",
	"TCPMemoryPressuresChrono", "TCPSACKDiscard", "TCPDSACKIgnoredOld",
	"TCPDSACKIgnoredNoUndo", "TCPMD5NotFound", "TCPMD5Unexpected",
	"TCPMD5Failure", "TCPSackShifted", "TCPSackMerged",
	"TCPSackShiftFallback", "TCPBacklogDrop", "PFMemallocDrop",
	"TCPMinTTLDrop", "TCPDeferAcceptDrop", "IPReversePathFilter",
	"TCPReqQFullDoCookies", "TCPReqQFullDrop", "TCPFastOpenActive",
	"TCPFastOpenActiveFail", "TCPFastOpenPassive",
	"TCPFastOpenPassiveFail", "TCPFastOpenListenOverflow",
	"TCPFastOpenCookieReqd", "TCPSynRetrans", "TCPOrigDataSent",
	"PAWSActive", "PAWSEstab",
};
static const char *const load_keys[] = {
	"nr_sleeping", "nr_running", "nr_stopped", "nr_uninterruptible",
	"nr_io_wait",
};
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct json_object *
zeros(const char *const *keys, size_t n)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_object_add(o, keys[i], json_object_new_uint64(0));
	return o;
}

/* v1.LoadStats from the task states collectord read (collectord/tasks.c),
 * 0 where it read none; nr_io_wait always 0: /proc shows no iowait */
static struct json_object *
load_stats(const struct cadv_sample *s)
{
	static const int f[] = { CADV_SF_TASKS_SLEEPING, CADV_SF_TASKS_RUNNING,
	    CADV_SF_TASKS_STOPPED, CADV_SF_TASKS_UNINTERRUPTIBLE, -1 };
	struct json_object *o = json_object_new_object();
	size_t i;

	_Static_assert(sizeof(f) / sizeof(f[0]) ==
	    sizeof(load_keys) / sizeof(load_keys[0]), "load_keys and f");
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		json_object_object_add(o, load_keys[i], json_object_new_uint64(
		    f[i] >= 0 && cadv_sample_has(s, (enum cadv_sample_field)f[i]) ?
		    s->v[f[i]] : 0));
	return o;
}

/* parent.key, made an empty object when absent or not an object */
static struct json_object *
child(struct json_object *parent, const char *key)
{
	struct json_object *o;

	if (json_object_object_get_ex(parent, key, &o) &&
	    json_object_is_type(o, json_type_object))
		return o;
	o = json_object_new_object();
	json_object_object_add(parent, key, o);
	return o;
}

/* parent.key = v where cadv has the field, else 0 (cAdvisor's zero) */
static void
u64_or_zero(struct json_object *parent, const char *key,
    const struct cadv_sample *s, int f)
{
	json_object_object_add(parent, key, json_object_new_uint64(
	    f >= 0 && cadv_sample_has(s, (enum cadv_sample_field)f) ? s->v[f] : 0));
}

static void
ensure_u64(struct json_object *parent, const char *key)
{
	if (!json_object_object_get_ex(parent, key, NULL))
		json_object_object_add(parent, key, json_object_new_uint64(0));
}

/* ppm of a percent as the percent Go writes for the float64: the
 * shortest form ("12.34", "0.2", "3"), exact as the kernel printed it */
static struct json_object *
percent(uint64_t ppm)
{
	char buf[48];
	int n;

	n = snprintf(buf, sizeof(buf), "%llu.%04llu",
	    (unsigned long long)(ppm / 10000), (unsigned long long)(ppm % 10000));
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return json_object_new_double_s((double)ppm / 10000.0, buf);
}

/* v1.PSIStats {full, some} of {total (us), avg10, avg60, avg300 (%)}
 * from the eight fields at some_avg10: some avg10/60/300/total, then
 * full likewise (schema.h) */
static struct json_object *
psi(const struct cadv_sample *s, enum cadv_sample_field some_avg10)
{
	static const char *const names[] = { "some", "full" };
	static const char *const avgs[] = { "avg10", "avg60", "avg300" };
	struct json_object *o = json_object_new_object(), *d;
	size_t k, i;
	int f;

	for (k = 0; k < 2; k++) {
		d = json_object_new_object();
		f = (int)some_avg10 + 4 * (int)k;
		json_object_object_add(d, "total", json_object_new_uint64(
		    cadv_sample_has(s, (enum cadv_sample_field)(f + 3)) ?
		    s->v[f + 3] / 1000 : 0));
		for (i = 0; i < 3; i++)
			json_object_object_add(d, avgs[i], percent(cadv_sample_has(s,
			    (enum cadv_sample_field)(f + (int)i)) ? s->v[f + (int)i] :
			    0));
		json_object_object_add(o, names[k], d);
	}
	return o;
}

void
cj_has_of(const struct cadv_container *c, const struct cadv_sample *s,
    struct cj_has *h)
{
	memset(h, 0, sizeof(*h));
	h->cpu = cadv_spec_has(c, CADV_SP_CPU_SHARES) || cadv_spec_has(c, CADV_SP_CPU_PERIOD) ||
	    (s != NULL && (cadv_sample_has(s, CADV_SF_CPU_TOTAL) ||
	    cadv_sample_has(s, CADV_SF_CPU_USER)));
	h->memory = cadv_spec_has(c, CADV_SP_MEM_LIMIT) ||
	    (s != NULL && cadv_sample_has(s, CADV_SF_MEM_USAGE));
	h->network = s != NULL && s->nnet > 0;
	/* cAdvisor's raw handler has filesystems for the root only */
	h->filesystem = c->name_len == 1 && c->name[0] == '/';
	h->diskio = s != NULL && (s->nblk > 0 ||
	    cadv_sample_has(s, CADV_SF_IO_READ_BYTES));
	h->processes = cadv_spec_has(c, CADV_SP_PIDS_LIMIT) || (s != NULL &&
	    (cadv_sample_has(s, CADV_SF_PROCESSES) || cadv_sample_has(s, CADV_SF_PIDS_CURRENT)));
	if (cadv_spec_has(c, CADV_SP_PIDS_LIMIT) &&
	    c->spec[CADV_SP_PIDS_LIMIT] != CADV_UNLIMITED)
		h->threads_max = c->spec[CADV_SP_PIDS_LIMIT];
}

struct json_object *
cj_spec(const struct cadv_container *c, const struct cj_has *h)
{
	struct json_object *o = json_object_new_object(), *cpu, *mem, *pr;
	uint64_t v;

	json_object_object_add(o, "creation_time", jsonfmt_time(c->created_ns));
	json_object_object_add(o, "has_cpu", json_object_new_boolean(h->cpu));
	cpu = json_object_new_object();
	json_object_object_add(cpu, "limit", json_object_new_uint64(
	    cadv_spec_has(c, CADV_SP_CPU_SHARES) ? c->spec[CADV_SP_CPU_SHARES] : 0));
	json_object_object_add(cpu, "max_limit", json_object_new_uint64(0));
	if (c->mask_len > 0)
		json_object_object_add(cpu, "mask", json_object_new_string_len(
		    c->cpu_mask, (int)c->mask_len));
	if (cadv_spec_has(c, CADV_SP_CPU_QUOTA) && (v = c->spec[CADV_SP_CPU_QUOTA]) != 0 &&
	    v != CADV_UNLIMITED)
		json_object_object_add(cpu, "quota", json_object_new_uint64(v));
	if (cadv_spec_has(c, CADV_SP_CPU_PERIOD) && c->spec[CADV_SP_CPU_PERIOD] != 0)
		json_object_object_add(cpu, "period",
		    json_object_new_uint64(c->spec[CADV_SP_CPU_PERIOD]));
	json_object_object_add(o, "cpu", cpu);
	json_object_object_add(o, "has_memory",
	    json_object_new_boolean(h->memory));
	mem = json_object_new_object();
	/* omitempty: 0 is left out; unlimited stays 2^64-1 */
	if (cadv_spec_has(c, CADV_SP_MEM_LIMIT) && c->spec[CADV_SP_MEM_LIMIT] != 0)
		json_object_object_add(mem, "limit",
		    json_object_new_uint64(c->spec[CADV_SP_MEM_LIMIT]));
	if (cadv_spec_has(c, CADV_SP_MEM_RESERVATION) && c->spec[CADV_SP_MEM_RESERVATION] != 0)
		json_object_object_add(mem, "reservation",
		    json_object_new_uint64(c->spec[CADV_SP_MEM_RESERVATION]));
	if (cadv_spec_has(c, CADV_SP_MEM_SWAP_LIMIT) && c->spec[CADV_SP_MEM_SWAP_LIMIT] != 0)
		json_object_object_add(mem, "swap_limit",
		    json_object_new_uint64(c->spec[CADV_SP_MEM_SWAP_LIMIT]));
	json_object_object_add(o, "memory", mem);
	json_object_object_add(o, "has_hugetlb", json_object_new_boolean(0));
	json_object_object_add(o, "has_network",
	    json_object_new_boolean(h->network));
	json_object_object_add(o, "has_processes",
	    json_object_new_boolean(h->processes));
	pr = json_object_new_object();
	if (cadv_spec_has(c, CADV_SP_PIDS_LIMIT) && c->spec[CADV_SP_PIDS_LIMIT] != 0)
		json_object_object_add(pr, "limit",
		    json_object_new_uint64(c->spec[CADV_SP_PIDS_LIMIT]));
	json_object_object_add(o, "processes", pr);
	json_object_object_add(o, "has_filesystem",
	    json_object_new_boolean(h->filesystem));
	json_object_object_add(o, "has_diskio",
	    json_object_new_boolean(h->diskio));
	json_object_object_add(o, "has_custom_metrics",
	    json_object_new_boolean(0));
	return o;
}

static void
add_op(struct json_object *st, const char *op, uint64_t v)
{
	json_object_object_add(st, op, json_object_new_uint64(v));
}

/* v1.PerDiskStats rows of one kind: {device, major, minor, stats}, stats
 * being the kernel's rows: v1's Read, Write, Sync, Async, Discard and
 * Total (Sync + Async), v2's Read and Write (and Discard), Total their
 * sum as cAdvisor has it */
static struct json_object *
per_disk(const struct cadv_sample *s, int ops)
{
	struct json_object *arr = json_object_new_array_ext(s->nblk), *d, *st;
	const struct cadv_blk *b;
	const uint64_t *x;
	enum cadv_diskio_counter sync = ops ? CADV_DX_SYNC_OPS : CADV_DX_SYNC_BYTES,
	    async = ops ? CADV_DX_ASYNC_OPS : CADV_DX_ASYNC_BYTES,
	    discard = ops ? CADV_DX_DISCARD_OPS : CADV_DX_DISCARD_BYTES;
	int has_sync, has_discard;
	size_t i;
	uint64_t r, w;

	for (i = 0; i < s->nblk; i++) {
		b = &s->blk[i];
		x = s->xio[i].v;
		has_sync = cadv_diskio_has(&s->xio[i], sync) &&
		    cadv_diskio_has(&s->xio[i], async);
		has_discard = cadv_diskio_has(&s->xio[i], discard);
		r = ops ? b->read_ops : b->read_bytes;
		w = ops ? b->write_ops : b->write_bytes;
		d = json_object_new_object();
		json_object_object_add(d, "device", json_object_new_string(""));
		json_object_object_add(d, "major",
		    json_object_new_uint64(b->major));
		json_object_object_add(d, "minor",
		    json_object_new_uint64(b->minor));
		st = json_object_new_object();
		add_op(st, "Read", r);
		add_op(st, "Write", w);
		if (has_sync) {
			add_op(st, "Sync", x[sync]);
			add_op(st, "Async", x[async]);
		}
		if (has_discard)
			add_op(st, "Discard", x[discard]);
		add_op(st, "Total", has_sync ? x[sync] + x[async] :
		    r + w + (has_discard ? x[discard] : 0));
		json_object_object_add(d, "stats", st);
		json_object_array_add(arr, d);
	}
	return arr;
}

/* cAdvisor's int64 ulimit, -1 for unlimited */
static struct json_object *
ulimit_value(uint64_t v)
{
	return json_object_new_int64(v == CADV_UNLIMITED ? -1 :
	    v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* v1.ProcessStats: fd_count and socket_count are not omitempty in
 * cAdvisor's type, so they stay 0 where collectord could not count them
 * (/metrics has no series there); threads_max and ulimits are omitempty,
 * left out without a pids limit or a process. */
static void
process_stats(struct json_object *o, const struct cadv_sample *s,
    const struct cj_has *h)
{
	static const char *const procf[] = { "process_count", "fd_count",
	    "socket_count" };
	struct json_object *x = child(o, "processes"), *arr, *u;
	size_t i;

	for (i = 0; i < NELEM(procf); i++)
		ensure_u64(x, procf[i]);
	/* cadv's own path for the limit is an object; cAdvisor's an array */
	json_object_object_del(x, "ulimits");
	if (h->threads_max != 0)
		json_object_object_add(x, "threads_max",
		    json_object_new_uint64(h->threads_max));
	if (!cadv_sample_has(s, CADV_SF_ULIMIT_NOFILE_SOFT) ||
	    !cadv_sample_has(s, CADV_SF_ULIMIT_NOFILE_HARD))
		return;
	u = json_object_new_object();
	json_object_object_add(u, "name",
	    json_object_new_string("max_open_files"));
	json_object_object_add(u, "soft_limit",
	    ulimit_value(s->v[CADV_SF_ULIMIT_NOFILE_SOFT]));
	json_object_object_add(u, "hard_limit",
	    ulimit_value(s->v[CADV_SF_ULIMIT_NOFILE_HARD]));
	arr = json_object_new_array_ext(1);
	json_object_array_add(arr, u);
	json_object_object_add(x, "ulimits", arr);
}

struct json_object *
cj_stats_v1(uint64_t ts, const struct cadv_sample *s, const struct cj_has *h)
{
	struct json_object *o = jsonfmt_sample(ts, s), *cpu, *u, *x, *mem,
	    *net, *io, *d;
	/* bursts: cAdvisor's newer CpuCFS; cadv reads none (zero) */
	static const char *const cfs[] = { "periods", "throttled_periods",
	    "throttled_time", "bursts_periods", "burst_time" };
	static const char *const sched[] = { "run_time", "runqueue_time",
	    "run_periods" };
	static const struct { const char *key; int f; } memf[] = {
		{ "usage", CADV_SF_MEM_USAGE }, { "max_usage", CADV_SF_MEM_MAX_USAGE },
		{ "cache", CADV_SF_MEM_CACHE }, { "rss", CADV_SF_MEM_RSS },
		{ "swap", CADV_SF_MEM_SWAP }, { "mapped_file", CADV_SF_MEM_MAPPED_FILE },
		{ "working_set", CADV_SF_MEM_WORKING_SET },
		{ "failcnt", CADV_SF_MEM_FAILCNT },
		{ "total_active_file", CADV_SF_MEM_ACTIVE_FILE },
		{ "total_inactive_file", CADV_SF_MEM_INACTIVE_FILE },
	};
	size_t i;

	cpu = child(o, "cpu");
	u = child(cpu, "usage");
	ensure_u64(u, "total");
	ensure_u64(u, "user");
	ensure_u64(u, "system");
	x = child(cpu, "cfs");
	for (i = 0; i < NELEM(cfs); i++)
		ensure_u64(x, cfs[i]);
	json_object_object_add(cpu, "schedstat", zeros(sched, NELEM(sched)));
	/* milli-load, cAdvisor's int32 (collectord keeps it in range) */
	ensure_u64(cpu, "load_average");
	ensure_u64(cpu, "load_d_average");
	json_object_object_add(cpu, "psi", psi(s, CADV_SF_PSI_CPU_SOME_AVG10));

	io = child(o, "diskio");
	if (s->nblk > 0) {
		json_object_object_add(io, "io_service_bytes", per_disk(s, 0));
		json_object_object_add(io, "io_serviced", per_disk(s, 1));
	}
	json_object_object_add(io, "psi", psi(s, CADV_SF_PSI_IO_SOME_AVG10));

	mem = child(o, "memory");
	for (i = 0; i < NELEM(memf); i++)
		if (!json_object_object_get_ex(mem, memf[i].key, NULL))
			u64_or_zero(mem, memf[i].key, s, memf[i].f);
	for (i = 0; i < 2; i++) {
		d = json_object_new_object();
		u64_or_zero(d, "pgfault", s, CADV_SF_MEM_PGFAULT);
		u64_or_zero(d, "pgmajfault", s, CADV_SF_MEM_PGMAJFAULT);
		json_object_object_add(d, "numa_stats",
		    json_object_new_object());
		json_object_object_add(mem, i ? "hierarchical_data" :
		    "container_data", d);
	}
	json_object_object_add(mem, "psi", psi(s, CADV_SF_PSI_MEM_SOME_AVG10));

	/* v1.NetworkStats: the first interface's counters inline (as
	 * cAdvisor's handlers copy interfaces[0]), then all of them */
	net = child(o, "network");
	json_object_object_add(net, "name", s->nnet > 0 ? jsonfmt_name(
	    s->net[0].name, strnlen(s->net[0].name, CADV_IFNAME_LEN)) :
	    json_object_new_string(""));
#define NETF(f) json_object_object_add(net, #f, \
	json_object_new_uint64(s->nnet > 0 ? s->net[0].f : 0));
	CADV_NET_COUNTERS(NETF)
#undef NETF
	json_object_object_add(net, "tcp", zeros(tcp_keys, NELEM(tcp_keys)));
	json_object_object_add(net, "tcp6", zeros(tcp_keys, NELEM(tcp_keys)));
	json_object_object_add(net, "udp", zeros(udp_keys, NELEM(udp_keys)));
	json_object_object_add(net, "udp6", zeros(udp_keys, NELEM(udp_keys)));
	json_object_object_add(net, "tcp_advanced",
	    zeros(tcp_adv_keys, NELEM(tcp_adv_keys)));

	json_object_object_add(o, "task_stats", load_stats(s));
	process_stats(o, s, h);
	json_object_object_add(o, "resctrl", json_object_new_object());
	x = json_object_new_object();
	json_object_object_add(x, "memory_migrate", json_object_new_uint64(0));
	json_object_object_add(o, "cpuset", x);
	/* cAdvisor counts the OOMs it saw in the container (omitempty) */
	if (cadv_sample_has(s, CADV_SF_MEM_OOM) && s->v[CADV_SF_MEM_OOM] > 0)
		json_object_object_add(o, "oom_events",
		    json_object_new_uint64(s->v[CADV_SF_MEM_OOM]));
	return o;
}

struct json_object *
cj_stats_v20(uint64_t ts, const struct cadv_sample *s, const struct cj_has *h)
{
	struct json_object *o = cj_stats_v1(ts, s, h);

#define HAS(k, v) json_object_object_add(o, k, json_object_new_boolean(v))
	HAS("has_cpu", h->cpu);
	HAS("has_diskio", h->diskio);
	HAS("has_memory", h->memory);
	HAS("has_hugetlb", 0);
	HAS("has_network", h->network);
	HAS("has_processes", h->processes);
	HAS("has_filesystem", h->filesystem);
	HAS("has_load", cadv_sample_has(s, CADV_SF_TASKS_RUNNING));
	HAS("has_custom_metrics", 0);
#undef HAS
	json_object_object_add(o, "load_stats", load_stats(s));
	return o;
}

struct json_object *
cj_stats_v2(uint64_t ts, const struct cadv_sample *s, const struct cj_has *h)
{
	struct json_object *o = cj_stats_v1(ts, s, h);

	/* pointers in v2.ContainerStats: nil (left out) without the group */
	if (!h->cpu)
		json_object_object_del(o, "cpu");
	if (!h->diskio)
		json_object_object_del(o, "diskio");
	if (!h->memory)
		json_object_object_del(o, "memory");
	if (!h->network)
		json_object_object_del(o, "network");
	if (!h->processes)
		json_object_object_del(o, "processes");
	/* v1 only: v2 has load_stats, nil without task states */
	json_object_object_del(o, "task_stats");
	if (cadv_sample_has(s, CADV_SF_TASKS_RUNNING))
		json_object_object_add(o, "load_stats", load_stats(s));
	return o;
}

void
cj_add_layer(struct json_object *o, int v2, const struct cj_layer *l)
{
	static const char *const io[] = { "reads_completed", "reads_merged",
	    "sectors_read", "read_time", "writes_completed", "writes_merged",
	    "sectors_written", "write_time", "io_in_progress", "io_time",
	    "weighted_io_time" };
	struct json_object *f, *arr;
	size_t i;

	f = json_object_new_object();
	if (v2) {
		/* cAdvisor's JSON names, its misspelling included */
		json_object_object_add(f, "totalUsageBytes",
		    json_object_new_uint64(l->usage));
		json_object_object_add(f, "baseUsageBytes",
		    json_object_new_uint64(l->usage));
		json_object_object_add(f, "containter_inode_usage",
		    json_object_new_uint64(l->inodes));
		json_object_object_add(o, "filesystem", f);
		return;
	}
	json_object_object_add(f, "device", json_object_new_string(l->device));
	json_object_object_add(f, "type", json_object_new_string(l->type));
	json_object_object_add(f, "capacity",
	    json_object_new_uint64(l->capacity));
	json_object_object_add(f, "usage", json_object_new_uint64(l->usage));
	/* the layer is all of the container's: no base image layer apart */
	json_object_object_add(f, "base_usage",
	    json_object_new_uint64(l->usage));
	json_object_object_add(f, "available",
	    json_object_new_uint64(l->available));
	json_object_object_add(f, "has_inodes", json_object_new_boolean(1));
	json_object_object_add(f, "inodes", json_object_new_uint64(l->inodes));
	json_object_object_add(f, "inodes_free", json_object_new_uint64(0));
	for (i = 0; i < NELEM(io); i++)
		json_object_object_add(f, io[i], json_object_new_uint64(0));
	arr = json_object_new_array();
	json_object_array_add(arr, f);
	json_object_object_add(o, "filesystem", arr);
}
