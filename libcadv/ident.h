/* A container's runtime identity: who made the cgroup (docker, containerd,
 * podman, CRI-O), under which id, names, image, labels, pod.  The runtime
 * sources (rt_*.h) fill one from the runtime's own record of the cgroup
 * path; identd stores it (TBL_IDENTS, docs/SCHEMA.md) and every reader
 * joins it to containers and events by cgroup name at read time.
 *
 * Strings live in one arena inside the struct: an ident is one flat value,
 * copied with memcpy, never freed.  Every string is bounded and may hold
 * any byte but NUL (runtime state is untrusted). */
#ifndef CADV_IDENT_H
#define CADV_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "cadv.h"
#include "cgname.h"


#define IDENT_STR_MAX	CADV_IDENT_STR_MAX
#define IDENT_KEY_MAX	CADV_IDENT_KEY_MAX
#define IDENT_KV_MAX	CADV_IDENT_KV_MAX
#define IDENT_ARENA	CADV_IDENT_ARENA
/* The most ident_encode writes: header, lengths, and the arena's bytes
 * (which bound every string) */
#define IDENT_ENCODED_MAX (64 + 2 * (CADV_IS_COUNT + 4 * IDENT_KV_MAX) + \
	IDENT_ARENA)

void	ident_init(struct cadv_ident *);
/* Copies a string in (replacing any earlier value); -1 with errno ENOSPC
 * when it does not fit, EINVAL when it holds a NUL or exceeds
 * IDENT_STR_MAX.  Strings are bytes: no encoding is assumed. */
int	ident_set(struct cadv_ident *, enum cadv_ident_str, const char *, size_t);
/* Appends a label or variable; -1 (ENOSPC, EINVAL) as ident_set.  A key
 * already present is replaced. */
int	ident_add_label(struct cadv_ident *, const char *k, size_t kl,
	    const char *v, size_t vl);
int	ident_add_env(struct cadv_ident *, const char *k, size_t kl,
	    const char *v, size_t vl);
/* The string (NUL-ended; "" when unset) and its length. */
const char *ident_get(const struct cadv_ident *, enum cadv_ident_str, size_t *len);
const char *ident_span_str(const struct cadv_ident *, struct cadv_ident_span);
/* A label's value by key, NULL when absent. */
const char *ident_label(const struct cadv_ident *, const char *key);

const char *ident_runtime_name(enum cadv_runtime);	/* "docker" ... */
const char *ident_str_name(enum cadv_ident_str);		/* "id" ... */

/* The stored form (SCHEMA.md "idents"): encode returns the size, 0 when
 * out is too small; decode returns 0, or -1 with *why when the bytes are
 * not a valid record.  The same bytes cross identd's internal pipe. */
size_t	ident_encode(const struct cadv_ident *, unsigned char *out, size_t);
int	ident_decode(const unsigned char *, size_t, struct cadv_ident *,
	    const char **why);
/* 1 when a and b say the same (seen_ns and gone_ns aside). */
int	ident_same(const struct cadv_ident *a, const struct cadv_ident *b);

#endif
