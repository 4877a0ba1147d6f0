/* The summary's arithmetic against cAdvisor's (summary/percentiles.go and
 * its tests), and the minutes table. */
#include <stdlib.h>
#include <string.h>

#include "storeminute.h"
#include "percentile.h"
#include "unit.h"
#include "storewrite.h"

#define S	1000000000ULL

static uint64_t *
desc(size_t n)
{
	uint64_t *v = calloc(n ? n : 1, sizeof(*v));
	size_t i;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < n; i++)
		v[i] = n - i;	/* unsorted on purpose */
	return v;
}

static uint64_t
pct(size_t n, double d)
{
	uint64_t *v = desc(n), r = summary_percentile(v, n, d);

	free(v);
	return r;
}

START_TEST(percentile_as_cadvisor)
{
	uint64_t five[] = { 5, 4, 3, 2, 1 };

	ck_assert_uint_eq(pct(100, 0.2), 20);
	ck_assert_uint_eq(pct(100, 0.7), 70);
	ck_assert_uint_eq(pct(100, 0.9), 90);
	/* interpolated: rank 95.4 of 105 */
	ck_assert_uint_eq(pct(105, 0.2), 21);
	ck_assert_uint_eq(pct(105, 0.7), 74);
	ck_assert_uint_eq(pct(105, 0.9), 95);
	ck_assert_uint_eq(summary_percentile(five, 5, 0.9), 5);
	ck_assert_uint_eq(summary_percentile(five, 5, 1.1), 0);
	ck_assert_uint_eq(summary_percentile(five, 0, 0.5), 0);
	ck_assert_uint_eq(pct(100, 0), 1);
	ck_assert_uint_eq(pct(11, 1.0), 11);
	ck_assert_uint_eq(pct(105, 1.0), 105);
	ck_assert_uint_eq(pct(1, 0.5), 1);
	/* 0.5 x 11 = 5.5: halfway between the 5th and 6th */
	{
		uint64_t v[] = { 0, 90, 10, 20, 30, 40, 50, 60, 70, 80 };

		ck_assert_uint_eq(summary_percentile(v, 10, 0.5), 45);
	}
}
END_TEST

START_TEST(mean_as_cadvisor)
{
	double m = 0;
	uint64_t i;

	for (i = 1; i < 100; i++)
		summary_mean_add(&m, i, i);
	ck_assert(m == 50.0);
}
END_TEST

START_TEST(cpu_rate)
{
	uint64_t r = 0;

	/* 1 s of cpu in 1 s: 1000 millicores; 0.25 s in 0.5 s: 500 */
	ck_assert_int_eq(summary_cpu_rate(0, 0, S, S, &r), 0);
	ck_assert_uint_eq(r, 1000);
	ck_assert_int_eq(summary_cpu_rate(S, S, S + S / 2, S + S / 4, &r), 0);
	ck_assert_uint_eq(r, 500);
	/* refused: under 10 ms apart, counter down, time back */
	ck_assert_int_eq(summary_cpu_rate(S, 0, S + 9999999, 5, &r), -1);
	ck_assert_int_eq(summary_cpu_rate(0, 10, S, 5, &r), -1);
	ck_assert_int_eq(summary_cpu_rate(S, 0, 0, 5, &r), -1);
	/* a huge delta does not wrap in the x 1000 */
	ck_assert_int_eq(summary_cpu_rate(0, 0, 20 * 1000000, UINT64_MAX,
	    &r), 0);
	ck_assert_uint_eq(r, 922337203685477ULL);
}
END_TEST

/* cAdvisor's TestAggregates in a wall-clock minute: a sample a second,
 * cpu 1 s/s, memory growing 1 KiB/s; the next minute's first sample
 * closes it. */
START_TEST(minute_of_seconds)
{
	struct minute_acc a;
	struct cadv_minute m;
	uint64_t t0 = 1000 * MINUTE_NS, i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < 60; i++)
		ck_assert_int_eq(minute_add(&a, t0 + i * S, 1, (i + 7) * S, 1,
		    i * 1024, &m), 0);
	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(minute_add(&a, t0 + 60 * S, 1, 67 * S, 1, 0, &m), 1);
	ck_assert_uint_eq(m.start_ns, t0);
	ck_assert_uint_eq(m.nsamples, 60);
	ck_assert_uint_eq(m.nrates, 59);
	ck_assert_uint_eq(m.percent, 100);
	ck_assert_uint_eq(m.flags, CADV_MF_CPU | CADV_MF_MEMORY);
	ck_assert_uint_eq(m.cpu.mean, 1000);
	ck_assert_uint_eq(m.cpu.max, 1000);
	ck_assert_uint_eq(m.cpu.fifty, 1000);
	ck_assert_uint_eq(m.cpu.ninety, 1000);
	ck_assert_uint_eq(m.cpu.ninetyfive, 1000);
	/* 0 .. 59 KiB: mean 29.5 KiB; ranks 30.5, 54.9, 57.95 of 60 are
	 * 29.5, 53.9 and 56.95 KiB */
	ck_assert_uint_eq(m.memory.mean, 30208);
	ck_assert_uint_eq(m.memory.max, 59 * 1024);
	ck_assert_uint_eq(m.memory.fifty, 30208);
	ck_assert_uint_eq(m.memory.ninety, 55193);
	ck_assert_uint_eq(m.memory.ninetyfive, 58316);

	/* the next minute's rates start at the last sample before it: half
	 * a minute covered from its start, at 2 cpus */
	for (i = 1; i < 30; i++)
		ck_assert_int_eq(minute_add(&a, t0 + (60 + i) * S, 1,
		    (67 + 2 * i) * S, 0, 0, &m), 0);
	minute_peek(&a, &m);
	ck_assert_uint_eq(m.start_ns, t0 + MINUTE_NS);
	ck_assert_uint_eq(m.nsamples, 30);
	ck_assert_uint_eq(m.nrates, 30);
	ck_assert_uint_eq(m.percent, 48);	/* 29 s of 60 */
	ck_assert_uint_eq(m.cpu.mean, 1966);	/* 1000, then 29 x 2000 */
	ck_assert_uint_eq(m.cpu.max, 2000);
	ck_assert_uint_eq(m.memory.mean, 0);	/* one, at 0 */
	ck_assert_uint_eq(m.flags, CADV_MF_CPU | CADV_MF_MEMORY);
	minute_acc_free(&a);
}
END_TEST

/* cAdvisor's TestSamplesCloseInTimeIgnored: a sample 1 ms after another
 * is left out, memory too. */
START_TEST(minute_close_samples_ignored)
{
	struct minute_acc a;
	struct cadv_minute m;
	uint64_t t0 = 2000 * MINUTE_NS, i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < 50; i++) {
		minute_add(&a, t0 + i * S, 1, i * S, 1, i * 1024, &m);
		minute_add(&a, t0 + i * S + 1000000, 1, i * 100 * S,
		    1, i * 1024 * 1024, &m);
	}
	minute_peek(&a, &m);
	ck_assert_uint_eq(m.nsamples, 50);
	ck_assert_uint_eq(m.cpu.max, 1000);
	ck_assert_uint_eq(m.cpu.ninetyfive, 1000);
	ck_assert_uint_eq(m.memory.max, 49 * 1024);
	ck_assert_uint_eq(m.percent, 81);	/* 49 s */
	/* a clock gone back: passed over */
	ck_assert_int_eq(minute_add(&a, t0 - S, 1, 0, 1, 1 << 30, &m), 0);
	minute_peek(&a, &m);
	ck_assert_uint_eq(m.memory.max, 49 * 1024);
	minute_acc_free(&a);
}
END_TEST

/* Without cpu (no cpuacct): memory alone, cpu absent. One sample: 0 %. */
START_TEST(minute_memory_only)
{
	struct minute_acc a;
	struct cadv_minute m;

	memset(&a, 0, sizeof(a));
	minute_add(&a, 5 * MINUTE_NS + S, 0, 0, 1, 4096, &m);
	minute_peek(&a, &m);
	ck_assert_uint_eq(m.flags, CADV_MF_MEMORY);
	ck_assert_uint_eq(m.percent, 0);
	ck_assert_uint_eq(m.memory.ninety, 4096);
	ck_assert_uint_eq(m.cpu.max, 0);
	minute_acc_free(&a);
}
END_TEST

/* cAdvisor's TestDerivedStats: 99 minutes of i s and i KiB. */
START_TEST(derive_as_cadvisor)
{
	struct cadv_minute m[99], out;
	uint64_t scratch[99];
	size_t i;

	memset(m, 0, sizeof(m));
	for (i = 0; i < 99; i++) {
		uint64_t v = (i + 1) * S, k = (i + 1) * 1024;

		m[i].flags = CADV_MF_CPU | CADV_MF_MEMORY;
		m[i].percent = 100;
		m[i].cpu = (struct cadv_percentiles){ v, v, v, v, v };
		m[i].memory = (struct cadv_percentiles){ k, k, k, k, k };
	}
	summary_derive(m, 99, 60, scratch, &out);
	ck_assert_uint_eq(out.percent, 100);
	ck_assert_uint_eq(out.flags, CADV_MF_CPU | CADV_MF_MEMORY);
	ck_assert_uint_eq(out.cpu.mean, 50 * S);
	ck_assert_uint_eq(out.cpu.max, 99 * S);
	ck_assert_uint_eq(out.cpu.fifty, 50 * S);
	ck_assert_uint_eq(out.cpu.ninety, 90 * S);
	ck_assert_uint_eq(out.cpu.ninetyfive, 95 * S);
	ck_assert_uint_eq(out.memory.mean, 50 * 1024);
	ck_assert_uint_eq(out.memory.max, 99 * 1024);
	ck_assert_uint_eq(out.memory.fifty, 50 * 1024);
	ck_assert_uint_eq(out.memory.ninety, 90 * 1024);
	ck_assert_uint_eq(out.memory.ninetyfive, 95 * 1024);
	summary_derive(m, 99, 1440, scratch, &out);
	ck_assert_uint_eq(out.percent, 6);	/* 99 of 1440 minutes */
	/* the 90th of each minute, not its max, makes the percentiles */
	m[98].cpu.max = 1000 * S;
	m[0].flags = CADV_MF_MEMORY;
	summary_derive(m, 99, 60, scratch, &out);
	ck_assert_uint_eq(out.cpu.max, 1000 * S);
	/* 2 .. 99 s: rank 94.05 of 98 */
	ck_assert_uint_eq(out.cpu.ninetyfive, 95 * S + S / 20);
	ck_assert_uint_eq(out.cpu.mean, 50 * S + S / 2);
	summary_derive(m, 0, 60, scratch, &out);
	ck_assert_uint_eq(out.flags, 0);
	ck_assert_uint_eq(out.percent, 0);
}
END_TEST

START_TEST(record_round_trip)
{
	struct cadv_minute m, back;
	unsigned char b[MINUTE_VALUE_LEN + 8];
	const char *why = NULL;

	memset(&m, 0, sizeof(m));
	m.nsamples = 60;
	m.nrates = 59;
	m.percent = 100;
	m.flags = CADV_MF_CPU;
	m.cpu = (struct cadv_percentiles){ 1, 2, 3, 4, 5 };
	m.memory = (struct cadv_percentiles){ 6, 7, 8, 9, UINT64_MAX };
	minute_encode(&m, b);
	memset(b + MINUTE_VALUE_LEN, 0xee, 8);
	ck_assert_int_eq(minute_decode(b, sizeof(b), &back, &why), 0);
	ck_assert_mem_eq(&back.cpu, &m.cpu, sizeof(m.cpu));
	ck_assert_mem_eq(&back.memory, &m.memory, sizeof(m.memory));
	ck_assert_uint_eq(back.nsamples, 60);
	ck_assert_uint_eq(back.nrates, 59);
	ck_assert_uint_eq(back.percent, 100);
	ck_assert_uint_eq(back.flags, CADV_MF_CPU);
	ck_assert_int_eq(minute_decode(b, MINUTE_VALUE_LEN - 1, &back, &why),
	    -1);
	b[MR_PERCENT] = 101;
	ck_assert_int_eq(minute_decode(b, MINUTE_VALUE_LEN, &back, &why), -1);
	ck_assert_ptr_nonnull(why);
}
END_TEST

struct puts {
	uint64_t	id[8], start[8];
	size_t		n;
};

static int
put_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct puts *p = arg;
	struct cadv_minute m;
	size_t i;
	int rc;

	for (i = 0; i < p->n; i++) {
		memset(&m, 0, sizeof(m));
		m.start_ns = p->start[i];
		m.flags = CADV_MF_MEMORY;
		m.memory.max = p->id[i] * 1000 + p->start[i] / MINUTE_NS;
		if ((rc = store_minute_put(st, txn, p->id[i], &m)) != 0)
			return rc;
	}
	return 0;
}

struct got {
	uint64_t	max[16];
	size_t		n;
};

static int
got_fn(const struct cadv_minute *m, void *arg)
{
	struct got *g = arg;

	ck_assert_uint_eq(m->start_ns % MINUTE_NS, 0);
	if (g->n < 16)
		g->max[g->n++] = m->memory.max;
	return 0;
}

static struct got
range(struct store *st, uint64_t id, uint64_t from, uint64_t to)
{
	struct got g = { { 0 }, 0 };
	MDB_txn *txn;

	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_minutes_range(st, txn, id, from, to, got_fn,
	    &g), 0);
	store_read_end(txn);
	return g;
}

static size_t pruned;

static int
prune_fn(struct store *st, MDB_txn *txn, void *arg)
{
	return store_minutes_prune(st, txn, *(uint64_t *)arg, &pruned);
}

START_TEST(store_put_range_prune)
{
	char err[256], *dir = unit_tmpdir();
	struct store *st;
	struct puts p = { { 1, 1, 1, 2, 2, 3 }, { 3 * MINUTE_NS, MINUTE_NS,
	    2 * MINUTE_NS, 1 * MINUTE_NS, 5 * MINUTE_NS, 9 * MINUTE_NS }, 6 };
	struct got g;
	uint64_t before = 3 * MINUTE_NS;

	ck_assert_int_eq(store_open(&st, dir, err, sizeof(err)), 0);
	ck_assert(store_has(st, CADV_T_MINUTES));
	ck_assert_int_eq(store_write(st, put_fn, &p), 0);
	g = range(st, 1, 0, UINT64_MAX);
	ck_assert_uint_eq(g.n, 3);
	ck_assert_uint_eq(g.max[0], 1001);	/* oldest first */
	ck_assert_uint_eq(g.max[2], 1003);
	g = range(st, 1, 2 * MINUTE_NS, 2 * MINUTE_NS);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_uint_eq(g.max[0], 1002);
	g = range(st, 4, 0, UINT64_MAX);
	ck_assert_uint_eq(g.n, 0);
	/* everything before minute 3 goes, of every container */
	ck_assert_int_eq(store_write(st, prune_fn, &before), 0);
	ck_assert_uint_eq(pruned, 3);
	ck_assert_uint_eq(range(st, 1, 0, UINT64_MAX).n, 1);
	ck_assert_uint_eq(range(st, 2, 0, UINT64_MAX).n, 1);
	ck_assert_uint_eq(range(st, 3, 0, UINT64_MAX).n, 1);
	store_close(st);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("summary");

	tcase_add_test(tc, percentile_as_cadvisor);
	tcase_add_test(tc, mean_as_cadvisor);
	tcase_add_test(tc, cpu_rate);
	tcase_add_test(tc, minute_of_seconds);
	tcase_add_test(tc, minute_close_samples_ignored);
	tcase_add_test(tc, minute_memory_only);
	tcase_add_test(tc, derive_as_cadvisor);
	tcase_add_test(tc, record_round_trip);
	tcase_add_test(tc, store_put_range_prune);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
