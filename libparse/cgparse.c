#include "cgparse.h"

#include <stdlib.h>
#include <string.h>

/* A cursor over a buffer of lines. */
struct lines {
	const char	*p, *end;
};

static int
next_line(struct lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->p >= l->end)
		return 0;
	*s = l->p;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	*n = (size_t)((nl ? nl : l->end) - l->p);
	l->p = nl ? nl + 1 : l->end;
	return 1;
}

/* Decimal digits at s (at most n bytes); advances *used. */
static int
parse_dec(const char *s, size_t n, uint64_t *out, size_t *used)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0)
		return -1;
	*out = v;
	*used = i;
	return 0;
}

static size_t
trim_end(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t'))
		n--;
	return n;
}

int
cgp_u64(const char *buf, size_t len, uint64_t *out)
{
	size_t used;

	len = trim_end(buf, len);
	if (len == 3 && memcmp(buf, "max", 3) == 0) {
		*out = CADV_UNLIMITED;
		return 0;
	}
	if (parse_dec(buf, len, out, &used) == -1 || used != len)
		return -1;
	return 0;
}

int
cgp_i64(const char *buf, size_t len, int64_t *out)
{
	uint64_t v;
	int neg = 0;

	len = trim_end(buf, len);
	if (len > 0 && buf[0] == '-') {
		neg = 1;
		buf++;
		len--;
	}
	if (cgp_u64(buf, len, &v) == -1 || v == CADV_UNLIMITED ||
	    v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

/* key: klen bytes of the file, NULs possible; name: a C string */
static int
key_cmp(const char *key, size_t klen, const char *name)
{
	size_t nlen = strlen(name);
	int c = memcmp(key, name, klen < nlen ? klen : nlen);

	if (c != 0)
		return c;
	return klen < nlen ? -1 : klen > nlen;
}

size_t
cgp_kv(const char *buf, size_t len, const char *const *keys, size_t nkeys,
    uint64_t *vals, uint64_t *found)
{
	struct lines l = { buf, buf + len };
	const char *s;
	size_t n, bad = 0;

	while (next_line(&l, &s, &n)) {
		const char *sp = memchr(s, ' ', n);
		size_t klen, lo = 0, hi = nkeys, used;
		uint64_t v;

		if (n == 0)
			continue;
		if (sp == NULL) {
			bad++;
			continue;
		}
		klen = (size_t)(sp - s);
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = key_cmp(s, klen, keys[mid]);

			if (c == 0) {
				lo = mid;
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (lo >= nkeys || key_cmp(s, klen, keys[lo]) != 0)
			continue;
		if (parse_dec(sp + 1, n - klen - 1, &v, &used) == -1 ||
		    klen + 1 + used != trim_end(s, n)) {
			bad++;
			continue;
		}
		vals[lo] = v;
		*found |= 1ULL << lo;
	}
	return bad;
}

int
cgp_u64_list(const char *buf, size_t len, uint64_t *out, size_t max,
    size_t *n)
{
	size_t i = 0, used;

	*n = 0;
	len = trim_end(buf, len);
	while (i < len) {
		if (buf[i] == ' ') {
			i++;
			continue;
		}
		if (*n == max || parse_dec(buf + i, len - i, &out[*n], &used))
			return -1;
		(*n)++;
		i += used;
		if (i < len && buf[i] != ' ')
			return -1;
	}
	return 0;
}

/* "0.22" -> 2200 ppm; tolerant of any number of decimals. */
static int
parse_pct(const char *s, size_t n, uint64_t *ppm)
{
	uint64_t ip, frac = 0, scale = 10000;
	size_t used, i;

	if (parse_dec(s, n, &ip, &used) == -1 || ip > 100)
		return -1;
	i = used;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			scale /= 10;
			frac += (uint64_t)(s[i] - '0') * scale;
		}
	}
	if (i != n)
		return -1;
	*ppm = ip * 10000 + frac;
	return 0;
}

static int
psi_line(const char *s, size_t n, struct cgp_psi *p)
{
	unsigned seen = 0;
	size_t i = 0;

	while (i < n) {
		const char *tok = s + i, *eq;
		size_t tlen;

		while (i < n && s[i] != ' ')
			i++;
		tlen = (size_t)(s + i - tok);
		i++;
		eq = memchr(tok, '=', tlen);
		if (eq == NULL)
			return -1;
		{
			size_t klen = (size_t)(eq - tok), vlen = tlen - klen - 1;
			const char *v = eq + 1;
			size_t used;

			if (klen == 5 && memcmp(tok, "avg10", 5) == 0) {
				if (parse_pct(v, vlen, &p->avg10))
					return -1;
				seen |= 1;
			} else if (klen == 5 && memcmp(tok, "avg60", 5) == 0) {
				if (parse_pct(v, vlen, &p->avg60))
					return -1;
				seen |= 2;
			} else if (klen == 6 && memcmp(tok, "avg300", 6) == 0) {
				if (parse_pct(v, vlen, &p->avg300))
					return -1;
				seen |= 4;
			} else if (klen == 5 && memcmp(tok, "total", 5) == 0) {
				if (parse_dec(v, vlen, &p->total_us, &used) ||
				    used != vlen)
					return -1;
				seen |= 8;
			}
		}
	}
	return seen == 15 ? 0 : -1;
}

int
cgp_psi(const char *buf, size_t len, struct cgp_psi *some,
    struct cgp_psi *full, unsigned *has)
{
	struct lines l = { buf, buf + len };
	const char *s;
	size_t n;

	*has = 0;
	while (next_line(&l, &s, &n)) {
		n = trim_end(s, n);
		if (n > 5 && memcmp(s, "some ", 5) == 0) {
			if (psi_line(s + 5, n - 5, some) == 0)
				*has |= 1;
		} else if (n > 5 && memcmp(s, "full ", 5) == 0) {
			if (psi_line(s + 5, n - 5, full) == 0)
				*has |= 2;
		}
	}
	return *has ? 0 : -1;
}

/* "MAJ:MIN" at s; returns bytes used or 0. */
static size_t
parse_dev(const char *s, size_t n, uint32_t *maj, uint32_t *min)
{
	uint64_t a, b;
	size_t u1, u2;

	if (parse_dec(s, n, &a, &u1) == -1 || u1 >= n || s[u1] != ':' ||
	    parse_dec(s + u1 + 1, n - u1 - 1, &b, &u2) == -1 ||
	    a > UINT32_MAX || b > UINT32_MAX)
		return 0;
	*maj = (uint32_t)a;
	*min = (uint32_t)b;
	return u1 + 1 + u2;
}

/* The device's slot in blk (and xio, when given), made if new. */
static struct cadv_blk *
blk_slot(struct cgp_blk *d, uint32_t maj, uint32_t min)
{
	size_t i;

	for (i = 0; i < *d->n; i++)
		if (d->blk[i].major == maj && d->blk[i].minor == min)
			return &d->blk[i];
	if (*d->n == d->max)
		return NULL;
	i = (*d->n)++;
	memset(&d->blk[i], 0, sizeof(d->blk[i]));
	if (d->xio != NULL)
		memset(&d->xio[i], 0, sizeof(d->xio[i]));
	d->blk[i].major = maj;
	d->blk[i].minor = min;
	return &d->blk[i];
}

static void
blk_extra(struct cgp_blk *d, const struct cadv_blk *b,
    enum cadv_diskio_counter c, uint64_t v)
{
	if (d->xio == NULL)
		return;
	d->xio[b - d->blk].v[c] = v;
	d->xio[b - d->blk].present |= 1ULL << c;
	*d->xpresent |= 1ULL << c;
}

int
cgp_blkio_v1(const char *buf, size_t len, enum cgp_blk_kind kind,
    struct cgp_blk *d)
{
	static const struct {
		const char	*op;
		size_t		 len;
		enum cadv_diskio_counter bytes, ops;
	} extra[] = {
		{ "Sync ", 5, CADV_DX_SYNC_BYTES, CADV_DX_SYNC_OPS },
		{ "Async ", 6, CADV_DX_ASYNC_BYTES, CADV_DX_ASYNC_OPS },
		{ "Discard ", 8, CADV_DX_DISCARD_BYTES, CADV_DX_DISCARD_OPS },
	};
	struct lines l = { buf, buf + len };
	const char *s;
	size_t ln;
	int bad = 0;

	while (next_line(&l, &s, &ln)) {
		uint32_t maj, min;
		size_t used = parse_dev(s, ln, &maj, &min), u;
		const char *op;
		struct cadv_blk *b;
		uint64_t v;
		size_t oplen, x;
		int is_read = -1;

		if (used == 0)
			continue;	/* "Total N" and blank lines */
		if (used >= ln || s[used] != ' ') {
			bad = 1;
			continue;
		}
		op = s + used + 1;
		oplen = ln - used - 1;
		x = sizeof(extra) / sizeof(extra[0]);
		if (oplen > 5 && memcmp(op, "Read ", 5) == 0) {
			is_read = 1;
			op += 5;
		} else if (oplen > 6 && memcmp(op, "Write ", 6) == 0) {
			is_read = 0;
			op += 6;
		} else {
			for (x = 0; x < sizeof(extra) / sizeof(extra[0]); x++)
				if (oplen > extra[x].len &&
				    memcmp(op, extra[x].op, extra[x].len) == 0)
					break;
			if (x == sizeof(extra) / sizeof(extra[0]))
				continue;	/* Total: Sync + Async */
			op += extra[x].len;
		}
		if (parse_dec(op, (size_t)(s + ln - op), &v, &u) == -1) {
			bad = 1;
			continue;
		}
		if ((b = blk_slot(d, maj, min)) == NULL)
			return -1;
		if (is_read < 0)
			blk_extra(d, b, kind == CGP_BLK_BYTES ? extra[x].bytes :
			    extra[x].ops, v);
		else if (kind == CGP_BLK_BYTES)
			*(is_read ? &b->read_bytes : &b->write_bytes) = v;
		else
			*(is_read ? &b->read_ops : &b->write_ops) = v;
	}
	return bad ? -1 : 0;
}

int
cgp_iostat_v2(const char *buf, size_t len, struct cgp_blk *d)
{
	/* the extras io.stat has, and the factor to their stored unit */
	static const struct {
		const char	*key;
		enum cadv_diskio_counter c;
		uint64_t	 mul;
	} extra[] = {
		{ "dbytes", CADV_DX_DISCARD_BYTES, 1 },
		{ "dios", CADV_DX_DISCARD_OPS, 1 },
		{ "cost.usage", CADV_DX_COST_USAGE, 1000 },	/* us -> ns */
		{ "cost.wait", CADV_DX_COST_WAIT, 1000 },
		{ "cost.indebt", CADV_DX_COST_INDEBT, 1000 },
		{ "cost.indelay", CADV_DX_COST_INDELAY, 1000 },
	};
	enum { NEXTRA = sizeof(extra) / sizeof(extra[0]) };
	struct lines l = { buf, buf + len };
	const char *s;
	size_t ln;
	int bad = 0;

	while (next_line(&l, &s, &ln)) {
		uint32_t maj, min;
		size_t i = parse_dev(s, ln, &maj, &min);
		struct cadv_blk *b;

		if (i == 0) {
			if (trim_end(s, ln) != 0)
				bad = 1;
			continue;
		}
		{
			struct cadv_blk one;
			uint64_t xv[NEXTRA] = { 0 };
			unsigned xseen = 0;
			size_t x;
			int any = 0;

			memset(&one, 0, sizeof(one));
			while (i < ln) {
				const char *tok, *eq;
				size_t tlen, used, vlen;
				uint64_t v, *dst = NULL;

				while (i < ln && s[i] == ' ')
					i++;
				tok = s + i;
				while (i < ln && s[i] != ' ')
					i++;
				tlen = (size_t)(s + i - tok);
				if (tlen == 0 ||
				    (eq = memchr(tok, '=', tlen)) == NULL)
					continue;
#define KEY(k) ((size_t)(eq - tok) == sizeof(k) - 1 && \
	memcmp(tok, k, sizeof(k) - 1) == 0)
				if (KEY("rbytes"))
					dst = &one.read_bytes;
				else if (KEY("wbytes"))
					dst = &one.write_bytes;
				else if (KEY("rios"))
					dst = &one.read_ops;
				else if (KEY("wios"))
					dst = &one.write_ops;
				for (x = 0; dst == NULL && x < NEXTRA; x++)
					if ((size_t)(eq - tok) ==
					    strlen(extra[x].key) && memcmp(tok,
					    extra[x].key, (size_t)(eq - tok)) == 0)
						break;
#undef KEY
				if (dst == NULL && x == NEXTRA)
					continue;	/* use_delay, ... */
				vlen = (size_t)(tok + tlen - eq - 1);
				if (parse_dec(eq + 1, vlen, &v, &used) == -1 ||
				    used != vlen) {
					bad = 1;
					continue;
				}
				if (dst != NULL)
					*dst = v;
				else if (v > UINT64_MAX / extra[x].mul) {
					bad = 1;
					continue;
				} else {
					xv[x] = v * extra[x].mul;
					xseen |= 1u << x;
				}
				any = 1;
			}
			/* a bare "MAJ:MIN" line has nothing to count */
			if (!any)
				continue;
			if ((b = blk_slot(d, maj, min)) == NULL)
				return -1;
			for (x = 0; x < NEXTRA; x++)
				if (xseen & (1u << x))
					blk_extra(d, b, extra[x].c, xv[x]);
			b->read_bytes = one.read_bytes;
			b->write_bytes = one.write_bytes;
			b->read_ops = one.read_ops;
			b->write_ops = one.write_ops;
		}
	}
	return bad ? -1 : 0;
}

int
cgp_cpu_max(const char *buf, size_t len, uint64_t *quota, uint64_t *period)
{
	const char *sp;

	len = trim_end(buf, len);
	if ((sp = memchr(buf, ' ', len)) == NULL)
		return -1;
	if (cgp_u64(buf, (size_t)(sp - buf), quota) == -1 ||
	    cgp_u64(sp + 1, (size_t)(buf + len - sp - 1), period) == -1 ||
	    *period == CADV_UNLIMITED)
		return -1;
	return 0;
}

uint64_t
cgp_weight_to_shares(uint64_t w)
{
	if (w < 1)
		w = 1;
	if (w > 10000)
		w = 10000;
	return 2 + (w - 1) * 262142 / 9999;
}

int
cgp_netdev(const char *buf, size_t len, struct cadv_net *ifs, size_t max,
    size_t *n)
{
	struct lines l = { buf, buf + len };
	const char *s;
	size_t ln;

	*n = 0;
	while (next_line(&l, &s, &ln)) {
		const char *colon = memchr(s, ':', ln), *p, *name;
		uint64_t v[16];
		size_t nlen, i, used;
		struct cadv_net *f;

		if (colon == NULL)
			continue;	/* the two header lines */
		for (name = s; name < colon && *name == ' '; name++)
			;
		nlen = (size_t)(colon - name);
		if (nlen == 0 || nlen >= NET_IFNAME_LEN)
			return -1;
		if (nlen == 2 && memcmp(name, "lo", 2) == 0)
			continue;
		p = colon + 1;
		for (i = 0; i < 16; i++) {
			while (p < s + ln && *p == ' ')
				p++;
			if (parse_dec(p, (size_t)(s + ln - p), &v[i], &used))
				return -1;
			p += used;
		}
		if (*n == max)
			return -1;
		f = &ifs[(*n)++];
		memset(f, 0, sizeof(*f));
		memcpy(f->name, name, nlen);
		/* rx: bytes packets errs drop fifo frame compressed multicast;
		 * tx: bytes packets errs drop ... */
		f->rx_bytes = v[0];
		f->rx_packets = v[1];
		f->rx_errors = v[2];
		f->rx_dropped = v[3];
		f->tx_bytes = v[8];
		f->tx_packets = v[9];
		f->tx_errors = v[10];
		f->tx_dropped = v[11];
	}
	return 0;
}

size_t
cgp_count_pids(const char *buf, size_t len, uint32_t *first)
{
	struct lines l = { buf, buf + len };
	const char *s;
	size_t n, count = 0, used;
	uint64_t v;

	*first = 0;
	while (next_line(&l, &s, &n)) {
		if (n == 0)
			continue;
		if (count == 0 && parse_dec(s, n, &v, &used) == 0 &&
		    v <= UINT32_MAX)
			*first = (uint32_t)v;
		count++;
	}
	return count;
}

int
cgp_pids(const char *buf, size_t len, uint32_t *pids, size_t max, size_t *n)
{
	struct lines l = { buf, buf + len };
	const char *s;
	size_t ln, used;
	uint64_t v;

	*n = 0;
	while (next_line(&l, &s, &ln)) {
		if (ln == 0)
			continue;
		if (parse_dec(s, ln, &v, &used) == -1 || used != ln ||
		    v == 0 || v > UINT32_MAX || *n == max)
			return -1;
		pids[(*n)++] = (uint32_t)v;
	}
	return 0;
}

/* One column of /proc/PID/limits: digits or "unlimited"; *used is its
 * length. */
static int
limit_value(const char *s, size_t n, uint64_t *out, size_t *used)
{
	if (n >= 9 && memcmp(s, "unlimited", 9) == 0) {
		*out = CADV_UNLIMITED;
		*used = 9;
		return 0;
	}
	return parse_dec(s, n, out, used);
}

static size_t
skip_spaces(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	return i;
}

int
cgp_limit(const char *buf, size_t len, const char *name, uint64_t *soft,
    uint64_t *hard)
{
	struct lines l = { buf, buf + len };
	size_t nlen = strlen(name), ln, i, used;
	const char *s;

	while (next_line(&l, &s, &ln)) {
		/* the name column is padded with spaces: a longer name
		 * sharing the prefix has no space there */
		if (ln <= nlen || memcmp(s, name, nlen) != 0 || s[nlen] != ' ')
			continue;
		i = nlen + skip_spaces(s + nlen, ln - nlen);
		if (limit_value(s + i, ln - i, soft, &used) == -1)
			return -1;
		i += used;
		if ((used = skip_spaces(s + i, ln - i)) == 0)
			return -1;
		i += used;
		if (limit_value(s + i, ln - i, hard, &used) == -1)
			return -1;
		i += used;
		/* then the units column, or the line's end */
		return i == ln || s[i] == ' ' ? 0 : -1;
	}
	return -1;
}
