/* Container names: the cgroup path relative to its hierarchy root, "/" for
 * the root itself.  Components hold any byte but NUL and '/', so names are
 * carried as (pointer, length) and never as C strings on the wire. */
#ifndef CADV_CGNAME_H
#define CADV_CGNAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cadv.h"

#define CGNAME_MAX CADV_NAME_MAX	/* PATH_MAX: no cgroup path is longer */

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
 * bytes.  Lenient: it also takes escapes cgname_escape would not write
 * (upper-case hex, "\\x41" for 'A'). */
int cgname_unescape(const char *text, size_t len, char *out, size_t *outlen);

/* Why a text is not a name in cgname_escape's form. */
enum cgname_unesc {
	CGNAME_UNESC_OK = 0,
	CGNAME_UNESC_TRAILING,	/* a '\\' that ends the text */
	CGNAME_UNESC_UNKNOWN,	/* '\\' followed by neither '\\' nor 'x' */
	CGNAME_UNESC_HEX,	/* "\\x" not followed by two hex digits */
	CGNAME_UNESC_UPPER,	/* strict: upper-case hex digits */
	CGNAME_UNESC_NEEDLESS,	/* strict: an escaped byte that
				 * cgname_escape writes as itself */
};

/* Refuse every escape that cgname_escape would not have written where it
 * stands, so that an escape in a user's text always means what cadv meant
 * by it: "\\x2d" (systemd's spelling of '-', which cadv prints
 * "\\\\x2d") is an error, not the name with a '-'.  Bytes outside
 * escapes are taken as they are even where cadv would escape them: they
 * cannot be misread. */
#define CGNAME_UNESC_STRICT	0x1

/* cgname_unescape with flags and the reason: CGNAME_UNESC_OK, or the first
 * fault with the offset of its '\\' in text in *erroff.  out must hold len
 * bytes; on a fault its contents are unspecified. */
enum cgname_unesc cgname_unescape_ext(const char *text, size_t len,
    int flags, char *out, size_t *outlen, size_t *erroff);
/* A fault in words, for a message. */
const char *cgname_unesc_str(enum cgname_unesc);

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
