/*
 * Connection slots (conns.h).  Each connection's record sits on one of two
 * lists, oldest first: waiting (for a request's headers, since its start
 * or its previous answer) and busy (being answered).  libmicrohttpd's
 * threads move records between them; the main thread reaps.  A connection
 * is cut with shutdown(2) on its socket, which libmicrohttpd then sees
 * fail and closes: the socket is still libmicrohttpd's to close, and the
 * record leaves the lists (under the lock) before libmicrohttpd closes it
 * (MHD_CONNECTION_NOTIFY_CLOSED comes first), so the descriptor shut down
 * is always the connection's own.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "conns.h"

enum list_id { L_NONE, L_WAITING, L_BUSY };

struct conn {
	struct conn	*prev, *next;
	enum list_id	 on;
	MHD_socket	 fd;
	uint64_t	 since_ns;
};

struct list {
	struct conn	*head, *tail;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct list lists[3];
static unsigned nlisted, slots = 512;
static uint64_t deadline_ns = 2000000000ULL;
static int wakefd = -1;
static struct conns_stats stats;

void
conns_init(unsigned nslots, unsigned deadline_ms, int fd)
{
	slots = nslots;
	deadline_ns = (uint64_t)deadline_ms * 1000000ULL;
	wakefd = fd;
}

static void
unlink_conn(struct conn *c)
{
	struct list *l = &lists[c->on];

	if (c->on == L_NONE)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
	c->on = L_NONE;
	nlisted--;
}

/* onto the tail of list id: the youngest there */
static void
append(struct conn *c, enum list_id id)
{
	struct list *l = &lists[id];
	int wake = id == L_WAITING && l->head == NULL;

	unlink_conn(c);
	c->on = id;
	c->since_ns = clock_mono_ns();
	c->prev = l->tail;
	c->next = NULL;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
	nlisted++;
	if (wake && wakefd != -1) {
		uint64_t one = 1;

		(void)!write(wakefd, &one, sizeof(one));
	}
}

static void
cut(struct conn *c)
{
	(void)shutdown(c->fd, SHUT_RDWR);
	unlink_conn(c);
}

static struct conn *
of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

void
conns_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *ci;
	struct conn *c = *socket_context;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (c == NULL)
			return;
		pthread_mutex_lock(&mu);
		unlink_conn(c);
		pthread_mutex_unlock(&mu);
		free(c);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL || (c = calloc(1, sizeof(*c))) == NULL)
		return;		/* not tracked: libmicrohttpd's timeout only */
	c->fd = ci->connect_fd;
	pthread_mutex_lock(&mu);
	if (nlisted >= slots) {
		struct conn *victim = lists[L_WAITING].head ?
		    lists[L_WAITING].head : lists[L_BUSY].head;

		if (victim) {
			cut(victim);
			stats.evicted++;
		}
	}
	append(c, L_WAITING);
	pthread_mutex_unlock(&mu);
	*socket_context = c;
}

void
conns_request(struct MHD_Connection *mc)
{
	struct conn *c = of(mc);

	if (c == NULL)
		return;
	pthread_mutex_lock(&mu);
	if (c->on != L_NONE)
		append(c, L_BUSY);
	pthread_mutex_unlock(&mu);
}

void
conns_answered(struct MHD_Connection *mc)
{
	struct conn *c = of(mc);

	if (c == NULL)
		return;
	pthread_mutex_lock(&mu);
	if (c->on != L_NONE)
		append(c, L_WAITING);
	pthread_mutex_unlock(&mu);
}

int
conns_reap(void)
{
	uint64_t now, left;
	struct conn *c;
	int ms = -1;

	/* the clock is read under the lock: a connection listed by another
	 * thread after a reading taken before it would be younger than
	 * "now", and the unsigned age of it would wrap to a cut */
	pthread_mutex_lock(&mu);
	now = clock_mono_ns();
	while ((c = lists[L_WAITING].head) != NULL &&
	    now - c->since_ns >= deadline_ns) {
		cut(c);
		stats.late++;
	}
	if (c != NULL) {
		left = deadline_ns - (now - c->since_ns);
		ms = (int)(left / 1000000ULL) + 1;
	}
	pthread_mutex_unlock(&mu);
	return ms;
}

void
conns_take_stats(struct conns_stats *out)
{
	pthread_mutex_lock(&mu);
	*out = stats;
	stats = (struct conns_stats){ 0 };
	pthread_mutex_unlock(&mu);
}
