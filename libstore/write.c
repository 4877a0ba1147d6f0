/* The writer's transactions: run, committed, redone in a larger map. */
#include "storewrite.h"

#include <errno.h>

#include "clock.h"
#include "store_impl.h"

#define WRITE_RETRIES	8	/* map doublings tried for one transaction */

static int
grow(struct store *st)
{
	MDB_envinfo info;
	size_t next;
	int rc;

	if (mdb_env_info(st->env, &info) == 0)
		st->map_size = info.me_mapsize;
	if (st->map_size >= st->map_max)
		return MDB_MAP_FULL;
	next = st->map_size > st->map_max / 2 ? st->map_max : st->map_size * 2;
	if ((rc = mdb_env_set_mapsize(st->env, next)) != 0)
		return rc;
	store_note(st, "%s: map grown to %zu MiB", st->dir, next >> 20);
	st->map_size = next;
	return 0;
}

int
store_write(struct store *st, store_write_fn fn, void *arg)
{
	MDB_txn *txn;
	int rc, tries;

	if (st->flags & STORE_RDONLY)
		return EROFS;
	for (tries = 0; tries <= WRITE_RETRIES; tries++) {
		if ((rc = store_txn_begin(st, 0, &txn)) != 0)
			return rc;
		rc = fn(st, txn, arg);
		if (rc != 0) {
			mdb_txn_abort(txn);
		} else {
			uint64_t t0 = clock_mono_ns();

			rc = mdb_txn_commit(txn);
			st->commit_ns = clock_mono_ns() - t0;
		}
		if (rc != MDB_MAP_FULL)
			return rc;
		if ((rc = grow(st)) != 0)
			return rc;
	}
	return MDB_MAP_FULL;
}

uint64_t
store_last_commit_ns(const struct store *st)
{
	return st->commit_ns;
}
