/* Identities in the store (TBL_IDENTS, docs/SCHEMA.md "idents"): identd
 * writes them, every reader joins them to containers and events by cgroup
 * name. */
#ifndef CADV_STOREIDENT_H
#define CADV_STOREIDENT_H

#include <lmdb.h>
#include <stdint.h>

#include "ident.h"
#include "store.h"

/* The identity of a cgroup name: with at_ns 0 the newest record; else the
 * newest stored at or before at_ns (an event's time), or failing that the
 * first stored after it.  MDB_NOTFOUND when the name has none (or the
 * store has no idents table). */
int	store_ident_find(struct store *, MDB_txn *, const char *cgroup,
	    size_t len, uint64_t at_ns, struct cadv_ident *);
/* Each record in key order; a non-zero return from cb stops the walk. */
typedef int (*store_ident_cb)(const struct cadv_ident *, void *arg);
int	store_idents_each(struct store *, MDB_txn *, store_ident_cb,
	    void *arg);
/* The container a user means by a name that is not a cgroup path (cadvctl
 * stats web1, /api/v1.3/docker/web1): a runtime's container id, a name
 * (cAdvisor's alias), "namespace/pod/container" for a Kubernetes
 * container, or a unique prefix (3 or more bytes) of an id, tried in
 * that order.  Containers the runtime still has come before gone ones
 * (the newest of those).  0 with *out, MDB_NOTFOUND, or STORE_AMBIGUOUS
 * when a step matches several live containers (*nmatch says how many). */
int	store_ident_resolve(struct store *, MDB_txn *, const char *query,
	    size_t len, struct cadv_ident *out, size_t *nmatch);
/* Each live container the step of store_ident_resolve that decides
 * matches (the ones an ambiguous name names), for a message listing them;
 * a non-zero return from cb stops and is returned. */
int	store_ident_matches(struct store *, MDB_txn *, const char *query,
	    size_t len, store_ident_cb, void *arg);

#endif
