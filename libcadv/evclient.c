#include "evclient.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The request and its newline in one send, so that eventd reads it
 * whole.  eventd may answer a refusal and close before it has read all of
 * it: a socket closed by the peer (EPIPE, ECONNRESET) is not our error,
 * the refusal is still there to read.  MSG_NOSIGNAL: a closed socket is
 * an error here, not a signal. */
static int
send_line(int fd, const char *msg)
{
	size_t len = strlen(msg), off = 0;
	char *line;
	ssize_t n;

	if ((line = malloc(len + 1)) == NULL)
		return -1;
	memcpy(line, msg, len);
	line[len++] = '\n';
	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (errno == EPIPE || errno == ECONNRESET)
				break;
			free(line);
			return -1;
		}
		off += (size_t)n;
	}
	free(line);
	return 0;
}

int
evclient_open(struct evclient *c, const char *sock,
    struct json_object *request, char *err, size_t errsz)
{
	struct sockaddr_un sun;
	const char *msg;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(sun.sun_path)) {
		snprintf(err, errsz, "%s: path too long", sock);
		return -1;
	}
	strcpy(sun.sun_path, sock);
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		snprintf(err, errsz, "%s: %s (is eventd running?)", sock,
		    strerror(errno));
		evclient_close(c);
		return -1;
	}
	msg = json_object_to_json_string_ext(request, JSON_C_TO_STRING_PLAIN);
	if (send_line(c->fd, msg) == -1) {
		snprintf(err, errsz, "%s: %s", sock, strerror(errno));
		evclient_close(c);
		return -1;
	}
	if ((c->tok = json_tokener_new()) == NULL) {
		snprintf(err, errsz, "out of memory");
		evclient_close(c);
		return -1;
	}
	return 0;
}

int
evclient_take(struct evclient *c, const char **line, size_t *len)
{
	char *nl = memchr(c->buf + c->start, '\n', c->len - c->start);

	if (nl == NULL)
		return 0;
	*line = c->buf + c->start;
	*len = (size_t)(nl - *line);
	c->start += *len + 1;
	return 1;
}

ssize_t
evclient_fill(struct evclient *c)
{
	ssize_t n;

	memmove(c->buf, c->buf + c->start, c->len - c->start);
	c->len -= c->start;
	c->start = 0;
	if (c->len == sizeof(c->buf))
		c->len = 0;	/* longer than any event: dropped */
	do {
		n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	} while (n == -1 && errno == EINTR);
	if (n > 0)
		c->len += (size_t)n;
	return n;
}

int
evclient_next(struct evclient *c, const char **line, size_t *len,
    struct json_object **obj)
{
	for (;;) {
		if (evclient_take(c, line, len)) {
			json_tokener_reset(c->tok);
			*obj = json_tokener_parse_ex(c->tok, *line, (int)*len);
			return 1;
		}
		if (evclient_fill(c) <= 0)
			return 0;
	}
}

void
evclient_close(struct evclient *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->tok != NULL)
		json_tokener_free(c->tok);
	c->tok = NULL;
}
