#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static uint64_t
now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t
clock_now_ns(void)
{
	return now(CLOCK_REALTIME);
}

uint64_t
clock_mono_ns(void)
{
	return now(CLOCK_MONOTONIC);
}

void
clock_rfc3339(uint64_t ns, char *buf, size_t sz)
{
	time_t secs = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (unsigned long long)(ns % 1000000000ULL));
}

static int
digits(const char **s, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (*(*s)++ - '0');
	}
	*out = v;
	return 0;
}

int
clock_parse_rfc3339(const char *s, uint64_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	uint64_t frac = 0, scale = 1000000000ULL;
	time_t secs;

	memset(&tm, 0, sizeof(tm));
	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) ||
	    *s++ != '-' || digits(&s, 2, &d) || (*s != 'T' && *s != 't' &&
	    *s != ' ') || (s++, digits(&s, 2, &h)) || *s++ != ':' ||
	    digits(&s, 2, &mi) || *s++ != ':' || digits(&s, 2, &se))
		return -1;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s)) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*s - '0') * scale;
			}
			s++;
		}
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = (*s++ == '-') ? -1 : 1;
		if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om))
			return -1;
	} else
		return -1;
	if (*s != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 60 || oh > 23 || om > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	secs = timegm(&tm);
	secs -= sign * (oh * 3600 + om * 60);
	if (secs < 0)
		return -1;
	*out = (uint64_t)secs * 1000000000ULL + frac;
	return 0;
}
