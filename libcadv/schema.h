/* The store's layout: the one definition of every table, key and value.
 * docs/SCHEMA.md describes the same bytes for readers in other languages;
 * change both together.  Bump CADV_SCHEMA_VERSION on any change a reader
 * of this version would misread; additions it passes over (a table, a meta
 * key, scalar or spec fields at the end) do not bump it (SCHEMA.md,
 * "Versions and upgrades"). */
#ifndef CADV_SCHEMA_H
#define CADV_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "cgname.h"

#define CADV_SCHEMA_VERSION	5

/* Named databases.  Keys are big-endian so that LMDB's byte order is
 * numeric (and so time) order; values are little-endian. */
#define TBL_META	"meta"		/* ASCII key -> value (below) */
#define TBL_CONTAINERS	"containers"	/* u64 id -> container record */
#define TBL_NAMES	"names"		/* u64 fnv1a(name) -> u64 id, dupsort */
#define TBL_SAMPLES	"samples"	/* u64 round, u64 id -> u64 ts, sample */
#define TBL_LATEST	"latest"	/* u64 id -> u64 round of its newest */
#define TBL_EVENTS	"events"	/* u64 seq -> event record */
#define TBL_FS		"fs"		/* u32 major, u32 minor, u64 ts -> fs record */
#define TBL_IDENTS	"idents"	/* u64 hash(cgroup), u64 seen -> ident */
#define TBL_MINUTES	"minutes"	/* u64 id, u64 minute -> minute usage */
#define TBL_DISKIO	"diskio"	/* u64 round, u64 id -> device extras */
#define TBL_DISKSTATS	"diskstats"	/* u32 major, u32 minor, u64 ts -> counters */
#define TBL_LAYERS	"layers"	/* u64 hash(cgroup), u64 seen -> layer */
#define TBL_COUNT	12

/* meta keys */
#define META_SCHEMA	"schema"		/* u32: CADV_SCHEMA_VERSION */
#define META_NEXT_ID	"next_container_id"	/* u64: next id to assign */
#define META_NEXT_EVENT	"next_event_seq"	/* u64: next event key */
#define META_HEARTBEAT	"heartbeat."		/* + daemon: u64 ns */
#define META_PROCESS	"process."		/* + daemon: process record */
#define META_INTERVAL	"interval_ns"		/* u64: collectord's tick */
#define META_RETENTION	"storage_duration_ns"	/* u64: sample retention */
#define META_MACHINE	"machine"	/* JSON: cAdvisor's MachineInfo */
#define META_VERSION	"version"	/* JSON: cAdvisor's VersionInfo */
#define META_KMSG_BOOT	"kmsg.boot_id"	/* ASCII: boot of eventd's resume */
#define META_KMSG_SEQ	"kmsg.seq"	/* u64: last /dev/kmsg record handled */

#define SAMPLE_KEY_LEN	16
#define SAMPLE_TS_LEN	8	/* a stored sample: u64 LE ts, then the record */
#define FS_KEY_LEN	16
#define IDENT_KEY_LEN	16
#define MINUTE_KEY_LEN	16
#define MINUTE_VALUE_LEN 88
#define PROCESS_VALUE_LEN 64
#define FS_VALUE_LEN	40
#define U64_KEY_LEN	8
#define DISKSTATS_KEY_LEN 16
#define DISKSTATS_VALUE_LEN 88

/* Scalar fields of a sample, in stored order: X(ENUM, json path, unit).
 * Units: ns (time), bytes, count, ppm (PSI averages: percent x 10000),
 * milli (load averages x 1000, as cAdvisor's LoadAverage). */
#define SAMPLE_FIELDS(X) \
	X(SF_CPU_TOTAL,			"cpu.usage.total",		"ns") \
	X(SF_CPU_USER,			"cpu.usage.user",		"ns") \
	X(SF_CPU_SYSTEM,		"cpu.usage.system",		"ns") \
	X(SF_CPU_PERIODS,		"cpu.cfs.periods",		"count") \
	X(SF_CPU_THROTTLED_PERIODS,	"cpu.cfs.throttled_periods",	"count") \
	X(SF_CPU_THROTTLED_TIME,	"cpu.cfs.throttled_time",	"ns") \
	X(SF_MEM_USAGE,			"memory.usage",			"bytes") \
	X(SF_MEM_MAX_USAGE,		"memory.max_usage",		"bytes") \
	X(SF_MEM_CACHE,			"memory.cache",			"bytes") \
	X(SF_MEM_RSS,			"memory.rss",			"bytes") \
	X(SF_MEM_RSS_HUGE,		"memory.rss_huge",		"bytes") \
	X(SF_MEM_SHMEM,			"memory.shmem",			"bytes") \
	X(SF_MEM_MAPPED_FILE,		"memory.mapped_file",		"bytes") \
	X(SF_MEM_DIRTY,			"memory.file_dirty",		"bytes") \
	X(SF_MEM_WRITEBACK,		"memory.file_writeback",	"bytes") \
	X(SF_MEM_SWAP,			"memory.swap",			"bytes") \
	X(SF_MEM_ACTIVE_FILE,		"memory.total_active_file",	"bytes") \
	X(SF_MEM_INACTIVE_FILE,		"memory.total_inactive_file",	"bytes") \
	X(SF_MEM_WORKING_SET,		"memory.working_set",		"bytes") \
	X(SF_MEM_KERNEL,		"memory.kernel",		"bytes") \
	X(SF_MEM_FAILCNT,		"memory.failcnt",		"count") \
	X(SF_MEM_PGFAULT,		"memory.pgfault",		"count") \
	X(SF_MEM_PGMAJFAULT,		"memory.pgmajfault",		"count") \
	X(SF_MEM_OOM,			"memory.oom",			"count") \
	X(SF_MEM_OOM_KILL,		"memory.oom_kill",		"count") \
	X(SF_IO_READ_BYTES,		"diskio.read_bytes",		"bytes") \
	X(SF_IO_WRITE_BYTES,		"diskio.write_bytes",		"bytes") \
	X(SF_IO_READ_OPS,		"diskio.read_ops",		"count") \
	X(SF_IO_WRITE_OPS,		"diskio.write_ops",		"count") \
	X(SF_PIDS_CURRENT,		"pids.current",			"count") \
	X(SF_PROCESSES,			"processes.process_count",	"count") \
	X(SF_THREADS,			"processes.threads_current",	"count") \
	X(SF_PSI_CPU_SOME_AVG10,	"cpu.psi.some.avg10",		"ppm") \
	X(SF_PSI_CPU_SOME_AVG60,	"cpu.psi.some.avg60",		"ppm") \
	X(SF_PSI_CPU_SOME_AVG300,	"cpu.psi.some.avg300",		"ppm") \
	X(SF_PSI_CPU_SOME_TOTAL,	"cpu.psi.some.total",		"ns") \
	X(SF_PSI_CPU_FULL_AVG10,	"cpu.psi.full.avg10",		"ppm") \
	X(SF_PSI_CPU_FULL_AVG60,	"cpu.psi.full.avg60",		"ppm") \
	X(SF_PSI_CPU_FULL_AVG300,	"cpu.psi.full.avg300",		"ppm") \
	X(SF_PSI_CPU_FULL_TOTAL,	"cpu.psi.full.total",		"ns") \
	X(SF_PSI_MEM_SOME_AVG10,	"memory.psi.some.avg10",	"ppm") \
	X(SF_PSI_MEM_SOME_AVG60,	"memory.psi.some.avg60",	"ppm") \
	X(SF_PSI_MEM_SOME_AVG300,	"memory.psi.some.avg300",	"ppm") \
	X(SF_PSI_MEM_SOME_TOTAL,	"memory.psi.some.total",	"ns") \
	X(SF_PSI_MEM_FULL_AVG10,	"memory.psi.full.avg10",	"ppm") \
	X(SF_PSI_MEM_FULL_AVG60,	"memory.psi.full.avg60",	"ppm") \
	X(SF_PSI_MEM_FULL_AVG300,	"memory.psi.full.avg300",	"ppm") \
	X(SF_PSI_MEM_FULL_TOTAL,	"memory.psi.full.total",	"ns") \
	X(SF_PSI_IO_SOME_AVG10,		"diskio.psi.some.avg10",	"ppm") \
	X(SF_PSI_IO_SOME_AVG60,		"diskio.psi.some.avg60",	"ppm") \
	X(SF_PSI_IO_SOME_AVG300,	"diskio.psi.some.avg300",	"ppm") \
	X(SF_PSI_IO_SOME_TOTAL,		"diskio.psi.some.total",	"ns") \
	X(SF_PSI_IO_FULL_AVG10,		"diskio.psi.full.avg10",	"ppm") \
	X(SF_PSI_IO_FULL_AVG60,		"diskio.psi.full.avg60",	"ppm") \
	X(SF_PSI_IO_FULL_AVG300,	"diskio.psi.full.avg300",	"ppm") \
	X(SF_PSI_IO_FULL_TOTAL,		"diskio.psi.full.total",	"ns") \
	X(SF_MEM_EVENTS_HIGH,		"memory.events.high",		"count") \
	X(SF_MEM_EVENTS_MAX,		"memory.events.max",		"count") \
	X(SF_MEM_PGSCAN,		"memory.pgscan",		"count") \
	X(SF_MEM_PGSTEAL,		"memory.pgsteal",		"count") \
	X(SF_MEM_WS_REFAULT_ANON,	"memory.workingset_refault_anon", "count") \
	X(SF_MEM_WS_REFAULT_FILE,	"memory.workingset_refault_file", "count") \
	X(SF_CPU_BURST_PERIODS,		"cpu.cfs.bursts_periods",	"count") \
	X(SF_CPU_BURST_TIME,		"cpu.cfs.burst_time",		"ns") \
	X(SF_LOAD_AVG,			"cpu.load_average",		"milli") \
	X(SF_LOAD_D_AVG,		"cpu.load_d_average",		"milli") \
	X(SF_TASKS_SLEEPING,		"task_stats.nr_sleeping",	"count") \
	X(SF_TASKS_RUNNING,		"task_stats.nr_running",	"count") \
	X(SF_TASKS_STOPPED,		"task_stats.nr_stopped",	"count") \
	X(SF_TASKS_UNINTERRUPTIBLE,	"task_stats.nr_uninterruptible", "count") \
	X(SF_FD_COUNT,			"processes.fd_count",		"count") \
	X(SF_SOCKET_COUNT,		"processes.socket_count",	"count") \
	X(SF_ULIMIT_NOFILE_SOFT,	"processes.ulimits.max_open_files.soft_limit", "count") \
	X(SF_ULIMIT_NOFILE_HARD,	"processes.ulimits.max_open_files.hard_limit", "count")

#define X_ENUM(e, path, unit) e,
enum sample_field { SAMPLE_FIELDS(X_ENUM) SF_COUNT };
/* A stored sample has at least the scalars schema 5 began with and at
 * most what its two presence words can mark; a reader passes over those
 * beyond the ones it knows. */
#define SAMPLE_SCALARS_MIN	56
#define SAMPLE_SCALARS_MAX	128

/* Container spec fields, in stored order.  Units: bytes, us, count,
 * shares; UINT64_MAX means unlimited ("max"). */
#define SPEC_FIELDS(X) \
	X(SP_MEM_LIMIT,		"memory.limit",		"bytes") \
	X(SP_MEM_SWAP_LIMIT,	"memory.swap_limit",	"bytes") \
	X(SP_MEM_RESERVATION,	"memory.reservation",	"bytes") \
	X(SP_CPU_SHARES,	"cpu.limit",		"shares") \
	X(SP_CPU_QUOTA,		"cpu.quota",		"us") \
	X(SP_CPU_PERIOD,	"cpu.period",		"us") \
	X(SP_PIDS_LIMIT,	"processes.limit",	"count")
enum spec_field { SPEC_FIELDS(X_ENUM) SP_COUNT };
#undef X_ENUM
/* Likewise for a container record's spec fields (one presence word). */
#define SPEC_FIELDS_MIN		7
#define SPEC_FIELDS_MAX		64

#define CADV_UNLIMITED	UINT64_MAX

struct field_desc {
	const char	*path;		/* dotted JSON path */
	const char	*unit;
};
extern const struct field_desc sample_fields[SF_COUNT];
extern const struct field_desc spec_fields[SP_COUNT];

/* Bounds of the variable parts of a sample; a stored value beyond them is
 * corrupt. */
#define SAMPLE_MAX_CPUS	1024
#define SAMPLE_MAX_BLK	256
#define SAMPLE_MAX_NET	64
#define NET_IFNAME_LEN	16

/* The counters of a block device and of an interface, in stored order. */
#define BLK_COUNTERS(X) X(read_bytes) X(write_bytes) X(read_ops) X(write_ops)
#define NET_COUNTERS(X) X(rx_bytes) X(rx_packets) X(rx_errors) \
	X(rx_dropped) X(tx_bytes) X(tx_packets) X(tx_errors) X(tx_dropped)
#define X_U64_MEMBER(f) uint64_t f;

struct sample_blk {
	uint32_t	major, minor;
	BLK_COUNTERS(X_U64_MEMBER)
};

struct sample_net {
	char		name[NET_IFNAME_LEN];	/* NUL-padded */
	NET_COUNTERS(X_U64_MEMBER)
};

/* A block device's counters beyond the four a sample stores, kept in
 * table diskio under the sample's key: X(ENUM, JSON name, unit), in
 * stored order.  v1 blkio gives Sync, Async and Discard (its Total is Sync +
 * Async, and Read + Write + Discard); v2 io.stat gives dbytes/dios and,
 * with the io cost controller, cost.usage/wait/indebt/indelay (us, stored
 * in ns). */
#define DISKIO_COUNTERS(X) \
	X(DX_SYNC_BYTES,	"sync_bytes",		"bytes") \
	X(DX_ASYNC_BYTES,	"async_bytes",		"bytes") \
	X(DX_DISCARD_BYTES,	"discard_bytes",	"bytes") \
	X(DX_SYNC_OPS,		"sync_ops",		"count") \
	X(DX_ASYNC_OPS,		"async_ops",		"count") \
	X(DX_DISCARD_OPS,	"discard_ops",		"count") \
	X(DX_COST_USAGE,	"cost_usage",		"ns") \
	X(DX_COST_WAIT,		"cost_wait",		"ns") \
	X(DX_COST_INDEBT,	"cost_indebt",		"ns") \
	X(DX_COST_INDELAY,	"cost_indelay",		"ns")
#define X_DX_ENUM(e, name, unit) e,
enum diskio_counter { DISKIO_COUNTERS(X_DX_ENUM) DX_COUNT };
#undef X_DX_ENUM
/* a stored record has at least the counters diskio began with and at
 * most what its presence word can mark */
#define DISKIO_COUNTERS_MIN	10
#define DISKIO_COUNTERS_MAX	64
extern const struct field_desc diskio_counters[DX_COUNT];

struct sample_diskio {
	uint64_t	present;	/* bit c: v[c] was read */
	uint64_t	v[DX_COUNT];
};

struct sample {
	uint64_t	present[2];		/* bit f set: v[f] was read */
	uint64_t	v[SF_COUNT];
	uint16_t	ncpu, nblk, nnet;
	uint64_t	percpu[SAMPLE_MAX_CPUS];	/* ns */
	struct sample_blk blk[SAMPLE_MAX_BLK];
	struct sample_net net[SAMPLE_MAX_NET];
	/* in table diskio, not in the sample's value: xio[i] belongs to
	 * blk[i]; xpresent is the union of their presence bits */
	uint64_t	xpresent;
	struct sample_diskio xio[SAMPLE_MAX_BLK];
};

static inline int
sample_has(const struct sample *s, enum sample_field f)
{
	return (s->present[f / 64] >> (f % 64)) & 1;
}

static inline void
sample_set(struct sample *s, enum sample_field f, uint64_t v)
{
	s->v[f] = v;
	s->present[f / 64] |= 1ULL << (f % 64);
}

static inline void
sample_clear(struct sample *s)
{
	s->present[0] = s->present[1] = 0;
	s->ncpu = s->nblk = s->nnet = 0;
	s->xpresent = 0;
}

/* no device extras (xio[] past nblk is never looked at) */
static inline void
sample_xio_clear(struct sample *s)
{
	uint16_t i;

	for (i = 0; i < s->nblk; i++)
		s->xio[i].present = 0;
	s->xpresent = 0;
}

static inline int
xio_has(const struct sample_diskio *x, enum diskio_counter c)
{
	return (x->present >> c) & 1;
}

enum container_flags {
	CF_V2 = 1u << 0,	/* found on the unified hierarchy */
	/* a cgroup directory or file of it could not be read (permission):
	 * its stats are absent or partial */
	CF_UNREADABLE = 1u << 1,
};

struct container {
	uint64_t	id;
	uint64_t	created_ns;	/* cAdvisor's CreationTime */
	uint64_t	deleted_ns;	/* 0 while live */
	uint32_t	flags;		/* enum container_flags */
	uint64_t	spec_present;
	uint64_t	spec[SP_COUNT];
	size_t		name_len;
	char		name[CGNAME_MAX + 1];	/* NUL for convenience only */
	size_t		mask_len;
	char		cpu_mask[256];	/* cpuset.cpus, as the kernel prints it */
};

static inline int
spec_has(const struct container *c, enum spec_field f)
{
	return (c->spec_present >> f) & 1;
}

static inline void
spec_set(struct container *c, enum spec_field f, uint64_t v)
{
	c->spec[f] = v;
	c->spec_present |= 1ULL << f;
}

enum event_type {
	EV_OOM = 1,
	EV_OOM_KILL = 2,
	EV_CONTAINER_CREATION = 3,
	EV_CONTAINER_DELETION = 4,
};
#define EV_TYPE_MAX	4

enum event_flags {
	EVF_FROM_COUNTER = 1u << 0,	/* derived from oom_kill counters */
};

#define EVENT_STR_MAX	CGNAME_MAX

struct event {
	uint64_t	seq;
	uint64_t	ts_ns;
	enum event_type	type;
	uint32_t	flags;
	uint32_t	pid;		/* 0 = unknown */
	size_t		container_len, victim_len, comm_len;
	char		container[CGNAME_MAX + 1];
	char		victim[CGNAME_MAX + 1];
	char		comm[64];
};

/* A filesystem's usage (statfs), in bytes and inodes. */
struct fs_sample {
	uint64_t	capacity;	/* f_blocks x f_frsize */
	uint64_t	available;	/* f_bavail x f_frsize */
	uint64_t	used;		/* (f_blocks - f_bfree) x f_frsize */
	uint64_t	inodes, inodes_free;
};

/* A block device's counters from /proc/diskstats (cAdvisor's
 * fs.DiskStats), in the kernel's order and units: counts, 512-byte
 * sectors, milliseconds; DS_IO_IN_PROGRESS is a gauge. */
enum ds_counter {
	DS_READS, DS_READS_MERGED, DS_SECTORS_READ, DS_READ_MS,
	DS_WRITES, DS_WRITES_MERGED, DS_SECTORS_WRITTEN, DS_WRITE_MS,
	DS_IO_IN_PROGRESS, DS_IO_MS, DS_WEIGHTED_IO_MS,
	DS_COUNT
};
struct disk_stats {
	uint32_t	major, minor;
	uint64_t	v[DS_COUNT];
};

/* One minute of a container's cpu and memory, as cAdvisor's summary
 * (info/v2 Usage) keeps it: cpu rates in millicores between consecutive
 * samples, memory the working set in bytes. */
#define MINUTE_NS	(60 * 1000000000ULL)
enum minute_flags {
	MF_CPU = 1u << 0,	/* cpu percentiles present */
	MF_MEMORY = 1u << 1,	/* memory percentiles present */
};
struct percentiles {
	uint64_t	mean, max, fifty, ninety, ninetyfive;
};
struct minute_usage {
	uint64_t	start_ns;	/* the minute's start (key) */
	uint32_t	nsamples;	/* samples taken in the minute */
	uint32_t	nrates;		/* cpu rates among them */
	uint32_t	percent;	/* percent_complete, 0 to 100 */
	uint32_t	flags;		/* enum minute_flags */
	struct percentiles cpu, memory;
};

/* A daemon's own process figures (procself.h), as client libraries give
 * an exporter's in process_*: kept in meta `process.<daemon>`. */
enum process_field {
	PF_CPU,		/* user + system, ns */
	PF_RSS,		/* bytes */
	PF_VSIZE,	/* bytes */
	PF_START,	/* start time, ns since the epoch */
	PF_OPEN_FDS,
	PF_MAX_FDS,	/* CADV_UNLIMITED: no limit */
	PF_COUNT
};
struct process_stats {
	uint64_t	written_ns;
	uint32_t	pid;
	uint32_t	present;	/* bit f: v[f] was read */
	uint64_t	v[PF_COUNT];
};

const char *event_type_name(enum event_type);	/* oom_kill ... */
const char *event_type_cadvisor(enum event_type);	/* oomKill ... */
int event_type_parse(const char *, enum event_type *);

/* Keys. */
void	key_u64(unsigned char out[U64_KEY_LEN], uint64_t);
uint64_t key_u64_get(const unsigned char *);
/* u64 in a value (little-endian): meta counters, sample times, latest */
void	val_u64(unsigned char out[8], uint64_t);
uint64_t val_u64_get(const unsigned char *);
uint32_t val_u32_get(const unsigned char *);	/* LE: the schema version */
void	key_sample(unsigned char out[SAMPLE_KEY_LEN], uint64_t round,
	    uint64_t id);
void	key_fs(unsigned char out[FS_KEY_LEN], uint32_t major, uint32_t minor,
	    uint64_t ts_ns);
void	key_ident(unsigned char out[IDENT_KEY_LEN], const char *cgroup,
	    size_t len, uint64_t seen_ns);
void	key_minute(unsigned char out[MINUTE_KEY_LEN], uint64_t id,
	    uint64_t start_ns);
/* as key_fs: the device, then the time */
void	key_diskstats(unsigned char out[DISKSTATS_KEY_LEN], uint32_t major,
	    uint32_t minor, uint64_t ts_ns);

/* Values: encode returns the size written (0 if out is too small);
 * decode returns 0 or -1 with *why set when the bytes are not a valid
 * record of this schema. */
size_t	sample_encode(const struct sample *, unsigned char *out, size_t);
size_t	sample_encoded_size(const struct sample *);
int	sample_decode(const unsigned char *, size_t, struct sample *,
	    const char **why);

size_t	container_encode(const struct container *, unsigned char *, size_t);
int	container_decode(const unsigned char *, size_t, struct container *,
	    const char **why);

void	fs_encode(const struct fs_sample *, unsigned char out[FS_VALUE_LEN]);
void	fs_decode(const unsigned char in[FS_VALUE_LEN], struct fs_sample *);

size_t	event_encode(const struct event *, unsigned char *, size_t);
int	event_decode(const unsigned char *, size_t, struct event *,
	    const char **why);

/* A sample's diskio record (its xio, for its blk devices): 0 when no
 * counter was read (nothing to store).  decode fills xio and xpresent of a
 * sample whose blk is already decoded (none on failure); a device the
 * sample lacks is corruption. */
size_t	diskio_encode(const struct sample *, unsigned char *out, size_t);
int	diskio_decode(const unsigned char *, size_t, struct sample *,
	    const char **why);

/* A process record: PROCESS_VALUE_LEN bytes; decode takes longer values
 * (additions), refuses shorter ones, and drops presence bits it does not
 * know. */
void	process_encode(const struct process_stats *,
	    unsigned char out[PROCESS_VALUE_LEN]);
int	process_decode(const unsigned char *, size_t, struct process_stats *,
	    const char **why);

/* A minute record: MINUTE_VALUE_LEN bytes; decode takes longer values
 * (additions) and refuses shorter ones or a percent above 100. */
void	minute_encode(const struct minute_usage *,
	    unsigned char out[MINUTE_VALUE_LEN]);
int	minute_decode(const unsigned char *, size_t, struct minute_usage *,
	    const char **why);

/* A diskstats record: DISKSTATS_VALUE_LEN bytes; decode takes longer
 * values (counters a later version appends) and refuses shorter ones.
 * major and minor are the key's, not the record's. */
void	diskstats_encode(const struct disk_stats *,
	    unsigned char out[DISKSTATS_VALUE_LEN]);
int	diskstats_decode(const unsigned char *, size_t, struct disk_stats *,
	    const char **why);

/* Fixed-width little-endian fields of the records: X(NAME, offset, size).
 * SCHEMA.md's tables list the same rows in the same order (check_schema
 * compares them). */
#define CONTAINER_HEADER(X) \
	X(CR_CREATED,		0,	8) \
	X(CR_DELETED,		8,	8) \
	X(CR_SPEC_PRESENT,	16,	8) \
	X(CR_FLAGS,		24,	4) \
	X(CR_NSPEC,		28,	2) \
	X(CR_NAME_LEN,		30,	2) \
	X(CR_MASK_LEN,		32,	2) \
	X(CR_ZERO,		34,	6)
#define EVENT_HEADER(X) \
	X(EVR_TS,		0,	8) \
	X(EVR_TYPE,		8,	4) \
	X(EVR_FLAGS,		12,	4) \
	X(EVR_PID,		16,	4) \
	X(EVR_CONTAINER_LEN,	20,	2) \
	X(EVR_VICTIM_LEN,	22,	2) \
	X(EVR_COMM_LEN,		24,	2) \
	X(EVR_ZERO,		26,	6)
#define FS_RECORD(X) \
	X(FSR_CAPACITY,		0,	8) \
	X(FSR_AVAILABLE,	8,	8) \
	X(FSR_USED,		16,	8) \
	X(FSR_INODES,		24,	8) \
	X(FSR_INODES_FREE,	32,	8)
/* An identity (libcadv/ident.h): this header, then IR_NSTR strings
 * (u16 length, bytes) in IDENT_STRINGS order, then IR_NLABELS and IR_NENV
 * pairs (u16 length, key, u16 length, value).  Bytes after them, and
 * strings beyond the ones this version knows, are additions a reader
 * passes over. */
#define IDENT_HEADER(X) \
	X(IR_SEEN,		0,	8) \
	X(IR_GONE,		8,	8) \
	X(IR_CREATED,		16,	8) \
	X(IR_STARTED,		24,	8) \
	X(IR_FINISHED,		32,	8) \
	X(IR_RUNTIME,		40,	2) \
	X(IR_NSTR,		42,	2) \
	X(IR_FLAGS,		44,	4) \
	X(IR_EXIT_CODE,		48,	4) \
	X(IR_RESTARTS,		52,	4) \
	X(IR_PID,		56,	4) \
	X(IR_NLABELS,		60,	2) \
	X(IR_NENV,		62,	2)
/* A process record (SCHEMA.md "meta"): its header, then a u64 for each
 * field of enum process_field, in its order. */
#define PROCESS_RECORD(X) \
	X(PR_WRITTEN,		0,	8) \
	X(PR_PID,		8,	4) \
	X(PR_PRESENT,		12,	4) \
	X(PR_CPU,		16,	8) \
	X(PR_RSS,		24,	8) \
	X(PR_VSIZE,		32,	8) \
	X(PR_START,		40,	8) \
	X(PR_OPEN_FDS,		48,	8) \
	X(PR_MAX_FDS,		56,	8)
/* A minute record (SCHEMA.md "minutes"). */
#define MINUTE_RECORD(X) \
	X(MR_NSAMPLES,		0,	2) \
	X(MR_NRATES,		2,	2) \
	X(MR_PERCENT,		4,	2) \
	X(MR_FLAGS,		6,	2) \
	X(MR_CPU_MEAN,		8,	8) \
	X(MR_CPU_MAX,		16,	8) \
	X(MR_CPU_FIFTY,		24,	8) \
	X(MR_CPU_NINETY,	32,	8) \
	X(MR_CPU_NINETYFIVE,	40,	8) \
	X(MR_MEM_MEAN,		48,	8) \
	X(MR_MEM_MAX,		56,	8) \
	X(MR_MEM_FIFTY,		64,	8) \
	X(MR_MEM_NINETY,	72,	8) \
	X(MR_MEM_NINETYFIVE,	80,	8)
/* A diskstats record (SCHEMA.md "diskstats"): the counters of enum
 * ds_counter in its order, a u64 each. */
#define DISKSTATS_RECORD(X) \
	X(DSR_READS,		0,	8) \
	X(DSR_READS_MERGED,	8,	8) \
	X(DSR_SECTORS_READ,	16,	8) \
	X(DSR_READ_MS,		24,	8) \
	X(DSR_WRITES,		32,	8) \
	X(DSR_WRITES_MERGED,	40,	8) \
	X(DSR_SECTORS_WRITTEN,	48,	8) \
	X(DSR_WRITE_MS,		56,	8) \
	X(DSR_IO_IN_PROGRESS,	64,	8) \
	X(DSR_IO_MS,		72,	8) \
	X(DSR_WEIGHTED_IO_MS,	80,	8)
/* A container's writable layer as identd measured it (SCHEMA.md
 * "layers"), keyed as its identity; bytes after these are additions. */
#define LAYER_RECORD(X) \
	X(LR_MEASURED,		0,	8) \
	X(LR_BYTES,		8,	8) \
	X(LR_INODES,		16,	8) \
	X(LR_MAJOR,		24,	4) \
	X(LR_MINOR,		28,	4) \
	X(LR_WALK_NS,		32,	8) \
	X(LR_FLAGS,		40,	4)
#define LAYER_VALUE_LEN	44
#define X_OFFSET(name, off, size) name = off,
enum minute_offset { MINUTE_RECORD(X_OFFSET) };
enum process_offset { PROCESS_RECORD(X_OFFSET) };
enum ident_offset { IDENT_HEADER(X_OFFSET) };
enum container_offset { CONTAINER_HEADER(X_OFFSET) };
enum event_offset { EVENT_HEADER(X_OFFSET) };
enum fs_offset { FS_RECORD(X_OFFSET) };
enum diskstats_offset { DISKSTATS_RECORD(X_OFFSET) };
enum layer_offset { LAYER_RECORD(X_OFFSET) };
#undef X_OFFSET
struct layout_row {
	unsigned	offset, size;
};
extern const struct layout_row container_header[], event_header[],
	fs_record[], ident_header[], minute_record[], diskstats_record[];
extern const size_t container_header_rows, event_header_rows,
	fs_record_rows, ident_header_rows, minute_record_rows,
	diskstats_record_rows;
extern const struct layout_row layer_record[];
extern const size_t layer_record_rows;
extern const struct layout_row process_record[];
extern const size_t process_record_rows;

#define CONTAINER_HDR	40
#define EVENT_HDR	32
#define IDENT_HDR	64
/* A sample's numbers are LEB128 (SCHEMA.md): at most 10 bytes a u64, 5 a
 * u32; an interface is a length byte, its name and eight numbers. */
#define UV64_MAX	10
#define UV32_MAX	5
#define SAMPLE_VALUE_MAX (UV64_MAX * (6 + SF_COUNT + SAMPLE_MAX_CPUS) + \
	(2 * UV32_MAX + 4 * UV64_MAX) * SAMPLE_MAX_BLK + \
	(NET_IFNAME_LEN + 8 * UV64_MAX) * SAMPLE_MAX_NET)
#define CONTAINER_VALUE_MAX (CONTAINER_HDR + 8 * SPEC_FIELDS_MAX + \
	CGNAME_MAX + 256)
#define EVENT_VALUE_MAX (EVENT_HDR + 2 * CGNAME_MAX + 64)
#define DISKIO_VALUE_MAX (3 * UV64_MAX + \
	(2 * UV32_MAX + DX_COUNT * UV64_MAX) * SAMPLE_MAX_BLK)

#endif
