/* Stats from cgroup v1 hierarchies (the kernel's admin-guide/cgroup-v1),
 * in the store's units. */
#include <string.h>

#include "cgparse.h"
#include "collector.h"
#include "keys.h"

#define HAS(found, i)	(((found) >> (i)) & 1)

static int
read_u64(struct collector *c, struct ctr *k, enum cgfile f, uint64_t *v)
{
	ssize_t n = ctr_read(c, k, f);

	return n < 0 ? -1 : cgp_u64(c->rbuf, (size_t)n, v);
}

_Static_assert((int)CPU1_N <= 8 && (int)CPUACCT_N <= 8, "vals[] in cpu()");

static void
cpu(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	uint64_t v, vals[8], found;
	size_t ncpu;
	ssize_t n;

	if (read_u64(c, k, F1_CPUACCT_USAGE, &v) == 0)
		sample_set(s, CADV_SF_CPU_TOTAL, v);
	if ((n = ctr_read(c, k, F1_CPUACCT_STAT)) >= 0) {
		found = 0;
		cgp_kv(c->rbuf, (size_t)n, keys_cpuacct, CPUACCT_N, vals, &found);
		/* USER_HZ ticks to ns */
		if (HAS(found, CPUACCT_USER))
			sample_set(s, CADV_SF_CPU_USER, vals[CPUACCT_USER] *
			    (1000000000ULL / (uint64_t)c->clk_tck));
		if (HAS(found, CPUACCT_SYSTEM))
			sample_set(s, CADV_SF_CPU_SYSTEM, vals[CPUACCT_SYSTEM] *
			    (1000000000ULL / (uint64_t)c->clk_tck));
	}
	if ((n = ctr_read(c, k, F1_CPUACCT_PERCPU)) >= 0 &&
	    cgp_u64_list(c->rbuf, (size_t)n, s->percpu, SAMPLE_MAX_CPUS,
	    &ncpu) == 0)
		s->ncpu = (uint16_t)ncpu;
	if ((n = ctr_read(c, k, F1_CPU_STAT)) >= 0) {
		found = 0;
		cgp_kv(c->rbuf, (size_t)n, keys_cpu1, CPU1_N, vals, &found);
		if (HAS(found, CPU1_NR_PERIODS))
			sample_set(s, CADV_SF_CPU_PERIODS, vals[CPU1_NR_PERIODS]);
		if (HAS(found, CPU1_NR_THROTTLED))
			sample_set(s, CADV_SF_CPU_THROTTLED_PERIODS,
			    vals[CPU1_NR_THROTTLED]);
		if (HAS(found, CPU1_THROTTLED_TIME))
			sample_set(s, CADV_SF_CPU_THROTTLED_TIME,
			    vals[CPU1_THROTTLED_TIME]);
		/* cpu.cfs_burst_us's counters (5.14), already ns on v1 */
		if (HAS(found, CPU1_NR_BURSTS))
			sample_set(s, CADV_SF_CPU_BURST_PERIODS,
			    vals[CPU1_NR_BURSTS]);
		if (HAS(found, CPU1_BURST_TIME))
			sample_set(s, CADV_SF_CPU_BURST_TIME, vals[CPU1_BURST_TIME]);
	}
}

/* total_X (hierarchical) when the kernel gives it, else X */
static void
mem_key(struct cadv_sample *s, enum cadv_sample_field f, const uint64_t *vals,
    uint64_t found, int total, int local)
{
	if (HAS(found, total))
		sample_set(s, f, vals[total]);
	else if (HAS(found, local))
		sample_set(s, f, vals[local]);
}

static void
memory(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	uint64_t v, vals[M1_N], found = 0, oom[OOMC_N], ofound = 0;
	ssize_t n;

	if (read_u64(c, k, F1_MEM_USAGE, &v) == 0)
		sample_set(s, CADV_SF_MEM_USAGE, v);
	if (read_u64(c, k, F1_MEM_MAX_USAGE, &v) == 0)
		sample_set(s, CADV_SF_MEM_MAX_USAGE, v);
	if (read_u64(c, k, F1_MEM_FAILCNT, &v) == 0)
		sample_set(s, CADV_SF_MEM_FAILCNT, v);
	if (read_u64(c, k, F1_MEM_KMEM_USAGE, &v) == 0)
		sample_set(s, CADV_SF_MEM_KERNEL, v);
	if ((n = ctr_read(c, k, F1_MEM_STAT)) >= 0) {
		cgp_kv(c->rbuf, (size_t)n, keys_mem1, M1_N, vals, &found);
		mem_key(s, CADV_SF_MEM_CACHE, vals, found, M1_TOTAL_CACHE, M1_CACHE);
		mem_key(s, CADV_SF_MEM_RSS, vals, found, M1_TOTAL_RSS, M1_RSS);
		mem_key(s, CADV_SF_MEM_RSS_HUGE, vals, found, M1_TOTAL_RSS_HUGE,
		    M1_RSS_HUGE);
		mem_key(s, CADV_SF_MEM_SHMEM, vals, found, M1_TOTAL_SHMEM, M1_SHMEM);
		mem_key(s, CADV_SF_MEM_MAPPED_FILE, vals, found,
		    M1_TOTAL_MAPPED_FILE, M1_MAPPED_FILE);
		mem_key(s, CADV_SF_MEM_DIRTY, vals, found, M1_TOTAL_DIRTY, M1_DIRTY);
		mem_key(s, CADV_SF_MEM_WRITEBACK, vals, found, M1_TOTAL_WRITEBACK,
		    M1_WRITEBACK);
		mem_key(s, CADV_SF_MEM_SWAP, vals, found, M1_TOTAL_SWAP, M1_SWAP);
		mem_key(s, CADV_SF_MEM_ACTIVE_FILE, vals, found,
		    M1_TOTAL_ACTIVE_FILE, M1_ACTIVE_FILE);
		mem_key(s, CADV_SF_MEM_INACTIVE_FILE, vals, found,
		    M1_TOTAL_INACTIVE_FILE, M1_INACTIVE_FILE);
		/* hierarchical, as v2's memory.stat is (v1 has no pgscan,
		 * pgsteal or memory.events) */
		mem_key(s, CADV_SF_MEM_WS_REFAULT_ANON, vals, found,
		    M1_TOTAL_WS_REFAULT_ANON, M1_WS_REFAULT_ANON);
		mem_key(s, CADV_SF_MEM_WS_REFAULT_FILE, vals, found,
		    M1_TOTAL_WS_REFAULT_FILE, M1_WS_REFAULT_FILE);
		/* cAdvisor takes these unprefixed for both scopes */
		if (HAS(found, M1_PGFAULT))
			sample_set(s, CADV_SF_MEM_PGFAULT, vals[M1_PGFAULT]);
		if (HAS(found, M1_PGMAJFAULT))
			sample_set(s, CADV_SF_MEM_PGMAJFAULT, vals[M1_PGMAJFAULT]);
	}
	if ((n = ctr_read(c, k, F1_MEM_OOM_CONTROL)) >= 0) {
		cgp_kv(c->rbuf, (size_t)n, keys_oomc, OOMC_N, oom, &ofound);
		if (HAS(ofound, OOMC_OOM_KILL)) {
			sample_set(s, CADV_SF_MEM_OOM_KILL, oom[OOMC_OOM_KILL]);
			/* v1 counts a kill in the task's own memcg only */
			k->oom_local = oom[OOMC_OOM_KILL];
			k->oom_local_valid = 1;
		}
	}
}

static void
blkio(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	size_t nblk = 0;
	struct cgp_blk d = { s->blk, s->xio, SAMPLE_MAX_BLK, &nblk,
	    &s->xpresent };
	ssize_t n;
	int have = 0;

	if ((n = ctr_read(c, k, F1_BLKIO_BYTES)) >= 0 &&
	    cgp_blkio_v1(c->rbuf, (size_t)n, CGP_BLK_BYTES, &d) == 0)
		have |= 1;
	if ((n = ctr_read(c, k, F1_BLKIO_OPS)) >= 0 &&
	    cgp_blkio_v1(c->rbuf, (size_t)n, CGP_BLK_OPS, &d) == 0)
		have |= 2;
	s->nblk = (uint16_t)nblk;
	sample_io_totals(s, have & 1, have & 2);
}

void
sample_v1(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	uint64_t v;

	cpu(c, k, s);
	memory(c, k, s);
	blkio(c, k, s);
	if (read_u64(c, k, F1_PIDS_CURRENT, &v) == 0) {
		sample_set(s, CADV_SF_PIDS_CURRENT, v);
		sample_set(s, CADV_SF_THREADS, v);
	}
}
