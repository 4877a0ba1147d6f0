/* The one event query (cAdvisor's events.Request over the events table):
 * cadvctl's history, exporterd's /api events and any library user. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cadv_impl.h"
#include "evreq.h"

#define EVENT_BLOCK	4096	/* sequence numbers counted back in one walk */
#define WALK_STOP	1	/* a callback's "enough", never an error */

struct evq {
	struct cadv_txn	*t;
	const struct cadv_event_request *r;
	struct cadv_event *view, *pair;	/* event_view's scratch */
	uint64_t	 hi;		/* count_one: last seq of the block */
	uint64_t	*seqs;
	size_t		 n;
	cadv_event_cb	 cb;
	void		*arg;
};

static int
first_seq(const struct cadv_event *e, void *arg)
{
	*(uint64_t *)arg = e->seq;
	return WALK_STOP;
}

static int
copy_first(const struct cadv_event *e, void *arg)
{
	memcpy(arg, e, sizeof(*e));
	return WALK_STOP;
}

/*
 * An OOM as cAdvisor names it (its manager's watchForNewOoms): "oom" on
 * the killed task's cgroup (task_memcg), "oomKill" on the cgroup whose
 * limit was hit (oom_memcg, its oomparser's VictimContainerName).  eventd
 * stores the reverse: "oom" on the limiting cgroup, then, next in
 * sequence and at the same time, "oom_kill" on the task's with the
 * limiting one as victim.  So the view swaps: a kill is named by its
 * victim, and an oom by the task's cgroup of the kill stored after it
 * (left as stored when there is none: kills not kept, or its victim not
 * told).
 */
static const struct cadv_event *
event_view(struct evq *q, const struct cadv_event *e)
{
	struct cadv_event *v = q->view, *k = q->pair;
	int rc;

	if (!(q->r->flags & CADV_EVQ_CADVISOR_NAMES) ||
	    (e->type != CADV_EV_OOM && e->type != CADV_EV_OOM_KILL))
		return e;
	if (e->type == CADV_EV_OOM_KILL) {
		if (e->victim_len == 0)
			return e;
		memcpy(v, e, sizeof(*v));
		memcpy(v->container, e->victim, e->victim_len);
		v->container[e->victim_len] = '\0';
		v->container_len = e->victim_len;
		memcpy(v->victim, e->container, e->container_len);
		v->victim[e->container_len] = '\0';
		v->victim_len = e->container_len;
		return v;
	}
	k->seq = 0;
	rc = store_events_each(q->t->st, q->t->txn, e->seq + 1, copy_first,
	    k);
	if ((rc != 0 && rc != WALK_STOP) || k->seq != e->seq + 1 ||
	    k->type != CADV_EV_OOM_KILL || k->ts_ns != e->ts_ns ||
	    k->victim_len != e->container_len || memcmp(k->victim,
	    e->container, e->container_len) != 0)
		return e;
	memcpy(v, e, sizeof(*v));
	memcpy(v->container, k->container, k->container_len);
	v->container[k->container_len] = '\0';
	v->container_len = k->container_len;
	memcpy(v->victim, e->container, e->container_len);
	v->victim[e->container_len] = '\0';
	v->victim_len = e->container_len;
	return v;
}

static int
count_one(const struct cadv_event *e, void *arg)
{
	struct evq *q = arg;

	if (e->seq > q->hi)
		return WALK_STOP;
	if (ev_match(q->r, event_view(q, e)))
		q->seqs[q->n++] = e->seq;
	return 0;
}

/* The first sequence number of the newest max matches: counted back from
 * the end a block at a time, keeping one block's numbers. */
static int
newest_start(struct evq *q, uint64_t *start)
{
	uint64_t last, first = 0, lo;
	int64_t need = q->r->max;
	int rc;

	*start = 0;
	if ((rc = store_events_last(q->t->st, q->t->txn, &last)) != 0)
		return rc;
	rc = store_events_each(q->t->st, q->t->txn, 0, first_seq, &first);
	if (rc != 0 && rc != WALK_STOP)
		return rc;
	*start = first;
	if (last == 0 || first == 0 || need < 0)
		return 0;
	if ((q->seqs = calloc(EVENT_BLOCK, sizeof(*q->seqs))) == NULL)
		return ENOMEM;
	rc = 0;
	for (q->hi = last; need > 0; q->hi = lo - 1) {
		lo = q->hi - first + 1 > EVENT_BLOCK ?
		    q->hi - EVENT_BLOCK + 1 : first;
		q->n = 0;
		rc = store_events_each(q->t->st, q->t->txn, lo, count_one, q);
		if (rc != 0 && rc != WALK_STOP)
			break;
		rc = 0;
		if ((int64_t)q->n >= need) {
			*start = q->seqs[q->n - (size_t)need];
			break;
		}
		need -= (int64_t)q->n;
		if (lo == first)
			break;
	}
	free(q->seqs);
	q->seqs = NULL;
	return rc;
}

static int
deliver(const struct cadv_event *e, void *arg)
{
	struct evq *q = arg;

	e = event_view(q, e);
	if (!ev_match(q->r, e))
		return 0;
	return q->cb(e, q->arg);
}

CADV_EXPORT int
cadv_events(struct cadv_txn *t, const struct cadv_event_request *r,
    cadv_event_cb cb, void *arg)
{
	struct evq q = { .t = t, .r = r, .cb = cb, .arg = arg };
	uint64_t start;
	int rc;

	if (r->max == 0)
		return 0;
	if ((q.view = malloc(sizeof(*q.view))) == NULL ||
	    (q.pair = malloc(sizeof(*q.pair))) == NULL) {
		free(q.view);
		return ENOMEM;
	}
	if ((rc = newest_start(&q, &start)) == 0 && start != 0)
		rc = store_events_each(t->st, t->txn, start, deliver, &q);
	free(q.view);
	free(q.pair);
	return rc;
}

CADV_EXPORT void
cadv_event_request_init(struct cadv_event_request *r)
{
	ev_request_init(r);
}

CADV_EXPORT int
cadv_event_matches(const struct cadv_event_request *r,
    const struct cadv_event *e)
{
	return ev_match(r, e);
}

CADV_EXPORT int
cadv_events_each(struct cadv_txn *t, uint64_t from_seq, cadv_event_cb cb,
    void *arg)
{
	return store_events_each(t->st, t->txn, from_seq, cb, arg);
}

CADV_EXPORT int
cadv_events_last(struct cadv_txn *t, uint64_t *seq)
{
	return store_events_last(t->st, t->txn, seq);
}

CADV_EXPORT const char *
cadv_event_type_name(enum cadv_event_type type)
{
	return event_type_name(type);
}

CADV_EXPORT const char *
cadv_event_type_cadvisor(enum cadv_event_type type)
{
	return event_type_cadvisor(type);
}

CADV_EXPORT int
cadv_event_type_parse(const char *s, enum cadv_event_type *type)
{
	return event_type_parse(s, type) == 0 ? 0 : EINVAL;
}
