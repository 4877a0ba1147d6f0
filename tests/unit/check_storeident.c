#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storeident.h"
#include "unit.h"
#include "storewrite.h"

static struct cadv_ident a, b;

static void
mk(struct cadv_ident *id, const char *cg, const char *name, uint64_t seen,
    uint64_t gone)
{
	ident_init(id);
	id->runtime = CADV_RT_PODMAN;
	id->seen_ns = seen;
	id->gone_ns = gone;
	ck_assert_int_eq(ident_set(id, CADV_IS_CGROUP, cg, strlen(cg)), 0);
	ck_assert_int_eq(ident_set(id, CADV_IS_NAME, name, strlen(name)), 0);
}

struct put {
	struct cadv_ident	*id;
};

static int
put_fn(struct store *st, MDB_txn *txn, void *arg)
{
	return store_ident_put(st, txn, ((struct put *)arg)->id);
}

static void
put(struct store *st, struct cadv_ident *id)
{
	struct put p = { id };

	ck_assert_int_eq(store_write(st, put_fn, &p), 0);
}

static const char *
find(struct store *st, const char *cg, uint64_t at)
{
	MDB_txn *txn;
	int rc;

	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	rc = store_ident_find(st, txn, cg, strlen(cg), at, &b);
	store_read_end(txn);
	return rc == 0 ? ident_get(&b, CADV_IS_NAME, NULL) : NULL;
}

static size_t pruned;

static int
prune_fn(struct store *st, MDB_txn *txn, void *arg)
{
	return store_idents_prune(st, txn, *(uint64_t *)arg, &pruned);
}

START_TEST(find_by_name_and_time)
{
	char err[256], *dir = unit_tmpdir();
	struct store *st;
	uint64_t before = 250;

	ck_assert_int_eq(store_open(&st, dir, err, sizeof(err)), 0);
	ck_assert_ptr_null(find(st, "/a", 0));
	/* /a was one container from 100 to 200, another from 300 on */
	mk(&a, "/a", "first", 100, 200);
	put(st, &a);
	mk(&a, "/a", "second", 300, 0);
	put(st, &a);
	mk(&a, "/b", "other", 150, 0);
	put(st, &a);
	ck_assert_str_eq(find(st, "/a", 0), "second");
	ck_assert_str_eq(find(st, "/a", 150), "first");
	ck_assert_str_eq(find(st, "/a", 100), "first");
	ck_assert_str_eq(find(st, "/a", 299), "first");
	ck_assert_str_eq(find(st, "/a", 300), "second");
	ck_assert_str_eq(find(st, "/a", 5000), "second");
	/* before anything was stored: the first one after */
	ck_assert_str_eq(find(st, "/a", 50), "first");
	ck_assert_str_eq(find(st, "/b", 0), "other");
	ck_assert_ptr_null(find(st, "/c", 0));
	/* the one gone before 250 goes; the live ones stay */
	ck_assert_int_eq(store_write(st, prune_fn, &before), 0);
	ck_assert_uint_eq(pruned, 1);
	ck_assert_str_eq(find(st, "/a", 150), "second");
	store_close(st);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

static int
put_empty_fn(struct store *st, MDB_txn *txn, void *arg)
{
	(void)arg;
	ident_init(&a);
	return store_ident_put(st, txn, &a);
}

START_TEST(put_refuses_no_cgroup)
{
	char err[256], *dir = unit_tmpdir();
	struct store *st;

	ck_assert_int_eq(store_open(&st, dir, err, sizeof(err)), 0);
	ck_assert_int_eq(store_write(st, put_empty_fn, NULL), EINVAL);
	store_close(st);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

static const char *
resolve(struct store *st, const char *q, int *rc, size_t *n)
{
	MDB_txn *txn;

	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	*rc = store_ident_resolve(st, txn, q, strlen(q), &b, n);
	store_read_end(txn);
	return *rc == 0 ? ident_get(&b, CADV_IS_CGROUP, NULL) : NULL;
}

START_TEST(resolve_names)
{
	char err[256], *dir = unit_tmpdir();
	struct store *st;
	size_t n;
	int rc;

	ck_assert_int_eq(store_open(&st, dir, err, sizeof(err)), 0);
	mk(&a, "/docker/abcdef01", "web1", 100, 0);
	ck_assert_int_eq(ident_set(&a, CADV_IS_ID, "abcdef01", 8), 0);
	put(st, &a);
	/* an older web1, gone: the live one wins */
	mk(&a, "/docker/99999999", "web1", 50, 90);
	ck_assert_int_eq(ident_set(&a, CADV_IS_ID, "99999999", 8), 0);
	put(st, &a);
	mk(&a, "/kubepods/pod1/c1", "c1", 100, 0);
	ck_assert_int_eq(ident_set(&a, CADV_IS_ID, "abc77777", 8), 0);
	ck_assert_int_eq(ident_set(&a, CADV_IS_POD_NAMESPACE, "shop", 4), 0);
	ck_assert_int_eq(ident_set(&a, CADV_IS_POD_NAME, "api-1", 5), 0);
	ck_assert_int_eq(ident_set(&a, CADV_IS_CONTAINER_NAME, "api", 3), 0);
	put(st, &a);
	ck_assert_str_eq(resolve(st, "web1", &rc, &n), "/docker/abcdef01");
	ck_assert_str_eq(resolve(st, "abcdef01", &rc, &n), "/docker/abcdef01");
	ck_assert_str_eq(resolve(st, "abcd", &rc, &n), "/docker/abcdef01");
	ck_assert_str_eq(resolve(st, "999", &rc, &n), "/docker/99999999");
	ck_assert_str_eq(resolve(st, "shop/api-1/api", &rc, &n),
	    "/kubepods/pod1/c1");
	ck_assert_ptr_null(resolve(st, "abc", &rc, &n));
	ck_assert_int_eq(rc, STORE_AMBIGUOUS);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_null(resolve(st, "ab", &rc, &n));	/* too short */
	ck_assert_int_eq(rc, MDB_NOTFOUND);
	ck_assert_ptr_null(resolve(st, "shop/api-1/db", &rc, &n));
	ck_assert_ptr_null(resolve(st, "nothing", &rc, &n));
	store_close(st);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("storeident");
	TCase *tc = tcase_create("storeident");

	tcase_add_test(tc, find_by_name_and_time);
	tcase_add_test(tc, put_refuses_no_cgroup);
	tcase_add_test(tc, resolve_names);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
