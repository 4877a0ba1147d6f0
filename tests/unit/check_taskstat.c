#include <math.h>
#include <string.h>

#include "taskstat.h"
#include "unit.h"

#define S(x) (x), (sizeof(x) - 1)

START_TEST(state_letter)
{
	char l = 0;

	ck_assert_int_eq(taskstat_letter(S("1234 (sleep) S 1 1234 1234 0 -1 "
	    "4194304 94 0 0 0 0 0 0 0 20 0 1 0 100 2277376 128\n"), &l), 0);
	ck_assert_int_eq(l, 'S');
	/* comm with spaces and parentheses: the last ')' ends it */
	ck_assert_int_eq(taskstat_letter(S("77 (a) R (b)) D 1 2 3\n"), &l), 0);
	ck_assert_int_eq(l, 'D');
	ck_assert_int_eq(taskstat_letter(S("9 ()) t 1\n"), &l), 0);
	ck_assert_int_eq(l, 't');
	/* no state, not a letter, no '(' , empty, truncated */
	ck_assert_int_eq(taskstat_letter(S("1 (x)\n"), &l), -1);
	ck_assert_int_eq(taskstat_letter(S("1 (x) 5 1\n"), &l), -1);
	ck_assert_int_eq(taskstat_letter(S("1 x) R 1\n"), &l), -1);
	ck_assert_int_eq(taskstat_letter(S(""), &l), -1);
	ck_assert_int_eq(taskstat_letter(S("1 (x) R"), &l), -1);
	ck_assert_int_eq(taskstat_letter(S("1 (x) RR 1"), &l), -1);
}
END_TEST

START_TEST(classify_as_cgroupstats)
{
	ck_assert_int_eq(taskstat_classify('R'), TS_RUNNING);
	ck_assert_int_eq(taskstat_classify('S'), TS_SLEEPING);
	ck_assert_int_eq(taskstat_classify('D'), TS_UNINTERRUPTIBLE);
	ck_assert_int_eq(taskstat_classify('T'), TS_STOPPED);
	/* idle kthreads, traced, zombie, dead, parked: none */
	ck_assert_int_eq(taskstat_classify('I'), TS_OTHER);
	ck_assert_int_eq(taskstat_classify('t'), TS_OTHER);
	ck_assert_int_eq(taskstat_classify('Z'), TS_OTHER);
	ck_assert_int_eq(taskstat_classify('X'), TS_OTHER);
	ck_assert_int_eq(taskstat_classify('P'), TS_OTHER);
}
END_TEST

static int
tids(const char *buf, size_t len, uint32_t *out, size_t max, size_t *n)
{
	const char *p = buf;
	uint32_t t;
	int rc;

	*n = 0;
	while ((rc = taskstat_next_tid(&p, buf + len, &t)) == 1)
		if (*n < max)
			out[(*n)++] = t;
	return rc;
}

START_TEST(thread_lists)
{
	uint32_t t[8];
	size_t n;

	ck_assert_int_eq(tids(S("12\n13\n4194304\n"), t, 8, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(t[0], 12);
	ck_assert_uint_eq(t[2], 4194304);
	ck_assert_int_eq(tids(S(""), t, 8, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* no final newline; empty lines */
	ck_assert_int_eq(tids(S("\n5\n\n6"), t, 8, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(t[1], 6);
	ck_assert_int_eq(tids(S("5\nx\n"), t, 8, &n), -1);
	ck_assert_int_eq(tids(S("5 6\n"), t, 8, &n), -1);
	ck_assert_int_eq(tids(S("0\n"), t, 8, &n), -1);
	ck_assert_int_eq(tids(S("-1\n"), t, 8, &n), -1);
	ck_assert_int_eq(tids(S("4294967295\n"), t, 8, &n), 0);
	ck_assert_int_eq(tids(S("4294967296\n"), t, 8, &n), -1);
	ck_assert_int_eq(tids(S("99999999999999999999999\n"), t, 8, &n), -1);
}
END_TEST

START_TEST(load_decay)
{
	double l;
	int i;

	/* the first reading as it is, as cAdvisor starts */
	ck_assert(taskstat_load(0, 0, 3, 0) == 3.0);
	/* one 10 s window: 1/e of the old value is left */
	l = taskstat_load(0, 1, 2, 10000000000ULL);
	ck_assert(fabs(l - 2 * (1 - exp(-1))) < 1e-12);
	/* 1 s steps toward 2 from 0: 10 steps = the same as one 10 s step */
	l = 0;
	for (i = 0; i < 10; i++)
		l = taskstat_load(l, 1, 2, 1000000000ULL);
	ck_assert(fabs(l - 2 * (1 - exp(-1))) < 1e-9);
	/* no time passed: unchanged; a bad previous value starts again */
	ck_assert(taskstat_load(1.5, 1, 9, 0) == 1.5);
	ck_assert(taskstat_load(NAN, 1, 4, 1000) == 4.0);
	ck_assert(taskstat_load(-1, 1, 4, 1000) == 4.0);
	/* milli: truncated as cAdvisor's int32(x * 1000), kept in range */
	ck_assert_uint_eq(taskstat_milli(1.2649), 1264);
	ck_assert_uint_eq(taskstat_milli(0), 0);
	ck_assert_uint_eq(taskstat_milli(-3), 0);
	ck_assert_uint_eq(taskstat_milli(NAN), 0);
	ck_assert_uint_eq(taskstat_milli(1e12), 2147483647);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("taskstat");
	TCase *tc = tcase_create("taskstat");

	tcase_add_test(tc, state_letter);
	tcase_add_test(tc, classify_as_cgroupstats);
	tcase_add_test(tc, thread_lists);
	tcase_add_test(tc, load_decay);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
