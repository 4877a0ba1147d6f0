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
	uint64_t now = clock_now_ns();
	int rc;

	if ((rc = store_heartbeat_put(st, txn, "eventd", now)) != 0 ||
	    (rc = store_process_note(st, txn, "eventd", now)) != 0)
		return rc;
	/* collectord makes counter-derived OOM events only while this is
	 * stale: a kill is one event, from kmsg when we can read it */
	return d->kfd >= 0 ? store_heartbeat_put(st, txn, "eventd.kmsg", now) : 0;
}

int
main(int argc, char **argv)
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
	static struct eventd d;
	const char *store_arg = NULL, *sock = NULL, *kmsg = "/dev/kmsg", *err;
	const char *roots[ROOTS_MAX];
	int nroots = 0;
	struct daemon_ctx dc = { 0 };
	char dir[PATH_MAX], sockpath[PATH_MAX], errbuf[PATH_MAX + 256];
	struct pollfd *pfd;
	struct stat sb;
	uint64_t last_prune = 0, last_beat = 0, last_save;
	int ch, sfd, tfd, rc, i;

	log_init("eventd", 0);
	policy_init(&d.pol);
	d.max_clients = MAX_CLIENTS_DEFAULT;
	d.kfd = -1;
	while ((ch = getopt_long(argc, argv, "s:S:k:r:a:c:m:dU:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			store_arg = optarg;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'k':
			kmsg = optarg;
			break;
		case 'r':
			if (nroots == ROOTS_MAX)
				fatalx("at most %d --root options", ROOTS_MAX);
			roots[nroots++] = optarg;
			break;
		case 'a':
		case 'c':
			if (policy_parse(&d.pol, optarg, ch == 'c', &err) == -1) {
				log_warnx("--event-max-%s %s: %s", ch == 'c' ?
				    "count" : "age", optarg, err);
				usage();
			}
			break;
		case 'm':
			d.max_clients = atoi(optarg);
			if (d.max_clients < 1 || d.max_clients > 4096) {
				log_warnx("--max-clients: 1 to 4096");
				usage();
			}
			break;
		case OPT_PER_UID:
			d.max_per_uid = atoi(optarg);
			if (d.max_per_uid < 1 || d.max_per_uid > 4096) {
				log_warnx("--max-clients-per-uid: 1 to 4096");
				usage();
			}
			break;
		default:
			if (!daemon_option(&dc, ch, optarg))
				usage();
		}
	}
	if (optind != argc)
		usage();
	if (d.max_per_uid == 0) {
		d.max_per_uid = d.max_clients / PER_UID_DIVISOR;
		if (d.max_per_uid < 1)
			d.max_per_uid = 1;
	} else if (d.max_per_uid > d.max_clients) {
		log_warnx("--max-clients-per-uid %d is more than --max-clients "
		    "%d", d.max_per_uid, d.max_clients);
		usage();
	}
	if (paths_store(store_arg, dir, sizeof(dir), errbuf, sizeof(errbuf)) != 0)
		fatalx("%s", errbuf);
	if (sock == NULL) {
		if ((size_t)snprintf(sockpath, sizeof(sockpath), "%s/events.sock",
		    dir) >= sizeof(sockpath))
			fatalx("store path too long for the socket");
		sock = sockpath;
	}
	daemon_start(&dc);
	if ((rc = store_open(&d.st, dir, 0, errbuf, sizeof(errbuf))) != 0)
		fatalx("%s", errbuf);
	daemon_store_notes(d.st);
	d.store_gid = stat(dir, &sb) == 0 ? sb.st_gid : getegid();
	d.clock_off = (int64_t)clock_now_ns() - (int64_t)clock_mono_ns();
	/* OOM events name containers as collectord does from its roots */
	if (roots_init(roots, nroots, errbuf, sizeof(errbuf)) == -1)
		fatalx("--root %s", errbuf);
	kmsg_open(&d, kmsg);
	if ((d.lfd = unixsock_listen(sock, 16, errbuf, sizeof(errbuf))) == -1)
		fatalx("--socket %s", errbuf);
	/* /dev/kmsg, the socket and the store are open: drop everything */
	daemon_drop(&dc, dir, sock, SANDBOX_EVENTD);
	if (stat(dir, &sb) == 0)
		d.store_gid = sb.st_gid;
	if ((d.clients = calloc((size_t)d.max_clients, sizeof(*d.clients))) ==
	    NULL || (pfd = calloc((size_t)d.max_clients + 4, sizeof(*pfd))) ==
	    NULL)
		fatal("calloc");
	sfd = loop_signalfd(0);
	tfd = loop_timerfd();
	loop_timer_every(tfd, TAIL_EVERY_NS);
	log_info("store %s, socket %s, kmsg %s, clients %d, %d per uid", dir,
	    sock, d.kfd >= 0 ? kmsg : "unavailable", d.max_clients,
	    d.max_per_uid);
	kmsg_drain(&d);
	last_save = clock_mono_ns();

	for (;;) {
		int n = 0, nc = d.nclients, more = 0;
		uint64_t mono;

		pfd[n++] = (struct pollfd){ sfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ tfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ d.lfd, POLLIN, 0 };
		pfd[n++] = (struct pollfd){ d.kfd, POLLIN, 0 };
		for (i = 0; i < nc; i++)
			pfd[n++] = (struct pollfd){ subs_fd(&d, i),
			    subs_events(&d, i), 0 };
		if (poll(pfd, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[0].revents & POLLIN)
			break;
		if (pfd[3].revents & (POLLIN | POLLERR | POLLPRI)) {
			kmsg_drain(&d);
			more = 1;	/* kills reach subscribers at once */
		}
		/* clients: from the last, since removal moves the last one
		 * into the hole */
		for (i = nc - 1; i >= 0; i--)
			if (pfd[4 + i].revents)
				subs_io(&d, i, pfd[4 + i].revents);
		if (pfd[2].revents & POLLIN)
			subs_accept(&d);
		if (pfd[1].revents & POLLIN) {
			uint64_t exp;

			if (read(tfd, &exp, sizeof(exp)) < 0)
				continue;
			mono = clock_mono_ns();
			more = 1;
			subs_expire(&d, mono);
			if (mono - last_beat >= 1000000000ULL) {
				last_beat = mono;
				if ((rc = store_write(d.st, heartbeat_fn, &d)) != 0)
					log_warnx("heartbeat: %s",
					    store_error(d.st, rc));
				daemon_store_notes(d.st);
			}
			if (mono - last_prune >= PRUNE_EVERY_NS) {
				last_prune = mono;
				if ((rc = policy_prune(&d)) != 0)
					log_warnx("storage policy: %s",
					    store_error(d.st, rc));
			}
			if (mono - last_save >= SAVE_EVERY_NS) {
				last_save = mono;
				kmsg_save(&d);
			}
		}
		if (more)
			subs_tail(&d);
	}
	log_info("exiting");
	kmsg_save(&d);
	(void)unlink(sock);
	store_close(d.st);
	free(pfd);
	return 0;
}
