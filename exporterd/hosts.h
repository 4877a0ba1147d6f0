/*
 * The Host header check, against DNS rebinding: a web page from
 * http://evil.example:8080 whose name the attacker then points at
 * 127.0.0.1 is same-origin with exporterd as far as the browser knows,
 * but its requests say "Host: evil.example:8080".  Accepted are the
 * listen address itself (any IP address when listening on 0.0.0.0 or
 * ::), localhost, and the names and addresses of --allowed-hosts; the
 * port is not compared (the browser sends the one it connected to).  A
 * unix socket is not checked (no browser connects to one), nor is
 * anything with --allowed-hosts '*'.  Pure: unit-tested.
 */
#ifndef EXPORTERD_HOSTS_H
#define EXPORTERD_HOSTS_H

#include <netinet/in.h>
#include <stddef.h>

#define HOSTS_MAX	64
#define HOST_NAME_LEN	253

struct hostcheck {
	int	any;			/* no check at all */
	int	wildcard;		/* listening on 0.0.0.0 or :: */
	char	listen[INET6_ADDRSTRLEN];	/* "" for a unix socket */
	size_t	n;
	char	names[HOSTS_MAX][HOST_NAME_LEN + 1];	/* lower case */
};

/* listen: the address exporterd listens on (IPv6 without brackets), or
 * NULL for a unix socket; allowed: --allowed-hosts (NULL: none).  -1 with
 * a sentence in err for a malformed entry. */
int	hostcheck_init(struct hostcheck *, const char *listen,
	    const char *allowed, char *err, size_t errsz);
/* 1 when a request with this Host header (NULL: none) is answered.
 * HTTP/1.0 may leave it out: only a program that is not a browser does. */
int	hostcheck_ok(const struct hostcheck *, const char *host, int http10);

#endif
