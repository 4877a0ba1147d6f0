/* cadvinit: PID 1 of cadv's container image.  Starts `watcherd |
 * collectord` (one unit: if either ends, both restart), eventd, identd and
 * exporterd in the foreground, their stderr on ours; reaps every child, its
 * own and orphans alike (as PID 1, or as a subreaper elsewhere); restarts a
 * daemon that ended with a backoff; forwards TERM, INT and HUP to all and
 * exits once they are gone, killing what outlives the grace period.  See
 * cadvinit(8). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define BACKOFF_FIRST_S		1
#define BACKOFF_MAX_S		30
#define STABLE_S		60	/* up this long: the next restart is quick */
#define GRACE_DEFAULT_S		10
#define MAX_ARGS		64

enum unit_id { U_PIPELINE, U_EVENTD, U_IDENTD, U_EXPORTERD, U_COUNT };
enum unit_state { ST_OFF, ST_RUNNING, ST_STOPPING, ST_WAITING };

/* The pipeline's unit has two processes; the others one. */
struct proc {
	const char	*name;
	const char	*env;		/* CADV_<NAME>_ARGS */
	char		*args;		/* --NAME-args, else $env */
	pid_t		 pid;		/* 0: not running */
	int		 host_root;	/* takes --host-root */
};

struct unit {
	const char	*name;
	struct proc	 procs[2];
	int		 nprocs;
	int		 optional;	/* skipped when its binary is missing */
	int		 enabled;
	enum unit_state	 state;
	time_t		 started;	/* monotonic seconds */
	time_t		 restart_at;
	int		 backoff;	/* seconds before the next restart */
};

static struct unit units[U_COUNT] = {
	[U_PIPELINE] = { "watcherd | collectord",
	    { { "watcherd", "CADV_WATCHERD_ARGS", NULL, 0, 1 },
	      { "collectord", "CADV_COLLECTORD_ARGS", NULL, 0, 1 } }, 2, 0, 1,
	    ST_OFF, 0, 0, BACKOFF_FIRST_S },
	[U_EVENTD] = { "eventd",
	    { { "eventd", "CADV_EVENTD_ARGS", NULL, 0, 0 } }, 1, 0, 1,
	    ST_OFF, 0, 0, BACKOFF_FIRST_S },
	[U_IDENTD] = { "identd",
	    { { "identd", "CADV_IDENTD_ARGS", NULL, 0, 1 } }, 1, 1, 1,
	    ST_OFF, 0, 0, BACKOFF_FIRST_S },
	[U_EXPORTERD] = { "exporterd",
	    { { "exporterd", "CADV_EXPORTERD_ARGS", NULL, 0, 1 } }, 1, 1, 1,
	    ST_OFF, 0, 0, BACKOFF_FIRST_S },
};

struct config {
	const char	*bindir;
	const char	*host_root;	/* NULL: not passed on */
	int		 grace;
	char		 own_dir[PATH_MAX];	/* where we are, bindir's default */
};

static time_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
usage(void)
{
	fprintf(stderr, "usage: cadvinit [-d] [-b BINDIR] [-s STORE] "
	    "[--host-root DIR] [--grace SECONDS]\n"
	    "\t[--without DAEMON]... [--DAEMON-args ARGS]...\n");
	exit(2);
}

/* Splits s (a copy of it) on blanks into argv from index *n on. */
static int
split_args(const char *s, char **argv, int *n, int max)
{
	char *copy, *tok, *save;

	if (s == NULL)
		return 0;
	if ((copy = strdup(s)) == NULL)
		return -1;
	for (tok = strtok_r(copy, " \t\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\n", &save)) {
		if (*n >= max - 1) {
			errno = E2BIG;
			return -1;
		}
		argv[(*n)++] = tok;
	}
	/* copy stays referenced by argv until exec */
	return 0;
}

/* In the child: never returns. */
static void
exec_proc(const struct config *cf, const struct proc *p)
{
	char path[PATH_MAX];
	char *argv[MAX_ARGS];
	int n = 0;
	sigset_t none;
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	/* a daemon of its own process group: a TTY's ^C reaches us only,
	 * and we pass it on once */
	setpgid(0, 0);
	if (snprintf(path, sizeof(path), "%s/%s", cf->bindir, p->name) >=
	    (int)sizeof(path)) {
		log_warnx("%s/%s: path too long", cf->bindir, p->name);
		_exit(127);
	}
	argv[n++] = (char *)p->name;
	/* eventd reads /dev/kmsg and cgroup names only, the container's
	 * own device and mount table */
	if (cf->host_root != NULL && p->host_root) {
		argv[n++] = (char *)"--host-root";
		argv[n++] = (char *)cf->host_root;
	}
	if (split_args(p->args, argv, &n, MAX_ARGS) == -1) {
		log_warn("%s: arguments", p->name);
		_exit(127);
	}
	argv[n] = NULL;
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) != -1 &&
	    fd != STDIN_FILENO && strcmp(p->name, "collectord") != 0)
		dup2(fd, STDIN_FILENO);
	execv(path, argv);
	log_warn("exec %s", path);
	_exit(127);
}

static void
describe(int status, char *buf, size_t sz)
{
	if (WIFEXITED(status))
		snprintf(buf, sz, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sz, "killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else
		snprintf(buf, sz, "ended (wait status 0x%x)", status);
}

static int
start_unit(const struct config *cf, struct unit *u)
{
	int pfd[2] = { -1, -1 };

	if (u->nprocs == 2 && pipe2(pfd, O_CLOEXEC) == -1) {
		log_warn("%s: pipe", u->name);
		return -1;
	}
	for (int i = 0; i < u->nprocs; i++) {
		struct proc *p = &u->procs[i];
		pid_t pid = fork();

		if (pid == -1) {
			log_warn("%s: fork", p->name);
			continue;	/* the unit's other end restarts it */
		}
		if (pid == 0) {
			if (u->nprocs == 2) {
				/* watcherd writes, collectord reads */
				if (dup2(pfd[i == 0], i == 0 ? STDOUT_FILENO :
				    STDIN_FILENO) == -1)
					_exit(127);
			}
			exec_proc(cf, p);
		}
		p->pid = pid;
		log_info("started %s (pid %d)", p->name, (int)pid);
	}
	if (u->nprocs == 2) {
		close(pfd[0]);
		close(pfd[1]);
	}
	u->state = ST_RUNNING;
	u->started = now_s();
	return 0;
}

static int
unit_alive(const struct unit *u)
{
	for (int i = 0; i < u->nprocs; i++)
		if (u->procs[i].pid > 0)
			return 1;
	return 0;
}

/* A daemon that dropped to its own user can be signalled by root only
 * with CAP_KILL: say so when it is missing, the stop would hang on it. */
static void
signal_unit(struct unit *u, int sig)
{
	for (int i = 0; i < u->nprocs; i++)
		if (u->procs[i].pid > 0 &&
		    kill(u->procs[i].pid, sig) == -1 && errno != ESRCH)
			log_warn("cannot send signal %d to %s (pid %d)%s", sig,
			    u->procs[i].name, (int)u->procs[i].pid,
			    errno == EPERM ? " (without CAP_KILL)" : "");
}

/* A child ended: which unit's, and what follows.  Orphans (a daemon's
 * own children, or anything reparented to PID 1) are reaped and no more. */
static void
child_ended(pid_t pid, int status, int stopping)
{
	char how[96];

	describe(status, how, sizeof(how));
	for (int k = 0; k < U_COUNT; k++) {
		struct unit *u = &units[k];

		for (int i = 0; i < u->nprocs; i++) {
			if (u->procs[i].pid != pid)
				continue;
			u->procs[i].pid = 0;
			log_info("%s (pid %d) %s", u->procs[i].name, (int)pid,
			    how);
			if (stopping)
				return;
			if (u->state == ST_RUNNING && unit_alive(u)) {
				/* one end of the pipeline went: the other
				 * follows, and both restart together */
				log_info("%s: stopping the rest of the unit",
				    u->name);
				signal_unit(u, SIGTERM);
				u->state = ST_STOPPING;
			}
			if (!unit_alive(u)) {
				time_t t = now_s();

				if (t - u->started >= STABLE_S)
					u->backoff = BACKOFF_FIRST_S;
				u->restart_at = t + u->backoff;
				log_info("restarting %s in %d s", u->name,
				    u->backoff);
				u->backoff *= 2;
				if (u->backoff > BACKOFF_MAX_S)
					u->backoff = BACKOFF_MAX_S;
				u->state = ST_WAITING;
			}
			return;
		}
	}
	log_debug("reaped pid %d (%s)", (int)pid, how);
}

static void
reap(int stopping)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		child_ended(pid, status, stopping);
}

static int
any_alive(void)
{
	for (int k = 0; k < U_COUNT; k++)
		if (unit_alive(&units[k]))
			return 1;
	return 0;
}

/* TERM to all, then KILL after the grace period; returns 0 once every
 * daemon has been reaped, 1 when some could not be killed (no CAP_KILL)
 * another grace period later. */
static int
shutdown_all(const struct config *cf, int sig)
{
	time_t deadline = now_s() + cf->grace;
	sigset_t set;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int killed = 0;

	log_info("signal %d (%s): stopping the daemons", sig, strsignal(sig));
	for (int k = 0; k < U_COUNT; k++)
		signal_unit(&units[k], SIGTERM);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	reap(1);
	while (any_alive()) {
		if (!killed && now_s() >= deadline) {
			log_warnx("daemons still running after %d s: KILL",
			    cf->grace);
			for (int k = 0; k < U_COUNT; k++)
				signal_unit(&units[k], SIGKILL);
			killed = 1;
			deadline = now_s() + cf->grace + 1;
		} else if (killed && now_s() >= deadline) {
			log_warnx("daemons survived KILL: leaving them");
			return 1;
		}
		/* further TERMs are ours already: only children count */
		sigtimedwait(&set, NULL, &ts);
		reap(1);
	}
	log_info("every daemon is gone");
	return 0;
}

/* The daemons sit beside us, in a build tree as installed. */
static const char *
own_dir(struct config *cf)
{
	char *dir = cf->own_dir, *slash;
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(cf->own_dir) - 1);

	if (n <= 0)
		return "/usr/sbin";
	dir[n] = '\0';
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return "/usr/sbin";
	*slash = '\0';
	return dir;
}

static int
have_binary(const struct config *cf, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", cf->bindir, name);
	return access(path, X_OK) == 0;
}

static int
unit_by_name(const char *name)
{
	for (int k = 0; k < U_COUNT; k++)
		for (int i = 0; i < units[k].nprocs; i++)
			if (strcmp(units[k].procs[i].name, name) == 0)
				return k;
	return -1;
}

/* --watcherd-args and the like: one option per daemon */
enum { OPT_HOST_ROOT = 0x100, OPT_GRACE, OPT_WITHOUT, OPT_ARGS0 };

/* Options, then the environment's CADV_* for what they leave; returns
 * whether -d was given. */
static int
parse_options(struct config *cf, int argc, char *argv[])
{
	struct option opts[16] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "bindir", required_argument, NULL, 'b' },
		{ "store", required_argument, NULL, 's' },
		{ "host-root", required_argument, NULL, OPT_HOST_ROOT },
		{ "grace", required_argument, NULL, OPT_GRACE },
		{ "without", required_argument, NULL, OPT_WITHOUT },
	};
	char argname[U_COUNT + 1][24];
	struct proc *byopt[8];
	int nopt = 6, nproc = 0, debug = 0, ch, k;
	const char *env;
	char *end;

	for (k = 0; k < U_COUNT; k++)
		for (int i = 0; i < units[k].nprocs; i++) {
			struct proc *p = &units[k].procs[i];

			snprintf(argname[nproc], sizeof(argname[nproc]),
			    "%s-args", p->name);
			opts[nopt++] = (struct option){ argname[nproc],
			    required_argument, NULL, OPT_ARGS0 + nproc };
			byopt[nproc++] = p;
			p->args = getenv(p->env);
		}
	cf->bindir = own_dir(cf);
	if ((env = getenv("CADV_BINDIR")) != NULL && env[0] != '\0')
		cf->bindir = env;
	if ((env = getenv("CADV_HOST_ROOT")) != NULL && env[0] != '\0')
		cf->host_root = env;
	while ((ch = getopt_long(argc, argv, "db:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'b':
			cf->bindir = optarg;
			break;
		case 's':
			/* the daemons' own rule (paths.h) takes it from here */
			if (setenv("CADV_STORE", optarg, 1) == -1)
				fatal("setenv");
			break;
		case OPT_HOST_ROOT:
			cf->host_root = optarg;
			break;
		case OPT_GRACE:
			errno = 0;
			cf->grace = (int)strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || cf->grace < 0 ||
			    cf->grace > 3600)
				usage();
			break;
		case OPT_WITHOUT:
			if ((k = unit_by_name(optarg)) == -1 || k == U_PIPELINE)
				fatalx("--without %s: not one of eventd, "
				    "identd, exporterd", optarg);
			units[k].enabled = 0;
			break;
		default:
			if (ch >= OPT_ARGS0 && ch < OPT_ARGS0 + nproc) {
				byopt[ch - OPT_ARGS0]->args = optarg;
				break;
			}
			usage();
		}
	}
	if (optind != argc)
		usage();
	return debug;
}

/* Every signal we act on comes through sigtimedwait: blocked here. */
static void
block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, set, NULL) == -1)
		fatal("sigprocmask");
}

/* Each enabled unit whose binaries are there; an optional one missing
 * is left out, a required one is fatal. */
static void
start_all(const struct config *cf)
{
	for (int k = 0; k < U_COUNT; k++) {
		struct unit *u = &units[k];

		for (int i = 0; u->enabled && i < u->nprocs; i++) {
			if (have_binary(cf, u->procs[i].name))
				continue;
			if (!u->optional)
				fatalx("%s/%s: missing or not executable",
				    cf->bindir, u->procs[i].name);
			log_info("%s/%s is not installed: not started",
			    cf->bindir, u->procs[i].name);
			u->enabled = 0;
		}
		if (u->enabled)
			start_unit(cf, u);
	}
}

/* Reaps and restarts until a stopping signal; then stops them all. */
static int
run(const struct config *cf, const sigset_t *set)
{
	for (;;) {
		struct timespec ts = { 1, 0 };
		time_t t = now_s(), next = t + 3600;
		siginfo_t si;
		int sig, k;

		for (k = 0; k < U_COUNT; k++)
			if (units[k].state == ST_WAITING &&
			    units[k].restart_at < next)
				next = units[k].restart_at;
		ts.tv_sec = next > t ? next - t : 0;
		sig = sigtimedwait(set, &si, &ts);
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
			return shutdown_all(cf, sig);
		if (sig == -1 && errno != EAGAIN && errno != EINTR)
			fatal("sigtimedwait");
		reap(0);
		t = now_s();
		for (k = 0; k < U_COUNT; k++) {
			struct unit *u = &units[k];

			if (u->state == ST_WAITING && u->restart_at <= t)
				start_unit(cf, u);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct config cf = { NULL, NULL, GRACE_DEFAULT_S, "" };
	sigset_t set;

	log_init("cadvinit", parse_options(&cf, argc, argv));
	if (cf.host_root != NULL && cf.host_root[0] != '/')
		fatalx("--host-root %s: not an absolute path", cf.host_root);

	block_signals(&set);
	/* outside a container, orphans of our daemons come to us, not to
	 * the host's init: what PID 1 reaps there, we reap here */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("PR_SET_CHILD_SUBREAPER");
	start_all(&cf);
	return run(&cf, &set);
}
