/*
 * --http-auth-file: Apache's htpasswd format, as cAdvisor's
 * --http_auth_file takes it.  The file is read once at start (as root,
 * before the privileges go) and is untrusted text like any input: a line
 * this cannot verify is a start-up error naming it, never a user that can
 * never log in or, worse, one whose password is compared as plain text.
 *
 * Verified: bcrypt ($2y$, $2b$, $2a$: htpasswd -B), SHA-256-crypt and
 * SHA-512-crypt ($5$, $6$: htpasswd -2, -5) through crypt(3); {SHA}
 * (htpasswd -s, unsalted SHA-1).  Refused: htpasswd's default APR1-MD5
 * ($apr1$, which crypt(3) does not know), MD5-crypt ($1$), DES crypt
 * (htpasswd -d: 8 characters at most), plain text (htpasswd -p), other
 * crypt(3) methods, and a cost that would make each check take seconds
 * (bcrypt past htpasswd's 17, SHA-crypt past 1000000 rounds).
 */
#ifndef EXPORTERD_HTPASSWD_H
#define EXPORTERD_HTPASSWD_H

#include <stddef.h>

#define HTPASSWD_MAX_SIZE	(1024 * 1024)	/* the whole file */
#define HTPASSWD_MAX_USERS	10000
#define HTPASSWD_MAX_NAME	255
#define HTPASSWD_MAX_HASH	512
#define BCRYPT_COST_MAX		17
#define SHACRYPT_ROUNDS_MAX	1000000
/* a credential longer than this is refused before any hashing */
#define HTPASSWD_MAX_PASSWORD	1024

enum hash_kind {
	HASH_CRYPT,		/* crypt(3) computes and compares */
	HASH_SHA1,		/* {SHA}: base64 of SHA-1 */
};

struct htuser {
	char		*name;
	char		*hash;
	enum hash_kind	 kind;
};

struct htpasswd {
	struct htuser	*users;
	size_t		 n;
};

/* Parses the file's bytes (any bytes); 0, or -1 with a sentence naming
 * the line (and the user, when it has one) in err. */
int	htpasswd_parse(struct htpasswd *, const char *text, size_t len,
	    char *err, size_t errsz);
void	htpasswd_free(struct htpasswd *);
/* The user called name (len bytes, no NUL needed), NULL when none. */
const struct htuser *htpasswd_find(const struct htpasswd *, const char *name,
	    size_t len);
/* 1 when pass is the user's password, 0 when it is not (or cannot be
 * checked); the comparison takes the same time wherever they differ. */
int	htpasswd_verify(const struct htuser *, const char *pass);

/* An Authorization header's "Basic BASE64" decoded into buf as
 * "user\0password\0"; -1 when it is not one (another scheme, bad base64,
 * no ':', a NUL byte, longer than bufsz allows). */
int	basic_credentials(const char *header, char *buf, size_t bufsz,
	    const char **user, const char **pass);

/* 1 when a and b (n bytes each) are equal, in a time that does not
 * depend on where they differ */
int	ct_equal(const void *a, const void *b, size_t n);

/* Standard base64 with padding: out holds 4 * ((n + 2) / 3) + 1 bytes */
void	base64_encode(const unsigned char *in, size_t n, char *out);
/* Padding optional; -1 on any other byte or a bad length */
int	base64_decode(const char *in, size_t n, unsigned char *out,
	    size_t outsz, size_t *outlen);

#endif
