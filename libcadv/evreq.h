/* Event requests with cAdvisor's events.Request fields, shared by eventd
 * (subscriptions) and cadvctl (history straight from the store). */
#ifndef CADV_EVREQ_H
#define CADV_EVREQ_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"

#define EV_MAX_DEFAULT	10


void	ev_request_init(struct cadv_event_request *);	/* all types, newest 10 */
int	ev_match(const struct cadv_event_request *, const struct cadv_event *);
/* A subscription: no end time. */
#define ev_is_watch(r)	((r)->end_ns == 0)

/* One JSON object: {"start_time", "end_time" (RFC 3339), "types" [names
 * cadv's or cAdvisor's], "max_events", "container", "subcontainers"}.
 * -1 with *err on anything malformed or unknown. */
int	ev_request_json(const char *, size_t, struct cadv_event_request *,
	    const char **err);

#endif
