/* Stats from the cgroup v2 tree (the kernel's cgroup-v2.rst),
 * in the store's units: cpu.stat microseconds become nanoseconds. */
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

static void
cpu(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	static const struct { int key; enum cadv_sample_field f; uint64_t mul; } map[] = {
		{ CPU2_USAGE_USEC, CADV_SF_CPU_TOTAL, 1000 },
		{ CPU2_USER_USEC, CADV_SF_CPU_USER, 1000 },
		{ CPU2_SYSTEM_USEC, CADV_SF_CPU_SYSTEM, 1000 },
		{ CPU2_NR_PERIODS, CADV_SF_CPU_PERIODS, 1 },
		{ CPU2_NR_THROTTLED, CADV_SF_CPU_THROTTLED_PERIODS, 1 },
		{ CPU2_THROTTLED_USEC, CADV_SF_CPU_THROTTLED_TIME, 1000 },
		{ CPU2_NR_BURSTS, CADV_SF_CPU_BURST_PERIODS, 1 },
		{ CPU2_BURST_USEC, CADV_SF_CPU_BURST_TIME, 1000 },
	};
	uint64_t vals[CPU2_N], found = 0;
	ssize_t n;
	size_t i;

	if ((n = ctr_read(c, k, F2_CPU_STAT)) < 0)
		return;
	cgp_kv(c->rbuf, (size_t)n, keys_cpu2, CPU2_N, vals, &found);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (HAS(found, map[i].key))
			sample_set(s, map[i].f, vals[map[i].key] * map[i].mul);
}

static void
memory(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	static const struct { int key; enum cadv_sample_field f; } map[] = {
		{ M2_FILE, CADV_SF_MEM_CACHE }, { M2_ANON, CADV_SF_MEM_RSS },
		{ M2_ANON_THP, CADV_SF_MEM_RSS_HUGE }, { M2_SHMEM, CADV_SF_MEM_SHMEM },
		{ M2_FILE_MAPPED, CADV_SF_MEM_MAPPED_FILE },
		{ M2_FILE_DIRTY, CADV_SF_MEM_DIRTY },
		{ M2_FILE_WRITEBACK, CADV_SF_MEM_WRITEBACK },
		{ M2_ACTIVE_FILE, CADV_SF_MEM_ACTIVE_FILE },
		{ M2_INACTIVE_FILE, CADV_SF_MEM_INACTIVE_FILE },
		{ M2_PGFAULT, CADV_SF_MEM_PGFAULT }, { M2_PGMAJFAULT, CADV_SF_MEM_PGMAJFAULT },
		{ M2_PGSCAN, CADV_SF_MEM_PGSCAN }, { M2_PGSTEAL, CADV_SF_MEM_PGSTEAL },
		{ M2_WS_REFAULT_ANON, CADV_SF_MEM_WS_REFAULT_ANON },
		{ M2_WS_REFAULT_FILE, CADV_SF_MEM_WS_REFAULT_FILE },
	};
	uint64_t v, vals[M2_N], found = 0, ev[MEV_N], efound = 0;
	ssize_t n;
	size_t i;

	if (read_u64(c, k, F2_MEM_CURRENT, &v) == 0)
		sample_set(s, CADV_SF_MEM_USAGE, v);
	if (read_u64(c, k, F2_MEM_PEAK, &v) == 0)
		sample_set(s, CADV_SF_MEM_MAX_USAGE, v);
	if (read_u64(c, k, F2_MEM_SWAP_CURRENT, &v) == 0)
		sample_set(s, CADV_SF_MEM_SWAP, v);
	if ((n = ctr_read(c, k, F2_MEM_STAT)) >= 0) {
		cgp_kv(c->rbuf, (size_t)n, keys_mem2, M2_N, vals, &found);
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (HAS(found, map[i].key))
				sample_set(s, map[i].f, vals[map[i].key]);
		/* the root has no memory.current: cAdvisor uses anon + file */
		if (!sample_has(s, CADV_SF_MEM_USAGE) && HAS(found, M2_ANON) &&
		    HAS(found, M2_FILE))
			sample_set(s, CADV_SF_MEM_USAGE, vals[M2_ANON] + vals[M2_FILE]);
	}
	/* memory.events counts a kill in every ancestor too; the .local
	 * file only in the cgroup of the killed task */
	k->oom_local_valid = 0;
	if ((n = ctr_read(c, k, F2_MEM_EVENTS_LOCAL)) >= 0) {
		uint64_t lv[MEV_N], lf = 0;

		cgp_kv(c->rbuf, (size_t)n, keys_mev, MEV_N, lv, &lf);
		if (HAS(lf, MEV_OOM_KILL)) {
			k->oom_local = lv[MEV_OOM_KILL];
			k->oom_local_valid = 1;
		}
	}
	if ((n = ctr_read(c, k, F2_MEM_EVENTS)) >= 0) {
		cgp_kv(c->rbuf, (size_t)n, keys_mev, MEV_N, ev, &efound);
		if (HAS(efound, MEV_OOM))
			sample_set(s, CADV_SF_MEM_OOM, ev[MEV_OOM]);
		if (HAS(efound, MEV_OOM_KILL))
			sample_set(s, CADV_SF_MEM_OOM_KILL, ev[MEV_OOM_KILL]);
		if (HAS(efound, MEV_HIGH))
			sample_set(s, CADV_SF_MEM_EVENTS_HIGH, ev[MEV_HIGH]);
		if (HAS(efound, MEV_MAX))
			sample_set(s, CADV_SF_MEM_EVENTS_MAX, ev[MEV_MAX]);
	}
}

static void
io(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	size_t nblk = 0;
	struct cgp_blk d = { s->blk, s->xio, SAMPLE_MAX_BLK, &nblk,
	    &s->xpresent };
	ssize_t n;

	if ((n = ctr_read(c, k, F2_IO_STAT)) < 0 ||
	    cgp_iostat_v2(c->rbuf, (size_t)n, &d) == -1) {
		sample_xio_clear(s);
		return;
	}
	s->nblk = (uint16_t)nblk;
	sample_io_totals(s, 1, 1);
}

_Static_assert(CADV_SF_PSI_CPU_FULL_TOTAL == CADV_SF_PSI_CPU_SOME_AVG10 + 7 &&
    CADV_SF_PSI_MEM_FULL_TOTAL == CADV_SF_PSI_MEM_SOME_AVG10 + 7 &&
    CADV_SF_PSI_IO_FULL_TOTAL == CADV_SF_PSI_IO_SOME_AVG10 + 7,
    "pressure fields: some avg10/60/300/total, then full, in schema.h");

static void
pressure(struct collector *c, struct ctr *k, struct cadv_sample *s, enum cgfile f,
    enum cadv_sample_field some_avg10)
{
	struct cgp_psi some, full;
	unsigned has;
	ssize_t n;

	if ((n = ctr_read(c, k, f)) < 0 ||
	    cgp_psi(c->rbuf, (size_t)n, &some, &full, &has) == -1)
		return;
	/* fields: some avg10, avg60, avg300, total, then full likewise */
	if (has & 1) {
		sample_set(s, some_avg10, some.avg10);
		sample_set(s, some_avg10 + 1, some.avg60);
		sample_set(s, some_avg10 + 2, some.avg300);
		sample_set(s, some_avg10 + 3, some.total_us * 1000);
	}
	if (has & 2) {
		sample_set(s, some_avg10 + 4, full.avg10);
		sample_set(s, some_avg10 + 5, full.avg60);
		sample_set(s, some_avg10 + 6, full.avg300);
		sample_set(s, some_avg10 + 7, full.total_us * 1000);
	}
}

void
sample_v2(struct collector *c, struct ctr *k, struct cadv_sample *s)
{
	uint64_t v;

	cpu(c, k, s);
	memory(c, k, s);
	io(c, k, s);
	if (read_u64(c, k, F2_PIDS_CURRENT, &v) == 0) {
		sample_set(s, CADV_SF_PIDS_CURRENT, v);
		sample_set(s, CADV_SF_THREADS, v);
	}
	pressure(c, k, s, F2_CPU_PRESSURE, CADV_SF_PSI_CPU_SOME_AVG10);
	pressure(c, k, s, F2_MEM_PRESSURE, CADV_SF_PSI_MEM_SOME_AVG10);
	pressure(c, k, s, F2_IO_PRESSURE, CADV_SF_PSI_IO_SOME_AVG10);
}
