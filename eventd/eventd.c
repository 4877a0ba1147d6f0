/* eventd: turns kernel OOM kills into events, keeps the events table
 * under the storage policy, and serves subscriptions. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "clock.h"
#include "eventd.h"
#include "log.h"
#include "daemon.h"
#include "loopfds.h"
#include "paths.h"
#include "roots.h"
#include "storeproc.h"
#include "storewrite.h"
#include "unixsock.h"

enum { OPT_PER_UID = 0x200 };	/* long options only; past daemon.h's */

#define TAIL_EVERY_NS	(200 * 1000000ULL)	/* collectord's events, live */
#define PRUNE_EVERY_NS	(10 * 1000000000ULL)
#define SAVE_EVERY_NS	(5 * 1000000000ULL)

static void
usage(void)
{
	fprintf(stderr, "usage: eventd [-d] [--store DIR] [--socket PATH] "
	    "[--kmsg PATH] [--root PATH]...\n"
	    "              [--event-max-age TYPE=D,...] "
	    "[--event-max-count TYPE=N,...] [--max-clients N]\n"
	    "              [--max-clients-per-uid N] " DAEMON_USAGE "\n");
	exit(2);
}


static int
heartbeat_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct eventd *d = arg;
	const char *me = cadv_writer_name(CADV_W_EVENTD);
	uint64_t now = clock_now_ns();
	int rc;

	if ((rc = store_heartbeat_put(st, txn, me, now)) != 0 ||
	    (rc = store_process_note(st, txn, me, now)) != 0)
		return rc;
	/* collectord makes counter-derived OOM events only while this is
	 * stale: a kill is one event, from kmsg when we can read it */
	return d->kfd >= 0 ? store_heartbeat_put(st, txn, HEARTBEAT_KMSG, now) :
	    0;
}

/* What the options name beyond eventd's own settings. */
struct options {
	const char	*store, *sock, *kmsg;
	const char	*roots[ROOTS_MAX];
	int		 nroots;
	struct daemon_ctx dc;
};

static void
parse_options(struct eventd *d, struct options *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'S' },
		{ "kmsg", required_argument, NULL, 'k' },
		{ "root", required_argument, NULL, 'r' },
		{ "event-max-age", required_argument, NULL, 'a' },
		{ "event-max-count", required_argument, NULL, 'c' },
		{ "max-clients", required_argument, NULL, 'm' },
		{ "max-clients-per-uid", required_argument, NULL, OPT_PER_UID },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *err;
	int ch;

	memset(o, 0, sizeof(*o));
	o->kmsg = "/dev/kmsg";
	policy_init(&d->pol);
	d->max_clients = MAX_CLIENTS_DEFAULT;
	d->kfd = -1;
	while ((ch = getopt_long(argc, argv, "s:S:k:r:a:c:m:dU:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o->store = optarg;
			break;
		case 'S':
			o->sock = optarg;
			break;
		case 'k':
			o->kmsg = optarg;
			break;
		case 'r':
			if (o->nroots == ROOTS_MAX)
				fatalx("at most %d --root options", ROOTS_MAX);
			o->roots[o->nroots++] = optarg;
			break;
		case 'a':
		case 'c':
			if (policy_parse(&d->pol, optarg, ch == 'c', &err) == -1) {
				log_warnx("--event-max-%s %s: %s", ch == 'c' ?
				    "count" : "age", optarg, err);
				usage();
			}
			break;
		case 'm':
			d->max_clients = atoi(optarg);
			if (d->max_clients < 1 || d->max_clients > 4096) {
				log_warnx("--max-clients: 1 to 4096");
				usage();
			}
			break;
		case OPT_PER_UID:
			d->max_per_uid = atoi(optarg);
			if (d->max_per_uid < 1 || d->max_per_uid > 4096) {
				log_warnx("--max-clients-per-uid: 1 to 4096");
				usage();
			}
			break;
		default:
			if (!daemon_option(&o->dc, ch, optarg))
				usage();
		}
	}
	if (optind != argc)
		usage();
	if (d->max_per_uid == 0) {
		d->max_per_uid = d->max_clients / PER_UID_DIVISOR;
		if (d->max_per_uid < 1)
			d->max_per_uid = 1;
	} else if (d->max_per_uid > d->max_clients) {
		log_warnx("--max-clients-per-uid %d is more than --max-clients "
		    "%d", d->max_per_uid, d->max_clients);
		usage();
	}
}

/* The store's directory and the socket's path, from the options. */
static void
paths(struct eventd *d, const struct options *o)
{
	char err[PATH_MAX + 256];

	if (paths_store(o->store, d->dir, sizeof(d->dir), err,
	    sizeof(err)) != 0)
		fatalx("%s", err);
	if ((d->sock = o->sock) != NULL)
		return;
	if ((size_t)snprintf(d->sockbuf, sizeof(d->sockbuf), "%s/events.sock",
	    d->dir) >= sizeof(d->sockbuf))
		fatalx("store path too long for the socket");
	d->sock = d->sockbuf;
}

/* What needs privilege: the store, /dev/kmsg, the socket. */
static void
open_privileged(struct eventd *d, const struct options *o)
{
	char err[PATH_MAX + 256];
	struct stat sb;

	if (store_open(&d->st, d->dir, err, sizeof(err)) != 0)
		fatalx("%s", err);
	daemon_store_notes(d->st);
	d->store_gid = stat(d->dir, &sb) == 0 ? sb.st_gid : getegid();
	d->clock_off = (int64_t)clock_now_ns() - (int64_t)clock_mono_ns();
	/* OOM events name containers as collectord does from its roots */
	if (roots_init(o->roots, o->nroots, err, sizeof(err)) == -1)
		fatalx("--root %s", err);
	kmsg_open(d, o->kmsg);
	if ((d->lfd = unixsock_listen(d->sock, 16, err, sizeof(err))) == -1)
		fatalx("--socket %s", err);
}

/* Clients, signals, the timer; what kmsg has so far. */
static void
loop_init(struct eventd *d, const struct options *o)
{
	struct stat sb;

	if (stat(d->dir, &sb) == 0)
		d->store_gid = sb.st_gid;
	if ((d->clients = calloc((size_t)d->max_clients, sizeof(*d->clients))) ==
	    NULL || (d->pfd = calloc((size_t)d->max_clients + 4,
	    sizeof(*d->pfd))) == NULL)
		fatal("calloc");
	d->sfd = loop_signalfd(0);
	d->tfd = loop_timerfd();
	loop_timer_every(d->tfd, TAIL_EVERY_NS);
	log_info("store %s, socket %s, kmsg %s, clients %d, %d per uid",
	    d->dir, d->sock, d->kfd >= 0 ? o->kmsg : "unavailable",
	    d->max_clients, d->max_per_uid);
	kmsg_drain(d);
	d->last_save = clock_mono_ns();
}

/* The timer's work: expiries, the heartbeat, the policy, kmsg's resume
 * point.  0 when the timer could not be read. */
static int
on_timer(struct eventd *d)
{
	uint64_t exp, mono;
	int rc;

	if (read(d->tfd, &exp, sizeof(exp)) < 0)
		return 0;
	mono = clock_mono_ns();
	subs_expire(d, mono);
	if (mono - d->last_beat >= 1000000000ULL) {
		d->last_beat = mono;
		if ((rc = store_write(d->st, heartbeat_fn, d)) != 0)
			log_warnx("heartbeat: %s", store_error(d->st, rc));
		daemon_store_notes(d->st);
	}
	if (mono - d->last_prune >= PRUNE_EVERY_NS) {
		d->last_prune = mono;
		if ((rc = policy_prune(d)) != 0)
			log_warnx("storage policy: %s", store_error(d->st, rc));
	}
	if (mono - d->last_save >= SAVE_EVERY_NS) {
		d->last_save = mono;
		kmsg_save(d);
	}
	return 1;
}

/* Until a signal. */
static void
run(struct eventd *d)
{
	struct pollfd *pfd = d->pfd;
	int i;

	for (;;) {
		int n = 0, nc = d->nclients, more = 0;

		pfd[n++] = (struct pollfd){ d->sfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ d->tfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ d->lfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ d->kfd, POLLIN, 0 };
		for (i = 0; i < nc; i++)
			pfd[n++] = (struct pollfd){ subs_fd(d, i),
			    subs_events(d, i), 0 };
		if (poll(pfd, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[0].revents & POLLIN)
			return;
		if (pfd[3].revents & (POLLIN | POLLERR | POLLPRI)) {
			kmsg_drain(d);
			more = 1;	/* kills reach subscribers at once */
		}
		/* clients: from the last, since removal moves the last one
		 * into the hole */
		for (i = nc - 1; i >= 0; i--)
			if (pfd[4 + i].revents)
				subs_io(d, i, pfd[4 + i].revents);
		if (pfd[2].revents & POLLIN)
			subs_accept(d);
		if (pfd[1].revents & POLLIN) {
			if (!on_timer(d))
				continue;
			more = 1;
		}
		if (more)
			subs_tail(d);
	}
}

int
main(int argc, char **argv)
{
	struct eventd *d;
	struct options o;

	log_init(cadv_writer_name(CADV_W_EVENTD), 0);
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	parse_options(d, &o, argc, argv);
	paths(d, &o);

	daemon_start(&o.dc);
	open_privileged(d, &o);
	/* /dev/kmsg, the socket and the store are open: drop everything */
	daemon_drop(&o.dc, d->dir, d->sock, SANDBOX_EVENTD);

	loop_init(d, &o);
	run(d);
	log_info("exiting");
	kmsg_save(d);
	(void)unlink(d->sock);
	store_close(d->st);
	subs_free(d);
	free(d->pfd);
	free(d);
	return 0;
}
