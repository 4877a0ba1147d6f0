/* libcadv: reading cadv's store (docs/SCHEMA.md) from C.
 *
 * cadv's daemons write one LMDB environment; this library reads it with
 * read-only transactions and never writes, prints, exits or keeps global
 * state.  Every call returns 0 or an error code (enum cadv_error, an
 * errno value, or LMDB's); cadv_strerror() and cadv_error() turn one into
 * a sentence the caller prints.  Every value it returns has been checked
 * against the bounds below: a damaged store gives CADV_CORRUPT, never a
 * read out of bounds.
 *
 * A snapshot (struct cadv_txn) is a read transaction: everything read
 * through one is from the same instant, however the writers go on.  Keep
 * it short: a writer cannot reuse pages an open snapshot may still see.
 * A snapshot belongs to the thread that began it; one struct cadv may be
 * shared by threads, each with snapshots of its own.
 *
 * The structs a caller passes are filled by the library; their sizes are
 * fixed for a major version (the soname's): fields a later schema adds
 * take slots below the CADV_*_MAX bounds, so a program built against this
 * header reads a later store's records, and passes over what it does not
 * know (present bits it has no name for).
 *
 * Section 3 of the manual has a page for each call (cadv(3)). */
#ifndef CADV_H
#define CADV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CADV_VERSION_MAJOR	0
#define CADV_VERSION_MINOR	1

/* Errors beyond errno values (positive) and LMDB's (negative, MDB_*). */
enum cadv_error {
	CADV_NOTFOUND = -30798,	/* no such record (LMDB's MDB_NOTFOUND) */
	CADV_CORRUPT = -30000,	/* a key or value is not of this schema */
	CADV_NOSTORE = -30001,	/* no store at that path */
	CADV_SCHEMA = -30002,	/* the store has a newer schema version */
	CADV_NOTCADV = -30003,	/* an LMDB environment, but not cadv's */
	CADV_FOREIGN = -30004,	/* another user's directory (root, writers) */
	CADV_UNSAFE = -30005,	/* a link or odd file where a store file goes */
	CADV_UPGRADING = -30006, /* an older schema a writer upgrades when it
				  * starts */
	CADV_AMBIGUOUS = -30007, /* a name or id prefix naming more than one
				  * container */
};

/* Bounds of the stored values; a value beyond them is CADV_CORRUPT. */
#define CADV_NAME_MAX		4096	/* a container (cgroup) name */
#define CADV_MAX_CPUS		1024
#define CADV_MAX_BLK		256
#define CADV_MAX_NET		64
#define CADV_IFNAME_LEN		16
#define CADV_SCALARS_MAX	128	/* scalar slots of a sample */
#define CADV_SPEC_MAX		64	/* spec slots of a container */
#define CADV_DISKIO_MAX		16	/* extra counters of a block device */
#define CADV_UNLIMITED		UINT64_MAX

/* ---- records ------------------------------------------------------- */

/* A sample's scalars in stored order: X(NAME, JSON path, unit).  Units:
 * ns (time), bytes, count, ppm (PSI averages: percent x 10000), milli
 * (load averages x 1000).  The path is cAdvisor's ContainerStats field. */
#define CADV_SAMPLE_FIELDS(X) \
	X(CPU_TOTAL,		"cpu.usage.total",		"ns") \
	X(CPU_USER,		"cpu.usage.user",		"ns") \
	X(CPU_SYSTEM,		"cpu.usage.system",		"ns") \
	X(CPU_PERIODS,		"cpu.cfs.periods",		"count") \
	X(CPU_THROTTLED_PERIODS, "cpu.cfs.throttled_periods",	"count") \
	X(CPU_THROTTLED_TIME,	"cpu.cfs.throttled_time",	"ns") \
	X(MEM_USAGE,		"memory.usage",			"bytes") \
	X(MEM_MAX_USAGE,	"memory.max_usage",		"bytes") \
	X(MEM_CACHE,		"memory.cache",			"bytes") \
	X(MEM_RSS,		"memory.rss",			"bytes") \
	X(MEM_RSS_HUGE,		"memory.rss_huge",		"bytes") \
	X(MEM_SHMEM,		"memory.shmem",			"bytes") \
	X(MEM_MAPPED_FILE,	"memory.mapped_file",		"bytes") \
	X(MEM_DIRTY,		"memory.file_dirty",		"bytes") \
	X(MEM_WRITEBACK,	"memory.file_writeback",	"bytes") \
	X(MEM_SWAP,		"memory.swap",			"bytes") \
	X(MEM_ACTIVE_FILE,	"memory.total_active_file",	"bytes") \
	X(MEM_INACTIVE_FILE,	"memory.total_inactive_file",	"bytes") \
	X(MEM_WORKING_SET,	"memory.working_set",		"bytes") \
	X(MEM_KERNEL,		"memory.kernel",		"bytes") \
	X(MEM_FAILCNT,		"memory.failcnt",		"count") \
	X(MEM_PGFAULT,		"memory.pgfault",		"count") \
	X(MEM_PGMAJFAULT,	"memory.pgmajfault",		"count") \
	X(MEM_OOM,		"memory.oom",			"count") \
	X(MEM_OOM_KILL,		"memory.oom_kill",		"count") \
	X(IO_READ_BYTES,	"diskio.read_bytes",		"bytes") \
	X(IO_WRITE_BYTES,	"diskio.write_bytes",		"bytes") \
	X(IO_READ_OPS,		"diskio.read_ops",		"count") \
	X(IO_WRITE_OPS,		"diskio.write_ops",		"count") \
	X(PIDS_CURRENT,		"pids.current",			"count") \
	X(PROCESSES,		"processes.process_count",	"count") \
	X(THREADS,		"processes.threads_current",	"count") \
	X(PSI_CPU_SOME_AVG10,	"cpu.psi.some.avg10",		"ppm") \
	X(PSI_CPU_SOME_AVG60,	"cpu.psi.some.avg60",		"ppm") \
	X(PSI_CPU_SOME_AVG300,	"cpu.psi.some.avg300",		"ppm") \
	X(PSI_CPU_SOME_TOTAL,	"cpu.psi.some.total",		"ns") \
	X(PSI_CPU_FULL_AVG10,	"cpu.psi.full.avg10",		"ppm") \
	X(PSI_CPU_FULL_AVG60,	"cpu.psi.full.avg60",		"ppm") \
	X(PSI_CPU_FULL_AVG300,	"cpu.psi.full.avg300",		"ppm") \
	X(PSI_CPU_FULL_TOTAL,	"cpu.psi.full.total",		"ns") \
	X(PSI_MEM_SOME_AVG10,	"memory.psi.some.avg10",	"ppm") \
	X(PSI_MEM_SOME_AVG60,	"memory.psi.some.avg60",	"ppm") \
	X(PSI_MEM_SOME_AVG300,	"memory.psi.some.avg300",	"ppm") \
	X(PSI_MEM_SOME_TOTAL,	"memory.psi.some.total",	"ns") \
	X(PSI_MEM_FULL_AVG10,	"memory.psi.full.avg10",	"ppm") \
	X(PSI_MEM_FULL_AVG60,	"memory.psi.full.avg60",	"ppm") \
	X(PSI_MEM_FULL_AVG300,	"memory.psi.full.avg300",	"ppm") \
	X(PSI_MEM_FULL_TOTAL,	"memory.psi.full.total",	"ns") \
	X(PSI_IO_SOME_AVG10,	"diskio.psi.some.avg10",	"ppm") \
	X(PSI_IO_SOME_AVG60,	"diskio.psi.some.avg60",	"ppm") \
	X(PSI_IO_SOME_AVG300,	"diskio.psi.some.avg300",	"ppm") \
	X(PSI_IO_SOME_TOTAL,	"diskio.psi.some.total",	"ns") \
	X(PSI_IO_FULL_AVG10,	"diskio.psi.full.avg10",	"ppm") \
	X(PSI_IO_FULL_AVG60,	"diskio.psi.full.avg60",	"ppm") \
	X(PSI_IO_FULL_AVG300,	"diskio.psi.full.avg300",	"ppm") \
	X(PSI_IO_FULL_TOTAL,	"diskio.psi.full.total",	"ns") \
	X(MEM_EVENTS_HIGH,	"memory.events.high",		"count") \
	X(MEM_EVENTS_MAX,	"memory.events.max",		"count") \
	X(MEM_PGSCAN,		"memory.pgscan",		"count") \
	X(MEM_PGSTEAL,		"memory.pgsteal",		"count") \
	X(MEM_WS_REFAULT_ANON,	"memory.workingset_refault_anon", "count") \
	X(MEM_WS_REFAULT_FILE,	"memory.workingset_refault_file", "count") \
	X(CPU_BURST_PERIODS,	"cpu.cfs.bursts_periods",	"count") \
	X(CPU_BURST_TIME,	"cpu.cfs.burst_time",		"ns") \
	X(LOAD_AVG,		"cpu.load_average",		"milli") \
	X(LOAD_D_AVG,		"cpu.load_d_average",		"milli") \
	X(TASKS_SLEEPING,	"task_stats.nr_sleeping",	"count") \
	X(TASKS_RUNNING,	"task_stats.nr_running",	"count") \
	X(TASKS_STOPPED,	"task_stats.nr_stopped",	"count") \
	X(TASKS_UNINTERRUPTIBLE, "task_stats.nr_uninterruptible", "count") \
	X(FD_COUNT,		"processes.fd_count",		"count") \
	X(SOCKET_COUNT,		"processes.socket_count",	"count") \
	X(ULIMIT_NOFILE_SOFT, "processes.ulimits.max_open_files.soft_limit", \
	    "count") \
	X(ULIMIT_NOFILE_HARD, "processes.ulimits.max_open_files.hard_limit", \
	    "count")
#define CADV_X_SF(e, path, unit) CADV_SF_##e,
enum cadv_sample_field { CADV_SAMPLE_FIELDS(CADV_X_SF) CADV_SF_COUNT };
#undef CADV_X_SF

/* A container's spec (limits) in stored order; CADV_UNLIMITED: "max".
 * Units: bytes, shares, us, count. */
#define CADV_SPEC_FIELDS(X) \
	X(MEM_LIMIT,		"memory.limit",		"bytes") \
	X(MEM_SWAP_LIMIT,	"memory.swap_limit",	"bytes") \
	X(MEM_RESERVATION,	"memory.reservation",	"bytes") \
	X(CPU_SHARES,		"cpu.limit",		"shares") \
	X(CPU_QUOTA,		"cpu.quota",		"us") \
	X(CPU_PERIOD,		"cpu.period",		"us") \
	X(PIDS_LIMIT,		"processes.limit",	"count")
#define CADV_X_SP(e, path, unit) CADV_SP_##e,
enum cadv_spec_field { CADV_SPEC_FIELDS(CADV_X_SP) CADV_SP_COUNT };
#undef CADV_X_SP

/* A block device's counters beyond the four every sample has (v1 blkio
 * Sync/Async/Discard, v2 io.stat discards and io.cost), in stored order. */
#define CADV_DISKIO_COUNTERS(X) \
	X(SYNC_BYTES,		"sync_bytes",		"bytes") \
	X(ASYNC_BYTES,		"async_bytes",		"bytes") \
	X(DISCARD_BYTES,	"discard_bytes",	"bytes") \
	X(SYNC_OPS,		"sync_ops",		"count") \
	X(ASYNC_OPS,		"async_ops",		"count") \
	X(DISCARD_OPS,		"discard_ops",		"count") \
	X(COST_USAGE,		"cost_usage",		"ns") \
	X(COST_WAIT,		"cost_wait",		"ns") \
	X(COST_INDEBT,		"cost_indebt",		"ns") \
	X(COST_INDELAY,		"cost_indelay",		"ns")
#define CADV_X_DX(e, name, unit) CADV_DX_##e,
enum cadv_diskio_counter { CADV_DISKIO_COUNTERS(CADV_X_DX) CADV_DX_COUNT };
#undef CADV_X_DX

/* The counters of a block device and of an interface, in stored order. */
#define CADV_BLK_COUNTERS(X) X(read_bytes) X(write_bytes) X(read_ops) \
	X(write_ops)
#define CADV_NET_COUNTERS(X) X(rx_bytes) X(rx_packets) X(rx_errors) \
	X(rx_dropped) X(tx_bytes) X(tx_packets) X(tx_errors) X(tx_dropped)
#define CADV_X_MEMBER(f) uint64_t f;

struct cadv_blk {
	uint32_t	major, minor;
	CADV_BLK_COUNTERS(CADV_X_MEMBER)
};

struct cadv_net {
	char		name[CADV_IFNAME_LEN];	/* NUL-padded */
	CADV_NET_COUNTERS(CADV_X_MEMBER)
};

struct cadv_diskio {
	uint64_t	present;	/* bit c: v[c] was read */
	uint64_t	v[CADV_DISKIO_MAX];
};

/* One sample of a container: what collectord read at one tick. */
struct cadv_sample {
	uint64_t	present[CADV_SCALARS_MAX / 64];	/* bit f: v[f] read */
	uint64_t	v[CADV_SCALARS_MAX];
	uint16_t	ncpu, nblk, nnet;
	uint64_t	percpu[CADV_MAX_CPUS];		/* ns */
	struct cadv_blk	blk[CADV_MAX_BLK];
	struct cadv_net	net[CADV_MAX_NET];
	/* xio[i] belongs to blk[i]; xpresent is the union of their bits */
	uint64_t	xpresent;
	struct cadv_diskio xio[CADV_MAX_BLK];
};

static inline int
cadv_sample_has(const struct cadv_sample *s, enum cadv_sample_field f)
{
	return (unsigned)f < CADV_SCALARS_MAX &&
	    ((s->present[f / 64] >> (f % 64)) & 1);
}

enum cadv_container_flags {
	CADV_CF_V2 = 1u << 0,		/* on the unified hierarchy */
	CADV_CF_UNREADABLE = 1u << 1,	/* some cgroup file was unreadable:
					 * its stats are absent or partial */
};

/* A container (cgroup) as collectord keeps it: names are bytes, any but
 * NUL and "/" between components; "/" is the root container. */
struct cadv_container {
	uint64_t	id;
	uint64_t	created_ns;	/* cAdvisor's CreationTime */
	uint64_t	deleted_ns;	/* 0 while live */
	uint32_t	flags;		/* enum cadv_container_flags */
	uint64_t	spec_present;	/* bit f: spec[f] was read */
	uint64_t	spec[CADV_SPEC_MAX];
	size_t		name_len;
	char		name[CADV_NAME_MAX + 1];	/* NUL-ended too */
	size_t		mask_len;
	char		cpu_mask[256];	/* cpuset.cpus as the kernel prints it */
};

static inline int
cadv_spec_has(const struct cadv_container *c, enum cadv_spec_field f)
{
	return (unsigned)f < CADV_SPEC_MAX && ((c->spec_present >> f) & 1);
}

enum cadv_event_type {
	CADV_EV_OOM = 1,
	CADV_EV_OOM_KILL = 2,
	CADV_EV_CONTAINER_CREATION = 3,
	CADV_EV_CONTAINER_DELETION = 4,
};
#define CADV_EV_TYPE_MAX	4

enum cadv_event_flags {
	CADV_EVF_FROM_COUNTER = 1u << 0, /* from oom_kill counters, not kmsg */
};

struct cadv_event {
	uint64_t	seq;
	uint64_t	ts_ns;
	enum cadv_event_type type;
	uint32_t	flags;		/* enum cadv_event_flags */
	uint32_t	pid;		/* 0: unknown */
	size_t		container_len, victim_len, comm_len;
	char		container[CADV_NAME_MAX + 1];
	char		victim[CADV_NAME_MAX + 1];
	char		comm[64];
};

/* A filesystem's usage (statfs), bytes and inodes. */
struct cadv_fs {
	uint64_t	capacity, available, used;
	uint64_t	inodes, inodes_free;
};

/* A block device's /proc/diskstats counters, in the kernel's order and
 * units (counts, 512-byte sectors, ms; IO_IN_PROGRESS a gauge). */
enum cadv_ds_counter {
	CADV_DS_READS, CADV_DS_READS_MERGED, CADV_DS_SECTORS_READ,
	CADV_DS_READ_MS, CADV_DS_WRITES, CADV_DS_WRITES_MERGED,
	CADV_DS_SECTORS_WRITTEN, CADV_DS_WRITE_MS, CADV_DS_IO_IN_PROGRESS,
	CADV_DS_IO_MS, CADV_DS_WEIGHTED_IO_MS,
	CADV_DS_COUNT
};
struct cadv_disk_stats {
	uint32_t	major, minor;
	uint64_t	v[CADV_DS_COUNT];
};

/* One minute of a container's cpu (millicores) and memory (working set,
 * bytes), as cAdvisor's summary keeps it. */
enum cadv_minute_flags {
	CADV_MF_CPU = 1u << 0,
	CADV_MF_MEMORY = 1u << 1,
};
struct cadv_percentiles {
	uint64_t	mean, max, fifty, ninety, ninetyfive;
};
struct cadv_minute {
	uint64_t	start_ns;
	uint32_t	nsamples;	/* samples taken in the minute */
	uint32_t	nrates;		/* cpu rates among them */
	uint32_t	percent;	/* percent_complete, 0 to 100 */
	uint32_t	flags;		/* enum cadv_minute_flags */
	struct cadv_percentiles cpu, memory;
};

/* A daemon's own process figures, written with its heartbeat. */
enum cadv_process_field {
	CADV_PF_CPU,		/* user + system, ns */
	CADV_PF_RSS,		/* bytes */
	CADV_PF_VSIZE,		/* bytes */
	CADV_PF_START,		/* ns since the epoch */
	CADV_PF_OPEN_FDS,
	CADV_PF_MAX_FDS,	/* CADV_UNLIMITED: no limit */
	CADV_PF_COUNT
};
struct cadv_process {
	uint64_t	written_ns;
	uint32_t	pid;
	uint32_t	present;	/* bit f: v[f] was read */
	uint64_t	v[CADV_PF_COUNT];
};

/* A container's writable layer as identd measured it (du). */
struct cadv_layer {
	uint64_t	measured_ns;
	uint64_t	bytes, inodes;
	uint32_t	major, minor;	/* the filesystem holding it */
	uint64_t	walk_ns;	/* what the walk took */
	uint32_t	flags;
};

/* A container's runtime identity (docker, containerd, podman, CRI-O).
 * Strings are read with cadv_ident_str(); they hold any byte but NUL. */
enum cadv_runtime {
	CADV_RT_UNKNOWN = 0,
	CADV_RT_DOCKER = 1,
	CADV_RT_CONTAINERD = 2,
	CADV_RT_PODMAN = 3,
	CADV_RT_CRIO = 4,
};
#define CADV_RT_MAX		4

#define CADV_IDENT_STRINGS(X) \
	X(ID,			"id")		/* runtime's container id */ \
	X(CGROUP,		"cgroup")	/* cadv container name */ \
	X(NAME,			"name")		/* first alias ("" none) */ \
	X(IMAGE,		"image") \
	X(RT_NAMESPACE,		"rt_namespace")	/* containerd namespace */ \
	X(POD_NAME,		"pod")		/* Kubernetes pod */ \
	X(POD_NAMESPACE,	"namespace") \
	X(POD_UID,		"pod_uid") \
	X(CONTAINER_NAME,	"container")	/* in the pod spec */ \
	X(SANDBOX_ID,		"sandbox_id")	/* the pod's pause container */ \
	X(NETNS_OWNER,		"netns_owner")	/* id whose netns it shares */
#define CADV_X_IS(e, n) CADV_IS_##e,
enum cadv_ident_str { CADV_IDENT_STRINGS(CADV_X_IS) CADV_IS_COUNT };
#undef CADV_X_IS

enum cadv_ident_flags {
	CADV_IDF_SANDBOX = 1u << 0,	/* a pod's sandbox (pause) container */
	CADV_IDF_POD = 1u << 1,		/* a pod-level cgroup */
	CADV_IDF_EXITED = 1u << 2,	/* exit_code, finished_ns are known */
	CADV_IDF_OOM_KILLED = 1u << 3,	/* the runtime recorded an OOM kill */
};

#define CADV_IDENT_STR_MAX	4096
#define CADV_IDENT_KEY_MAX	256
#define CADV_IDENT_KV_MAX	256
#define CADV_IDENT_ARENA	65536

struct cadv_ident_span {
	uint32_t	off, len;
};
struct cadv_ident_kv {
	struct cadv_ident_span k, v;
};
struct cadv_ident {
	enum cadv_runtime runtime;
	uint32_t	flags;		/* enum cadv_ident_flags */
	int32_t		exit_code;	/* with CADV_IDF_EXITED */
	uint32_t	restart_count;
	uint32_t	pid;		/* main process, 0 unknown */
	uint64_t	created_ns, started_ns, finished_ns;
	uint64_t	seen_ns;	/* first stored */
	uint64_t	gone_ns;	/* the runtime dropped it; 0 while known */
	struct cadv_ident_span s[CADV_IS_COUNT];
	uint32_t	nlabels, nenv;
	struct cadv_ident_kv labels[CADV_IDENT_KV_MAX];
	struct cadv_ident_kv env[CADV_IDENT_KV_MAX];
	uint32_t	used;
	char		arena[CADV_IDENT_ARENA];
};

/* ---- the store ----------------------------------------------------- */

struct cadv;		/* an open store */
struct cadv_txn;	/* a snapshot of it */

/* Opens the store in dir read-only.  NULL: the daemons' default,
 * $CADV_STORE, else /run/cadv for root and $XDG_RUNTIME_DIR/cadv or
 * /tmp/cadv-$UID for anyone else (those two only when they are private
 * directories of the caller's).  On failure *out is NULL and err holds a
 * sentence naming the file and the cause. */
int	cadv_open(const char *dir, struct cadv **out, char *err, size_t errsz);
void	cadv_close(struct cadv *);
const char *cadv_dir(const struct cadv *);
/* A sentence for an error code. */
const char *cadv_strerror(int);
/* cadv_strerror, or for CADV_CORRUPT the table, key and reason of this
 * handle's last corruption (threads sharing a handle share it: the
 * latest any of them met). */
const char *cadv_error(const struct cadv *, int);

int	cadv_begin(struct cadv *, struct cadv_txn **);
void	cadv_end(struct cadv_txn *);

/* The store's own health: map and reader slots, stale slots cleared,
 * the thread holding the writer lock (0: none). */
struct cadv_usage {
	size_t		map_size, used;
	unsigned	readers_used, readers_max;
};
int	cadv_usage(struct cadv *, struct cadv_usage *);
int	cadv_reader_check(struct cadv *, int *dead);
int	cadv_writer_holder(const struct cadv *, int32_t *tid);

/* ---- containers and samples ---------------------------------------- */

typedef int (*cadv_container_cb)(const struct cadv_container *, void *arg);
typedef int (*cadv_sample_cb)(uint64_t ts_ns, const struct cadv_sample *,
	    void *arg);

/* By exact name (bytes, len of them). */
int	cadv_container_find(struct cadv_txn *, const char *name, size_t len,
	    struct cadv_container *);
int	cadv_container_get(struct cadv_txn *, uint64_t id,
	    struct cadv_container *);
/* Every container, live and deleted (deleted_ns != 0), in id order; a
 * non-zero return of cb stops the walk and is returned. */
int	cadv_containers_each(struct cadv_txn *, cadv_container_cb, void *arg);

int	cadv_sample_latest(struct cadv_txn *, uint64_t id, uint64_t *ts_ns,
	    struct cadv_sample *);
/* from <= ts <= to, oldest first */
int	cadv_samples_range(struct cadv_txn *, uint64_t id, uint64_t from,
	    uint64_t to, cadv_sample_cb, void *arg);
/* the newest n, oldest first */
int	cadv_samples_last(struct cadv_txn *, uint64_t id, size_t n,
	    cadv_sample_cb, void *arg);

/* Names for numbers: a field's cAdvisor path and unit (NULL past the
 * fields this version knows). */
const char *cadv_sample_field_path(enum cadv_sample_field);
const char *cadv_sample_field_unit(enum cadv_sample_field);
const char *cadv_spec_field_path(enum cadv_spec_field);
const char *cadv_diskio_counter_name(enum cadv_diskio_counter);

/* Per-minute aggregates of a container (summary), oldest first. */
typedef int (*cadv_minute_cb)(const struct cadv_minute *, void *arg);
int	cadv_minutes_range(struct cadv_txn *, uint64_t id, uint64_t from,
	    uint64_t to, cadv_minute_cb, void *arg);

/* cAdvisor's DerivedStats (v2 summary) of a container at now_ns: the
 * newest closed minute, and the hour and the day made of the minutes
 * before now (percent: the share of their minutes stored); latest_* the
 * rate between the newest two samples (millicores) and the newest working
 * set.  timestamp_ns 0: no minute closed yet. */
struct cadv_summary {
	uint64_t	timestamp_ns;
	uint64_t	latest_cpu, latest_memory;
	struct cadv_minute minute, hour, day;
};
int	cadv_summary(struct cadv_txn *, uint64_t id, uint64_t now_ns,
	    struct cadv_summary *);

/* ---- identities ---------------------------------------------------- */

typedef int (*cadv_ident_cb)(const struct cadv_ident *, void *arg);
/* The identity of a container name as it was at at_ns (0: now). */
int	cadv_ident_find(struct cadv_txn *, const char *cgroup, size_t len,
	    uint64_t at_ns, struct cadv_ident *);
int	cadv_idents_each(struct cadv_txn *, cadv_ident_cb, void *arg);
/* A container by what users call it: its name, runtime id or a prefix of
 * it, namespace/pod/container; *nmatch counts the candidates
 * (CADV_AMBIGUOUS past one). */
int	cadv_ident_resolve(struct cadv_txn *, const char *query, size_t len,
	    struct cadv_ident *, size_t *nmatch);
int	cadv_ident_matches(struct cadv_txn *, const char *query, size_t len,
	    cadv_ident_cb, void *arg);
/* Whether identity id, found by c's name, is c's: not a record the
 * runtime dropped before c's cgroup was made (an earlier container of
 * the same cgroup name). */
int	cadv_ident_belongs(const struct cadv_ident *id,
	    const struct cadv_container *c);
/* The identity of container c: 0, CADV_NOTFOUND when no runtime named
 * its cgroup (or only an earlier container of that name), or an error. */
int	cadv_container_ident(struct cadv_txn *, const struct cadv_container *c,
	    struct cadv_ident *id);
/* The reverse: the live container of identity id (one cadv_ident_resolve
 * found): its cgroup's record, when that is id's and not deleted.  0,
 * CADV_NOTFOUND when it is not running (no cgroup, a deleted one, or a
 * later container's of the same name), or an error. */
int	cadv_ident_container(struct cadv_txn *, const struct cadv_ident *id,
	    struct cadv_container *c);
/* A string of an identity ("" unset) and its length (len may be NULL). */
const char *cadv_ident_str(const struct cadv_ident *, enum cadv_ident_str,
	    size_t *len);
const char *cadv_ident_str_name(enum cadv_ident_str);	/* "id" ... */
/* A label's value, NULL when absent; the i-th label or variable. */
const char *cadv_ident_label(const struct cadv_ident *, const char *key);
int	cadv_ident_label_at(const struct cadv_ident *, size_t i,
	    const char **key, const char **value);
int	cadv_ident_env_at(const struct cadv_ident *, size_t i,
	    const char **key, const char **value);
const char *cadv_runtime_name(enum cadv_runtime);	/* "docker" ... */

/* The writable layer of a container's identity (cgroup, seen_ns). */
int	cadv_layer_get(struct cadv_txn *, const char *cgroup, size_t len,
	    uint64_t seen_ns, struct cadv_layer *);

/* ---- machine, daemons, filesystems --------------------------------- */

/* The kubelet's MachineInfo and VersionInfo: cAdvisor's JSON documents
 * as collectord wrote them; *json points into the snapshot (valid until
 * cadv_end), not NUL-ended. */
int	cadv_machine_info(struct cadv_txn *, const char **json, size_t *len);
int	cadv_version_info(struct cadv_txn *, const char **json, size_t *len);
/* collectord's tick and the samples' storage duration. */
int	cadv_interval(struct cadv_txn *, uint64_t *ns);
int	cadv_storage_duration(struct cadv_txn *, uint64_t *ns);

/* The daemons that write the store, for cadv_heartbeat and
 * cadv_process: X(ENUM, name). */
#define CADV_WRITERS(X) \
	X(COLLECTORD,	"collectord") \
	X(EVENTD,	"eventd") \
	X(IDENTD,	"identd")
#define CADV_X_W(e, n) CADV_W_##e,
enum cadv_writer { CADV_WRITERS(CADV_X_W) CADV_W_COUNT };
#undef CADV_X_W
const char *cadv_writer_name(enum cadv_writer);
/* When the daemon last wrote (ns since the epoch). */
int	cadv_heartbeat(struct cadv_txn *, enum cadv_writer, uint64_t *ts_ns);
int	cadv_process(struct cadv_txn *, enum cadv_writer, struct cadv_process *);

/* A filesystem's newest usage, or its newest at or before at_ns. */
int	cadv_fs_latest(struct cadv_txn *, uint32_t major, uint32_t minor,
	    uint64_t *ts_ns, struct cadv_fs *);
int	cadv_fs_at(struct cadv_txn *, uint32_t major, uint32_t minor,
	    uint64_t at_ns, uint64_t *ts_ns, struct cadv_fs *);
int	cadv_diskstats_latest(struct cadv_txn *, uint32_t major,
	    uint32_t minor, uint64_t *ts_ns, struct cadv_disk_stats *);
int	cadv_diskstats_at(struct cadv_txn *, uint32_t major, uint32_t minor,
	    uint64_t at_ns, uint64_t *ts_ns, struct cadv_disk_stats *);

/* ---- events -------------------------------------------------------- */

/* cAdvisor's events.Request. */
struct cadv_event_request {
	uint64_t	start_ns, end_ns;	/* inclusive; 0: unbounded */
	uint32_t	types;		/* bit t: type t; 0 matches nothing */
	int64_t		max;		/* the newest max; -1: all */
	size_t		container_len;	/* 0: any container */
	char		container[CADV_NAME_MAX + 1];
	int		subcontainers;	/* and the containers under it */
	unsigned	flags;		/* enum cadv_event_request_flags */
};
enum cadv_event_request_flags {
	/* OOMs named as cAdvisor's API names them: an oomKill by the
	 * cgroup whose limit was hit, an oom by the killed task's (the store
	 * keeps eventd's names, the reverse); matched by those names */
	CADV_EVQ_CADVISOR_NAMES = 1u << 0,
};
#define CADV_EV_TYPES_ALL	((1u << (CADV_EV_TYPE_MAX + 1)) - 2)

typedef int (*cadv_event_cb)(const struct cadv_event *, void *arg);
/* All types, any container, the newest 10 (cAdvisor's defaults). */
void	cadv_event_request_init(struct cadv_event_request *);
int	cadv_event_matches(const struct cadv_event_request *,
	    const struct cadv_event *);
/* The stored events a request selects, oldest first: with max >= 0 the
 * newest max of them, found by counting back from the newest event (a
 * short request reads few events however many are kept). */
int	cadv_events(struct cadv_txn *, const struct cadv_event_request *,
	    cadv_event_cb, void *arg);
/* Every event from sequence number from_seq on; the newest's number. */
int	cadv_events_each(struct cadv_txn *, uint64_t from_seq, cadv_event_cb,
	    void *arg);
int	cadv_events_last(struct cadv_txn *, uint64_t *seq);
const char *cadv_event_type_name(enum cadv_event_type);	/* oom_kill */
const char *cadv_event_type_cadvisor(enum cadv_event_type);	/* oomKill */
int	cadv_event_type_parse(const char *, enum cadv_event_type *);

/* ---- waiting for events (eventd's socket) -------------------------- */

struct cadv_watch;
/* Subscribes on eventd's socket (NULL: events.sock in cadv's default
 * store directory, as cadvctl finds it): the stored events the request
 * selects, then live ones as they happen, in sequence order, with the
 * names eventd stores (the request's end_ns must be 0 and its flags
 * none: EINVAL).  err holds a sentence on failure. */
int	cadv_watch_events(const char *socket,
	    const struct cadv_event_request *, struct cadv_watch **,
	    char *err, size_t errsz);
/* The descriptor to poll for input. */
int	cadv_watch_fd(const struct cadv_watch *);
/* The next event, waiting up to timeout_ms (-1: no limit): 0, ETIMEDOUT,
 * CADV_NOTFOUND when eventd closed the stream, ECONNABORTED when eventd
 * refused the request (cadv_watch_error says why), CADV_CORRUPT on a
 * line that is not an event (the next call reads on), or an errno value.
 * *dropped (may be NULL) adds the events eventd had to drop for this
 * subscriber since the last call. */
int	cadv_watch_next(struct cadv_watch *, int timeout_ms,
	    struct cadv_event *, uint64_t *dropped);
/* Why the last call failed: eventd's refusal, or what a bad line was. */
const char *cadv_watch_error(const struct cadv_watch *);
void	cadv_watch_close(struct cadv_watch *);

/* ---- the kubelet's calls of cAdvisor ------------------------------- */

/* cAdvisor's ContainerInfoRequest (v1): the newest num_stats samples
 * (0: cAdvisor's default, 60; -1: all) between start_ns and end_ns
 * (inclusive; 0: unbounded). */
#define CADV_NUM_STATS_DEFAULT	60
struct cadv_info_request {
	int		num_stats;
	uint64_t	start_ns, end_ns;
};
/* cAdvisor's v2 RequestOptions.  CADV_ID_NAME: name is a container
 * (cgroup) name; DOCKER, PODMAN: a container of that runtime by its
 * name, id, unique id prefix (cadv_ident_resolve), with recursive only
 * "/" (every live one of the runtime).  MaxAge has no field: cAdvisor
 * refreshes stats older than it, and collectord's are as new as the
 * store has them. */
enum cadv_id_type { CADV_ID_NAME, CADV_ID_DOCKER, CADV_ID_PODMAN };
struct cadv_info_options {
	enum cadv_id_type id_type;
	int		count;		/* newest count samples; -1: all */
	int		recursive;	/* and every container under it */
};
/* What a container-info call gives: each live container once, in id
 * order (with its identity, NULL when no runtime named it), then its
 * samples oldest first.  A non-zero return stops the call and is
 * returned.  Either callback may be NULL. */
struct cadv_info_cbs {
	int	(*container)(const struct cadv_container *,
		    const struct cadv_ident *, void *arg);
	int	(*sample)(const struct cadv_container *, uint64_t ts_ns,
		    const struct cadv_sample *, void *arg);
	void	*arg;
};
/* ContainerInfo: one live container (CADV_NOTFOUND: none, or deleted);
 * SubcontainerInfo: it and every live container under it (CADV_NOTFOUND
 * when there are none); ContainerInfoV2: by name or runtime id, with the
 * options (CADV_AMBIGUOUS: an id prefix of several; EINVAL: recursive
 * by id below "/", a bad id type). */
int	cadv_container_info(struct cadv_txn *, const char *name, size_t len,
	    const struct cadv_info_request *, const struct cadv_info_cbs *);
int	cadv_subcontainer_info(struct cadv_txn *, const char *name,
	    size_t len, const struct cadv_info_request *,
	    const struct cadv_info_cbs *);
int	cadv_container_info_v2(struct cadv_txn *, const char *name,
	    size_t len, const struct cadv_info_options *,
	    const struct cadv_info_cbs *);

/* cAdvisor's v2 FsInfo: a filesystem of the machine document with its
 * newest usage.  cadv knows one label, cAdvisor's "root" (mounted at
 * "/"); ts_ns 0 when collectord has stored no usage of it yet (capacity
 * is then the machine document's, the rest 0, has_inodes 0). */
enum cadv_fs_label {
	CADV_FSL_ROOT = 1u << 0,		/* "root" */
};
struct cadv_fs_info {
	uint64_t	ts_ns;			/* when its usage was read */
	char		device[4096];
	char		mountpoint[4096];
	char		type[64];
	uint32_t	major, minor;
	uint32_t	labels;			/* enum cadv_fs_label */
	int		has_inodes;
	struct cadv_fs	usage;
};
typedef int (*cadv_fs_info_cb)(const struct cadv_fs_info *, void *arg);
/* RootFsInfo: the filesystem labelled root.  GetDirFsInfo: the one
 * holding path (by the device stat(2) gives it; errno of stat, or
 * CADV_NOTFOUND when the machine document lists no such device).
 * GetFsInfo: those with the label, "" or NULL: all, in the machine
 * document's order (EINVAL: a label cadv does not know).
 * No machine document yet: CADV_NOTFOUND; one that is not a JSON object,
 * or a bad usage record: CADV_CORRUPT; an entry without a device number
 * is passed over. */
int	cadv_root_fs_info(struct cadv_txn *, struct cadv_fs_info *);
int	cadv_dir_fs_info(struct cadv_txn *, const char *path,
	    struct cadv_fs_info *);
int	cadv_fs_info(struct cadv_txn *, const char *label, cadv_fs_info_cb,
	    void *arg);

/* ---- checking a store ---------------------------------------------- */

/* The store's tables (docs/SCHEMA.md), in the order cadv_check walks
 * them after meta: X(ENUM, name). */
#define CADV_TABLES(X) \
	X(META,		"meta") \
	X(CONTAINERS,	"containers") \
	X(NAMES,	"names") \
	X(SAMPLES,	"samples") \
	X(LATEST,	"latest") \
	X(EVENTS,	"events") \
	X(FS,		"fs") \
	X(IDENTS,	"idents") \
	X(MINUTES,	"minutes") \
	X(DISKIO,	"diskio") \
	X(DISKSTATS,	"diskstats") \
	X(LAYERS,	"layers")
#define CADV_X_T(e, n) CADV_T_##e,
enum cadv_table { CADV_TABLES(CADV_X_T) CADV_T_COUNT };
#undef CADV_X_T
#define CADV_TABLES_MAX		32	/* slots for tables a later schema adds */
const char *cadv_table_name(enum cadv_table);	/* NULL past the known */

/* What a check read: records of each table (a table the store does not
 * have counts 0) and the problems found. */
struct cadv_check_counts {
	uint64_t	records[CADV_TABLES_MAX];	/* by enum cadv_table */
	uint64_t	problems;
};
/* Reads every record of every table, past bad ones, and checks what the
 * tables say of each other (names index their containers, samples and
 * latest entries belong to known containers, identities are keyed by
 * their cgroup's hash, counters in meta are ahead of what they count,
 * nothing lies more than an hour in the future).  cb gets each problem:
 * the table, the key's first 16 bytes in hex ("" for none) and why; a
 * non-zero return of cb stops the check and is returned.  Returns 0 when
 * all were good, CADV_CORRUPT when cb was called, or the error that
 * stopped the walk.  counts may be NULL. */
typedef int (*cadv_problem_cb)(const char *table, const char *key,
	    const char *why, void *arg);
int	cadv_check(struct cadv_txn *, cadv_problem_cb, void *arg,
	    struct cadv_check_counts *counts);

/* ---- an event as cAdvisor names it (cadv_evview.c); diskio bits ---- */

/* *view is e as cAdvisor's API names it (CADV_EVQ_CADVISOR_NAMES, for an
 * event from cadv_events_each): an OOM's names swapped into scratch (the
 * kill stored after an oom is read), else e itself; 0, or a store error
 * with *view e as stored. */
int	cadv_event_view(struct cadv_txn *, const struct cadv_event *e,
	    struct cadv_event *scratch, const struct cadv_event **view);

/* How often a writer stores its process figures (cadv_process): older
 * than a few of these, the writer is gone or hung. */
#define CADV_PROCESS_NOTE_NS	(10 * 1000000000ULL)

/* Whether a block device's extra counter c was read (cadv_sample's xio). */
static inline int
cadv_diskio_has(const struct cadv_diskio *x, enum cadv_diskio_counter c)
{
	return (unsigned)c < CADV_DISKIO_MAX && ((x->present >> c) & 1);
}

#ifdef __cplusplus
}
#endif

#endif
