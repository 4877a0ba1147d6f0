/* OOM kills from /dev/kmsg.  The resume point (boot id, last record
 * handled) is kept in the store with the events it produced, so a restart
 * in the same boot neither loses nor repeats a kill; a new boot starts at
 * the end of the ring (older records belong to a previous run of ours or
 * are history we must not replay as new). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "eventd.h"
#include "log.h"
#include "roots.h"
#include "storewrite.h"

/* /proc/PID/stat counts in these (USER_HZ) */
static long clk_tck = 100;

struct load {
	char		boot[64];
	uint64_t	seq;
	int		have;
};

static int
load_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct load *l = arg;
	const void *p;
	size_t n;
	int rc;

	rc = store_meta_get_blob(st, txn, META_KMSG_BOOT, &p, &n);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	if (n >= sizeof(l->boot))
		return 0;
	memcpy(l->boot, p, n);
	l->boot[n] = '\0';
	rc = store_meta_get_u64(st, txn, META_KMSG_SEQ, &l->seq);
	l->have = rc == 0;
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int
kmsg_open(struct eventd *d, const char *path)
{
	struct load l;
	FILE *fp;
	long tck;

	memset(&l, 0, sizeof(l));
	if ((tck = sysconf(_SC_CLK_TCK)) > 0)
		clk_tck = tck;
	if ((fp = fopen("/proc/sys/kernel/random/boot_id", "re")) != NULL) {
		if (fgets(d->boot_id, sizeof(d->boot_id), fp) != NULL)
			d->boot_id[strcspn(d->boot_id, "\n")] = '\0';
		fclose(fp);
	}
	if (roots_count() != 1 || strcmp(roots_prefix(0), "/") != 0) {
		int i;

		for (i = 0; i < roots_count(); i++)
			log_info("OOM kills in memory cgroup %s and below are "
			    "named from it", roots_prefix(i));
		if (roots_count() == 0)
			log_warnx("no root is in the memory hierarchy: no OOM "
			    "kill will name a container");
	}
	d->kfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (d->kfd == -1) {
		log_warn("%s: OOM kills will come from the oom_kill counters "
		    "(no pid or process name)", path);
		return -1;
	}
	/* the store is the writer's; eventd is one: read our resume point */
	if (store_write(d->st, load_fn, &l) != 0)
		l.have = 0;
	if (l.have && strcmp(l.boot, d->boot_id) == 0) {
		d->kmsg_last = l.seq;
		lseek(d->kfd, 0, SEEK_SET);
		log_info("%s: resuming after record %llu", path,
		    (unsigned long long)l.seq);
	} else {
		lseek(d->kfd, 0, SEEK_END);
		d->kmsg_last = 0;
		log_info("%s: new boot or first start: from the end", path);
	}
	d->kmsg_saved = d->kmsg_last;
	return 0;
}

/* A kill and the names it gets: its task's container, or none when the
 * cgroup cannot be told (the report rate-limited away and the task gone,
 * or not provably the one killed); the container whose limit was hit,
 * when it is one of ours. */
enum kill_src { SRC_REPORT, SRC_PROC, SRC_UNKNOWN };

struct kill {
	struct oom_kill	k;	/* task_memcg, oom_memcg: container names */
	enum kill_src	src;
};

struct kills {
	struct eventd	*d;
	struct kill	*k;
	size_t		 n, cap;
	uint64_t	 save;
};

/* Reads a small /proc file through the task's directory. */
static ssize_t
read_at(int dfd, const char *name, char *buf, size_t sz)
{
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static int
status_hex(const char *status, const char *key, unsigned long long *v)
{
	const char *p = strstr(status, key);

	return p != NULL && sscanf(p + strlen(key), "%llx", v) == 1 ? 0 : -1;
}

/* The process /proc/PID/stat shows is the one the kernel killed: the
 * same name and uid, started before the kill, and dying (SIGKILL
 * pending, exiting, or a zombie).  A pid reused since would have to
 * match all of it.  *exiting: it has begun to exit. */
static int
same_task(int dfd, const struct oom_kill *k, int *exiting)
{
	char stat[1024], status[4096];
	const char *open, *close, *f;
	unsigned long long flags = 0, start = 0, pend = 0, shd = 0;
	unsigned uid;
	char state;
	ssize_t n;

	if ((n = read_at(dfd, "stat", stat, sizeof(stat))) <= 0 ||
	    (open = memchr(stat, '(', (size_t)n)) == NULL ||
	    (close = memrchr(stat, ')', (size_t)n)) == NULL || close < open)
		return 0;
	open++;
	if ((size_t)(close - open) != k->comm_len ||
	    memcmp(open, k->comm, k->comm_len) != 0)
		return 0;
	/* after ") ": state, then fields 4..; flags is 9, starttime 22 */
	if (sscanf(close + 1, " %c %*d %*d %*d %*d %*d %llu %*u %*u %*u %*u "
	    "%*u %*u %*d %*d %*d %*d %*d %*d %llu", &state, &flags, &start) != 3)
		return 0;
	/* clock ticks since boot, rounded down: strictly before the kill */
	if ((start + 1) * 1000000ULL / (unsigned long long)clk_tck > k->ts_us)
		return 0;
	if (read_at(dfd, "status", status, sizeof(status)) <= 0)
		return 0;
	if (k->has_uid && ((f = strstr(status, "\nUid:")) == NULL ||
	    sscanf(f + 5, "%u", &uid) != 1 || uid != k->uid))
		return 0;
	(void)status_hex(status, "\nSigPnd:", &pend);
	(void)status_hex(status, "\nShdPnd:", &shd);
	*exiting = state == 'Z' || state == 'X' || state == 'x' ||
	    (flags & 0x4) != 0;				/* PF_EXITING */
	return *exiting || ((pend | shd) & (1ULL << (9 - 1))) != 0;
}

/* The killed task's memory cgroup when its report was rate-limited away
 * (or belonged to a memory.oom.group kill, which names only the group):
 * the victim may not have exited yet.  Everything is read through one
 * /proc/PID directory, which stays bound to that task if the pid is
 * reused; the cgroup first, then what the task is: on v1 an exiting task
 * shows "/" in every hierarchy (proc_cgroup_show), so its path counts
 * only if the task had not begun to exit after it was read. */
static int
proc_memcg(struct oom_kill *k)
{
	char path[32], buf[CGNAME_MAX + 4096], *line, *save = NULL;
	const char *v2 = NULL, *v1 = NULL, *p;
	size_t n;
	int dfd, rc = -1, exiting;

	snprintf(path, sizeof(path), "/proc/%u", k->pid);
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (read_at(dfd, "cgroup", buf, sizeof(buf)) <= 0)
		goto out;
	/* "ID:CONTROLLERS:PATH": the v1 memory hierarchy's, else v2's */
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *c = strchr(line, ':'), *e, *tok, *tsave = NULL;

		if (c == NULL || (e = strchr(c + 1, ':')) == NULL)
			continue;
		*e = '\0';
		if (e == c + 1 && c == line + 1 && line[0] == '0')
			v2 = e + 1;
		for (tok = strtok_r(c + 1, ",", &tsave); tok != NULL;
		    tok = strtok_r(NULL, ",", &tsave))
			if (strcmp(tok, "memory") == 0)
				v1 = e + 1;
	}
	if ((p = v1 != NULL ? v1 : v2) == NULL ||
	    !same_task(dfd, k, &exiting) || (v1 != NULL && exiting))
		goto out;
	n = strlen(p);
	/* v2 marks a removed cgroup " (deleted)", a suffix a live name may
	 * hold too: such a path says nothing for sure */
	if ((n >= 10 && memcmp(p + n - 10, " (deleted)", 10) == 0) ||
	    n > CGNAME_MAX || !cgname_valid(p, n))
		goto out;
	/* a member of a group, or a task of the memcg that hit its limit,
	 * lies in it */
	if ((k->group_len > 0 && !cgname_is_under(p, n, k->group,
	    k->group_len)) || (k->oom_len > 0 && !k->global &&
	    !cgname_is_under(p, n, k->oom_memcg, k->oom_len)))
		goto out;
	memcpy(k->task_memcg, p, n);
	k->task_memcg[n] = '\0';
	k->task_len = n;
	rc = 0;
out:
	close(dfd);
	return rc;
}

/* Kernel paths to container names (roots.h); a kill whose task lies
 * under no root is not ours: 0 to keep it, -1 to pass over it.  One whose
 * task's cgroup is unknown may be ours: kept, naming no container. */
static int
name_kill(struct kill *kl)
{
	char name[CGNAME_MAX + 1];
	struct oom_kill *k = &kl->k;
	size_t n;

	if (roots_count() == 0)
		return -1;	/* no memory hierarchy watched: none is ours */
	if (k->task_len > 0) {
		if (roots_name(k->task_memcg, k->task_len, name, &n) == -1)
			return -1;
		memcpy(k->task_memcg, name, n + 1);
		k->task_len = n;
	}
	if (k->oom_len > 0) {
		if (roots_name(k->oom_memcg, k->oom_len, name, &n) == -1)
			n = 0;		/* above our roots: no container */
		memcpy(k->oom_memcg, name, n);
		k->oom_memcg[n] = '\0';
		k->oom_len = n;
	}
	return 0;
}

static void
fill(struct cadv_event *e, enum cadv_event_type t, uint64_t ts, const char *c,
    size_t clen)
{
	memset(e, 0, offsetof(struct cadv_event, container));
	e->type = t;
	e->ts_ns = ts;
	e->container_len = clen;
	memcpy(e->container, c, clen);
	e->victim_len = e->comm_len = 0;
}

/* cAdvisor's pair: "oom" for the memcg whose limit was hit, "oomKill"
 * for the killed task, named by its container: none (length 0) when it
 * could not be told, never a guess. */
static void
kill_event(struct cadv_event *e, const struct eventd *d, const struct oom_kill *k)
{
	fill(e, CADV_EV_OOM_KILL, (uint64_t)((int64_t)(k->ts_us * 1000) +
	    d->clock_off), k->task_memcg, k->task_len);
	e->pid = k->pid;
	memcpy(e->victim, k->oom_memcg, k->oom_len);
	e->victim_len = k->oom_len;
	memcpy(e->comm, k->comm, k->comm_len);
	e->comm_len = k->comm_len;
}

static int
put(struct eventd *d, struct store *st, MDB_txn *txn, struct cadv_event *e)
{
	if (d->pol.max_count[e->type] == 0)
		return 0;	/* not stored: sent live after the commit */
	return store_event_add(st, txn, e);
}

static int
kills_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct kills *ks = arg;
	struct eventd *d = ks->d;
	struct cadv_event e;
	size_t i;
	int rc;

	for (i = 0; i < ks->n; i++) {
		struct oom_kill *k = &ks->k[i].k;

		if (k->oom_len > 0) {
			fill(&e, CADV_EV_OOM, (uint64_t)((int64_t)(k->ts_us * 1000) +
			    d->clock_off), k->oom_memcg, k->oom_len);
			if ((rc = put(d, st, txn, &e)) != 0)
				return rc;
		}
		kill_event(&e, d, k);
		if ((rc = put(d, st, txn, &e)) != 0)
			return rc;
	}
	if ((rc = store_meta_put_blob(st, txn, META_KMSG_BOOT, d->boot_id,
	    strlen(d->boot_id))) != 0)
		return rc;
	return store_meta_put_u64(st, txn, META_KMSG_SEQ, ks->save);
}

static uint64_t
resume_point(struct eventd *d)
{
	uint64_t hold = oom_parser_hold(&d->op);

	/* a summary waiting for its kill line is read again after a restart */
	return hold ? hold - 1 : d->kmsg_last;
}

static void
commit(struct eventd *d, struct kills *ks)
{
	static const char *const how[] = {
		[SRC_REPORT] = "", [SRC_PROC] = " (from /proc: its report was "
		    "rate-limited)", [SRC_UNKNOWN] = " (its cgroup is not known: "
		    "the report was rate-limited and the task is gone)",
	};
	struct cadv_event e;
	size_t i;
	int rc;

	ks->save = resume_point(d);
	if ((rc = store_write(d->st, kills_fn, ks)) != 0) {
		log_warnx("storing OOM events: %s", store_error(d->st, rc));
		return;
	}
	d->kmsg_saved = ks->save;
	for (i = 0; i < ks->n; i++) {
		struct oom_kill *k = &ks->k[i].k;

		log_info("oom kill: pid %u (%.*s) in %.*s%s%s", k->pid,
		    (int)k->comm_len, k->comm, (int)(k->task_len ? k->task_len :
		    1), k->task_len ? k->task_memcg : "?", how[ks->k[i].src],
		    k->ambiguous ? " (names holding the report's keys: the "
		    "reading only their makers could steer)" : "");
		/* types not stored still reach subscribers */
		if (d->pol.max_count[CADV_EV_OOM_KILL] == 0) {
			kill_event(&e, d, k);
			subs_send(d, &e);
		}
		if (d->pol.max_count[CADV_EV_OOM] == 0 && k->oom_len > 0) {
			fill(&e, CADV_EV_OOM, (uint64_t)((int64_t)(k->ts_us * 1000) +
			    d->clock_off), k->oom_memcg, k->oom_len);
			subs_send(d, &e);
		}
	}
}

void
kmsg_drain(struct eventd *d)
{
	char buf[KMSG_RECORD_MAX];
	struct kills ks = { d, NULL, 0, 0, 0 };
	struct kmsg_rec r;
	ssize_t n;

	if (d->kfd < 0)
		return;
	for (;;) {
		n = read(d->kfd, buf, sizeof(buf));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* overwritten before we read them */
				d->kmsg_lost++;
				log_warnx("/dev/kmsg: records overwritten before "
				    "they were read (%llu times so far)",
				    (unsigned long long)d->kmsg_lost);
				continue;
			}
			if (errno != EAGAIN)
				log_warn("/dev/kmsg");
			break;
		}
		if (n == 0)
			break;
		if (kmsg_parse(buf, (size_t)n, &r) == -1)
			continue;
		if (r.seq <= d->kmsg_last && d->kmsg_last != 0)
			continue;	/* handled before a restart */
		d->kmsg_last = r.seq;
		if (ks.n == ks.cap) {
			size_t cap = ks.cap ? ks.cap * 2 : 4;
			struct kill *nk = reallocarray(ks.k, cap, sizeof(*nk));

			if (nk == NULL)
				fatal("reallocarray");
			ks.k = nk;
			ks.cap = cap;
		}
		if (oom_feed(&d->op, &r, &ks.k[ks.n].k) != 1)
			continue;
		ks.k[ks.n].src = SRC_REPORT;
		if (ks.k[ks.n].k.task_len == 0)
			ks.k[ks.n].src = proc_memcg(&ks.k[ks.n].k) == 0 ?
			    SRC_PROC : SRC_UNKNOWN;
		if (name_kill(&ks.k[ks.n]) == -1) {
			log_debug("oom kill: pid %u in %s, under no root: not "
			    "ours", ks.k[ks.n].k.pid, ks.k[ks.n].k.task_memcg);
			continue;
		}
		ks.n++;
	}
	if (ks.n > 0)
		commit(d, &ks);
	free(ks.k);
}

/* Saves the resume point now and then when no kill did. */
void
kmsg_save(struct eventd *d)
{
	struct kills ks = { d, NULL, 0, 0, 0 };

	if (d->kfd < 0 || resume_point(d) == d->kmsg_saved)
		return;
	commit(d, &ks);
}
