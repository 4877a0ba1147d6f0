/* cAdvisor's summary (its summary/ package, info/v2 DerivedStats): a
 * minute of cpu rates and memory working sets made into percentiles, and
 * the hour's and the day's made from those minutes. */
#ifndef CADV_PERCENTILE_H
#define CADV_PERCENTILE_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"

/* The minute a collector is in, for one container. */
struct minute_acc {
	uint64_t	 start_ns;	/* the minute; 0 before the first */
	uint64_t	 first_ts, last_ts;	/* its first and last sample */
	uint64_t	 prev_ts, prev_cpu;	/* the sample a rate starts at */
	int		 prev_valid;
	int		 carried;	/* its first rate began before it */
	uint32_t	 nsamples;
	uint32_t	 ncpu, nmem, cap;	/* values kept, room */
	uint32_t	 nrates, nmems;		/* values seen */
	uint64_t	*cpu, *mem;
	double		 cpu_mean, mem_mean;
	uint64_t	 cpu_max, mem_max;
};

/* Values kept for one minute's percentiles: a sample each 15 ms.  Past
 * that the mean and max still see every value. */
#define MINUTE_KEEP_MAX	4096

/* cAdvisor's uint64Slice.GetPercentile: sorts v, then the value at rank
 * d x (n + 1), interpolated between the two around it except at the ends;
 * 0 for no values or d outside [0, 1]. */
uint64_t summary_percentile(uint64_t *v, size_t n, double d);

/* cAdvisor's running mean (summary/percentiles.go mean.Add). */
void	summary_mean_add(double *mean, uint64_t count, uint64_t v);

/* cpu rate in millicores between two cumulative cpu times, or -1 as
 * cAdvisor refuses one: less than 10 ms apart, or the counter went down. */
int	summary_cpu_rate(uint64_t prev_ts, uint64_t prev_cpu, uint64_t ts,
	    uint64_t cpu, uint64_t *rate);

/* Folds a sample taken at ts (cpu: cumulative ns, when has_cpu; mem: the
 * working set, when has_mem) into the container's minute.  When ts is in
 * a later minute, the minute before is closed into *done first and 1 is
 * returned; else 0.  Never fails: values past MINUTE_KEEP_MAX, or past
 * what memory allows, leave the percentiles but not the mean and max. */
int	minute_add(struct minute_acc *, uint64_t ts, int has_cpu,
	    uint64_t cpu, int has_mem, uint64_t mem, struct cadv_minute *done);
/* The minute so far as a record (what minute_add would close it to). */
void	minute_peek(struct minute_acc *, struct cadv_minute *);
void	minute_acc_free(struct minute_acc *);

/* The hour's or the day's usage from minute records (any order): cpu and
 * memory each the max of the minutes' max, the running mean of their
 * means and the 50th, 90th and 95th percentiles of their 90th (cAdvisor's
 * GetDerivedPercentiles); percent is n x 100 / want.  scratch holds n
 * values. */
void	summary_derive(const struct cadv_minute *, size_t n, size_t want,
	    uint64_t *scratch, struct cadv_minute *out);

#endif
