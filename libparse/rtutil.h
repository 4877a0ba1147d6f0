/* What the runtime sources (rt_*.c) share: reading a bounded regular file
 * without following links, RFC 3339 times as Go writes them, one JSON
 * document and its typed members, error notes into rt_scan_stats, and the
 * caller's error buffer.  Library code: nothing here prints or exits. */
#ifndef CADV_RTUTIL_H
#define CADV_RTUTIL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "ident.h"
#include "rtsource.h"

#define RT_ID_LEN	64	/* docker, podman, CRI-O ids: hex digits */

/* printf into err (nothing when err is NULL or errsz 0). */
void	rt_seterr(char *err, size_t errsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Counts one in *counter (st->unreadable or st->malformed) and keeps the
 * first message of the scan in st->first_error. */
void	rt_note(struct rt_scan_stats *st, unsigned *counter,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* 1 when s is RT_ID_LEN lowercase hex digits. */
int	rt_is_id(const char *s, size_t len);

/* The whole of a regular file of at most max bytes at dirfd/path
 * (AT_FDCWD for a plain path), never through a symbolic link as its last
 * component nor blocking on a FIFO: 0 with a malloc'd *buf, or -1 with
 * errno: ENOENT, EACCES..., ELOOP a link, EINVAL not a regular file,
 * EFBIG over max (a file that grows past max while read too). */
int	rt_read_at(int dirfd, const char *path, size_t max, char **buf,
	    size_t *len);
/* rt_read_at's errno in words: "too large", "not a regular file", "a
 * symbolic link", else strerror. */
const char *rt_read_why(int e);

/* An RFC 3339 time as Go writes it ("2006-01-02T15:04:05.999999999Z07:00":
 * encoding/json's time.Time) into ns since the epoch; Go's zero time and
 * anything before the epoch is 0 (unknown), digits past nanoseconds are
 * dropped.  -1 when malformed or past 2554 (uint64 ns). */
int	rt_time(const char *s, size_t len, uint64_t *ns);

/* One JSON document of type t (json_type_object or _array), the whole of
 * json (trailing white space aside), at most max bytes.  NULL with a
 * message in err, after "what: " when what is not NULL. */
struct json_object *rt_json_doc(const char *json, size_t len, size_t max,
	    enum json_type t, const char *what, char *err, size_t errsz);
/* o[key] (o may be NULL): 1 with *v when it holds a value of type t; 0
 * when absent or null; -1 with "key is not <a t>" in err otherwise. */
int	rt_json_field(struct json_object *o, const char *key,
	    enum json_type t, struct json_object **v, char *err, size_t errsz);
/* A time member (rt_time): 1 with *ns, 0 absent (*ns 0), -1 with a
 * message when not a string or not such a time. */
int	rt_json_time(struct json_object *o, const char *key, uint64_t *ns,
	    char *err, size_t errsz);
/* ident_set, or -1 with "key holds a NUL or is too long" / "key does not
 * fit" in err. */
int	rt_ident_set(struct cadv_ident *id, enum cadv_ident_str which, const char *key,
	    const char *s, size_t len, char *err, size_t errsz);
/* The "NAME=value" strings of an array (an OCI process.env) that cfg's
 * allow-list names, into id's env; other elements are skipped, and the
 * rest once id has no more room. */
void	rt_add_env(const struct rt_config *cfg, struct cadv_ident *id,
	    struct json_object *env);

/* paths[n] = a followed by b, when n < max and it fits: the new count. */
size_t	rt_watch_add(char paths[][PATH_MAX], size_t n, size_t max,
	    const char *a, const char *b);

#endif
