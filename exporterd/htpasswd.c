/*
 * htpasswd files and HTTP basic credentials (htpasswd.h).  Pure functions
 * of their input but for crypt(3): no printing, no global state, so that
 * the unit tests and the fuzz target call them as exporterd does.
 */
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <crypt.h>
#include <ctype.h>
#include <sha1.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "htpasswd.h"

#define SHA1_B64_LEN	28	/* base64 of 20 bytes */

int
ct_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
base64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
base64_decode(const char *in, size_t n, unsigned char *out, size_t outsz,
    size_t *outlen)
{
	uint32_t v = 0;
	size_t i, o = 0, bits = 0;
	int d;

	/* padding only at the end, at most two, completing a quad */
	if (n > 0 && in[n - 1] == '=') {
		if (n % 4 != 0)
			return -1;
		n--;
		if (in[n - 1] == '=')
			n--;
	}
	if (n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = b64_val((unsigned char)in[i])) == -1)
			return -1;
		v = (v << 6) | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == outsz)
				return -1;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	/* the bits left over must be zero (one spelling per input) */
	if (v & ((1u << bits) - 1))
		return -1;
	*outlen = o;
	return 0;
}

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static int
crypt_chars(const char *s)
{
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789./$=,")] == '\0';
}

/* bcrypt's "$2y$NN$" cost, sha-crypt's "rounds=N$": a hash whose check
 * would take the HTTP thread for seconds is refused */
static const char *
cost_ok(const char *hash)
{
	const char *p, *errstr;
	char num[16];
	size_t n;

	if (hash[1] == '2') {
		if (!isdigit((unsigned char)hash[4]) ||
		    !isdigit((unsigned char)hash[5]) || hash[6] != '$')
			return "a malformed bcrypt hash";
		n = (size_t)((hash[4] - '0') * 10 + (hash[5] - '0'));
		return n >= 4 && n <= BCRYPT_COST_MAX ? NULL :
		    "a bcrypt cost outside 4 to 17 (htpasswd -C)";
	}
	if (strncmp(hash + 3, "rounds=", 7) != 0)
		return NULL;
	p = hash + 10;
	if ((n = strspn(p, "0123456789")) == 0 || n >= sizeof(num) ||
	    p[n] != '$')
		return "a malformed rounds= in a SHA-crypt hash";
	memcpy(num, p, n);
	num[n] = '\0';
	(void)strtonum(num, 1000, SHACRYPT_ROUNDS_MAX, &errstr);
	return errstr == NULL ? NULL : "SHA-crypt rounds outside 1000 to "
	    "1000000";
}

/* The kind of hash, or NULL and why it is refused */
static const char *
classify(const char *hash, enum hash_kind *kind)
{
	static const char *const crypts[] = {
		"$2a$", "$2b$", "$2y$", "$5$", "$6$",
	};
	unsigned char raw[32];
	const char *why;
	size_t i, n;
	int cs;

	if (has_prefix(hash, "{SHA}")) {
		if (strlen(hash + 5) != SHA1_B64_LEN ||
		    base64_decode(hash + 5, SHA1_B64_LEN, raw, sizeof(raw),
		    &n) == -1 || n != 20)
			return "a {SHA} hash is 28 base64 characters";
		*kind = HASH_SHA1;
		return NULL;
	}
	if (has_prefix(hash, "$apr1$"))
		return "APR1-MD5 ($apr1$, htpasswd's default) cannot be "
		    "verified here: write the file with htpasswd -B (bcrypt)";
	if (has_prefix(hash, "$1$"))
		return "MD5-crypt ($1$) is too weak: use bcrypt (htpasswd -B)";
	for (i = 0; i < sizeof(crypts) / sizeof(crypts[0]); i++) {
		if (!has_prefix(hash, crypts[i]))
			continue;
		cs = crypt_checksalt(hash);
		if (!crypt_chars(hash) ||
		    (cs != CRYPT_SALT_OK && cs != CRYPT_SALT_METHOD_LEGACY))
			return "a malformed crypt(3) hash, or one of a method "
			    "this system's crypt(3) has disabled";
		if ((why = cost_ok(hash)) != NULL)
			return why;
		*kind = HASH_CRYPT;
		return NULL;
	}
	if (strlen(hash) == 13 && crypt_chars(hash) && !strchr(hash, '$'))
		return "DES crypt (htpasswd -d) is too weak (8 characters at "
		    "most): use bcrypt (htpasswd -B)";
	if (hash[0] == '$')
		return "a crypt(3) method htpasswd does not write: use bcrypt "
		    "(htpasswd -B), SHA-256-crypt or SHA-512-crypt";
	return "not a password hash this server can verify (plain text, as "
	    "htpasswd -p writes, is refused): use htpasswd -B (bcrypt)";
}

const struct htuser *
htpasswd_find(const struct htpasswd *h, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strlen(h->users[i].name) == len &&
		    memcmp(h->users[i].name, name, len) == 0)
			return &h->users[i];
	return NULL;
}

void
htpasswd_free(struct htpasswd *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->users[i].name);
		freezero(h->users[i].hash, strlen(h->users[i].hash));
	}
	free(h->users);
	*h = (struct htpasswd){ 0 };
}

/* The message names the user as the file has it: whoever prints it
 * escapes what needs escaping (cadv's log does). */
static int
line_error(struct htpasswd *h, char *err, size_t errsz, size_t lineno,
    const char *user, size_t ulen, const char *why)
{
	if (user != NULL)
		snprintf(err, errsz, "line %zu: user %.*s: %s", lineno,
		    (int)(ulen > 64 ? 64 : ulen), user, why);
	else
		snprintf(err, errsz, "line %zu: %s", lineno, why);
	htpasswd_free(h);
	return -1;
}

int
htpasswd_parse(struct htpasswd *h, const char *text, size_t len, char *err,
    size_t errsz)
{
	const char *line, *end, *colon, *why;
	struct htuser *u;
	enum hash_kind kind;
	size_t lineno = 0, llen, nlen, hlen, cap = 0;
	char hash[HTPASSWD_MAX_HASH + 1];

	*h = (struct htpasswd){ 0 };
	if (len > HTPASSWD_MAX_SIZE) {
		snprintf(err, errsz, "larger than %d bytes", HTPASSWD_MAX_SIZE);
		return -1;
	}
	for (line = text; line < text + len; line = end + 1) {
		lineno++;
		if ((end = memchr(line, '\n', (size_t)(text + len - line))) == NULL)
			end = text + len;
		llen = (size_t)(end - line);
		if (llen > 0 && line[llen - 1] == '\r')
			llen--;
		if (llen == 0 || line[0] == '#')
			continue;
		if (memchr(line, '\0', llen) != NULL)
			return line_error(h, err, errsz, lineno, NULL, 0,
			    "a NUL byte");
		if ((colon = memchr(line, ':', llen)) == NULL)
			return line_error(h, err, errsz, lineno, NULL, 0,
			    "no ':' between a user and a password hash");
		nlen = (size_t)(colon - line);
		hlen = llen - nlen - 1;
		if (nlen == 0)
			return line_error(h, err, errsz, lineno, NULL, 0,
			    "an empty user name");
		if (nlen > HTPASSWD_MAX_NAME)
			return line_error(h, err, errsz, lineno, NULL, 0,
			    "a user name longer than 255 bytes");
		if (hlen == 0)
			return line_error(h, err, errsz, lineno, line, nlen,
			    "no password hash");
		if (hlen > HTPASSWD_MAX_HASH || memchr(colon + 1, ':', hlen))
			return line_error(h, err, errsz, lineno, line, nlen,
			    "not a password hash (too long, or a second ':')");
		memcpy(hash, colon + 1, hlen);
		hash[hlen] = '\0';
		if ((why = classify(hash, &kind)) != NULL)
			return line_error(h, err, errsz, lineno, line, nlen, why);
		if (htpasswd_find(h, line, nlen) != NULL)
			return line_error(h, err, errsz, lineno, line, nlen,
			    "listed twice");
		if (h->n == HTPASSWD_MAX_USERS)
			return line_error(h, err, errsz, lineno, NULL, 0,
			    "more than 10000 users");
		if (h->n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((u = reallocarray(h->users, cap, sizeof(*u))) == NULL)
				return line_error(h, err, errsz, lineno, NULL, 0,
				    "out of memory");
			h->users = u;
		}
		u = &h->users[h->n];
		u->kind = kind;
		u->name = strndup(line, nlen);
		u->hash = strdup(hash);
		if (u->name == NULL || u->hash == NULL) {
			free(u->name);
			free(u->hash);
			return line_error(h, err, errsz, lineno, NULL, 0,
			    "out of memory");
		}
		h->n++;
	}
	explicit_bzero(hash, sizeof(hash));
	if (h->n == 0) {
		snprintf(err, errsz, "no users in the file");
		return -1;
	}
	return 0;
}

int
htpasswd_verify(const struct htuser *u, const char *pass)
{
	unsigned char md[SHA1_DIGEST_LENGTH];
	char b[SHA1_B64_LEN + 1];
	struct crypt_data *cd;
	SHA1_CTX ctx;
	const char *r;
	int ok;

	if (strlen(pass) > HTPASSWD_MAX_PASSWORD)
		return 0;
	if (u->kind == HASH_SHA1) {
		SHA1Init(&ctx);
		SHA1Update(&ctx, (const uint8_t *)pass, strlen(pass));
		SHA1Final(md, &ctx);
		base64_encode(md, sizeof(md), b);
		ok = ct_equal(b, u->hash + 5, SHA1_B64_LEN);
		explicit_bzero(md, sizeof(md));
		return ok;
	}
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return 0;
	r = crypt_rn(pass, u->hash, cd, (int)sizeof(*cd));
	ok = r != NULL && strlen(r) == strlen(u->hash) &&
	    ct_equal(r, u->hash, strlen(r));
	freezero(cd, sizeof(*cd));
	return ok;
}

int
basic_credentials(const char *header, char *buf, size_t bufsz,
    const char **user, const char **pass)
{
	const char *tok;
	char *colon;
	size_t n, len;

	if (strncasecmp(header, "Basic", 5) != 0 ||
	    (header[5] != ' ' && header[5] != '\t'))
		return -1;
	for (tok = header + 5; *tok == ' ' || *tok == '\t'; tok++)
		;
	n = strcspn(tok, " \t");
	if (tok[n + strspn(tok + n, " \t")] != '\0' || bufsz == 0 ||
	    base64_decode(tok, n, (unsigned char *)buf, bufsz - 1, &len) == -1)
		return -1;
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL ||
	    (colon = memchr(buf, ':', len)) == NULL) {
		explicit_bzero(buf, len);
		return -1;
	}
	*colon = '\0';
	*user = buf;
	*pass = colon + 1;
	return 0;
}
