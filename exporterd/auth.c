/* Basic authentication on each request (auth.h). */
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "auth.h"
#include "clock.h"

#define SECOND_NS	1000000000ULL
/* "user:password" decoded, both limited */
#define CRED_MAX	(HTPASSWD_MAX_NAME + 1 + HTPASSWD_MAX_PASSWORD + 1)

int
auth_init(struct auth *a, const char *text, size_t len, const char *realm,
    char *err, size_t errsz)
{
	const unsigned char *c;

	memset(a, 0, sizeof(*a));
	/* it goes into a quoted header value */
	for (c = (const unsigned char *)realm; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
			break;
	if (*c != '\0' ||
	    strlcpy(a->realm, realm, sizeof(a->realm)) >= sizeof(a->realm)) {
		snprintf(err, errsz, "--http-auth-realm: longer than %zu bytes, "
		    "or holds a quote, a backslash or a control character",
		    sizeof(a->realm) - 1);
		return -1;
	}
	if (htpasswd_parse(&a->users, text, len, err, errsz) == -1)
		return -1;
	a->good = calloc(a->users.n, sizeof(*a->good));
	a->has_good = calloc(a->users.n, 1);
	if (a->good == NULL || a->has_good == NULL ||
	    getrandom(a->key, sizeof(a->key), 0) != sizeof(a->key)) {
		snprintf(err, errsz, "out of memory or randomness");
		auth_free(a);
		return -1;
	}
	pthread_mutex_init(&a->mu, NULL);
	return 0;
}

void
auth_free(struct auth *a)
{
	if (a->good != NULL)
		freezero(a->good, sizeof(*a->good) * a->users.n);
	free(a->has_good);
	htpasswd_free(&a->users);
	explicit_bzero(a->key, sizeof(a->key));
	a->good = NULL;
	a->has_good = NULL;
}

static void
digest(const struct auth *a, const char *user, const char *pass,
    unsigned char out[SHA256_DIGEST_LENGTH])
{
	SHA2_CTX ctx;

	SHA256Init(&ctx);
	SHA256Update(&ctx, a->key, sizeof(a->key));
	SHA256Update(&ctx, (const uint8_t *)user, strlen(user) + 1);
	SHA256Update(&ctx, (const uint8_t *)pass, strlen(pass));
	SHA256Final(out, &ctx);
	explicit_bzero(&ctx, sizeof(ctx));
}

enum auth_verdict
auth_check(struct auth *a, const char *header)
{
	char cred[CRED_MAX + 1];
	unsigned char d[SHA256_DIGEST_LENGTH];
	const struct htuser *u;
	const char *user, *pass;
	enum auth_verdict v = AUTH_NO;
	uint64_t now;
	size_t i = 0;
	int ok;

	if (header == NULL ||
	    basic_credentials(header, cred, sizeof(cred), &user, &pass) == -1)
		return AUTH_NO;
	if ((u = htpasswd_find(&a->users, user, strlen(user))) != NULL)
		i = (size_t)(u - a->users.users);
	digest(a, user, pass, d);
	pthread_mutex_lock(&a->mu);
	if (u != NULL && a->has_good[i] && ct_equal(a->good[i], d, sizeof(d))) {
		pthread_mutex_unlock(&a->mu);
		v = AUTH_OK;
		goto out;
	}
	now = clock_mono_ns();
	if (now - a->second_ns >= SECOND_NS) {
		a->second_ns = now;
		a->hashed = 0;
	}
	if (a->hashed >= AUTH_HASHES_PER_S) {
		pthread_mutex_unlock(&a->mu);
		v = AUTH_BUSY;
		goto out;
	}
	a->hashed++;
	pthread_mutex_unlock(&a->mu);
	/* an unknown user costs a hash too: the time tells nothing */
	ok = htpasswd_verify(u != NULL ? u : &a->users.users[0], pass) &&
	    u != NULL;
	if (ok) {
		pthread_mutex_lock(&a->mu);
		memcpy(a->good[i], d, sizeof(d));
		a->has_good[i] = 1;
		pthread_mutex_unlock(&a->mu);
		v = AUTH_OK;
	}
out:
	explicit_bzero(cred, sizeof(cred));
	explicit_bzero(d, sizeof(d));
	return v;
}
