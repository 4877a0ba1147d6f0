#include "taskstat.h"

#include <math.h>
#include <string.h>

int
taskstat_letter(const char *buf, size_t len, char *letter)
{
	const char *close = NULL, *p;

	/* the last ')': comm is the only field that may hold one */
	for (p = buf + len; p > buf; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (close == NULL || memchr(buf, '(', (size_t)(close - buf)) == NULL)
		return -1;
	p = close + 1;
	if ((size_t)(buf + len - p) < 3 || p[0] != ' ' || p[1] < 'A' ||
	    (p[1] > 'Z' && p[1] < 'a') || p[1] > 'z' || p[2] != ' ')
		return -1;
	*letter = p[1];
	return 0;
}

enum task_state
taskstat_classify(char letter)
{
	/* cgroupstats_build() switches on the exact state: TASK_IDLE (I)
	 * and TASK_KILLABLE are not TASK_UNINTERRUPTIBLE, TASK_TRACED (t)
	 * is not TASK_STOPPED */
	switch (letter) {
	case 'R':
		return TS_RUNNING;
	case 'S':
		return TS_SLEEPING;
	case 'D':
		return TS_UNINTERRUPTIBLE;
	case 'T':
		return TS_STOPPED;
	default:
		return TS_OTHER;
	}
}

int
taskstat_next_tid(const char **pp, const char *end, uint32_t *tid)
{
	const char *p = *pp;
	uint64_t v = 0;
	size_t digits = 0;

	while (p < end && *p == '\n')	/* empty lines */
		p++;
	if (p >= end) {
		*pp = p;
		return 0;
	}
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	if (digits == 0 || v == 0 || (p < end && *p != '\n'))
		return -1;
	*pp = p < end ? p + 1 : p;
	*tid = (uint32_t)v;
	return 1;
}

double
taskstat_load(double prev, int have_prev, uint64_t n, uint64_t dt_ns)
{
	double decay;

	if (!have_prev || !(prev >= 0))
		return (double)n;
	decay = exp(-(double)dt_ns / (double)TASKSTAT_LOAD_WINDOW_NS);
	return prev * decay + (double)n * (1.0 - decay);
}

uint64_t
taskstat_milli(double load)
{
	double m = load * 1000.0;

	/* cAdvisor's int32(avg * 1000) */
	if (!(m > 0))
		return 0;
	if (m >= 2147483647.0)
		return 2147483647;
	return (uint64_t)m;
}
