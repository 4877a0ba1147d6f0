/* libcadv's per-minute usage and cAdvisor's summary (cadv.h):
 * cadv_minutes_range and cadv_summary over a real store's minutes and
 * samples, as written through the writers' calls, then damaged. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cadvfix.h"
#include "storeminute.h"

#define SEC	1000000000ULL

/* ---- minutes and the summary -------------------------------------- */

/* now: 10:00:30 on some day; minutes closed at 9:59, 9:58 and 8:00, the
 * open one (10:00) stored too, as collectord peeks it */
#define NOW	(1700000000ULL * SEC / MINUTE_NS * MINUTE_NS + 30 * SEC)
#define CUR	(NOW - NOW % MINUTE_NS)
static const uint64_t minute_ago[] = { 120, 2, 1, 0 };

static void
fx_minute(struct cadv_minute *m, size_t i)
{
	memset(m, 0, sizeof(*m));
	m->start_ns = CUR - minute_ago[i] * MINUTE_NS;
	m->nsamples = 60;
	m->nrates = 59;
	m->percent = 100;
	m->flags = CADV_MF_CPU | CADV_MF_MEMORY;
	m->cpu = (struct cadv_percentiles){ 100 * (i + 1), 200 * (i + 1),
	    90 * (i + 1), 150 * (i + 1), 180 * (i + 1) };
	m->memory = (struct cadv_percentiles){ (i + 1) << 20, (i + 2) << 20,
	    (i + 1) << 20, (i + 2) << 20, (i + 2) << 20 };
}

static int
minutes_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct cadv_minute m;
	struct cadv_sample *s;
	uint64_t id = *(uint64_t *)arg;
	size_t i;
	int rc;

	for (i = 0; i < 4; i++) {
		fx_minute(&m, i);
		if ((rc = store_minute_put(st, txn, id, &m)) != 0)
			return rc;
	}
	/* two samples a second apart: 2 cpu-seconds between them */
	if ((s = malloc(sizeof(*s))) == NULL)
		return ENOMEM;
	fx_sample(s, 10);
	rc = store_sample_put(st, txn, id, NOW - 2 * SEC, s);
	fx_sample(s, 12);
	if (rc == 0)
		rc = store_sample_put(st, txn, id, NOW - SEC, s);
	free(s);
	return rc;
}

static int
container_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct cadv_container *c = arg;

	fx_container(c, "/m");
	return store_container_add(st, txn, c);
}

/* the container "/m" with its minutes and samples; other: an id with none */
static uint64_t other;

static uint64_t
write_minutes(void)
{
	struct cadv_container c;

	fx_write(container_fn, &c);
	fx_write(minutes_fn, &c.id);
	other = c.id + 1;
	return c.id;
}

struct mins {
	struct cadv_minute	m[8];
	size_t			n;
};

static int
got_minute(const struct cadv_minute *m, void *arg)
{
	struct mins *g = arg;

	g->m[g->n++] = *m;
	return 0;
}

START_TEST(minutes_good)
{
	struct cadv_minute want;
	struct mins g = { .n = 0 };
	uint64_t id = write_minutes();
	size_t i;

	fx_read();
	ck_assert_int_eq(cadv_minutes_range(fx.t, id, 0, UINT64_MAX,
	    got_minute, &g), 0);
	ck_assert_uint_eq(g.n, 4);
	for (i = 0; i < 4; i++) {
		fx_minute(&want, i);
		ck_assert_mem_eq(&g.m[i], &want, sizeof(want));
	}
	/* from <= start <= to */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_minutes_range(fx.t, id, CUR - 2 * MINUTE_NS,
	    CUR - MINUTE_NS, got_minute, &g), 0);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_uint_eq(g.m[0].start_ns, CUR - 2 * MINUTE_NS);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_minutes_range(fx.t, other, 0, UINT64_MAX,
	    got_minute, &g), 0);
	ck_assert_uint_eq(g.n, 0);
}
END_TEST

START_TEST(minutes_corrupt)
{
	struct cadv_summary d;
	struct mins g = { .n = 0 };
	uint64_t id = write_minutes();

	fx_spoil("minutes", NULL, 0);
	fx_read();
	fx_corrupt(cadv_minutes_range(fx.t, id, 0, UINT64_MAX, got_minute,
	    &g), "minutes");
	fx_corrupt(cadv_summary(fx.t, id, NOW, &d), "minutes");
}
END_TEST

START_TEST(summary_good)
{
	struct cadv_summary d;
	struct cadv_minute want;
	uint64_t id = write_minutes();

	fx_read();
	ck_assert_int_eq(cadv_summary(fx.t, id, NOW, &d), 0);
	/* the newest closed minute (9:59), not the open one */
	fx_minute(&want, 2);
	ck_assert_mem_eq(&d.minute, &want, sizeof(want));
	ck_assert_uint_eq(d.timestamp_ns, CUR);
	ck_assert_uint_eq(d.latest_cpu, 2000);	/* 2 cpu-s in 1 s */
	ck_assert_uint_eq(d.latest_memory, 12ULL << 20);
	/* the hour: 9:58 and 9:59, 2 of 60 minutes; the day: 3 of 1440 */
	ck_assert_uint_eq(d.hour.nsamples, 2);
	ck_assert_uint_eq(d.hour.percent, 3);
	ck_assert_uint_eq(d.hour.flags, CADV_MF_CPU | CADV_MF_MEMORY);
	ck_assert_uint_eq(d.hour.cpu.max, 600);
	ck_assert_uint_eq(d.day.nsamples, 3);
	ck_assert_uint_eq(d.day.percent, 0);
	ck_assert_uint_eq(d.day.memory.max, 4 << 20);
	/* no minutes, no samples: all zero, not an error */
	ck_assert_int_eq(cadv_summary(fx.t, 999, NOW, &d), 0);
	ck_assert_uint_eq(d.timestamp_ns, 0);
	ck_assert_uint_eq(d.latest_cpu, 0);
	ck_assert_uint_eq(d.hour.flags, 0);
}
END_TEST

START_TEST(summary_samples_corrupt)
{
	struct cadv_summary d;
	uint64_t id = write_minutes();

	fx_spoil("samples", NULL, 0);
	fx_read();
	fx_corrupt(cadv_summary(fx.t, id, NOW, &d), "samples");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cadv_minutes");
	TCase *tc = tcase_create("cadv_minutes");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, minutes_good);
	tcase_add_test(tc, minutes_corrupt);
	tcase_add_test(tc, summary_good);
	tcase_add_test(tc, summary_samples_corrupt);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
