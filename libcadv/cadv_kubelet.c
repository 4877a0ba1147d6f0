/*
 * The kubelet's container calls of cAdvisor (its manager's
 * GetContainerInfo, SubcontainersInfo, GetContainerInfoV2) over the
 * store, with the answers exporterd's JSON API gives: live containers
 * only (cAdvisor's manager forgets a deleted one), in id order, each with
 * the identity a runtime gave its cgroup, then its samples oldest first
 * (cAdvisor's RecentStats: the newest n of those in the time range).
 *
 * The containers are picked first, then each is read again by id: a
 * callback may take its time, and the snapshot keeps the store as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cadv_impl.h"
#include "cgname.h"
#include "ident.h"
#include "storeident.h"

struct info {
	struct cadv_txn		*t;
	const struct cadv_info_cbs *cbs;
	/* which containers: name (and, recursive, those under it), or
	 * every live one of runtime rt_all */
	const char		*name;
	size_t			 len;
	int			 recursive, one;
	enum cadv_runtime	 rt_all;
	uint64_t		*ids;
	size_t			 nids, cap;
	/* which samples: from..to, the newest count (-1: all) */
	uint64_t		 from, to;
	int64_t			 count;
	int64_t			 skip;		/* of the range, older ones */
	const struct cadv_container *c;
	struct cadv_ident	*idt;
};

#define WALK_STOP	1	/* pick_one's "that was the one" */

/* The identity of live container c in i->idt: 1, or 0 when none
 * (cadv_container_ident) or on an error in *rc. */
static int
ident_of(struct info *i, const struct cadv_container *c, int *rc)
{
	*rc = cadv_container_ident(i->t, c, i->idt);
	if (*rc == 0)
		return 1;
	if (*rc == CADV_NOTFOUND)
		*rc = 0;
	return 0;
}

static int
pick_one(const struct cadv_container *c, void *arg)
{
	struct info *i = arg;
	uint64_t *ids;
	int rc;

	if (c->deleted_ns != 0)
		return 0;
	if (i->rt_all != CADV_RT_UNKNOWN) {
		if (!ident_of(i, c, &rc))
			return rc;
		if (i->idt->runtime != i->rt_all)
			return 0;
	} else if (!(c->name_len == i->len &&
	    memcmp(c->name, i->name, i->len) == 0) &&
	    !(i->recursive && cgname_is_under(c->name, c->name_len, i->name,
	    i->len)))
		return 0;
	if (i->nids == i->cap) {
		size_t cap = i->cap ? 2 * i->cap : 64;

		if ((ids = reallocarray(i->ids, cap, sizeof(*ids))) == NULL)
			return ENOMEM;
		i->ids = ids;
		i->cap = cap;
	}
	i->ids[i->nids++] = c->id;
	return i->one ? WALK_STOP : 0;
}

static int
count_one(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	(void)ts;
	(void)s;
	(*(int64_t *)arg)++;
	return 0;
}

static int
sample_one(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	struct info *i = arg;

	if (i->skip > 0) {
		i->skip--;
		return 0;
	}
	return i->cbs->sample != NULL ? i->cbs->sample(i->c, ts, s,
	    i->cbs->arg) : 0;
}

/* c's samples from..to, the newest count of them, oldest first */
static int
samples(struct info *i, const struct cadv_container *c)
{
	int64_t n = 0;
	int rc;

	i->c = c;
	i->skip = 0;
	if (i->cbs->sample == NULL || i->count == 0)
		return 0;
	if (i->from == 0 && i->to == UINT64_MAX && i->count > 0)
		return store_samples_last(i->t->st, i->t->txn, c->id,
		    (size_t)i->count, sample_one, i);
	if (i->count > 0) {
		/* a bounded range: counted first, its older ones passed */
		if ((rc = store_samples_range(i->t->st, i->t->txn, c->id,
		    i->from, i->to, count_one, &n)) != 0)
			return rc;
		i->skip = n > i->count ? n - i->count : 0;
	}
	return store_samples_range(i->t->st, i->t->txn, c->id, i->from, i->to,
	    sample_one, i);
}

static int
answer(struct info *i)
{
	struct cadv_container *c;
	size_t k;
	int rc = 0, has;

	if ((c = malloc(sizeof(*c))) == NULL)
		return ENOMEM;
	for (k = 0; k < i->nids && rc == 0; k++) {
		if ((rc = store_container_get(i->t->st, i->t->txn, i->ids[k],
		    c)) != 0)
			break;
		has = ident_of(i, c, &rc);
		if (rc != 0)
			break;
		if (i->cbs->container != NULL && (rc = i->cbs->container(c,
		    has ? i->idt : NULL, i->cbs->arg)) != 0)
			break;
		rc = samples(i, c);
	}
	free(c);
	return rc;
}

/* picks the containers, then answers: CADV_NOTFOUND when none */
static int
info_run(struct info *i)
{
	int rc;

	if (i->cbs == NULL)
		return EINVAL;
	if (i->idt == NULL && (i->idt = malloc(sizeof(*i->idt))) == NULL)
		return ENOMEM;
	rc = store_containers_each(i->t->st, i->t->txn, pick_one, i);
	if (rc == WALK_STOP)
		rc = 0;
	if (rc == 0 && i->nids == 0 && i->rt_all == CADV_RT_UNKNOWN)
		rc = CADV_NOTFOUND;
	if (rc == 0)
		rc = answer(i);
	free(i->ids);
	free(i->idt);
	return rc;
}

static int
v1_range(struct info *i, const struct cadv_info_request *r)
{
	int n = r != NULL ? r->num_stats : 0;

	if (n < -1)
		return EINVAL;
	i->count = n == 0 ? CADV_NUM_STATS_DEFAULT : n;
	i->from = r != NULL ? r->start_ns : 0;
	i->to = r != NULL && r->end_ns != 0 ? r->end_ns : UINT64_MAX;
	return 0;
}

static int
v1_info(struct cadv_txn *t, const char *name, size_t len,
    const struct cadv_info_request *r, const struct cadv_info_cbs *cbs,
    int recursive)
{
	struct info i = { .t = t, .cbs = cbs, .name = name, .len = len,
	    .recursive = recursive, .one = !recursive };
	int rc;

	if (name == NULL || (rc = v1_range(&i, r)) != 0)
		return EINVAL;
	return info_run(&i);
}

CADV_EXPORT int
cadv_container_info(struct cadv_txn *t, const char *name, size_t len,
    const struct cadv_info_request *r, const struct cadv_info_cbs *cbs)
{
	return v1_info(t, name, len, r, cbs, 0);
}

CADV_EXPORT int
cadv_subcontainer_info(struct cadv_txn *t, const char *name, size_t len,
    const struct cadv_info_request *r, const struct cadv_info_cbs *cbs)
{
	return v1_info(t, name, len, r, cbs, 1);
}

/* A container of runtime rt named by query (its name, id, a unique id
 * prefix; cAdvisor's namespaced alias): its cgroup in name, if live. */
static int
by_runtime(struct cadv_txn *t, enum cadv_runtime rt, const char *q,
    size_t qlen, char *name, size_t *len)
{
	struct cadv_container *c = NULL;
	struct cadv_ident *id;
	size_t n;
	int rc;

	if ((id = malloc(sizeof(*id))) == NULL)
		return ENOMEM;
	rc = store_ident_resolve(t->st, t->txn, q, qlen, id, &n);
	if (rc == 0 && id->runtime != rt)
		rc = CADV_NOTFOUND;
	if (rc == 0 && (c = malloc(sizeof(*c))) == NULL)
		rc = ENOMEM;
	if (rc == 0)
		rc = cadv_ident_container(t, id, c);
	if (rc == 0) {
		memcpy(name, c->name, c->name_len);
		*len = c->name_len;
	}
	free(c);
	free(id);
	return rc;
}

CADV_EXPORT int
cadv_container_info_v2(struct cadv_txn *t, const char *name, size_t len,
    const struct cadv_info_options *o, const struct cadv_info_cbs *cbs)
{
	struct info i = { .t = t, .cbs = cbs, .name = name, .len = len,
	    .to = UINT64_MAX };
	enum cadv_runtime rt;
	char *cg = NULL;
	int rc;

	if (name == NULL || o == NULL || o->count < -1)
		return EINVAL;
	i.count = o->count;
	i.recursive = o->recursive != 0;
	i.one = !i.recursive;
	switch (o->id_type) {
	case CADV_ID_NAME:
		return info_run(&i);
	case CADV_ID_DOCKER:
		rt = CADV_RT_DOCKER;
		break;
	case CADV_ID_PODMAN:
		rt = CADV_RT_PODMAN;
		break;
	default:
		return EINVAL;
	}
	if (i.recursive) {
		/* cAdvisor: every container of the runtime, from "/" only */
		if (len != 1 || name[0] != '/')
			return EINVAL;
		i.rt_all = rt;
		return info_run(&i);
	}
	/* cAdvisor takes "/ID" as "ID" */
	if (len > 0 && name[0] == '/') {
		name++;
		len--;
	}
	if ((cg = malloc(CADV_NAME_MAX + 1)) == NULL)
		return ENOMEM;
	if ((rc = by_runtime(t, rt, name, len, cg, &i.len)) == 0) {
		i.name = cg;
		rc = info_run(&i);
	}
	free(cg);
	return rc;
}
