/* The LMDB store: one environment directory shared by every process.
 * This is its reading side: readers open it read-only and use short
 * read-only transactions.  Writers open and change it through libstore
 * (storewrite.h). */
#ifndef CADV_STORE_H
#define CADV_STORE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "schema.h"

/* Errors beyond LMDB's (negative MDB_*) and errno values (positive). */
enum store_error {
	STORE_CORRUPT = CADV_CORRUPT,
	STORE_NOSTORE = CADV_NOSTORE,
	STORE_SCHEMA = CADV_SCHEMA,
	STORE_NOTCADV = CADV_NOTCADV,
	STORE_FOREIGN = CADV_FOREIGN,
	STORE_UNSAFE = CADV_UNSAFE,
	STORE_UPGRADING = CADV_UPGRADING,
	STORE_AMBIGUOUS = CADV_AMBIGUOUS,
};

enum store_flags {
	STORE_RDONLY = 1u << 0,
};

struct store;

/* Opens the store in dir read-only; on failure returns an error code and
 * a sentence naming the file in err.  A store of an older schema is
 * refused with STORE_UPGRADING (a writer upgrades it when it starts), a
 * newer one with STORE_SCHEMA. */
int	store_open_read(struct store **, const char *dir, char *err,
	    size_t errsz);
void	store_close(struct store *);
const char *store_strerror(int);
/* store_strerror, or for STORE_CORRUPT the table, key and reason. */
const char *store_error(const struct store *, int);
const char *store_dir(const struct store *);
/* A message about the last STORE_CORRUPT: which table and key, and why. */
const char *store_corruption(const struct store *);
/* The library prints nothing: what a program may want to log (the store
 * upgraded or set aside at open, stale reader slots cleared, the map
 * grown) is kept until taken.  Copies it into out and clears it; NULL when
 * there is nothing new. */
const char *store_take_note(struct store *, char *out, size_t outsz);

int	store_read_begin(struct store *, MDB_txn **);
void	store_read_end(MDB_txn *);


int	store_meta_get_u64(struct store *, MDB_txn *, const char *key,
	    uint64_t *);
/* Variable-length meta values (the machine and version JSON documents):
 * points into the map, valid until the transaction ends. */
int	store_meta_get_blob(struct store *, MDB_txn *, const char *key,
	    const void **, size_t *);
int	store_heartbeat_get(struct store *, MDB_txn *, const char *daemon,
	    uint64_t *ts_ns);

int	store_container_find(struct store *, MDB_txn *, const char *name,
	    size_t len, struct cadv_container *);
int	store_container_get(struct store *, MDB_txn *, uint64_t id,
	    struct cadv_container *);
typedef int (*store_container_cb)(const struct cadv_container *, void *arg);
/* Calls cb for each container in id order; a non-zero return stops the
 * walk and is returned. */
int	store_containers_each(struct store *, MDB_txn *, store_container_cb,
	    void *arg);

int	store_sample_latest(struct store *, MDB_txn *, uint64_t id,
	    uint64_t *ts_ns, struct cadv_sample *);
typedef int (*store_sample_cb)(uint64_t ts_ns, const struct cadv_sample *,
	    void *arg);
/* Samples of id with from <= ts <= to, oldest first. */
int	store_samples_range(struct store *, MDB_txn *, uint64_t id,
	    uint64_t from, uint64_t to, store_sample_cb, void *arg);
/* The newest n samples of id, oldest first. */
int	store_samples_last(struct store *, MDB_txn *, uint64_t id, size_t n,
	    store_sample_cb, void *arg);
/* The first and last round keys in the samples table (MDB_NOTFOUND when
 * it is empty). */
int	store_samples_bounds(struct store *, MDB_txn *, uint64_t *first,
	    uint64_t *last);

/* The newest sample of a filesystem. */
int	store_fs_latest(struct store *, MDB_txn *, uint32_t major,
	    uint32_t minor, uint64_t *ts_ns, struct cadv_fs *);
/* Its newest record at or before `at`, likewise. */
int	store_fs_at(struct store *, MDB_txn *, uint32_t major, uint32_t minor,
	    uint64_t at, uint64_t *ts_ns, struct cadv_fs *);

/* The newest event sequence number, 0 if none. */
int	store_events_last(struct store *, MDB_txn *, uint64_t *seq);
typedef int (*store_event_cb)(const struct cadv_event *, void *arg);
/* Events with seq >= from_seq in sequence order. */
int	store_events_each(struct store *, MDB_txn *, uint64_t from_seq,
	    store_event_cb, void *arg);

/* The raw tables (schema.h's STORE_TABLES), for a walk that must see
 * every record even past a bad one (cadvctl check); everything else goes
 * through the calls above. */
MDB_dbi	store_dbi(const struct store *, enum cadv_table);
/* 0 for a table the store does not have (idents, minutes, diskio,
 * diskstats, layers, in a reader's view of a store no writer of this
 * version has opened). */
int	store_has(const struct store *, enum cadv_table);
/* Records a STORE_CORRUPT for store_error and returns it. */
int	store_corrupt(struct store *, const char *table, const char *what,
	    const char *why);

struct store_usage {
	size_t	map_size;	/* bytes mapped */
	size_t	used;		/* bytes up to the last page in use */
	unsigned readers_used, readers_max;
};
int	store_usage(struct store *, struct store_usage *);
/* mdb_reader_check: clears slots of dead readers; *dead counts them,
 * with those opening the store cleared. */
int	store_reader_check(struct store *, int *dead);
/* The thread holding LMDB's writer mutex now, 0 when none (lock.mdb read
 * as libcadv/lockinfo.h knows it; ENOTSUP for a format it does not). */
int	store_writer_holder(const struct store *, pid_t *tid);

#endif
