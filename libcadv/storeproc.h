/* Daemons' own process figures in meta `process.<daemon>` (SCHEMA.md
 * "meta"), for exporterd's process_* families. */
#ifndef CADV_STOREPROC_H
#define CADV_STOREPROC_H

#include "store.h"

/* How often a daemon stores them (they go with its heartbeat). */
#define PROCESS_NOTE_NS	CADV_PROCESS_NOTE_NS

/* daemon's stored figures: 0, MDB_NOTFOUND, or STORE_CORRUPT. */
int	store_process_get(struct store *, MDB_txn *, const char *daemon,
	    struct cadv_process *);

#endif
