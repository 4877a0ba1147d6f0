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

#include "cgname.h"

enum ident_runtime {
	RT_UNKNOWN = 0,
	RT_DOCKER = 1,
	RT_CONTAINERD = 2,	/* ctr, nerdctl, and the CRI plugin */
	RT_PODMAN = 3,
	RT_CRIO = 4,
};
#define RT_MAX		4

/* The strings of an ident, in stored order (SCHEMA.md "idents"). */
#define IDENT_STRINGS(X) \
	X(IS_ID,		"id")		/* runtime's container id */ \
	X(IS_CGROUP,		"cgroup")	/* cadv container name */ \
	X(IS_NAME,		"name")		/* first alias ("" none) */ \
	X(IS_IMAGE,		"image")	/* as cAdvisor's label */ \
	X(IS_RT_NAMESPACE,	"rt_namespace")	/* containerd namespace */ \
	X(IS_POD_NAME,		"pod")		/* Kubernetes pod */ \
	X(IS_POD_NAMESPACE,	"namespace") \
	X(IS_POD_UID,		"pod_uid") \
	X(IS_CONTAINER_NAME,	"container")	/* in the pod spec */ \
	X(IS_SANDBOX_ID,	"sandbox_id")	/* the pod's pause container */ \
	X(IS_NETNS_OWNER,	"netns_owner")	/* id whose netns it shares */
#define X_ENUM(e, n) e,
enum ident_str { IDENT_STRINGS(X_ENUM) IS_COUNT };
#undef X_ENUM

enum ident_flags {
	IDF_SANDBOX = 1u << 0,	/* a pod's sandbox (pause) container */
	IDF_POD = 1u << 1,	/* a pod-level cgroup (kubepods/.../pod<uid>) */
	IDF_EXITED = 1u << 2,	/* exit_code and finished_ns are known */
	IDF_OOM_KILLED = 1u << 3, /* the runtime recorded an OOM kill */
};

#define IDENT_STR_MAX	4096	/* any one string or label value */
#define IDENT_KEY_MAX	256	/* a label or variable name */
#define IDENT_KV_MAX	256	/* labels; allow-listed variables */
#define IDENT_ARENA	65536
/* The most ident_encode writes: header, lengths, and the arena's bytes
 * (which bound every string) */
#define IDENT_ENCODED_MAX (64 + 2 * (IS_COUNT + 4 * IDENT_KV_MAX) + \
	IDENT_ARENA)

struct ident_span {
	uint32_t	off, len;
};

struct ident_kv {
	struct ident_span k, v;
};

struct ident {
	enum ident_runtime runtime;
	uint32_t	flags;		/* enum ident_flags */
	int32_t		exit_code;	/* with IDF_EXITED */
	uint32_t	restart_count;
	uint32_t	pid;		/* main process, 0 unknown */
	uint64_t	created_ns;	/* by the runtime, 0 unknown */
	uint64_t	started_ns;
	uint64_t	finished_ns;
	/* set by identd, not by sources */
	uint64_t	seen_ns;	/* first stored */
	uint64_t	gone_ns;	/* runtime dropped it, 0 while known */
	struct ident_span s[IS_COUNT];
	uint32_t	nlabels, nenv;
	struct ident_kv	labels[IDENT_KV_MAX];
	struct ident_kv	env[IDENT_KV_MAX];
	uint32_t	used;		/* arena bytes */
	char		arena[IDENT_ARENA];	/* each string NUL-ended */
};

void	ident_init(struct ident *);
/* Copies a string in (replacing any earlier value); -1 with errno ENOSPC
 * when it does not fit, EINVAL when it holds a NUL or exceeds
 * IDENT_STR_MAX.  Strings are bytes: no encoding is assumed. */
int	ident_set(struct ident *, enum ident_str, const char *, size_t);
/* Appends a label or variable; -1 (ENOSPC, EINVAL) as ident_set.  A key
 * already present is replaced. */
int	ident_add_label(struct ident *, const char *k, size_t kl,
	    const char *v, size_t vl);
int	ident_add_env(struct ident *, const char *k, size_t kl,
	    const char *v, size_t vl);
/* The string (NUL-ended; "" when unset) and its length. */
const char *ident_get(const struct ident *, enum ident_str, size_t *len);
const char *ident_span_str(const struct ident *, struct ident_span);
/* A label's value by key, NULL when absent. */
const char *ident_label(const struct ident *, const char *key);

const char *ident_runtime_name(enum ident_runtime);	/* "docker" ... */
const char *ident_str_name(enum ident_str);		/* "id" ... */

/* The stored form (SCHEMA.md "idents"): encode returns the size, 0 when
 * out is too small; decode returns 0, or -1 with *why when the bytes are
 * not a valid record.  The same bytes cross identd's internal pipe. */
size_t	ident_encode(const struct ident *, unsigned char *out, size_t);
int	ident_decode(const unsigned char *, size_t, struct ident *,
	    const char **why);
/* 1 when a and b say the same (seen_ns and gone_ns aside). */
int	ident_same(const struct ident *a, const struct ident *b);

#endif
