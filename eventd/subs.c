/* Subscribers on the unix socket (docs/PROTOCOL.md).  Every client has a
 * bounded queue: one that does not read loses its oldest events and is
 * told how many, and never slows eventd or the others. */
#include <errno.h>
#include <poll.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "eventd.h"
#include "jsonfmt.h"
#include "storeident.h"
#include "log.h"

struct client {
	int		 fd;
	uid_t		 uid;		/* the peer's, from SO_PEERCRED */
	uint64_t	 deadline;	/* mono: request must be in by then */
	char		 in[REQUEST_MAX + 1];
	size_t		 inlen;
	int		 watching;	/* request read: a subscriber */
	int		 closing;	/* close once the queue is out */
	int		 draining;	/* our side shut: read until EOF */
	struct cadv_event_request req;
	uint64_t	 next;		/* next stored event to look at */
	uint64_t	 upto;		/* last one to send (history queries) */
	char		*q[CLIENT_QUEUE];	/* lines, oldest at head */
	size_t		 head, n;
	char		*cur;		/* the line being written */
	size_t		 off;		/* bytes of cur already sent */
	uint64_t	 dropped;
	int		 progress;	/* wrote something since the last tick */
};

static void
client_free(struct client *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->q[(c->head + i) % CLIENT_QUEUE]);
	free(c->cur);
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
		/* the oldest goes; a line half written is not in the ring */
		free(c->q[c->head]);
		c->head = (c->head + 1) % CLIENT_QUEUE;
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

/* root, eventd's own user, and members of the store's group.  The
 * peer's groups come from the kernel (SO_PEERGROUPS), not from a name
 * service: what it really holds, and no lookup that could block. */
static int
peer_allowed(struct eventd *d, int fd, const struct ucred *cr)
{
	socklen_t len;
	gid_t groups[256];
	size_t i;

	if (cr->uid == 0 || cr->uid == geteuid() || cr->gid == d->store_gid)
		return 1;
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == -1)
		return 0;	/* ERANGE: more than 256 groups; refused */
	for (i = 0; i < len / sizeof(groups[0]); i++)
		if (groups[i] == d->store_gid)
			return 1;
	return 0;
}

/* Clients of one uid, history queries and connections still to send
 * their request included: each holds a slot. */
static int
clients_of(const struct eventd *d, uid_t uid)
{
	int i, n = 0;

	for (i = 0; i < d->nclients; i++)
		if (d->clients[i]->uid == uid)
			n++;
	return n;
}

void
subs_accept(struct eventd *d)
{
	struct client *c;
	struct ucred cr;
	socklen_t len;
	char msg[128];
	int fd, known;

	while ((fd = accept4(d->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->deadline = clock_mono_ns() + REQUEST_TIMEOUT_NS;
		len = sizeof(cr);
		known = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0;
		c->uid = known ? cr.uid : (uid_t)-1;
		if (d->nclients == d->max_clients) {
			send_error(c, "too many clients");
		} else if (!known || !peer_allowed(d, fd, &cr)) {
			send_error(c, "permission denied: not in the store's "
			    "group");
		} else if (clients_of(d, cr.uid) >= d->max_per_uid) {
			/* one user, root included, cannot take every slot */
			snprintf(msg, sizeof(msg), "too many clients of uid %u "
			    "(at most %d each)", (unsigned)cr.uid,
			    d->max_per_uid);
			send_error(c, msg);
		}
		if (c->closing) {
			/* one best-effort line, then gone (its result is kept
			 * only because _FORTIFY_SOURCE will not have it cast
			 * away) */
			ssize_t sent = write(fd, c->q[c->head],
			    strlen(c->q[c->head]));
			(void)sent;
			client_free(c);
			continue;
		}
		d->clients[d->nclients++] = c;
	}
}

/* Each stored event is rendered once however many clients want it. */
#define LINE_CACHE	4096
static struct {
	uint64_t	 seq;
	char		*line;
} cache[LINE_CACHE];

/* An event as subscribers get it: joined to its container's identity
 * (names, image, pod; a deletion's exit code once identd has it). */
static struct json_object *
render(struct eventd *d, MDB_txn *txn, const struct cadv_event *e)
{
	struct json_object *o = jsonfmt_event(e);

	/* the identity's room, allocated once (eventd.h) */
	if (d->ident == NULL && (d->ident = malloc(sizeof(*d->ident))) == NULL)
		return o;
	if (txn != NULL && e->container_len > 0 && store_ident_find(d->st, txn,
	    e->container, e->container_len, e->ts_ns, d->ident) == 0)
		jsonfmt_event_ident(o, e, d->ident);
	return o;
}

static char *
line_for(struct eventd *d, MDB_txn *txn, const struct cadv_event *e)
{
	size_t slot = e->seq % LINE_CACHE;
	struct json_object *o;

	if (cache[slot].line == NULL || cache[slot].seq != e->seq) {
		free(cache[slot].line);
		cache[slot].line = NULL;
		o = render(d, txn, e);
		if (asprintf(&cache[slot].line, "%s\n",
		    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE)) == -1)
			cache[slot].line = NULL;
		json_object_put(o);
		cache[slot].seq = e->seq;
	}
	return cache[slot].line ? strdup(cache[slot].line) : NULL;
}

struct scan {
	struct client	*c;
	struct eventd	*d;
	MDB_txn		*txn;
	uint64_t	 upto;
	size_t		 room;		/* lines the queue may still take */
	uint64_t	 matched;	/* count mode: matches seen */
	uint64_t	 nth;		/* count mode: seq of match number nth */
	uint64_t	 want, found;
	int		 count_only;
};

static int
scan_fn(const struct cadv_event *e, void *arg)
{
	struct scan *sc = arg;
	struct client *c = sc->c;

	if (e->seq > sc->upto)
		return 1;
	if (sc->count_only) {
		if (ev_match(&c->req, e) && ++sc->matched == sc->want)
			sc->found = e->seq;
		return 0;
	}
	if (sc->room == 0)
		return 1;
	if (ev_match(&c->req, e)) {
		char *line = line_for(sc->d, sc->txn, e);

		if (line != NULL)
			enqueue(c, line);
		sc->room--;
	}
	c->next = e->seq + 1;
	return 0;
}

/* Moves stored events into the client's queue as far as it has room:
 * each client reads the table at its own pace, so a fast reader gets
 * every event however many others are stuck.  A watcher that falls more
 * than a queue behind skips ahead and is told how many it lost. */
static void
feed(struct eventd *d, struct client *c, int stuck)
{
	struct scan sc;
	uint64_t last;
	MDB_txn *txn;

	if (c->closing || c->draining || (!c->watching && c->upto == 0))
		return;
	if (store_read_begin(d->st, &txn) != 0)
		return;
	if (store_events_last(d->st, txn, &last) != 0)
		goto out;
	memset(&sc, 0, sizeof(sc));
	sc.c = c;
	sc.d = d;
	sc.txn = txn;
	sc.upto = c->upto < last ? c->upto : last;
	sc.room = CLIENT_QUEUE - c->n;
	if (stuck && c->watching && c->n == CLIENT_QUEUE && last >= c->next) {
		/* it wrote nothing for a tick with a full queue: keep the
		 * newest, the oldest go (enqueue counts them) */
		if (last - c->next >= CLIENT_QUEUE) {
			uint64_t skip_to = last - CLIENT_QUEUE + 1;

			sc.count_only = 1;
			sc.upto = skip_to - 1;
			sc.want = UINT64_MAX;
			store_events_each(d->st, txn, c->next, scan_fn, &sc);
			c->dropped += sc.matched;
			c->next = skip_to;
			sc.count_only = 0;
			sc.upto = last;
		}
		sc.room = (size_t)(last - c->next + 1);
	}
	if (c->next <= sc.upto && sc.room > 0)
		store_events_each(d->st, txn, c->next, scan_fn, &sc);
	if (!c->watching && c->next > c->upto)
		c->closing = 1;	/* a history query: done once sent */
out:
	store_read_end(txn);
}

/* Where a request starts: the newest max_events matches among the events
 * stored up to now; later ones come live, without a gap or a repeat. */
static void
handle_request(struct eventd *d, struct client *c)
{
	const char *err;
	char *nl = memchr(c->in, '\n', c->inlen);
	struct scan sc;
	uint64_t last = 0;
	MDB_txn *txn;

	if (ev_request_json(c->in, (size_t)(nl - c->in), &c->req, &err) == -1) {
		send_error(c, err);
		return;
	}
	if (store_read_begin(d->st, &txn) != 0) {
		send_error(c, "store unavailable");
		return;
	}
	memset(&sc, 0, sizeof(sc));
	sc.c = c;
	sc.d = d;
	sc.txn = txn;
	sc.count_only = 1;
	if (store_events_last(d->st, txn, &last) == 0 && c->req.max != 0) {
		sc.upto = last;
		sc.want = UINT64_MAX;
		store_events_each(d->st, txn, 1, scan_fn, &sc);	/* count */
		if (c->req.max > 0 && sc.matched > (uint64_t)c->req.max) {
			sc.want = sc.matched - (uint64_t)c->req.max + 1;
			sc.matched = 0;
			store_events_each(d->st, txn, 1, scan_fn, &sc);
			c->next = sc.found;
		} else
			c->next = 1;
	} else
		c->next = last + 1;
	store_read_end(txn);
	c->upto = ev_is_watch(&c->req) ? UINT64_MAX : last;
	c->watching = ev_is_watch(&c->req);
	if (!c->watching && (c->req.max == 0 || c->next > last))
		c->closing = 1;
	feed(d, c, 0);
}

static int
flush_out(struct client *c)
{
	for (;;) {
		size_t len;
		ssize_t w;

		if (c->cur == NULL) {
			if (c->dropped > 0) {
				/* told before the events that follow the gap */
				if (asprintf(&c->cur, "{\"dropped\":%llu}\n",
				    (unsigned long long)c->dropped) == -1)
					return -1;
				c->dropped = 0;
			} else if (c->n > 0) {
				c->cur = c->q[c->head];
				c->head = (c->head + 1) % CLIENT_QUEUE;
				c->n--;
			} else
				break;
			c->off = 0;
		}
		len = strlen(c->cur);
		w = write(c->fd, c->cur + c->off, len - c->off);
		if (w == -1)
			return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
		c->off += (size_t)w;
		c->progress = 1;
		if (c->off < len)
			return 0;
		free(c->cur);
		c->cur = NULL;
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
	if (c->n < CLIENT_QUEUE / 2) {
		/* a reader that keeps up is refilled at once */
		feed(d, c, 0);
		if (flush_out(c) == -1) {
			remove_client(d, i);
			return -1;
		}
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
broadcast(struct eventd *d, const struct cadv_event *e)
{
	struct json_object *o = NULL;
	const char *text = NULL;
	size_t len = 0;
	int i;

	for (i = 0; i < d->nclients; i++) {
		struct client *c = d->clients[i];
		char *line;

		if (!c->watching || c->closing || !ev_match(&c->req, e))
			continue;	/* (only events that are not stored) */
		if (o == NULL) {	/* rendered once for everyone */
			o = jsonfmt_event(e);
			text = json_object_to_json_string_ext(o,
			    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
			len = strlen(text);
		}
		if ((line = malloc(len + 2)) == NULL)
			continue;
		memcpy(line, text, len);
		line[len] = '\n';
		line[len + 1] = '\0';
		enqueue(c, line);
	}
	json_object_put(o);
}

void
subs_tail(struct eventd *d)
{
	int i;

	for (i = 0; i < d->nclients; i++) {
		struct client *c = d->clients[i];

		feed(d, c, !c->progress);
		c->progress = 0;
		if (flush_out(c) == -1)
			remove_client(d, i--);
	}
}

void
subs_send(struct eventd *d, const struct cadv_event *e)
{
	broadcast(d, e);
}

short
subs_events(struct eventd *d, int i)
{
	struct client *c = d->clients[i];

	return (short)(POLLIN | ((c->n || c->cur || c->dropped) &&
	    !c->draining ? POLLOUT : 0));
}

int
subs_fd(struct eventd *d, int i)
{
	return d->clients[i]->fd;
}

void
subs_free(struct eventd *d)
{
	while (d->nclients > 0)
		remove_client(d, d->nclients - 1);
	free(d->clients);
	d->clients = NULL;
	free(d->ident);
	d->ident = NULL;
}
