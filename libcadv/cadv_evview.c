/* One event as cAdvisor's API names it, for a reader that walks the
 * events itself (cadv_events_each: an answer sent in pieces, each from a
 * snapshot of its own, or a stream of the events to come) where
 * cadv_events with CADV_EVQ_CADVISOR_NAMES gives the newest at once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cadv_impl.h"

#define WALK_STOP	1	/* a callback's "enough", never an error */

static int
copy_first(const struct cadv_event *e, void *arg)
{
	memcpy(arg, e, sizeof(*e));
	return WALK_STOP;
}

/* e with its container named name, and its victim the container e names */
static const struct cadv_event *
swapped(struct cadv_event *v, const struct cadv_event *e, const char *name,
    size_t len)
{
	memcpy(v, e, sizeof(*v));
	memcpy(v->container, name, len);
	v->container[len] = '\0';
	v->container_len = len;
	memcpy(v->victim, e->container, e->container_len);
	v->victim[e->container_len] = '\0';
	v->victim_len = e->container_len;
	return v;
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
 * told).  cadv_events uses it for CADV_EVQ_CADVISOR_NAMES.
 */
CADV_EXPORT int
cadv_event_view(struct cadv_txn *t, const struct cadv_event *e,
    struct cadv_event *scratch, const struct cadv_event **view)
{
	struct cadv_event *k;
	int rc;

	*view = e;
	if (e->type == CADV_EV_OOM_KILL && e->victim_len != 0)
		*view = swapped(scratch, e, e->victim, e->victim_len);
	if (e->type != CADV_EV_OOM)
		return 0;
	if ((k = malloc(sizeof(*k))) == NULL)
		return ENOMEM;
	k->seq = 0;
	rc = store_events_each(t->st, t->txn, e->seq + 1, copy_first, k);
	if (rc == WALK_STOP)
		rc = 0;
	if (rc == 0 && k->seq == e->seq + 1 && k->type == CADV_EV_OOM_KILL &&
	    k->ts_ns == e->ts_ns && k->victim_len == e->container_len &&
	    memcmp(k->victim, e->container, e->container_len) == 0)
		*view = swapped(scratch, e, k->container, k->container_len);
	free(k);
	return rc;
}
