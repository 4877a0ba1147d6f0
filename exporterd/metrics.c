/*
 * /metrics: the Prometheus text format (0.0.4) with cAdvisor's families,
 * units, labels and timestamps (its metrics/prometheus.go), from one read
 * transaction.  Every container's newest sample is decoded once; its lines
 * go to one buffer per family, written out behind HELP and TYPE as the
 * client reads.  A line is kept without the family's name and with its
 * container's labels as a reference to the one copy of them, which keeps
 * a scrape's memory at about a third of its text.
 *
 * A container's labels come from its runtime identity (the idents table,
 * read in the same transaction).  Prometheus wants every series of a
 * family to have the same label names, so, as cAdvisor does, every
 * container's series carry every container_label_* and container_env_*
 * name any container has (empty where it has none): the names are only
 * known once every container was read, so each container's values wait in
 * a buffer of their own and its label text is written at the end.
 */
#include <bsd/string.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgname.h"
#include "clock.h"
#include "exporterd.h"
#include "hmap.h"
#include "labels.h"
#include "log.h"
#include "procmetrics.h"
#include "selfstat.h"

enum mtype { COUNTER, GAUGE };

#define FAMILIES(X) \
	X(F_CPU_USAGE, "container_cpu_usage_seconds_total", COUNTER, G_CPU, "Cumulative cpu time consumed in seconds.") \
	X(F_CPU_USER, "container_cpu_user_seconds_total", COUNTER, G_CPU, "Cumulative user cpu time consumed in seconds.") \
	X(F_CPU_SYSTEM, "container_cpu_system_seconds_total", COUNTER, G_CPU, "Cumulative system cpu time consumed in seconds.") \
	X(F_CFS_PERIODS, "container_cpu_cfs_periods_total", COUNTER, G_CPU, "Number of elapsed enforcement period intervals.") \
	X(F_CFS_THR_PERIODS, "container_cpu_cfs_throttled_periods_total", COUNTER, G_CPU, "Number of throttled period intervals.") \
	X(F_CFS_THR_SECONDS, "container_cpu_cfs_throttled_seconds_total", COUNTER, G_CPU, "Total time duration the container has been throttled.") \
	X(F_CFS_BURST_PERIODS, "container_cpu_cfs_burst_periods_total", COUNTER, G_CPU, "Number of periods when burst occurs.") \
	X(F_CFS_BURST_SECONDS, "container_cpu_cfs_burst_seconds_total", COUNTER, G_CPU, "Total time duration the container has been bursted.") \
	X(F_MEM_CACHE, "container_memory_cache", GAUGE, G_MEMORY, "Number of bytes of page cache memory.") \
	X(F_MEM_RSS, "container_memory_rss", GAUGE, G_MEMORY, "Size of RSS in bytes.") \
	X(F_MEM_KERNEL, "container_memory_kernel_usage", GAUGE, G_MEMORY, "Size of kernel memory allocated in bytes.") \
	X(F_MEM_MAPPED, "container_memory_mapped_file", GAUGE, G_MEMORY, "Size of memory mapped files in bytes.") \
	X(F_MEM_SWAP, "container_memory_swap", GAUGE, G_MEMORY, "Container swap usage in bytes.") \
	X(F_MEM_FAILCNT, "container_memory_failcnt", COUNTER, G_MEMORY, "Number of memory usage hits limits") \
	X(F_MEM_USAGE, "container_memory_usage_bytes", GAUGE, G_MEMORY, "Current memory usage in bytes, including all memory regardless of when it was accessed") \
	X(F_MEM_MAX_USAGE, "container_memory_max_usage_bytes", GAUGE, G_MEMORY, "Maximum memory usage recorded in bytes") \
	X(F_MEM_WS, "container_memory_working_set_bytes", GAUGE, G_MEMORY, "Current working set in bytes.") \
	X(F_MEM_ACTIVE_FILE, "container_memory_total_active_file_bytes", GAUGE, G_MEMORY, "Current total active file in bytes.") \
	X(F_MEM_INACTIVE_FILE, "container_memory_total_inactive_file_bytes", GAUGE, G_MEMORY, "Current total inactive file in bytes.") \
	X(F_MEM_DIRTY, "container_memory_file_dirty_bytes", GAUGE, G_MEMORY, "Number of bytes of file cache that has been modified but not yet written back to disk.") \
	X(F_MEM_WRITEBACK, "container_memory_file_writeback_bytes", GAUGE, G_MEMORY, "Number of bytes of file cache that is currently being written back to disk.") \
	X(F_MEM_FAILURES, "container_memory_failures_total", COUNTER, G_MEMORY, "Cumulative count of memory allocation failures.") \
	X(F_MEM_EVENTS_HIGH, "container_memory_events_high_total", COUNTER, G_MEMORY, "Cumulative count of memory.high throttle events for the container") \
	X(F_MEM_EVENTS_MAX, "container_memory_events_max_total", COUNTER, G_MEMORY, "Cumulative count of memory.max limit hit events for the container") \
	X(F_MEM_PGSCAN, "container_memory_pgscan_total", COUNTER, G_MEMORY, "Cumulative number of pages scanned by the page reclaim algorithm.") \
	X(F_MEM_PGSTEAL, "container_memory_pgsteal_total", COUNTER, G_MEMORY, "Cumulative number of pages reclaimed by the page reclaim algorithm.") \
	X(F_MEM_WS_REFAULT_FILE, "container_memory_workingset_refault_file_total", COUNTER, G_MEMORY, "Cumulative number of refaults of previously evicted file pages.") \
	X(F_MEM_WS_REFAULT_ANON, "container_memory_workingset_refault_anon_total", COUNTER, G_MEMORY, "Cumulative number of refaults of previously evicted anonymous pages.") \
	X(F_OOM, "container_oom_events_total", COUNTER, G_OOM, "Count of out of memory events observed for the container") \
	X(F_BLKIO, "container_blkio_device_usage_total", COUNTER, G_DISKIO, "Blkio Device bytes usage") \
	X(F_IOCOST_USAGE, "container_fs_io_cost_usage_seconds_total", COUNTER, G_DISKIO, "Cumulative IOCost usage in seconds") \
	X(F_IOCOST_WAIT, "container_fs_io_cost_wait_seconds_total", COUNTER, G_DISKIO, "Cumulative IOCost wait in seconds") \
	X(F_IOCOST_INDEBT, "container_fs_io_cost_indebt_seconds_total", COUNTER, G_DISKIO, "Cumulative IOCost debt in seconds") \
	X(F_IOCOST_INDELAY, "container_fs_io_cost_indelay_seconds_total", COUNTER, G_DISKIO, "Cumulative IOCost delay in seconds") \
	X(F_FS_READ_BYTES, "container_fs_reads_bytes_total", COUNTER, G_DISKIO, "Cumulative count of bytes read") \
	X(F_FS_READS, "container_fs_reads_total", COUNTER, G_DISKIO, "Cumulative count of reads completed") \
	X(F_FS_WRITE_BYTES, "container_fs_writes_bytes_total", COUNTER, G_DISKIO, "Cumulative count of bytes written") \
	X(F_FS_WRITES, "container_fs_writes_total", COUNTER, G_DISKIO, "Cumulative count of writes completed") \
	X(F_FS_INODES_FREE, "container_fs_inodes_free", GAUGE, G_DISK, "Number of available Inodes") \
	X(F_FS_INODES_TOTAL, "container_fs_inodes_total", GAUGE, G_DISK, "Number of Inodes") \
	X(F_FS_LIMIT, "container_fs_limit_bytes", GAUGE, G_DISK, "Number of bytes that can be consumed by the container on this filesystem.") \
	X(F_FS_USAGE, "container_fs_usage_bytes", GAUGE, G_DISK, "Number of bytes that are consumed by the container on this filesystem.") \
	X(F_NET_RX_BYTES, "container_network_receive_bytes_total", COUNTER, G_NETWORK, "Cumulative count of bytes received") \
	X(F_NET_RX_PACKETS, "container_network_receive_packets_total", COUNTER, G_NETWORK, "Cumulative count of packets received") \
	X(F_NET_RX_DROPPED, "container_network_receive_packets_dropped_total", COUNTER, G_NETWORK, "Cumulative count of packets dropped while receiving") \
	X(F_NET_RX_ERRORS, "container_network_receive_errors_total", COUNTER, G_NETWORK, "Cumulative count of errors encountered while receiving") \
	X(F_NET_TX_BYTES, "container_network_transmit_bytes_total", COUNTER, G_NETWORK, "Cumulative count of bytes transmitted") \
	X(F_NET_TX_PACKETS, "container_network_transmit_packets_total", COUNTER, G_NETWORK, "Cumulative count of packets transmitted") \
	X(F_NET_TX_DROPPED, "container_network_transmit_packets_dropped_total", COUNTER, G_NETWORK, "Cumulative count of packets dropped while transmitting") \
	X(F_NET_TX_ERRORS, "container_network_transmit_errors_total", COUNTER, G_NETWORK, "Cumulative count of errors encountered while transmitting") \
	X(F_PROCESSES, "container_processes", GAUGE, G_PROCESS, "Number of processes running inside the container.") \
	X(F_THREADS, "container_threads", GAUGE, G_PROCESS, "Number of threads running inside the container") \
	X(F_PSI_CPU_WAIT, "container_pressure_cpu_waiting_seconds_total", COUNTER, G_PRESSURE, "Total time duration tasks in the container have waited due to CPU congestion.") \
	X(F_PSI_CPU_STALL, "container_pressure_cpu_stalled_seconds_total", COUNTER, G_PRESSURE, "Total time duration no tasks in the container could make progress due to CPU congestion.") \
	X(F_PSI_MEM_WAIT, "container_pressure_memory_waiting_seconds_total", COUNTER, G_PRESSURE, "Total time duration tasks in the container have waited due to memory congestion.") \
	X(F_PSI_MEM_STALL, "container_pressure_memory_stalled_seconds_total", COUNTER, G_PRESSURE, "Total time duration no tasks in the container could make progress due to memory congestion.") \
	X(F_PSI_IO_WAIT, "container_pressure_io_waiting_seconds_total", COUNTER, G_PRESSURE, "Total time duration tasks in the container have waited due to IO congestion.") \
	X(F_PSI_IO_STALL, "container_pressure_io_stalled_seconds_total", COUNTER, G_PRESSURE, "Total time duration no tasks in the container could make progress due to IO congestion.") \
	X(F_SPEC_MEM_LIMIT, "container_spec_memory_limit_bytes", GAUGE, G_ALWAYS, "Memory limit for the container.") \
	X(F_SPEC_MEM_SWAP, "container_spec_memory_swap_limit_bytes", GAUGE, G_ALWAYS, "Memory swap limit for the container.") \
	X(F_SPEC_MEM_RES, "container_spec_memory_reservation_limit_bytes", GAUGE, G_ALWAYS, "Memory reservation limit for the container.") \
	X(F_SPEC_CPU_SHARES, "container_spec_cpu_shares", GAUGE, G_ALWAYS, "CPU share of the container.") \
	X(F_SPEC_CPU_QUOTA, "container_spec_cpu_quota", GAUGE, G_ALWAYS, "CPU quota of the container.") \
	X(F_SPEC_CPU_PERIOD, "container_spec_cpu_period", GAUGE, G_ALWAYS, "CPU period of the container.") \
	X(F_CREATION_TIME, "container_creation_time_seconds", GAUGE, G_ALWAYS, "Container creation time since unix epoch in seconds.") \
	X(F_START_TIME, "container_start_time_seconds", GAUGE, G_ALWAYS, "Start time of the container since unix epoch in seconds.") \
	X(F_LAST_SEEN, "container_last_seen", GAUGE, G_ALWAYS, "Last time a container was seen by the exporter") \
	X(F_HEALTH, "container_health_state", GAUGE, G_ALWAYS, "The result of the container's health check") \
	X(F_CADV_SCRAPE_ERROR, "cadv_container_scrape_error", GAUGE, G_ALWAYS, "1 for a container whose stats could not be read whole (container_scrape_error says it for the scrape); none for the others") \
	X(F_FS_SECTOR_READS, "container_fs_sector_reads_total", COUNTER, G_DISKIO, "Cumulative count of sector reads completed") \
	X(F_FS_READS_MERGED, "container_fs_reads_merged_total", COUNTER, G_DISKIO, "Cumulative count of reads merged") \
	X(F_FS_READ_SECONDS, "container_fs_read_seconds_total", COUNTER, G_DISKIO, "Cumulative count of seconds spent reading") \
	X(F_FS_SECTOR_WRITES, "container_fs_sector_writes_total", COUNTER, G_DISKIO, "Cumulative count of sector writes completed") \
	X(F_FS_WRITES_MERGED, "container_fs_writes_merged_total", COUNTER, G_DISKIO, "Cumulative count of writes merged") \
	X(F_FS_WRITE_SECONDS, "container_fs_write_seconds_total", COUNTER, G_DISKIO, "Cumulative count of seconds spent writing") \
	X(F_FS_IO_CURRENT, "container_fs_io_current", GAUGE, G_DISKIO, "Number of I/Os currently in progress") \
	X(F_FS_IO_TIME, "container_fs_io_time_seconds_total", COUNTER, G_DISKIO, "Cumulative count of seconds spent doing I/Os") \
	X(F_FS_IO_TIME_WEIGHTED, "container_fs_io_time_weighted_seconds_total", COUNTER, G_DISKIO, "Cumulative weighted I/O time in seconds") \
	X(F_LOAD_AVG, "container_cpu_load_average_10s", GAUGE, G_CPULOAD, "Value of container cpu load average over the last 10 seconds.") \
	X(F_LOAD_D_AVG, "container_cpu_load_d_average_10s", GAUGE, G_CPULOAD, "Value of container cpu load.d average over the last 10 seconds.") \
	X(F_TASKS_STATE, "container_tasks_state", GAUGE, G_CPULOAD, "Number of tasks in given state") \
	X(F_FDS, "container_file_descriptors", GAUGE, G_PROCESS, "Number of open file descriptors for the container.") \
	X(F_SOCKETS, "container_sockets", GAUGE, G_PROCESS, "Number of open sockets for the container.") \
	X(F_THREADS_MAX, "container_threads_max", GAUGE, G_PROCESS, "Maximum number of threads allowed inside the container, infinity if value is zero") \
	X(F_ULIMITS_SOFT, "container_ulimits_soft", GAUGE, G_PROCESS, "Soft ulimit values for the container root process. Unlimited if -1, except priority and nice")

#define X_ENUM(e, n, t, g, h) e,
enum family { FAMILIES(X_ENUM) F_COUNT };
#undef X_ENUM

struct family_desc {
	const char	*name;
	enum mtype	 type;
	unsigned	 group;
	const char	*help;
};

#define X_DESC(e, n, t, g, h) [e] = { n, t, g, h },
static const struct family_desc families[F_COUNT] = { FAMILIES(X_DESC) };
#undef X_DESC

const char *const metric_group_names[G_NGROUPS] = {
	[G_CPU_BIT] = "cpu", [G_PERCPU_BIT] = "percpu",
	[G_MEMORY_BIT] = "memory", [G_DISKIO_BIT] = "diskIO",
	[G_NETWORK_BIT] = "network", [G_PROCESS_BIT] = "process",
	[G_OOM_BIT] = "oom_event", [G_PRESSURE_BIT] = "pressure",
	[G_DISK_BIT] = "disk",
	[G_CPULOAD_BIT] = "cpuLoad",
};

/* A line as kept: its container (an index in scrape.conts), the extra
 * labels and the value text follow it. */
struct rec {
	uint32_t	 ci;
	uint16_t	 elen, vlen;
};

/* A container of the scrape: its label values as read (poff, plen in
 * scrape.pend: the base values, then (raw name, value) pairs, each a u32
 * length and its bytes, values already escaped), then its label text
 * (loff, llen in scrape.labelbuf), and how many lines use it. */
struct cont {
	size_t		 poff, plen;
	uint32_t	 loff, llen;
	uint64_t	 nlines;
};

/* A label name some container has, under its raw name (prefix and the
 * runtime's key); idx is its place among the names written, -1 when
 * another raw name that sanitises the same took it. */
struct lkey {
	long		 idx;
	size_t		 len, slen;
	char		*san;		/* sanitised, NUL-terminated */
	char		 raw[];
};

#define NBASE_MAX	6	/* kubelet: container id image name namespace pod */
#define RAW_KEY_MAX	(32 + CADV_IDENT_KEY_MAX)

struct scrape {
	struct source		 src;		/* first: the answer's source */
	struct exporter		*ex;
	enum label_mode		 mode;		/* this scrape's base labels */
	struct cadv_txn		*txn;
	struct buf		 fam[F_COUNT];
	struct buf		 head;		/* version and machine */
	struct buf		 labelbuf;	/* every container's labels */
	struct buf		 pend;		/* their values, until the end */
	struct cont		*conts;
	size_t			 nconts, capconts;
	uint32_t		 ci;		/* the current container */
	struct hmap		 keys;		/* raw label name -> lkey */
	struct lkey		**names;	/* those written, in order */
	size_t			 nnames;
	struct cadv_ident		*id;		/* scratch */
	int			 ident_err;	/* a bad identity record */
	uint64_t		 size;		/* of the whole text */
	size_t			 f, off;	/* writing: family, its record */
	int			 f_open;	/* its HELP and TYPE written */
	struct hmap		 ooms;		/* name -> count of oom_kill events */
	struct json_object	*disks;		/* machine disk_map, or NULL */
	struct json_object	*fss;		/* machine filesystems, or NULL */
	double			 mem_capacity;	/* the machine's, 0: unknown */
	int			 scrape_err;	/* container_scrape_error */
	char			 esc[LABEL_VALUE_MAX(CADV_IDENT_STR_MAX)];
	uint64_t		 now_ns;
	struct cadv_sample		 s;
	/* the other daemons' process figures, fresh ones only */
	struct cadv_process	 procs[PROC_DAEMONS];
	int			 err;
	size_t			 walked;	/* records, for trim_store_pages */
	int			 have_ident;	/* id is the current container's */
};

struct oom_count {
	uint64_t n;
	size_t	len;
	char	name[];
};

static int
on(const struct scrape *sc, enum family f)
{
	return (families[f].group & sc->ex->disabled) == 0;
}

/* One sample line: NAME{EXTRA,LABELS} VALUE [TS], its container's
 * LABELS counted in at the end (labels_done) */
static void
line(struct scrape *sc, enum family f, const char *extra, double v,
    uint64_t ts_ns)
{
	struct buf *b = &sc->fam[f];
	struct rec r = { sc->ci, 0, 0 };
	char val[64];
	int n;

	n = fmt_value(val, sizeof(val), v);
	if (ts_ns)
		n += snprintf(val + n, sizeof(val) - (size_t)n, " %llu",
		    (unsigned long long)(ts_ns / 1000000));
	r.elen = extra ? (uint16_t)strlen(extra) : 0;
	r.vlen = (uint16_t)n;
	buf_add(b, &r, sizeof(r));
	if (r.elen)
		buf_add(b, extra, r.elen);
	buf_add(b, val, r.vlen);
	sc->size += strlen(families[f].name) + 1 + r.elen + (r.elen ? 1 : 0) +
	    2 + r.vlen + 1;
	sc->conts[sc->ci].nlines++;
}

static void
scalar(struct scrape *sc, enum family f, enum cadv_sample_field sf, double scale,
    uint64_t ts)
{
	if (on(sc, f) && cadv_sample_has(&sc->s, sf))
		line(sc, f, NULL, (double)sc->s.v[sf] * scale, ts);
}

/* cAdvisor prints 0 for spec values past 2^62 (unlimited) */
static double
spec_value(uint64_t v)
{
	return v > (1ULL << 62) ? 0 : (double)v;
}

static const char *
device_name(struct scrape *sc, uint32_t maj, uint32_t min, char *out,
    size_t outsz)
{
	struct json_object *d, *n;
	char key[32];

	out[0] = '\0';
	snprintf(key, sizeof(key), "%u:%u", maj, min);
	if (sc->disks != NULL && json_object_object_get_ex(sc->disks, key, &d) &&
	    json_object_object_get_ex(d, "name", &n))
		snprintf(out, outsz, "/dev/%s", json_object_get_string(n));
	return out;
}

static void
cpu(struct scrape *sc, const struct cadv_container *c, uint64_t ts)
{
	const struct cadv_sample *s = &sc->s;
	char extra[32];
	uint16_t i;
	int limited;

	if (on(sc, F_CPU_USAGE)) {
		if (s->ncpu > 0 && !(sc->ex->disabled & G_PERCPU)) {
			for (i = 0; i < s->ncpu; i++) {
				if (s->percpu[i] == 0)
					continue;
				snprintf(extra, sizeof(extra), "cpu=\"cpu%02u\"", i);
				line(sc, F_CPU_USAGE, extra,
				    (double)s->percpu[i] / 1e9, ts);
			}
		} else if (cadv_sample_has(s, CADV_SF_CPU_TOTAL) && s->v[CADV_SF_CPU_TOTAL] > 0)
			line(sc, F_CPU_USAGE, "cpu=\"total\"",
			    (double)s->v[CADV_SF_CPU_TOTAL] / 1e9, ts);
	}
	scalar(sc, F_CPU_USER, CADV_SF_CPU_USER, 1e-9, ts);
	scalar(sc, F_CPU_SYSTEM, CADV_SF_CPU_SYSTEM, 1e-9, ts);
	/* the cfs families only for a container with a quota */
	limited = cadv_spec_has(c, CADV_SP_CPU_QUOTA) && c->spec[CADV_SP_CPU_QUOTA] !=
	    CADV_UNLIMITED && c->spec[CADV_SP_CPU_QUOTA] != 0;
	if (limited) {
		scalar(sc, F_CFS_PERIODS, CADV_SF_CPU_PERIODS, 1, ts);
		scalar(sc, F_CFS_THR_PERIODS, CADV_SF_CPU_THROTTLED_PERIODS, 1, ts);
		scalar(sc, F_CFS_THR_SECONDS, CADV_SF_CPU_THROTTLED_TIME, 1e-9, ts);
		scalar(sc, F_CFS_BURST_PERIODS, CADV_SF_CPU_BURST_PERIODS, 1, ts);
		scalar(sc, F_CFS_BURST_SECONDS, CADV_SF_CPU_BURST_TIME, 1e-9, ts);
	}
}

/* cAdvisor's cpuLoad group, for a container whose task states were read
 * (collectord/tasks.c); the load averages in its unit, load x 1000.
 * cAdvisor's iowaiting series is left out: /proc has no iowait state. */
static void
cpu_load(struct scrape *sc, uint64_t ts)
{
	static const struct { const char *state; enum cadv_sample_field sf; } st[] = {
		{ "state=\"sleeping\"", CADV_SF_TASKS_SLEEPING },
		{ "state=\"running\"", CADV_SF_TASKS_RUNNING },
		{ "state=\"stopped\"", CADV_SF_TASKS_STOPPED },
		{ "state=\"uninterruptible\"", CADV_SF_TASKS_UNINTERRUPTIBLE },
	};
	size_t i;

	scalar(sc, F_LOAD_AVG, CADV_SF_LOAD_AVG, 1, ts);
	scalar(sc, F_LOAD_D_AVG, CADV_SF_LOAD_D_AVG, 1, ts);
	if (!on(sc, F_TASKS_STATE))
		return;
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		if (cadv_sample_has(&sc->s, st[i].sf))
			line(sc, F_TASKS_STATE, st[i].state,
			    (double)sc->s.v[st[i].sf], ts);
}

static void
memory(struct scrape *sc, uint64_t ts)
{
	static const struct { enum family f; enum cadv_sample_field sf; } m[] = {
		{ F_MEM_CACHE, CADV_SF_MEM_CACHE }, { F_MEM_RSS, CADV_SF_MEM_RSS },
		{ F_MEM_KERNEL, CADV_SF_MEM_KERNEL },
		{ F_MEM_MAPPED, CADV_SF_MEM_MAPPED_FILE },
		{ F_MEM_SWAP, CADV_SF_MEM_SWAP }, { F_MEM_FAILCNT, CADV_SF_MEM_FAILCNT },
		{ F_MEM_USAGE, CADV_SF_MEM_USAGE },
		{ F_MEM_MAX_USAGE, CADV_SF_MEM_MAX_USAGE },
		{ F_MEM_WS, CADV_SF_MEM_WORKING_SET },
		{ F_MEM_ACTIVE_FILE, CADV_SF_MEM_ACTIVE_FILE },
		{ F_MEM_INACTIVE_FILE, CADV_SF_MEM_INACTIVE_FILE },
		{ F_MEM_DIRTY, CADV_SF_MEM_DIRTY },
		{ F_MEM_WRITEBACK, CADV_SF_MEM_WRITEBACK },
		{ F_MEM_EVENTS_HIGH, CADV_SF_MEM_EVENTS_HIGH },
		{ F_MEM_EVENTS_MAX, CADV_SF_MEM_EVENTS_MAX },
		{ F_MEM_PGSCAN, CADV_SF_MEM_PGSCAN },
		{ F_MEM_PGSTEAL, CADV_SF_MEM_PGSTEAL },
		{ F_MEM_WS_REFAULT_FILE, CADV_SF_MEM_WS_REFAULT_FILE },
		{ F_MEM_WS_REFAULT_ANON, CADV_SF_MEM_WS_REFAULT_ANON },
	};
	static const char *const scopes[] = { "container", "hierarchy" };
	char extra[96];
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		scalar(sc, m[i].f, m[i].sf, 1, ts);
	if (!on(sc, F_MEM_FAILURES))
		return;
	/* cAdvisor reports the same pgfault counters for both scopes */
	for (i = 0; i < 2; i++) {
		if (cadv_sample_has(&sc->s, CADV_SF_MEM_PGFAULT)) {
			snprintf(extra, sizeof(extra), "failure_type=\"pgfault\","
			    "scope=\"%s\"", scopes[i]);
			line(sc, F_MEM_FAILURES, extra,
			    (double)sc->s.v[CADV_SF_MEM_PGFAULT], ts);
		}
		if (cadv_sample_has(&sc->s, CADV_SF_MEM_PGMAJFAULT)) {
			snprintf(extra, sizeof(extra), "failure_type=\"pgmajfault\","
			    "scope=\"%s\"", scopes[i]);
			line(sc, F_MEM_FAILURES, extra,
			    (double)sc->s.v[CADV_SF_MEM_PGMAJFAULT], ts);
		}
	}
}

/* cAdvisor's operations: every row of v1's io_service_bytes (Read,
 * Write, Sync, Async, Discard, Total = Sync + Async), and v2's Read and
 * Write (and Discard where io.stat has dbytes) */
static void
blkio_ops(struct scrape *sc, const char *esc, const struct cadv_blk *d,
    const struct cadv_diskio *x, uint64_t ts)
{
	struct { const char *op; uint64_t v; int on; } ops[] = {
		{ "Read", d->read_bytes, 1 },
		{ "Write", d->write_bytes, 1 },
		{ "Sync", x->v[CADV_DX_SYNC_BYTES], cadv_diskio_has(x, CADV_DX_SYNC_BYTES) },
		{ "Async", x->v[CADV_DX_ASYNC_BYTES], cadv_diskio_has(x, CADV_DX_ASYNC_BYTES) },
		{ "Discard", x->v[CADV_DX_DISCARD_BYTES],
		    cadv_diskio_has(x, CADV_DX_DISCARD_BYTES) },
		{ "Total", x->v[CADV_DX_SYNC_BYTES] + x->v[CADV_DX_ASYNC_BYTES],
		    cadv_diskio_has(x, CADV_DX_SYNC_BYTES) && cadv_diskio_has(x, CADV_DX_ASYNC_BYTES) },
	};
	char extra[512];
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!ops[i].on)
			continue;
		snprintf(extra, sizeof(extra), "device=\"%s\",major=\"%u\","
		    "minor=\"%u\",operation=\"%s\"", esc, d->major, d->minor,
		    ops[i].op);
		line(sc, F_BLKIO, extra, (double)ops[i].v, ts);
	}
}

/* v2's io cost controller, per device, in seconds */
static void
io_cost(struct scrape *sc, const char *esc, const struct cadv_diskio *x,
    uint64_t ts)
{
	static const struct { enum family f; enum cadv_diskio_counter c; } cost[] = {
		{ F_IOCOST_USAGE, CADV_DX_COST_USAGE },
		{ F_IOCOST_WAIT, CADV_DX_COST_WAIT },
		{ F_IOCOST_INDEBT, CADV_DX_COST_INDEBT },
		{ F_IOCOST_INDELAY, CADV_DX_COST_INDELAY },
	};
	char extra[320];
	size_t i;

	snprintf(extra, sizeof(extra), "device=\"%s\"", esc);
	for (i = 0; i < sizeof(cost) / sizeof(cost[0]); i++)
		if (cadv_diskio_has(x, cost[i].c))
			line(sc, cost[i].f, extra, (double)x->v[cost[i].c] / 1e9,
			    ts);
}

static void
diskio(struct scrape *sc, uint64_t ts)
{
	const struct cadv_blk *d;
	char extra[512], dev[128], esc[300];
	uint16_t i;

	for (i = 0; i < sc->s.nblk; i++) {
		d = &sc->s.blk[i];
		device_name(sc, d->major, d->minor, dev, sizeof(dev));
		label_value(esc, sizeof(esc), dev, strlen(dev));
		if (on(sc, F_BLKIO))
			blkio_ops(sc, esc, d, &sc->s.xio[i], ts);
		if (on(sc, F_IOCOST_USAGE))
			io_cost(sc, esc, &sc->s.xio[i], ts);
		snprintf(extra, sizeof(extra), "device=\"%s\"", esc);
		if (on(sc, F_FS_READ_BYTES)) {
			line(sc, F_FS_READ_BYTES, extra, (double)d->read_bytes, ts);
			line(sc, F_FS_READS, extra, (double)d->read_ops, ts);
			line(sc, F_FS_WRITE_BYTES, extra, (double)d->write_bytes, ts);
			line(sc, F_FS_WRITES, extra, (double)d->write_ops, ts);
		}
	}
}

/* The kernel's milliseconds in seconds.  cAdvisor divides them by
 * time.Second (1e9) for these families, so its "seconds" are 10^6 too
 * small; cadv's are seconds (README, "/metrics"). */
#define DISK_MS_PER_S	1000.0

/* Is name a device label the root's blkio lines already have?  cAdvisor
 * writes both a blkio and a filesystem series of reads and writes for
 * "/" and Prometheus keeps the first of two with the same labels. */
static int
blkio_has(struct scrape *sc, const char *name)
{
	char dev[128];
	uint16_t i;

	for (i = 0; i < sc->s.nblk; i++) {
		device_name(sc, sc->s.blk[i].major, sc->s.blk[i].minor, dev,
		    sizeof(dev));
		if (strcmp(dev, name) == 0)
			return 1;
	}
	return 0;
}

/* A filesystem's device counters from its newest diskstats record, as
 * cAdvisor's FsStats of "/" (metrics/prometheus.go's ioValues and
 * fsValues); none for a device without a diskstats line (tmpfs, overlay:
 * cAdvisor's zeros). */
static int
root_diskstats(struct scrape *sc, uint32_t maj, uint32_t min,
    const char *extra, const char *dev)
{
	static const struct {
		enum family	f;
		enum cadv_ds_counter	c;
		double		div;
	} map[] = {
		{ F_FS_SECTOR_READS, CADV_DS_SECTORS_READ, 1 },
		{ F_FS_READS_MERGED, CADV_DS_READS_MERGED, 1 },
		{ F_FS_READ_SECONDS, CADV_DS_READ_MS, DISK_MS_PER_S },
		{ F_FS_SECTOR_WRITES, CADV_DS_SECTORS_WRITTEN, 1 },
		{ F_FS_WRITES_MERGED, CADV_DS_WRITES_MERGED, 1 },
		{ F_FS_WRITE_SECONDS, CADV_DS_WRITE_MS, DISK_MS_PER_S },
		{ F_FS_IO_CURRENT, CADV_DS_IO_IN_PROGRESS, 1 },
		{ F_FS_IO_TIME, CADV_DS_IO_MS, DISK_MS_PER_S },
		{ F_FS_IO_TIME_WEIGHTED, CADV_DS_WEIGHTED_IO_MS, DISK_MS_PER_S },
	};
	struct cadv_disk_stats d;
	uint64_t ts;
	size_t i;
	int rc;

	if ((rc = cadv_diskstats_latest(sc->txn, maj, min, &ts,
	    &d)) != 0)
		return rc == CADV_NOTFOUND ? 0 : rc;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (on(sc, map[i].f))
			line(sc, map[i].f, extra,
			    (double)d.v[map[i].c] / map[i].div, ts);
	if (on(sc, F_FS_READS) && !blkio_has(sc, dev)) {
		line(sc, F_FS_READS, extra, (double)d.v[CADV_DS_READS], ts);
		line(sc, F_FS_WRITES, extra, (double)d.v[CADV_DS_WRITES], ts);
	}
	return 0;
}

/* The root's filesystems, as cAdvisor has them for "/": every filesystem
 * of the machine document with its newest statfs from the fs table and
 * its device's newest diskstats (a device mounted twice once), under the
 * records' timestamps. */
static int
root_fs(struct scrape *sc)
{
	struct json_object *f, *o;
	struct cadv_fs u;
	char esc[LABEL_VALUE_MAX(128)], extra[sizeof(esc) + 16];
	const char *dev;
	uint32_t maj[64], min[64];
	uint64_t ts;
	size_t i, j, n, nseen = 0;
	int rc;

	if ((!on(sc, F_FS_USAGE) && !on(sc, F_FS_IO_CURRENT)) ||
	    sc->fss == NULL || !json_object_is_type(sc->fss, json_type_array))
		return 0;
	n = json_object_array_length(sc->fss);
	for (i = 0; i < n && nseen < sizeof(maj) / sizeof(maj[0]); i++) {
		f = json_object_array_get_idx(sc->fss, i);
		if (!json_object_object_get_ex(f, "major", &o))
			continue;
		maj[nseen] = (uint32_t)json_object_get_int64(o);
		if (!json_object_object_get_ex(f, "minor", &o))
			continue;
		min[nseen] = (uint32_t)json_object_get_int64(o);
		for (j = 0; j < nseen; j++)
			if (maj[j] == maj[nseen] && min[j] == min[nseen])
				break;
		if (j < nseen)
			continue;
		rc = cadv_fs_latest(sc->txn, maj[nseen],
		    min[nseen], &ts, &u);
		if (rc == CADV_NOTFOUND)
			continue;
		if (rc != 0)
			return rc;
		nseen++;
		dev = json_object_object_get_ex(f, "device", &o) ?
		    json_object_get_string(o) : "";
		if (strlen(dev) > 128)
			continue;
		label_value(esc, sizeof(esc), dev, strlen(dev));
		snprintf(extra, sizeof(extra), "device=\"%s\"", esc);
		if (on(sc, F_FS_USAGE)) {
			line(sc, F_FS_INODES_FREE, extra, (double)u.inodes_free,
			    ts);
			line(sc, F_FS_INODES_TOTAL, extra, (double)u.inodes, ts);
			line(sc, F_FS_LIMIT, extra, (double)u.capacity, ts);
			line(sc, F_FS_USAGE, extra, (double)u.used, ts);
		}
		if ((rc = root_diskstats(sc, maj[nseen - 1], min[nseen - 1],
		    extra, dev)) != 0)
			return rc;
	}
	return 0;
}

/* A container's writable layer, as cAdvisor's docker and podman handlers
 * report it: on the device holding the layer, usage and inodes are the
 * layer's (du and find: identd's measure), the limit is that
 * filesystem's capacity, and inodes free is not set (0). */
static int
layer_fs(struct scrape *sc, uint64_t ts)
{
	struct json_object *f, *o;
	struct cadv_layer r;
	struct cadv_fs u;
	char esc[LABEL_VALUE_MAX(128)], extra[sizeof(esc) + 16], dev[128];
	const char *cg, *name = NULL;
	double limit = 0;
	uint64_t fts;
	size_t i, n, len;
	int rc;

	if (!on(sc, F_FS_USAGE) || !sc->have_ident)
		return 0;
	cg = cadv_ident_str(sc->id, CADV_IS_CGROUP, &len);
	rc = cadv_layer_get(sc->txn, cg, len, sc->id->seen_ns, &r);
	if (rc == CADV_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	/* the device as the machine document names it (cAdvisor's
	 * GetDirFsDevice), else as its disk map does */
	n = sc->fss != NULL && json_object_is_type(sc->fss, json_type_array) ?
	    json_object_array_length(sc->fss) : 0;
	for (i = 0; i < n && name == NULL; i++) {
		f = json_object_array_get_idx(sc->fss, i);
		if (!json_object_object_get_ex(f, "major", &o) ||
		    json_object_get_int64(o) != (int64_t)r.major ||
		    !json_object_object_get_ex(f, "minor", &o) ||
		    json_object_get_int64(o) != (int64_t)r.minor ||
		    !json_object_object_get_ex(f, "device", &o))
			continue;
		name = json_object_get_string(o);
		if (json_object_object_get_ex(f, "capacity", &o))
			limit = (double)json_object_get_int64(o);
	}
	if (name == NULL)
		name = device_name(sc, r.major, r.minor, dev, sizeof(dev));
	if (strlen(name) > 128)
		return 0;
	rc = cadv_fs_latest(sc->txn, r.major, r.minor, &fts, &u);
	if (rc == 0)
		limit = (double)u.capacity;
	else if (rc != CADV_NOTFOUND)
		return rc;
	label_value(esc, sizeof(esc), name, strlen(name));
	snprintf(extra, sizeof(extra), "device=\"%s\"", esc);
	line(sc, F_FS_INODES_FREE, extra, 0, ts);
	line(sc, F_FS_INODES_TOTAL, extra, (double)r.inodes, ts);
	line(sc, F_FS_LIMIT, extra, limit, ts);
	line(sc, F_FS_USAGE, extra, (double)r.bytes, ts);
	return 0;
}

static void
network(struct scrape *sc, uint64_t ts)
{
	const struct cadv_net *n;
	char extra[192], esc[LABEL_VALUE_MAX(CADV_IFNAME_LEN)];
	size_t len;
	uint16_t i;

	if (!on(sc, F_NET_RX_BYTES))
		return;
	for (i = 0; i < sc->s.nnet; i++) {
		n = &sc->s.net[i];
		len = strnlen(n->name, CADV_IFNAME_LEN);
		if (iface_ignored(n->name, len))
			continue;
		label_value(esc, sizeof(esc), n->name, len);
		snprintf(extra, sizeof(extra), "interface=\"%s\"", esc);
		line(sc, F_NET_RX_BYTES, extra, (double)n->rx_bytes, ts);
		line(sc, F_NET_RX_PACKETS, extra, (double)n->rx_packets, ts);
		line(sc, F_NET_RX_DROPPED, extra, (double)n->rx_dropped, ts);
		line(sc, F_NET_RX_ERRORS, extra, (double)n->rx_errors, ts);
		line(sc, F_NET_TX_BYTES, extra, (double)n->tx_bytes, ts);
		line(sc, F_NET_TX_PACKETS, extra, (double)n->tx_packets, ts);
		line(sc, F_NET_TX_DROPPED, extra, (double)n->tx_dropped, ts);
		line(sc, F_NET_TX_ERRORS, extra, (double)n->tx_errors, ts);
	}
}

static void
spec(struct scrape *sc, const struct cadv_container *c)
{
	/* the root's limit is the machine's memory, as cAdvisor has it */
	if (c->name_len == 1 && c->name[0] == '/' && sc->mem_capacity > 0)
		line(sc, F_SPEC_MEM_LIMIT, NULL, sc->mem_capacity, 0);
	else if (cadv_spec_has(c, CADV_SP_MEM_LIMIT))
		line(sc, F_SPEC_MEM_LIMIT, NULL, spec_value(c->spec[CADV_SP_MEM_LIMIT]), 0);
	if (cadv_spec_has(c, CADV_SP_MEM_SWAP_LIMIT))
		line(sc, F_SPEC_MEM_SWAP, NULL,
		    spec_value(c->spec[CADV_SP_MEM_SWAP_LIMIT]), 0);
	if (cadv_spec_has(c, CADV_SP_MEM_RESERVATION))
		line(sc, F_SPEC_MEM_RES, NULL,
		    spec_value(c->spec[CADV_SP_MEM_RESERVATION]), 0);
	if (cadv_spec_has(c, CADV_SP_CPU_SHARES))
		line(sc, F_SPEC_CPU_SHARES, NULL, spec_value(c->spec[CADV_SP_CPU_SHARES]), 0);
	if (cadv_spec_has(c, CADV_SP_CPU_PERIOD))
		line(sc, F_SPEC_CPU_PERIOD, NULL, spec_value(c->spec[CADV_SP_CPU_PERIOD]), 0);
	/* the quota only when there is one (cAdvisor: quota != 0) */
	if (cadv_spec_has(c, CADV_SP_CPU_QUOTA) && c->spec[CADV_SP_CPU_QUOTA] != CADV_UNLIMITED &&
	    c->spec[CADV_SP_CPU_QUOTA] != 0)
		line(sc, F_SPEC_CPU_QUOTA, NULL, (double)c->spec[CADV_SP_CPU_QUOTA], 0);
}

/* A u32 length and its bytes, onto the values waiting for the end */
static void
pend_put(struct scrape *sc, const char *p, size_t len)
{
	uint32_t l = (uint32_t)len;

	buf_add(&sc->pend, &l, sizeof(l));
	buf_add(&sc->pend, p, len);
}

static void
pend_value(struct scrape *sc, const char *v, size_t len)
{
	pend_put(sc, sc->esc, label_value(sc->esc, sizeof(sc->esc), v, len));
}

/* A label of the current container under its raw name (raw, len): the
 * name joins the scrape's, the value waits for the end. */
static int
pend_raw(struct scrape *sc, const char *raw, size_t len, const char *v,
    size_t vlen)
{
	struct lkey *lk;

	if ((lk = hmap_get(&sc->keys, raw, len)) == NULL) {
		if ((lk = malloc(sizeof(*lk) + len)) == NULL)
			return ENOMEM;
		lk->idx = -1;
		lk->len = len;
		lk->san = NULL;
		lk->slen = 0;
		memcpy(lk->raw, raw, len);
		if (hmap_put(&sc->keys, lk->raw, len, lk) == -1) {
			free(lk);
			return ENOMEM;
		}
	}
	pend_put(sc, raw, len);
	pend_value(sc, v, vlen);
	return 0;
}

/* A container_label_ or container_env_ label of an identity: the raw name
 * is the prefix and the runtime's key (lower-cased where cAdvisor does:
 * docker and podman variables). */
static int
pend_pair(struct scrape *sc, const char *prefix, const char *k, size_t kl,
    const char *v, size_t vl, int lower)
{
	char raw[RAW_KEY_MAX];
	size_t pl = strlen(prefix), i, len;

	if (kl > CADV_IDENT_KEY_MAX)
		kl = CADV_IDENT_KEY_MAX;
	memcpy(raw, prefix, pl);
	memcpy(raw + pl, k, kl);
	len = pl + kl;
	for (i = pl; lower && i < len; i++)
		if (raw[i] >= 'A' && raw[i] <= 'Z')
			raw[i] += 'a' - 'A';
	return pend_raw(sc, raw, len, v, vl);
}

/* cAdvisor's container_label_* and container_env_* of an identity: every
 * label (with --store-container-labels=false those listed), the restart
 * count docker and podman containers get as label "restartcount", the
 * variables --env-metadata-whitelist names */
static int
ident_pairs(struct scrape *sc)
{
	const struct exporter *ex = sc->ex;
	const struct cadv_ident *id = sc->id;
	const char *k, *v;
	size_t kl;
	char num[16];
	int rc, dp = id->runtime == CADV_RT_DOCKER || id->runtime == CADV_RT_PODMAN;
	int restarts = dp && id->restart_count > 0;
	uint32_t i;

	for (i = 0; cadv_ident_label_at(id, i, &k, &v) == 0; i++) {
		kl = id->labels[i].k.len;
		if (!ex->store_labels && !namelist_has(&ex->label_allow, k, kl))
			continue;
		/* the count replaces a label of that name, as in cAdvisor */
		if (restarts && kl == 12 && memcmp(k, "restartcount", 12) == 0)
			continue;
		if ((rc = pend_pair(sc, "container_label_", k, kl, v,
		    id->labels[i].v.len, 0)) != 0)
			return rc;
	}
	if (restarts && (ex->store_labels || namelist_has(&ex->label_allow,
	    "restartcount", 12))) {
		snprintf(num, sizeof(num), "%u", id->restart_count);
		if ((rc = pend_raw(sc, "container_label_restartcount", 28, num,
		    strlen(num))) != 0)
			return rc;
	}
	for (i = 0; cadv_ident_env_at(id, i, &k, &v) == 0; i++) {
		kl = id->env[i].k.len;
		if (!namelist_has(&ex->env_allow, k, kl))
			continue;
		if ((rc = pend_pair(sc, "container_env_", k, kl, v,
		    id->env[i].v.len, dp)) != 0)
			return rc;
	}
	return 0;
}

/* The current container's entry: its identity read, its base label values
 * and its pairs set aside.  *own_netns is 0 for a container that shares
 * another's network namespace (its counters are the owner's); *docker is
 * 1 for a docker container (a health check, if any, is docker's). */
static int
cont_begin(struct scrape *sc, const struct cadv_container *c, int *own_netns,
    int *docker)
{
	static const enum cadv_ident_str kubelet[] = { CADV_IS_CONTAINER_NAME, CADV_IS_CGROUP,
	    CADV_IS_IMAGE, CADV_IS_NAME, CADV_IS_POD_NAMESPACE, CADV_IS_POD_NAME };
	static const enum cadv_ident_str cadvisor[] = { CADV_IS_CGROUP, CADV_IS_IMAGE,
	    CADV_IS_NAME };
	const enum cadv_ident_str *base;
	struct cadv_ident *id = sc->id;
	struct cont *k;
	const char *s;
	size_t i, nbase, len;
	int rc, have;

	*own_netns = 1;
	*docker = 0;
	if (sc->nconts == sc->capconts) {
		size_t cap = sc->capconts ? sc->capconts * 2 : 256;

		if (cap > UINT32_MAX ||
		    (k = reallocarray(sc->conts, cap, sizeof(*k))) == NULL)
			return ENOMEM;
		sc->conts = k;
		sc->capconts = cap;
	}
	sc->ci = (uint32_t)sc->nconts++;
	k = &sc->conts[sc->ci];
	memset(k, 0, sizeof(*k));
	k->poff = sc->pend.len;
	rc = cadv_container_ident(sc->txn, c, id);
	have = rc == 0;
	/* a bad record costs its container's labels, not the scrape (said
	 * once a scrape) */
	if (rc == CADV_CORRUPT)
		sc->ident_err = rc;
	else if (rc != 0 && rc != CADV_NOTFOUND)
		return rc;
	sc->have_ident = have;
	if (have) {
		(void)cadv_ident_str(id, CADV_IS_NETNS_OWNER, &len);
		*own_netns = len == 0;
		*docker = id->runtime == CADV_RT_DOCKER;
	}
	if (sc->mode == LABELS_KUBELET) {
		base = kubelet;
		nbase = sizeof(kubelet) / sizeof(kubelet[0]);
	} else {
		base = cadvisor;
		nbase = sizeof(cadvisor) / sizeof(cadvisor[0]);
	}
	for (i = 0; i < nbase; i++) {
		if (base[i] == CADV_IS_CGROUP) {
			s = c->name;
			len = c->name_len;
		} else if (have)
			s = cadv_ident_str(id, base[i], &len);
		else {
			s = "";
			len = 0;
		}
		pend_value(sc, s, len);
	}
	if (have && sc->mode == LABELS_CADVISOR &&
	    (rc = ident_pairs(sc)) != 0)
		return rc;
	k->plen = sc->pend.len - k->poff;
	return 0;
}

/* The kubelet's process group beyond processes and threads: fds and
 * sockets only where collectord could read every process's (absent, not
 * zero, elsewhere), the pids limit (cAdvisor's 0 for none) and the first
 * process's open-file limit (-1 for unlimited). */
static void
processes(struct scrape *sc, const struct cadv_container *c, uint64_t ts)
{
	uint64_t v;

	scalar(sc, F_FDS, CADV_SF_FD_COUNT, 1, ts);
	scalar(sc, F_SOCKETS, CADV_SF_SOCKET_COUNT, 1, ts);
	if (on(sc, F_THREADS_MAX) && cadv_spec_has(c, CADV_SP_PIDS_LIMIT)) {
		v = c->spec[CADV_SP_PIDS_LIMIT];
		line(sc, F_THREADS_MAX, NULL,
		    v == CADV_UNLIMITED ? 0 : (double)v, ts);
	}
	if (on(sc, F_ULIMITS_SOFT) &&
	    cadv_sample_has(&sc->s, CADV_SF_ULIMIT_NOFILE_SOFT)) {
		v = sc->s.v[CADV_SF_ULIMIT_NOFILE_SOFT];
		line(sc, F_ULIMITS_SOFT, "ulimit=\"max_open_files\"",
		    v == CADV_UNLIMITED ? -1 : (double)v, ts);
	}
}

static int
one_container(const struct cadv_container *c, void *arg)
{
	struct scrape *sc = arg;
	struct oom_count *oc;
	uint64_t ts;
	int rc, own_netns, docker;

	if (++sc->walked % 256 == 0)
		trim_store_pages(TRIM_WALKING);
	if (c->deleted_ns != 0)
		return 0;
	if ((rc = cont_begin(sc, c, &own_netns, &docker)) != 0)
		return rc;

	/* whole seconds, as cAdvisor's Time.Unix() */
	line(sc, F_CREATION_TIME, NULL,
	    (double)(c->created_ns / 1000000000ULL), 0);
	line(sc, F_START_TIME, NULL, (double)(c->created_ns / 1000000000ULL),
	    0);
	line(sc, F_LAST_SEEN, NULL, (double)(sc->now_ns / 1000000000ULL),
	    sc->now_ns);
	spec(sc, c);
	rc = cadv_sample_latest(sc->txn, c->id, &ts, &sc->s);
	/* collectord could not read all of it (a cgroup closed to it) */
	if ((c->flags & CADV_CF_UNREADABLE) || (rc != 0 && rc != CADV_NOTFOUND)) {
		/* cAdvisor's is one for the scrape; which container is
		 * cadv's to say */
		sc->scrape_err = 1;
		line(sc, F_CADV_SCRAPE_ERROR, NULL, 1, 0);
	}
	if (rc == CADV_NOTFOUND)
		return 0;
	if (rc != 0) {
		sc->err = rc;
		return rc == CADV_CORRUPT ? 0 : rc;
	}
	/* cAdvisor's -1 for a container without a health check: only
	 * docker's have one, and the store does not keep its state */
	if (!docker)
		line(sc, F_HEALTH, NULL, -1, ts);
	cpu(sc, c, ts);
	memory(sc, ts);
	if (on(sc, F_OOM)) {
		oc = hmap_get(&sc->ooms, c->name, c->name_len);
		line(sc, F_OOM, NULL, oc ? (double)oc->n : 0, ts);
	}
	diskio(sc, ts);
	if (c->name_len == 1 && c->name[0] == '/' &&
	    (rc = root_fs(sc)) != 0) {
		/* a bad fs record costs the root's fs series, not the scrape */
		sc->err = rc;
		if (rc != CADV_CORRUPT)
			return rc;
	}
	if (c->name_len > 1 && (rc = layer_fs(sc, ts)) != 0) {
		/* a bad layer record costs its series, not the scrape */
		sc->err = rc;
		if (rc != CADV_CORRUPT)
			return rc;
	}
	/* the namespace's owner reports its counters, once (cAdvisor drops
	 * them for the containers of a pod but its sandbox) */
	if (own_netns)
		network(sc, ts);
	scalar(sc, F_PROCESSES, CADV_SF_PROCESSES, 1, ts);
	scalar(sc, F_THREADS, CADV_SF_THREADS, 1, ts);
	processes(sc, c, ts);
	scalar(sc, F_PSI_CPU_WAIT, CADV_SF_PSI_CPU_SOME_TOTAL, 1e-9, ts);
	scalar(sc, F_PSI_CPU_STALL, CADV_SF_PSI_CPU_FULL_TOTAL, 1e-9, ts);
	scalar(sc, F_PSI_MEM_WAIT, CADV_SF_PSI_MEM_SOME_TOTAL, 1e-9, ts);
	scalar(sc, F_PSI_MEM_STALL, CADV_SF_PSI_MEM_FULL_TOTAL, 1e-9, ts);
	scalar(sc, F_PSI_IO_WAIT, CADV_SF_PSI_IO_SOME_TOTAL, 1e-9, ts);
	scalar(sc, F_PSI_IO_STALL, CADV_SF_PSI_IO_FULL_TOTAL, 1e-9, ts);
	cpu_load(sc, ts);
	return 0;
}

static int
raw_cmp(const void *a, const void *b)
{
	const struct lkey *x = *(const struct lkey *const *)a;
	const struct lkey *y = *(const struct lkey *const *)b;
	int c = memcmp(x->raw, y->raw, x->len < y->len ? x->len : y->len);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static int
san_cmp(const void *a, const void *b)
{
	const struct lkey *x = *(const struct lkey *const *)a;
	const struct lkey *y = *(const struct lkey *const *)b;

	return strcmp(x->san, y->san);
}

static uint32_t
get_u32(const char **p)
{
	uint32_t v;

	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}

/* The label names every series carries, as cAdvisor picks them: the
 * union of all containers' raw names, sanitised; when two raw names
 * sanitise the same, the first in byte order keeps it (cAdvisor: the
 * first in a Go map's random order) and the others' values are dropped.
 * Written in name order, as client_golang sorts them. */
static int
label_names(struct scrape *sc)
{
	struct lkey **all, *lk;
	struct hmap seen;
	size_t i, n = 0, nw = 0;
	int rc = 0;

	if ((all = calloc(sc->keys.n + 1, sizeof(*all))) == NULL)
		return ENOMEM;
	for (i = 0; i < sc->keys.cap; i++)
		if (sc->keys.slots[i].key != NULL)
			all[n++] = sc->keys.slots[i].val;
	qsort(all, n, sizeof(*all), raw_cmp);
	hmap_init(&seen);
	for (i = 0; i < n; i++) {
		lk = all[i];
		/* sanitising never lengthens a name */
		if ((lk->san = malloc(lk->len + 1)) == NULL) {
			rc = ENOMEM;
			break;
		}
		lk->slen = label_name("", lk->raw, lk->len, lk->san,
		    lk->len + 1);
		if (hmap_get(&seen, lk->san, lk->slen) != NULL)
			continue;
		if (hmap_put(&seen, lk->san, lk->slen, lk) == -1) {
			rc = ENOMEM;
			break;
		}
		all[nw++] = lk;	/* i >= nw: no name not yet seen is lost */
	}
	hmap_free(&seen);
	if (rc != 0) {
		free(all);
		return rc;
	}
	qsort(all, nw, sizeof(*all), san_cmp);
	for (i = 0; i < nw; i++)
		all[i]->idx = (long)i;
	sc->names = all;
	sc->nnames = nw;
	return 0;
}

/* Each container's label text, once every name is known; the text's size
 * counted in for each of its lines. */
static int
labels_done(struct scrape *sc)
{
	static const char *const kubelet[] = { "container", "id", "image",
	    "name", "namespace", "pod" };
	static const char *const cadvisor[] = { "id", "image", "name" };
	const char *const *base = cadvisor;
	struct { const char *p; uint32_t len; } *vals, bv[NBASE_MAX];
	const char *p, *end, *raw;
	struct lkey *lk;
	struct cont *k;
	size_t i, j, nbase = 3;
	uint32_t rl;
	int rc;

	if (sc->mode == LABELS_KUBELET) {
		base = kubelet;
		nbase = 6;
	}
	if ((rc = label_names(sc)) != 0)
		return rc;
	if ((vals = calloc(sc->nnames + 1, sizeof(*vals))) == NULL)
		return ENOMEM;
	for (i = 0; i < sc->nconts; i++) {
		k = &sc->conts[i];
		p = sc->pend.p + k->poff;
		end = p + k->plen;
		for (j = 0; j < nbase; j++) {
			bv[j].len = get_u32(&p);
			bv[j].p = p;
			p += bv[j].len;
		}
		for (j = 0; j < sc->nnames; j++) {
			vals[j].p = "";
			vals[j].len = 0;
		}
		while (p < end) {
			rl = get_u32(&p);
			raw = p;
			p += rl;
			lk = hmap_get(&sc->keys, raw, rl);
			j = lk != NULL && lk->idx >= 0 ? (size_t)lk->idx : SIZE_MAX;
			rl = get_u32(&p);
			if (j != SIZE_MAX) {
				vals[j].p = p;
				vals[j].len = rl;
			}
			p += rl;
		}
		k->loff = (uint32_t)sc->labelbuf.len;
		for (j = 0; j < sc->nnames; j++) {
			buf_add(&sc->labelbuf, sc->names[j]->san,
			    sc->names[j]->slen);
			buf_add(&sc->labelbuf, "=\"", 2);
			buf_add(&sc->labelbuf, vals[j].p, vals[j].len);
			buf_add(&sc->labelbuf, "\",", 2);
		}
		for (j = 0; j < nbase; j++) {
			buf_printf(&sc->labelbuf, "%s%s=\"", j ? "," : "",
			    base[j]);
			buf_add(&sc->labelbuf, bv[j].p, bv[j].len);
			buf_add(&sc->labelbuf, "\"", 1);
		}
		if (sc->labelbuf.len > UINT32_MAX) {
			free(vals);
			return ENOMEM;
		}
		k->llen = (uint32_t)(sc->labelbuf.len - k->loff);
		sc->size += k->nlines * k->llen;
	}
	free(vals);
	/* the values are in the text now */
	buf_free(&sc->pend);
	return 0;
}

/* container_oom_events_total counts oom_kill events by container name,
 * so the count survives the container's deletion and re-creation for as
 * long as the events are kept (cAdvisor's resets: its issue #3015). */
static int
count_oom(const struct cadv_event *e, void *arg)
{
	struct scrape *sc = arg;
	struct oom_count *oc;

	if (++sc->walked % 4096 == 0)
		trim_store_pages(TRIM_WALKING);
	if (e->type != CADV_EV_OOM_KILL)
		return 0;
	if ((oc = hmap_get(&sc->ooms, e->container, e->container_len)) == NULL) {
		if ((oc = calloc(1, sizeof(*oc) + e->container_len)) == NULL)
			return ENOMEM;
		memcpy(oc->name, e->container, e->container_len);
		oc->len = e->container_len;
		if (hmap_put(&sc->ooms, oc->name, oc->len, oc) == -1) {
			free(oc);
			return ENOMEM;
		}
	}
	oc->n++;
	return 0;
}

/* machine_dimm_count and machine_dimm_capacity_bytes, a series per
 * memory type of the document's memory_by_type (EDAC); no family when it
 * has none, as cAdvisor */
static void
dimms(struct buf *out, struct json_object *m, const char *lab, uint64_t ts)
{
	static const struct { const char *name, *key, *help; } g[] = {
		{ "machine_dimm_count", "dimm_count", "Number of RAM DIMM (all types memory modules) value labeled by dimm type." },
		{ "machine_dimm_capacity_bytes", "capacity", "Total RAM DIMM capacity (all types memory modules) value labeled by dimm type." },
	};
	struct json_object *by, *v;
	char esc[LABEL_VALUE_MAX(64)];
	size_t i;

	if (!json_object_object_get_ex(m, "memory_by_type", &by) ||
	    !json_object_is_type(by, json_type_object) ||
	    json_object_object_length(by) == 0)
		return;
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", g[i].name,
		    g[i].help, g[i].name);
		json_object_object_foreach(by, type, t) {
			if (strlen(type) > 64)
				continue;
			label_value(esc, sizeof(esc), type, strlen(type));
			buf_printf(out, "%s{%s,type=\"%s\"} %.17g %llu\n",
			    g[i].name, lab, esc,
			    json_object_object_get_ex(t, g[i].key, &v) ?
			    (double)json_object_get_uint64(v) : 0,
			    (unsigned long long)(ts / 1000000));
		}
	}
}

/* The machine families, cAdvisor's with its help texts: machine_scrape_error
 * says whether the machine document was there to read. */
static void
machine(struct scrape *sc, struct buf *out, struct json_object *m)
{
	static const struct { const char *name, *key, *help; } g[] = {
		{ "machine_cpu_books", "num_books", "Number of CPU books." },
		{ "machine_cpu_cores", "num_cores", "Number of logical CPU cores." },
		{ "machine_cpu_drawers", "num_drawers", "Number of CPU drawers." },
		{ "machine_cpu_physical_cores", "num_physical_cores", "Number of physical CPU cores." },
		{ "machine_cpu_sockets", "num_sockets", "Number of CPU sockets." },
		{ "machine_memory_bytes", "memory_capacity", "Amount of memory installed on the machine." },
		{ "machine_nvm_avg_power_budget_watts", "nvm_avg_power_budget", "NVM power budget." },
		{ "machine_swap_bytes", "swap_capacity", "Amount of swap memory available on the machine." },
	};
	char lab[640], v[3][160];
	static const char *const ids[3] = { "boot_id", "machine_id",
	    "system_uuid" };
	struct json_object *o;
	const char *s;
	size_t i;

	buf_printf(out, "# HELP machine_scrape_error 1 if there was an error "
	    "while getting machine metrics, 0 otherwise.\n"
	    "# TYPE machine_scrape_error gauge\nmachine_scrape_error %d\n",
	    m == NULL);
	if (m == NULL)
		return;
	for (i = 0; i < 3; i++) {
		s = json_object_object_get_ex(m, ids[i], &o) ?
		    json_object_get_string(o) : "";
		label_value(v[i], sizeof(v[i]), s, strlen(s));
	}
	snprintf(lab, sizeof(lab), "boot_id=\"%s\",machine_id=\"%s\","
	    "system_uuid=\"%s\"", v[0], v[1], v[2]);
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		/* no books, drawers or NVM on this machine: cAdvisor's 0 */
		double d = json_object_object_get_ex(m, g[i].key, &o) ?
		    json_object_get_double(o) : 0;

		buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n%s{%s} %.17g %llu\n",
		    g[i].name, g[i].help, g[i].name, g[i].name, lab, d,
		    (unsigned long long)(sc->now_ns / 1000000));
		/* in name order, after the budget */
		if (strcmp(g[i].name, "machine_nvm_avg_power_budget_watts") != 0)
			continue;
		buf_printf(out, "# HELP machine_nvm_capacity NVM capacity value "
		    "labeled by NVM mode (memory mode or app direct mode).\n"
		    "# TYPE machine_nvm_capacity gauge\n"
		    "machine_nvm_capacity{%s,mode=\"app_direct_mode\"} 0 %llu\n"
		    "machine_nvm_capacity{%s,mode=\"memory_mode\"} 0 %llu\n",
		    lab, (unsigned long long)(sc->now_ns / 1000000), lab,
		    (unsigned long long)(sc->now_ns / 1000000));
	}
	dimms(out, m, lab, sc->now_ns);
}

/* cAdvisor's cadvisor_version_info has camelCase labels, which promtool
 * lints: it is there as cAdvisor has it (dashboards select on it), and
 * cadv_version_info says the same in snake_case. */
static void
version(struct buf *out, struct json_object *v)
{
	static const struct { const char *label, *key; } l[] = {
		{ "cadv_revision", "cadvisor_revision" },
		{ "cadv_version", "cadvisor_version" },
		{ "kernel_version", "kernel_version" },
		{ "os_version", "container_os_version" },
	}, cl[] = {
		{ "cadvisorRevision", "cadvisor_revision" },
		{ "cadvisorVersion", "cadvisor_version" },
		{ "dockerVersion", "docker_version" },
		{ "kernelVersion", "kernel_version" },
		{ "osVersion", "container_os_version" },
	};
	struct json_object *o;
	char esc[512];
	const char *s;
	size_t i;

	buf_puts(out, "# HELP cadv_version_info A metric with a constant '1' "
	    "value labeled by kernel version, OS version, cadv version and "
	    "revision.\n# TYPE cadv_version_info gauge\ncadv_version_info{");
	for (i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
		s = v != NULL && json_object_object_get_ex(v, l[i].key, &o) ?
		    json_object_get_string(o) : "";
		label_value(esc, sizeof(esc), s, strlen(s));
		buf_printf(out, "%s%s=\"%s\"", i ? "," : "", l[i].label, esc);
	}
	buf_puts(out, "} 1\n");
	/* cAdvisor writes none without its version information */
	if (v == NULL)
		return;
	buf_puts(out, "# HELP cadvisor_version_info A metric with a constant "
	    "'1' value labeled by kernel version, OS version, docker version, "
	    "cadvisor version & cadvisor revision.\n"
	    "# TYPE cadvisor_version_info gauge\ncadvisor_version_info{");
	for (i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		s = json_object_object_get_ex(v, cl[i].key, &o) ?
		    json_object_get_string(o) : "";
		label_value(esc, sizeof(esc), s, strlen(s));
		buf_printf(out, "%s%s=\"%s\"", i ? "," : "", cl[i].label, esc);
	}
	buf_puts(out, "} 1\n");
}

struct json_object *
meta_json(struct cadv_txn *txn, meta_doc_fn doc)
{
	struct json_tokener *tok;
	struct json_object *o;
	const char *p;
	size_t n;

	if (doc(txn, &p, &n) != 0 || n > INT32_MAX ||
	    (tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, p, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static void
family_head(struct buf *out, size_t f)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", families[f].name,
	    families[f].help, families[f].name,
	    families[f].type == COUNTER ? "counter" : "gauge");
}

/* The next piece of the text, from the scrape's buffers */
static int
metrics_fill(struct source *src, struct buf *out)
{
	struct scrape *sc = (struct scrape *)src;
	const struct buf *b;
	const char *p;
	struct rec r;

	while (out->len < PIECE_SIZE && !out->oom) {
		while (sc->f < F_COUNT && sc->fam[sc->f].len == 0)
			sc->f++;
		if (sc->f == F_COUNT)
			return SOURCE_END;
		b = &sc->fam[sc->f];
		if (!sc->f_open) {
			family_head(out, sc->f);
			sc->f_open = 1;
		}
		p = b->p + sc->off;
		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		buf_puts(out, families[sc->f].name);
		buf_add(out, "{", 1);
		if (r.elen) {
			buf_add(out, p, r.elen);
			buf_add(out, ",", 1);
		}
		buf_add(out, sc->labelbuf.p + sc->conts[r.ci].loff,
		    sc->conts[r.ci].llen);
		buf_add(out, "} ", 2);
		buf_add(out, p + r.elen, r.vlen);
		buf_add(out, "\n", 1);
		sc->off += sizeof(r) + r.elen + r.vlen;
		if (sc->off == b->len) {
			sc->f++;
			sc->off = 0;
			sc->f_open = 0;
		}
	}
	return 0;
}

static void
metrics_release(struct source *src)
{
	struct scrape *sc = (struct scrape *)src;
	struct hmap_slot *hs;
	size_t i;

	for (i = 0; i < F_COUNT; i++)
		buf_free(&sc->fam[i]);
	buf_free(&sc->head);
	buf_free(&sc->labelbuf);
	buf_free(&sc->pend);
	free(sc->conts);
	free(sc->names);
	free(sc->id);
	for (i = 0; i < sc->keys.cap; i++) {
		hs = &sc->keys.slots[i];
		if (hs->key != NULL) {
			free(((struct lkey *)hs->val)->san);
			free(hs->val);
		}
	}
	hmap_free(&sc->keys);
	for (i = 0; i < sc->ooms.cap; i++) {
		hs = &sc->ooms.slots[i];
		if (hs->key != NULL)
			free(hs->val);
	}
	hmap_free(&sc->ooms);
	free(sc);
}

/* The daemons' stored process figures; a daemon that stopped noting them
 * (gone, or hung) has none, as a stopped exporter has no series. */
static void
daemon_procs(struct scrape *sc)
{
	struct cadv_process *p;
	size_t d;

	for (d = 0; d < PROC_DAEMONS; d++) {
		p = &sc->procs[d];
		if (cadv_process(sc->txn, (enum cadv_writer)d, p) != 0 ||
		    p->written_ns + 3 * CADV_PROCESS_NOTE_NS < sc->now_ns)
			p->present = 0;
	}
}

int
metrics_answer(struct exporter *ex, enum label_mode mode, struct answer *a)
{
	struct scrape *sc;
	struct json_object *m = NULL, *v = NULL;
	struct buf hb = { 0 };
	struct selfstat self;
	size_t i;
	int rc, oom;

	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return ENOMEM;
	sc->src.fill = metrics_fill;
	sc->src.release = metrics_release;
	sc->ex = ex;
	sc->mode = mode;
	sc->now_ns = clock_now_ns();
	hmap_init(&sc->ooms);
	hmap_init(&sc->keys);
	if ((sc->id = malloc(sizeof(*sc->id))) == NULL) {
		rc = ENOMEM;
		goto done;
	}
	if ((rc = cadv_begin(ex->st, &sc->txn)) != 0)
		goto done;
	m = meta_json(sc->txn, cadv_machine_info);
	v = meta_json(sc->txn, cadv_version_info);
	daemon_procs(sc);
	if (m != NULL) {
		struct json_object *o;

		json_object_object_get_ex(m, "disk_map", &sc->disks);
		json_object_object_get_ex(m, "filesystems", &sc->fss);
		if (json_object_object_get_ex(m, "memory_capacity", &o))
			sc->mem_capacity = json_object_get_double(o);
	}
	if (!(ex->disabled & G_OOM))
		rc = cadv_events_each(sc->txn, 0, count_oom, sc);
	if (rc == 0)
		rc = cadv_containers_each(sc->txn, one_container, sc);
	if (rc == 0)
		rc = selfstat_read(sc->txn, &self);
	cadv_end(sc->txn);
	sc->txn = NULL;
	sc->disks = NULL;	/* m's: freed below */
	sc->fss = NULL;
	/* a bad sample costs its container's series, not the scrape: said
	 * once a scrape (container_scrape_error marks which) */
	if (sc->err != 0)
		log_warnx("metrics: %s", cadv_error(ex->st, sc->err));
	if (sc->ident_err != 0)
		log_warnx("metrics: container labels: %s",
		    cadv_error(ex->st, sc->ident_err));
	/* a value lost makes the pending buffer unreadable */
	if (rc == 0 && sc->pend.oom)
		rc = ENOMEM;
	if (rc == 0)
		rc = labels_done(sc);
	if (rc != 0)
		goto done;
	version(&sc->head, v);
	/* one for the scrape, as cAdvisor's: a container not read whole, a
	 * sample not decoded or no version information to read */
	buf_printf(&sc->head, "# HELP container_scrape_error 1 if there was "
	    "an error while getting container metrics, 0 otherwise\n"
	    "# TYPE container_scrape_error gauge\ncontainer_scrape_error %d\n",
	    sc->scrape_err || sc->err != 0 || v == NULL);
	machine(sc, &sc->head, m);
	procmetrics(&sc->head, sc->procs);
	selfstat_metrics(&sc->head, ex->st, &self, sc->now_ns);
	sc->size += sc->head.len;
	for (i = 0; i < F_COUNT; i++) {
		if (sc->fam[i].len == 0)
			continue;
		family_head(&hb, i);
		sc->size += hb.len;
		hb.len = 0;
	}
	oom = sc->head.oom || sc->labelbuf.oom || hb.oom;
	buf_free(&hb);
	for (i = 0; i < F_COUNT; i++)
		oom |= sc->fam[i].oom;
	if (oom) {
		rc = ENOMEM;
		goto done;
	}
	a->status = 200;
	buf_add(&a->body, sc->head.p, sc->head.len);
	if (metrics_fill(&sc->src, &a->body) == 0) {
		sc->src.size = sc->size;
		a->src = &sc->src;
		sc = NULL;
	}
done:
	json_object_put(m);
	json_object_put(v);
	if (sc != NULL)
		metrics_release(&sc->src);
	return rc;
}
