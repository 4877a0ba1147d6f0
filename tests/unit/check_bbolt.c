/* The bbolt reader over real files (tests/fixtures/bolt/README: a podman
 * 4.3 bolt_state.db and a containerd 1.6 meta.db) and over damaged copies
 * of them made here. */
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bbolt.h"
#include "unit.h"

#define MAX	(1 << 20)
#define PS	4096

/* pages of the containerd fixture (a look at the headers): 24 the branch
 * page of hb-many's 302 labels, 13 its fourth leaf, 42 the freelist of
 * the newer meta (page 1, txid 41), 45 the older meta's freelist; 46
 * pages used (the high-water mark) of 64 */
#define C_BRANCH	24
#define C_LEAF		13
#define C_FREELIST	42
#define C_OLDFREE	45
#define C_HWM		46

static unsigned char *
slurp(const char *rel, size_t *len)
{
	const char *path = unit_fixture(rel);
	unsigned char *p;
	struct stat sb;
	int fd;

	fd = open(path, O_RDONLY);
	ck_assert_msg(fd != -1, "%s", path);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	p = malloc((size_t)sb.st_size);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(read(fd, p, (size_t)sb.st_size), sb.st_size);
	close(fd);
	*len = (size_t)sb.st_size;
	return p;
}

static uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);	/* x86: the file's byte order */
	return v;
}

static void
wr64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void
wr32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
wr16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* the meta at page pg: its checksum made right again after a change */
static void
meta_resum(unsigned char *buf, size_t pg)
{
	unsigned char *m = buf + pg * PS + 16;
	uint64_t h = 0xcbf29ce484222325ull;
	int i;

	for (i = 0; i < 56; i++) {
		h ^= m[i];
		h *= 0x100000001b3ull;
	}
	wr64(m + 56, h);
}

static int
load(const unsigned char *buf, size_t len, struct bolt **b, char *err)
{
	return bolt_load(b, buf, len, err, 256);
}

/* loading refuses the bytes with BOLT_BAD and a reason */
static void
refused(const unsigned char *buf, size_t len, const char *why)
{
	struct bolt *b = (struct bolt *)1;
	char err[256] = "";

	ck_assert_int_eq(load(buf, len, &b, err), BOLT_BAD);
	ck_assert_ptr_null(b);
	ck_assert_msg(strstr(err, why) != NULL, "error \"%s\" lacks \"%s\"",
	    err, why);
}

/* collects the keys of one bucket */
struct keys {
	char	 k[400][80];
	int	 bucket[400];
	size_t	 n;
	size_t	 stop;	/* stop after this many (0: never) */
};

static int
collect(void *arg, const void *key, size_t klen, const void *val,
    size_t vlen, const struct bolt_bucket *sub)
{
	struct keys *ks = arg;

	(void)val;
	(void)vlen;
	ck_assert_uint_lt(ks->n, 400);
	ck_assert_uint_lt(klen, 80);
	memcpy(ks->k[ks->n], key, klen);
	ks->k[ks->n][klen] = '\0';
	ks->bucket[ks->n] = sub != NULL;
	ks->n++;
	if (ks->stop && ks->n == ks->stop)
		return 7;
	return 0;
}

/* a whole walk: every entry, and each one found again by lookup */
struct walk {
	const struct bolt *b;
	const struct bolt_bucket *in;
	size_t	 values, buckets, bytes;
};

static int
walk_one(void *arg, const void *key, size_t klen, const void *val,
    size_t vlen, const struct bolt_bucket *sub)
{
	struct walk *w = arg, inner;
	struct bolt_bucket again;
	const void *v;
	size_t vl;

	if (sub == NULL) {
		ck_assert_int_eq(bolt_get(w->b, w->in, key, klen, &v, &vl),
		    BOLT_OK);
		ck_assert_ptr_eq(v, val);
		ck_assert_uint_eq(vl, vlen);
		w->values++;
		w->bytes += vlen;
		return 0;
	}
	ck_assert_int_eq(bolt_bucket(w->b, w->in, key, klen, &again),
	    BOLT_OK);
	ck_assert_uint_eq(again.root, sub->root);
	ck_assert_ptr_eq(again.inl, sub->inl);
	inner = *w;
	inner.in = sub;
	inner.values = inner.buckets = inner.bytes = 0;
	ck_assert_int_eq(bolt_each(w->b, sub, walk_one, &inner), 0);
	w->values += inner.values;
	w->buckets += inner.buckets + 1;
	w->bytes += inner.bytes;
	return 0;
}

static void
walk_all(const struct bolt *b, struct walk *w)
{
	struct bolt_bucket root;

	bolt_root(b, &root);
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->in = &root;
	ck_assert_int_eq(bolt_each(b, &root, walk_one, w), 0);
}

/* podman: the container whose config names it */
static int
podman_find(const struct bolt *b, const char *name, char *id,
    json_object **cfg)
{
	static const char *const ctr[] = { "ctr" };
	struct bolt_bucket bk, c;
	struct keys ks;
	const void *v;
	size_t vl, i;

	memset(&ks, 0, sizeof(ks));
	ck_assert_int_eq(bolt_path(b, &bk, 1, ctr), BOLT_OK);
	ck_assert_int_eq(bolt_each(b, &bk, collect, &ks), 0);
	for (i = 0; i < ks.n; i++) {
		json_object *j, *n;

		ck_assert_int_eq(ks.bucket[i], 1);
		ck_assert_int_eq(bolt_bucket(b, &bk, ks.k[i], strlen(ks.k[i]),
		    &c), BOLT_OK);
		ck_assert_int_eq(bolt_get(b, &c, "config", 6, &v, &vl),
		    BOLT_OK);
		char *s = strndup(v, vl);
		j = json_tokener_parse(s);
		free(s);
		ck_assert_ptr_nonnull(j);
		if (json_object_object_get_ex(j, "name", &n) &&
		    strcmp(json_object_get_string(n), name) == 0) {
			strcpy(id, ks.k[i]);
			*cfg = j;
			return 1;
		}
		json_object_put(j);
	}
	return 0;
}

static void
podman_check(const struct bolt *b)
{
	static const char *const names[] = { "hb-web", "hb-db", "hb-done" };
	static const char *const apps[] = { "web", "db", "batch" };
	struct bolt_bucket bk;
	json_object *cfg, *labels, *o;
	char id[80], ids[3][80];
	const void *v;
	size_t vl;
	int i;

	for (i = 0; i < 3; i++) {
		ck_assert_msg(podman_find(b, names[i], ids[i], &cfg), "%s",
		    names[i]);
		ck_assert_uint_eq(strlen(ids[i]), 64);
		ck_assert(json_object_object_get_ex(cfg, "labels", &labels));
		ck_assert(json_object_object_get_ex(labels, "app", &o));
		ck_assert_str_eq(json_object_get_string(o), apps[i]);
		ck_assert(json_object_object_get_ex(cfg, "rootfsImageName",
		    &o));
		ck_assert_str_eq(json_object_get_string(o), "localhost/bb:1");
		if (i == 1) {	/* the 3000-byte label: its config overflows */
			ck_assert(json_object_object_get_ex(labels, "note",
			    &o));
			ck_assert_uint_eq(strlen(json_object_get_string(o)),
			    3000);
		}
		json_object_put(cfg);
	}
	ck_assert(!podman_find(b, "hb-nosuch", id, &cfg));

	/* name-registry maps each name to its id; exit-code only the
	 * exited one */
	{
		static const char *const nr[] = { "name-registry" };
		static const char *const ec[] = { "exit-code" };

		ck_assert_int_eq(bolt_path(b, &bk, 1, nr), BOLT_OK);
		for (i = 0; i < 3; i++) {
			ck_assert_int_eq(bolt_get(b, &bk, names[i],
			    strlen(names[i]), &v, &vl), BOLT_OK);
			ck_assert_uint_eq(vl, 64);
			ck_assert_mem_eq(v, ids[i], 64);
		}
		ck_assert_int_eq(bolt_path(b, &bk, 1, ec), BOLT_OK);
		ck_assert_int_eq(bolt_get(b, &bk, ids[2], 64, &v, &vl),
		    BOLT_OK);
		ck_assert_uint_eq(vl, 1);
		ck_assert_mem_eq(v, "0", 1);
		ck_assert_int_eq(bolt_get(b, &bk, ids[0], 64, &v, &vl),
		    BOLT_NOTFOUND);
	}
}

START_TEST(podman_contents)
{
	static const char *const top[] = { "all-ctrs", "allPods",
	    "allVolumes", "ctr", "exec", "exit-code", "exit-code-time-stamp",
	    "id-registry", "name-registry", "ns-registry", "pod",
	    "runtime-config", "vol", "volume-ctrs" };
	struct bolt_bucket root;
	struct bolt *b;
	struct keys ks;
	char err[256];
	size_t i;

	ck_assert_int_eq(bolt_open(&b, unit_fixture(
	    "bolt/podman-bolt_state.db"), MAX, err, sizeof(err)), BOLT_OK);
	ck_assert_uint_eq(bolt_txid(b), 20);
	memset(&ks, 0, sizeof(ks));
	bolt_root(b, &root);
	ck_assert_int_eq(bolt_each(b, &root, collect, &ks), 0);
	ck_assert_uint_eq(ks.n, sizeof(top) / sizeof(top[0]));
	for (i = 0; i < ks.n; i++) {
		ck_assert_str_eq(ks.k[i], top[i]);
		ck_assert_int_eq(ks.bucket[i], 1);
	}
	podman_check(b);
	bolt_close(b);
}
END_TEST

/* the same tree repacked with 512-byte pages (tests/fixtures/bolt/repack,
 * a writer of its own): the same contents, every value byte for byte */
START_TEST(podman_512_byte_pages)
{
	struct bolt *b, *b4;
	struct walk w, w4;
	char err[256];

	ck_assert_int_eq(bolt_open(&b, unit_fixture("bolt/podman-512.db"),
	    MAX, err, sizeof(err)), BOLT_OK);
	ck_assert_int_eq(bolt_open(&b4, unit_fixture(
	    "bolt/podman-bolt_state.db"), MAX, err, sizeof(err)), BOLT_OK);
	podman_check(b);
	walk_all(b, &w);
	walk_all(b4, &w4);
	ck_assert_uint_eq(w.values, w4.values);
	ck_assert_uint_eq(w.buckets, w4.buckets);
	ck_assert_uint_eq(w.bytes, w4.bytes);
	ck_assert_uint_gt(w.bytes, 40000);
	bolt_close(b);
	bolt_close(b4);
}
END_TEST

/* the namespace bucket under v1 (its name has the pid of the run) */
static void
containerd_containers(const struct bolt *b, struct bolt_bucket *out)
{
	static const char *const v1[] = { "v1" };
	struct bolt_bucket bk, ns;
	struct keys ks;

	memset(&ks, 0, sizeof(ks));
	ck_assert_int_eq(bolt_path(b, &bk, 1, v1), BOLT_OK);
	ck_assert_int_eq(bolt_each(b, &bk, collect, &ks), 0);
	/* the namespace, then containerd's schema version */
	ck_assert_uint_eq(ks.n, 2);
	ck_assert(strncmp(ks.k[0], "cadvtest-h-bolt-", 16) == 0);
	ck_assert_int_eq(ks.bucket[0], 1);
	ck_assert_str_eq(ks.k[1], "version");
	ck_assert_int_eq(ks.bucket[1], 0);
	ck_assert_int_eq(bolt_bucket(b, &bk, ks.k[0], strlen(ks.k[0]), &ns),
	    BOLT_OK);
	ck_assert_int_eq(bolt_bucket(b, &ns, "containers", 10, out), BOLT_OK);
}

static void
containerd_check(const struct bolt *b)
{
	struct bolt_bucket cs, c, labels;
	struct keys ks;
	const void *v;
	char want[64], *big;
	size_t vl, i;

	containerd_containers(b, &cs);
	memset(&ks, 0, sizeof(ks));
	ck_assert_int_eq(bolt_each(b, &cs, collect, &ks), 0);
	ck_assert_uint_eq(ks.n, 3);
	ck_assert_str_eq(ks.k[0], "hb-api");
	ck_assert_str_eq(ks.k[1], "hb-long");
	ck_assert_str_eq(ks.k[2], "hb-many");

	ck_assert_int_eq(bolt_bucket(b, &cs, "hb-api", 6, &c), BOLT_OK);
	ck_assert_int_eq(bolt_get(b, &c, "image", 5, &v, &vl), BOLT_OK);
	ck_assert_uint_eq(vl, 14);
	ck_assert_mem_eq(v, "localhost/bb:1", 14);
	ck_assert_int_eq(bolt_get(b, &c, "spec", 4, &v, &vl), BOLT_OK);
	ck_assert(vl > 2000 && memmem(v, vl, "\"ociVersion\"", 12) != NULL);
	ck_assert_int_eq(bolt_bucket(b, &c, "labels", 6, &labels), BOLT_OK);
	ck_assert_uint_eq(labels.root, 0);	/* small: inline */
	ck_assert_int_eq(bolt_get(b, &labels, "app", 3, &v, &vl), BOLT_OK);
	ck_assert_uint_eq(vl, 3);
	ck_assert_mem_eq(v, "api", 3);
	ck_assert_int_eq(bolt_get(b, &labels, "tier", 4, &v, &vl), BOLT_OK);
	ck_assert_mem_eq(v, "back", 4);

	/* a label of 4080 bytes: on a page with an overflow page */
	ck_assert_int_eq(bolt_bucket(b, &cs, "hb-long", 7, &c), BOLT_OK);
	ck_assert_int_eq(bolt_bucket(b, &c, "labels", 6, &labels), BOLT_OK);
	ck_assert_uint_ne(labels.root, 0);
	ck_assert_int_eq(bolt_get(b, &labels, "note", 4, &v, &vl), BOLT_OK);
	ck_assert_uint_eq(vl, 4080);
	big = malloc(4080);
	memset(big, 'y', 4080);
	ck_assert_mem_eq(v, big, 4080);
	free(big);

	/* 300 labels over a branch page: in order, each found by search */
	ck_assert_int_eq(bolt_bucket(b, &cs, "hb-many", 7, &c), BOLT_OK);
	ck_assert_int_eq(bolt_bucket(b, &c, "labels", 6, &labels), BOLT_OK);
	memset(&ks, 0, sizeof(ks));
	ck_assert_int_eq(bolt_each(b, &labels, collect, &ks), 0);
	ck_assert_uint_eq(ks.n, 302);
	ck_assert_str_eq(ks.k[0], "app");
	ck_assert_str_eq(ks.k[1], "io.containerd.image.config.stop-signal");
	for (i = 0; i < 300; i++) {
		snprintf(want, sizeof(want), "io.example.label.number-%04zu",
		    i);
		ck_assert_str_eq(ks.k[i + 2], want);
		ck_assert_int_eq(bolt_get(b, &labels, want, strlen(want), &v,
		    &vl), BOLT_OK);
		snprintf(want, sizeof(want), "value-%zu", i);
		ck_assert_uint_eq(vl, strlen(want));
		ck_assert_mem_eq(v, want, vl);
	}
	/* before the first key, after the last, between two, in a gap
	 * between two leaves */
	ck_assert_int_eq(bolt_get(b, &labels, "a", 1, &v, &vl),
	    BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_get(b, &labels, "zzz", 3, &v, &vl),
	    BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_get(b, &labels, "", 0, &v, &vl),
	    BOLT_NOTFOUND);
	for (i = 0; i < 300; i++) {
		snprintf(want, sizeof(want), "io.example.label.number-%04zu!",
		    i);
		ck_assert_int_eq(bolt_get(b, &labels, want, strlen(want), &v,
		    &vl), BOLT_NOTFOUND);
	}
}

START_TEST(containerd_contents)
{
	struct bolt *b;
	char err[256];

	ck_assert_int_eq(bolt_open(&b, unit_fixture("bolt/containerd-meta.db"),
	    MAX, err, sizeof(err)), BOLT_OK);
	ck_assert_uint_eq(bolt_txid(b), 41);
	containerd_check(b);
	bolt_close(b);
}
END_TEST

START_TEST(not_found)
{
	static const char *const p1[] = { "v1", "nosuch" };
	static const char *const p2[] = { "nosuch" };
	struct bolt_bucket cs, c, root, out;
	struct bolt *b;
	const void *v;
	size_t vl;
	char err[256];

	ck_assert_int_eq(bolt_open(&b, unit_fixture("bolt/containerd-meta.db"),
	    MAX, err, sizeof(err)), BOLT_OK);
	bolt_root(b, &root);
	ck_assert_int_eq(bolt_path(b, &out, 2, p1), BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_path(b, &out, 1, p2), BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_path(b, &out, 0, NULL), BOLT_OK);
	ck_assert_uint_eq(out.root, root.root);
	containerd_containers(b, &cs);
	ck_assert_int_eq(bolt_bucket(b, &cs, "hb-api", 6, &c), BOLT_OK);
	/* a value is no bucket, a bucket no value */
	ck_assert_int_eq(bolt_bucket(b, &c, "image", 5, &out), BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_get(b, &c, "labels", 6, &v, &vl),
	    BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_get(b, &c, "imag", 4, &v, &vl), BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_get(b, &c, "images", 6, &v, &vl),
	    BOLT_NOTFOUND);
	ck_assert_int_eq(bolt_bucket(b, &cs, "hb-nosuch", 9, &out),
	    BOLT_NOTFOUND);
	bolt_close(b);
}
END_TEST

START_TEST(each_stops)
{
	struct bolt_bucket root;
	struct bolt *b;
	struct keys ks;
	char err[256];

	ck_assert_int_eq(bolt_open(&b, unit_fixture(
	    "bolt/podman-bolt_state.db"), MAX, err, sizeof(err)), BOLT_OK);
	memset(&ks, 0, sizeof(ks));
	ks.stop = 3;
	bolt_root(b, &root);
	ck_assert_int_eq(bolt_each(b, &root, collect, &ks), 7);
	ck_assert_uint_eq(ks.n, 3);
	bolt_close(b);
}
END_TEST

/* a bucket handed in by a caller, pointing outside the snapshot or at
 * pages the walk did not find, is refused */
START_TEST(forged_buckets)
{
	static unsigned char outside[64];
	struct bolt_bucket bk;
	struct bolt *b;
	const void *v;
	size_t vl;
	char err[256];

	ck_assert_int_eq(bolt_open(&b, unit_fixture("bolt/containerd-meta.db"),
	    MAX, err, sizeof(err)), BOLT_OK);
	bk.root = 0;
	bk.inl = outside;
	bk.inl_len = sizeof(outside);
	ck_assert_int_eq(bolt_get(b, &bk, "a", 1, &v, &vl), BOLT_BAD);
	bk.inl = NULL;
	ck_assert_int_eq(bolt_get(b, &bk, "a", 1, &v, &vl), BOLT_BAD);
	bk.root = C_FREELIST;
	ck_assert_int_eq(bolt_get(b, &bk, "a", 1, &v, &vl), BOLT_BAD);
	bk.root = 1;
	ck_assert_int_eq(bolt_get(b, &bk, "a", 1, &v, &vl), BOLT_BAD);
	bk.root = 1ull << 40;
	ck_assert_int_eq(bolt_each(b, &bk, collect, NULL), BOLT_BAD);
	bolt_close(b);
}
END_TEST

START_TEST(newer_meta_broken_falls_back)
{
	unsigned char *buf;
	struct bolt *b;
	size_t len;
	char err[256];

	/* containerd: page 1 (txid 41) broken, page 0 (txid 40) serves */
	buf = slurp("bolt/containerd-meta.db", &len);
	buf[PS + 16 + 50] ^= 1;
	ck_assert_int_eq(load(buf, len, &b, err), BOLT_OK);
	ck_assert_uint_eq(bolt_txid(b), 40);
	containerd_check(b);
	bolt_close(b);
	/* both: no meta left */
	buf[16 + 60] ^= 1;
	refused(buf, len, "no valid meta page");
	free(buf);

	/* podman: page 0 (txid 20) broken; page 1 is found without page
	 * 0's page size */
	buf = slurp("bolt/podman-bolt_state.db", &len);
	memset(buf + 16, 0, 64);
	ck_assert_int_eq(load(buf, len, &b, err), BOLT_OK);
	ck_assert_uint_eq(bolt_txid(b), 19);
	bolt_close(b);
	free(buf);
}
END_TEST

START_TEST(truncated)
{
	unsigned char *buf;
	struct bolt *b;
	size_t len, n, ok = 0;
	char err[256];
	int rc;

	buf = slurp("bolt/containerd-meta.db", &len);
	refused(buf, len / 2, "before its high-water mark");
	refused(buf, 2 * PS, "before its high-water mark");
	refused(buf, 100, "before its high-water mark");
	refused(buf, 79, "no valid meta page");
	/* every cut: refused, or whole when past the last page used */
	for (n = 0; n <= len; n += n < 2 * PS ? 97 : 1024) {
		rc = load(buf, n, &b, err);
		ck_assert(rc == BOLT_OK || rc == BOLT_BAD);
		if (rc == BOLT_OK) {
			ck_assert_uint_ge(n, C_HWM * PS);
			bolt_close(b);
			ok++;
		}
	}
	ck_assert_uint_gt(ok, 0);
	free(buf);
}
END_TEST

START_TEST(damaged_pages)
{
	unsigned char *buf, *orig, *pg;
	size_t len;

	orig = slurp("bolt/containerd-meta.db", &len);
	buf = malloc(len);
#define FRESH() memcpy(buf, orig, len)
	pg = buf + C_BRANCH * PS;

	/* the fixture is what the constants say */
	FRESH();
	ck_assert_uint_eq(rd64(pg), C_BRANCH);
	ck_assert_uint_eq(pg[8], 0x01);
	ck_assert_uint_eq(buf[C_LEAF * PS + 8], 0x02);
	ck_assert_uint_eq(buf[C_FREELIST * PS + 8], 0x10);

	/* a child out of range, past the hwm, the meta pages */
	wr64(pg + 16 + 8, 1000);
	refused(buf, len, "out of range");
	FRESH();
	wr64(pg + 16 + 8, C_HWM);		/* in the file, past the hwm */
	refused(buf, len, "out of range");
	FRESH();
	wr64(pg + 16 + 8, 1);
	refused(buf, len, "out of range");

	/* a branch pointing at itself; two elements at one child */
	FRESH();
	wr64(pg + 16 + 8, C_BRANCH);
	refused(buf, len, "reached twice");
	FRESH();
	wr64(pg + 16 + 6 * 16 + 8, rd64(pg + 16 + 5 * 16 + 8));
	refused(buf, len, "reached twice");

	/* the root in the newer meta past the hwm (checksum made right):
	 * that meta is no good, the older one serves */
	FRESH();
	wr64(buf + PS + 16 + 16, 5000);
	meta_resum(buf, 1);
	{
		struct bolt *b;
		char err[256];

		ck_assert_int_eq(load(buf, len, &b, err), BOLT_OK);
		ck_assert_uint_eq(bolt_txid(b), 40);
		bolt_close(b);
	}
	/* the root a page of the wrong type; an absurd hwm */
	FRESH();
	wr64(buf + PS + 16 + 16, C_OLDFREE);
	meta_resum(buf, 1);
	refused(buf, len, "not a leaf or branch");
	FRESH();
	wr64(buf + PS + 16 + 40, 1ull << 62);
	meta_resum(buf, 1);
	refused(buf, len, "before its high-water mark");

	/* element offsets and sizes past the page */
	FRESH();
	wr32(buf + C_LEAF * PS + 16 + 4, 5000);		/* pos */
	refused(buf, len, "past the page's end");
	FRESH();
	wr32(buf + C_LEAF * PS + 16 + 12, 0xFFFFFFF0u);	/* vsize */
	refused(buf, len, "past the page's end");
	FRESH();
	wr32(pg + 16 + 4, 4096);			/* branch ksize */
	refused(buf, len, "past the page's end");

	/* absurd counts and overflows */
	FRESH();
	wr16(buf + C_LEAF * PS + 10, 0xFFFF);
	refused(buf, len, "do not fit");
	FRESH();
	wr16(pg + 10, 0);
	refused(buf, len, "empty branch");
	FRESH();
	wr32(buf + C_LEAF * PS + 12, 0xFFFFFFFFu);
	refused(buf, len, "run past the end");
	FRESH();
	wr32(buf + C_LEAF * PS + 12, 1);	/* over the next page in use */
	refused(buf, len, "reached twice");

	/* a page naming another, or of another type */
	FRESH();
	wr64(buf + C_LEAF * PS, C_LEAF + 1);
	refused(buf, len, "calls itself");
	FRESH();
	buf[C_LEAF * PS + 8] = 0x03;
	refused(buf, len, "not a leaf or branch");
	FRESH();
	buf[C_LEAF * PS + 16] = 0x02;			/* element flags */
	refused(buf, len, "unknown flags");

	/* keys out of order in a leaf, or outside the branch's range */
	FRESH();
	{
		unsigned char *e = buf + C_LEAF * PS + 16 + 16 * 5;
		uint32_t pos;

		memcpy(&pos, e + 4, 4);
		e[pos] = 'z';
	}
	refused(buf, len, "out of order");
	FRESH();
	{
		unsigned char *e = buf + C_LEAF * PS + 16;
		uint32_t pos;

		memcpy(&pos, e + 4, 4);
		e[pos] = 'A';
	}
	refused(buf, len, "outside its parent's range");

	/* the freelist: listing a page in use, or being in the tree */
	FRESH();
	ck_assert_uint_gt(rd64(buf + C_FREELIST * PS + 16), 0);
	wr64(buf + C_FREELIST * PS + 16, C_LEAF);
	refused(buf, len, "both free and in use");
	FRESH();
	wr16(buf + C_FREELIST * PS + 10, 0xFFFF);
	wr64(buf + C_FREELIST * PS + 16, 1ull << 60);
	refused(buf, len, "do not fit");
	FRESH();
	wr64(buf + PS + 16 + 32, C_LEAF);
	meta_resum(buf, 1);
	refused(buf, len, "not the freelist");
	free(buf);
	free(orig);
#undef FRESH
}
END_TEST

START_TEST(not_bbolt)
{
	static const char text[] = "{\"this\": \"is not a bbolt file\"}\n";
	unsigned char *zero = calloc(1, 3 * PS);
	struct bolt *b = (struct bolt *)1;
	char err[256] = "", *dir, path[512];
	int fd;

	refused((const unsigned char *)text, sizeof(text), "not a bbolt file");
	refused(zero, 3 * PS, "not a bbolt file");
	ck_assert_int_eq(bolt_load(&b, NULL, 0, err, sizeof(err)), BOLT_BAD);
	ck_assert_ptr_null(b);
	ck_assert_str_eq(err, "empty file");
	free(zero);

	dir = unit_tmpdir();
	snprintf(path, sizeof(path), "%s/empty.db", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	close(fd);
	ck_assert_int_eq(bolt_open(&b, path, MAX, err, sizeof(err)),
	    BOLT_BAD);
	ck_assert(strstr(err, "empty file") != NULL);
	ck_assert_int_eq(bolt_open(&b, dir, MAX, err, sizeof(err)),
	    BOLT_BAD);
	ck_assert(strstr(err, "not a regular file") != NULL);
	snprintf(path, sizeof(path), "%s/nosuch.db", dir);
	ck_assert_int_eq(bolt_open(&b, path, MAX, err, sizeof(err)),
	    BOLT_SYS);
	ck_assert(strstr(err, "No such file") != NULL);
	unit_rmtree(dir);
	free(dir);
	/* err may be left out */
	ck_assert_int_eq(bolt_load(&b, text, sizeof(text), NULL, 0),
	    BOLT_BAD);
}
END_TEST

START_TEST(too_big)
{
	struct bolt *b = (struct bolt *)1;
	char err[256];

	ck_assert_int_eq(bolt_open(&b, unit_fixture("bolt/containerd-meta.db"),
	    256 * 1024 - 1, err, sizeof(err)), BOLT_TOOBIG);
	ck_assert_ptr_null(b);
	ck_assert(strstr(err, "over the limit") != NULL);
	ck_assert_int_eq(bolt_open(&b, unit_fixture("bolt/containerd-meta.db"),
	    256 * 1024, err, sizeof(err)), BOLT_OK);
	bolt_close(b);
}
END_TEST

/* random damage to every page of both files: refused or walked whole,
 * never a crash (ASan/UBSan builds), never a failed lookup after a load */
START_TEST(random_damage)
{
	static const char *const files[] = { "bolt/containerd-meta.db",
	    "bolt/podman-bolt_state.db", "bolt/podman-512.db" };
	unsigned char *orig, *buf;
	struct bolt *b;
	struct walk w;
	size_t len, i, j, at, loaded = 0;
	unsigned seed = 1;
	char err[256];
	int f;

	for (f = 0; f < 3; f++) {
		orig = slurp(files[f], &len);
		buf = malloc(len);
		for (i = 0; i < 1500; i++) {
			memcpy(buf, orig, len);
			for (j = 0; j <= i % 4; j++) {
				at = (size_t)rand_r(&seed) % len;
				buf[at] ^= (unsigned char)(1 + rand_r(&seed) %
				    255);
			}
			if (load(buf, len, &b, err) != BOLT_OK)
				continue;
			walk_all(b, &w);
			bolt_close(b);
			loaded++;
		}
		free(buf);
		free(orig);
	}
	/* most flips land in unused bytes */
	ck_assert_uint_gt(loaded, 100);
}
END_TEST

START_TEST(speed)
{
	unsigned char *buf;
	struct timespec t0, t1;
	struct bolt *b;
	struct walk w;
	size_t len;
	double ms;
	char err[256];
	int i;

	buf = slurp("bolt/containerd-meta.db", &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(load(buf, len, &b, err), BOLT_OK);
		walk_all(b, &w);
		bolt_close(b);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) /
	    1e6) / 20;
	/* 256 KiB: well under a millisecond plain; loose for sanitizers */
	ck_assert_msg(ms < 50, "%.2f ms a load and walk", ms);
	free(buf);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bbolt");
	TCase *tc = tcase_create("bbolt");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, podman_contents);
	tcase_add_test(tc, podman_512_byte_pages);
	tcase_add_test(tc, containerd_contents);
	tcase_add_test(tc, not_found);
	tcase_add_test(tc, each_stops);
	tcase_add_test(tc, forged_buckets);
	tcase_add_test(tc, newer_meta_broken_falls_back);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, damaged_pages);
	tcase_add_test(tc, not_bbolt);
	tcase_add_test(tc, too_big);
	tcase_add_test(tc, random_damage);
	tcase_add_test(tc, speed);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
