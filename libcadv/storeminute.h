/* The summary's minutes in the store (TBL_MINUTES, docs/SCHEMA.md
 * "minutes"): collectord writes one record per container and closed
 * minute, exporterd's summary reads them. */
#ifndef CADV_STOREMINUTE_H
#define CADV_STOREMINUTE_H

#include <lmdb.h>
#include <stdint.h>

#include "schema.h"
#include "store.h"

typedef int (*store_minute_cb)(const struct cadv_minute *, void *arg);
/* The minutes of id with from <= start <= to, oldest first; a non-zero
 * return from cb stops the walk and is returned.  0 with no call for a
 * store without the table. */
int	store_minutes_range(struct store *, MDB_txn *, uint64_t id,
	    uint64_t from, uint64_t to, store_minute_cb, void *arg);

#endif
