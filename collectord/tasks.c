/* Task states and load averages: each thread of the container's own
 * thread list (v1 `tasks`, v2 cgroup.threads, not its children's) by the
 * state letter of /proc/TID/task/TID/stat, counted as the kernel's
 * cgroupstats counts them.  It is world-readable, so this works after the
 * privilege drop; a thread's iowait is not in it (README). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "clock.h"
#include "collector.h"
#include "duration.h"

/* One open and read per thread plus one for the list: refreshed at most
 * this often, and no more often than every TASKS_PER_THREAD per thread of
 * the last refresh, so that a container of many threads costs a bounded
 * share of a core (README, "Task states and load"). */
#define TASKS_REFRESH		(2 * NS_PER_SEC)
#define TASKS_PER_THREAD	NS_PER_MS

/* 1 and *letter, 0 when the thread is gone, -1 when it cannot be read */
static int
thread_state(uint32_t tid, char *letter)
{
	char path[48], buf[512];
	ssize_t n;
	int fd, err;

	/* /proc/TID/stat adds up the times of every thread of TID's
	 * process (a walk of them all: n threads cost n^2); the thread's
	 * own entry below task/ does not */
	snprintf(path, sizeof(path), "/proc/%u/task/%u/stat", tid, tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	n = read(fd, buf, sizeof(buf));
	err = errno;
	close(fd);
	if (n <= 0)	/* the thread exited between the open and the read */
		return n == 0 || err == ESRCH ? 0 : -1;
	/* comm is at most 64 bytes: the state is in the first 512 */
	return taskstat_letter(buf, (size_t)n, letter) == 0 ? 1 : -1;
}

/* Counts into n[]; the threads looked at, or -1 */
static ssize_t
count_states(struct collector *c, struct ctr *k, uint64_t *n)
{
	const char *p, *end;
	uint32_t tid;
	size_t seen = 0, found = 0;
	ssize_t len;
	char letter;
	int r, rc, i;

	if (k->fd[F_PROCS] == FD_NONE)
		return -1;
	r = k->froot[F_PROCS];
	/* the list of the hierarchy cgroup.procs comes from; read by path:
	 * v1 caches a pid list per open file (ctr.c) */
	len = ctr_read_at(c, k, r, c->roots[r].version == CG_V1 ? "tasks" :
	    "cgroup.threads");
	if (len < 0)
		return -1;
	p = c->rbuf;
	end = c->rbuf + len;
	for (i = 0; i < TS_COUNT; i++)
		n[i] = 0;
	while ((rc = taskstat_next_tid(&p, end, &tid)) == 1) {
		seen++;
		if ((rc = thread_state(tid, &letter)) == -1)
			return -1;
		if (rc == 0)
			continue;
		found++;
		if (taskstat_classify(letter) != TS_OTHER)
			n[taskstat_classify(letter)]++;
	}
	/* threads listed and none found: /proc hides them (hidepid=2
	 * answers ENOENT), not a container whose threads all just ended */
	if (rc == -1 || (seen > 0 && found == 0))
		return -1;
	return (ssize_t)seen;
}

static void
put(struct ctr *k, struct cadv_sample *s)
{
	sample_set(s, CADV_SF_TASKS_RUNNING, k->tasks_n[TS_RUNNING]);
	sample_set(s, CADV_SF_TASKS_SLEEPING, k->tasks_n[TS_SLEEPING]);
	sample_set(s, CADV_SF_TASKS_UNINTERRUPTIBLE, k->tasks_n[TS_UNINTERRUPTIBLE]);
	sample_set(s, CADV_SF_TASKS_STOPPED, k->tasks_n[TS_STOPPED]);
	sample_set(s, CADV_SF_LOAD_AVG, taskstat_milli(k->load));
	sample_set(s, CADV_SF_LOAD_D_AVG, taskstat_milli(k->load_d));
}

void
tasks_sample(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	uint64_t mono = clock_mono_ns(), n[TS_COUNT], every;
	ssize_t threads;
	int i;

	if (k->tasks_mono != 0 && mono - k->tasks_mono < k->tasks_every) {
		if (k->tasks_valid)
			put(k, s);
		return;
	}
	threads = count_states(c, k, n);
	every = threads > 0 && (uint64_t)threads * TASKS_PER_THREAD >
	    TASKS_REFRESH ? (uint64_t)threads * TASKS_PER_THREAD :
	    TASKS_REFRESH;
	/* the first refresh is dated back by the container's phase
	 * (collectord.c): containers added together refresh apart */
	k->tasks_every = every;
	k->tasks_mono = k->tasks_mono == 0 && mono > k->phase % every ?
	    mono - k->phase % every : mono;
	if (threads < 0) {
		/* absent, never zeros; the averages start again */
		k->tasks_valid = 0;
		k->load_valid = 0;
		return;
	}
	for (i = 0; i < TS_COUNT; i++)
		k->tasks_n[i] = n[i];
	/* cAdvisor: load over the running threads, load.d over the
	 * uninterruptible ones, decayed over the real time between */
	k->load = taskstat_load(k->load, k->load_valid, n[TS_RUNNING],
	    mono - k->load_mono);
	k->load_d = taskstat_load(k->load_d, k->load_valid,
	    n[TS_UNINTERRUPTIBLE], mono - k->load_mono);
	k->load_mono = mono;
	k->load_valid = 1;
	k->tasks_valid = 1;
	put(k, s);
}
