/* libcadv's public calls (cadv.h) on the handle, containers and samples: a real LMDB store written through the
 * writers' calls, read back through cadv_* alone, then damaged. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cadvfix.h"

#define SEC	1000000000ULL

/* ---- open, handle, errors ----------------------------------------- */

static void
put_schema(uint32_t v)
{
	const unsigned char le[4] = { v & 0xff, (v >> 8) & 0xff,
	    (v >> 16) & 0xff, v >> 24 };

	fx_put("meta", "schema", 6, le, sizeof(le));
}

START_TEST(open_missing_dir)
{
	struct cadv *db = (struct cadv *)&db;
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/none", fx.dir);
	rc = cadv_open(path, &db, fx.err, sizeof(fx.err));
	ck_assert_int_eq(rc, CADV_NOSTORE);
	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(fx.err, path) != NULL &&
	    strstr(fx.err, "no store here") != NULL, "%s", fx.err);
	/* nothing made by a reader */
	ck_assert_int_eq(access(path, F_OK), -1);
	/* an empty path is a mistake said, not the current directory */
	rc = cadv_open("", &db, fx.err, sizeof(fx.err));
	ck_assert_int_eq(rc, CADV_NOSTORE);
	ck_assert_msg(fx.err[0] != '\0', "no sentence");
	/* err may be NULL */
	ck_assert_int_eq(cadv_open(path, &db, NULL, 0), CADV_NOSTORE);
}
END_TEST

START_TEST(open_newer_schema)
{
	struct cadv *db;

	put_schema(CADV_SCHEMA_VERSION + 1);
	ck_assert_int_eq(cadv_open(fx.dir, &db, fx.err, sizeof(fx.err)),
	    CADV_SCHEMA);
	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(fx.err, "newer") != NULL, "%s", fx.err);
	put_schema(CADV_SCHEMA_VERSION - 1);
	ck_assert_int_eq(cadv_open(fx.dir, &db, fx.err, sizeof(fx.err)),
	    CADV_UPGRADING);
	ck_assert_ptr_null(db);
}
END_TEST

START_TEST(open_default_and_errors)
{
	static const int codes[] = { CADV_NOTFOUND, CADV_CORRUPT,
	    CADV_NOSTORE, CADV_SCHEMA, CADV_NOTCADV, CADV_FOREIGN,
	    CADV_UNSAFE, CADV_UPGRADING, CADV_AMBIGUOUS };
	size_t i, j;

	store_close(fx.w);
	fx.w = NULL;
	/* NULL: $CADV_STORE */
	ck_assert_int_eq(setenv("CADV_STORE", fx.dir, 1), 0);
	ck_assert_int_eq(cadv_open(NULL, &fx.db, fx.err, sizeof(fx.err)), 0);
	ck_assert_str_eq(cadv_dir(fx.db), fx.dir);
	unsetenv("CADV_STORE");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_ptr_nonnull(cadv_strerror(codes[i]));
		ck_assert_uint_gt(strlen(cadv_strerror(codes[i])), 5);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(cadv_strerror(codes[i]),
			    cadv_strerror(codes[j]));
		/* no corruption seen yet: the plain sentence */
		ck_assert_str_eq(cadv_error(fx.db, codes[i]),
		    cadv_strerror(codes[i]));
		ck_assert_str_eq(cadv_error(NULL, codes[i]),
		    cadv_strerror(codes[i]));
	}
	ck_assert_str_eq(cadv_strerror(ENOENT), strerror(ENOENT));
	cadv_close(NULL);
	cadv_end(NULL);
}
END_TEST

START_TEST(usage_and_readers)
{
	struct cadv_usage u;
	int dead = -1;
	int32_t tid = -1;

	fx_read();
	ck_assert_int_eq(cadv_usage(fx.db, &u), 0);
	ck_assert_uint_gt(u.map_size, 0);
	ck_assert_uint_gt(u.used, 0);
	ck_assert_uint_le(u.used, u.map_size);
	ck_assert_uint_ge(u.readers_used, 1);	/* fx.t's slot */
	ck_assert_uint_ge(u.readers_max, u.readers_used);
	ck_assert_int_eq(cadv_reader_check(fx.db, &dead), 0);
	ck_assert_int_eq(dead, 0);
	ck_assert_int_eq(cadv_writer_holder(fx.db, &tid), 0);
	ck_assert_int_eq(tid, 0);
}
END_TEST

struct hold {
	int	ready, go;
};

static int
hold_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct hold *h = arg;
	char c = 'r';

	(void)st;
	(void)txn;
	if (write(h->ready, &c, 1) != 1 || read(h->go, &c, 1) != 1)
		return EIO;
	return 0;
}

/* A writer in another process holding the lock is named by its thread
 * id (the main thread's: its pid), and no more once it let go. */
START_TEST(writer_holder_named)
{
	int up[2], down[2], status;
	struct hold h;
	int32_t tid = -1;
	char c;
	pid_t pid;

	store_close(fx.w);
	fx.w = NULL;
	ck_assert_int_eq(pipe(up), 0);
	ck_assert_int_eq(pipe(down), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		struct store *w;

		h.ready = up[1];
		h.go = down[0];
		if (store_open(&w, fx.dir, fx.err, sizeof(fx.err)) != 0)
			_exit(2);
		_exit(store_write(w, hold_fn, &h) == 0 ? 0 : 3);
	}
	close(up[1]);
	close(down[0]);
	ck_assert_int_eq(read(up[0], &c, 1), 1);
	ck_assert_int_eq(cadv_open(fx.dir, &fx.db, fx.err, sizeof(fx.err)), 0);
	ck_assert_int_eq(cadv_writer_holder(fx.db, &tid), 0);
	ck_assert_int_eq(tid, pid);
	ck_assert_int_eq(write(down[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(cadv_writer_holder(fx.db, &tid), 0);
	ck_assert_int_eq(tid, 0);
	close(up[0]);
	close(down[1]);
}
END_TEST

/* ---- containers --------------------------------------------------- */

struct cts {
	struct cadv_container	c[3];
	const char		*names[3];
};

static int
containers_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct cts *a = arg;
	struct cadv_sample *s;
	size_t i;
	int rc;

	for (i = 0; i < 3; i++) {
		fx_container(&a->c[i], a->names[i]);
		if ((rc = store_container_add(st, txn, &a->c[i])) != 0)
			return rc;
	}
	a->c[2].deleted_ns = a->c[2].created_ns + 5 * SEC;
	if ((rc = store_container_put(st, txn, &a->c[2])) != 0)
		return rc;
	if ((s = malloc(sizeof(*s))) == NULL)
		return ENOMEM;
	/* five samples of /a, a second apart */
	for (i = 1, rc = 0; i <= 5 && rc == 0; i++) {
		fx_sample(s, i);
		rc = store_sample_put(st, txn, a->c[1].id, i * SEC, s);
	}
	free(s);
	return rc;
}

static struct cts cts = { .names = { "/", "/a", "/gone" } };

static void
write_containers(void)
{
	fx_write(containers_fn, &cts);
}

static int
collect_ids(const struct cadv_container *c, void *arg)
{
	uint64_t *ids = arg;

	ids[++ids[0]] = c->id;
	if (c->deleted_ns != 0)
		ids[4] = c->id;
	return ids[0] == 2 && ids[5] ? 7 : 0;
}

START_TEST(containers_good)
{
	struct cadv_container c;
	uint64_t ids[6] = { 0 };

	write_containers();
	fx_read();
	ck_assert_int_eq(cadv_container_find(fx.t, "/a", 2, &c), 0);
	ck_assert_uint_eq(c.id, cts.c[1].id);
	ck_assert_uint_eq(c.name_len, 2);
	ck_assert_str_eq(c.name, "/a");
	ck_assert_uint_eq(c.created_ns, 1700000000123456789ULL);
	ck_assert_uint_eq(c.deleted_ns, 0);
	ck_assert(cadv_spec_has(&c, CADV_SP_MEM_LIMIT));
	ck_assert_uint_eq(c.spec[CADV_SP_MEM_LIMIT], 64 << 20);
	ck_assert(cadv_spec_has(&c, CADV_SP_CPU_QUOTA));
	ck_assert_uint_eq(c.spec[CADV_SP_CPU_QUOTA], CADV_UNLIMITED);
	ck_assert(!cadv_spec_has(&c, CADV_SP_PIDS_LIMIT));
	ck_assert(!cadv_spec_has(&c, (enum cadv_spec_field)CADV_SPEC_MAX));
	ck_assert_uint_eq(c.mask_len, 3);
	ck_assert_str_eq(c.cpu_mask, "0-3");
	ck_assert_int_eq(cadv_container_get(fx.t, cts.c[2].id, &c), 0);
	ck_assert_str_eq(c.name, "/gone");
	ck_assert_uint_eq(c.deleted_ns, cts.c[2].created_ns + 5 * SEC);
	/* by exact bytes: a prefix is not the name */
	ck_assert_int_eq(cadv_container_find(fx.t, "/a", 1, &c), 0);
	ck_assert_str_eq(c.name, "/");
	ck_assert_int_eq(cadv_container_find(fx.t, "/nope", 5, &c),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_container_get(fx.t, 999, &c), CADV_NOTFOUND);
	/* every one, deleted too, in id order */
	ck_assert_int_eq(cadv_containers_each(fx.t, collect_ids, ids), 0);
	ck_assert_uint_eq(ids[0], 3);
	ck_assert(ids[1] < ids[2] && ids[2] < ids[3]);
	ck_assert_uint_eq(ids[4], cts.c[2].id);
	/* a callback's non-zero stops the walk and comes back */
	memset(ids, 0, sizeof(ids));
	ids[5] = 1;
	ck_assert_int_eq(cadv_containers_each(fx.t, collect_ids, ids), 7);
	ck_assert_uint_eq(ids[0], 2);
}
END_TEST

START_TEST(containers_corrupt)
{
	struct cadv_container c;
	uint64_t ids[6] = { 0 };

	write_containers();
	fx_spoil("containers", NULL, 0);
	fx_read();
	fx_corrupt(cadv_container_get(fx.t, cts.c[1].id, &c), "containers");
	fx_corrupt(cadv_container_find(fx.t, "/a", 2, &c), "containers");
	fx_corrupt(cadv_containers_each(fx.t, collect_ids, ids),
	    "containers");
	ck_assert_uint_eq(ids[0], 0);
}
END_TEST

START_TEST(names_corrupt)
{
	struct cadv_container c;

	write_containers();
	fx_spoil("names", NULL, 0);
	fx_read();
	fx_corrupt(cadv_container_find(fx.t, "/a", 2, &c), "names");
	/* by id the names table is not read */
	ck_assert_int_eq(cadv_container_get(fx.t, cts.c[1].id, &c), 0);
}
END_TEST

/* ---- samples ------------------------------------------------------ */

static void
same_sample(const struct cadv_sample *got, uint64_t seed)
{
	struct cadv_sample *want = malloc(sizeof(*want));
	size_t i;

	ck_assert_ptr_nonnull(want);
	fx_sample(want, seed);
	for (i = 0; i < CADV_SF_COUNT; i++) {
		ck_assert_int_eq(cadv_sample_has(got, (enum cadv_sample_field)i),
		    cadv_sample_has(want, (enum cadv_sample_field)i));
		if (cadv_sample_has(want, (enum cadv_sample_field)i))
			ck_assert_uint_eq(got->v[i], want->v[i]);
	}
	ck_assert(!cadv_sample_has(got,
	    (enum cadv_sample_field)CADV_SCALARS_MAX));
	ck_assert_uint_eq(got->ncpu, 2);
	ck_assert_uint_eq(got->percpu[1], seed * 3);
	ck_assert_uint_eq(got->nblk, 1);
	ck_assert_mem_eq(&got->blk[0], &want->blk[0], sizeof(want->blk[0]));
	ck_assert_uint_eq(got->nnet, 1);
	ck_assert_str_eq(got->net[0].name, "eth0");
	ck_assert_uint_eq(got->net[0].rx_bytes, seed * 7);
	ck_assert_uint_eq(got->xpresent, 1u << CADV_DX_SYNC_BYTES);
	ck_assert_uint_eq(got->xio[0].present, 1u << CADV_DX_SYNC_BYTES);
	ck_assert_uint_eq(got->xio[0].v[CADV_DX_SYNC_BYTES], seed * 11);
	free(want);
}

struct got {
	uint64_t	ts[16];
	size_t		n, stop_at;
};

static int
got_sample(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	struct got *g = arg;

	same_sample(s, ts / SEC);
	g->ts[g->n++] = ts;
	return g->n == g->stop_at ? 9 : 0;
}

START_TEST(samples_good)
{
	struct cadv_sample *s = malloc(sizeof(*s));
	struct got g = { .n = 0 };
	uint64_t id, ts = 0;

	write_containers();
	fx_read();
	id = cts.c[1].id;
	ck_assert_int_eq(cadv_sample_latest(fx.t, id, &ts, s), 0);
	ck_assert_uint_eq(ts, 5 * SEC);
	same_sample(s, 5);
	/* the time alone */
	ts = 0;
	ck_assert_int_eq(cadv_sample_latest(fx.t, id, &ts, NULL), 0);
	ck_assert_uint_eq(ts, 5 * SEC);
	ck_assert_int_eq(cadv_samples_range(fx.t, id, 2 * SEC, 4 * SEC,
	    got_sample, &g), 0);
	ck_assert_uint_eq(g.n, 3);
	ck_assert_uint_eq(g.ts[0], 2 * SEC);
	ck_assert_uint_eq(g.ts[2], 4 * SEC);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_samples_last(fx.t, id, 2, got_sample, &g), 0);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_uint_eq(g.ts[0], 4 * SEC);
	ck_assert_uint_eq(g.ts[1], 5 * SEC);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_samples_last(fx.t, id, 100, got_sample, &g), 0);
	ck_assert_uint_eq(g.n, 5);
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	ck_assert_int_eq(cadv_samples_range(fx.t, id, 0, UINT64_MAX,
	    got_sample, &g), 9);
	ck_assert_uint_eq(g.n, 2);
	/* a container without samples, and no container at all */
	ck_assert_int_eq(cadv_sample_latest(fx.t, cts.c[0].id, &ts, s),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_sample_latest(fx.t, 999, &ts, s),
	    CADV_NOTFOUND);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_samples_range(fx.t, 999, 0, UINT64_MAX,
	    got_sample, &g), 0);
	ck_assert_int_eq(cadv_samples_last(fx.t, 999, 5, got_sample, &g), 0);
	ck_assert_uint_eq(g.n, 0);
	free(s);
}
END_TEST

START_TEST(samples_corrupt)
{
	struct cadv_sample *s = malloc(sizeof(*s));
	struct got g = { .n = 0 };
	uint64_t id, ts;

	write_containers();
	fx_spoil("samples", NULL, 0);
	fx_read();
	id = cts.c[1].id;
	fx_corrupt(cadv_sample_latest(fx.t, id, &ts, s), "samples");
	fx_corrupt(cadv_samples_range(fx.t, id, 0, UINT64_MAX, got_sample,
	    &g), "samples");
	fx_corrupt(cadv_samples_last(fx.t, id, 3, got_sample, &g), "samples");
	ck_assert_uint_eq(g.n, 0);
	free(s);
}
END_TEST

/* a sample's devices' extra counters are a table of their own */
START_TEST(diskio_corrupt)
{
	struct cadv_sample *s = malloc(sizeof(*s));
	struct got g = { .n = 0 };
	uint64_t id, ts;

	write_containers();
	fx_spoil("diskio", NULL, 0);
	fx_read();
	id = cts.c[1].id;
	fx_corrupt(cadv_sample_latest(fx.t, id, &ts, s), "diskio");
	fx_corrupt(cadv_samples_range(fx.t, id, 0, UINT64_MAX, got_sample,
	    &g), "diskio");
	ck_assert_uint_eq(g.n, 0);
	free(s);
}
END_TEST

START_TEST(latest_corrupt)
{
	struct cadv_sample *s = malloc(sizeof(*s));
	uint64_t ts;

	write_containers();
	fx_spoil("latest", NULL, 0);
	fx_read();
	fx_corrupt(cadv_sample_latest(fx.t, cts.c[1].id, &ts, s), "latest");
	free(s);
}
END_TEST

START_TEST(field_names)
{
	size_t i, j;

	ck_assert_str_eq(cadv_sample_field_path(CADV_SF_CPU_TOTAL),
	    "cpu.usage.total");
	ck_assert_str_eq(cadv_sample_field_unit(CADV_SF_CPU_TOTAL), "ns");
	ck_assert_str_eq(cadv_sample_field_path(CADV_SF_MEM_WORKING_SET),
	    "memory.working_set");
	ck_assert_str_eq(cadv_sample_field_unit(CADV_SF_PSI_CPU_SOME_AVG10),
	    "ppm");
	ck_assert_ptr_null(cadv_sample_field_path(CADV_SF_COUNT));
	ck_assert_ptr_null(cadv_sample_field_unit(CADV_SF_COUNT));
	ck_assert_ptr_null(cadv_sample_field_path(
	    (enum cadv_sample_field)-1));
	for (i = 0; i < CADV_SF_COUNT; i++) {
		ck_assert_ptr_nonnull(cadv_sample_field_path(i));
		ck_assert_ptr_nonnull(cadv_sample_field_unit(i));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(cadv_sample_field_path(i),
			    cadv_sample_field_path(j));
	}
	ck_assert_str_eq(cadv_spec_field_path(CADV_SP_MEM_LIMIT),
	    "memory.limit");
	ck_assert_str_eq(cadv_spec_field_path(CADV_SP_PIDS_LIMIT),
	    "processes.limit");
	ck_assert_ptr_null(cadv_spec_field_path(CADV_SP_COUNT));
	ck_assert_str_eq(cadv_diskio_counter_name(CADV_DX_SYNC_BYTES),
	    "sync_bytes");
	ck_assert_str_eq(cadv_diskio_counter_name(CADV_DX_COST_INDELAY),
	    "cost_indelay");
	ck_assert_ptr_null(cadv_diskio_counter_name(CADV_DX_COUNT));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cadv_store");
	TCase *tc = tcase_create("cadv_store");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, open_missing_dir);
	tcase_add_test(tc, open_newer_schema);
	tcase_add_test(tc, open_default_and_errors);
	tcase_add_test(tc, usage_and_readers);
	tcase_add_test(tc, writer_holder_named);
	tcase_add_test(tc, containers_good);
	tcase_add_test(tc, containers_corrupt);
	tcase_add_test(tc, names_corrupt);
	tcase_add_test(tc, samples_good);
	tcase_add_test(tc, samples_corrupt);
	tcase_add_test(tc, latest_corrupt);
	tcase_add_test(tc, diskio_corrupt);
	tcase_add_test(tc, field_names);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
