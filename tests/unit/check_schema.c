#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "unit.h"

/* docs/SCHEMA.md and schema.h describe the same bytes: every row
 * "| index | offset | `path` | unit |" of the spec table and
 * "| index | `path` | unit |" of the scalar table (variable-length numbers,
 * no offsets) must match.  A row without an offset reads as UINT_MAX. */
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
		off = UINT_MAX;
		if (sscanf(line, "| %u | %u | `%63[^`]` | %15s |", &idx, &off,
		    path, unit) == 4 || sscanf(line, "| %u | `%63[^`]` | %15s |",
		    &idx, path, unit) == 3) {
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
		ck_assert_uint_eq(offsets[i], UINT_MAX);
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

/* The record of SCHEMA.md, byte by byte: a hand-made value decodes, and
 * encoding the decoded sample gives the same bytes back. */
START_TEST(sample_record_bytes)
{
	static const unsigned char rec[] = {
		56,			/* nscalar */
		0x81, 0x01,		/* presence: fields 0 and 7 */
		0,			/* presence word 1 */
		2, 1, 1,		/* ncpu, nblk, nnet */
		0xac, 0x02,		/* cpu.usage.total = 300 */
		0,			/* memory.max_usage = 0, present */
		1, 0x80, 0x01,		/* per-cpu: 1, 128 */
		8, 0x10, 5, 6, 7, 8,	/* block 8:16 */
		2, 'l', 'o',		/* interface "lo" */
		1, 2, 3, 4, 5, 6, 7, 0x7f,
	};
	static struct sample d;
	static unsigned char buf[SAMPLE_VALUE_MAX];
	const char *why = NULL;
	size_t n;

	ck_assert_msg(sample_decode(rec, sizeof(rec), &d, &why) == 0, "%s",
	    why);
	ck_assert(sample_has(&d, SF_CPU_TOTAL));
	ck_assert_uint_eq(d.v[SF_CPU_TOTAL], 300);
	ck_assert(sample_has(&d, SF_MEM_MAX_USAGE));
	ck_assert_uint_eq(d.v[SF_MEM_MAX_USAGE], 0);
	ck_assert(!sample_has(&d, SF_MEM_USAGE));
	ck_assert_uint_eq(d.ncpu, 2);
	ck_assert_uint_eq(d.percpu[1], 128);
	ck_assert_uint_eq(d.blk[0].major, 8);
	ck_assert_uint_eq(d.blk[0].minor, 16);
	ck_assert_uint_eq(d.blk[0].write_ops, 8);
	ck_assert_str_eq(d.net[0].name, "lo");
	ck_assert_uint_eq(d.net[0].rx_bytes, 1);
	ck_assert_uint_eq(d.net[0].tx_dropped, 127);
	n = sample_encode(&d, buf, sizeof(buf));
	ck_assert_uint_eq(n, sizeof(rec));
	ck_assert_uint_eq(sample_encoded_size(&d), sizeof(rec));
	ck_assert(memcmp(buf, rec, n) == 0);
}
END_TEST

static const char *
decode_why(const unsigned char *p, size_t len)
{
	static struct sample d;
	const char *why = NULL;

	if (sample_decode(p, len, &d, &why) == 0)
		return "decoded";
	return why;
}

#define BYTES(...)	(const unsigned char[]){ __VA_ARGS__ }, \
	sizeof((const unsigned char[]){ __VA_ARGS__ })

static const struct {
	const unsigned char	*p;
	size_t			 len;
	const char		*why;
} bad_samples[] = {
	{ BYTES(56, 0x80, 0, 0, 0, 0, 0),
	    "sample number not in its shortest form" },
	{ BYTES(56, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
	    0, 0, 0, 0), "sample number over 64 bits" },
	{ BYTES(56, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
	    0, 0, 0, 0), "sample marks unknown fields present" },	/* bit 56 */
	{ BYTES(56, 0, 0, 0x81, 0x08, 0, 0),	/* 1025 cpus */
	    "sample array count out of range" },
	{ BYTES(56, 0, 0, 0, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0, 0, 0),
	    "block device major over 32 bits" },
	{ BYTES(56, 0, 0, 0, 0, 1, 16, 'a'), "interface name too long" },
	{ BYTES(56, 0, 0, 0, 0, 1), "sample ends inside an interface" },
	{ BYTES(56, 0, 0, 0, 0, 1, 3, 'a'), "sample ends inside an interface" },
	{ BYTES(56, 0, 0, 0, 0, 1, 2, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0),
	    "interface name holds a NUL" },
	{ BYTES(55, 0, 0, 0, 0, 0),
	    "sample has another number of scalar fields" },
	{ BYTES(56, 0, 0, 0, 0, 0, 0), "sample longer than its counts" },
};

START_TEST(sample_decode_rejects_bad_values)
{
	static struct sample s, d;
	static unsigned char buf[SAMPLE_VALUE_MAX];
	const char *why;
	size_t n, i;

	sample_clear(&s);
	sample_set(&s, SF_MEM_USAGE, 5);
	s.ncpu = 3;
	for (i = 0; i < 3; i++)
		s.percpu[i] = UINT64_MAX;
	n = sample_encode(&s, buf, sizeof(buf));
	/* header 6, one scalar 1, three u64 maxima 10 each */
	ck_assert_uint_eq(n, 6 + 1 + 30);
	ck_assert_int_eq(sample_decode(buf, n, &d, &why), 0);
	ck_assert(sample_has(&d, SF_MEM_USAGE));
	ck_assert(!sample_has(&d, SF_MEM_RSS));
	ck_assert_uint_eq(d.percpu[2], UINT64_MAX);
	for (i = 0; i < n; i++)	/* every cut is refused */
		ck_assert_str_eq(decode_why(buf, i),
		    "sample ends inside a number");
	for (i = 0; i < sizeof(bad_samples) / sizeof(bad_samples[0]); i++)
		ck_assert_str_eq(decode_why(bad_samples[i].p, bad_samples[i].len),
		    bad_samples[i].why);
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
	tcase_add_test(tc, sample_record_bytes);
	tcase_add_test(tc, sample_decode_rejects_bad_values);
	tcase_add_test(tc, event_decode_rejects_bad_values);
	tcase_add_test(tc, event_type_names);
	tcase_add_test(tc, keys_sort_in_time_order);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
