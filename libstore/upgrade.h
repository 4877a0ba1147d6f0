/* Bringing an older store to this schema, inside the write transaction of
 * the writer that found it (store_open), so that a crash half-way leaves
 * the old store as it was.  What outlives a restart is kept: events and
 * the records of live containers; samples start afresh (a store holds
 * minutes of them).  docs/SCHEMA.md, "Versions and upgrades". */
#ifndef CADV_UPGRADE_H
#define CADV_UPGRADE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "storewrite.h"

struct upgrade_report {
	uint32_t	from;
	size_t		containers_kept;
	size_t		containers_dropped;	/* deleted ones, and bad records */
	size_t		events_kept;
	size_t		events_dropped;		/* records that did not decode */
	size_t		samples_dropped;
};

/* Converts the store's tables from schema `from` in txn and writes this
 * schema's version; the tables of this schema must be open (created if
 * the old store lacked them). */
int	store_upgrade(struct store *, MDB_txn *, uint32_t from,
	    struct upgrade_report *);

#endif
