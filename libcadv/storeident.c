/* Identities in the store: keyed by the hash of the cgroup name and the
 * time first stored (SCHEMA.md "idents"). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storeident.h"

/* The decode buffer of one record: a struct cadv_ident is ~80 KiB, too big
 * for some readers' stacks, so callers pass theirs in. */
static int
decode(struct store *st, const MDB_val *k, const MDB_val *v,
    struct cadv_ident *id)
{
	const char *why;
	size_t len;
	const char *cg;

	if (k->mv_size != IDENT_KEY_LEN)
		return store_corrupt(st, TBL_IDENTS, "a key", "not 16 bytes");
	if (ident_decode(v->mv_data, v->mv_size, id, &why) == -1)
		return store_corrupt(st, TBL_IDENTS, "a record", why);
	cg = ident_get(id, CADV_IS_CGROUP, &len);
	if (len == 0 || id->seen_ns != key_u64_get((unsigned char *)
	    k->mv_data + 8) || cgname_hash(cg, len) !=
	    key_u64_get(k->mv_data))
		return store_corrupt(st, TBL_IDENTS, "a record",
		    "its cgroup or time does not match its key");
	return 0;
}

int
store_ident_find(struct store *st, MDB_txn *txn, const char *cgroup,
    size_t len, uint64_t at_ns, struct cadv_ident *out)
{
	unsigned char kb[IDENT_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	MDB_cursor *cur;
	uint64_t hash = cgname_hash(cgroup, len), seen, best = 0;
	int rc, found = 0;
	size_t cl;
	const char *cg;

	if (!store_has(st, CADV_T_IDENTS))
		return MDB_NOTFOUND;
	key_ident(kb, cgroup, len, 0);
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_IDENTS), &cur)) != 0)
		return rc;
	/* one name's records are adjacent, oldest first; a colliding name's
	 * records interleave and are told apart by their cgroup */
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != IDENT_KEY_LEN ||
		    key_u64_get(k.mv_data) != hash)
			break;
		seen = key_u64_get((unsigned char *)k.mv_data + 8);
		if (found && at_ns != 0 && seen > at_ns && best <= at_ns)
			break;
		if (v.mv_size < IDENT_HDR) {
			rc = store_corrupt(st, TBL_IDENTS, "a record",
			    "shorter than its header");
			break;
		}
		if ((rc = decode(st, &k, &v, out)) != 0)
			break;
		cg = ident_get(out, CADV_IS_CGROUP, &cl);
		if (cl != len || memcmp(cg, cgroup, len) != 0)
			continue;
		best = seen;
		found = 1;
		if (at_ns != 0 && seen > at_ns)
			break;	/* none at or before: the first after */
	}
	if (rc == 0 || rc == MDB_NOTFOUND)
		rc = found ? 0 : MDB_NOTFOUND;
	/* out holds the last decoded: redo the best one if another came
	 * after it */
	if (rc == 0 && out->seen_ns != best) {
		key_ident(kb, cgroup, len, best);
		k.mv_size = sizeof(kb);
		k.mv_data = kb;
		if ((rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY)) == 0)
			rc = decode(st, &k, &v, out);
	}
	mdb_cursor_close(cur);
	return rc;
}

int
store_idents_each(struct store *st, MDB_txn *txn, store_ident_cb cb,
    void *arg)
{
	MDB_cursor *cur;
	MDB_val k, v;
	struct cadv_ident *id;
	int rc;

	if (!store_has(st, CADV_T_IDENTS))
		return 0;
	if ((id = malloc(sizeof(*id))) == NULL)
		return errno;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_IDENTS), &cur)) != 0) {
		free(id);
		return rc;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((rc = decode(st, &k, &v, id)) != 0 ||
		    (rc = cb(id, arg)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	free(id);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

enum how { BY_ID, BY_NAME, BY_K8S, BY_PREFIX, HOW_COUNT };

struct resolve {
	const char	*q;
	size_t		 len;
	const char	*ns, *pod, *ctr;	/* BY_K8S parts */
	size_t		 nsl, podl, ctrl;
	struct cadv_ident	*best[HOW_COUNT];	/* the chosen one per step */
	size_t		 live[HOW_COUNT];	/* live matches per step */
	int		 any[HOW_COUNT];
};

static int
str_is(const struct cadv_ident *id, enum cadv_ident_str s, const char *p, size_t len)
{
	size_t l;
	const char *v = ident_get(id, s, &l);

	return l == len && memcmp(v, p, len) == 0;
}

static int
matches(const struct resolve *r, const struct cadv_ident *id, enum how h)
{
	size_t l;
	const char *v;

	switch (h) {
	case BY_ID:
		return str_is(id, CADV_IS_ID, r->q, r->len);
	case BY_NAME:
		return str_is(id, CADV_IS_NAME, r->q, r->len);
	case BY_K8S:
		return r->ns != NULL && !(id->flags & CADV_IDF_SANDBOX) &&
		    str_is(id, CADV_IS_POD_NAMESPACE, r->ns, r->nsl) &&
		    str_is(id, CADV_IS_POD_NAME, r->pod, r->podl) &&
		    str_is(id, CADV_IS_CONTAINER_NAME, r->ctr, r->ctrl);
	case BY_PREFIX:
		v = ident_get(id, CADV_IS_ID, &l);
		return r->len >= 3 && l > r->len &&
		    memcmp(v, r->q, r->len) == 0;
	default:
		return 0;
	}
}

static int
resolve_cb(const struct cadv_ident *id, void *arg)
{
	struct resolve *r = arg;
	struct cadv_ident *b;
	int h;

	for (h = 0; h < HOW_COUNT; h++) {
		if (!matches(r, id, (enum how)h))
			continue;
		b = r->best[h];
		if (id->gone_ns == 0)
			r->live[h]++;
		/* live over gone; among gone, the newest */
		if (!r->any[h] || (id->gone_ns == 0 && b->gone_ns != 0) ||
		    (id->gone_ns != 0 && b->gone_ns != 0 &&
		    id->seen_ns > b->seen_ns) || (id->gone_ns == 0 &&
		    b->gone_ns == 0 && id->seen_ns > b->seen_ns))
			memcpy(b, id, sizeof(*b));
		r->any[h] = 1;
	}
	return 0;
}

/* Splits "namespace/pod/container" for the BY_K8S step. */
static void
resolve_init(struct resolve *r, const char *q, size_t len)
{
	const char *s1, *s2, *end = q + len;

	memset(r, 0, sizeof(*r));
	r->q = q;
	r->len = len;
	if ((s1 = memchr(q, '/', len)) != NULL && s1 != q &&
	    (s2 = memchr(s1 + 1, '/', (size_t)(end - s1 - 1))) != NULL &&
	    s2 > s1 + 1 && s2 + 1 < end &&
	    memchr(s2 + 1, '/', (size_t)(end - s2 - 1)) == NULL) {
		r->ns = q;
		r->nsl = (size_t)(s1 - q);
		r->pod = s1 + 1;
		r->podl = (size_t)(s2 - s1 - 1);
		r->ctr = s2 + 1;
		r->ctrl = (size_t)(end - s2 - 1);
	}
}

int
store_ident_resolve(struct store *st, MDB_txn *txn, const char *q,
    size_t len, struct cadv_ident *out, size_t *nmatch)
{
	struct resolve r;
	int h, rc;

	*nmatch = 0;
	if (len == 0 || memchr(q, '\0', len) != NULL)
		return MDB_NOTFOUND;
	resolve_init(&r, q, len);
	for (h = 0; h < HOW_COUNT; h++)
		if ((r.best[h] = malloc(sizeof(struct cadv_ident))) == NULL) {
			rc = errno;
			goto out;
		}
	if ((rc = store_idents_each(st, txn, resolve_cb, &r)) != 0)
		goto out;
	rc = MDB_NOTFOUND;
	for (h = 0; h < HOW_COUNT; h++) {
		if (!r.any[h])
			continue;
		*nmatch = r.live[h] > 0 ? r.live[h] : 1;
		if (r.live[h] > 1) {
			rc = STORE_AMBIGUOUS;
			break;
		}
		memcpy(out, r.best[h], sizeof(*out));
		rc = 0;
		break;
	}
out:
	for (h = 0; h < HOW_COUNT; h++)
		free(r.best[h]);
	return rc;
}

struct each_match {
	struct resolve	 r;
	int		 step;
	store_ident_cb	 cb;
	void		*arg;
};

static int
any_cb(const struct cadv_ident *id, void *arg)
{
	struct each_match *m = arg;
	int h;

	for (h = 0; h < HOW_COUNT; h++)
		if (matches(&m->r, id, (enum how)h))
			m->r.any[h] = 1;
	return 0;
}

static int
live_cb(const struct cadv_ident *id, void *arg)
{
	struct each_match *m = arg;

	if (id->gone_ns != 0 || !matches(&m->r, id, (enum how)m->step))
		return 0;
	return m->cb(id, m->arg);
}

int
store_ident_matches(struct store *st, MDB_txn *txn, const char *q,
    size_t len, store_ident_cb cb, void *arg)
{
	struct each_match m;
	int rc;

	if (len == 0 || memchr(q, '\0', len) != NULL)
		return 0;
	resolve_init(&m.r, q, len);
	m.cb = cb;
	m.arg = arg;
	if ((rc = store_idents_each(st, txn, any_cb, &m)) != 0)
		return rc;
	for (m.step = 0; m.step < HOW_COUNT && !m.r.any[m.step]; m.step++)
		;
	if (m.step == HOW_COUNT)
		return 0;
	return store_idents_each(st, txn, live_cb, &m);
}
