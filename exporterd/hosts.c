/* The Host header check (hosts.h). */
#include <arpa/inet.h>
#include <bsd/string.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosts.h"

#define NAME_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789.-_"

/* An IP address in inet_ntop's spelling into out (INET6_ADDRSTRLEN);
 * 0 when s (len bytes, no brackets) is one, else -1. */
static int
ip_text(const char *s, size_t len, char *out)
{
	char tmp[INET6_ADDRSTRLEN];
	unsigned char a[sizeof(struct in6_addr)];

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, a) == 1)
		return inet_ntop(AF_INET, a, out, INET6_ADDRSTRLEN) ? 0 : -1;
	if (inet_pton(AF_INET6, tmp, a) == 1)
		return inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN) ? 0 : -1;
	return -1;
}

/* A host name in lower case without a final dot into out; -1 if s is
 * not one */
static int
name_text(const char *s, size_t len, char *out)
{
	size_t i;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > HOST_NAME_LEN)
		return -1;
	for (i = 0; i < len; i++) {
		out[i] = (char)tolower((unsigned char)s[i]);
		if (strchr(NAME_CHARS, out[i]) == NULL || out[i] == '\0')
			return -1;
	}
	out[len] = '\0';
	return 0;
}

int
hostcheck_init(struct hostcheck *hc, const char *listen, const char *allowed,
    char *err, size_t errsz)
{
	const char *p, *end;
	char *out;
	size_t len;

	memset(hc, 0, sizeof(*hc));
	if (listen == NULL)
		hc->any = 1;
	else if (ip_text(listen, strlen(listen), hc->listen) == -1) {
		snprintf(err, errsz, "%s: not an IP address", listen);
		return -1;
	} else
		hc->wildcard = strcmp(hc->listen, "0.0.0.0") == 0 ||
		    strcmp(hc->listen, "::") == 0;
	for (p = allowed; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ",");
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		len = (size_t)(end - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		if (len == 1 && *p == '*') {
			hc->any = 1;
			continue;
		}
		if (hc->n == HOSTS_MAX) {
			snprintf(err, errsz, "more than %d hosts", HOSTS_MAX);
			return -1;
		}
		out = hc->names[hc->n];
		if (*p == '[' && p[len - 1] == ']' ?
		    ip_text(p + 1, len - 2, out) == -1 :
		    ip_text(p, len, out) == -1 && name_text(p, len, out) == -1) {
			snprintf(err, errsz, "%.*s: not a host name or an IP "
			    "address (no port, no scheme)", (int)(len > 80 ? 80 :
			    len), p);
			return -1;
		}
		hc->n++;
	}
	return 0;
}

static int
listed(const struct hostcheck *hc, const char *h)
{
	size_t i;

	for (i = 0; i < hc->n; i++)
		if (strcmp(hc->names[i], h) == 0)
			return 1;
	return 0;
}

int
hostcheck_ok(const struct hostcheck *hc, const char *host, int http10)
{
	char h[HOST_NAME_LEN + INET6_ADDRSTRLEN + 1];
	const char *port, *close;
	size_t len;
	int ip = 1;

	if (hc->any)
		return 1;
	if (host == NULL)
		return http10;
	/* HOST [ ":" PORT ], an IPv6 address in brackets */
	if (host[0] == '[') {
		if ((close = strchr(host, ']')) == NULL)
			return 0;
		port = close + 1;
		if (ip_text(host + 1, (size_t)(close - host - 1), h) == -1 ||
		    strchr(h, ':') == NULL)
			return 0;
	} else {
		len = strcspn(host, ":");
		port = host + len;
		if (ip_text(host, len, h) == -1 &&
		    (ip = 0, name_text(host, len, h) == -1))
			return 0;
	}
	if (*port == ':') {
		len = strlen(++port);
		if (len == 0 || len > 5 || strspn(port, "0123456789") != len ||
		    atoi(port) > 65535)
			return 0;
	} else if (*port != '\0')
		return 0;
	if (strcmp(h, "localhost") == 0 || listed(hc, h))
		return 1;
	/* an address: the one listened on, or any with a wildcard */
	return ip && (hc->wildcard || strcmp(h, hc->listen) == 0);
}
