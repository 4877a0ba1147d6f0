/*
 * Fuzz target: what exporterd takes from outside before it answers (its
 * exporterd/htpasswd.c and hosts.c, built in here).  The first byte picks
 * the parser: 0 an htpasswd file (--http-auth-file: read as root at
 * start), then each user it accepts checked against a password; 1 an
 * Authorization header; 2 a Host header against three listen addresses,
 * and the input as an --allowed-hosts list.
 */
#include <stdlib.h>
#include <string.h>

#include "../../exporterd/hosts.c"
#include "../../exporterd/htpasswd.c"
#include "fuzz.h"

/* checks that stay fast: a fuzzer must not wait on bcrypt's cost 17 */
static int
cheap(const struct htuser *u)
{
	if (u->kind == HASH_SHA1)
		return 1;
	if (u->hash[1] == '2')
		return u->hash[4] == '0' && u->hash[5] <= '5';
	return strstr(u->hash, "rounds=") == NULL;
}

static void
file(const char *s, size_t n)
{
	struct htpasswd h;
	char err[512];
	size_t i;

	if (htpasswd_parse(&h, s, n, err, sizeof(err)) == -1) {
		if (memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		return;
	}
	for (i = 0; i < h.n; i++) {
		if (htpasswd_find(&h, h.users[i].name,
		    strlen(h.users[i].name)) != &h.users[i])
			abort();
		if (cheap(&h.users[i]))
			(void)htpasswd_verify(&h.users[i], "password");
	}
	htpasswd_free(&h);
}

static void
credentials(const char *s)
{
	char buf[2048];
	const char *u, *p;

	if (basic_credentials(s, buf, sizeof(buf), &u, &p) == 0 &&
	    (p <= u || p > buf + sizeof(buf) || strlen(u) + 1 + strlen(p) >=
	    sizeof(buf)))
		abort();
}

static void
host(const char *s)
{
	static const char *const listens[] = { "127.0.0.1", "::1", "0.0.0.0" };
	struct hostcheck hc;
	char err[256];
	size_t i;

	for (i = 0; i < 3; i++) {
		if (hostcheck_init(&hc, listens[i], "node1.example", err,
		    sizeof(err)) == -1)
			abort();
		(void)hostcheck_ok(&hc, s, 0);
	}
	if (hostcheck_init(&hc, "127.0.0.1", s, err, sizeof(err)) == 0)
		(void)hostcheck_ok(&hc, "node1.example:8080", 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	if ((s = malloc(size)) == NULL)
		return 0;
	/* the rest, NUL-terminated for the header parsers */
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0:
		file(s, size - 1);
		break;
	case 1:
		credentials(s);
		break;
	default:
		host(s);
	}
	free(s);
	return 0;
}
