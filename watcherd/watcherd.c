/* watcherd: finds every cgroup and follows creation and removal with
 * inotify; writes ADD/DEL/SYNC frames (docs/PROTOCOL.md) on stdout. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "duration.h"
#include "frame.h"
#include "hostroot.h"
#include "log.h"
#include "daemon.h"
#include "loopfds.h"
#include "mounts.h"
#include "tree.h"

#define RESCAN_DEFAULT		0	/* inotify is complete: no polling */
#define RESCAN_DEGRADED		(TREE_DEGRADED_RESCAN_S * NS_PER_SEC)

struct out {
	int			text;	/* --print */
	struct frame_writer	w;
};

static int
emit(enum frame_type type, const char *name, size_t len, void *arg)
{
	struct out *o = arg;

	if (!o->text)
		return frame_writer_add(&o->w, type, name, len);
	if (type == FRAME_SYNC)
		fputs("SYNC\n", stdout);
	else {
		fprintf(stdout, "%s ", frame_type_name(type));
		cgname_fputs(name, len, stdout);
		fputc('\n', stdout);
	}
	return ferror(stdout) ? -1 : 0;
}

static int
flush(struct out *o)
{
	if (o->text)
		return fflush(stdout) == EOF ? -1 : 0;
	return frame_writer_flush(&o->w);
}

static void
usage(void)
{
	fprintf(stderr, "usage: watcherd [-d] [--root PATH]... "
	    "[--rescan-interval DURATION] [--print]\n"
	    "                [--host-root DIR] " DAEMON_USAGE "\n");
	exit(2);
}

static void
default_roots(struct tree *t)
{
	struct cg_mounts ms;
	size_t idx[TREE_MAX_ROOTS], n, i;
	char err[PATH_MAX + 64];

	if (cg_mounts_read("/proc/self/mountinfo", &ms, err, sizeof(err)) == -1)
		fatalx("%s", err);
	n = cg_mounts_roots(&ms, idx, TREE_MAX_ROOTS);
	if (n == 0)
		fatalx("no cgroup hierarchy is mounted (see /proc/self/mountinfo)");
	for (i = 0; i < n; i++)
		if (tree_add_root(t, ms.m[idx[i]].path, err, sizeof(err)) == -1)
			fatalx("%s", err);
	log_info("cgroup %s: watching %zu hierarch%s", cg_mode_name(ms.mode),
	    n, n == 1 ? "y" : "ies");
	cg_mounts_free(&ms);
}

enum { OPT_HOST_ROOT = 0x180 };	/* clear of DAEMON_OPT_* */

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "rescan-interval", required_argument, NULL, 'i' },
		{ "print", no_argument, NULL, 'p' },
		{ "host-root", required_argument, NULL, OPT_HOST_ROOT },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static struct tree t;
	static struct out o;
	struct pollfd pfd[4];
	struct stat sb;
	uint64_t interval = RESCAN_DEFAULT, armed;
	char err[PATH_MAX + 64];
	int ch, sfd, tfd, watch_out, rc, nroots = 0;
	char *roots[TREE_MAX_ROOTS];
	struct daemon_ctx dc = { 0 };
	const char *host_root = getenv(HOSTROOT_ENV);

	log_init("watcherd", 0);
	while ((ch = getopt_long(argc, argv, "r:i:pdU:", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (nroots == TREE_MAX_ROOTS)
				fatalx("at most %d --root options", TREE_MAX_ROOTS);
			roots[nroots++] = optarg;
			break;
		case 'i':
			if (strcmp(optarg, "0") == 0)
				interval = 0;
			else if (duration_parse(optarg, &interval) == -1 ||
			    interval < NS_PER_SEC) {
				log_warnx("--rescan-interval %s: want 0 (none) "
				    "or a duration of at least 1s, like 60s or "
				    "5m", optarg);
				usage();
			}
			break;
		case 'p':
			o.text = 1;
			break;
		case OPT_HOST_ROOT:
			host_root = optarg;
			break;
		default:
			if (!daemon_option(&dc, ch, optarg))
				usage();
		}
	}
	if (optind != argc)
		usage();
	/* the hierarchies as mounted under it are preferred (mounts.h) */
	if (hostroot_set(host_root, err, sizeof(err)) == -1)
		fatalx("%s", err);

	daemon_start(&dc);
	/* A closed reader ends us through EPIPE, not a signal. */
	sfd = loop_signalfd(1);
	tfd = loop_timerfd();

	frame_writer_init(&o.w, STDOUT_FILENO);
	if (tree_init(&t, emit, &o) == -1)
		fatal("inotify_init1 (fs.inotify.max_user_instances?)");
	if (nroots == 0)
		default_roots(&t);
	for (ch = 0; ch < nroots; ch++)
		if (tree_add_root(&t, roots[ch], err, sizeof(err)) == -1)
			fatalx("--root %s", err);

	/* inotify and the roots are ours: nothing more needs root */
	daemon_drop(&dc, NULL, NULL, SANDBOX_WATCHERD);
	tree_scan(&t);
	if (!t.output_gone)
		emit(FRAME_SYNC, NULL, 0, &o);
	if (t.output_gone || flush(&o) == -1)
		goto closed;
	log_info("%zu cgroups, %zu watches, %zu closed to us", t.nnodes,
	    t.watches.n, t.ndenied);
	armed = t.unwatched ? RESCAN_DEGRADED : interval;
	loop_timer_every(tfd, armed);

	/* POLLERR on a pipe's write end: the reader closed it. */
	watch_out = fstat(STDOUT_FILENO, &sb) == 0 &&
	    (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode));
	for (;;) {
		int rescan = 0;

		pfd[0] = (struct pollfd){ t.ifd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ sfd, POLLIN, 0 };
		pfd[2] = (struct pollfd){ tfd, POLLIN, 0 };
		pfd[3] = (struct pollfd){ watch_out ? STDOUT_FILENO : -1, 0, 0 };
		if (poll(pfd, 4, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[3].revents & (POLLERR | POLLHUP))
			goto closed;
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					log_info("SIGHUP: rescanning");
					rescan = 1;
				} else {
					log_info("exiting on signal %u",
					    si.ssi_signo);
					flush(&o);
					tree_free(&t);
					return 0;
				}
			}
		}
		if (pfd[2].revents & POLLIN) {
			uint64_t ticks;

			if (read(tfd, &ticks, sizeof(ticks)) > 0)
				rescan = 1;
		}
		if (pfd[0].revents & POLLIN) {
			if ((rc = tree_handle_events(&t)) == -1)
				fatal("inotify read");
			if (rc == 1) {
				log_info("inotify queue overflow or a root "
				    "removed: rescanning");
				rescan = 1;
			}
		}
		if (rescan && !t.output_gone) {
			size_t before = t.nnodes;

			tree_scan(&t);
			log_debug("rescan: %zu -> %zu cgroups, %zu unwatched",
			    before, t.nnodes, t.unwatched);
			if ((t.unwatched ? RESCAN_DEGRADED : interval) != armed) {
				armed = t.unwatched ? RESCAN_DEGRADED : interval;
				loop_timer_every(tfd, armed);
			}
		}
		if (t.output_gone || flush(&o) == -1)
			goto closed;
	}
closed:
	/* The reader is gone: our job is over, not failed. */
	if (errno != EPIPE && !(o.text && ferror(stdout)) && !t.output_gone)
		log_debug("output closed");
	tree_free(&t);
	return 0;
}
