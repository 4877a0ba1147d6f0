/*
 * cadv_check: a store's invariants in one snapshot, every record that
 * breaks one reported and the walk going on past it: key and value sizes,
 * records that decode, names that index their container, samples and
 * events that belong to known containers and do not lie in the future,
 * latest entries that point at each container's newest sample, counters
 * in meta ahead of what they count, identities whose key is their
 * cgroup's hash and first-stored time, diskstats records of known size,
 * layer measures that belong to an identity.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cadv_impl.h"
#include "cgname.h"
#include "clock.h"
#include "ident.h"
#include "storelayer.h"

#define FUTURE_NS	(3600ULL * 1000000000ULL)	/* clock slack */
#define KEY_HEX_BYTES	16				/* of a key, shown */

_Static_assert(CADV_T_COUNT <= CADV_TABLES_MAX, "counts hold every table");

struct check {
	struct cadv_txn		*t;
	cadv_problem_cb		 cb;
	void			*arg;
	int			 stop;		/* cb's non-zero return */
	struct cadv_check_counts n;
	uint64_t		*ids;		/* containers, ascending */
	uint64_t		*newest;	/* round of each one's newest */
	size_t			 nids, cap;
	uint64_t		 max_id, max_seq, now;
	/* decode buffers: too large for the stack, one check's own */
	struct cadv_container	*ct, *found;
	struct cadv_sample	*s;
	struct cadv_event	*e;
	struct cadv_ident	*id;
};

CADV_EXPORT const char *
cadv_table_name(enum cadv_table t)
{
	return (unsigned)t < CADV_T_COUNT ? store_table_names[t] : NULL;
}

static void problem(struct check *, enum cadv_table, const MDB_val *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct check *c, enum cadv_table t, const MDB_val *key,
    const char *fmt, ...)
{
	char msg[512], hex[2 * KEY_HEX_BYTES + 1] = "";
	const unsigned char *k = key ? key->mv_data : NULL;
	size_t i;
	va_list ap;

	if (c->stop != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; k != NULL && i < key->mv_size && i < KEY_HEX_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", k[i]);
	c->n.problems++;
	if (c->cb != NULL)
		c->stop = c->cb(store_table_names[t], hex, msg, c->arg);
}

/* the index of container id in c->ids, or -1 */
static ssize_t
known(const struct check *c, uint64_t id)
{
	size_t lo = 0, hi = c->nids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->ids[mid] == id)
			return (ssize_t)mid;
		if (c->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

typedef int (*one_fn)(struct check *, const MDB_val *, const MDB_val *);

/* walk a table: fn for every record; an LMDB error or fn's ends it */
static int
walk(struct check *c, enum cadv_table t, one_fn fn)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, frc = 0;

	if ((rc = mdb_cursor_open(c->t->txn, store_dbi(c->t->st, t),
	    &cur)) != 0)
		return rc;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 &&
	    frc == 0 && c->stop == 0; rc = mdb_cursor_get(cur, &k, &v,
	    MDB_NEXT)) {
		c->n.records[t]++;
		frc = fn(c, &k, &v);
	}
	mdb_cursor_close(cur);
	if (frc != 0)
		return frc;
	return rc == MDB_NOTFOUND || rc == 0 ? 0 : rc;
}

static int
add_id(struct check *c, uint64_t id)
{
	uint64_t *p;

	if (c->nids == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;

		if ((p = reallocarray(c->ids, cap, sizeof(*p))) == NULL)
			return ENOMEM;
		c->ids = p;
		if ((p = reallocarray(c->newest, cap, sizeof(*p))) == NULL)
			return ENOMEM;
		c->newest = p;
		c->cap = cap;
	}
	c->newest[c->nids] = 0;
	c->ids[c->nids++] = id;
	if (id > c->max_id)
		c->max_id = id;
	return 0;
}

static int
one_container(struct check *c, const MDB_val *k, const MDB_val *v)
{
	struct cadv_container *ct = c->ct;
	const char *why;
	uint64_t id;
	int rc;

	if (k->mv_size != U64_KEY_LEN) {
		problem(c, CADV_T_CONTAINERS, k, "key is %zu bytes, not 8",
		    k->mv_size);
		return 0;
	}
	/* known by its key even when its record is bad: its samples are
	 * not orphans, the record is what is wrong */
	id = key_u64_get(k->mv_data);
	if ((rc = add_id(c, id)) != 0)
		return rc;
	if (container_decode(v->mv_data, v->mv_size, ct, &why) == -1) {
		problem(c, CADV_T_CONTAINERS, k, "record does not decode: %s", why);
		return 0;
	}
	ct->id = id;
	if (!cgname_valid(ct->name, ct->name_len)) {
		problem(c, CADV_T_CONTAINERS, k,
		    "name is not a valid container name");
		return 0;
	}
	if (ct->deleted_ns != 0 && ct->deleted_ns < ct->created_ns)
		problem(c, CADV_T_CONTAINERS, k, "deleted before it was created");
	rc = store_container_find(c->t->st, c->t->txn, ct->name, ct->name_len,
	    c->found);
	if (rc == STORE_CORRUPT)
		return 0;	/* the names walk reports the entry */
	if (rc != 0 || c->found->id != ct->id)
		problem(c, CADV_T_CONTAINERS, k, "not in the names index");
	return 0;
}

static int
one_name(struct check *c, const MDB_val *k, const MDB_val *v)
{
	uint64_t id;

	if (k->mv_size != U64_KEY_LEN || v->mv_size != U64_KEY_LEN) {
		problem(c, CADV_T_NAMES, k, "key or value is not 8 bytes");
		return 0;
	}
	id = key_u64_get(v->mv_data);
	if (known(c, id) < 0) {
		problem(c, CADV_T_NAMES, k, "names container %llu, which does not "
		    "exist", (unsigned long long)id);
		return 0;
	}
	/* (a record that does not decode is reported by the containers walk) */
	if (store_container_get(c->t->st, c->t->txn, id, c->ct) == 0 &&
	    key_u64_get(k->mv_data) != cgname_hash(c->ct->name,
	    c->ct->name_len))
		problem(c, CADV_T_NAMES, k, "is not the hash of container %llu's "
		    "name", (unsigned long long)id);
	return 0;
}

static int
one_sample(struct check *c, const MDB_val *k, const MDB_val *v)
{
	const unsigned char *p = v->mv_data;
	const char *why;
	uint64_t round, id, ts;
	ssize_t i;

	if (k->mv_size != SAMPLE_KEY_LEN) {
		problem(c, CADV_T_SAMPLES, k, "key is %zu bytes, not 16",
		    k->mv_size);
		return 0;
	}
	round = key_u64_get(k->mv_data);
	id = key_u64_get((const unsigned char *)k->mv_data + 8);
	if ((i = known(c, id)) < 0)
		problem(c, CADV_T_SAMPLES, k, "belongs to container %llu, which "
		    "does not exist", (unsigned long long)id);
	else if (round > c->newest[i])
		c->newest[i] = round;
	if (v->mv_size < SAMPLE_TS_LEN) {
		problem(c, CADV_T_SAMPLES, k, "value has no timestamp");
		return 0;
	}
	ts = val_u64_get(p);
	if (ts > c->now + FUTURE_NS)
		problem(c, CADV_T_SAMPLES, k, "timestamp is in the future");
	if (sample_decode(p + SAMPLE_TS_LEN, v->mv_size - SAMPLE_TS_LEN, c->s,
	    &why) == -1)
		problem(c, CADV_T_SAMPLES, k, "value does not decode: %s", why);
	return 0;
}

static int
one_latest(struct check *c, const MDB_val *k, const MDB_val *v)
{
	uint64_t id, round;
	ssize_t i;

	if (k->mv_size != U64_KEY_LEN || v->mv_size != 8) {
		problem(c, CADV_T_LATEST, k, "key or value is not 8 bytes");
		return 0;
	}
	id = key_u64_get(k->mv_data);
	round = val_u64_get(v->mv_data);
	if ((i = known(c, id)) < 0)
		problem(c, CADV_T_LATEST, k, "container %llu does not exist",
		    (unsigned long long)id);
	else if (c->newest[i] != 0 && c->newest[i] != round)
		problem(c, CADV_T_LATEST, k, "says round %llu, but container "
		    "%llu's newest sample is in round %llu",
		    (unsigned long long)round, (unsigned long long)id,
		    (unsigned long long)c->newest[i]);
	return 0;
}

static int
one_event(struct check *c, const MDB_val *k, const MDB_val *v)
{
	const char *why;
	uint64_t seq;

	if (k->mv_size != U64_KEY_LEN) {
		problem(c, CADV_T_EVENTS, k, "key is %zu bytes, not 8", k->mv_size);
		return 0;
	}
	seq = key_u64_get(k->mv_data);
	if (seq > c->max_seq)
		c->max_seq = seq;
	if (event_decode(v->mv_data, v->mv_size, c->e, &why) == -1) {
		problem(c, CADV_T_EVENTS, k, "value does not decode: %s", why);
		return 0;
	}
	if (c->e->ts_ns > c->now + FUTURE_NS)
		problem(c, CADV_T_EVENTS, k, "timestamp is in the future");
	return 0;
}

static int
one_fs(struct check *c, const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != FS_KEY_LEN || v->mv_size != FS_VALUE_LEN)
		problem(c, CADV_T_FS, k, "key or value size is not %d and %d",
		    FS_KEY_LEN, FS_VALUE_LEN);
	return 0;
}

static int
one_ident(struct check *c, const MDB_val *k, const MDB_val *v)
{
	const char *why, *cg;
	size_t len;

	if (k->mv_size != IDENT_KEY_LEN) {
		problem(c, CADV_T_IDENTS, k, "key is %zu bytes, not %d",
		    k->mv_size, IDENT_KEY_LEN);
		return 0;
	}
	if (ident_decode(v->mv_data, v->mv_size, c->id, &why) == -1) {
		problem(c, CADV_T_IDENTS, k, "record does not decode: %s", why);
		return 0;
	}
	cg = ident_get(c->id, CADV_IS_CGROUP, &len);
	/* (a cgroup that is not a container name does not decode) */
	if (len == 0) {
		problem(c, CADV_T_IDENTS, k, "record has no cgroup name");
		return 0;
	}
	if (key_u64_get(k->mv_data) != cgname_hash(cg, len))
		problem(c, CADV_T_IDENTS, k, "key is not the hash of the record's "
		    "cgroup");
	if (key_u64_get((const unsigned char *)k->mv_data + 8) !=
	    c->id->seen_ns)
		problem(c, CADV_T_IDENTS, k, "key's time is not the record's "
		    "first-stored time %llu", (unsigned long long)
		    c->id->seen_ns);
	if (c->id->gone_ns != 0 && c->id->gone_ns < c->id->seen_ns)
		problem(c, CADV_T_IDENTS, k, "gone before it was first stored");
	if (c->id->seen_ns > c->now + FUTURE_NS)
		problem(c, CADV_T_IDENTS, k, "first stored in the future");
	return 0;
}

static int
one_minute(struct check *c, const MDB_val *k, const MDB_val *v)
{
	struct cadv_minute m;
	const char *why;
	uint64_t start;

	if (k->mv_size != MINUTE_KEY_LEN) {
		problem(c, CADV_T_MINUTES, k, "key is %zu bytes, not %d",
		    k->mv_size, MINUTE_KEY_LEN);
		return 0;
	}
	if (minute_decode(v->mv_data, v->mv_size, &m, &why) == -1) {
		problem(c, CADV_T_MINUTES, k, "record does not decode: %s", why);
		return 0;
	}
	/* (a deleted container's minutes outlive its record a while) */
	start = key_u64_get((const unsigned char *)k->mv_data + 8);
	if (start % MINUTE_NS != 0)
		problem(c, CADV_T_MINUTES, k, "key's time is not a minute's start");
	if (start > c->now + FUTURE_NS)
		problem(c, CADV_T_MINUTES, k, "minute is in the future");
	return 0;
}

/* A diskio record belongs to a sample and decodes against it. */
static int
one_diskio(struct check *c, const MDB_val *k, const MDB_val *v)
{
	MDB_val key = *k, sv;
	const char *why;

	if (k->mv_size != SAMPLE_KEY_LEN) {
		problem(c, CADV_T_DISKIO, k, "key is %zu bytes, not 16",
		    k->mv_size);
		return 0;
	}
	if (mdb_get(c->t->txn, store_dbi(c->t->st, CADV_T_SAMPLES), &key,
	    &sv) != 0 || sv.mv_size < SAMPLE_TS_LEN ||
	    sample_decode((const unsigned char *)sv.mv_data + SAMPLE_TS_LEN,
	    sv.mv_size - SAMPLE_TS_LEN, c->s, &why) == -1) {
		problem(c, CADV_T_DISKIO, k, "has no sample (or one that does not "
		    "decode) under its key");
		return 0;
	}
	if (diskio_decode(v->mv_data, v->mv_size, c->s, &why) == -1)
		problem(c, CADV_T_DISKIO, k, "record does not decode: %s", why);
	return 0;
}

static int
one_diskstats(struct check *c, const MDB_val *k, const MDB_val *v)
{
	struct cadv_disk_stats d;
	const char *why;

	if (k->mv_size != DISKSTATS_KEY_LEN) {
		problem(c, CADV_T_DISKSTATS, k, "key is %zu bytes, not %d",
		    k->mv_size, DISKSTATS_KEY_LEN);
		return 0;
	}
	if (diskstats_decode(v->mv_data, v->mv_size, &d, &why) == -1) {
		problem(c, CADV_T_DISKSTATS, k, "record does not decode: %s", why);
		return 0;
	}
	if (key_u64_get((const unsigned char *)k->mv_data + 8) >
	    c->now + FUTURE_NS)
		problem(c, CADV_T_DISKSTATS, k, "timestamp is in the future");
	return 0;
}

/* A layer's measure: keyed as an identity that is there, sizes sane. */
static int
one_layer(struct check *c, const MDB_val *k, const MDB_val *v)
{
	struct cadv_layer r;
	const char *why;
	MDB_val key = *k, iv;

	if (k->mv_size != IDENT_KEY_LEN) {
		problem(c, CADV_T_LAYERS, k, "key is %zu bytes, not %d",
		    k->mv_size, IDENT_KEY_LEN);
		return 0;
	}
	if (layer_rec_decode(v->mv_data, v->mv_size, &r, &why) == -1) {
		problem(c, CADV_T_LAYERS, k, "record does not decode: %s", why);
		return 0;
	}
	if (!store_has(c->t->st, CADV_T_IDENTS) ||
	    mdb_get(c->t->txn, store_dbi(c->t->st, CADV_T_IDENTS), &key,
	    &iv) != 0)
		problem(c, CADV_T_LAYERS, k, "no identity has its key");
	if (r.measured_ns > c->now + FUTURE_NS)
		problem(c, CADV_T_LAYERS, k, "measured in the future");
	if (r.inodes == 0 && r.bytes != 0)
		problem(c, CADV_T_LAYERS, k, "bytes without an inode");
	return 0;
}

static void
counters(struct check *c)
{
	uint64_t next;

	if (store_meta_get_u64(c->t->st, c->t->txn, META_NEXT_ID, &next) ==
	    0 && c->nids > 0 && next <= c->max_id)
		problem(c, CADV_T_META, NULL, "%s is %llu, not above the largest "
		    "container id %llu", META_NEXT_ID, (unsigned long long)next,
		    (unsigned long long)c->max_id);
	if (store_meta_get_u64(c->t->st, c->t->txn, META_NEXT_EVENT, &next) ==
	    0 && c->max_seq > 0 && next <= c->max_seq)
		problem(c, CADV_T_META, NULL, "%s is %llu, not above the largest "
		    "event %llu", META_NEXT_EVENT, (unsigned long long)next,
		    (unsigned long long)c->max_seq);
}

static void
check_free(struct check *c)
{
	free(c->ids);
	free(c->newest);
	free(c->ct);
	free(c->found);
	free(c->s);
	free(c->e);
	free(c->id);
}

CADV_EXPORT int
cadv_check(struct cadv_txn *t, cadv_problem_cb cb, void *arg,
    struct cadv_check_counts *counts)
{
	static const one_fn fns[] = {
		[CADV_T_CONTAINERS] = one_container, [CADV_T_NAMES] = one_name,
		[CADV_T_SAMPLES] = one_sample, [CADV_T_LATEST] = one_latest,
		[CADV_T_EVENTS] = one_event, [CADV_T_FS] = one_fs,
		[CADV_T_IDENTS] = one_ident, [CADV_T_MINUTES] = one_minute,
		[CADV_T_DISKIO] = one_diskio, [CADV_T_DISKSTATS] = one_diskstats,
		[CADV_T_LAYERS] = one_layer,
	};
	struct check c = { .t = t, .cb = cb, .arg = arg };
	enum cadv_table tb;
	int rc = 0;

	if (counts != NULL)
		memset(counts, 0, sizeof(*counts));
	c.now = clock_now_ns();
	c.ct = malloc(sizeof(*c.ct));
	c.found = malloc(sizeof(*c.found));
	c.s = malloc(sizeof(*c.s));
	c.e = malloc(sizeof(*c.e));
	c.id = malloc(sizeof(*c.id));
	if (c.ct == NULL || c.found == NULL || c.s == NULL || c.e == NULL ||
	    c.id == NULL) {
		check_free(&c);
		return ENOMEM;
	}
	/* containers first: the other tables are checked against them; a
	 * store identd never wrote has no idents table (SCHEMA.md) */
	for (tb = CADV_T_CONTAINERS; tb <= CADV_T_LAYERS && rc == 0 && c.stop == 0;
	    tb++)
		if (store_has(t->st, tb))
			rc = walk(&c, tb, fns[tb]);
	if (rc == 0 && c.stop == 0)
		counters(&c);
	check_free(&c);
	if (counts != NULL)
		*counts = c.n;
	if (rc != 0)
		return rc;
	if (c.stop != 0)
		return c.stop;
	return c.n.problems > 0 ? CADV_CORRUPT : 0;
}
