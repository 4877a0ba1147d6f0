/* collectord: reads watcherd's frames on stdin, samples every container on
 * a fixed tick and writes the samples into the store. */
#include <errno.h>
#include <fcntl.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "cgname.h"
#include "clock.h"
#include "collector.h"
#include "duration.h"
#include "frame.h"
#include "keys.h"
#include "hostroot.h"
#include "log.h"
#include "daemon.h"
#include "loopfds.h"
#include "paths.h"
#include "storewrite.h"

#define INTERVAL_DEFAULT	(1 * NS_PER_SEC)
#define RETENTION_DEFAULT	(120 * NS_PER_SEC)	/* cAdvisor's 2m */
#define SPEC_REFRESH		(10 * NS_PER_SEC)
#define FDS_PER_CTR		24	/* for the RLIMIT_NOFILE estimate */
#define MACHINE_DEFAULT		(300 * NS_PER_SEC)	/* cAdvisor's 5m */
#define FS_DEFAULT		(10 * NS_PER_SEC)
#define SHARDS_MAX		64

static void
usage(void)
{
	fprintf(stderr, "usage: collectord [-d] [--root PATH]... [--store DIR] "
	    "[--interval D] [--storage-duration D] [--max-interval D]\n"
	    "                  [--machine-interval D] [--fs-interval D] "
	    "[--max-store-size SIZE] [--shard I/N]"
	    "\n                  [--host-root DIR] " DAEMON_USAGE "\n");
	exit(2);
}

/* "I/N": this collector samples the names whose FNV-1a hash is I mod N */
static void
parse_shard(struct collector *c, const char *arg)
{
	const char *errstr = NULL;
	char buf[32], *slash;

	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf) ||
	    (slash = strchr(buf, '/')) == NULL)
		errstr = "not I/N";
	else {
		*slash = '\0';
		c->nshards = (uint64_t)strtonum(slash + 1, 1, SHARDS_MAX,
		    &errstr);
		if (errstr == NULL)
			c->shard = (uint64_t)strtonum(buf, 0,
			    (long long)c->nshards - 1, &errstr);
	}
	if (errstr != NULL) {
		log_warnx("--shard %s: want I/N with 0 <= I < N <= %d, like "
		    "0/2 (%s)", arg, SHARDS_MAX, errstr);
		usage();
	}
}

/* "64M", "2G", "1048576": bytes, binary suffixes */
static size_t
parse_size(const char *opt, const char *arg)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' ||
	    v > (SIZE_MAX >> shift) || (v << shift) < STORE_SIZE_MIN) {
		log_warnx("%s %s: want a size of at least 1M, like 512M or 2G",
		    opt, arg);
		usage();
	}
	return (size_t)(v << shift);
}

static uint64_t
parse_dur(const char *opt, const char *arg, uint64_t min)
{
	uint64_t v;

	if (duration_parse(arg, &v) == -1 || v < min) {
		log_warnx("%s %s: want a duration like 500ms, 1s, 2m "
		    "(at least %llu ms)", opt, arg,
		    (unsigned long long)(min / NS_PER_MS));
		usage();
	}
	return v;
}

static void
add_root(struct collector *c, const char *path, const struct cg_mounts *ms)
{
	char err[PATH_MAX + 64];

	if (c->nroots == MAX_ROOTS)
		fatalx("more than %d roots", MAX_ROOTS);
	if (cg_root_probe(path, ms, &c->roots[c->nroots], err,
	    sizeof(err)) == -1)
		fatalx("root %s", err);
	c->rootfd[c->nroots] = open(c->roots[c->nroots].path,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->rootfd[c->nroots] == -1)
		fatal("open %s", c->roots[c->nroots].path);
	c->nroots++;
}

static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("setrlimit RLIMIT_NOFILE");
	}
	log_info("file descriptor limit %llu: about %llu containers with "
	    "kept-open files", (unsigned long long)rl.rlim_cur,
	    (unsigned long long)rl.rlim_cur / FDS_PER_CTR);
}

static uint64_t
boot_time_ns(void)
{
	struct sysinfo si;
	uint64_t now = clock_now_ns() / NS_PER_SEC;

	if (sysinfo(&si) == -1)
		return 0;
	/* cAdvisor: now - uptime, truncated to the minute */
	return (now - (uint64_t)si.uptime) / 60 * 60 * NS_PER_SEC;
}

static void
on_add(struct collector *c, const char *name, size_t len, uint64_t now)
{
	struct ctr *k;

	if ((k = hmap_get(&c->byname, name, len)) != NULL) {
		ctr_reopen(c, k);	/* a hierarchy may have gained it */
		return;
	}
	if ((k = ctr_open(c, name, len)) == NULL)
		return;		/* gone already: its DEL follows */
	/* Spread the spec refreshes over their period by a phase of the
	 * name's own: containers added together (all of them at start) would
	 * otherwise all be read again in the same tick, ten times its work. */
	k->phase = cgname_hash(name, len);
	if (k->spec_read_mono > k->phase % SPEC_REFRESH)
		k->spec_read_mono -= k->phase % SPEC_REFRESH;
	if (hmap_put(&c->byname, k->name, k->len, k) == -1)
		fatal("hmap_put");
	TAILQ_INSERT_TAIL(&c->ctrs, k, entry);
	c->nctrs++;
	k->is_new = 1;
	/* the first sample is immediate, as in cAdvisor */
	sample_take(c, k, now);
	/* and again at the next tick: one sample per tick from then on */
	k->next_due = clock_mono_ns();
}

static void
on_del(struct collector *c, const char *name, size_t len)
{
	struct ctr *k = hmap_del(&c->byname, name, len);
	struct deletion *d;

	if (c->ndels == c->capdels) {
		size_t cap = c->capdels ? c->capdels * 2 : 16;

		if ((d = reallocarray(c->dels, cap, sizeof(*d))) == NULL)
			fatal("reallocarray");
		c->dels = d;
		c->capdels = cap;
	}
	d = &c->dels[c->ndels++];
	if ((d->name = malloc(len)) == NULL)
		fatal("malloc");
	memcpy(d->name, name, len);
	d->len = len;
	d->id = k ? k->id : 0;
	if (k != NULL) {
		TAILQ_REMOVE(&c->ctrs, k, entry);
		c->nctrs--;
		ctr_close(c, k);
		c->dels_since_out++;
	}
}

/* Drains stdin; returns 1 if frames were handled, 0 if none, -1 at end of
 * input (after persisting what came before it); exits on a bad frame. */
static int
read_frames(struct collector *c)
{
	struct frame_reader *fr = &c->fr;
	struct frame *f = &c->f;
	enum frame_status st;
	uint64_t now = clock_now_ns();
	int got = 0;
	long n;

	for (;;) {
		while ((st = frame_next(fr, f)) == FRAME_OK) {
			got = 1;
			switch (f->type) {
			case FRAME_ADD:
				if (ctr_mine(c, f->name, f->len))
					on_add(c, f->name, f->len, now);
				break;
			case FRAME_DEL:
				if (ctr_mine(c, f->name, f->len))
					on_del(c, f->name, f->len);
				break;
			case FRAME_SYNC:
				c->sync_pending = 1;
				log_info("snapshot complete: %zu containers",
				    c->nctrs);
				break;
			}
		}
		if (st == FRAME_BAD)
			fatalx("bad frame from watcherd: %s", fr->error);
		n = frame_reader_fill(fr, STDIN_FILENO);
		if (n > 0)
			continue;
		if (n == -1 && errno == EAGAIN)
			return got;
		if (n == -1)
			fatal("read stdin");
		if (frame_reader_pending(fr) > 0)
			fatalx("truncated frame at end of input");
		/* Persist what came before the end, then leave (status 1)
		 * so that the supervisor restarts the pipeline. */
		persist(c, 0);
		log_warnx("end of input: watcherd is gone; exiting so that "
		    "the pipeline restarts");
		return -1;
	}
}

static void
tick(struct collector *c)
{
	uint64_t mono = clock_mono_ns(), read_ns;
	struct ctr *k;
	int rc;

	ctr_fds_back(c);
	sample_scan_budget(c);
	TAILQ_FOREACH(k, &c->ctrs, entry) {
		int changed;

		if (mono + c->interval / 4 < k->next_due)
			continue;
		/* On v1 one ADD stands for every hierarchy, and the others
		 * may gain the directory a moment later: look again on each
		 * tick at first, then with the spec refresh. */
		if (mono - k->spec_read_mono >= SPEC_REFRESH) {
			ctr_reopen(c, k);
			ctr_read_spec(c, k);
		} else if (k->missing > 0 && mono - k->added_mono < SPEC_REFRESH) {
			int was = k->missing;

			ctr_reopen(c, k);
			if (k->missing != was)
				ctr_read_spec(c, k);
		}
		changed = sample_take(c, k, clock_now_ns());
		/* cAdvisor's dynamic housekeeping: back off while nothing
		 * changes, back to the base interval on any change */
		if (c->max_interval > c->interval) {
			if (changed)
				k->interval = c->interval;
			else if (k->interval * 2 <= c->max_interval)
				k->interval *= 2;
			else
				k->interval = c->max_interval;
		}
		k->next_due = mono + k->interval;
	}
	read_ns = clock_mono_ns();
	if ((rc = persist(c, 1)) != 0)
		log_warnx("%s: writing samples: %s", store_dir(c->st),
		    store_error(c->st, rc));
	daemon_store_notes(c->st);
	/* one line a tick with -d: what make bench reads its commit times
	 * from */
	log_debug("tick: %zu containers read in %llu us, written in %llu us "
	    "(commit %llu us)", c->nctrs,
	    (unsigned long long)(read_ns - mono) / 1000,
	    (unsigned long long)(clock_mono_ns() - read_ns) / 1000,
	    (unsigned long long)store_last_commit_ns(c->st) / 1000);
	mono = clock_mono_ns();
	if (c->fs_interval && mono >= c->fs_due) {
		c->fs_due = mono + c->fs_interval;
		if ((rc = nodeinfo_sample_fs(c)) != 0 && rc != -1)
			log_warnx("filesystems: %s", store_error(c->st, rc));
	}
	if (c->machine_interval && mono >= c->machine_due) {
		c->machine_due = mono + c->machine_interval;
		if ((rc = nodeinfo_write(c)) != 0)
			log_warnx("machine info: %s", store_error(c->st, rc));
	}
}

static void
arm_timer(int tfd, uint64_t interval, uint64_t shard, uint64_t nshards)
{
	struct itimerspec its;
	uint64_t now = clock_mono_ns(), first;

	/* drift-free: absolute expirations on multiples of the interval.
	 * Shard I of N ticks I/N of an interval later than shard 0, so that
	 * the shards' reads do not all fall on the same instant and their
	 * write transactions do not queue on LMDB's one writer lock. */
	first = (now / interval + 1) * interval;
	if (nshards > 1)
		first += interval / nshards * shard;
	its.it_value.tv_sec = (time_t)(first / NS_PER_SEC);
	its.it_value.tv_nsec = (long)(first % NS_PER_SEC);
	its.it_interval.tv_sec = (time_t)(interval / NS_PER_SEC);
	its.it_interval.tv_nsec = (long)(interval % NS_PER_SEC);
	if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) == -1)
		fatal("timerfd_settime");
}

static int
write_meta(struct store *st, MDB_txn *txn, void *arg)
{
	struct collector *c = arg;
	int rc;

	if ((rc = store_meta_put_u64(st, txn, META_INTERVAL, c->interval)) != 0)
		return rc;
	return store_meta_put_u64(st, txn, META_RETENTION, c->retention);
}

enum { OPT_HOST_ROOT = 0x180 };	/* clear of DAEMON_OPT_* */

/* What the options say beyond the collector's own settings. */
struct options {
	const char	*store, *host_root;
	const char	*roots[MAX_ROOTS];
	int		 nroots;
	size_t		 map_max;
	struct daemon_ctx dc;
};

static void
parse_options(struct collector *c, struct options *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "store", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "storage-duration", required_argument, NULL, 'R' },
		{ "max-interval", required_argument, NULL, 'm' },
		{ "machine-interval", required_argument, NULL, 'M' },
		{ "fs-interval", required_argument, NULL, 'F' },
		{ "max-store-size", required_argument, NULL, 'S' },
		{ "shard", required_argument, NULL, 'H' },
		{ "host-root", required_argument, NULL, OPT_HOST_ROOT },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	char err[PATH_MAX + 256];
	int ch;

	memset(o, 0, sizeof(*o));
	o->host_root = getenv(HOSTROOT_ENV);
	o->map_max = STORE_MAP_MAX;
	c->interval = INTERVAL_DEFAULT;
	c->retention = RETENTION_DEFAULT;
	c->machine_interval = MACHINE_DEFAULT;
	c->fs_interval = FS_DEFAULT;
	while ((ch = getopt_long(argc, argv, "r:s:i:R:m:M:F:S:H:dU:", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (o->nroots == MAX_ROOTS)
				fatalx("at most %d --root options", MAX_ROOTS);
			o->roots[o->nroots++] = optarg;
			break;
		case 's':
			o->store = optarg;
			break;
		case 'i':
			c->interval = parse_dur("--interval", optarg, 10 * NS_PER_MS);
			break;
		case 'R':
			c->retention = parse_dur("--storage-duration", optarg,
			    NS_PER_SEC);
			break;
		case 'm':
			c->max_interval = parse_dur("--max-interval", optarg,
			    10 * NS_PER_MS);
			break;
		case 'M':
			c->machine_interval = strcmp(optarg, "0") == 0 ? 0 :
			    parse_dur("--machine-interval", optarg, NS_PER_SEC);
			break;
		case 'F':
			c->fs_interval = strcmp(optarg, "0") == 0 ? 0 :
			    parse_dur("--fs-interval", optarg, NS_PER_SEC);
			break;
		case 'S':
			o->map_max = parse_size("--max-store-size", optarg);
			break;
		case 'H':
			parse_shard(c, optarg);
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
	if (hostroot_set(o->host_root, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (c->max_interval != 0 && c->max_interval < c->interval)
		fatalx("--max-interval is shorter than --interval");
	/* the machine's documents are shard 0's to write */
	if (c->shard != 0)
		c->machine_interval = c->fs_interval = 0;
}

/* Every cgroup hierarchy mounted, or the --root ones. */
static void
open_roots(struct collector *c, const struct options *o)
{
	char err[PATH_MAX + 256];
	struct cg_mounts ms;
	int i;

	if (cg_mounts_read("/proc/self/mountinfo", &ms, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (o->nroots == 0) {
		size_t idx[MAX_ROOTS], n, j;

		if ((n = cg_mounts_roots(&ms, idx, MAX_ROOTS)) == 0)
			fatalx("no cgroup hierarchy is mounted");
		for (j = 0; j < n; j++)
			add_root(c, ms.m[idx[j]].path, &ms);
	}
	for (i = 0; i < o->nroots; i++)
		add_root(c, o->roots[i], &ms);
	cg_mounts_free(&ms);
}

/* The store, its settings and the machine's documents written. */
static void
open_store(struct collector *c, const struct options *o, char *dir,
    size_t dirsz)
{
	char err[PATH_MAX + 256];
	int rc;

	if (paths_store(o->store, dir, dirsz, err, sizeof(err)) != 0)
		fatalx("%s", err);
	if ((rc = store_open_sized(&c->st, dir,
	    o->map_max < STORE_MAP_INITIAL ? o->map_max : STORE_MAP_INITIAL,
	    o->map_max, err, sizeof(err))) != 0)
		fatalx("%s", err);
	daemon_store_notes(c->st);
	if ((rc = store_write(c->st, write_meta, c)) != 0)
		fatalx("%s: %s", dir, store_error(c->st, rc));
	if (c->machine_interval && (rc = nodeinfo_write(c)) != 0)
		log_warnx("machine info: %s", store_error(c->st, rc));
	c->machine_due = clock_mono_ns() + c->machine_interval;
}

/* What the loop needs that no privilege gives: tables, buffers, the
 * signals, the tick and stdin made non-blocking. */
static void
loop_init(struct collector *c, const char *dir)
{
	struct stat sb;

	hmap_init(&c->byname);
	TAILQ_INIT(&c->ctrs);
	c->clk_tck = sysconf(_SC_CLK_TCK);
	if (c->clk_tck <= 0)
		c->clk_tck = 100;
	c->boot_ns = boot_time_ns();
	if (stat("/proc/self/net/dev", &sb) == 0)
		c->host_netns = sb.st_ino;
	c->rcap = 16384;
	if ((c->rbuf = malloc(c->rcap)) == NULL ||
	    (c->ebuf = malloc(SAMPLE_VALUE_MAX + DISKIO_VALUE_MAX)) == NULL)
		fatal("malloc");

	c->sfd = loop_signalfd(0);
	c->tfd = loop_timerfd();
	arm_timer(c->tfd, c->interval, c->shard, c->nshards);
	if (fcntl(STDIN_FILENO, F_SETFL,
	    fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK) == -1)
		fatal("stdin");
	frame_reader_init(&c->fr);
	log_info("store %s, %d root%s, interval %llu ms, storage %llu s", dir,
	    c->nroots, c->nroots == 1 ? "" : "s",
	    (unsigned long long)(c->interval / NS_PER_MS),
	    (unsigned long long)(c->retention / NS_PER_SEC));
}

/* One timer expiry: the tick, and what was late about it. */
static void
on_timer(struct collector *c)
{
	uint64_t exp = 0, t0, took;

	if (read(c->tfd, &exp, sizeof(exp)) == sizeof(exp) && exp > 1) {
		c->overruns += exp - 1;
		log_warnx("tick overrun: %llu tick%s missed (%llu in all)",
		    (unsigned long long)(exp - 1), exp == 2 ? "" : "s",
		    (unsigned long long)c->overruns);
	}
	t0 = clock_mono_ns();
	tick(c);
	/* a tick longer than the interval makes the next one late even
	 * when none is missed */
	if ((took = clock_mono_ns() - t0) > c->interval) {
		c->overruns++;
		log_warnx("tick overrun: the tick took %llu ms of a %llu ms "
		    "interval (%llu in all)",
		    (unsigned long long)(took / NS_PER_MS),
		    (unsigned long long)(c->interval / NS_PER_MS),
		    (unsigned long long)c->overruns);
	}
}

/* Until a signal (0) or the end of watcherd's frames (1). */
static int
run(struct collector *c, const char *dir)
{
	struct pollfd pfd[3];
	int rc, got;

	for (;;) {
		pfd[0] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		pfd[1] = (struct pollfd){ c->tfd, POLLIN, 0 };
		pfd[2] = (struct pollfd){ c->sfd, POLLIN, 0 };
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(c->sfd, &si, sizeof(si)) == sizeof(si)) {
				log_info("exiting on signal %u", si.ssi_signo);
				return 0;
			}
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			/* new containers and deletions reach the store now,
			 * not at the next tick */
			if ((got = read_frames(c)) == -1)
				return 1;
			if (got && (rc = persist(c, 0)) != 0)
				log_warnx("%s: %s", dir, store_error(c->st, rc));
		}
		if (pfd[1].revents & POLLIN)
			on_timer(c);
	}
}

static void
collector_free(struct collector *c)
{
	struct ctr *k;
	size_t i;

	while ((k = TAILQ_FIRST(&c->ctrs)) != NULL) {
		TAILQ_REMOVE(&c->ctrs, k, entry);
		ctr_close(c, k);
	}
	hmap_free(&c->byname);
	for (i = 0; i < c->ndels; i++)
		free(c->dels[i].name);
	free(c->dels);
	free(c->rbuf);
	free(c->ebuf);
	free(c->pids);
	persist_free(c);
	store_close(c->st);
	free(c);
}

int
main(int argc, char **argv)
{
	struct collector *c;
	struct options o;
	char dir[PATH_MAX];
	int status;

	log_init(cadv_writer_name(CADV_W_COLLECTORD), 0);
	keys_check();
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	parse_options(c, &o, argc, argv);

	daemon_start(&o.dc);
	open_roots(c, &o);
	open_store(c, &o, dir, sizeof(dir));
	raise_nofile();
	ctr_spares_init(c);
	/* the store and the roots are open: hand the store over, then go */
	daemon_drop(&o.dc, dir, NULL, SANDBOX_COLLECTORD);

	loop_init(c, dir);
	status = run(c, dir);
	collector_free(c);
	return status;
}
