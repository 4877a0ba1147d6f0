#include <stdlib.h>
#include <string.h>

#include "layermsg.h"
#include "storeident.h"
#include "storelayer.h"
#include "unit.h"
#include "storewrite.h"

static struct cadv_ident a;

static const struct cadv_layer R = {
	.measured_ns = 1000, .bytes = 5259264, .inodes = 19, .major = 254,
	.minor = 3, .walk_ns = 183000, .flags = 2,
};

static void
same(const struct cadv_layer *x, const struct cadv_layer *y)
{
	ck_assert_uint_eq(x->measured_ns, y->measured_ns);
	ck_assert_uint_eq(x->bytes, y->bytes);
	ck_assert_uint_eq(x->inodes, y->inodes);
	ck_assert_uint_eq(x->major, y->major);
	ck_assert_uint_eq(x->minor, y->minor);
	ck_assert_uint_eq(x->walk_ns, y->walk_ns);
	ck_assert_uint_eq(x->flags, y->flags);
}

static void
mk(struct cadv_ident *id, const char *cg, uint64_t seen, uint64_t gone)
{
	ident_init(id);
	id->runtime = CADV_RT_PODMAN;
	id->seen_ns = seen;
	id->gone_ns = gone;
	ck_assert_int_eq(ident_set(id, CADV_IS_CGROUP, cg, strlen(cg)), 0);
}

struct op {
	const struct cadv_ident	*id;
	const struct cadv_layer	*rec;
	uint64_t		 before;
	size_t			 n;
};

static int
put_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct op *o = arg;
	const char *cg = ident_get(o->id, CADV_IS_CGROUP, NULL);
	int rc;

	if ((rc = store_ident_put(st, txn, o->id)) != 0)
		return rc;
	return store_layer_put(st, txn, cg, strlen(cg), o->id->seen_ns,
	    o->rec);
}

static int
prune_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct op *o = arg;

	return store_idents_prune(st, txn, o->before, &o->n);
}

static int
get(struct store *st, const char *cg, uint64_t seen, struct cadv_layer *r)
{
	MDB_txn *txn;
	int rc;

	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	rc = store_layer_get(st, txn, cg, strlen(cg), seen, r);
	store_read_end(txn);
	return rc;
}

/* stored under its identity's key, read back whole, gone with it */
START_TEST(put_get_prune)
{
	char err[256], *dir = unit_tmpdir();
	struct cadv_layer r, r2 = R;
	struct store *st;
	struct op o = { &a, &R, 0, 0 };

	ck_assert_int_eq(store_open(&st, dir, err, sizeof(err)), 0);
	mk(&a, "/pm/libpod-1", 100, 200);
	ck_assert_int_eq(store_write(st, put_fn, &o), 0);
	r2.bytes = 7;
	mk(&a, "/pm/libpod-1", 300, 0);
	o.rec = &r2;
	ck_assert_int_eq(store_write(st, put_fn, &o), 0);
	ck_assert_int_eq(get(st, "/pm/libpod-1", 100, &r), 0);
	same(&r, &R);
	ck_assert_int_eq(get(st, "/pm/libpod-1", 300, &r), 0);
	ck_assert_uint_eq(r.bytes, 7);
	ck_assert_int_eq(get(st, "/pm/libpod-1", 101, &r), MDB_NOTFOUND);
	ck_assert_int_eq(get(st, "/pm/other", 100, &r), MDB_NOTFOUND);
	/* the identity gone at 200 goes before 250, and its layer with it;
	 * the live one keeps its */
	o.before = 250;
	ck_assert_int_eq(store_write(st, prune_fn, &o), 0);
	ck_assert_uint_eq(o.n, 1);
	ck_assert_int_eq(get(st, "/pm/libpod-1", 100, &r), MDB_NOTFOUND);
	ck_assert_int_eq(get(st, "/pm/libpod-1", 300, &r), 0);
	store_close(st);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(record_bytes)
{
	unsigned char b[LAYER_VALUE_LEN + 4];
	struct cadv_layer r;
	const char *why;

	ck_assert_uint_eq(layer_rec_encode(&R, b, LAYER_VALUE_LEN - 1), 0);
	ck_assert_uint_eq(layer_rec_encode(&R, b, sizeof(b)), 44);
	/* SCHEMA.md: LE at the documented offsets */
	ck_assert_uint_eq(b[8] | b[9] << 8 | b[10] << 16, 5259264 & 0xffffff);
	ck_assert_uint_eq(b[16], 19);
	ck_assert_uint_eq(b[24], 254);
	ck_assert_uint_eq(b[28], 3);
	ck_assert_uint_eq(b[40], 2);
	/* a later version's additions are passed over; short is refused */
	ck_assert_int_eq(layer_rec_decode(b, sizeof(b), &r, &why), 0);
	same(&r, &R);
	ck_assert_int_eq(layer_rec_decode(b, 43, &r, &why), -1);
}
END_TEST

START_TEST(message_checked)
{
	unsigned char b[LAYERMSG_LEN];
	struct layer_msg m, d;
	const char *why;

	memset(&m, 0, sizeof(m));
	m.source = 2;
	m.rec = R;
	memset(m.id, 'a', LAYERMSG_ID_LEN);
	ck_assert_uint_eq(layer_msg_encode(&m, b, sizeof(b)), LAYERMSG_LEN);
	ck_assert_int_eq(layer_msg_decode(b, sizeof(b), &d, &why), 0);
	ck_assert_uint_eq(d.source, 2);
	ck_assert_str_eq(d.id, m.id);
	ck_assert_uint_eq(d.rec.bytes, R.bytes);
	ck_assert_int_eq(layer_msg_decode(b, sizeof(b) - 1, &d, &why), -1);
	b[1] = 1;
	ck_assert_int_eq(layer_msg_decode(b, sizeof(b), &d, &why), -1);
	b[1] = 0;
	/* the id names a directory nowhere, but is checked all the same */
	b[LAYERMSG_HDR + LAYER_VALUE_LEN + 5] = '/';
	ck_assert_int_eq(layer_msg_decode(b, sizeof(b), &d, &why), -1);
	ck_assert_str_eq(why, "an id that is not 64 hex digits");
	/* a short id is not encoded */
	m.id[10] = '\0';
	ck_assert_uint_eq(layer_msg_encode(&m, b, sizeof(b)), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("storelayer");
	TCase *tc = tcase_create("storelayer");

	tcase_add_test(tc, put_get_prune);
	tcase_add_test(tc, record_bytes);
	tcase_add_test(tc, message_checked);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
