/* Containers' writable layers in the store (TBL_LAYERS, docs/SCHEMA.md
 * "layers"): identd measures them and keeps one record per identity,
 * under the identity's own key, replaced at each measure (a small record
 * rewritten, not the identity); it goes with the identity. */
#ifndef CADV_STORELAYER_H
#define CADV_STORELAYER_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"


size_t	layer_rec_encode(const struct cadv_layer *, unsigned char *, size_t);
int	layer_rec_decode(const unsigned char *, size_t, struct cadv_layer *,
	    const char **why);

/* The record of the identity (cgroup, seen_ns); MDB_NOTFOUND when none
 * (or the store has no layers table). */
int	store_layer_get(struct store *, MDB_txn *, const char *cgroup,
	    size_t len, uint64_t seen_ns, struct cadv_layer *);

#endif
