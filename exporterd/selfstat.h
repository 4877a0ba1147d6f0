#ifndef SELFSTAT_H
#define SELFSTAT_H

#include <stdint.h>

#include "buf.h"
#include "cadv.h"

/* What the store says of cadv's own health, read in the scrape's
 * transaction: the daemons' heartbeats and collectord's tick. */
struct selfstat {
	uint64_t	hb_ns[2];	/* collectord, eventd; 0 = never */
	uint64_t	interval_ns;	/* 0 = not stored */
};

/* Fills *s from txn; a heartbeat or tick not stored is 0. */
int	selfstat_read(struct cadv_txn *, struct selfstat *);
/* cadv_heartbeat_age_seconds{daemon}, cadv_collect_interval_seconds and
 * cadv_store_map_{size,used}_bytes / _used_ratio, HELP and TYPE
 * included; the map's families are left out if LMDB does not say. */
void	selfstat_metrics(struct buf *, struct cadv *, const struct selfstat *,
	    uint64_t now_ns);

#endif
