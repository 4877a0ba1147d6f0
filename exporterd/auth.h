/*
 * --http-auth-file: HTTP basic authentication against an htpasswd file
 * (htpasswd.h), for every path but /healthz.  A password hash is slow on
 * purpose (bcrypt takes tens of milliseconds), so a password that
 * verified is remembered as a keyed digest and later requests with it
 * cost one SHA-256; hashes for credentials not seen to verify are
 * limited to AUTH_HASHES_PER_S a second (over that: 429), so that
 * guessing cannot take the HTTP threads from everyone else.
 */
#ifndef EXPORTERD_AUTH_H
#define EXPORTERD_AUTH_H

#include <pthread.h>
#include <stdint.h>

#include "htpasswd.h"

#define AUTH_HASHES_PER_S	8
#define AUTH_REALM_DEFAULT	"cadv"

enum auth_verdict {
	AUTH_OK,
	AUTH_NO,		/* 401: no or wrong credentials */
	AUTH_BUSY,		/* 429: too many to hash this second */
};

struct auth {
	struct htpasswd	 users;
	char		 realm[128];
	pthread_mutex_t	 mu;
	unsigned char	 key[32];	/* of the remembered digests */
	unsigned char	(*good)[32];	/* per user: its password's digest */
	unsigned char	*has_good;
	uint64_t	 second_ns;	/* AUTH_HASHES_PER_S's window */
	unsigned	 hashed;
};

/* The htpasswd file's text (read by the caller while still root); -1
 * with a sentence in err. */
int	auth_init(struct auth *, const char *text, size_t len,
	    const char *realm, char *err, size_t errsz);
void	auth_free(struct auth *);
/* A request's Authorization header (NULL: none) */
enum auth_verdict auth_check(struct auth *, const char *header);

#endif
