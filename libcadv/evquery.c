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
	struct cadv_event *view;	/* event_view's scratch */
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

/* cAdvisor's names for an OOM (cadv_event_view) when the request asks
 * for them; the event as stored when the kill after an oom cannot be read */
static const struct cadv_event *
event_view(struct evq *q, const struct cadv_event *e)
{
	const struct cadv_event *v;

	if (!(q->r->flags & CADV_EVQ_CADVISOR_NAMES) ||
	    cadv_event_view(q->t, e, q->view, &v) != 0)
		return e;
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
	if ((q.view = malloc(sizeof(*q.view))) == NULL)
		return ENOMEM;
	if ((rc = newest_start(&q, &start)) == 0 && start != 0)
		rc = store_events_each(t->st, t->txn, start, deliver, &q);
	free(q.view);
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
