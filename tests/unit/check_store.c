#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "store.h"
#include "storeproc.h"
#include "storewrite.h"
#include "unit.h"

static char *dir;
static struct store *st;
static char err[1024];

static void
setup(void)
{
	log_setlevel(LOG_LVL_ERR);
	dir = unit_tmpdir();
	ck_assert_msg(store_open(&st, dir, err, sizeof(err)) == 0, "%s", err);
}

static void
teardown(void)
{
	store_close(st);
	st = NULL;
	unit_rmtree(dir);
	free(dir);
}

/* the store again, by a reader (STORE_RDONLY) or a writer */
static void
reopen(unsigned flags)
{
	store_close(st);
	ck_assert_msg(((flags & STORE_RDONLY) ? store_open_read(&st, dir, err,
	    sizeof(err)) : store_open(&st, dir, err, sizeof(err))) == 0, "%s",
	    err);
}

static void
make_container(struct cadv_container *c, const char *name, size_t len)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, len);
	c->name_len = len;
	c->created_ns = 1700000000123456789ULL;
	spec_set(c, CADV_SP_MEM_LIMIT, 32 << 20);
	spec_set(c, CADV_SP_PIDS_LIMIT, CADV_UNLIMITED);
	spec_set(c, CADV_SP_CPU_PERIOD, 100000);
	memcpy(c->cpu_mask, "0-1", 3);
	c->mask_len = 3;
}

static void
make_sample(struct cadv_sample *s, uint64_t seed)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < CADV_SF_COUNT; i++)
		if ((i + seed) % 3 != 0)
			sample_set(s, (enum cadv_sample_field)i, seed * 1000 + i);
	s->ncpu = 2;
	s->percpu[0] = seed;
	s->percpu[1] = seed * 2;
	s->nblk = 1;
	s->blk[0] = (struct cadv_blk){ 254, 0, seed, seed + 1, 3, 4 };
	s->nnet = 1;
	strcpy(s->net[0].name, "eth0");
	s->net[0].rx_bytes = seed * 7;
	s->net[0].tx_dropped = 9;
}

struct add_arg {
	struct cadv_container	*c;
	uint64_t		 ts;
	struct cadv_sample		*s;
	size_t			 nsamples;
};

static int
add_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct add_arg *a = arg;
	size_t i;
	int rc;

	if ((rc = store_container_add(s, txn, a->c)) != 0)
		return rc;
	for (i = 0; i < a->nsamples; i++) {
		make_sample(a->s, i + 1);
		if ((rc = store_sample_put(s, txn, a->c->id, a->ts + i, a->s)) != 0)
			return rc;
	}
	return 0;
}

static uint64_t
add(const char *name, size_t len, uint64_t ts, size_t nsamples)
{
	struct cadv_container c;
	struct cadv_sample *s = malloc(sizeof(*s));
	struct add_arg a = { &c, ts, s, nsamples };
	int rc;

	make_container(&c, name, len);
	rc = store_write(st, add_fn, &a);
	ck_assert_msg(rc == 0, "store_write: %s", store_strerror(rc));
	free(s);
	return c.id;
}

START_TEST(container_roundtrip)
{
	static const char odd[] = "/odd name/\n\t\xff\xfe\"\\";
	struct cadv_container c;
	MDB_txn *txn;
	uint64_t id1, id2;

	id1 = add("/", 1, 1, 0);
	id2 = add(odd, sizeof(odd) - 1, 1, 0);
	ck_assert_uint_ne(id1, id2);
	reopen(STORE_RDONLY);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_find(st, txn, odd, sizeof(odd) - 1,
	    &c), 0);
	ck_assert_uint_eq(c.id, id2);
	ck_assert_uint_eq(c.name_len, sizeof(odd) - 1);
	ck_assert_mem_eq(c.name, odd, c.name_len);
	ck_assert_uint_eq(c.created_ns, 1700000000123456789ULL);
	ck_assert_uint_eq(c.deleted_ns, 0);
	ck_assert(spec_has(&c, CADV_SP_MEM_LIMIT));
	ck_assert(!spec_has(&c, CADV_SP_CPU_QUOTA));
	ck_assert_uint_eq(c.spec[CADV_SP_MEM_LIMIT], 32 << 20);
	ck_assert_uint_eq(c.spec[CADV_SP_PIDS_LIMIT], CADV_UNLIMITED);
	ck_assert_str_eq(c.cpu_mask, "0-1");
	ck_assert_int_eq(store_container_get(st, txn, id1, &c), 0);
	ck_assert_str_eq(c.name, "/");
	ck_assert_int_eq(store_container_find(st, txn, "/nope", 5, &c),
	    MDB_NOTFOUND);
	store_read_end(txn);
}
END_TEST

static int
put_container(struct store *s, MDB_txn *txn, void *arg)
{
	return store_container_put(s, txn, arg);
}

START_TEST(container_update_keeps_id)
{
	struct cadv_container c;
	MDB_txn *txn;
	uint64_t id = add("/a", 2, 1, 0);

	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_find(st, txn, "/a", 2, &c), 0);
	store_read_end(txn);
	c.deleted_ns = 42;
	ck_assert_int_eq(store_write(st, put_container, &c), 0);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_find(st, txn, "/a", 2, &c), 0);
	ck_assert_uint_eq(c.id, id);
	ck_assert_uint_eq(c.deleted_ns, 42);
	store_read_end(txn);
}
END_TEST

struct collect {
	size_t		n;
	uint64_t	ts[64];
	uint64_t	cpu0[64];
};

static int
collect_fn(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	struct collect *c = arg;

	if (c->n < 64) {
		c->ts[c->n] = ts;
		c->cpu0[c->n] = s->percpu[0];
	}
	c->n++;
	return 0;
}

START_TEST(sample_roundtrip)
{
	struct cadv_sample *want = malloc(sizeof(*want)), *got = malloc(sizeof(*got));
	uint64_t id, ts;
	MDB_txn *txn;
	size_t i;

	id = add("/s", 2, 5000, 3);
	reopen(STORE_RDONLY);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_sample_latest(st, txn, id, &ts, got), 0);
	ck_assert_uint_eq(ts, 5002);
	make_sample(want, 3);
	ck_assert_uint_eq(got->present[0], want->present[0]);
	ck_assert_uint_eq(got->present[1], want->present[1]);
	for (i = 0; i < CADV_SF_COUNT; i++)
		if (sample_has(want, (enum cadv_sample_field)i))
			ck_assert_uint_eq(got->v[i], want->v[i]);
	ck_assert_uint_eq(got->ncpu, 2);
	ck_assert_uint_eq(got->percpu[1], 6);
	ck_assert_uint_eq(got->nblk, 1);
	ck_assert_uint_eq(got->blk[0].major, 254);
	ck_assert_uint_eq(got->blk[0].write_bytes, 4);
	ck_assert_uint_eq(got->nnet, 1);
	ck_assert_str_eq(got->net[0].name, "eth0");
	ck_assert_uint_eq(got->net[0].rx_bytes, 21);
	ck_assert_uint_eq(got->net[0].tx_dropped, 9);
	ck_assert_int_eq(store_sample_latest(st, txn, id + 1, &ts, got),
	    MDB_NOTFOUND);
	store_read_end(txn);
	free(want);
	free(got);
}
END_TEST

struct out_of_order {
	uint64_t	id[2];
	struct cadv_sample	*s;
};

static int
shuffled_fn(struct store *s, MDB_txn *txn, void *arg)
{
	static const uint64_t order[] = { 30, 10, 50, 20, 40 };
	struct out_of_order *o = arg;
	size_t i, k;
	int rc;

	for (k = 0; k < 2; k++)
		for (i = 0; i < 5; i++) {
			make_sample(o->s, order[i] + k);
			if ((rc = store_sample_put(s, txn, o->id[k], order[i],
			    o->s)) != 0)
				return rc;
		}
	return 0;
}

START_TEST(range_in_time_order)
{
	struct out_of_order o;
	struct collect c;
	MDB_txn *txn;

	o.id[0] = add("/r1", 3, 0, 0);
	o.id[1] = add("/r2", 3, 0, 0);
	o.s = malloc(sizeof(*o.s));
	ck_assert_int_eq(store_write(st, shuffled_fn, &o), 0);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_range(st, txn, o.id[0], 0, UINT64_MAX,
	    collect_fn, &c), 0);
	ck_assert_uint_eq(c.n, 5);
	ck_assert_uint_eq(c.ts[0], 10);
	ck_assert_uint_eq(c.ts[4], 50);
	ck_assert_uint_eq(c.cpu0[2], 30);
	/* inclusive bounds, and only this container's samples */
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_range(st, txn, o.id[1], 20, 40,
	    collect_fn, &c), 0);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_uint_eq(c.ts[0], 20);
	ck_assert_uint_eq(c.cpu0[0], 21);
	ck_assert_uint_eq(c.ts[2], 40);
	/* the newest two, oldest first */
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_last(st, txn, o.id[0], 2, collect_fn,
	    &c), 0);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_uint_eq(c.ts[0], 40);
	ck_assert_uint_eq(c.ts[1], 50);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_last(st, txn, o.id[1], 99, collect_fn,
	    &c), 0);
	ck_assert_uint_eq(c.n, 5);
	store_read_end(txn);
	free(o.s);
}
END_TEST

struct prune_arg {
	uint64_t	id, before;
	size_t		n;
	int		all;
};

static int
prune_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct prune_arg *p = arg;

	if (p->all)
		return store_samples_prune_all(s, txn, p->before, &p->n);
	return store_samples_prune(s, txn, p->id, p->before, &p->n);
}

START_TEST(prune_by_age)
{
	struct prune_arg p = { 0, 0, 0, 0 };
	struct collect c;
	uint64_t a, b, cc;
	MDB_txn *txn;

	a = add("/p1", 3, 100, 10);	/* ts 100..109 */
	b = add("/p2", 3, 100, 10);
	cc = add("/p3", 3, 200, 10);	/* ts 200..209 */
	p.id = a;
	p.before = 105;
	ck_assert_int_eq(store_write(st, prune_fn, &p), 0);
	ck_assert_uint_eq(p.n, 5);
	p.all = 1;
	p.before = 108;
	ck_assert_int_eq(store_write(st, prune_fn, &p), 0);
	ck_assert_uint_eq(p.n, 3 + 8);	/* 105-107 of a, 100-107 of b */
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	memset(&c, 0, sizeof(c));
	store_samples_range(st, txn, a, 0, UINT64_MAX, collect_fn, &c);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_uint_eq(c.ts[0], 108);
	memset(&c, 0, sizeof(c));
	store_samples_range(st, txn, b, 0, UINT64_MAX, collect_fn, &c);
	ck_assert_uint_eq(c.n, 2);
	memset(&c, 0, sizeof(c));
	store_samples_range(st, txn, cc, 0, UINT64_MAX, collect_fn, &c);
	ck_assert_uint_eq(c.n, 10);
	store_read_end(txn);
}
END_TEST

struct bulk {
	uint64_t	id, ts;
	size_t		n;
	struct cadv_sample	*s;
};

static int
bulk_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct bulk *b = arg;
	size_t i;
	int rc;

	for (i = 0; i < b->n; i++) {
		make_sample(b->s, i);
		if ((rc = store_sample_put(s, txn, b->id, b->ts + i, b->s)) != 0)
			return rc;
	}
	return 0;
}

struct rounds {
	uint64_t	id[3];
	uint64_t	round[3];
	int		bad_order;
};

static int
append_one(struct store *s, MDB_txn *txn, uint64_t round, uint64_t id,
    uint64_t ts)
{
	static unsigned char enc[SAMPLE_VALUE_MAX];
	struct cadv_sample *smp = malloc(sizeof(*smp));
	size_t len;
	int rc;

	make_sample(smp, ts);
	len = sample_encode(smp, enc, sizeof(enc));
	free(smp);
	ck_assert_uint_gt(len, 0);
	rc = store_sample_append(s, txn, round, id, ts, enc, len);
	return rc;
}

static int
rounds_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct rounds *r = arg;
	int rc;

	if (r->bad_order) {
		/* ids must ascend within a round */
		if ((rc = store_round_begin(s, txn, 3000, &r->round[0])) != 0 ||
		    (rc = append_one(s, txn, r->round[0], r->id[2], 3000)) != 0)
			return rc;
		return append_one(s, txn, r->round[0], r->id[0], 3001);
	}
	if ((rc = store_round_begin(s, txn, 1000, &r->round[0])) != 0 ||
	    (rc = append_one(s, txn, r->round[0], r->id[0], 1000)) != 0 ||
	    (rc = append_one(s, txn, r->round[0], r->id[1], 1005)) != 0 ||
	    (rc = append_one(s, txn, r->round[0], r->id[2], 1010)) != 0)
		return rc;
	/* b not due this round */
	if ((rc = store_round_begin(s, txn, 2000, &r->round[1])) != 0 ||
	    (rc = append_one(s, txn, r->round[1], r->id[0], 2000)) != 0 ||
	    (rc = append_one(s, txn, r->round[1], r->id[2], 2003)) != 0)
		return rc;
	/* the clock stepped back: the round key still ascends */
	if ((rc = store_round_begin(s, txn, 1500, &r->round[2])) != 0)
		return rc;
	return append_one(s, txn, r->round[2], r->id[1], 1500);
}

START_TEST(rounds_time_major)
{
	struct rounds r = { { 0 }, { 0 }, 0 };
	struct prune_arg p = { 0, 2000, 0, 1 };
	struct cadv_sample *smp = malloc(sizeof(*smp));
	struct collect c;
	MDB_txn *txn;
	uint64_t ts;

	r.id[0] = add("/a", 2, 0, 0);
	r.id[1] = add("/b", 2, 0, 0);
	r.id[2] = add("/c", 2, 0, 0);
	ck_assert_int_eq(store_write(st, rounds_fn, &r), 0);
	ck_assert_uint_eq(r.round[0], 1000);
	ck_assert_uint_eq(r.round[1], 2000);
	ck_assert_uint_eq(r.round[2], 2001);
	r.bad_order = 1;
	ck_assert_int_eq(store_write(st, rounds_fn, &r), MDB_KEYEXIST);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_sample_latest(st, txn, r.id[0], &ts, smp), 0);
	ck_assert_uint_eq(ts, 2000);
	ck_assert_uint_eq(smp->percpu[0], 2000);
	ck_assert_int_eq(store_sample_latest(st, txn, r.id[1], &ts, smp), 0);
	ck_assert_uint_eq(ts, 1500);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_range(st, txn, r.id[1], 0, UINT64_MAX,
	    collect_fn, &c), 0);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_uint_eq(c.ts[0], 1005);
	ck_assert_uint_eq(c.ts[1], 1500);
	/* from inside a round: its earlier samples are left out */
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_range(st, txn, r.id[2], 1005, 2003,
	    collect_fn, &c), 0);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_uint_eq(c.ts[0], 1010);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_range(st, txn, r.id[0], 1001, 1999,
	    collect_fn, &c), 0);
	ck_assert_uint_eq(c.n, 0);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_last(st, txn, r.id[2], 1, collect_fn,
	    &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.ts[0], 2003);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_last(st, txn, r.id[1], 9, collect_fn,
	    &c), 0);
	ck_assert_uint_eq(c.n, 2);
	store_read_end(txn);
	/* retention: the first round goes, the rest stays */
	ck_assert_int_eq(store_write(st, prune_fn, &p), 0);
	ck_assert_uint_eq(p.n, 3);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	memset(&c, 0, sizeof(c));
	store_samples_range(st, txn, r.id[1], 0, UINT64_MAX, collect_fn, &c);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.ts[0], 1500);
	store_read_end(txn);
	free(smp);
}
END_TEST

struct shards {
	uint64_t	a, b;
};

static int
shards_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct shards *sh = arg;
	uint64_t r;
	int rc;

	/* shard A's round, read from 1000 to 1300; then shard B's, whose
	 * reads began at 1200 */
	if ((rc = store_round_begin(s, txn, 1000, &r)) != 0 ||
	    (rc = append_one(s, txn, r, sh->a, 1300)) != 0 ||
	    (rc = store_round_begin(s, txn, 1200, &r)) != 0)
		return rc;
	return append_one(s, txn, r, sh->b, 1200);
}

START_TEST(shard_rounds_interleave)
{
	struct shards sh;
	struct collect c;
	MDB_txn *txn;

	sh.a = add("/a", 2, 0, 0);
	sh.b = add("/b", 2, 0, 0);
	ck_assert_int_eq(store_write(st, shards_fn, &sh), 0);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	/* the round holding 1250 is B's; A's sample of 1300 is in an
	 * earlier round and must still be found */
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_range(st, txn, sh.a, 1250, 2000,
	    collect_fn, &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.ts[0], 1300);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_last(st, txn, sh.b, 5, collect_fn,
	    &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.ts[0], 1200);
	store_read_end(txn);
}
END_TEST

START_TEST(map_grows_when_full)
{
	struct store_usage u0, u1;
	struct bulk b;
	struct collect c;
	MDB_txn *txn;
	int i;

	store_close(st);
	ck_assert_int_eq(store_open_sized(&st, dir, 256 << 10, 64 << 20,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(store_usage(st, &u0), 0);
	ck_assert_uint_eq(u0.map_size, 256 << 10);
	b.id = add("/big", 4, 0, 0);
	b.s = malloc(sizeof(*b.s));
	b.n = 500;
	for (i = 0; i < 10; i++) {
		b.ts = (uint64_t)i * 1000;
		ck_assert_int_eq(store_write(st, bulk_fn, &b), 0);
	}
	ck_assert_int_eq(store_usage(st, &u1), 0);
	ck_assert_uint_gt(u1.map_size, u0.map_size);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	memset(&c, 0, sizeof(c));
	store_samples_range(st, txn, b.id, 0, UINT64_MAX, collect_fn, &c);
	ck_assert_uint_eq(c.n, 5000);
	store_read_end(txn);
	free(b.s);
}
END_TEST

START_TEST(map_full_at_limit_keeps_data)
{
	struct bulk b;
	struct collect c;
	MDB_txn *txn;
	int i, rc = 0;

	store_close(st);
	ck_assert_int_eq(store_open_sized(&st, dir, 128 << 10, 256 << 10,
	    err, sizeof(err)), 0);
	b.id = add("/full", 5, 0, 0);
	b.s = malloc(sizeof(*b.s));
	b.n = 100;
	for (i = 0; i < 100 && rc == 0; i++) {
		b.ts = (uint64_t)i * 1000;
		rc = store_write(st, bulk_fn, &b);
	}
	ck_assert_int_eq(rc, MDB_MAP_FULL);
	ck_assert_int_gt(i, 1);
	/* the transactions committed before the limit are all there */
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	memset(&c, 0, sizeof(c));
	store_samples_range(st, txn, b.id, 0, UINT64_MAX, collect_fn, &c);
	ck_assert_uint_eq(c.n, (size_t)(i - 1) * 100);
	store_read_end(txn);
	free(b.s);
}
END_TEST

static void
raw_put(const char *table, const void *k, size_t klen, const void *v,
    size_t vlen, unsigned dbflags)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val key = { klen, (void *)(uintptr_t)k };
	MDB_val val = { vlen, (void *)(uintptr_t)v };

	ck_assert_int_eq(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 8);
	ck_assert_int_eq(mdb_env_open(env, dir, 0, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, table, MDB_CREATE | dbflags, &dbi), 0);
	ck_assert_int_eq(mdb_put(txn, dbi, &key, &val, 0), 0);
	ck_assert_int_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

static uint32_t
raw_schema(void)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val key = { 6, (void *)"schema" }, val;
	uint32_t v;

	ck_assert_int_eq(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 8);
	ck_assert_int_eq(mdb_env_open(env, dir, MDB_RDONLY, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
	ck_assert_int_eq(mdb_get(txn, dbi, &key, &val), 0);
	ck_assert_uint_eq(val.mv_size, 4);
	memcpy(&v, val.mv_data, 4);
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return v;
}

static void
put_schema(uint32_t v)
{
	const unsigned char le[4] = { v & 0xff, (v >> 8) & 0xff,
	    (v >> 16) & 0xff, v >> 24 };

	raw_put("meta", "schema", 6, le, 4, 0);
}

START_TEST(readers_refuse_other_schema)
{
	int rc;

	add("/keep", 5, 1, 1);
	store_close(st);
	st = NULL;
	put_schema(CADV_SCHEMA_VERSION + 1);
	rc = store_open_read(&st, dir, err, sizeof(err));
	ck_assert_int_eq(rc, STORE_SCHEMA);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, "newer") != NULL, "%s", err);
	ck_assert_uint_eq(raw_schema(), CADV_SCHEMA_VERSION + 1);
	/* an older one: the reader says who will upgrade it */
	put_schema(CADV_SCHEMA_VERSION - 1);
	rc = store_open_read(&st, dir, err, sizeof(err));
	ck_assert_int_eq(rc, STORE_UPGRADING);
	ck_assert_msg(strstr(err, "upgrades it when it starts") != NULL, "%s",
	    err);
	ck_assert_uint_eq(raw_schema(), CADV_SCHEMA_VERSION - 1);
}
END_TEST

START_TEST(foreign_lmdb_refused)
{
	int rc;

	store_close(st);
	st = NULL;
	unit_rmtree(dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	raw_put("somethingelse", "k", 1, "v", 1, 0);
	rc = store_open(&st, dir, err, sizeof(err));
	ck_assert_int_eq(rc, STORE_NOTCADV);
	ck_assert_msg(strstr(err, "without cadv's meta table") != NULL, "%s",
	    err);
}
END_TEST

START_TEST(missing_store)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/none", dir);
	store_close(st);
	st = NULL;
	rc = store_open_read(&st, path, err, sizeof(err));
	ck_assert_int_eq(rc, STORE_NOSTORE);
	ck_assert_msg(strstr(err, "no store here") != NULL, "%s", err);
	/* a writer creates it, group-readable */
	ck_assert_int_eq(store_open(&st, path, err, sizeof(err)), 0);
	{
		struct stat sb;

		ck_assert_int_eq(stat(path, &sb), 0);
		ck_assert_uint_eq(sb.st_mode & 0777, 0750);
	}
}
END_TEST

START_TEST(wrong_length_is_corruption)
{
	unsigned char key[SAMPLE_KEY_LEN], bad[SAMPLE_TS_LEN + 2] = { 0 };
	struct cadv_sample *s = malloc(sizeof(*s));
	struct collect c;
	MDB_txn *txn;
	uint64_t id, ts;

	id = add("/c", 2, 100, 2);
	store_close(st);
	st = NULL;
	key_sample(key, 101, id);
	bad[0] = 101;			/* the sample's time */
	bad[SAMPLE_TS_LEN] = CADV_SF_COUNT;	/* right start, cut short */
	bad[SAMPLE_TS_LEN + 1] = 1;
	raw_put("samples", key, sizeof(key), bad, sizeof(bad), 0);
	reopen(STORE_RDONLY);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_sample_latest(st, txn, id, &ts, s),
	    STORE_CORRUPT);
	ck_assert_msg(strstr(store_corruption(st), "table samples") != NULL,
	    "%s", store_corruption(st));
	ck_assert_msg(strstr(store_corruption(st), "ends inside a number") !=
	    NULL, "%s", store_corruption(st));
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(store_samples_range(st, txn, id, 0, UINT64_MAX,
	    collect_fn, &c), STORE_CORRUPT);
	ck_assert_uint_eq(c.n, 1);	/* the good one before it was read */
	store_read_end(txn);
	free(s);
}
END_TEST

START_TEST(corrupt_container_record)
{
	unsigned char key[8], bad[CONTAINER_HDR + 8 * CADV_SP_COUNT + 2] = { 0 };
	struct cadv_container c;
	MDB_txn *txn;

	add("/x", 2, 1, 0);
	store_close(st);
	st = NULL;
	key_u64(key, 1);
	bad[28] = CADV_SP_COUNT;
	bad[30] = 2;		/* name "ab": not a valid name */
	bad[CONTAINER_HDR + 8 * CADV_SP_COUNT] = 'a';
	bad[CONTAINER_HDR + 8 * CADV_SP_COUNT + 1] = 'b';
	raw_put("containers", key, sizeof(key), bad, sizeof(bad), 0);
	reopen(STORE_RDONLY);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_get(st, txn, 1, &c), STORE_CORRUPT);
	ck_assert_msg(strstr(store_corruption(st), "invalid name") != NULL,
	    "%s", store_corruption(st));
	store_read_end(txn);
}
END_TEST

struct ev_arg {
	struct cadv_event	e;
	int		n;
};

static int
event_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct ev_arg *a = arg;
	int i, rc;

	for (i = 0; i < a->n; i++) {
		a->e.ts_ns = 1000 + (uint64_t)i;
		if ((rc = store_event_add(s, txn, &a->e)) != 0)
			return rc;
	}
	return 0;
}

/* three oom_kill events, seq 1 to 3, ts 1000 to 1002 */
static void
add_kills(struct ev_arg *a)
{
	memset(a, 0, sizeof(*a));
	a->e.type = CADV_EV_OOM_KILL;
	a->e.pid = 4242;
	a->e.container_len = 6;
	memcpy(a->e.container, "/t/a b", 6);
	a->e.victim_len = 2;
	memcpy(a->e.victim, "/t", 2);
	a->e.comm_len = 7;
	memcpy(a->e.comm, "hog (x)", 7);
	a->n = 3;
	ck_assert_int_eq(store_write(st, event_fn, a), 0);
}

static int
count_events(const struct cadv_event *e, void *arg)
{
	int *n = arg;

	ck_assert_int_eq(e->type, CADV_EV_OOM_KILL);
	ck_assert_str_eq(e->container, "/t/a b");
	ck_assert_str_eq(e->victim, "/t");
	ck_assert_str_eq(e->comm, "hog (x)");
	ck_assert_uint_eq(e->pid, 4242);
	ck_assert_uint_eq(e->ts_ns, 1000 + (uint64_t)*n + 1);
	(*n)++;
	return 0;
}

START_TEST(event_and_meta_roundtrip)
{
	struct ev_arg a;
	MDB_txn *txn;
	uint64_t v;
	int n = 0;

	add_kills(&a);
	ck_assert_uint_eq(a.e.seq, 3);
	reopen(STORE_RDONLY);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_events_each(st, txn, 2, count_events, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(store_meta_get_u64(st, txn, META_NEXT_EVENT, &v), 0);
	ck_assert_uint_eq(v, 4);
	ck_assert_int_eq(store_heartbeat_get(st, txn, "collectord", &v),
	    MDB_NOTFOUND);
	store_read_end(txn);
	ck_assert_int_eq(store_write(st, event_fn, &a), EROFS);
}
END_TEST

static int
delete_fn(struct store *s, MDB_txn *txn, void *arg)
{
	struct cadv_container *c = arg;

	c->deleted_ns = 42;
	return store_container_put(s, txn, c);
}

static int
heartbeat_fn(struct store *s, MDB_txn *txn, void *arg)
{
	(void)arg;
	return store_heartbeat_put(s, txn, "collectord", 7);
}

static int
same_events(const struct cadv_event *e, void *arg)
{
	int *n = arg;

	ck_assert_uint_eq(e->seq, (uint64_t)*n + 1);
	ck_assert_uint_eq(e->ts_ns, 1000 + (uint64_t)*n);
	ck_assert_int_eq(e->type, CADV_EV_OOM_KILL);
	ck_assert_str_eq(e->container, "/t/a b");
	ck_assert_str_eq(e->comm, "hog (x)");
	ck_assert_uint_eq(e->pid, 4242);
	(*n)++;
	return 0;
}

/* A store of the schema before: events and live containers stay, the rest
 * goes, in the writer's open; readers were refused before it. */
START_TEST(older_schema_upgraded)
{
	struct cadv_container live, gone, c;
	struct ev_arg a;
	unsigned char k[U64_KEY_LEN];
	char note[1024];
	MDB_txn *txn;
	uint64_t first, last, v, id_live, id_gone;
	int n = 0, rc;

	id_live = add("/live", 5, 100, 3);
	id_gone = add("/gone", 5, 100, 2);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_get(st, txn, id_live, &live), 0);
	ck_assert_int_eq(store_container_get(st, txn, id_gone, &gone), 0);
	store_read_end(txn);
	ck_assert_int_eq(store_write(st, delete_fn, &gone), 0);
	ck_assert_int_eq(store_write(st, heartbeat_fn, NULL), 0);
	add_kills(&a);
	store_close(st);
	st = NULL;
	/* a record of each kind that does not decode */
	key_u64(k, 99);
	raw_put("events", k, sizeof(k), "junk", 4, 0);
	key_u64(k, 50);
	raw_put("containers", k, sizeof(k), "junk", 4, 0);
	put_schema(CADV_SCHEMA_VERSION - 1);

	rc = store_open(&st, dir, err, sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_ptr_nonnull(store_take_note(st, note, sizeof(note)));
	ck_assert_msg(strstr(note, "upgraded the store from schema 4 to 5: "
	    "kept 3 events and 1 live containers, dropped 2 deleted or bad "
	    "container records, 1 bad events and 5 samples") != NULL, "%s",
	    note);
	ck_assert_ptr_null(store_take_note(st, note, sizeof(note)));
	ck_assert_uint_eq(raw_schema(), CADV_SCHEMA_VERSION);

	reopen(STORE_RDONLY);
	ck_assert_ptr_null(store_take_note(st, note, sizeof(note)));
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_find(st, txn, "/live", 5, &c), 0);
	ck_assert_uint_eq(c.id, id_live);
	ck_assert_uint_eq(c.created_ns, live.created_ns);
	ck_assert_uint_eq(c.spec[CADV_SP_MEM_LIMIT], 32 << 20);
	ck_assert_str_eq(c.cpu_mask, "0-1");
	ck_assert_int_eq(store_container_find(st, txn, "/gone", 5, &c),
	    MDB_NOTFOUND);
	ck_assert_int_eq(store_container_get(st, txn, 50, &c), MDB_NOTFOUND);
	ck_assert_int_eq(store_events_each(st, txn, 0, same_events, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(store_samples_bounds(st, txn, &first, &last),
	    MDB_NOTFOUND);
	ck_assert_int_eq(store_sample_latest(st, txn, id_live, &v, NULL),
	    MDB_NOTFOUND);
	ck_assert_int_eq(store_heartbeat_get(st, txn, "collectord", &v),
	    MDB_NOTFOUND);
	ck_assert_int_eq(store_meta_get_u64(st, txn, META_NEXT_ID, &v), 0);
	ck_assert_uint_gt(v, id_gone);
	ck_assert_int_eq(store_meta_get_u64(st, txn, META_NEXT_EVENT, &v), 0);
	ck_assert_uint_eq(v, 4);
	store_read_end(txn);
	/* the next writer finds it done */
	reopen(0);
	ck_assert_ptr_null(store_take_note(st, note, sizeof(note)));
}
END_TEST

/* A store of a newer schema (a downgrade) is moved aside whole, never
 * deleted, and a fresh one started. */
START_TEST(newer_schema_set_aside)
{
	char note[1024], path[4096], *name;
	struct cadv_container c;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val key = { 6, (void *)"schema" }, val;
	int rc, found = 0;
	FILE *ls;

	add("/keep", 5, 1, 1);
	store_close(st);
	st = NULL;
	put_schema(CADV_SCHEMA_VERSION + 1);
	rc = store_open(&st, dir, err, sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_ptr_nonnull(store_take_note(st, note, sizeof(note)));
	ck_assert_msg(strstr(note, "the store had schema 6, this cadv writes "
	    "5: set it aside as ") != NULL, "%s", note);
	ck_assert_uint_eq(raw_schema(), CADV_SCHEMA_VERSION);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_find(st, txn, "/keep", 5, &c),
	    MDB_NOTFOUND);
	store_read_end(txn);

	/* the file set aside is the old store, as it was */
	name = strstr(note, "set it aside as ") + strlen("set it aside as ");
	*strchr(name, ' ') = '\0';
	ck_assert_msg(strncmp(name, dir, strlen(dir)) == 0 &&
	    strstr(name, "/data.mdb.schema6-") != NULL, "%s", name);
	snprintf(path, sizeof(path), "ls %s", dir);
	ck_assert_ptr_nonnull(ls = popen(path, "r"));
	while (fgets(path, sizeof(path), ls) != NULL)
		found += strncmp(path, "data.mdb.schema6-", 17) == 0;
	pclose(ls);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 8);
	ck_assert_int_eq(mdb_env_open(env, name, MDB_RDONLY | MDB_NOSUBDIR |
	    MDB_NOLOCK, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
	ck_assert_int_eq(mdb_get(txn, dbi, &key, &val), 0);
	ck_assert_uint_eq(((unsigned char *)val.mv_data)[0],
	    CADV_SCHEMA_VERSION + 1);
	ck_assert_int_eq(mdb_dbi_open(txn, "containers", 0, &dbi), 0);
	mdb_txn_abort(txn);
	mdb_env_close(env);
}
END_TEST

/* Errors come back to the caller, who prints them once: the library
 * writes nothing to stderr, a corrupt record included. */
START_TEST(store_prints_nothing)
{
	unsigned char k[U64_KEY_LEN];
	struct cadv_container c;
	MDB_txn *txn;
	char *path;
	FILE *saved, *capture;
	long size;

	key_u64(k, 7);
	store_close(st);
	st = NULL;
	raw_put("containers", k, sizeof(k), "junk", 4, 0);
	ck_assert_int_ne(asprintf(&path, "%s/stderr", dir), -1);
	fflush(stderr);
	saved = stderr;
	ck_assert_ptr_nonnull(capture = fopen(path, "w+"));
	stderr = capture;
	ck_assert_int_eq(store_open_read(&st, dir, err, sizeof(err)),
	    0);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_container_get(st, txn, 7, &c), STORE_CORRUPT);
	store_read_end(txn);
	fflush(stderr);
	stderr = saved;
	size = ftell(capture);
	fclose(capture);
	free(path);
	ck_assert_int_eq(size, 0);
	ck_assert_msg(strstr(store_error(st, STORE_CORRUPT),
	    "table containers, id 7") != NULL, "%s",
	    store_error(st, STORE_CORRUPT));
}
END_TEST

static int
note_fn(struct store *s, MDB_txn *txn, void *arg)
{
	const uint64_t *now = arg;

	return store_process_note(s, txn, "collectord", *now);
}

static uint64_t
noted_at(void)
{
	struct cadv_process p;
	MDB_txn *txn;
	int rc;

	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	rc = store_process_get(st, txn, "collectord", &p);
	store_read_end(txn);
	ck_assert_int_eq(rc, 0);
	return p.written_ns;
}

/* At most one note every PROCESS_NOTE_NS through a handle; the throttle
 * is the handle's, so a new one (a restarted writer) notes at once. */
START_TEST(process_note_throttled_per_handle)
{
	uint64_t t = 1000 * PROCESS_NOTE_NS, first = t;

	ck_assert_int_eq(store_write(st, note_fn, &t), 0);
	ck_assert_uint_eq(noted_at(), first);
	t += PROCESS_NOTE_NS / 2;
	ck_assert_int_eq(store_write(st, note_fn, &t), 0);
	ck_assert_uint_eq(noted_at(), first);
	t += PROCESS_NOTE_NS;
	ck_assert_int_eq(store_write(st, note_fn, &t), 0);
	ck_assert_uint_eq(noted_at(), t);
	reopen(0);
	t += 1;
	ck_assert_int_eq(store_write(st, note_fn, &t), 0);
	ck_assert_uint_eq(noted_at(), t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, container_roundtrip);
	tcase_add_test(tc, container_update_keeps_id);
	tcase_add_test(tc, sample_roundtrip);
	tcase_add_test(tc, range_in_time_order);
	tcase_add_test(tc, prune_by_age);
	tcase_add_test(tc, rounds_time_major);
	tcase_add_test(tc, shard_rounds_interleave);
	tcase_add_test(tc, map_grows_when_full);
	tcase_add_test(tc, map_full_at_limit_keeps_data);
	tcase_add_test(tc, readers_refuse_other_schema);
	tcase_add_test(tc, older_schema_upgraded);
	tcase_add_test(tc, newer_schema_set_aside);
	tcase_add_test(tc, store_prints_nothing);
	tcase_add_test(tc, foreign_lmdb_refused);
	tcase_add_test(tc, missing_store);
	tcase_add_test(tc, wrong_length_is_corruption);
	tcase_add_test(tc, corrupt_container_record);
	tcase_add_test(tc, event_and_meta_roundtrip);
	tcase_add_test(tc, process_note_throttled_per_handle);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
