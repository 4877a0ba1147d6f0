/* A client of eventd's socket (docs/PROTOCOL.md): send one request, then
 * read the reply one JSON line at a time. */
#ifndef CADV_EVCLIENT_H
#define CADV_EVCLIENT_H

#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>

struct evclient {
	int			 fd;
	char			 buf[65536];
	size_t			 start, len;
	struct json_tokener	*tok;
};

/* Connects to sock and sends the request (a JSON object); -1 with a
 * sentence in err. */
int	evclient_open(struct evclient *, const char *sock,
	    struct json_object *request, char *err, size_t errsz);
/* The next line: 1 with *line and *len (valid until the next call), *obj
 * (parsed, or NULL if not JSON; the caller puts it), 0 at end. */
int	evclient_next(struct evclient *, const char **line, size_t *len,
	    struct json_object **obj);
/* The parts of evclient_next, for a caller that polls fd itself: a
 * whole line already read (1, valid until the next call; 0 when none),
 * and one read(2) into the buffer (bytes read, 0 at end, -1 errno). */
int	evclient_take(struct evclient *, const char **line, size_t *len);
ssize_t	evclient_fill(struct evclient *);
void	evclient_close(struct evclient *);

#endif
