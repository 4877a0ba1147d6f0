/* Container names: the cgroup path relative to its hierarchy root, "/" for
 * the root itself.  Components hold any byte but NUL and '/', so names are
 * carried as (pointer, length) and never as C strings on the wire. */
#ifndef CADV_CGNAME_H
#define CADV_CGNAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CGNAME_MAX 4096		/* PATH_MAX: no cgroup path is longer */

/* 1 if name is "/" or "/c1/c2..." with non-empty components other than
 * "." and "..", no NUL and no trailing '/'. */
int cgname_valid(const char *name, size_t len);

/* Text form for line-oriented output: printable ASCII and valid UTF-8 pass
 * through, '\\' becomes "\\\\", any other byte "\\xNN".  The mapping is
 * reversible (cgname_unescape) and its result is valid UTF-8 without
 * control characters.  Returns the length of the escaped form; writes at
 * most outsz-1 bytes plus NUL. */
size_t cgname_escape(const char *name, size_t len, char *out, size_t outsz);
/* Worst case escaped size, NUL included. */
#define CGNAME_ESCAPED_MAX(len) ((len) * 4 + 1)
void cgname_fputs(const char *name, size_t len, FILE *fp);

/* Inverse of cgname_escape; -1 on a malformed escape.  out must hold len
 * bytes. */
int cgname_unescape(const char *text, size_t len, char *out, size_t *outlen);

/* The value of a hex digit, -1 if c is not one. */
int cgname_hexval(char c);

/* FNV-1a 64: the name index hash (docs/SCHEMA.md). */
uint64_t cgname_hash(const void *name, size_t len);

/* Appends "/child" to parent (which may be "/") into out; -1 if the result
 * would exceed CGNAME_MAX or child is not a valid component. */
int cgname_join(const char *parent, size_t plen, const char *child,
    size_t clen, char *out, size_t *outlen);

/* 1 if name equals prefix or lies below it at a '/' boundary. */
int cgname_is_under(const char *name, size_t len, const char *prefix,
    size_t plen);

/* A user's spelling of a name, cAdvisor's way: "/" prepended, repeated
 * and trailing '/' dropped.  out holds CGNAME_MAX bytes; -1 if the result
 * is too long or not a valid name (a "." or ".." component). */
int cgname_clean(const char *in, size_t len, char *out, size_t *outlen);

#endif
