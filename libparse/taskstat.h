/* Task states and load averages from /proc, as the kernel's cgroupstats
 * (taskstats netlink, what cAdvisor's --enable_load_reader asks) counts
 * them.  Pure functions over untrusted buffers. */
#ifndef CADV_TASKSTAT_H
#define CADV_TASKSTAT_H

#include <stddef.h>
#include <stdint.h>

/* The states cgroupstats counts; a task in any other (idle kernel
 * threads, traced, zombie, dead) is counted in none. */
enum task_state {
	TS_RUNNING,		/* R */
	TS_SLEEPING,		/* S */
	TS_UNINTERRUPTIBLE,	/* D */
	TS_STOPPED,		/* T */
	TS_COUNT,
	TS_OTHER = TS_COUNT
};

/* The state letter of /proc/TID/stat ("tid (comm) S ..."; comm may hold
 * spaces and parentheses, so the last ')' ends it).  -1 when malformed. */
int	taskstat_letter(const char *buf, size_t len, char *letter);
enum task_state taskstat_classify(char letter);

/* One tid of a `tasks` / cgroup.threads buffer (one decimal a line) at
 * *p, advancing it: 1 with *tid, 0 at the end, -1 on a malformed line. */
int	taskstat_next_tid(const char **p, const char *end, uint32_t *tid);

/* cAdvisor's smoothed load: the first reading as it is, then decayed by
 * exp(-dt / 10 s) over the real time between readings. */
#define TASKSTAT_LOAD_WINDOW_NS	(10ULL * 1000000000ULL)
double	taskstat_load(double prev, int have_prev, uint64_t n, uint64_t dt_ns);
/* x 1000 as cAdvisor's int32 milli-load (truncated), never negative */
uint64_t taskstat_milli(double load);

#endif
