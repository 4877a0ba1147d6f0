/*
 * Connection slots, so that clients that never finish a request cannot
 * lock the others out.  libmicrohttpd only times out a connection that
 * sends nothing; one that trickles its headers a byte at a time holds its
 * slot for ever.  Here every connection must complete each request's
 * headers within a deadline of the connection's start or of its previous
 * answer (the reaper, run by the main thread, cuts those that do not),
 * and a connection that comes when all slots are taken takes the slot of
 * the oldest one still waiting for headers (else of the oldest being
 * answered), which is cut.  A client that sends its request at once is
 * therefore always served, however many connections others hold open.
 */
#ifndef EXPORTERD_CONNS_H
#define EXPORTERD_CONNS_H

#include <microhttpd.h>
#include <stdint.h>

struct conns_stats {
	uint64_t	late;		/* cut: no headers by the deadline */
	uint64_t	evicted;	/* cut: their slot went to a newcomer */
};

/* slots: connections served at once; deadline_ms: for a request's
 * headers; wakefd: an eventfd the reaper's thread polls, written when a
 * deadline is armed while none was (-1: none) */
void	conns_init(unsigned slots, unsigned deadline_ms, int wakefd);
/* MHD_OPTION_NOTIFY_CONNECTION */
void	conns_notify(void *cls, struct MHD_Connection *, void **socket_context,
	    enum MHD_ConnectionNotificationCode);
/* The request's headers are in (the first call of the handler) */
void	conns_request(struct MHD_Connection *);
/* Its answer is out: the next request's headers are due */
void	conns_answered(struct MHD_Connection *);
/* Cuts the connections past their deadline; the milliseconds until the
 * next deadline, -1 when none is armed. */
int	conns_reap(void);
/* Counts since the last call, then zeroed */
void	conns_take_stats(struct conns_stats *);

#endif
