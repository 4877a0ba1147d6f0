/* libcadv's kubelet calls (container info v1 and v2, filesystems), its
 * store check and its watch's reading of eventd's lines, on a real LMDB
 * store written here, sound and then damaged record by record. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cadv.h"
#include "ident.h"
#include "log.h"
#include "store.h"
#include "storeident.h"
#include "storewrite.h"
#include "unit.h"

#define S		1000000000ULL
#define T0		(1700000000ULL * S)
#define NSAMPLES	100
#define DOCKER_ID	"4f2c0a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080"

static char *dir;
static struct cadv *db;
static struct cadv_txn *txn;
static uint32_t dir_major, dir_minor;	/* the device holding dir */

enum { C_ROOT, C_A, C_AB, C_ABC, C_D, C_DOCK, NC };
static const char *const names[NC] = { "/", "/a", "/a/b", "/a/b/c", "/d",
	"/dock" };
static uint64_t ids[NC];

static int
fill(struct store *st, MDB_txn *w, void *arg)
{
	static struct cadv_container c;
	static struct cadv_sample s;
	static struct cadv_ident id;
	struct cadv_fs fs = { 1000, 400, 600, 50, 20 };
	char doc[1024];
	int i, k, rc;

	(void)arg;
	for (i = 0; i < NC; i++) {
		memset(&c, 0, sizeof(c));
		c.name_len = strlen(names[i]);
		memcpy(c.name, names[i], c.name_len);
		c.created_ns = T0;
		if (i == C_D)
			c.deleted_ns = T0 + 5 * S;
		if ((rc = store_container_add(st, w, &c)) != 0)
			return rc;
		ids[i] = c.id;
		/* /a: NSAMPLES a second apart, T0+1s..T0+100s; others 3 */
		for (k = 1; k <= (i == C_A ? NSAMPLES : 3); k++) {
			memset(&s, 0, sizeof(s));
			sample_set(&s, CADV_SF_CPU_TOTAL, (uint64_t)k);
			if ((rc = store_sample_put(st, w, c.id, T0 + k * S,
			    &s)) != 0)
				return rc;
		}
	}
	ident_init(&id);
	id.runtime = CADV_RT_DOCKER;
	id.seen_ns = T0;
	if (ident_set(&id, CADV_IS_ID, DOCKER_ID, strlen(DOCKER_ID)) != 0 ||
	    ident_set(&id, CADV_IS_CGROUP, "/dock", 5) != 0 ||
	    ident_set(&id, CADV_IS_NAME, "web", 3) != 0)
		return EINVAL;
	if ((rc = store_ident_put(st, w, &id)) != 0)
		return rc;
	/* the root filesystem sampled, the one holding dir not yet, and an
	 * entry with no device number (passed over) */
	snprintf(doc, sizeof(doc), "{\"num_cores\": 2, \"filesystems\": ["
	    "{\"device\": \"/dev/vda1\", \"mountpoint\": \"/\", \"type\": "
	    "\"ext4\", \"major\": 253, \"minor\": 1, \"capacity\": 1000},"
	    "{\"device\": \"/dev/fake\", \"mountpoint\": \"/var/lib/x\", "
	    "\"type\": \"xfs\", \"major\": %u, \"minor\": %u, \"capacity\": "
	    "777}, {\"device\": \"nodev\"}]}", dir_major, dir_minor);
	if ((rc = store_meta_put_blob(st, w, META_MACHINE, doc,
	    strlen(doc))) != 0)
		return rc;
	return store_fs_put(st, w, 253, 1, T0 + 7 * S, &fs);
}

static void
reader_open(void)
{
	char err[1024];

	ck_assert_msg(cadv_open(dir, &db, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(cadv_begin(db, &txn), 0);
}

static void
reader_close(void)
{
	cadv_end(txn);
	txn = NULL;
	cadv_close(db);
	db = NULL;
}

static void
setup(void)
{
	char err[1024];
	struct store *st;
	struct stat sb;

	log_setlevel(LOG_LVL_ERR);
	dir = unit_tmpdir();
	ck_assert_int_eq(stat(dir, &sb), 0);
	dir_major = major(sb.st_dev);
	dir_minor = minor(sb.st_dev);
	ck_assert_msg(store_open(&st, dir, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_int_eq(store_write(st, fill, NULL), 0);
	store_close(st);
	reader_open();
}

static void
teardown(void)
{
	reader_close();
	unit_rmtree(dir);
	free(dir);
}

/* ---- damage: one raw write, the store reopened for reading ---- */

struct raw {
	enum cadv_table	 t;
	const void		*k, *v;
	size_t			 kl, vl;
};

static int
raw_fn(struct store *st, MDB_txn *w, void *arg)
{
	struct raw *r = arg;
	MDB_val k = { r->kl, (void *)(uintptr_t)r->k };
	MDB_val v = { r->vl, (void *)(uintptr_t)r->v };

	return mdb_put(w, store_dbi(st, r->t), &k, &v, 0);
}

static void
damage(enum cadv_table t, const void *k, size_t kl, const void *v,
    size_t vl)
{
	struct raw r = { t, k, v, kl, vl };
	char err[1024];
	struct store *st;

	reader_close();
	ck_assert_msg(store_open(&st, dir, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_int_eq(store_write(st, raw_fn, &r), 0);
	store_close(st);
	reader_open();
}

static void
id_key(unsigned char k[8], uint64_t id)
{
	int i;

	for (i = 0; i < 8; i++)
		k[i] = (unsigned char)(id >> (56 - 8 * i));
}

/* ---- what the info calls give ---- */

struct got {
	size_t		ncont, nsamples;
	char		cont[8][64];
	int		had_ident[8];
	uint64_t	first_ts, last_ts;
	uint64_t	prev;		/* of this container: oldest first */
	int		stop_after;	/* stop at this many samples (0: no) */
};

static int
got_container(const struct cadv_container *c, const struct cadv_ident *id,
    void *arg)
{
	struct got *g = arg;

	if (g->ncont < 8) {
		snprintf(g->cont[g->ncont], sizeof(g->cont[0]), "%.*s",
		    (int)(c->name_len < 63 ? c->name_len : 63), c->name);
		g->had_ident[g->ncont] = id != NULL;
	}
	g->ncont++;
	g->prev = 0;
	return 0;
}

static int
got_sample(const struct cadv_container *c, uint64_t ts,
    const struct cadv_sample *s, void *arg)
{
	struct got *g = arg;

	(void)c;
	ck_assert(cadv_sample_has(s, CADV_SF_CPU_TOTAL));
	if (g->nsamples == 0)
		g->first_ts = ts;
	ck_assert_uint_gt(ts, g->prev);
	g->prev = g->last_ts = ts;
	g->nsamples++;
	return g->stop_after && g->nsamples == (size_t)g->stop_after ? 42 : 0;
}

static int
v1(const char *name, int sub, int num, uint64_t from, uint64_t to,
    struct got *g)
{
	struct cadv_info_request r = { num, from, to };
	struct cadv_info_cbs cbs = { got_container, got_sample, g };

	return (sub ? cadv_subcontainer_info : cadv_container_info)(txn, name,
	    strlen(name), &r, &cbs);
}

static int
v2(const char *name, enum cadv_id_type type, int count, int rec,
    struct got *g)
{
	struct cadv_info_options o = { type, count, rec };
	struct cadv_info_cbs cbs = { got_container, got_sample, g };

	return cadv_container_info_v2(txn, name, strlen(name), &o, &cbs);
}

START_TEST(v1_num_stats_and_range)
{
	struct got g = { 0 };

	/* 0: cAdvisor's 60, the newest, oldest first */
	ck_assert_int_eq(v1("/a", 0, 0, 0, 0, &g), 0);
	ck_assert_uint_eq(g.ncont, 1);
	ck_assert_str_eq(g.cont[0], "/a");
	ck_assert_int_eq(g.had_ident[0], 0);
	ck_assert_uint_eq(g.nsamples, CADV_NUM_STATS_DEFAULT);
	ck_assert_uint_eq(g.first_ts, T0 + 41 * S);
	ck_assert_uint_eq(g.last_ts, T0 + 100 * S);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v1("/a", 0, -1, 0, 0, &g), 0);
	ck_assert_uint_eq(g.nsamples, NSAMPLES);
	ck_assert_uint_eq(g.first_ts, T0 + S);
	/* the newest 5 of 10..20, and all 11 of them (default 60) */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v1("/a", 0, 5, T0 + 10 * S, T0 + 20 * S, &g), 0);
	ck_assert_uint_eq(g.nsamples, 5);
	ck_assert_uint_eq(g.first_ts, T0 + 16 * S);
	ck_assert_uint_eq(g.last_ts, T0 + 20 * S);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v1("/a", 0, 0, T0 + 10 * S, T0 + 20 * S, &g), 0);
	ck_assert_uint_eq(g.nsamples, 11);
	/* a start alone: to the newest */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v1("/a", 0, 0, T0 + 95 * S, 0, &g), 0);
	ck_assert_uint_eq(g.nsamples, 6);
	ck_assert_int_eq(v1("/a", 0, -2, 0, 0, &g), EINVAL);
}
END_TEST

START_TEST(v1_live_containers_only)
{
	struct got g = { 0 };

	ck_assert_int_eq(v1("/d", 0, 0, 0, 0, &g), CADV_NOTFOUND);
	ck_assert_int_eq(v1("/nope", 0, 0, 0, 0, &g), CADV_NOTFOUND);
	ck_assert_int_eq(v1("/nope", 1, 0, 0, 0, &g), CADV_NOTFOUND);
	ck_assert_uint_eq(g.ncont, 0);
	/* it and those under it at a "/" boundary, in id order */
	ck_assert_int_eq(v1("/a", 1, 1, 0, 0, &g), 0);
	ck_assert_uint_eq(g.ncont, 3);
	ck_assert_str_eq(g.cont[0], "/a");
	ck_assert_str_eq(g.cont[1], "/a/b");
	ck_assert_str_eq(g.cont[2], "/a/b/c");
	ck_assert_uint_eq(g.nsamples, 3);
	/* "/": every live one, the deleted /d not */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v1("/", 1, 1, 0, 0, &g), 0);
	ck_assert_uint_eq(g.ncont, NC - 1);
	ck_assert_str_eq(g.cont[4], "/dock");
	ck_assert_int_eq(g.had_ident[4], 1);
	/* a callback's non-zero return stops the call and is returned */
	memset(&g, 0, sizeof(g));
	g.stop_after = 2;
	ck_assert_int_eq(v1("/a", 1, -1, 0, 0, &g), 42);
	ck_assert_uint_eq(g.ncont, 1);
}
END_TEST

START_TEST(v2_by_name_and_runtime_id)
{
	struct got g = { 0 };
	char prefix[16];

	ck_assert_int_eq(v2("/a", CADV_ID_NAME, 3, 0, &g), 0);
	ck_assert_uint_eq(g.ncont, 1);
	ck_assert_uint_eq(g.nsamples, 3);
	ck_assert_uint_eq(g.first_ts, T0 + 98 * S);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2("/a", CADV_ID_NAME, -1, 1, &g), 0);
	ck_assert_uint_eq(g.ncont, 3);
	ck_assert_uint_eq(g.nsamples, NSAMPLES + 6);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2("/a", CADV_ID_NAME, 0, 0, &g), 0);
	ck_assert_uint_eq(g.nsamples, 0);
	ck_assert_int_eq(v2("/d", CADV_ID_NAME, 1, 0, &g), CADV_NOTFOUND);
	/* docker: full id, "/"+id, a prefix, the name; podman's: none */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2(DOCKER_ID, CADV_ID_DOCKER, 2, 0, &g), 0);
	ck_assert_uint_eq(g.ncont, 1);
	ck_assert_str_eq(g.cont[0], "/dock");
	ck_assert_int_eq(g.had_ident[0], 1);
	ck_assert_uint_eq(g.nsamples, 2);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2("/" DOCKER_ID, CADV_ID_DOCKER, 1, 0, &g), 0);
	ck_assert_str_eq(g.cont[0], "/dock");
	memcpy(prefix, DOCKER_ID, 12);
	prefix[12] = '\0';
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2(prefix, CADV_ID_DOCKER, 1, 0, &g), 0);
	ck_assert_str_eq(g.cont[0], "/dock");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2("web", CADV_ID_DOCKER, 1, 0, &g), 0);
	ck_assert_uint_eq(g.ncont, 1);
	ck_assert_int_eq(v2(DOCKER_ID, CADV_ID_PODMAN, 1, 0, &g),
	    CADV_NOTFOUND);
	ck_assert_int_eq(v2("ffff", CADV_ID_DOCKER, 1, 0, &g), CADV_NOTFOUND);
	/* recursive by id: "/" is every docker container, else refused */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2("/", CADV_ID_DOCKER, 1, 1, &g), 0);
	ck_assert_uint_eq(g.ncont, 1);
	ck_assert_str_eq(g.cont[0], "/dock");
	ck_assert_int_eq(v2("/dock", CADV_ID_DOCKER, 1, 1, &g), EINVAL);
	ck_assert_int_eq(v2("/a", (enum cadv_id_type)9, 1, 0, &g), EINVAL);
	ck_assert_int_eq(v2("/a", CADV_ID_NAME, -2, 0, &g), EINVAL);
}
END_TEST

/* An identity's live container: the reverse of cadv_container_ident. */
START_TEST(ident_container)
{
	static struct cadv_ident id;
	static struct cadv_container c;
	unsigned char k[8];
	size_t n;

	ck_assert_int_eq(cadv_ident_resolve(txn, "web", 3, &id, &n), 0);
	ck_assert_int_eq(cadv_ident_container(txn, &id, &c), 0);
	ck_assert_uint_eq(c.id, ids[C_DOCK]);
	ck_assert_uint_eq(c.name_len, 5);
	ck_assert_int_eq(memcmp(c.name, "/dock", 5), 0);
	/* dropped by the runtime before /dock was made: an earlier one's */
	id.gone_ns = T0 - S;
	ck_assert_int_eq(cadv_ident_container(txn, &id, &c), CADV_NOTFOUND);
	/* a deleted cgroup, one never seen, none at all */
	ident_init(&id);
	ck_assert_int_eq(ident_set(&id, CADV_IS_CGROUP, "/d", 2), 0);
	ck_assert_int_eq(cadv_ident_container(txn, &id, &c), CADV_NOTFOUND);
	ident_init(&id);
	ck_assert_int_eq(ident_set(&id, CADV_IS_CGROUP, "/zz", 3), 0);
	ck_assert_int_eq(cadv_ident_container(txn, &id, &c), CADV_NOTFOUND);
	ident_init(&id);
	ck_assert_int_eq(cadv_ident_container(txn, &id, &c), CADV_NOTFOUND);
	/* a damaged container record is said, not taken for "not running" */
	ck_assert_int_eq(cadv_ident_resolve(txn, "web", 3, &id, &n), 0);
	id_key(k, ids[C_DOCK]);
	damage(CADV_T_CONTAINERS, k, 8, "xx", 2);
	ck_assert_int_eq(cadv_ident_container(txn, &id, &c), CADV_CORRUPT);
}
END_TEST

/* ---- filesystems ---- */

struct fss {
	size_t			n;
	struct cadv_fs_info	last;
};

static int
got_fs(const struct cadv_fs_info *fi, void *arg)
{
	struct fss *f = arg;

	f->n++;
	f->last = *fi;
	return 0;
}

START_TEST(filesystems)
{
	static struct cadv_fs_info fi;
	struct fss f = { 0 };

	ck_assert_int_eq(cadv_root_fs_info(txn, &fi), 0);
	ck_assert_str_eq(fi.device, "/dev/vda1");
	ck_assert_str_eq(fi.mountpoint, "/");
	ck_assert_str_eq(fi.type, "ext4");
	ck_assert_uint_eq(fi.major, 253);
	ck_assert_uint_eq(fi.labels, CADV_FSL_ROOT);
	ck_assert_uint_eq(fi.ts_ns, T0 + 7 * S);
	ck_assert_int_eq(fi.has_inodes, 1);
	ck_assert_uint_eq(fi.usage.used, 600);
	ck_assert_uint_eq(fi.usage.inodes_free, 20);
	/* the device of a path, by stat: not sampled yet, the capacity the
	 * machine document has */
	ck_assert_int_eq(cadv_dir_fs_info(txn, dir, &fi), 0);
	ck_assert_str_eq(fi.device, "/dev/fake");
	ck_assert_uint_eq(fi.ts_ns, 0);
	ck_assert_uint_eq(fi.usage.capacity, 777);
	ck_assert_int_eq(fi.has_inodes, 0);
	ck_assert_uint_eq(fi.labels, 0);
	ck_assert_int_eq(cadv_dir_fs_info(txn, "/proc/self", &fi),
	    CADV_NOTFOUND);
	ck_assert_int_eq(cadv_dir_fs_info(txn, "/no/such/path", &fi), ENOENT);
	ck_assert_int_eq(cadv_fs_info(txn, NULL, got_fs, &f), 0);
	ck_assert_uint_eq(f.n, 2);
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(cadv_fs_info(txn, "root", got_fs, &f), 0);
	ck_assert_uint_eq(f.n, 1);
	ck_assert_str_eq(f.last.mountpoint, "/");
	ck_assert_int_eq(cadv_fs_info(txn, "docker-images", got_fs, &f),
	    EINVAL);
}
END_TEST

/* ---- damaged stores ---- */

START_TEST(damaged_container_record)
{
	unsigned char k[8];
	struct got g = { 0 };

	id_key(k, ids[C_AB]);
	damage(CADV_T_CONTAINERS, k, 8, "xx", 2);
	ck_assert_int_eq(v1("/a", 1, 1, 0, 0, &g), CADV_CORRUPT);
	ck_assert_int_eq(v2("/a", CADV_ID_NAME, 1, 1, &g), CADV_CORRUPT);
}
END_TEST

START_TEST(damaged_sample)
{
	unsigned char k[16], v[11] = { 1, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9 };
	struct got g = { 0 };

	/* round = its time in a sample_put store: the newest of /a */
	id_key(k, T0 + 100 * S);
	id_key(k + 8, ids[C_A]);
	damage(CADV_T_SAMPLES, k, 16, v, sizeof(v));
	ck_assert_int_eq(v1("/a", 0, 0, 0, 0, &g), CADV_CORRUPT);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v2("/a", CADV_ID_NAME, -1, 0, &g), CADV_CORRUPT);
	/* another container is read as before */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(v1("/a/b", 0, 0, 0, 0, &g), 0);
	ck_assert_uint_eq(g.nsamples, 3);
	ck_assert_int_eq(cadv_check(txn, NULL, NULL, NULL), CADV_CORRUPT);
}
END_TEST

START_TEST(damaged_ident)
{
	unsigned char k[16];
	struct got g = { 0 };

	key_ident(k, "/dock", 5, T0);
	damage(CADV_T_IDENTS, k, 16, "\x01\x02", 2);
	ck_assert_int_eq(v2(DOCKER_ID, CADV_ID_DOCKER, 1, 0, &g),
	    CADV_CORRUPT);
	ck_assert_int_eq(v1("/dock", 0, 1, 0, 0, &g), CADV_CORRUPT);
}
END_TEST

START_TEST(damaged_machine_and_fs)
{
	static struct cadv_fs_info fi;
	unsigned char k[16];
	struct fss f = { 0 };

	key_fs(k, 253, 1, T0 + 7 * S);
	damage(CADV_T_FS, k, 16, "short", 5);
	ck_assert_int_eq(cadv_root_fs_info(txn, &fi), CADV_CORRUPT);
	ck_assert_int_eq(cadv_fs_info(txn, NULL, got_fs, &f), CADV_CORRUPT);
	damage(CADV_T_META, META_MACHINE, strlen(META_MACHINE), "{\"filesys", 9);
	ck_assert_int_eq(cadv_root_fs_info(txn, &fi), CADV_CORRUPT);
	ck_assert_int_eq(cadv_dir_fs_info(txn, dir, &fi), CADV_CORRUPT);
	ck_assert_int_eq(cadv_fs_info(txn, "", got_fs, &f), CADV_CORRUPT);
	/* a document of another shape: no filesystems */
	damage(CADV_T_META, META_MACHINE, strlen(META_MACHINE),
	    "{\"filesystems\": 7}", 18);
	ck_assert_int_eq(cadv_root_fs_info(txn, &fi), CADV_NOTFOUND);
	ck_assert_int_eq(cadv_fs_info(txn, NULL, got_fs, &f), 0);
	ck_assert_uint_eq(f.n, 0);
}
END_TEST

/* ---- the check ---- */

struct probs {
	size_t	n;
	char	table[16][32];
	char	why[16][128];
	int	stop;
};

static int
got_problem(const char *table, const char *key, const char *why, void *arg)
{
	struct probs *p = arg;

	ck_assert_ptr_nonnull(key);
	if (p->n < 16) {
		snprintf(p->table[p->n], sizeof(p->table[0]), "%s", table);
		snprintf(p->why[p->n], sizeof(p->why[0]), "%s", why);
	}
	p->n++;
	return p->stop;
}

START_TEST(check_sound_then_damaged)
{
	struct cadv_check_counts n;
	struct probs p = { 0 };
	unsigned char k[16];

	ck_assert_int_eq(cadv_check(txn, got_problem, &p, &n), 0);
	ck_assert_uint_eq(p.n, 0);
	ck_assert_uint_eq(n.problems, 0);
	ck_assert_uint_eq(n.records[CADV_T_CONTAINERS], NC);
	ck_assert_uint_eq(n.records[CADV_T_SAMPLES], NSAMPLES + 3 * (NC - 1));
	ck_assert_uint_eq(n.records[CADV_T_IDENTS], 1);
	ck_assert_uint_eq(n.records[CADV_T_FS], 1);
	ck_assert_str_eq(cadv_table_name(CADV_T_DISKSTATS), "diskstats");
	ck_assert_ptr_null(cadv_table_name(CADV_T_COUNT));
	/* an orphan sample, a bad event key: both named, the walk on */
	id_key(k, 5);
	id_key(k + 8, 999999);
	damage(CADV_T_SAMPLES, k, 16, "\x01\0\0\0\0\0\0\0", 8);
	damage(CADV_T_EVENTS, "abc", 3, "x", 1);
	ck_assert_int_eq(cadv_check(txn, got_problem, &p, &n), CADV_CORRUPT);
	ck_assert_uint_eq(p.n, 3);
	ck_assert_uint_eq(n.problems, 3);
	ck_assert_str_eq(p.table[0], "samples");
	ck_assert_ptr_nonnull(strstr(p.why[0], "container 999999"));
	ck_assert_str_eq(p.table[1], "samples");
	ck_assert_ptr_nonnull(strstr(p.why[1], "does not decode"));
	ck_assert_str_eq(p.table[2], "events");
	/* the callback stops it */
	memset(&p, 0, sizeof(p));
	p.stop = 7;
	ck_assert_int_eq(cadv_check(txn, got_problem, &p, NULL), 7);
	ck_assert_uint_eq(p.n, 1);
}
END_TEST

/* ---- the watch's reading of eventd's lines (a server of the test's
 * own on a socket in the test's directory) ---- */

static pid_t
serve(const char *path, const char *lines)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int ls, c;
	char buf[4096];
	pid_t pid;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_ge(ls = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid > 0) {
		close(ls);
		return pid;
	}
	if ((c = accept(ls, NULL, NULL)) == -1)
		_exit(1);
	/* eventd refuses a client at once, before it reads its request */
	if (strstr(lines, "\"error\"") == NULL && (read(c, buf,
	    sizeof(buf)) <= 0 || buf[0] != '{'))
		_exit(1);
	if (write(c, lines, strlen(lines)) != (ssize_t)strlen(lines))
		_exit(1);
	/* held open a while: the client's timeout is tried first */
	if (strstr(lines, "\"hold\"") != NULL)
		sleep(1);
	close(c);
	_exit(0);
}

static void
reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(watch_lines)
{
	static struct cadv_event e;
	static char lines[200000];
	struct cadv_event_request r;
	struct cadv_watch *w;
	char path[4096], err[512], big[70000];
	uint64_t dropped = 0;
	pid_t pid;
	int i;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/ev.sock", dir);
	snprintf(lines, sizeof(lines),
	    "{\"seq\": 3, \"timestamp_ns\": 17, \"event_type\": "
	    "\"containerCreation\", \"container_name\": \"/x\\\\x0ay\"}\n"
	    "not json at all\n"
	    "{\"dropped\": 5}\n"
	    "{\"seq\": 4, \"timestamp_ns\": 18, \"event_type\": \"oomKill\", "
	    "\"container_name\": \"/t\", \"event_data\": {\"oom\": {\"pid\": "
	    "77, \"process_name\": \"stress\", \"victim_container_name\": "
	    "\"/lim\", \"from_counter\": false}}}\n"
	    "{\"seq\": 5, \"timestamp_ns\": 19, \"event_type\": \"oomKill\", "
	    "\"container_name\": \"/t\"}\n"
	    "{\"seq\": -1, \"timestamp_ns\": 19, \"event_type\": \"oom\", "
	    "\"container_name\": \"/t\"}\n"
	    "{\"seq\": 6, \"timestamp_ns\": 19, \"event_type\": \"boom\", "
	    "\"container_name\": \"/t\"}\n"
	    "{\"seq\": 7, \"timestamp_ns\": 19, \"event_type\": \"oom\", "
	    "\"container_name\": \"no-slash\"}\n"
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
	    "{\"x\": \"%s\"}\n"
	    "{\"seq\": 8, \"timestamp_ns\": 20, \"event_type\": \"oom\", "
	    "\"container_name\": \"/z\", \"hold\": 1}\n", big);
	pid = serve(path, lines);
	cadv_event_request_init(&r);
	r.end_ns = 5;
	ck_assert_int_eq(cadv_watch_events(path, &r, &w, err, sizeof(err)),
	    EINVAL);
	r.end_ns = 0;
	ck_assert_msg(cadv_watch_events(path, &r, &w, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_ge(cadv_watch_fd(w), 0);
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, &dropped), 0);
	ck_assert_uint_eq(e.seq, 3);
	ck_assert_int_eq(e.type, CADV_EV_CONTAINER_CREATION);
	ck_assert_uint_eq(e.container_len, 4);
	ck_assert_mem_eq(e.container, "/x\ny", 4);
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, &dropped), CADV_CORRUPT);
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, &dropped), 0);
	ck_assert_uint_eq(dropped, 5);
	ck_assert_uint_eq(e.seq, 4);
	ck_assert_int_eq(e.type, CADV_EV_OOM_KILL);
	ck_assert_uint_eq(e.pid, 77);
	ck_assert_str_eq(e.comm, "stress");
	ck_assert_str_eq(e.victim, "/lim");
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL), CADV_CORRUPT);
	ck_assert_ptr_nonnull(strstr(cadv_watch_error(w), "event_data"));
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL), CADV_CORRUPT);
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL), CADV_CORRUPT);
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL), CADV_CORRUPT);
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL), CADV_CORRUPT);
	/* a line longer than the buffer: its tail is a line, not JSON */
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL), CADV_CORRUPT);
	ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL), 0);
	ck_assert_uint_eq(e.seq, 8);
	ck_assert_int_eq(cadv_watch_next(w, 50, &e, NULL), ETIMEDOUT);
	ck_assert_int_eq(cadv_watch_next(w, 5000, &e, NULL), CADV_NOTFOUND);
	cadv_watch_close(w);
	reap(pid);

	/* a refusal, sent and closed before eventd reads the request: the
	 * request may meet a closed socket (EPIPE), and the refusal is still
	 * what the caller learns, however the two interleave */
	for (i = 0; i < 50; i++) {
		unlink(path);
		pid = serve(path, "{\"error\": \"too many clients\"}\n");
		if (i % 2 == 1)
			usleep(20000);	/* the server's close first */
		ck_assert_msg(cadv_watch_events(path, &r, &w, err,
		    sizeof(err)) == 0, "round %d: %s", i, err);
		ck_assert_int_eq(cadv_watch_next(w, 2000, &e, NULL),
		    ECONNABORTED);
		ck_assert_str_eq(cadv_watch_error(w),
		    "eventd: too many clients");
		cadv_watch_close(w);
		reap(pid);
	}
	unlink(path);
	ck_assert_int_ne(cadv_watch_events(path, &r, &w, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "ev.sock"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cadv_kubelet");
	TCase *tc = tcase_create("core");

	signal(SIGPIPE, SIG_IGN);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, v1_num_stats_and_range);
	tcase_add_test(tc, v1_live_containers_only);
	tcase_add_test(tc, v2_by_name_and_runtime_id);
	tcase_add_test(tc, ident_container);
	tcase_add_test(tc, filesystems);
	tcase_add_test(tc, damaged_container_record);
	tcase_add_test(tc, damaged_sample);
	tcase_add_test(tc, damaged_ident);
	tcase_add_test(tc, damaged_machine_and_fs);
	tcase_add_test(tc, check_sound_then_damaged);
	tcase_add_test(tc, watch_lines);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
