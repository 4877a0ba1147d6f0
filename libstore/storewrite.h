/* The store's writing side: opening it to write (creating, upgrading or
 * setting aside what it finds) and every change to it.  Writers run their
 * work through store_write(), which redoes it in a larger map on
 * MDB_MAP_FULL.  Reads are libcadv's (store.h and its neighbours). */
#ifndef CADV_STOREWRITE_H
#define CADV_STOREWRITE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "ident.h"
#include "store.h"
#include "storeproc.h"

#define STORE_MAP_INITIAL	((size_t)64 << 20)
#define STORE_MAP_MAX		((size_t)16 << 30)
#define STORE_SIZE_MIN		((size_t)1 << 20)	/* smallest limit taken */

/* Opens (a writer creates) the store in dir; on failure returns an error
 * code and a sentence naming the file in err.  A writer upgrades a store
 * of an older schema in place and sets aside one it cannot take (newer),
 * starting afresh (docs/SCHEMA.md).  Readers: store_open_read. */
int	store_open(struct store **, const char *dir, char *err, size_t errsz);
/* Sets the map size a writer starts with and the largest it grows to. */
int	store_open_sized(struct store **, const char *dir, size_t map_initial,
	    size_t map_max, char *err, size_t errsz);

typedef int (*store_write_fn)(struct store *, MDB_txn *, void *arg);
/* Runs fn in a write transaction and commits.  fn returning MDB_MAP_FULL
 * (or a commit that fails so) grows the map and runs fn again, so fn must
 * keep no state across calls that the aborted transaction undid. */
int	store_write(struct store *, store_write_fn, void *arg);
/* How long the last store_write's commit took (the write to disk). */
uint64_t store_last_commit_ns(const struct store *);

/* meta (meta.c) */
int	store_meta_put_u64(struct store *, MDB_txn *, const char *key,
	    uint64_t);
int	store_meta_put_blob(struct store *, MDB_txn *, const char *key,
	    const void *, size_t);
int	store_heartbeat_put(struct store *, MDB_txn *, const char *daemon,
	    uint64_t ts_ns);
/* Reads this process's figures and stores them as daemon's, at most once
 * every PROCESS_NOTE_NS (storeproc.h) a handle (0 when not due, or when
 * /proc gave nothing). */
int	store_process_note(struct store *, MDB_txn *, const char *daemon,
	    uint64_t now_ns);

/* containers (containers.c) */
/* Stores a new container and its name index entry; sets c->id. */
int	store_container_add(struct store *, MDB_txn *, struct cadv_container *);
/* Rewrites the record of an existing container (same id and name). */
int	store_container_put(struct store *, MDB_txn *, const struct cadv_container *);
/* Deletes a container's record, its name index entry, its samples and
 * its entry in the latest table. */
int	store_container_del(struct store *, MDB_txn *, const struct cadv_container *);

/* samples (samples.c): stored by round (docs/SCHEMA.md).
 * store_sample_put makes a round of one sample keyed by its time, in any
 * order (tools, tests). */
int	store_sample_put(struct store *, MDB_txn *, uint64_t id,
	    uint64_t ts_ns, const struct cadv_sample *);
/* A writer's round: store_round_begin gives the key for samples none
 * older than first_ts (later than every stored round); store_sample_append
 * then stores each already encoded sample (sample_encode) of the round in
 * ascending id order (else MDB_KEYEXIST). */
int	store_round_begin(struct store *, MDB_txn *, uint64_t first_ts,
	    uint64_t *round);
int	store_sample_append(struct store *, MDB_txn *, uint64_t round,
	    uint64_t id, uint64_t ts_ns, const void *enc, size_t len);
/* A sample's device extras (diskio_encode), stored beside it in the same
 * order as store_sample_append. */
int	store_diskio_append(struct store *, MDB_txn *, uint64_t round,
	    uint64_t id, const void *enc, size_t len);
/* Deletes the samples of id older than before. */
int	store_samples_prune(struct store *, MDB_txn *, uint64_t id,
	    uint64_t before, size_t *ndeleted);
/* Deletes every sample older than before, whatever its container. */
int	store_samples_prune_all(struct store *, MDB_txn *, uint64_t before,
	    size_t *ndeleted);

/* events (events.c) */
/* Appends an event; sets e->seq. */
int	store_event_add(struct store *, MDB_txn *, struct cadv_event *);
/* Deletes, oldest first, events older than now - max_age[type] (0: no
 * limit) and the first excess[type] events of each type. */
int	store_events_prune(struct store *, MDB_txn *, uint64_t now,
	    const uint64_t *max_age, int64_t *excess, size_t *ndeleted);

/* filesystems and their disks (devices.c) */
int	store_fs_put(struct store *, MDB_txn *, uint32_t major, uint32_t minor,
	    uint64_t ts_ns, const struct cadv_fs *);
int	store_fs_prune(struct store *, MDB_txn *, uint64_t before, size_t *n);
/* Stores d under (d->major, d->minor, ts_ns). */
int	store_diskstats_put(struct store *, MDB_txn *, uint64_t ts_ns,
	    const struct cadv_disk_stats *);
/* Deletes every record older than `before` (and any key not 16 bytes);
 * *n counts them. */
int	store_diskstats_prune(struct store *, MDB_txn *, uint64_t before,
	    size_t *n);

/* identities and their writable layers (idents.c) */
/* Stores id under its cgroup (non-empty) and seen_ns, replacing a record
 * with the same key. */
int	store_ident_put(struct store *, MDB_txn *, const struct cadv_ident *);
int	store_ident_del(struct store *, MDB_txn *, const struct cadv_ident *);
/* Deletes records gone before `before`, and their layers; *n counts
 * them. */
int	store_idents_prune(struct store *, MDB_txn *, uint64_t before,
	    size_t *n);
int	store_layer_put(struct store *, MDB_txn *, const char *cgroup,
	    size_t len, uint64_t seen_ns, const struct cadv_layer *);
/* By the identity's key (IDENT_KEY_LEN bytes): 0 also when none. */
int	store_layer_del_key(struct store *, MDB_txn *, const void *key);

/* the summary's minutes (minutes.c) */
/* Stores m under (id, m->start_ns), replacing a record with that key. */
int	store_minute_put(struct store *, MDB_txn *, uint64_t id,
	    const struct cadv_minute *);
/* Deletes every minute starting before `before`; *n counts them. */
int	store_minutes_prune(struct store *, MDB_txn *, uint64_t before,
	    size_t *n);

#endif
