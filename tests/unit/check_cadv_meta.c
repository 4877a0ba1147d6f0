/* libcadv's public calls (cadv.h) on identities, layers, the machine's
 * documents, intervals, heartbeats, daemons' process figures,
 * filesystems and diskstats: a real LMDB store written through the
 * writers' calls, read back through cadv_* alone, then damaged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cadvfix.h"
#include "ident.h"
#include "storedisk.h"
#include "storeident.h"
#include "storelayer.h"
#include "storeproc.h"

#define SEC	1000000000ULL

/* ---- identities and layers ---------------------------------------- */

#define ID_WEB	"abc1234567890def"
#define ID_DB	"abc9999999999999"
#define CG_WEB	"/docker/" ID_WEB
#define CG_DB	"/kubepods/pod1/" ID_DB

static void
set(struct cadv_ident *id, enum cadv_ident_str w, const char *s)
{
	ck_assert_int_eq(ident_set(id, w, s, strlen(s)), 0);
}

static void
fx_ident(struct cadv_ident *id, int which, uint64_t seen)
{
	ident_init(id);
	id->seen_ns = seen;
	id->created_ns = seen - SEC;
	if (which == 0) {
		id->runtime = CADV_RT_DOCKER;
		id->pid = 4242;
		id->restart_count = 2;
		set(id, CADV_IS_ID, ID_WEB);
		set(id, CADV_IS_CGROUP, CG_WEB);
		set(id, CADV_IS_NAME, "web");
		set(id, CADV_IS_IMAGE, "nginx:1.25");
		ck_assert_int_eq(ident_add_label(id, "tier", 4, "front", 5), 0);
		ck_assert_int_eq(ident_add_label(id, "team", 4, "a b", 3), 0);
		ck_assert_int_eq(ident_add_env(id, "PATH", 4, "/bin", 4), 0);
		return;
	}
	id->runtime = CADV_RT_CONTAINERD;
	id->flags = CADV_IDF_EXITED;
	id->exit_code = 137;
	set(id, CADV_IS_ID, ID_DB);
	set(id, CADV_IS_CGROUP, CG_DB);
	set(id, CADV_IS_RT_NAMESPACE, "k8s.io");
	set(id, CADV_IS_POD_NAME, "db-0");
	set(id, CADV_IS_POD_NAMESPACE, "prod");
	set(id, CADV_IS_CONTAINER_NAME, "postgres");
}

static const struct cadv_layer layer = {
	.measured_ns = 1700000000 * SEC, .bytes = 123456789, .inodes = 4321,
	.major = 8, .minor = 1, .walk_ns = 5000000, .flags = 0,
};

static int
idents_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct cadv_ident *id = malloc(sizeof(*id));
	int rc;

	(void)arg;
	if (id == NULL)
		return ENOMEM;
	/* web twice: an older record (gone when it was restarted), then
	 * the newest */
	fx_ident(id, 0, 100 * SEC);
	id->restart_count = 1;
	id->gone_ns = 200 * SEC;
	if ((rc = store_ident_put(st, txn, id)) == 0) {
		fx_ident(id, 0, 200 * SEC);
		rc = store_ident_put(st, txn, id);
	}
	if (rc == 0) {
		fx_ident(id, 1, 150 * SEC);
		rc = store_ident_put(st, txn, id);
	}
	if (rc == 0)
		rc = store_layer_put(st, txn, CG_WEB, strlen(CG_WEB),
		    200 * SEC, &layer);
	free(id);
	return rc;
}

struct seen {
	char	ids[4][64];
	size_t	n;
};

static int
seen_ident(const struct cadv_ident *id, void *arg)
{
	struct seen *s = arg;

	snprintf(s->ids[s->n++ % 4], 64, "%s",
	    cadv_ident_str(id, CADV_IS_ID, NULL));
	return 0;
}

START_TEST(idents_good)
{
	struct cadv_ident *id = malloc(sizeof(*id));
	const char *k, *v;
	struct seen s = { .n = 0 };
	size_t len;

	fx_write(idents_fn, NULL);
	fx_read();
	ck_assert_int_eq(cadv_ident_find(fx.t, CG_WEB, strlen(CG_WEB), 0, id),
	    0);
	ck_assert_int_eq(id->runtime, CADV_RT_DOCKER);
	ck_assert_uint_eq(id->seen_ns, 200 * SEC);
	ck_assert_uint_eq(id->restart_count, 2);
	ck_assert_uint_eq(id->pid, 4242);
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_NAME, &len), "web");
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_IMAGE, NULL),
	    "nginx:1.25");
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_POD_NAME, &len), "");
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_COUNT, &len), "");
	ck_assert_str_eq(cadv_ident_label(id, "team"), "a b");
	ck_assert_ptr_null(cadv_ident_label(id, "nope"));
	ck_assert_int_eq(cadv_ident_label_at(id, 0, &k, &v), 0);
	ck_assert_str_eq(k, "tier");
	ck_assert_str_eq(v, "front");
	ck_assert_int_eq(cadv_ident_label_at(id, 2, &k, &v), CADV_NOTFOUND);
	ck_assert_int_eq(cadv_ident_env_at(id, 0, &k, &v), 0);
	ck_assert_str_eq(k, "PATH");
	ck_assert_str_eq(v, "/bin");
	ck_assert_int_eq(cadv_ident_env_at(id, 1, &k, &v), CADV_NOTFOUND);
	/* as it was at 150 s: the older record */
	ck_assert_int_eq(cadv_ident_find(fx.t, CG_WEB, strlen(CG_WEB),
	    150 * SEC, id), 0);
	ck_assert_uint_eq(id->restart_count, 1);
	ck_assert_int_eq(cadv_ident_find(fx.t, "/none", 5, 0, id),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_idents_each(fx.t, seen_ident, &s), 0);
	ck_assert_uint_eq(s.n, 3);
	free(id);
}
END_TEST

/* db's record, dropped by its runtime at 300 s */
static int
gone_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct cadv_ident *id = malloc(sizeof(*id));
	int rc;

	(void)arg;
	if (id == NULL)
		return ENOMEM;
	fx_ident(id, 1, 150 * SEC);
	id->gone_ns = 300 * SEC;
	rc = store_ident_put(st, txn, id);
	free(id);
	return rc;
}

START_TEST(container_ident)
{
	struct cadv_ident *id = malloc(sizeof(*id));
	struct cadv_container c;

	fx_write(gone_fn, NULL);
	fx_read();
	memset(&c, 0, sizeof(c));
	memcpy(c.name, CG_DB, strlen(CG_DB) + 1);
	c.name_len = strlen(CG_DB);
	/* a cgroup made while the runtime knew the container: its own */
	c.created_ns = 250 * SEC;
	ck_assert_int_eq(cadv_container_ident(fx.t, &c, id), 0);
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_ID, NULL), ID_DB);
	ck_assert(cadv_ident_belongs(id, &c));
	/* made after the runtime let go: a later container of the name */
	c.created_ns = 400 * SEC;
	ck_assert(!cadv_ident_belongs(id, &c));
	ck_assert_int_eq(cadv_container_ident(fx.t, &c, id), CADV_NOTFOUND);
	/* a name no runtime named */
	memcpy(c.name, "/none", 6);
	c.name_len = 5;
	ck_assert_int_eq(cadv_container_ident(fx.t, &c, id), CADV_NOTFOUND);
	free(id);
}
END_TEST

START_TEST(idents_resolve)
{
	struct cadv_ident *id = malloc(sizeof(*id));
	struct seen s = { .n = 0 };
	size_t n = 0;

	fx_write(idents_fn, NULL);
	fx_read();
	/* by name, by id, by namespace/pod/container, by a unique prefix */
	ck_assert_int_eq(cadv_ident_resolve(fx.t, "web", 3, id, &n), 0);
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_CGROUP, NULL), CG_WEB);
	ck_assert_int_eq(cadv_ident_resolve(fx.t, ID_DB, strlen(ID_DB), id,
	    &n), 0);
	ck_assert_int_eq(id->exit_code, 137);
	ck_assert_uint_eq(id->flags, CADV_IDF_EXITED);
	ck_assert_int_eq(cadv_ident_resolve(fx.t, "prod/db-0/postgres", 18,
	    id, &n), 0);
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_ID, NULL), ID_DB);
	ck_assert_int_eq(cadv_ident_resolve(fx.t, "abc9", 4, id, &n), 0);
	ck_assert_str_eq(cadv_ident_str(id, CADV_IS_ID, NULL), ID_DB);
	/* "abc" starts both */
	ck_assert_int_eq(cadv_ident_resolve(fx.t, "abc", 3, id, &n),
	    CADV_AMBIGUOUS);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(cadv_ident_matches(fx.t, "abc", 3, seen_ident, &s),
	    0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_int_eq(cadv_ident_resolve(fx.t, "nobody", 6, id, &n),
	    CADV_NOTFOUND);
	free(id);
}
END_TEST

START_TEST(ident_names)
{
	ck_assert_str_eq(cadv_ident_str_name(CADV_IS_ID), "id");
	ck_assert_str_eq(cadv_ident_str_name(CADV_IS_POD_NAMESPACE),
	    "namespace");
	ck_assert_ptr_null(cadv_ident_str_name(CADV_IS_COUNT));
	ck_assert_str_eq(cadv_runtime_name(CADV_RT_DOCKER), "docker");
	ck_assert_str_eq(cadv_runtime_name(CADV_RT_CRIO), "crio");
	ck_assert_str_eq(cadv_writer_name(CADV_W_EVENTD), "eventd");
	ck_assert_ptr_null(cadv_writer_name(CADV_W_COUNT));
}
END_TEST

START_TEST(idents_corrupt)
{
	struct cadv_ident *id = malloc(sizeof(*id));
	struct cadv_container *c = malloc(sizeof(*c));
	struct cadv_layer l;
	struct seen s = { .n = 0 };
	size_t n;

	fx_write(idents_fn, NULL);
	fx_spoil("idents", NULL, 0);
	fx_read();
	fx_corrupt(cadv_ident_find(fx.t, CG_WEB, strlen(CG_WEB), 0, id),
	    "idents");
	fx_corrupt(cadv_idents_each(fx.t, seen_ident, &s), "idents");
	fx_corrupt(cadv_ident_resolve(fx.t, "web", 3, id, &n), "idents");
	fx_corrupt(cadv_ident_matches(fx.t, "abc", 3, seen_ident, &s),
	    "idents");
	ck_assert_uint_eq(s.n, 0);
	memset(c, 0, sizeof(*c));
	memcpy(c->name, CG_WEB, strlen(CG_WEB) + 1);
	c->name_len = strlen(CG_WEB);
	fx_corrupt(cadv_container_ident(fx.t, c, id), "idents");
	/* the layer is its own table */
	ck_assert_int_eq(cadv_layer_get(fx.t, CG_WEB, strlen(CG_WEB),
	    200 * SEC, &l), 0);
	free(c);
	free(id);
}
END_TEST

START_TEST(layers)
{
	struct cadv_layer l;

	fx_write(idents_fn, NULL);
	fx_read();
	ck_assert_int_eq(cadv_layer_get(fx.t, CG_WEB, strlen(CG_WEB),
	    200 * SEC, &l), 0);
	ck_assert_uint_eq(l.measured_ns, layer.measured_ns);
	ck_assert_uint_eq(l.bytes, layer.bytes);
	ck_assert_uint_eq(l.inodes, layer.inodes);
	ck_assert_uint_eq(l.major, 8);
	ck_assert_uint_eq(l.minor, 1);
	ck_assert_uint_eq(l.walk_ns, layer.walk_ns);
	ck_assert_uint_eq(l.flags, 0);
	/* another record of the same name has none */
	ck_assert_int_eq(cadv_layer_get(fx.t, CG_WEB, strlen(CG_WEB),
	    100 * SEC, &l), CADV_NOTFOUND);
	ck_assert_int_eq(cadv_layer_get(fx.t, CG_DB, strlen(CG_DB),
	    150 * SEC, &l), CADV_NOTFOUND);
}
END_TEST

START_TEST(layers_corrupt)
{
	struct cadv_layer l;

	fx_write(idents_fn, NULL);
	fx_spoil("layers", NULL, 0);
	fx_read();
	fx_corrupt(cadv_layer_get(fx.t, CG_WEB, strlen(CG_WEB), 200 * SEC,
	    &l), "layers");
}
END_TEST

/* ---- documents, intervals, heartbeats, process figures ------------ */

static const char machine[] = "{\"num_cores\":4,\"machine_id\":\"x\"}";
static const char version[] = "{\"kernel_version\":\"6.1\"}";

static int
meta_fn(struct store *st, MDB_txn *txn, void *arg)
{
	int rc;

	(void)arg;
	if ((rc = store_meta_put_blob(st, txn, "machine", machine,
	    sizeof(machine) - 1)) != 0 ||
	    (rc = store_meta_put_blob(st, txn, "version", version,
	    sizeof(version) - 1)) != 0 ||
	    (rc = store_meta_put_u64(st, txn, "interval_ns", SEC)) != 0 ||
	    (rc = store_meta_put_u64(st, txn, "storage_duration_ns",
	    120 * SEC)) != 0 ||
	    (rc = store_heartbeat_put(st, txn, "collectord", 777 * SEC)) != 0)
		return rc;
	return store_process_note(st, txn, "collectord", 778 * SEC);
}

START_TEST(meta_good)
{
	struct cadv_process p;
	const char *json;
	uint64_t v;
	size_t len;

	fx_write(meta_fn, NULL);
	fx_read();
	ck_assert_int_eq(cadv_machine_info(fx.t, &json, &len), 0);
	ck_assert_uint_eq(len, sizeof(machine) - 1);
	ck_assert_mem_eq(json, machine, len);
	ck_assert_int_eq(cadv_version_info(fx.t, &json, &len), 0);
	ck_assert_uint_eq(len, sizeof(version) - 1);
	ck_assert_mem_eq(json, version, len);
	ck_assert_int_eq(cadv_interval(fx.t, &v), 0);
	ck_assert_uint_eq(v, SEC);
	ck_assert_int_eq(cadv_storage_duration(fx.t, &v), 0);
	ck_assert_uint_eq(v, 120 * SEC);
	ck_assert_int_eq(cadv_heartbeat(fx.t, CADV_W_COLLECTORD, &v), 0);
	ck_assert_uint_eq(v, 777 * SEC);
	ck_assert_int_eq(cadv_heartbeat(fx.t, CADV_W_EVENTD, &v),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_heartbeat(fx.t, CADV_W_COUNT, &v), EINVAL);
	/* this process's own figures, as the writer noted them */
	ck_assert_int_eq(cadv_process(fx.t, CADV_W_COLLECTORD, &p), 0);
	ck_assert_uint_eq(p.written_ns, 778 * SEC);
	ck_assert_uint_eq(p.pid, (uint32_t)getpid());
	ck_assert(p.present & (1u << CADV_PF_RSS));
	ck_assert_uint_gt(p.v[CADV_PF_RSS], 0);
	ck_assert_uint_gt(p.v[CADV_PF_OPEN_FDS], 0);
	ck_assert_int_eq(cadv_process(fx.t, CADV_W_IDENTD, &p),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_process(fx.t, (enum cadv_writer)-1, &p),
	    EINVAL);
}
END_TEST

START_TEST(meta_missing)
{
	const char *json;
	uint64_t v;
	size_t len;

	fx_read();
	ck_assert_int_eq(cadv_machine_info(fx.t, &json, &len), CADV_NOTFOUND);
	ck_assert_int_eq(cadv_version_info(fx.t, &json, &len), CADV_NOTFOUND);
	ck_assert_int_eq(cadv_interval(fx.t, &v), CADV_NOTFOUND);
	ck_assert_int_eq(cadv_storage_duration(fx.t, &v), CADV_NOTFOUND);
}
END_TEST

/* The meta table's numbers and process records; its documents are bytes
 * the caller parses (no length to break). */
START_TEST(meta_corrupt)
{
	static const char *const keys[] = { "interval_ns",
	    "storage_duration_ns", "heartbeat.collectord",
	    "process.collectord" };
	struct cadv_process p;
	uint64_t v;
	size_t i;

	fx_write(meta_fn, NULL);
	for (i = 0; i < 4; i++)
		fx_spoil("meta", keys[i], strlen(keys[i]));
	fx_read();
	fx_corrupt(cadv_interval(fx.t, &v), "meta");
	ck_assert_msg(strstr(cadv_error(fx.db, CADV_CORRUPT), "interval_ns"),
	    "%s", cadv_error(fx.db, CADV_CORRUPT));
	fx_corrupt(cadv_storage_duration(fx.t, &v), "meta");
	fx_corrupt(cadv_heartbeat(fx.t, CADV_W_COLLECTORD, &v), "meta");
	fx_corrupt(cadv_process(fx.t, CADV_W_COLLECTORD, &p), "meta");
}
END_TEST

/* ---- filesystems and diskstats ------------------------------------ */

static void
fx_fs(struct cadv_fs *f, uint64_t seed)
{
	*f = (struct cadv_fs){ seed << 30, seed << 20, (seed << 30) -
	    (seed << 20), seed * 1000, seed * 10 };
}

static void
fx_ds(struct cadv_disk_stats *d, uint64_t seed)
{
	size_t i;

	d->major = 8;
	d->minor = 0;
	for (i = 0; i < CADV_DS_COUNT; i++)
		d->v[i] = seed * 100 + i;
}

static int
disks_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct cadv_disk_stats d;
	struct cadv_fs f;
	uint64_t i;
	int rc;

	(void)arg;
	for (i = 1; i <= 3; i++) {
		fx_fs(&f, i);
		fx_ds(&d, i);
		if ((rc = store_fs_put(st, txn, 8, 0, i * 10 * SEC, &f)) != 0 ||
		    (rc = store_diskstats_put(st, txn, i * 10 * SEC, &d)) != 0)
			return rc;
	}
	/* another device beside it */
	fx_fs(&f, 9);
	return store_fs_put(st, txn, 8, 16, 15 * SEC, &f);
}

START_TEST(disks_good)
{
	struct cadv_disk_stats d, wd;
	struct cadv_fs f, wf;
	uint64_t ts;

	fx_write(disks_fn, NULL);
	fx_read();
	ck_assert_int_eq(cadv_fs_latest(fx.t, 8, 0, &ts, &f), 0);
	ck_assert_uint_eq(ts, 30 * SEC);
	fx_fs(&wf, 3);
	ck_assert_mem_eq(&f, &wf, sizeof(f));
	ck_assert_int_eq(cadv_fs_at(fx.t, 8, 0, 25 * SEC, &ts, &f), 0);
	ck_assert_uint_eq(ts, 20 * SEC);
	fx_fs(&wf, 2);
	ck_assert_mem_eq(&f, &wf, sizeof(f));
	ck_assert_int_eq(cadv_fs_at(fx.t, 8, 0, 5 * SEC, &ts, &f),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_fs_latest(fx.t, 8, 16, &ts, &f), 0);
	ck_assert_uint_eq(ts, 15 * SEC);
	ck_assert_int_eq(cadv_fs_latest(fx.t, 8, 32, &ts, &f), CADV_NOTFOUND);
	ck_assert_int_eq(cadv_diskstats_latest(fx.t, 8, 0, &ts, &d), 0);
	ck_assert_uint_eq(ts, 30 * SEC);
	fx_ds(&wd, 3);
	ck_assert_mem_eq(&d, &wd, sizeof(d));
	ck_assert_int_eq(cadv_diskstats_at(fx.t, 8, 0, 10 * SEC, &ts, &d), 0);
	ck_assert_uint_eq(ts, 10 * SEC);
	fx_ds(&wd, 1);
	ck_assert_mem_eq(&d, &wd, sizeof(d));
	ck_assert_int_eq(cadv_diskstats_at(fx.t, 8, 0, 9 * SEC, &ts, &d),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_diskstats_latest(fx.t, 8, 16, &ts, &d),
	    CADV_NOTFOUND);
}
END_TEST

START_TEST(fs_corrupt)
{
	struct cadv_fs f;
	uint64_t ts;

	fx_write(disks_fn, NULL);
	fx_spoil("fs", NULL, 0);
	fx_read();
	fx_corrupt(cadv_fs_latest(fx.t, 8, 0, &ts, &f), "fs");
	fx_corrupt(cadv_fs_at(fx.t, 8, 0, 25 * SEC, &ts, &f), "fs");
}
END_TEST

START_TEST(diskstats_corrupt)
{
	struct cadv_disk_stats d;
	uint64_t ts;

	fx_write(disks_fn, NULL);
	fx_spoil("diskstats", NULL, 0);
	fx_read();
	fx_corrupt(cadv_diskstats_latest(fx.t, 8, 0, &ts, &d), "diskstats");
	fx_corrupt(cadv_diskstats_at(fx.t, 8, 0, 25 * SEC, &ts, &d),
	    "diskstats");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cadv_meta");
	TCase *tc = tcase_create("cadv_meta");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, idents_good);
	tcase_add_test(tc, idents_resolve);
	tcase_add_test(tc, container_ident);
	tcase_add_test(tc, ident_names);
	tcase_add_test(tc, idents_corrupt);
	tcase_add_test(tc, layers);
	tcase_add_test(tc, layers_corrupt);
	tcase_add_test(tc, meta_good);
	tcase_add_test(tc, meta_missing);
	tcase_add_test(tc, meta_corrupt);
	tcase_add_test(tc, disks_good);
	tcase_add_test(tc, fs_corrupt);
	tcase_add_test(tc, diskstats_corrupt);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
