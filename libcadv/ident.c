/* Identity records: building them from parsed runtime state, and their
 * stored form (docs/SCHEMA.md "idents"). */
#include <errno.h>
#include <string.h>

#include "ident.h"
#include "le.h"
#include "schema.h"

_Static_assert(IDENT_HDR == 64, "IDENT_ENCODED_MAX counts a 64-byte header");

static const char *const rt_names[CADV_RT_MAX + 1] = {
	[CADV_RT_UNKNOWN] = "",
	[CADV_RT_DOCKER] = "docker",
	[CADV_RT_CONTAINERD] = "containerd",
	[CADV_RT_PODMAN] = "podman",
	[CADV_RT_CRIO] = "crio",
};

#define X_NAME(e, n) [CADV_IS_##e] = n,
static const char *const str_names[CADV_IS_COUNT] = {
	CADV_IDENT_STRINGS(X_NAME)
};
#undef X_NAME

const char *
ident_runtime_name(enum cadv_runtime r)
{
	return (unsigned)r <= CADV_RT_MAX ? rt_names[r] : "";
}

const char *
ident_str_name(enum cadv_ident_str s)
{
	return (unsigned)s < CADV_IS_COUNT ? str_names[s] : "";
}

void
ident_init(struct cadv_ident *id)
{
	/* the arena's first byte is the "" of every unset string */
	memset(id, 0, offsetof(struct cadv_ident, arena));
	id->arena[0] = '\0';
	id->used = 1;
}

/* Copies s into the arena; the span, or -1. */
static int
arena_add(struct cadv_ident *id, const char *s, size_t len, size_t max,
    struct cadv_ident_span *out)
{
	if (len > max || memchr(s, '\0', len) != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (len == 0) {
		out->off = out->len = 0;
		return 0;
	}
	if (len + 1 > IDENT_ARENA - id->used) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(id->arena + id->used, s, len);
	id->arena[id->used + len] = '\0';
	out->off = id->used;
	out->len = (uint32_t)len;
	id->used += (uint32_t)len + 1;
	return 0;
}

int
ident_set(struct cadv_ident *id, enum cadv_ident_str which, const char *s, size_t len)
{
	if ((unsigned)which >= CADV_IS_COUNT) {
		errno = EINVAL;
		return -1;
	}
	/* a replaced string's bytes stay in the arena: sources set each
	 * string about once, and the arena is sized for the worst case */
	return arena_add(id, s, len, IDENT_STR_MAX, &id->s[which]);
}

static int
kv_add(struct cadv_ident *id, struct cadv_ident_kv *kv, uint32_t *n, const char *k,
    size_t kl, const char *v, size_t vl)
{
	struct cadv_ident_kv nkv;
	uint32_t i;

	if (kl == 0) {
		errno = EINVAL;
		return -1;
	}
	if (arena_add(id, k, kl, IDENT_KEY_MAX, &nkv.k) == -1 ||
	    arena_add(id, v, vl, IDENT_STR_MAX, &nkv.v) == -1)
		return -1;
	for (i = 0; i < *n; i++)
		if (kv[i].k.len == kl &&
		    memcmp(id->arena + kv[i].k.off, k, kl) == 0) {
			kv[i].v = nkv.v;
			return 0;
		}
	if (*n >= IDENT_KV_MAX) {
		errno = ENOSPC;
		return -1;
	}
	kv[(*n)++] = nkv;
	return 0;
}

int
ident_add_label(struct cadv_ident *id, const char *k, size_t kl, const char *v,
    size_t vl)
{
	return kv_add(id, id->labels, &id->nlabels, k, kl, v, vl);
}

int
ident_add_env(struct cadv_ident *id, const char *k, size_t kl, const char *v,
    size_t vl)
{
	return kv_add(id, id->env, &id->nenv, k, kl, v, vl);
}

const char *
ident_span_str(const struct cadv_ident *id, struct cadv_ident_span sp)
{
	if (sp.len == 0 || sp.off >= IDENT_ARENA ||
	    sp.len >= IDENT_ARENA - sp.off)
		return "";
	return id->arena + sp.off;
}

const char *
ident_get(const struct cadv_ident *id, enum cadv_ident_str which, size_t *len)
{
	if ((unsigned)which >= CADV_IS_COUNT) {
		if (len != NULL)
			*len = 0;
		return "";
	}
	if (len != NULL)
		*len = id->s[which].len;
	return ident_span_str(id, id->s[which]);
}

const char *
ident_label(const struct cadv_ident *id, const char *key)
{
	size_t kl = strlen(key);
	uint32_t i;

	for (i = 0; i < id->nlabels; i++)
		if (id->labels[i].k.len == kl &&
		    memcmp(ident_span_str(id, id->labels[i].k), key, kl) == 0)
			return ident_span_str(id, id->labels[i].v);
	return NULL;
}

/* ---- stored form ---- */

struct enc {
	unsigned char	*p;
	size_t		 len, off;
	int		 full;
};

static void
enc_bytes(struct enc *e, const char *s, size_t len)
{
	if (e->full || len > 0xffff || 2 + len > e->len - e->off) {
		e->full = 1;
		return;
	}
	put16(e->p + e->off, (uint16_t)len);
	memcpy(e->p + e->off + 2, s, len);
	e->off += 2 + len;
}

static void
enc_kvs(struct enc *e, const struct cadv_ident *id, const struct cadv_ident_kv *kv,
    uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		enc_bytes(e, ident_span_str(id, kv[i].k), kv[i].k.len);
		enc_bytes(e, ident_span_str(id, kv[i].v), kv[i].v.len);
	}
}

size_t
ident_encode(const struct cadv_ident *id, unsigned char *out, size_t outsz)
{
	struct enc e = { out, outsz, IDENT_HDR, 0 };
	int i;

	if (outsz < IDENT_HDR)
		return 0;
	memset(out, 0, IDENT_HDR);
	put64(out + IR_SEEN, id->seen_ns);
	put64(out + IR_GONE, id->gone_ns);
	put64(out + IR_CREATED, id->created_ns);
	put64(out + IR_STARTED, id->started_ns);
	put64(out + IR_FINISHED, id->finished_ns);
	put16(out + IR_RUNTIME, (uint16_t)id->runtime);
	put16(out + IR_NSTR, CADV_IS_COUNT);
	put32(out + IR_FLAGS, id->flags);
	put32(out + IR_EXIT_CODE, (uint32_t)id->exit_code);
	put32(out + IR_RESTARTS, id->restart_count);
	put32(out + IR_PID, id->pid);
	put16(out + IR_NLABELS, (uint16_t)id->nlabels);
	put16(out + IR_NENV, (uint16_t)id->nenv);
	for (i = 0; i < CADV_IS_COUNT; i++)
		enc_bytes(&e, ident_span_str(id, id->s[i]), id->s[i].len);
	enc_kvs(&e, id, id->labels, id->nlabels);
	enc_kvs(&e, id, id->env, id->nenv);
	return e.full ? 0 : e.off;
}

struct dec {
	const unsigned char *p;
	size_t		 len, off;
};

/* The next length-prefixed bytes; -1 past the end. */
static int
dec_bytes(struct dec *d, const char **s, size_t *len)
{
	size_t n;

	if (d->len - d->off < 2)
		return -1;
	n = get16(d->p + d->off);
	if (n > d->len - d->off - 2)
		return -1;
	*s = (const char *)d->p + d->off + 2;
	*len = n;
	d->off += 2 + n;
	return 0;
}

static int
dec_kvs(struct dec *d, struct cadv_ident *id, uint32_t n, int env,
    const char **why)
{
	const char *k, *v;
	size_t kl, vl;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (dec_bytes(d, &k, &kl) == -1 || dec_bytes(d, &v, &vl) == -1) {
			*why = "a label or variable runs past the record";
			return -1;
		}
		if ((env ? ident_add_env(id, k, kl, v, vl) :
		    ident_add_label(id, k, kl, v, vl)) == -1) {
			*why = "a label or variable is empty, too long or "
			    "holds a NUL";
			return -1;
		}
	}
	return 0;
}

int
ident_decode(const unsigned char *p, size_t len, struct cadv_ident *id,
    const char **why)
{
	struct dec d = { p, len, IDENT_HDR };
	unsigned nstr, nlabels, nenv, i;
	const char *s;
	size_t sl;

	ident_init(id);
	if (len < IDENT_HDR) {
		*why = "shorter than its header";
		return -1;
	}
	id->seen_ns = get64(p + IR_SEEN);
	id->gone_ns = get64(p + IR_GONE);
	id->created_ns = get64(p + IR_CREATED);
	id->started_ns = get64(p + IR_STARTED);
	id->finished_ns = get64(p + IR_FINISHED);
	/* a runtime a later version knows reads as unknown */
	id->runtime = get16(p + IR_RUNTIME) <= CADV_RT_MAX ?
	    (enum cadv_runtime)get16(p + IR_RUNTIME) : CADV_RT_UNKNOWN;
	id->flags = get32(p + IR_FLAGS);
	id->exit_code = (int32_t)get32(p + IR_EXIT_CODE);
	id->restart_count = get32(p + IR_RESTARTS);
	id->pid = get32(p + IR_PID);
	nstr = get16(p + IR_NSTR);
	nlabels = get16(p + IR_NLABELS);
	nenv = get16(p + IR_NENV);
	if (nstr < CADV_IS_COUNT) {
		*why = "fewer strings than schema 5 has";
		return -1;
	}
	if (nlabels > IDENT_KV_MAX || nenv > IDENT_KV_MAX) {
		*why = "more labels or variables than a record holds";
		return -1;
	}
	for (i = 0; i < nstr; i++) {
		if (dec_bytes(&d, &s, &sl) == -1) {
			*why = "a string runs past the record";
			return -1;
		}
		if (i < CADV_IS_COUNT && ident_set(id, (enum cadv_ident_str)i, s, sl)
		    == -1) {
			*why = "a string is too long or holds a NUL";
			return -1;
		}
	}
	s = ident_get(id, CADV_IS_CGROUP, &sl);
	if (sl > 0 && !cgname_valid(s, sl)) {
		*why = "its cgroup is not a container name";
		return -1;
	}
	if (dec_kvs(&d, id, nlabels, 0, why) == -1 ||
	    dec_kvs(&d, id, nenv, 1, why) == -1)
		return -1;
	return 0;
}

static int
span_eq(const struct cadv_ident *a, struct cadv_ident_span x, const struct cadv_ident *b,
    struct cadv_ident_span y)
{
	return x.len == y.len && memcmp(ident_span_str(a, x),
	    ident_span_str(b, y), x.len) == 0;
}

static int
kvs_eq(const struct cadv_ident *a, const struct cadv_ident_kv *x, uint32_t nx,
    const struct cadv_ident *b, const struct cadv_ident_kv *y, uint32_t ny)
{
	uint32_t i;

	if (nx != ny)
		return 0;
	for (i = 0; i < nx; i++)
		if (!span_eq(a, x[i].k, b, y[i].k) ||
		    !span_eq(a, x[i].v, b, y[i].v))
			return 0;
	return 1;
}

int
ident_same(const struct cadv_ident *a, const struct cadv_ident *b)
{
	int i;

	if (a->runtime != b->runtime || a->flags != b->flags ||
	    a->exit_code != b->exit_code ||
	    a->restart_count != b->restart_count || a->pid != b->pid ||
	    a->created_ns != b->created_ns || a->started_ns != b->started_ns ||
	    a->finished_ns != b->finished_ns)
		return 0;
	for (i = 0; i < CADV_IS_COUNT; i++)
		if (!span_eq(a, a->s[i], b, b->s[i]))
			return 0;
	return kvs_eq(a, a->labels, a->nlabels, b, b->labels, b->nlabels) &&
	    kvs_eq(a, a->env, a->nenv, b, b->env, b->nenv);
}
