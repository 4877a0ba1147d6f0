/* The root's filesystems' /proc/diskstats counters in the store
 * (TBL_DISKSTATS, docs/SCHEMA.md "diskstats"): collectord writes them
 * with the fs records, exporterd's /metrics and JSON read the newest. */
#ifndef CADV_STOREDISK_H
#define CADV_STOREDISK_H

#include <lmdb.h>
#include <stdint.h>

#include "schema.h"
#include "store.h"

/* The newest record of (major, minor): 0, MDB_NOTFOUND when it has none
 * (or the store has no table), STORE_CORRUPT for a bad record. */
int	store_diskstats_latest(struct store *, MDB_txn *, uint32_t major,
	    uint32_t minor, uint64_t *ts_ns, struct cadv_disk_stats *);
/* The newest record of (major, minor) at or before ts_ns, likewise. */
int	store_diskstats_at(struct store *, MDB_txn *, uint32_t major,
	    uint32_t minor, uint64_t ts_ns, uint64_t *found_ns,
	    struct cadv_disk_stats *);

#endif
