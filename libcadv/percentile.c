/* cAdvisor's summary arithmetic (summary/percentiles.go), on values a
 * collector folds in as it samples and on minute records. */
#include <stdlib.h>
#include <string.h>

#include "percentile.h"

#define MS_NS		1000000ULL
#define RATE_MIN_NS	(10 * MS_NS)	/* cAdvisor's "elapsed time too small" */
#define MINUTE_SLACK_NS	(58 * 1000000000ULL)	/* its "allow some slack" */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
summary_percentile(uint64_t *v, size_t n, double d)
{
	double rank, frac, p;
	size_t i;

	if (d < 0.0 || d > 1.0 || n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	rank = d * ((double)n + 1);
	/* Go's math.Modf, for a rank that is never negative */
	i = (size_t)rank;
	frac = rank - (double)i;
	/* Go indexes out of range at these (d x (n + 1) below 1 or above
	 * n); the ends are the nearest values */
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	p = (double)v[i - 1];
	if (i > 1 && i < n)
		p += frac * (double)(v[i] - v[i - 1]);
	return (uint64_t)p;
}

void
summary_mean_add(double *mean, uint64_t count, uint64_t v)
{
	double c = (double)count;

	if (count <= 1) {
		*mean = (double)v;
		return;
	}
	*mean = (*mean * (c - 1) + (double)v) / c;
}

int
summary_cpu_rate(uint64_t prev_ts, uint64_t prev_cpu, uint64_t ts,
    uint64_t cpu, uint64_t *rate)
{
	unsigned __int128 r;

	if (ts < prev_ts || ts - prev_ts < RATE_MIN_NS || cpu < prev_cpu)
		return -1;
	/* cpu-milliseconds per second */
	r = (unsigned __int128)(cpu - prev_cpu) * 1000 / (ts - prev_ts);
	*rate = r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
	return 0;
}

static void
keep(struct minute_acc *a, uint64_t **arr, uint32_t *n, uint64_t v)
{
	uint64_t *c, *m;
	uint32_t cap;

	if (*n == a->cap) {
		if (a->cap >= MINUTE_KEEP_MAX)
			return;
		cap = a->cap ? a->cap * 2 : 64;
		/* both arrays grow together: one room count */
		if ((c = realloc(a->cpu, cap * sizeof(*c))) == NULL)
			return;
		a->cpu = c;
		if ((m = realloc(a->mem, cap * sizeof(*m))) == NULL)
			return;
		a->mem = m;
		a->cap = cap;
	}
	(*arr)[(*n)++] = v;
}

void
minute_peek(struct minute_acc *a, struct cadv_minute *out)
{
	uint64_t span = 0;

	memset(out, 0, sizeof(*out));
	out->start_ns = a->start_ns;
	out->nsamples = a->nsamples;
	out->nrates = a->nrates;
	if (a->nsamples > 1 || a->carried) {
		/* a rate begun in the minute before covers the minute from
		 * its start */
		span = a->last_ts - (a->carried ? a->start_ns : a->first_ts);
		out->percent = span >= MINUTE_SLACK_NS ? 100 :
		    (uint32_t)(span * 100 / MINUTE_NS);
	}
	if (a->nrates > 0) {
		out->flags |= CADV_MF_CPU;
		out->cpu.mean = (uint64_t)a->cpu_mean;
		out->cpu.max = a->cpu_max;
		out->cpu.fifty = summary_percentile(a->cpu, a->ncpu, 0.5);
		out->cpu.ninety = summary_percentile(a->cpu, a->ncpu, 0.9);
		out->cpu.ninetyfive = summary_percentile(a->cpu, a->ncpu,
		    0.95);
	}
	if (a->nmems > 0) {
		out->flags |= CADV_MF_MEMORY;
		out->memory.mean = (uint64_t)a->mem_mean;
		out->memory.max = a->mem_max;
		out->memory.fifty = summary_percentile(a->mem, a->nmem, 0.5);
		out->memory.ninety = summary_percentile(a->mem, a->nmem, 0.9);
		out->memory.ninetyfive = summary_percentile(a->mem, a->nmem,
		    0.95);
	}
}

int
minute_add(struct minute_acc *a, uint64_t ts, int has_cpu, uint64_t cpu,
    int has_mem, uint64_t mem, struct cadv_minute *done)
{
	uint64_t start = ts - ts % MINUTE_NS, rate;
	int closed = 0;

	if (a->start_ns != 0 && start < a->start_ns)
		return 0;	/* the clock went back: a sample out of order */
	if (a->start_ns != 0 && start > a->start_ns && a->nsamples > 0) {
		minute_peek(a, done);
		closed = 1;
	}
	if (start != a->start_ns) {
		a->start_ns = start;
		a->nsamples = a->ncpu = a->nmem = a->nrates = a->nmems = 0;
		a->cpu_mean = a->mem_mean = 0;
		a->cpu_max = a->mem_max = 0;
		a->carried = 0;
	}
	if (has_cpu && a->prev_valid) {
		/* as cAdvisor, a sample whose rate it refuses is left out,
		 * memory too, and the next rate starts where this one did */
		if (summary_cpu_rate(a->prev_ts, a->prev_cpu, ts, cpu,
		    &rate) == -1)
			return closed;
		if (a->nsamples == 0 && a->prev_ts < start)
			a->carried = 1;
		a->nrates++;
		summary_mean_add(&a->cpu_mean, a->nrates, rate);
		if (rate > a->cpu_max)
			a->cpu_max = rate;
		keep(a, &a->cpu, &a->ncpu, rate);
	}
	if (a->nsamples == 0)
		a->first_ts = ts;
	a->last_ts = ts;
	a->nsamples++;
	if (has_mem) {
		a->nmems++;
		summary_mean_add(&a->mem_mean, a->nmems, mem);
		if (mem > a->mem_max)
			a->mem_max = mem;
		keep(a, &a->mem, &a->nmem, mem);
	}
	a->prev_valid = has_cpu;
	a->prev_ts = ts;
	a->prev_cpu = cpu;
	return closed;
}

void
minute_acc_free(struct minute_acc *a)
{
	free(a->cpu);
	free(a->mem);
	memset(a, 0, sizeof(*a));
}

static void
derive_one(const struct cadv_minute *m, size_t n, int mem, uint64_t *v,
    struct cadv_percentiles *out, int *present)
{
	const struct cadv_percentiles *p;
	uint64_t count = 0;
	double mean = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (!(m[i].flags & (mem ? CADV_MF_MEMORY : CADV_MF_CPU)))
			continue;
		p = mem ? &m[i].memory : &m[i].cpu;
		if (p->max > out->max)
			out->max = p->max;
		summary_mean_add(&mean, ++count, p->mean);
		/* cAdvisor: "Selecting 90p of 90p" */
		v[count - 1] = p->ninety;
	}
	*present = count > 0;
	out->mean = (uint64_t)mean;
	out->fifty = summary_percentile(v, count, 0.5);
	out->ninety = summary_percentile(v, count, 0.9);
	out->ninetyfive = summary_percentile(v, count, 0.95);
}

void
summary_derive(const struct cadv_minute *m, size_t n, size_t want,
    uint64_t *scratch, struct cadv_minute *out)
{
	int present;

	memset(out, 0, sizeof(*out));
	out->nsamples = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	if (want > 0)
		out->percent = n >= want ? 100 : (uint32_t)(n * 100 / want);
	derive_one(m, n, 0, scratch, &out->cpu, &present);
	if (present)
		out->flags |= CADV_MF_CPU;
	derive_one(m, n, 1, scratch, &out->memory, &present);
	if (present)
		out->flags |= CADV_MF_MEMORY;
}
