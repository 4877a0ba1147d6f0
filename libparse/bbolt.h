/* A read-only reader of bbolt files (go.etcd.io/bbolt), the databases in
 * which containerd (meta.db) and podman 4 (bolt_state.db) keep container
 * metadata.  The file is read whole into memory and never locked: the
 * runtime keeps it open and writes to it, so a snapshot is validated (a
 * meta page whose checksum holds, the newer of the two; every page
 * reference inside the file; no cycles) and a torn one is refused, to be
 * retried.  Input is untrusted: any bytes give an error, never a crash. */
#ifndef CADV_BBOLT_H
#define CADV_BBOLT_H

#include <stddef.h>
#include <stdint.h>

enum bolt_error {
	BOLT_OK = 0,
	BOLT_NOTFOUND = 1,	/* no such key or bucket */
	BOLT_BAD = -1,		/* not a bbolt file, or damaged/torn */
	BOLT_SYS = -2,		/* open/read failed: errno */
	BOLT_TOOBIG = -3,	/* larger than the limit given */
};

struct bolt;			/* one snapshot */

/* A bucket: where its root is (a page, or inline in its parent's value).
 * Valid while its snapshot is open. */
struct bolt_bucket {
	uint64_t	root;		/* page id, 0 for an inline bucket */
	const unsigned char *inl;	/* the inline page */
	size_t		inl_len;
};

/* Reads path (at most max bytes) and validates it.  On error *err says
 * why in a sentence. */
int	bolt_open(struct bolt **, const char *path, size_t max, char *err,
	    size_t errsz);
/* The same over bytes already in memory (tests, fuzzing); buf is copied. */
int	bolt_load(struct bolt **, const void *buf, size_t len, char *err,
	    size_t errsz);
void	bolt_close(struct bolt *);
uint64_t bolt_txid(const struct bolt *);	/* of the meta page used */

void	bolt_root(const struct bolt *, struct bolt_bucket *);
/* A sub-bucket by name: BOLT_OK, BOLT_NOTFOUND, BOLT_BAD. */
int	bolt_bucket(const struct bolt *, const struct bolt_bucket *parent,
	    const void *name, size_t len, struct bolt_bucket *out);
/* A plain value by key; *val points into the snapshot. */
int	bolt_get(const struct bolt *, const struct bolt_bucket *,
	    const void *key, size_t klen, const void **val, size_t *vlen);
/* Each entry in key order; a sub-bucket comes with its bucket in *sub
 * (sub is NULL for a plain value; val is then the bucket's header).  A
 * non-zero return from cb stops the walk and is returned: callbacks
 * return positive values, told apart from BOLT_BAD. */
typedef int (*bolt_each_cb)(void *arg, const void *key, size_t klen,
    const void *val, size_t vlen, const struct bolt_bucket *sub);
int	bolt_each(const struct bolt *, const struct bolt_bucket *,
	    bolt_each_cb, void *arg);
/* Follows a path of bucket names from the root: BOLT_OK/NOTFOUND/BAD. */
int	bolt_path(const struct bolt *, struct bolt_bucket *out, size_t n,
	    const char *const *names);

#endif
