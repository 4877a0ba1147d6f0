/* Event requests with cAdvisor's events.Request fields, shared by eventd
 * (subscriptions) and cadvctl (history straight from the store). */
#ifndef CADV_EVREQ_H
#define CADV_EVREQ_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"

#define EV_MAX_DEFAULT	10
#define EV_TYPES_ALL	((1u << (EV_TYPE_MAX + 1)) - 2)

struct ev_request {
	uint64_t	start_ns, end_ns;	/* inclusive; 0: unbounded */
	uint32_t	types;		/* bit t: type t; none matches nothing */
	int64_t		max;		/* newest N, ascending; -1: all */
	char		container[CGNAME_MAX + 1];
	size_t		clen;		/* 0: any container */
	int		subcontainers;
};

void	ev_request_init(struct ev_request *);	/* all types, newest 10 */
int	ev_match(const struct ev_request *, const struct event *);
/* A subscription: no end time. */
#define ev_is_watch(r)	((r)->end_ns == 0)

/* One JSON object: {"start_time", "end_time" (RFC 3339), "types" [names
 * cadv's or cAdvisor's], "max_events", "container", "subcontainers"}.
 * -1 with *err on anything malformed or unknown. */
int	ev_request_json(const char *, size_t, struct ev_request *,
	    const char **err);

#endif
