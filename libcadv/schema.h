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

#include "cadv.h"
#include "cgname.h"

#define CADV_SCHEMA_VERSION	5
/* The oldest schema whose container and event records this one reads
 * (they have not changed since version 1): a writer upgrades a store of
 * it (libstore/upgrade.c), a reader waits for that. */
#define SCHEMA_UPGRADE_MIN	1

/* Named databases: cadv.h's CADV_TABLES is the one list of them (names,
 * order, enum cadv_table).  Keys are big-endian so that LMDB's byte order
 * is numeric (and so time) order; values are little-endian.  The tables
 * from STORE_TABLES_OPTIONAL on are additions to schema 5: a reader's
 * view of a store no writer of this version has opened lacks them.  Keys
 * and values: SCHEMA.md, and the layouts below. */
#define STORE_TABLES_OPTIONAL	CADV_T_IDENTS
/* LMDB flags of a table: names is u64 fnv1a(name) -> u64 id, dupsort */
#define STORE_TABLE_FLAGS(t) \
	((t) == CADV_T_NAMES ? MDB_DUPSORT | MDB_DUPFIXED : 0u)
#define X_TABLE_NAME(e, name) extern const char TBL_##e[];
CADV_TABLES(X_TABLE_NAME)
#undef X_TABLE_NAME
#define TBL_COUNT	CADV_T_COUNT
/* the names by index */
extern const char *const store_table_names[CADV_T_COUNT];

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
/* META_HEARTBEAT + this: eventd's, while it reads /dev/kmsg */
#define HEARTBEAT_KMSG	"eventd.kmsg"

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

/* The records' fields and structs are public: cadv.h holds the one
 * list of each; this header adds how they are stored. */
/* A stored sample has at least the scalars schema 5 began with and at
 * most what its two presence words can mark; a reader passes over those
 * beyond the ones it knows. */
#define SAMPLE_SCALARS_MIN	56
#define SAMPLE_SCALARS_MAX	CADV_SCALARS_MAX

/* Likewise for a container record's spec fields (one presence word). */
#define SPEC_FIELDS_MIN		7
#define SPEC_FIELDS_MAX		CADV_SPEC_MAX


struct field_desc {
	const char	*path;		/* dotted JSON path */
	const char	*unit;
};
extern const struct field_desc sample_fields[CADV_SF_COUNT];
extern const struct field_desc spec_fields[CADV_SP_COUNT];

/* Bounds of the variable parts of a sample; a stored value beyond them is
 * corrupt. */
#define SAMPLE_MAX_CPUS	CADV_MAX_CPUS
#define SAMPLE_MAX_BLK	CADV_MAX_BLK
#define SAMPLE_MAX_NET	CADV_MAX_NET
#define NET_IFNAME_LEN	CADV_IFNAME_LEN

#define BLK_COUNTERS(X)	CADV_BLK_COUNTERS(X)
#define NET_COUNTERS(X)	CADV_NET_COUNTERS(X)
/* a stored record has at least the counters diskio began with and at
 * most what its presence word can mark */
#define DISKIO_COUNTERS_MIN	10
#define DISKIO_COUNTERS_MAX	64
extern const struct field_desc diskio_counters[CADV_DX_COUNT];

static inline int
sample_has(const struct cadv_sample *s, enum cadv_sample_field f)
{
	return (s->present[f / 64] >> (f % 64)) & 1;
}

static inline void
sample_set(struct cadv_sample *s, enum cadv_sample_field f, uint64_t v)
{
	s->v[f] = v;
	s->present[f / 64] |= 1ULL << (f % 64);
}

static inline void
sample_clear(struct cadv_sample *s)
{
	s->present[0] = s->present[1] = 0;
	s->ncpu = s->nblk = s->nnet = 0;
	s->xpresent = 0;
}

/* no device extras (xio[] past nblk is never looked at) */
static inline void
sample_xio_clear(struct cadv_sample *s)
{
	uint16_t i;

	for (i = 0; i < s->nblk; i++)
		s->xio[i].present = 0;
	s->xpresent = 0;
}

static inline int
xio_has(const struct cadv_diskio *x, enum cadv_diskio_counter c)
{
	return (x->present >> c) & 1;
}

static inline int
spec_has(const struct cadv_container *c, enum cadv_spec_field f)
{
	return (c->spec_present >> f) & 1;
}

static inline void
spec_set(struct cadv_container *c, enum cadv_spec_field f, uint64_t v)
{
	c->spec[f] = v;
	c->spec_present |= 1ULL << f;
}

#define EVENT_STR_MAX	CGNAME_MAX

/* One minute of a container's cpu and memory, as cAdvisor's summary
 * (info/v2 Usage) keeps it: cpu rates in millicores between consecutive
 * samples, memory the working set in bytes. */
#define MINUTE_NS	(60 * 1000000000ULL)
const char *event_type_name(enum cadv_event_type);	/* oom_kill ... */
const char *event_type_cadvisor(enum cadv_event_type);	/* oomKill ... */
int event_type_parse(const char *, enum cadv_event_type *);

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
size_t	sample_encode(const struct cadv_sample *, unsigned char *out, size_t);
size_t	sample_encoded_size(const struct cadv_sample *);
int	sample_decode(const unsigned char *, size_t, struct cadv_sample *,
	    const char **why);

size_t	container_encode(const struct cadv_container *, unsigned char *, size_t);
int	container_decode(const unsigned char *, size_t, struct cadv_container *,
	    const char **why);

void	fs_encode(const struct cadv_fs *, unsigned char out[FS_VALUE_LEN]);
void	fs_decode(const unsigned char in[FS_VALUE_LEN], struct cadv_fs *);

size_t	event_encode(const struct cadv_event *, unsigned char *, size_t);
int	event_decode(const unsigned char *, size_t, struct cadv_event *,
	    const char **why);

/* A sample's diskio record (its xio, for its blk devices): 0 when no
 * counter was read (nothing to store).  decode fills xio and xpresent of a
 * sample whose blk is already decoded (none on failure); a device the
 * sample lacks is corruption. */
size_t	diskio_encode(const struct cadv_sample *, unsigned char *out, size_t);
int	diskio_decode(const unsigned char *, size_t, struct cadv_sample *,
	    const char **why);

/* A process record: PROCESS_VALUE_LEN bytes; decode takes longer values
 * (additions), refuses shorter ones, and drops presence bits it does not
 * know. */
void	process_encode(const struct cadv_process *,
	    unsigned char out[PROCESS_VALUE_LEN]);
int	process_decode(const unsigned char *, size_t, struct cadv_process *,
	    const char **why);

/* A minute record: MINUTE_VALUE_LEN bytes; decode takes longer values
 * (additions) and refuses shorter ones or a percent above 100. */
void	minute_encode(const struct cadv_minute *,
	    unsigned char out[MINUTE_VALUE_LEN]);
int	minute_decode(const unsigned char *, size_t, struct cadv_minute *,
	    const char **why);

/* A diskstats record: DISKSTATS_VALUE_LEN bytes; decode takes longer
 * values (counters a later version appends) and refuses shorter ones.
 * major and minor are the key's, not the record's. */
void	diskstats_encode(const struct cadv_disk_stats *,
	    unsigned char out[DISKSTATS_VALUE_LEN]);
int	diskstats_decode(const unsigned char *, size_t, struct cadv_disk_stats *,
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
 * field of enum cadv_process_field, in its order. */
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
#define SAMPLE_VALUE_MAX (UV64_MAX * (6 + CADV_SF_COUNT + SAMPLE_MAX_CPUS) + \
	(2 * UV32_MAX + 4 * UV64_MAX) * SAMPLE_MAX_BLK + \
	(NET_IFNAME_LEN + 8 * UV64_MAX) * SAMPLE_MAX_NET)
#define CONTAINER_VALUE_MAX (CONTAINER_HDR + 8 * SPEC_FIELDS_MAX + \
	CGNAME_MAX + 256)
#define EVENT_VALUE_MAX (EVENT_HDR + 2 * CGNAME_MAX + 64)
#define DISKIO_VALUE_MAX (3 * UV64_MAX + \
	(2 * UV32_MAX + CADV_DX_COUNT * UV64_MAX) * SAMPLE_MAX_BLK)

#endif
