/* The store handle's insides, shared by the reading side (libcadv) and
 * the writing side (libstore) and by nothing else: never installed, never
 * included by a program. */
#ifndef CADV_STORE_IMPL_H
#define CADV_STORE_IMPL_H

#include <limits.h>
#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct store {
	MDB_env		*env;
	MDB_dbi		 dbi[TBL_COUNT];
	/* an optional table (schema.h) a reader's view lacks is 0 */
	unsigned char	 has[TBL_COUNT];
	unsigned	 flags;
	size_t		 map_size, map_max;
	char		 dir[PATH_MAX];
	char		 corrupt[CGNAME_MAX + 256];
	int		 stale_at_open;	/* reader slots cleared by store_open */
	uint32_t	 found_version;	/* the schema the tables were found in */
	char		 note[1024];	/* for store_take_note */
	int		 lockfd;	/* lock.mdb, read by store_writer_holder */
	/* the writer's */
	uint64_t	 commit_ns;	/* the last write's mdb_txn_commit */
	uint64_t	 process_noted;	/* store_process_note's last note */
};

/* Something a program may want to log (the library prints nothing). */
void	store_note(struct store *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Opening, in steps the reader's and the writer's open share: a handle
 * for dir (store_close frees it on failure too), ... */
int	store_new(struct store **, const char *dir, unsigned flags,
	    size_t map_initial, size_t map_max, char *err, size_t errsz);
/* ... the first of the store's files that is there but is not a regular
 * file with one link (a link planted while a user had the directory):
 * its name, *e saying why (ELOOP for a symbolic link, EMLINK for a hard
 * link, EINVAL for anything else; store_entry_what in words), NULL when
 * none; ... */
const char *store_unsafe_file(int dirfd, int *e);
const char *store_entry_what(int e);
/* ... data.mdb whole before LMDB maps it (STORE_CORRUPT, err saying
 * "DIR/data.mdb: damaged: ..."); ... */
int	store_data_check(struct store *, int dirfd, char *err, size_t errsz);
/* ... the environment, LMDB's files opened through dirfd (a path swapped
 * under us is not followed), and its tables by fn in the first
 * transaction (on failure st->env is closed); ... */
typedef int (*store_tables_fn)(struct store *, MDB_txn *, char *err,
	    size_t errsz);
int	store_env_open(struct store *, int dirfd, store_tables_fn,
	    char *err, size_t errsz);
/* ... (fn's common part: the tables of STORE_TABLES, created when the
 * handle writes; found_version set, an older one accepted only by a
 * writer, which upgrades it) ... */
int	store_tables_open(struct store *, MDB_txn *, char *err, size_t errsz);
/* ... and the lock file kept for store_writer_holder; closes dirfd. */
void	store_opened(struct store *, int dirfd);

/* mdb_txn_begin, adopting a map another process grew and clearing dead
 * readers' slots when they are full. */
int	store_txn_begin(struct store *, unsigned flags, MDB_txn **);

/* The keys of meta a daemon's heartbeat and process record go under. */
int	store_heartbeat_key(char *buf, size_t sz, const char *daemon);
int	store_process_key(char *buf, size_t sz, const char *daemon);

/* A samples entry's key and time, and the sample when s is not NULL;
 * STORE_CORRUPT naming it when it does not decode. */
int	store_sample_decode(struct store *, const MDB_val *k, const MDB_val *v,
	    uint64_t *round, uint64_t *id, uint64_t *ts, struct cadv_sample *s);
/* The round of id's newest sample (table latest). */
int	store_latest_get(struct store *, MDB_txn *, uint64_t id,
	    uint64_t *round);
/* One container's samples in rounds r0..r1, oldest first, each to fn
 * (the cursor on it); a non-zero return stops the walk. */
typedef int (*store_round_fn)(struct store *, MDB_cursor *, const MDB_val *k,
	    const MDB_val *v, void *arg);
int	store_series_walk(struct store *, MDB_cursor *, uint64_t id,
	    uint64_t r0, uint64_t r1, store_round_fn, void *arg);
int	store_event_decode(struct store *, const MDB_val *k, const MDB_val *v,
	    struct cadv_event *);

#endif
