/* eventd: OOM kills from /dev/kmsg, the event storage policy, and
 * subscriptions on a unix socket. */
#ifndef EVENTD_H
#define EVENTD_H

#include <limits.h>
#include <poll.h>
#include <stdint.h>

#include "evreq.h"
#include "kmsg.h"
#include "store.h"

#define MAX_CLIENTS_DEFAULT	64
/* one user's share of the clients when --max-clients-per-uid is not
 * given: a quarter, so that one user cannot take every slot */
#define PER_UID_DIVISOR		4
#define CLIENT_QUEUE		1024	/* events queued per client */
#define REQUEST_MAX		4096
#define REQUEST_TIMEOUT_NS	(5 * 1000000000ULL)

struct policy {
	uint64_t	max_age[CADV_EV_TYPE_MAX + 1];	/* ns; 0: no limit */
	int64_t		max_count[CADV_EV_TYPE_MAX + 1];	/* 0: not stored */
};

struct client;

struct eventd {
	struct store	*st;
	struct policy	 pol;
	int		 kfd;		/* /dev/kmsg or -1 */
	struct oom_parser op;
	uint64_t	 kmsg_last;	/* last record handled */
	uint64_t	 kmsg_lost;
	uint64_t	 kmsg_saved;	/* resume point last written */
	char		 boot_id[64];
	int64_t		 clock_off;	/* realtime - monotonic, ns */
	int		 lfd;		/* listening socket */
	struct client	**clients;
	int		 nclients, max_clients;
	int		 max_per_uid;	/* clients of one peer uid, root's too */
	gid_t		 store_gid;
	struct cadv_ident *ident;	/* subs.c's scratch, or NULL */
	/* the loop's: the store's directory, the socket's path; signals,
	 * the timer, poll's array; when the periodic work was last done */
	char		 dir[PATH_MAX], sockbuf[PATH_MAX];
	const char	*sock;		/* --socket, or sockbuf */
	int		 sfd, tfd;
	struct pollfd	*pfd;
	uint64_t	 last_prune, last_beat, last_save;	/* mono */
};

/* policy.c */
void	policy_init(struct policy *);
int	policy_parse(struct policy *, const char *arg, int counts,
	    const char **err);
/* Applies the policy to the events table. */
int	policy_prune(struct eventd *);

/* kmsgsrc.c */
int	kmsg_open(struct eventd *, const char *path);
/* Reads what /dev/kmsg has; stores kills as events. */
void	kmsg_drain(struct eventd *);
void	kmsg_save(struct eventd *);

/* subs.c */
void	subs_accept(struct eventd *);
/* Handles poll results for client i; returns 0, or -1 if it closed. */
int	subs_io(struct eventd *, int i, short revents);
void	subs_expire(struct eventd *, uint64_t mono);
/* Feeds every client from the events table, as far as its queue has
 * room, and writes what it can. */
void	subs_tail(struct eventd *);
/* An event not stored (count 0): straight to the subscribers. */
void	subs_send(struct eventd *, const struct cadv_event *);
short	subs_events(struct eventd *, int i);
int	subs_fd(struct eventd *, int i);
/* Closes every client; frees what the subscriptions hold. */
void	subs_free(struct eventd *);

#endif
