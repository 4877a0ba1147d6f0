#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "duration.h"
#include "unit.h"

START_TEST(durations)
{
	uint64_t ns;

	ck_assert_int_eq(duration_parse("1s", &ns), 0);
	ck_assert_uint_eq(ns, NS_PER_SEC);
	ck_assert_int_eq(duration_parse("500ms", &ns), 0);
	ck_assert_uint_eq(ns, 500 * NS_PER_MS);
	ck_assert_int_eq(duration_parse("2m", &ns), 0);
	ck_assert_uint_eq(ns, 120 * NS_PER_SEC);
	ck_assert_int_eq(duration_parse("1h30m5s", &ns), 0);
	ck_assert_uint_eq(ns, 5405 * NS_PER_SEC);
	ck_assert_int_eq(duration_parse("0", &ns), 0);
	ck_assert_uint_eq(ns, 0);
	ck_assert_int_eq(duration_parse("10", &ns), -1);
	ck_assert_int_eq(duration_parse("", &ns), -1);
	ck_assert_int_eq(duration_parse("-1s", &ns), -1);
	ck_assert_int_eq(duration_parse("1x", &ns), -1);
	ck_assert_int_eq(duration_parse("1sec", &ns), -1);
	ck_assert_int_eq(duration_parse("99999999999999999999s", &ns), -1);
	ck_assert_int_eq(duration_parse("10000000000h", &ns), -1);
}
END_TEST

START_TEST(rfc3339)
{
	char buf[RFC3339_LEN];
	uint64_t ns;

	clock_rfc3339(1795724286000000007ULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-11-26T20:18:06.000000007Z");
	ck_assert_int_eq(clock_parse_rfc3339(buf, &ns), 0);
	ck_assert_uint_eq(ns, 1795724286000000007ULL);
	ck_assert_int_eq(clock_parse_rfc3339("2026-11-26T21:18:06+01:00", &ns), 0);
	ck_assert_uint_eq(ns, 1795724286000000000ULL);
	ck_assert_int_eq(clock_parse_rfc3339("2026-11-26T20:18:06.5Z", &ns), 0);
	ck_assert_uint_eq(ns, 1795724286500000000ULL);
	ck_assert_int_eq(clock_parse_rfc3339("2026-11-26", &ns), -1);
	ck_assert_int_eq(clock_parse_rfc3339("2026-13-26T20:18:06Z", &ns), -1);
	ck_assert_int_eq(clock_parse_rfc3339("2026-11-26T20:18:06Zjunk", &ns), -1);
	ck_assert_int_eq(clock_parse_rfc3339("yesterday", &ns), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_add_test(tc, durations);
	tcase_add_test(tc, rfc3339);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
