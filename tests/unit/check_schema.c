#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "unit.h"

/* docs/SCHEMA.md and schema.h describe the same bytes: every row
 * "| index | offset | `path` | unit |" of the two field tables must match. */
static size_t
doc_rows(const char *heading, char paths[][64], char units[][16],
    unsigned *offsets, size_t max)
{
	char line[512];
	FILE *fp;
	size_t n = 0;
	int in = 0;

	fp = fopen("docs/SCHEMA.md", "r");
	ck_assert_msg(fp != NULL, "docs/SCHEMA.md not found (run from top)");
	while (fgets(line, sizeof(line), fp) != NULL) {
		unsigned idx, off;
		char path[64], unit[16];

		if (strncmp(line, heading, strlen(heading)) == 0) {
			in = 1;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "| %u | %u | `%63[^`]` | %15s |", &idx, &off,
		    path, unit) == 4) {
			ck_assert_uint_eq(idx, n);
			ck_assert_uint_lt(n, max);
			strcpy(paths[n], path);
			strcpy(units[n], unit);
			offsets[n] = off;
			n++;
		} else if (n > 0)
			break;
	}
	fclose(fp);
	return n;
}

START_TEST(doc_matches_sample_fields)
{
	static char paths[128][64], units[128][16];
	static unsigned offsets[128];
	size_t n, i;

	n = doc_rows("Scalar fields.", paths, units, offsets, 128);
	ck_assert_uint_eq(n, SF_COUNT);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(paths[i], sample_fields[i].path);
		ck_assert_str_eq(units[i], sample_fields[i].unit);
		ck_assert_uint_eq(offsets[i], SAMPLE_HDR + 8 * i);
	}
}
END_TEST

START_TEST(doc_matches_spec_fields)
{
	static char paths[64][64], units[64][16];
	static unsigned offsets[64];
	size_t n, i;

	n = doc_rows("Spec fields", paths, units, offsets, 64);
	ck_assert_uint_eq(n, SP_COUNT);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(paths[i], spec_fields[i].path);
		ck_assert_str_eq(units[i], spec_fields[i].unit);
		ck_assert_uint_eq(offsets[i], CONTAINER_HDR + 8 * i);
	}
}
END_TEST

START_TEST(sample_decode_rejects_bad_values)
{
	static struct sample s, d;
	static unsigned char buf[SAMPLE_VALUE_MAX];
	const char *why;
	size_t n;

	sample_clear(&s);
	sample_set(&s, SF_MEM_USAGE, 5);
	s.ncpu = 3;
	n = sample_encode(&s, buf, sizeof(buf));
	ck_assert_uint_eq(n, SAMPLE_HDR + 8 * SF_COUNT + 24);
	ck_assert_int_eq(sample_decode(buf, n, &d, &why), 0);
	ck_assert(sample_has(&d, SF_MEM_USAGE));
	ck_assert(!sample_has(&d, SF_MEM_RSS));
	ck_assert_int_eq(sample_decode(buf, n - 1, &d, &why), -1);
	ck_assert_int_eq(sample_decode(buf, 10, &d, &why), -1);
	buf[18] = 0xff;		/* ncpu = 0xff03 > SAMPLE_MAX_CPUS */
	buf[19] = 0xff;
	ck_assert_int_eq(sample_decode(buf, n, &d, &why), -1);
	ck_assert_str_eq(why, "sample array count out of range");
	buf[18] = 3;
	buf[19] = 0;
	buf[15] = 0x80;		/* presence bit 127: no such field */
	ck_assert_int_eq(sample_decode(buf, n, &d, &why), -1);
	ck_assert_str_eq(why, "sample marks unknown fields present");
	ck_assert_uint_eq(sample_encode(&s, buf, 10), 0);
}
END_TEST

START_TEST(event_decode_rejects_bad_values)
{
	static struct event e, d;
	unsigned char buf[EVENT_VALUE_MAX];
	const char *why;
	size_t n;

	memset(&e, 0, sizeof(e));
	e.type = EV_CONTAINER_CREATION;
	e.container_len = 2;
	memcpy(e.container, "/a", 2);
	n = event_encode(&e, buf, sizeof(buf));
	ck_assert_uint_eq(n, EVENT_HDR + 2);
	ck_assert_int_eq(event_decode(buf, n, &d, &why), 0);
	ck_assert_str_eq(d.container, "/a");
	ck_assert_int_eq(event_decode(buf, n + 1, &d, &why), -1);
	buf[8] = 9;
	ck_assert_int_eq(event_decode(buf, n, &d, &why), -1);
	ck_assert_str_eq(why, "event of unknown type");
}
END_TEST

START_TEST(event_type_names)
{
	enum event_type t;

	ck_assert_str_eq(event_type_name(EV_OOM_KILL), "oom_kill");
	ck_assert_str_eq(event_type_cadvisor(EV_OOM_KILL), "oomKill");
	ck_assert_str_eq(event_type_cadvisor(EV_CONTAINER_DELETION),
	    "containerDeletion");
	ck_assert_int_eq(event_type_parse("containerCreation", &t), 0);
	ck_assert_int_eq(t, EV_CONTAINER_CREATION);
	ck_assert_int_eq(event_type_parse("oom", &t), 0);
	ck_assert_int_eq(t, EV_OOM);
	ck_assert_int_eq(event_type_parse("oomkill", &t), -1);
}
END_TEST

START_TEST(keys_sort_in_time_order)
{
	unsigned char a[SAMPLE_KEY_LEN], b[SAMPLE_KEY_LEN];

	/* round first, then container id within the round */
	key_sample(a, 255, 1);
	key_sample(b, 256, 1);
	ck_assert_int_lt(memcmp(a, b, sizeof(a)), 0);
	key_sample(a, 1, UINT64_MAX);
	key_sample(b, 2, 0);
	ck_assert_int_lt(memcmp(a, b, sizeof(a)), 0);
	key_sample(a, 7, 1);
	key_sample(b, 7, 256);
	ck_assert_int_lt(memcmp(a, b, sizeof(a)), 0);
	ck_assert_uint_eq(key_u64_get(b), 7);
	ck_assert_uint_eq(key_u64_get(b + 8), 256);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_add_test(tc, doc_matches_sample_fields);
	tcase_add_test(tc, doc_matches_spec_fields);
	tcase_add_test(tc, sample_decode_rejects_bad_values);
	tcase_add_test(tc, event_decode_rejects_bad_values);
	tcase_add_test(tc, event_type_names);
	tcase_add_test(tc, keys_sort_in_time_order);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
