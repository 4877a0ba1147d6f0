/* cAdvisor's v2 DerivedStats (info/v2, summary/): timestamp, latest_usage
 * and the minute's, the hour's and the day's usage.  collectord closes a
 * container's minutes into the store (SCHEMA.md "minutes"); the hour and
 * the day are made of the last 60 and 1440 of them here, as cAdvisor
 * makes them of its minute samples.
 *
 * Where cadv differs, on purpose: latest_usage is the rate between the
 * newest two samples and the newest working set (cAdvisor leaves it 0);
 * percent_complete of the hour and day is the share of their minutes
 * stored, 0 to 100 (cAdvisor divides the counts as integers: 0, or 1 when
 * full); a percentile set without values has present false (cAdvisor
 * says true once a minute closed); minutes are the wall clock's, not
 * every 60 samples. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cadv_impl.h"
#include "derived.h"
#include "jsonfmt.h"
#include "percentile.h"

#define HOUR_MINUTES	60
#define DAY_MINUTES	(24 * 60)
#define GO_ZERO_TIME	"0001-01-01T00:00:00Z"

struct minutes {
	struct cadv_minute	*m;
	size_t			 n, cap;
};

static int
collect(const struct cadv_minute *m, void *arg)
{
	struct minutes *ms = arg;

	struct cadv_minute *n;
	size_t cap;

	if (ms->n == ms->cap) {
		/* a day's and the minute being written: more is not there */
		if (ms->cap >= 2 * DAY_MINUTES)
			return 0;
		cap = ms->cap ? ms->cap * 2 : 64;
		if ((n = reallocarray(ms->m, cap, sizeof(*n))) == NULL)
			return ENOMEM;
		ms->m = n;
		ms->cap = cap;
	}
	ms->m[ms->n++] = *m;
	return 0;
}

struct latest {
	uint64_t	ts[2], cpu[2], mem;
	int		has_cpu[2], has_mem, n;
};

static int
latest_cb(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	struct latest *l = arg;

	/* oldest first: the second is the newest */
	if (l->n == 2) {
		l->ts[0] = l->ts[1];
		l->cpu[0] = l->cpu[1];
		l->has_cpu[0] = l->has_cpu[1];
		l->n = 1;
	}
	l->ts[l->n] = ts;
	l->has_cpu[l->n] = sample_has(s, CADV_SF_CPU_TOTAL);
	l->cpu[l->n] = l->has_cpu[l->n] ? s->v[CADV_SF_CPU_TOTAL] : 0;
	l->has_mem = sample_has(s, CADV_SF_MEM_WORKING_SET);
	l->mem = l->has_mem ? s->v[CADV_SF_MEM_WORKING_SET] : 0;
	l->n++;
	return 0;
}

static struct json_object *
percentiles(const struct cadv_percentiles *p, int present)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "present",
	    json_object_new_boolean(present));
	json_object_object_add(o, "mean", json_object_new_uint64(p->mean));
	json_object_object_add(o, "max", json_object_new_uint64(p->max));
	json_object_object_add(o, "fifty", json_object_new_uint64(p->fifty));
	json_object_object_add(o, "ninety",
	    json_object_new_uint64(p->ninety));
	json_object_object_add(o, "ninetyfive",
	    json_object_new_uint64(p->ninetyfive));
	return o;
}

static struct json_object *
usage(const struct cadv_minute *u)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "percent_complete",
	    json_object_new_int((int32_t)u->percent));
	json_object_object_add(o, "cpu", percentiles(&u->cpu,
	    (u->flags & CADV_MF_CPU) != 0));
	json_object_object_add(o, "memory", percentiles(&u->memory,
	    (u->flags & CADV_MF_MEMORY) != 0));
	return o;
}

CADV_EXPORT int
cadv_summary(struct cadv_txn *t, uint64_t id, uint64_t now,
    struct cadv_summary *out)
{
	struct minutes ms = { NULL, 0, 0 };
	struct latest l;
	uint64_t cur = now - now % MINUTE_NS, from, *scratch;
	size_t i;
	int rc;

	memset(&l, 0, sizeof(l));
	memset(out, 0, sizeof(*out));
	from = cur > DAY_MINUTES * MINUTE_NS ? cur - DAY_MINUTES * MINUTE_NS :
	    0;
	/* the closed minutes of the day before this one */
	if ((rc = cadv_minutes_range(t, id, from, cur - 1, collect,
	    &ms)) != 0 || (rc = cadv_samples_last(t, id, 2, latest_cb,
	    &l)) != 0) {
		free(ms.m);
		return rc;
	}
	if ((scratch = calloc(ms.n ? ms.n : 1, sizeof(*scratch))) == NULL) {
		free(ms.m);
		return ENOMEM;
	}
	if (ms.n > 0) {
		out->minute = ms.m[ms.n - 1];
		out->timestamp_ns = out->minute.start_ns + MINUTE_NS;
		summary_derive(ms.m, ms.n, DAY_MINUTES, scratch, &out->day);
		/* the hour: its minutes are the newest, at the end */
		for (i = ms.n; i > 0 && ms.m[i - 1].start_ns + HOUR_MINUTES *
		    MINUTE_NS >= cur; i--)
			;
		summary_derive(ms.m + i, ms.n - i, HOUR_MINUTES, scratch,
		    &out->hour);
	}
	free(scratch);
	free(ms.m);
	if (l.n == 2 && l.has_cpu[0] && l.has_cpu[1] &&
	    summary_cpu_rate(l.ts[0], l.cpu[0], l.ts[1], l.cpu[1],
	    &out->latest_cpu) == -1)
		out->latest_cpu = 0;
	out->latest_memory = l.mem;
	return 0;
}

static int
minute_json(const struct cadv_minute *mu, void *arg)
{
	struct json_object *m = usage(mu);

	json_object_object_add(m, "start", jsonfmt_time(mu->start_ns));
	json_object_object_add(m, "start_ns",
	    json_object_new_uint64(mu->start_ns));
	json_object_array_add(arg, m);
	return 0;
}

struct json_object *
derived_json(struct cadv_txn *t, uint64_t id, uint64_t now, int minutes,
    int *rc)
{
	struct cadv_summary d;
	struct json_object *o, *lu, *arr;
	uint64_t cur = now - now % MINUTE_NS, from;

	if ((*rc = cadv_summary(t, id, now, &d)) != 0)
		return NULL;
	o = json_object_new_object();
	/* cAdvisor's: when its newest minute closed; Go's zero time
	 * before it has one */
	json_object_object_add(o, "timestamp", d.timestamp_ns != 0 ?
	    jsonfmt_time(d.timestamp_ns) :
	    json_object_new_string(GO_ZERO_TIME));
	lu = json_object_new_object();
	json_object_object_add(lu, "cpu", json_object_new_uint64(d.latest_cpu));
	json_object_object_add(lu, "memory",
	    json_object_new_uint64(d.latest_memory));
	json_object_object_add(o, "latest_usage", lu);
	json_object_object_add(o, "minute_usage", usage(&d.minute));
	json_object_object_add(o, "hour_usage", usage(&d.hour));
	json_object_object_add(o, "day_usage", usage(&d.day));
	if (minutes) {
		from = cur > DAY_MINUTES * MINUTE_NS ?
		    cur - DAY_MINUTES * MINUTE_NS : 0;
		arr = json_object_new_array();
		json_object_object_add(o, "minutes", arr);
		if ((*rc = cadv_minutes_range(t, id, from, cur - 1,
		    minute_json, arr)) != 0) {
			json_object_put(o);
			return NULL;
		}
	}
	*rc = 0;
	return o;
}
