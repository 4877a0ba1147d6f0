/* One sample of a container: the version-specific stats, then processes,
 * network and the derived working set; encoded for the store. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgparse.h"
#include "clock.h"
#include "collector.h"
#include "duration.h"
#include "log.h"

/* v1 cgroup.procs costs an open each read (ctr.c), the dearest file of a
 * sample: while the task count (pids.current, a kept-open pread) stands
 * still, the processes are taken to be those of the last read, for at most
 * this long. */
#define PROCS_REUSE	(10 * NS_PER_SEC)

/* Network counters live in a network namespace, not a cgroup: read them
 * through a process of the container when it has a namespace of its own
 * (cAdvisor does the same through the container's first process), and
 * for the root container, the host's. */
static void
network(struct collector *c, struct ctr *k, struct cadv_sample *s, uint32_t pid)
{
	char path[64];
	struct stat sb;
	size_t nif;
	ssize_t n;

	if (pid != k->netpid) {
		if (k->netfd >= 0)
			close(k->netfd);
		k->netfd = -1;
		k->netpid = pid;
		if (pid == 0)
			return;
		/* Each network namespace has its own proc net entries: the
		 * inode tells them apart without the ptrace access that
		 * /proc/PID/ns/net needs (we run unprivileged). */
		snprintf(path, sizeof(path), "/proc/%u/net/dev", pid);
		if (stat(path, &sb) == -1)
			return;
		/* the host's own interfaces are the root container's, as
		 * cAdvisor shows them; no other container gets them */
		if ((uint64_t)sb.st_ino == c->host_netns &&
		    strcmp(k->name, "/") != 0)
			return;
		if ((k->netfd = ctr_keep_open(c, AT_FDCWD, path)) == -1 &&
		    errno == EMFILE)
			k->netfd = FD_BYPATH;
	}
	if (k->netfd == FD_BYPATH) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%u/net/dev", pid);
		n = -1;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			n = ctr_pread(c, fd);
			close(fd);
		}
	} else if (k->netfd >= 0)
		n = ctr_pread(c, k->netfd);
	else
		return;
	if (n < 0) {
		if (k->netfd >= 0)
			close(k->netfd);	/* the process is gone */
		k->netfd = -1;
		k->netpid = 0;
		return;
	}
	if (cgp_netdev(c->rbuf, (size_t)n, s->net, SAMPLE_MAX_NET, &nif) == 0)
		s->nnet = (uint16_t)nif;
}

/* File descriptors, sockets and the open-file limit (the kubelet's
 * process group) cost a directory listing and a readlink per descriptor:
 * they are read this often, and at once when the processes change. */
#define SCAN_EVERY	(10 * NS_PER_SEC)
/* What the scans of one tick may cost, over every container, in
 * descriptors: measured here (README "Performance"), a readlink is 4-5 us and a
 * process's listing about two of them, so about 20 ms a tick at most.  A
 * container begun is finished; the others wait for the next tick, their
 * last counts standing. */
#define SCAN_BUDGET	4000
#define SCAN_PROC_COST	2

void
sample_scan_budget(struct collector *c)
{
	c->scan_budget = SCAN_BUDGET;
}

/* The first process's open-file limit (cAdvisor reads its container's
 * init process's): /proc/PID/limits is anyone's to read. */
static void
scan_limits(struct collector *c, struct ctr *k, uint32_t first)
{
	char path[40];
	ssize_t n;
	int fd;

	k->nofile_valid = 0;
	if (first == 0)
		return;
	snprintf(path, sizeof(path), "/proc/%u/limits", first);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = ctr_pread(c, fd);
	close(fd);
	if (n >= 0 && cgp_limit(c->rbuf, (size_t)n, "Max open files",
	    &k->nofile_soft, &k->nofile_hard) == 0)
		k->nofile_valid = 1;
}

/* Scans the processes of the cgroup.procs in c->rbuf (n bytes).  A
 * process closed to us makes the container's counts unknown: a sum over
 * the others would be too small and look true. */
static void
scan(struct collector *c, struct ctr *k, size_t n, uint32_t first,
    uint64_t mono)
{
	uint64_t fds = 0, socks = 0, f, so;
	size_t np, i;
	int ok = 1;

	if (k->procs_n > c->pidcap) {
		size_t cap = k->procs_n + 64;

		if ((c->pids = reallocarray(c->pids, cap,
		    sizeof(*c->pids))) == NULL)
			fatal("reallocarray");
		c->pidcap = cap;
	}
	if (cgp_pids(c->rbuf, n, c->pids, c->pidcap, &np) == -1)
		ok = 0;
	for (i = 0; ok && i < np; i++) {
		switch (procfds_count(c->pids[i], &f, &so)) {
		case PROCFDS_OK:
			fds += f;
			socks += so;
			break;
		case PROCFDS_GONE:	/* no longer the container's */
			break;
		default:
			ok = 0;
			break;
		}
	}
	c->scan_budget -= (int64_t)(fds + SCAN_PROC_COST * np);
	k->scan_fds_valid = ok;
	k->scan_fds = fds;
	k->scan_sockets = socks;
	scan_limits(c, k, first);
	k->scan_nprocs = k->procs_n;
	k->scan_first = first;
	/* spread: containers added together scan apart after the first */
	k->scan_due = mono + (k->scan_due == 0 ?
	    1 + k->phase % SCAN_EVERY : SCAN_EVERY);
}

static void
scan_report(const struct ctr *k, struct cadv_sample *s)
{
	if (k->scan_due == 0)
		return;
	if (k->scan_fds_valid) {
		sample_set(s, CADV_SF_FD_COUNT, k->scan_fds);
		sample_set(s, CADV_SF_SOCKET_COUNT, k->scan_sockets);
	}
	if (k->nofile_valid) {
		sample_set(s, CADV_SF_ULIMIT_NOFILE_SOFT, k->nofile_soft);
		sample_set(s, CADV_SF_ULIMIT_NOFILE_HARD, k->nofile_hard);
	}
}

static void
procs(struct collector *c, struct ctr *k, struct cadv_sample *s, uint32_t *first)
{
	uint64_t mono = clock_mono_ns();
	int due = mono >= k->scan_due && c->scan_budget > 0;
	ssize_t n;

	if (!due && k->fd[F_PROCS] == FD_BYPATH && k->procs_valid &&
	    sample_has(s, CADV_SF_PIDS_CURRENT) &&
	    s->v[CADV_SF_PIDS_CURRENT] == k->procs_tasks &&
	    mono - k->procs_mono < PROCS_REUSE) {
		sample_set(s, CADV_SF_PROCESSES, k->procs_n);
		*first = k->procs_first;
		scan_report(k, s);
		return;
	}
	k->procs_valid = 0;
	if ((n = ctr_read(c, k, F_PROCS)) < 0)
		return;
	k->procs_n = cgp_count_pids(c->rbuf, (size_t)n, first);
	sample_set(s, CADV_SF_PROCESSES, k->procs_n);
	if (c->scan_budget > 0 && (due || k->procs_n != k->scan_nprocs ||
	    *first != k->scan_first))
		scan(c, k, (size_t)n, *first, mono);
	scan_report(k, s);
	if (!sample_has(s, CADV_SF_PIDS_CURRENT))
		return;
	k->procs_first = *first;
	k->procs_tasks = s->v[CADV_SF_PIDS_CURRENT];
	/* the first read is dated back by the container's phase
	 * (collectord.c): containers added together refresh apart */
	if (k->procs_mono == 0 && mono > k->phase % PROCS_REUSE)
		k->procs_mono = mono - k->phase % PROCS_REUSE;
	else
		k->procs_mono = mono;
	k->procs_valid = 1;
}

void
sample_io_totals(struct cadv_sample *s, int bytes, int ops)
{
	uint64_t rb = 0, wb = 0, ro = 0, wo = 0;
	size_t i;

	for (i = 0; i < s->nblk; i++) {
		rb += s->blk[i].read_bytes;
		wb += s->blk[i].write_bytes;
		ro += s->blk[i].read_ops;
		wo += s->blk[i].write_ops;
	}
	if (bytes) {
		sample_set(s, CADV_SF_IO_READ_BYTES, rb);
		sample_set(s, CADV_SF_IO_WRITE_BYTES, wb);
	}
	if (ops) {
		sample_set(s, CADV_SF_IO_READ_OPS, ro);
		sample_set(s, CADV_SF_IO_WRITE_OPS, wo);
	}
}

int
sample_take(struct collector *c, struct ctr *k, uint64_t now)
{
	struct cadv_sample *s = &c->s;
	uint32_t first = 0;
	size_t len, xlen;
	int changed;

	sample_clear(s);
	k->oom_local_valid = 0;
	k->denied_now = 0;
	if (ctr_root_for(c, k, 0, CTRL_ANY) < 0) {
		/* closed to us everywhere: listed, flagged, no samples */
		k->denied_sample = 0;
		ctr_flags_update(c, k);
		return 0;
	}
	if (ctr_root_for(c, k, CG_V1, CTRL_ANY) >= 0)
		sample_v1(c, k, s);
	if (ctr_root_for(c, k, CG_V2, CTRL_ANY) >= 0)
		sample_v2(c, k, s);
	procs(c, k, s, &first);
	network(c, k, s, first);
	tasks_sample(c, k, s);
	if (sample_has(s, CADV_SF_MEM_USAGE)) {
		uint64_t u = s->v[CADV_SF_MEM_USAGE], ws = u;

		/* cAdvisor: usage - inactive_file, floored at 0 */
		if (sample_has(s, CADV_SF_MEM_INACTIVE_FILE))
			ws = u > s->v[CADV_SF_MEM_INACTIVE_FILE] ?
			    u - s->v[CADV_SF_MEM_INACTIVE_FILE] : 0;
		sample_set(s, CADV_SF_MEM_WORKING_SET, ws);
	}
	/* the summary's minute: a few compares and two stores a sample */
	if (minute_add(&k->minute, now, sample_has(s, CADV_SF_CPU_TOTAL),
	    sample_has(s, CADV_SF_CPU_TOTAL) ? s->v[CADV_SF_CPU_TOTAL] : 0,
	    sample_has(s, CADV_SF_MEM_WORKING_SET),
	    sample_has(s, CADV_SF_MEM_WORKING_SET) ? s->v[CADV_SF_MEM_WORKING_SET] : 0,
	    &k->minute_done) == 1)
		k->minute_pending = 1;
	k->denied_sample = k->denied_now;
	ctr_flags_update(c, k);
	len = sample_encode(s, c->ebuf, SAMPLE_VALUE_MAX);
	xlen = diskio_encode(s, c->ebuf + len, DISKIO_VALUE_MAX);
	changed = len != k->enclen || xlen != k->xlen ||
	    memcmp(c->ebuf, k->enc, len + xlen) != 0;
	if (len + xlen > k->enccap) {
		if ((k->enc = realloc(k->enc, len + xlen)) == NULL)
			fatal("realloc");
		k->enccap = len + xlen;
	}
	memcpy(k->enc, c->ebuf, len + xlen);
	k->enclen = len;
	k->xlen = xlen;
	k->enc_ts = now;
	k->pending = 1;
	return changed;
}
