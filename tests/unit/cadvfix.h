/* The check_cadv_* suites' store: written through the writers' own calls
 * (store.h) in a temp dir, damaged through LMDB itself, then read through
 * the public calls (cadv.h) alone.  Header-only (static inline): each
 * suite is one program linked from one file (Makefile). */
#ifndef CADV_UNIT_CADVFIX_H
#define CADV_UNIT_CADVFIX_H

#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadv.h"
#include "log.h"
#include "store.h"
#include "storewrite.h"
#include "unit.h"

/* A value no table's decoder takes: shorter than every record. */
#define FX_JUNK		"\xff\xff\xff"
#define FX_JUNK_LEN	3
#define FX_KEY_MAX	511	/* LMDB's longest key */

struct fx {
	char		*dir;
	struct store	*w;		/* the writer, until fx_read */
	struct cadv	*db;		/* the reader */
	struct cadv_txn	*t;
	char		 err[1024];
};

static struct fx fx;

static inline void
fx_setup(void)
{
	log_setlevel(LOG_LVL_ERR);
	memset(&fx, 0, sizeof(fx));
	fx.dir = unit_tmpdir();
	ck_assert_msg(store_open(&fx.w, fx.dir, fx.err,
	    sizeof(fx.err)) == 0, "%s", fx.err);
}

static inline void
fx_teardown(void)
{
	cadv_end(fx.t);
	cadv_close(fx.db);
	store_close(fx.w);
	unit_rmtree(fx.dir);
	free(fx.dir);
	memset(&fx, 0, sizeof(fx));
}

static inline void
fx_write(store_write_fn fn, void *arg)
{
	int rc = store_write(fx.w, fn, arg);

	ck_assert_msg(rc == 0, "store_write: %s", store_strerror(rc));
}

/* The writer closed (one environment per process at a time, LMDB's rule),
 * the store opened through cadv_open and a snapshot begun. */
static inline void
fx_read(void)
{
	int rc;

	store_close(fx.w);
	fx.w = NULL;
	rc = cadv_open(fx.dir, &fx.db, fx.err, sizeof(fx.err));
	ck_assert_msg(rc == 0, "cadv_open: %s", fx.err);
	ck_assert_str_eq(cadv_dir(fx.db), fx.dir);
	ck_assert_int_eq(cadv_begin(fx.db, &fx.t), 0);
}

/* Puts val under key (NULL: in place of every record's value) in table,
 * through LMDB itself, the writer closed first.  Returns how many. */
static inline size_t
fx_put(const char *table, const void *key, size_t klen, const void *val,
    size_t vlen)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k, v, nv = { vlen, (void *)(uintptr_t)val };
	size_t n = 0;
	int rc;

	store_close(fx.w);
	fx.w = NULL;
	ck_assert_int_eq(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	ck_assert_int_eq(mdb_env_open(env, fx.dir, 0, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, table, 0, &dbi), 0);
	if (key != NULL) {
		k.mv_size = klen;
		k.mv_data = (void *)(uintptr_t)key;
		ck_assert_int_eq(mdb_put(txn, dbi, &k, &nv, 0), 0);
		n = 1;
	} else {
		/* keys copied out first: a put of another size moves the
		 * page's bytes under a cursor's key */
		unsigned char (*keys)[FX_KEY_MAX] = NULL;
		size_t *lens = NULL, i;

		ck_assert_int_eq(mdb_cursor_open(txn, dbi, &cur), 0);
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
		    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), n++) {
			ck_assert_uint_le(k.mv_size, FX_KEY_MAX);
			keys = realloc(keys, (n + 1) * sizeof(*keys));
			lens = realloc(lens, (n + 1) * sizeof(*lens));
			ck_assert(keys != NULL && lens != NULL);
			memcpy(keys[n], k.mv_data, k.mv_size);
			lens[n] = k.mv_size;
		}
		mdb_cursor_close(cur);
		for (i = 0; i < n; i++) {
			k.mv_size = lens[i];
			k.mv_data = keys[i];
			ck_assert_int_eq(mdb_put(txn, dbi, &k, &nv, 0), 0);
		}
		free(keys);
		free(lens);
	}
	ck_assert_int_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	ck_assert_uint_gt(n, 0);
	return n;
}

/* The value of key (NULL: of every record) in table made FX_JUNK. */
static inline size_t
fx_spoil(const char *table, const void *key, size_t klen)
{
	return fx_put(table, key, klen, FX_JUNK, FX_JUNK_LEN);
}

/* rc is CADV_CORRUPT and cadv_error names the table. */
#define fx_corrupt(rc, table) do { \
	int fx_rc_ = (rc); \
	const char *fx_e_; \
	ck_assert_msg(fx_rc_ == CADV_CORRUPT, "%s: want CADV_CORRUPT, " \
	    "got %d (%s)", #rc, fx_rc_, cadv_strerror(fx_rc_)); \
	fx_e_ = cadv_error(fx.db, fx_rc_); \
	ck_assert_msg(strstr(fx_e_, "table " table ",") != NULL, \
	    "%s: %s", #rc, fx_e_); \
} while (0)

/* A container as collectord writes one. */
static inline void
fx_container(struct cadv_container *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->name_len = strlen(name);
	memcpy(c->name, name, c->name_len);
	c->created_ns = 1700000000123456789ULL;
	spec_set(c, CADV_SP_MEM_LIMIT, 64 << 20);
	spec_set(c, CADV_SP_CPU_QUOTA, CADV_UNLIMITED);
	memcpy(c->cpu_mask, "0-3", 3);
	c->mask_len = 3;
}

/* A sample whose values come from seed: cpu total seed * 1e9 ns, the
 * working set seed MiB, every third field left unread. */
static inline void
fx_sample(struct cadv_sample *s, uint64_t seed)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < CADV_SF_COUNT; i++)
		if (i % 3 != 2)
			sample_set(s, (enum cadv_sample_field)i,
			    seed * 1000 + i);
	sample_set(s, CADV_SF_CPU_TOTAL, seed * 1000000000ULL);
	sample_set(s, CADV_SF_MEM_WORKING_SET, seed << 20);
	s->ncpu = 2;
	s->percpu[0] = seed;
	s->percpu[1] = seed * 3;
	s->nblk = 1;
	s->blk[0] = (struct cadv_blk){ 8, 0, seed, seed + 1, 2, 3 };
	s->nnet = 1;
	strcpy(s->net[0].name, "eth0");
	s->net[0].rx_bytes = seed * 7;
	s->xio[0].present = 1u << CADV_DX_SYNC_BYTES;
	s->xio[0].v[CADV_DX_SYNC_BYTES] = seed * 11;
	s->xpresent = s->xio[0].present;
}

#endif
