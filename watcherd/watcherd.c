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

/* The loop's state: the tree, the output, signals and the rescan timer. */
struct watcherd {
	struct tree	 t;
	struct out	 o;
	int		 sfd, tfd;
	int		 watch_out;	/* stdout is a pipe or a socket */
	uint64_t	 interval;	/* --rescan-interval, 0: none */
	uint64_t	 armed;		/* the timer's period now */
};

/* What the options name beyond the loop's settings. */
struct options {
	char		*roots[TREE_MAX_ROOTS];
	int		 nroots;
	const char	*host_root;
	struct daemon_ctx dc;
};

static void
parse_options(struct watcherd *w, struct options *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "rescan-interval", required_argument, NULL, 'i' },
		{ "print", no_argument, NULL, 'p' },
		{ "host-root", required_argument, NULL, OPT_HOST_ROOT },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	char err[PATH_MAX + 64];
	int ch;

	memset(o, 0, sizeof(*o));
	o->host_root = getenv(HOSTROOT_ENV);
	w->interval = RESCAN_DEFAULT;
	while ((ch = getopt_long(argc, argv, "r:i:pdU:", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (o->nroots == TREE_MAX_ROOTS)
				fatalx("at most %d --root options", TREE_MAX_ROOTS);
			o->roots[o->nroots++] = optarg;
			break;
		case 'i':
			if (strcmp(optarg, "0") == 0)
				w->interval = 0;
			else if (duration_parse(optarg, &w->interval) == -1 ||
			    w->interval < NS_PER_SEC) {
				log_warnx("--rescan-interval %s: want 0 (none) "
				    "or a duration of at least 1s, like 60s or "
				    "5m", optarg);
				usage();
			}
			break;
		case 'p':
			w->o.text = 1;
			break;
		case OPT_HOST_ROOT:
			o->host_root = optarg;
			break;
		default:
			if (!daemon_option(&o->dc, ch, optarg))
				usage();
		}
	}
	if (optind != argc)
		usage();
	/* the hierarchies as mounted under it are preferred (mounts.h) */
	if (hostroot_set(o->host_root, err, sizeof(err)) == -1)
		fatalx("%s", err);
}

/* inotify and a watch on each root: what needs privilege. */
static void
open_roots(struct watcherd *w, const struct options *o)
{
	char err[PATH_MAX + 64];
	int i;

	frame_writer_init(&w->o.w, STDOUT_FILENO);
	if (tree_init(&w->t, emit, &w->o) == -1)
		fatal("inotify_init1 (fs.inotify.max_user_instances?)");
	if (o->nroots == 0)
		default_roots(&w->t);
	for (i = 0; i < o->nroots; i++)
		if (tree_add_root(&w->t, o->roots[i], err, sizeof(err)) == -1)
			fatalx("--root %s", err);
}

/* The first scan, ended by SYNC; -1 when the reader is gone already. */
static int
first_scan(struct watcherd *w)
{
	struct tree *t = &w->t;
	struct stat sb;

	tree_scan(t);
	if (!t->output_gone)
		emit(FRAME_SYNC, NULL, 0, &w->o);
	if (t->output_gone || flush(&w->o) == -1)
		return -1;
	log_info("%zu cgroups, %zu watches, %zu closed to us", t->nnodes,
	    t->watches.n, t->ndenied);
	w->armed = t->unwatched ? RESCAN_DEGRADED : w->interval;
	loop_timer_every(w->tfd, w->armed);
	/* POLLERR on a pipe's write end: the reader closed it. */
	w->watch_out = fstat(STDOUT_FILENO, &sb) == 0 &&
	    (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode));
	return 0;
}

/* Until a signal (0) or the reader's end (-1). */
static int
run(struct watcherd *w)
{
	struct tree *t = &w->t;
	struct pollfd pfd[4];
	int rc;

	for (;;) {
		int rescan = 0;

		pfd[0] = (struct pollfd){ t->ifd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ w->sfd, POLLIN, 0 };
		pfd[2] = (struct pollfd){ w->tfd, POLLIN, 0 };
		pfd[3] = (struct pollfd){ w->watch_out ? STDOUT_FILENO : -1,
		    0, 0 };
		if (poll(pfd, 4, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[3].revents & (POLLERR | POLLHUP))
			return -1;
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(w->sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					log_info("SIGHUP: rescanning");
					rescan = 1;
				} else {
					log_info("exiting on signal %u",
					    si.ssi_signo);
					flush(&w->o);
					return 0;
				}
			}
		}
		if (pfd[2].revents & POLLIN) {
			uint64_t ticks;

			if (read(w->tfd, &ticks, sizeof(ticks)) > 0)
				rescan = 1;
		}
		if (pfd[0].revents & POLLIN) {
			if ((rc = tree_handle_events(t)) == -1)
				fatal("inotify read");
			if (rc == 1) {
				log_info("inotify queue overflow or a root "
				    "removed: rescanning");
				rescan = 1;
			}
		}
		if (rescan && !t->output_gone) {
			size_t before = t->nnodes;
			uint64_t want;

			tree_scan(t);
			log_debug("rescan: %zu -> %zu cgroups, %zu unwatched",
			    before, t->nnodes, t->unwatched);
			want = t->unwatched ? RESCAN_DEGRADED : w->interval;
			if (want != w->armed) {
				w->armed = want;
				loop_timer_every(w->tfd, w->armed);
			}
		}
		if (t->output_gone || flush(&w->o) == -1)
			return -1;
	}
}

int
main(int argc, char **argv)
{
	struct watcherd *w;
	struct options o;

	log_init("watcherd", 0);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("calloc");
	parse_options(w, &o, argc, argv);

	daemon_start(&o.dc);
	/* A closed reader ends us through EPIPE, not a signal. */
	w->sfd = loop_signalfd(1);
	w->tfd = loop_timerfd();
	open_roots(w, &o);
	/* inotify and the roots are ours: nothing more needs root */
	daemon_drop(&o.dc, NULL, NULL, SANDBOX_WATCHERD);

	if (first_scan(w) == -1 || run(w) == -1) {
		/* The reader is gone: our job is over, not failed. */
		if (errno != EPIPE && !(w->o.text && ferror(stdout)) &&
		    !w->t.output_gone)
			log_debug("output closed");
	}
	tree_free(&w->t);
	free(w);
	return 0;
}
