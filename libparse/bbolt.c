/* A read-only reader of bbolt files (go.etcd.io/bbolt, format version 2).
 *
 * The file is read whole with pread (never mapped: the runtime rewrites
 * pages in place) and then checked once, all of it: the meta page used
 * (magic, version, FNV-1a checksum, the newer of the two valid ones), and
 * every page reachable from its root bucket, each at most once (so no
 * cycle and no page shared by two parents), inside the file and under the
 * meta's high-water mark, its header naming it, its elements inside it
 * with their keys in order; then the freelist, none of whose pages may be
 * reachable.  A snapshot read while a commit landed fails some of that
 * and is refused.  After the check each lookup still bounds what it
 * touches (a bucket handed back by a caller is not trusted either), but
 * relies on the walk for termination: every page it follows was seen by
 * the walk, which visits each one once.
 *
 * Layout (little-endian): page header {id u64, flags u16, count u16,
 * overflow u32}; meta after the header {magic u32, version u32, pageSize
 * u32, flags u32, root {pgid u64, sequence u64}, freelist u64, pgid u64
 * (high-water mark), txid u64, checksum u64 (FNV-1a 64 over the 56 bytes
 * before it)}; leaf element {flags u32, pos u32, ksize u32, vsize u32},
 * branch element {pos u32, ksize u32, pgid u64}, pos counted from the
 * element; a value flagged 0x01 is a bucket {root u64, sequence u64},
 * followed when root is 0 by the bucket's one leaf page (inline). */
#include "bbolt.h"
#include "rtutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HDR		16		/* page header */
#define ELEM		16		/* leaf and branch elements alike */
#define BUCKET_HDR	16		/* {root, sequence} */
#define META_LEN	64
#define META_SUMMED	56		/* bytes under the checksum */
#define MAGIC		0xED0CDAEDu
#define VERSION		2u
#define PSIZE_MIN	512u
#define PSIZE_MAX	65536u
#define F_BRANCH	0x01
#define F_LEAF		0x02
#define F_FREELIST	0x10
#define LEAF_BUCKET	0x01
#define NO_FREELIST	UINT64_MAX
/* nesting of branch pages and buckets together on one path; real files
 * need a handful (containerd: 5 buckets deep) */
#define MAXDEPTH	128
/* reads the meta pages changed under us this many times: give up */
#define TRIES		3

enum { ST_FREE, ST_NODE, ST_USED };	/* per page, after the walk */

struct bolt {
	unsigned char	*buf;
	size_t		 len;
	uint32_t	 psize;
	uint64_t	 npages;	/* usable: in the file and under hwm */
	uint64_t	 hwm;
	uint64_t	 txid;
	uint64_t	 root;
	uint64_t	 freelist;
	unsigned char	*state;		/* ST_* per page */
};

/* a page, or an inline bucket's page, with its bytes */
struct node {
	const unsigned char *p;
	size_t		 len;
	uint16_t	 flags;
	uint16_t	 count;
};

struct meta {
	uint32_t	psize;
	uint64_t	root, freelist, hwm, txid;
};

static uint16_t
ld16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
ld32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
ld64(const unsigned char *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static uint64_t
fnv1a64(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The meta page at off, if whole, valid and of page size want (0: any). */
static int
meta_read(const unsigned char *buf, size_t len, size_t off, uint32_t want,
    struct meta *m)
{
	const unsigned char *p;

	if (off > len || len - off < HDR + META_LEN)
		return -1;
	p = buf + off + HDR;
	if (ld32(p) != MAGIC || ld32(p + 4) != VERSION ||
	    ld64(p + META_SUMMED) != fnv1a64(p, META_SUMMED))
		return -1;
	m->psize = ld32(p + 8);
	m->root = ld64(p + 16);
	m->freelist = ld64(p + 32);
	m->hwm = ld64(p + 40);
	m->txid = ld64(p + 48);
	if (m->psize < PSIZE_MIN || m->psize > PSIZE_MAX ||
	    (m->psize & (m->psize - 1)) != 0 || (want && m->psize != want))
		return -1;
	/* what bbolt itself refuses to write */
	if (m->root < 2 || m->root >= m->hwm ||
	    (m->freelist != NO_FREELIST &&
	    (m->freelist < 2 || m->freelist >= m->hwm)))
		return -1;
	return 0;
}

/* Chooses the meta page: the valid one with the higher txid.  Page 1's
 * place depends on the page size, which page 0 gives; without a valid
 * page 0, each possible size is tried. */
static int
meta_choose(const unsigned char *buf, size_t len, struct meta *m, char *err,
    size_t errsz)
{
	struct meta m0, m1;
	int ok0, ok1 = 0;
	uint32_t ps;

	ok0 = meta_read(buf, len, 0, 0, &m0) == 0;
	if (ok0)
		ok1 = meta_read(buf, len, m0.psize, m0.psize, &m1) == 0;
	else
		for (ps = PSIZE_MIN; ps <= PSIZE_MAX && !ok1; ps <<= 1)
			ok1 = meta_read(buf, len, ps, ps, &m1) == 0;
	if (!ok0 && !ok1) {
		if (len < HDR + 4 || ld32(buf + HDR) != MAGIC)
			rt_seterr(err, errsz,
			    "not a bbolt file (no magic number)");
		else
			rt_seterr(err, errsz, "no valid meta page (torn or "
			    "damaged: checksum, version or fields)");
		return -1;
	}
	if (ok0 && (!ok1 || m0.txid >= m1.txid))
		*m = m0;
	else
		*m = m1;
	return 0;
}

/* The bounds of element i's key (and value, for a leaf). */
static const unsigned char *
elem(const struct node *n, unsigned i, size_t *klen, const unsigned char **v,
    size_t *vlen, uint32_t *flags, uint64_t *child)
{
	const unsigned char *e = n->p + HDR + (size_t)i * ELEM;
	uint64_t off = HDR + (uint64_t)i * ELEM, pos, ks, vs = 0;

	if (n->flags == F_LEAF) {
		*flags = ld32(e);
		pos = ld32(e + 4);
		ks = ld32(e + 8);
		vs = ld32(e + 12);
	} else {
		*flags = 0;
		pos = ld32(e);
		ks = ld32(e + 4);
		*child = ld64(e + 8);
	}
	if (off + pos + ks + vs > n->len)
		return NULL;
	*klen = (size_t)ks;
	if (v != NULL) {
		*v = e + pos + ks;
		*vlen = (size_t)vs;
	}
	return e + pos;
}

static int
keycmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	int c;

	/* memcmp never sees a null pointer, even for 0 bytes */
	if (n > 0 && (c = memcmp(a, b, n)) != 0)
		return c;
	return al < bl ? -1 : al > bl;
}

/* The shape of a node: its type, its elements and their keys and values
 * inside it, the keys strictly ascending. */
static int
node_check(const struct node *n, const char *what, uint64_t id, char *err,
    size_t errsz)
{
	const unsigned char *k, *pk = NULL, *v;
	size_t kl, pkl = 0, vl;
	uint32_t fl;
	uint64_t child;
	unsigned i;

	if (n->flags != F_LEAF && n->flags != F_BRANCH) {
		rt_seterr(err, errsz, "%s %llu: not a leaf or branch page "
		    "(flags 0x%x)", what, (unsigned long long)id, n->flags);
		return -1;
	}
	if (n->flags == F_BRANCH && n->count == 0) {
		rt_seterr(err, errsz, "%s %llu: empty branch page", what,
		    (unsigned long long)id);
		return -1;
	}
	if (n->len < HDR || (n->len - HDR) / ELEM < n->count) {
		rt_seterr(err, errsz, "%s %llu: %u elements do not fit in its "
		    "%zu bytes", what, (unsigned long long)id, n->count,
		    n->len);
		return -1;
	}
	for (i = 0; i < n->count; i++) {
		if ((k = elem(n, i, &kl, &v, &vl, &fl, &child)) == NULL) {
			rt_seterr(err, errsz, "%s %llu: element %u lies past "
			    "the page's end", what, (unsigned long long)id, i);
			return -1;
		}
		if ((fl & ~(uint32_t)LEAF_BUCKET) != 0) {
			rt_seterr(err, errsz, "%s %llu: element %u has unknown "
			    "flags 0x%x", what, (unsigned long long)id, i, fl);
			return -1;
		}
		if (pk != NULL && keycmp(pk, pkl, k, kl) >= 0) {
			rt_seterr(err, errsz,
			    "%s %llu: element %u's key out of "
			    "order", what, (unsigned long long)id, i);
			return -1;
		}
		pk = k;
		pkl = kl;
	}
	return 0;
}

/* The node of a page the walk checked. */
static int
page_node(const struct bolt *b, uint64_t id, struct node *n)
{
	const unsigned char *p;

	if (id >= b->npages || b->state[id] != ST_NODE)
		return -1;
	p = b->buf + id * b->psize;
	n->p = p;
	n->len = ((size_t)ld32(p + 12) + 1) * b->psize;
	n->flags = ld16(p + 8);
	n->count = ld16(p + 10);
	return 0;
}

/* The root node of a bucket; an inline one is checked each time (it may
 * come from a caller), its page inside the snapshot. */
static int
bucket_node(const struct bolt *b, const struct bolt_bucket *bk,
    struct node *n)
{
	const unsigned char *base = b->buf;

	if (bk->root != 0)
		return page_node(b, bk->root, n);
	if (bk->inl == NULL || bk->inl < base || bk->inl_len < HDR ||
	    bk->inl_len > b->len || (size_t)(bk->inl - base) > b->len -
	    bk->inl_len)
		return -1;
	n->p = bk->inl;
	n->len = bk->inl_len;
	n->flags = ld16(n->p + 8);
	n->count = ld16(n->p + 10);
	if (n->flags != F_LEAF || node_check(n, "inline page", 0, NULL, 0))
		return -1;
	return 0;
}

/* A bucket value as a bucket. */
static int
bucket_from(const unsigned char *v, size_t vl, struct bolt_bucket *out)
{
	if (vl < BUCKET_HDR)
		return -1;
	out->root = ld64(v);
	out->inl = NULL;
	out->inl_len = 0;
	if (out->root == 0) {
		if (vl < BUCKET_HDR + HDR)
			return -1;
		out->inl = v + BUCKET_HDR;
		out->inl_len = vl - BUCKET_HDR;
	}
	return 0;
}

/* the keys a page may hold: [lo, hi), a null bound being open */
struct range {
	const unsigned char *lo, *hi;
	size_t	 lol, hil;
};

static const struct range ANY;

static int walk_page(struct bolt *, uint64_t, int, const struct range *,
    char *, size_t);

/* A bucket value met in the walk: its tree, or its inline page. */
static int
walk_bucket(struct bolt *b, const unsigned char *v, size_t vl, int depth,
    char *err, size_t errsz)
{
	struct bolt_bucket bk;
	struct node n;
	const unsigned char *cv;
	size_t kl, cvl;
	uint32_t fl;
	uint64_t child;
	unsigned i;

	if (depth > MAXDEPTH) {
		rt_seterr(err, errsz, "buckets nested deeper than %d",
		    MAXDEPTH);
		return -1;
	}
	if (bucket_from(v, vl, &bk) == -1) {
		rt_seterr(err, errsz,
		    "a bucket value of %zu bytes is too short",
		    vl);
		return -1;
	}
	if (bk.root != 0)
		return walk_page(b, bk.root, depth + 1, &ANY, err, errsz);
	n.p = bk.inl;
	n.len = bk.inl_len;
	n.flags = ld16(n.p + 8);
	n.count = ld16(n.p + 10);
	if (n.flags != F_LEAF) {
		rt_seterr(err, errsz, "an inline bucket's page is not a leaf "
		    "(flags 0x%x)", n.flags);
		return -1;
	}
	if (node_check(&n, "inline page", 0, err, errsz) == -1)
		return -1;
	for (i = 0; i < n.count; i++) {
		(void)elem(&n, i, &kl, &cv, &cvl, &fl, &child);
		if ((fl & LEAF_BUCKET) &&
		    walk_bucket(b, cv, cvl, depth + 1, err, errsz) == -1)
			return -1;
	}
	return 0;
}

/* A page of a bucket's tree and all below it, each page once, its keys
 * in the range its parent gives (as bbolt's own check has it: child i of
 * a branch holds keys from the branch's key i up to its key i + 1), so
 * that a walk in order and a search agree. */
static int
walk_page(struct bolt *b, uint64_t id, int depth, const struct range *r,
    char *err, size_t errsz)
{
	const unsigned char *p, *k, *v;
	struct range cr;
	struct node n;
	uint64_t ov, i, child = 0;
	size_t kl, vl;
	uint32_t fl;
	unsigned e;

	if (depth > MAXDEPTH) {
		rt_seterr(err, errsz, "tree deeper than %d at page %llu",
		    MAXDEPTH, (unsigned long long)id);
		return -1;
	}
	if (id < 2 || id >= b->npages) {
		rt_seterr(err, errsz, "page %llu is out of range (%llu usable "
		    "pages)", (unsigned long long)id,
		    (unsigned long long)b->npages);
		return -1;
	}
	p = b->buf + id * b->psize;
	if (ld64(p) != id) {
		rt_seterr(err, errsz, "page %llu calls itself page %llu",
		    (unsigned long long)id, (unsigned long long)ld64(p));
		return -1;
	}
	ov = ld32(p + 12);
	if (ov >= b->npages - id) {
		rt_seterr(err, errsz, "page %llu: %llu overflow pages run past "
		    "the end", (unsigned long long)id,
		    (unsigned long long)ov);
		return -1;
	}
	for (i = id; i <= id + ov; i++)
		if (b->state[i] != ST_FREE) {
			rt_seterr(err, errsz, "page %llu is reached twice",
			    (unsigned long long)i);
			return -1;
		}
	memset(b->state + id, ST_USED, ov + 1);
	b->state[id] = ST_NODE;
	if (page_node(b, id, &n) == -1 ||
	    node_check(&n, "page", id, err, errsz) == -1)
		return -1;
	for (e = 0; e < n.count; e++) {
		k = elem(&n, e, &kl, &v, &vl, &fl, &child);
		if ((r->lo != NULL && keycmp(k, kl, r->lo, r->lol) < 0) ||
		    (r->hi != NULL && keycmp(k, kl, r->hi, r->hil) >= 0)) {
			rt_seterr(err, errsz, "page %llu: element %u's key is "
			    "outside its parent's range",
			    (unsigned long long)id, e);
			return -1;
		}
		if (n.flags == F_BRANCH) {
			cr.lo = k;
			cr.lol = kl;
			cr.hi = r->hi;
			cr.hil = r->hil;
			if (e + 1 < n.count)
				cr.hi = elem(&n, e + 1, &cr.hil, NULL, NULL,
				    &fl, &child);
			(void)elem(&n, e, &kl, NULL, NULL, &fl, &child);
			if (walk_page(b, child, depth + 1, &cr, err, errsz) ==
			    -1)
				return -1;
		} else if ((fl & LEAF_BUCKET) &&
		    walk_bucket(b, v, vl, depth + 1, err, errsz) == -1)
			return -1;
	}
	return 0;
}

/* The freelist: its pages not in the tree, the pages it lists neither. */
static int
walk_freelist(struct bolt *b, char *err, size_t errsz)
{
	const unsigned char *p, *ids;
	uint64_t id = b->freelist, ov, i, cnt, f;
	size_t len, room;

	if (id == NO_FREELIST)
		return 0;
	if (id >= b->npages) {
		rt_seterr(err, errsz, "freelist page %llu is out of range",
		    (unsigned long long)id);
		return -1;
	}
	p = b->buf + id * b->psize;
	ov = ld32(p + 12);
	if (ld64(p) != id || ld16(p + 8) != F_FREELIST ||
	    ov >= b->npages - id) {
		rt_seterr(err, errsz, "page %llu is not the freelist it should "
		    "be", (unsigned long long)id);
		return -1;
	}
	for (i = id; i <= id + ov; i++)
		if (b->state[i] != ST_FREE) {
			rt_seterr(err, errsz,
			    "freelist page %llu is also in the "
			    "tree", (unsigned long long)i);
			return -1;
		}
	memset(b->state + id, ST_USED, ov + 1);
	len = (size_t)(ov + 1) * b->psize;
	ids = p + HDR;
	room = (len - HDR) / 8;
	cnt = ld16(p + 10);
	if (cnt == 0xFFFF) {	/* the real count leads the list */
		cnt = ld64(ids);
		ids += 8;
		room--;
	}
	if (cnt > room) {
		rt_seterr(err, errsz, "freelist page %llu: %llu ids do not fit",
		    (unsigned long long)id, (unsigned long long)cnt);
		return -1;
	}
	for (i = 0; i < cnt; i++) {
		f = ld64(ids + i * 8);
		if (f < 2 || f >= b->hwm) {
			rt_seterr(err, errsz,
			    "freelist lists page %llu, out of "
			    "range", (unsigned long long)f);
			return -1;
		}
		if (f < b->npages && b->state[f] != ST_FREE) {
			rt_seterr(err, errsz,
			    "page %llu is both free and in use",
			    (unsigned long long)f);
			return -1;
		}
	}
	return 0;
}

/* Checks the snapshot in b->buf; fills the rest of b. */
static int
parse(struct bolt *b, char *err, size_t errsz)
{
	struct meta m;

	if (b->len == 0) {
		rt_seterr(err, errsz, "empty file");
		return BOLT_BAD;
	}
	if (meta_choose(b->buf, b->len, &m, err, errsz) == -1)
		return BOLT_BAD;
	b->psize = m.psize;
	b->hwm = m.hwm;
	b->txid = m.txid;
	b->root = m.root;
	b->freelist = m.freelist;
	/* bbolt grows the file before it writes pages past its end, so a
	 * file shorter than the high-water mark is cut or torn */
	if (b->len / m.psize < m.hwm) {
		rt_seterr(err, errsz, "the file ends at page %llu, before its "
		    "high-water mark %llu (cut, or read while growing)",
		    (unsigned long long)(b->len / m.psize),
		    (unsigned long long)m.hwm);
		return BOLT_BAD;
	}
	b->npages = m.hwm;
	if ((b->state = calloc(b->npages, 1)) == NULL) {
		rt_seterr(err, errsz, "out of memory");
		return BOLT_SYS;
	}
	b->state[0] = b->state[1] = ST_USED;	/* the meta pages */
	if (walk_page(b, m.root, 0, &ANY, err, errsz) == -1 ||
	    walk_freelist(b, err, errsz) == -1)
		return BOLT_BAD;
	return BOLT_OK;
}

static void
bolt_free(struct bolt *b)
{
	if (b == NULL)
		return;
	free(b->state);
	free(b->buf);
	free(b);
}

int
bolt_load(struct bolt **out, const void *buf, size_t len, char *err,
    size_t errsz)
{
	struct bolt *b;
	int rc;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->buf = malloc(len ? len : 1)) == NULL) {
		free(b);
		rt_seterr(err, errsz, "out of memory");
		return BOLT_SYS;
	}
	if (len > 0)
		memcpy(b->buf, buf, len);
	b->len = len;
	if ((rc = parse(b, err, errsz)) != BOLT_OK) {
		bolt_free(b);
		return rc;
	}
	*out = b;
	return BOLT_OK;
}

/* Reads up to n bytes at off; how many (fewer at the end of the file). */
static ssize_t
readat(int fd, unsigned char *p, size_t n, off_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, p + got, n - got, off + (off_t)got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Whether the meta pages still hold what the snapshot read: if not, a
 * commit landed while the file was read, and the pages read before and
 * after it need not belong together.  (A commit still writing pages
 * writes only pages free under the newest meta; the pages of the older
 * meta, used only when the newer one is torn, may be reused by then,
 * which the walk's checks are there to catch.) */
static int
metas_same(int fd, const struct bolt *b)
{
	unsigned char now[HDR + META_LEN];
	size_t offs[2], i, n;
	ssize_t r;

	offs[0] = 0;
	offs[1] = b->psize ? b->psize : 4096;
	for (i = 0; i < 2; i++) {
		if (offs[i] >= b->len)
			break;
		n = b->len - offs[i] < sizeof(now) ? b->len - offs[i] :
		    sizeof(now);
		r = readat(fd, now, n, (off_t)offs[i]);
		if (r != (ssize_t)n || memcmp(now, b->buf + offs[i], n) != 0)
			return 0;
	}
	return 1;
}

int
bolt_open(struct bolt **out, const char *path, size_t max, char *err,
    size_t errsz)
{
	struct bolt *b = NULL;
	struct stat sb, sb2;
	ssize_t r;
	int fd, rc = BOLT_BAD, try, e;

	*out = NULL;
	/* a link or a fifo planted where the database goes is refused at
	 * open, before a read could block */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1) {
		e = errno;
		rt_seterr(err, errsz, "%s: %s", path, strerror(e));
		errno = e;
		return BOLT_SYS;
	}
	for (try = 0; try < TRIES; try++) {
		if (fstat(fd, &sb) == -1)
			goto sys;
		if (!S_ISREG(sb.st_mode)) {
			rt_seterr(err, errsz, "%s: not a regular file", path);
			rc = BOLT_BAD;
			goto out;
		}
		if ((uint64_t)sb.st_size > max) {
			rt_seterr(err, errsz,
			    "%s: %lld bytes, over the limit of "
			    "%zu", path, (long long)sb.st_size, max);
			rc = BOLT_TOOBIG;
			goto out;
		}
		if ((b = calloc(1, sizeof(*b))) == NULL ||
		    (b->buf = malloc(sb.st_size ? (size_t)sb.st_size : 1)) ==
		    NULL)
			goto nomem;
		if ((r = readat(fd, b->buf, (size_t)sb.st_size, 0)) == -1)
			goto sys;
		b->len = (size_t)r;
		rc = parse(b, err, errsz);
		if (rc == BOLT_SYS)
			goto out;
		if (fstat(fd, &sb2) == -1)
			goto sys;
		if (sb2.st_size == sb.st_size && metas_same(fd, b))
			break;
		bolt_free(b);
		b = NULL;
		rc = BOLT_BAD;
		rt_seterr(err, errsz, "%s: changed while read, %d times", path,
		    try + 1);
	}
	if (rc == BOLT_OK) {
		*out = b;
		b = NULL;
	} else if (b != NULL && err != NULL && errsz > 0) {
		/* the message names the file */
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		rt_seterr(err, errsz, "%s: %s", path, why);
	}
	goto out;
nomem:
	errno = ENOMEM;
sys:
	e = errno;
	rt_seterr(err, errsz, "%s: %s", path, strerror(e));
	rc = BOLT_SYS;
	errno = e;
out:
	bolt_free(b);
	close(fd);
	return rc;
}

void
bolt_close(struct bolt *b)
{
	bolt_free(b);
}

uint64_t
bolt_txid(const struct bolt *b)
{
	return b->txid;
}

void
bolt_root(const struct bolt *b, struct bolt_bucket *out)
{
	out->root = b->root;
	out->inl = NULL;
	out->inl_len = 0;
}

/* Finds key in a bucket: BOLT_OK with its element, BOLT_NOTFOUND,
 * BOLT_BAD. */
static int
find(const struct bolt *b, const struct bolt_bucket *bk, const void *key,
    size_t klen, uint32_t *flags, const unsigned char **val, size_t *vlen)
{
	const unsigned char *k, *v;
	struct node n;
	size_t kl, vl;
	uint32_t fl;
	uint64_t child = 0;
	unsigned lo, hi, mid;
	int depth, c;

	if (bucket_node(b, bk, &n) == -1)
		return BOLT_BAD;
	for (depth = 0; depth <= MAXDEPTH; depth++) {
		/* the first element whose key is not below key */
		lo = 0;
		hi = n.count;
		c = 1;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if ((k = elem(&n, mid, &kl, &v, &vl, &fl, &child)) ==
			    NULL)
				return BOLT_BAD;
			if (keycmp(k, kl, key, klen) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n.count) {
			k = elem(&n, lo, &kl, &v, &vl, &fl, &child);
			if (k == NULL)
				return BOLT_BAD;
			c = keycmp(k, kl, key, klen);
		}
		if (n.flags == F_LEAF) {
			if (lo == n.count || c != 0)
				return BOLT_NOTFOUND;
			*flags = fl;
			*val = v;
			*vlen = vl;
			return BOLT_OK;
		}
		/* a branch: the last child whose first key is not above key */
		if ((lo == n.count || c != 0) && lo > 0)
			lo--;
		if (elem(&n, lo, &kl, NULL, NULL, &fl, &child) == NULL ||
		    page_node(b, child, &n) == -1)
			return BOLT_BAD;
	}
	return BOLT_BAD;
}

int
bolt_bucket(const struct bolt *b, const struct bolt_bucket *parent,
    const void *name, size_t len, struct bolt_bucket *out)
{
	const unsigned char *v;
	size_t vl;
	uint32_t fl;
	int rc;

	if ((rc = find(b, parent, name, len, &fl, &v, &vl)) != BOLT_OK)
		return rc;
	if ((fl & LEAF_BUCKET) == 0)
		return BOLT_NOTFOUND;
	return bucket_from(v, vl, out) == 0 ? BOLT_OK : BOLT_BAD;
}

int
bolt_get(const struct bolt *b, const struct bolt_bucket *bk, const void *key,
    size_t klen, const void **val, size_t *vlen)
{
	const unsigned char *v;
	size_t vl;
	uint32_t fl;
	int rc;

	if ((rc = find(b, bk, key, klen, &fl, &v, &vl)) != BOLT_OK)
		return rc;
	if (fl & LEAF_BUCKET)
		return BOLT_NOTFOUND;
	*val = v;
	*vlen = vl;
	return BOLT_OK;
}

static int
each_node(const struct bolt *b, const struct node *n, int depth,
    bolt_each_cb cb, void *arg)
{
	const unsigned char *k, *v;
	struct bolt_bucket sub;
	struct node cn;
	size_t kl, vl;
	uint32_t fl;
	uint64_t child = 0;
	unsigned i;
	int rc;

	if (depth > MAXDEPTH)
		return BOLT_BAD;
	for (i = 0; i < n->count; i++) {
		if ((k = elem(n, i, &kl, &v, &vl, &fl, &child)) == NULL)
			return BOLT_BAD;
		if (n->flags == F_BRANCH) {
			if (page_node(b, child, &cn) == -1)
				return BOLT_BAD;
			rc = each_node(b, &cn, depth + 1, cb, arg);
		} else if (fl & LEAF_BUCKET) {
			if (bucket_from(v, vl, &sub) == -1)
				return BOLT_BAD;
			rc = cb(arg, k, kl, v, vl, &sub);
		} else
			rc = cb(arg, k, kl, v, vl, NULL);
		if (rc != 0)
			return rc;
	}
	return BOLT_OK;
}

int
bolt_each(const struct bolt *b, const struct bolt_bucket *bk,
    bolt_each_cb cb, void *arg)
{
	struct node n;

	if (bucket_node(b, bk, &n) == -1)
		return BOLT_BAD;
	return each_node(b, &n, 0, cb, arg);
}

int
bolt_path(const struct bolt *b, struct bolt_bucket *out, size_t n,
    const char *const *names)
{
	struct bolt_bucket cur;
	size_t i;
	int rc;

	bolt_root(b, &cur);
	for (i = 0; i < n; i++)
		if ((rc = bolt_bucket(b, &cur, names[i], strlen(names[i]),
		    &cur)) != BOLT_OK)
			return rc;
	*out = cur;
	return BOLT_OK;
}
