/* identd: container identities from the runtimes' own state into the
 * store (identd(8)).  Forks its reader before the store is open: the
 * reader never holds the store, the writer never reads runtime state. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "clock.h"
#include "daemon.h"
#include "duration.h"
#include "hostroot.h"
#include "identd.h"
#include "log.h"
#include "loopfds.h"
#include "paths.h"
#include "store.h"
#include "storewrite.h"

#define CHECK_DEFAULT	(5 * NS_PER_SEC)
#define BEAT_NS		(5 * NS_PER_SEC)
/* cAdvisor's fsHandler measures each container's layer every minute */
#define LAYER_DEFAULT	(60 * NS_PER_SEC)
#define BUDGET_DEFAULT	20000	/* entries a second a walk may look at */

static void
usage(void)
{
	fprintf(stderr, "usage: identd [-d] [--store DIR] [--host-root DIR] "
	    "[--env NAME[,NAME...]]\n"
	    "              [--containerd-state DIR] [--containerd-root DIR] "
	    "[--docker-root DIR]\n"
	    "              [--storage-root DIR] [--storage-runroot DIR] "
	    "[--check-interval DURATION]\n"
	    "              [--reader-user NAME|UID:GID] "
	    "[--layer-interval DURATION|off]\n"
	    "              [--layer-budget ENTRIES/S] " DAEMON_USAGE "\n");
	exit(2);
}

/* --env NAME,NAME: appended to the allow-list */
static void
add_env(struct identd_conf *c, size_t *n, char *arg)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(arg, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (*n == IDENTD_ENV_MAX) {
			log_warnx("--env: at most %d names", IDENTD_ENV_MAX);
			usage();
		}
		if (tok[0] == '*' || strchr(tok, '=') != NULL) {
			log_warnx("--env %s: want variable names (NAME, or a "
			    "prefix PREFIX*)", tok);
			usage();
		}
		c->env[(*n)++] = tok;
	}
}

/* The reader's (and the layer walker's) side of the fork: its user, one
 * capability, its filter. */
static void
start_reader(struct identd_conf *conf, const struct priv_user *ru,
    int fd, pid_t parent, void (*fn)(struct identd_conf *, int))
{
	int root = priv_is_root();

	/* runtime state is root's, 0600 in 0700 directories: reading it
	 * needs CAP_DAC_READ_SEARCH, and nothing else */
	priv_drop_keep(ru, CAP_DAC_READ_SEARCH);
	if (root)
		log_info("reader running as %s (uid %u) with "
		    "CAP_DAC_READ_SEARCH only", ru->name, (unsigned)ru->uid);
	/* after the drop: a uid change clears the parent-death signal */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) == -1)
		fatal("PR_SET_PDEATHSIG");
	if (getppid() != parent)
		_exit(0);
	sandbox_enter(SANDBOX_IDENTREADER, !conf->no_seccomp);
	fn(conf, fd);
	_exit(1);
}

/* What the options name beyond the processes' settings. */
struct options {
	const char	*store, *reader_user;
	size_t		 nenv;
	struct daemon_ctx dc;
};

static void
parse_options(struct identd_conf *conf, struct options *o, int argc,
    char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "host", required_argument, NULL, 'H' },
		{ "host-root", required_argument, NULL, 'H' },
		{ "env", required_argument, NULL, 'e' },
		{ "containerd-state", required_argument, NULL, 'c' },
		{ "containerd-root", required_argument, NULL, 'C' },
		{ "docker-root", required_argument, NULL, 'D' },
		{ "storage-root", required_argument, NULL, 'S' },
		{ "storage-runroot", required_argument, NULL, 'R' },
		{ "check-interval", required_argument, NULL, 'i' },
		{ "reader-user", required_argument, NULL, 'u' },
		{ "layer-interval", required_argument, NULL, 'L' },
		{ "layer-budget", required_argument, NULL, 'B' },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	char *endp;
	int ch;

	memset(o, 0, sizeof(*o));
	memset(conf, 0, sizeof(*conf));
	rt_config_default(&conf->rt);
	if (getenv(HOSTROOT_ENV) != NULL)
		conf->rt.host = getenv(HOSTROOT_ENV);
	conf->check_ns = CHECK_DEFAULT;
	conf->layer_ns = LAYER_DEFAULT;
	conf->layer_budget = BUDGET_DEFAULT;
	while ((ch = getopt_long(argc, argv, "dU:", opts, NULL)) != -1) {
		switch (ch) {
		case 's': o->store = optarg; break;
		case 'H': conf->rt.host = optarg; break;
		case 'e': add_env(conf, &o->nenv, optarg); break;
		case 'c': conf->rt.containerd_state = optarg; break;
		case 'C': conf->rt.containerd_root = optarg; break;
		case 'D': conf->rt.docker_root = optarg; break;
		case 'S': conf->rt.storage_root = optarg; break;
		case 'R': conf->rt.storage_runroot = optarg; break;
		case 'u': o->reader_user = optarg; break;
		case 'L':
			if (strcmp(optarg, "off") == 0) {
				conf->layer_ns = 0;
				break;
			}
			if (duration_parse(optarg, &conf->layer_ns) == -1 ||
			    conf->layer_ns < NS_PER_SEC ||
			    conf->layer_ns > 24 * 3600 * NS_PER_SEC) {
				log_warnx("--layer-interval %s: want a duration "
				    "from 1s to 24h, like 1m, or off", optarg);
				usage();
			}
			break;
		case 'B':
			errno = 0;
			conf->layer_budget = strtoull(optarg, &endp, 10);
			if (errno != 0 || endp == optarg || *endp != '\0' ||
			    conf->layer_budget < 100 ||
			    conf->layer_budget > 100000000) {
				log_warnx("--layer-budget %s: want entries a "
				    "second from 100 to 100000000", optarg);
				usage();
			}
			break;
		case 'i':
			if (duration_parse(optarg, &conf->check_ns) == -1 ||
			    conf->check_ns < NS_PER_SEC / 10 ||
			    conf->check_ns > 3600 * NS_PER_SEC) {
				log_warnx("--check-interval %s: want a duration "
				    "from 100ms to 1h, like 5s", optarg);
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
	conf->rt.env_allow = conf->env;
	conf->rt.nenv_allow = o->nenv;
	conf->no_seccomp = o->dc.no_seccomp;
	if (rt_nsources == 0 || rt_nsources > 8)
		fatalx("identd knows %zu runtime sources", rt_nsources);
}

/* The user the reader and the layer walker run as (root only). */
static void
reader_user(const struct options *o, struct priv_user *ru)
{
	char err[PATH_MAX + 256];

	memset(ru, 0, sizeof(*ru));
	if (!priv_is_root())
		return;
	if (priv_lookup(o->reader_user, PRIV_USER_IDENT, ru, err,
	    sizeof(err)) == -1)
		fatalx("--reader-user: %s", err);
	if (ru->fallback)
		log_warnx("no user %s (make install or systemd-sysusers "
		    "creates it): the reader runs as %s", PRIV_USER_IDENT,
		    ru->name);
}

/* The reader, and the layer walker unless it is off: forked before the
 * store is open.  Their pipes' read ends into fd[0] and lfd[0] (-1: no
 * walker); their pids. */
static void
fork_readers(struct identd_conf *conf, const struct priv_user *ru, int *fd,
    int *lfd, pid_t *pid, pid_t *lpid)
{
	pid_t parent = getpid();
	int p[2], lp[2];

	*lfd = -1;
	*lpid = 0;
	if (pipe2(p, O_CLOEXEC) == -1)
		fatal("pipe2");
	if ((*pid = fork()) == -1)
		fatal("fork");
	if (*pid == 0) {
		close(p[0]);
		start_reader(conf, ru, p[1], parent, reader_main);
	}
	close(p[1]);
	*fd = p[0];
	if (conf->layer_ns == 0)
		return;
	if (pipe2(lp, O_CLOEXEC) == -1)
		fatal("pipe2");
	if ((*lpid = fork()) == -1)
		fatal("fork");
	if (*lpid == 0) {
		close(p[0]);
		close(lp[0]);
		start_reader(conf, ru, lp[1], parent, layer_main);
	}
	close(lp[1]);
	*lfd = lp[0];
}

int
main(int argc, char **argv)
{
	struct identd_conf conf;
	struct options o;
	struct priv_user ru;
	char dir[PATH_MAX], err[PATH_MAX + 256];
	struct store *st;
	int fd, lfd, sfd, tfd, rc;
	pid_t pid, lpid;

	log_init(cadv_writer_name(CADV_W_IDENTD), 0);
	parse_options(&conf, &o, argc, argv);

	daemon_start(&o.dc);
	reader_user(&o, &ru);
	if (paths_store(o.store, dir, sizeof(dir), err, sizeof(err)) != 0)
		fatalx("%s", err);
	fork_readers(&conf, &ru, &fd, &lfd, &pid, &lpid);
	sfd = loop_signalfd(0);
	tfd = loop_timerfd();
	if ((rc = store_open(&st, dir, err, sizeof(err))) != 0)
		fatalx("%s", err);
	daemon_store_notes(st);
	/* the store is open: hand it over; the writer reads no file again */
	daemon_drop(&o.dc, dir, NULL, SANDBOX_IDENTD);

	loop_timer_every(tfd, BEAT_NS);
	log_info("store %s, %zu runtime sources, reader pid %ld", dir,
	    rt_nsources, (long)pid);
	if (lpid != 0)
		log_info("layer walker pid %ld: each writable layer every "
		    "%llu s, at most %llu entries/s", (long)lpid,
		    (unsigned long long)(conf.layer_ns / NS_PER_SEC),
		    (unsigned long long)conf.layer_budget);
	rc = writer_loop(st, fd, lfd, sfd, tfd);
	store_close(st);
	return rc;
}
