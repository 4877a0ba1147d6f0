/* Subscribers on the unix socket (docs/PROTOCOL.md).  Every client has a
 * bounded queue: one that does not read loses its oldest events and is
 * told how many, and never slows eventd or the others. */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "eventd.h"
#include "jsonfmt.h"
#include "log.h"

struct client {
	int		 fd;
	uint64_t	 deadline;	/* mono: request must be in by then */
	char		 in[REQUEST_MAX + 1];
	size_t		 inlen;
	int		 watching;	/* request read: a subscriber */
	int		 closing;	/* close once the queue is out */
	int		 draining;	/* our side shut: read until EOF */
	struct ev_request req;
	char		*q[CLIENT_QUEUE];	/* lines, oldest at head */
	size_t		 head, n;
	size_t		 off;		/* bytes of q[head] already sent */
	uint64_t	 dropped;
};

static void
client_free(struct client *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->q[(c->head + i) % CLIENT_QUEUE]);
	close(c->fd);
	free(c);
}

static void
remove_client(struct eventd *d, int i)
{
	client_free(d->clients[i]);
	d->clients[i] = d->clients[--d->nclients];
}

static void
enqueue(struct client *c, char *line)
{
	if (c->n == CLIENT_QUEUE) {
		/* drop the oldest, unless it is half sent */
		size_t victim = c->off ? (c->head + 1) % CLIENT_QUEUE : c->head;

		if (c->off == 0) {
			free(c->q[c->head]);
			c->head = (c->head + 1) % CLIENT_QUEUE;
		} else {
			size_t i;

			free(c->q[victim]);
			for (i = 1; i + 1 < c->n; i++)
				c->q[(c->head + i) % CLIENT_QUEUE] =
				    c->q[(c->head + i + 1) % CLIENT_QUEUE];
		}
		c->n--;
		c->dropped++;
	}
	c->q[(c->head + c->n) % CLIENT_QUEUE] = line;
	c->n++;
}

static void
send_json(struct client *c, struct json_object *o)
{
	char *line;

	if (asprintf(&line, "%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) != -1)
		enqueue(c, line);
	json_object_put(o);
}

static void
send_error(struct client *c, const char *msg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(msg));
	send_json(c, o);
	c->closing = 1;
}

/* root, eventd's own user, and members of the store's group */
static int
peer_allowed(struct eventd *d, int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	struct passwd *pw;
	gid_t groups[256];
	int ng = 256, i;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		return 0;
	if (cr.uid == 0 || cr.uid == geteuid() || cr.gid == d->store_gid)
		return 1;
	if ((pw = getpwuid(cr.uid)) == NULL ||
	    getgrouplist(pw->pw_name, cr.gid, groups, &ng) == -1)
		return 0;
	for (i = 0; i < ng; i++)
		if (groups[i] == d->store_gid)
			return 1;
	return 0;
}

void
subs_accept(struct eventd *d)
{
	struct client *c;
	int fd;

	while ((fd = accept4(d->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->deadline = clock_mono_ns() + REQUEST_TIMEOUT_NS;
		if (d->nclients == d->max_clients) {
			send_error(c, "too many clients");
		} else if (!peer_allowed(d, fd))
			send_error(c, "permission denied: not in the store's "
			    "group");
		if (c->closing) {
			/* one best-effort line, then gone */
			(void)write(fd, c->q[0], strlen(c->q[0]));
			client_free(c);
			continue;
		}
		d->clients[d->nclients++] = c;
	}
}

struct hist {
	struct ev_request *req;
	uint64_t	 upto;
	struct json_object *arr;
};

static int
hist_fn(const struct event *e, void *arg)
{
	struct hist *h = arg;

	if (e->seq > h->upto)
		return 1;	/* the rest is live */
	if (ev_match(h->req, e))
		json_object_array_add(h->arr, jsonfmt_event(e));
	return 0;
}

/* The stored events the request asks for (the newest max_events), up to
 * the tail: later ones come live, so there is no gap and no repeat. */
static void
history(struct eventd *d, struct client *c)
{
	struct hist h = { &c->req, d->tail, json_object_new_array() };
	MDB_txn *txn;
	size_t n, i, from = 0;
	int rc;

	if (c->req.max == 0 || d->tail == 0) {
		json_object_put(h.arr);
		return;
	}
	if ((rc = store_read_begin(d->st, &txn)) == 0) {
		rc = store_events_each(d->st, txn, 1, hist_fn, &h);
		store_read_end(txn);
	}
	if (rc != 0 && rc != 1) {
		json_object_put(h.arr);
		send_error(c, store_strerror(rc));
		return;
	}
	n = json_object_array_length(h.arr);
	if (c->req.max > 0 && n > (size_t)c->req.max)
		from = n - (size_t)c->req.max;
	for (i = from; i < n; i++)
		send_json(c, json_object_get(json_object_array_get_idx(h.arr, i)));
	json_object_put(h.arr);
}

static void
handle_request(struct eventd *d, struct client *c)
{
	const char *err;
	char *nl = memchr(c->in, '\n', c->inlen);

	if (ev_request_json(c->in, (size_t)(nl - c->in), &c->req, &err) == -1) {
		send_error(c, err);
		return;
	}
	history(d, c);
	if (ev_is_watch(&c->req))
		c->watching = 1;
	else
		c->closing = 1;	/* a history query: done once sent */
}

static int
flush_out(struct client *c)
{
	while (c->n > 0) {
		char *line;
		size_t len;
		ssize_t w;

		/* the notice goes in front, once a slot is free */
		if (c->dropped > 0 && c->off == 0 && c->n < CLIENT_QUEUE) {
			char *notice;

			if (asprintf(&notice, "{\"dropped\":%llu}\n",
			    (unsigned long long)c->dropped) == -1)
				return -1;
			c->head = (c->head + CLIENT_QUEUE - 1) % CLIENT_QUEUE;
			c->q[c->head] = notice;
			c->n++;
			c->dropped = 0;
		}
		line = c->q[c->head];
		len = strlen(line);
		w = write(c->fd, line + c->off, len - c->off);
		if (w == -1)
			return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
		c->off += (size_t)w;
		if (c->off < len)
			return 0;
		free(line);
		c->head = (c->head + 1) % CLIENT_QUEUE;
		c->n--;
		c->off = 0;
	}
	if (c->closing && !c->draining) {
		/* Shut our side and read what the peer still sends until it
		 * closes: closing with unread input would reset the
		 * connection and lose the reply. */
		shutdown(c->fd, SHUT_WR);
		c->draining = 1;
		c->deadline = clock_mono_ns() + 1000000000ULL;
	}
	return 0;
}

int
subs_io(struct eventd *d, int i, short rev)
{
	struct client *c = d->clients[i];

	if (rev & POLLIN) {
		ssize_t n;

		if (c->watching || c->closing || c->draining) {
			char junk[512];

			/* a subscriber has nothing more to say: EOF closes */
			n = read(c->fd, junk, sizeof(junk));
			if (n == 0 || (n == -1 && errno != EAGAIN)) {
				remove_client(d, i);
				return -1;
			}
		} else {
			n = read(c->fd, c->in + c->inlen, REQUEST_MAX - c->inlen);
			if (n == 0 || (n == -1 && errno != EAGAIN &&
			    errno != EINTR)) {
				remove_client(d, i);
				return -1;
			}
			if (n > 0) {
				c->inlen += (size_t)n;
				if (memchr(c->in, '\n', c->inlen) != NULL)
					handle_request(d, c);
				else if (c->inlen == REQUEST_MAX)
					send_error(c, "request too long");
			}
		}
	}
	if ((rev & (POLLHUP | POLLERR)) && !(rev & POLLIN)) {
		remove_client(d, i);
		return -1;
	}
	if (flush_out(c) == -1) {
		remove_client(d, i);
		return -1;
	}
	return 0;
}

void
subs_expire(struct eventd *d, uint64_t mono)
{
	int i;

	for (i = 0; i < d->nclients; i++) {
		struct client *c = d->clients[i];

		if (c->draining && mono > c->deadline) {
			remove_client(d, i--);
			continue;
		}
		if (!c->watching && !c->closing && mono > c->deadline) {
			send_error(c, "no request within 5 seconds");
			if (flush_out(c) == -1) {
				remove_client(d, i);
				i--;
			}
		}
	}
}

static void
broadcast(struct eventd *d, const struct event *e)
{
	int i;

	for (i = 0; i < d->nclients; i++) {
		struct client *c = d->clients[i];

		if (c->watching && !c->closing && ev_match(&c->req, e))
			send_json(c, jsonfmt_event(e));
	}
}

struct tail {
	struct eventd	*d;
	int		 n;
};

static int
tail_fn(const struct event *e, void *arg)
{
	struct tail *t = arg;

	if (t->n == TAIL_BATCH)
		return 1;	/* the rest after the clients had a turn */
	broadcast(t->d, e);
	t->d->tail = e->seq;
	t->n++;
	return 0;
}

int
subs_tail(struct eventd *d)
{
	struct tail t = { d, 0 };
	MDB_txn *txn;
	int i, rc;

	if (store_read_begin(d->st, &txn) != 0)
		return 0;
	rc = store_events_each(d->st, txn, d->tail + 1, tail_fn, &t);
	store_read_end(txn);
	for (i = 0; i < d->nclients; i++)
		if (flush_out(d->clients[i]) == -1)
			remove_client(d, i--);
	return rc == 1;
}

void
subs_send(struct eventd *d, const struct event *e)
{
	broadcast(d, e);
}

short
subs_events(struct eventd *d, int i)
{
	return (short)(POLLIN | (d->clients[i]->n && !d->clients[i]->draining ?
	    POLLOUT : 0));
}

int
subs_fd(struct eventd *d, int i)
{
	return d->clients[i]->fd;
}
