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

	memset(&l, 0, sizeof(l));
	if ((fp = fopen("/proc/sys/kernel/random/boot_id", "re")) != NULL) {
		if (fgets(d->boot_id, sizeof(d->boot_id), fp) != NULL)
			d->boot_id[strcspn(d->boot_id, "\n")] = '\0';
		fclose(fp);
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

struct kills {
	struct eventd	*d;
	struct oom_kill	*k;
	size_t		 n, cap;
	uint64_t	 save;
};

/* The killed task's cgroup when the summary was rate-limited away: the
 * victim may still be exiting. */
static void
proc_memcg(struct oom_kill *k)
{
	char path[64], line[CGNAME_MAX + 64];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", k->pid);
	if ((fp = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *p = strstr(line, ":memory:");
		size_t n;

		if (p != NULL)
			p += 8;
		else if (strncmp(line, "0::", 3) == 0)
			p = line + 3;
		else
			continue;
		n = strcspn(p, "\n");
		if (n > 10 && strncmp(p + n - 10, " (deleted)", 10) == 0)
			n -= 10;
		if (cgname_clean(p, n, k->task_memcg, &k->task_len) == 0)
			k->task_memcg[k->task_len] = '\0';
		else
			k->task_len = 0;
		if (p == line + 3 || k->task_len > 0)
			break;
	}
	fclose(fp);
}

static void
fill(struct event *e, enum event_type t, uint64_t ts, const char *c,
    size_t clen)
{
	memset(e, 0, offsetof(struct event, container));
	e->type = t;
	e->ts_ns = ts;
	e->container_len = clen;
	memcpy(e->container, c, clen);
	e->victim_len = e->comm_len = 0;
}

static int
put(struct eventd *d, struct store *st, MDB_txn *txn, struct event *e)
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
	static struct event e;
	size_t i;
	int rc;

	for (i = 0; i < ks->n; i++) {
		struct oom_kill *k = &ks->k[i];
		uint64_t ts = (uint64_t)((int64_t)(k->ts_us * 1000) +
		    d->clock_off);

		/* cAdvisor's pair: "oom" for the memcg whose limit was hit,
		 * "oomKill" for the killed task */
		if (k->oom_len > 0) {
			fill(&e, EV_OOM, ts, k->oom_memcg, k->oom_len);
			if ((rc = put(d, st, txn, &e)) != 0)
				return rc;
		}
		fill(&e, EV_OOM_KILL, ts, k->task_len ? k->task_memcg : "/",
		    k->task_len ? k->task_len : 1);
		e.pid = k->pid;
		memcpy(e.victim, k->oom_memcg, k->oom_len);
		e.victim_len = k->oom_len;
		memcpy(e.comm, k->comm, k->comm_len);
		e.comm_len = k->comm_len;
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
	static struct event e;
	size_t i;
	int rc;

	ks->save = resume_point(d);
	if ((rc = store_write(d->st, kills_fn, ks)) != 0) {
		log_warnx("storing OOM events: %s", store_error(d->st, rc));
		return;
	}
	d->kmsg_saved = ks->save;
	for (i = 0; i < ks->n; i++) {
		struct oom_kill *k = &ks->k[i];

		log_info("oom kill: pid %u (%s) in %s", k->pid, k->comm,
		    k->task_len ? k->task_memcg : "?");
		/* types not stored still reach subscribers */
		if (d->pol.max_count[EV_OOM_KILL] == 0) {
			fill(&e, EV_OOM_KILL, (uint64_t)((int64_t)(k->ts_us *
			    1000) + d->clock_off), k->task_len ? k->task_memcg :
			    "/", k->task_len ? k->task_len : 1);
			e.pid = k->pid;
			memcpy(e.comm, k->comm, k->comm_len);
			e.comm_len = k->comm_len;
			subs_send(d, &e);
		}
		if (d->pol.max_count[EV_OOM] == 0 && k->oom_len > 0) {
			fill(&e, EV_OOM, (uint64_t)((int64_t)(k->ts_us * 1000) +
			    d->clock_off), k->oom_memcg, k->oom_len);
			subs_send(d, &e);
		}
	}
}

void
kmsg_drain(struct eventd *d)
{
	static char buf[KMSG_RECORD_MAX];
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
			struct oom_kill *nk = reallocarray(ks.k, cap, sizeof(*nk));

			if (nk == NULL)
				fatal("reallocarray");
			ks.k = nk;
			ks.cap = cap;
		}
		if (oom_feed(&d->op, &r, &ks.k[ks.n]) == 1) {
			if (ks.k[ks.n].task_len == 0)
				proc_memcg(&ks.k[ks.n]);
			ks.n++;
		}
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
