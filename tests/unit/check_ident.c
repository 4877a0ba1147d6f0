#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "schema.h"
#include "unit.h"

static struct cadv_ident a, b;
static unsigned char buf[1 << 18];

static void
fill(struct cadv_ident *id)
{
	ident_init(id);
	id->runtime = CADV_RT_CONTAINERD;
	id->flags = CADV_IDF_EXITED | CADV_IDF_OOM_KILLED;
	id->exit_code = 137;
	id->restart_count = 3;
	id->pid = 4242;
	id->created_ns = 1;
	id->started_ns = 2;
	id->finished_ns = 3;
	id->seen_ns = 10;
	ck_assert_int_eq(ident_set(id, CADV_IS_ID, "7f68", 4), 0);
	ck_assert_int_eq(ident_set(id, CADV_IS_CGROUP, "/kubepods/pod1/7f68", 19),
	    0);
	ck_assert_int_eq(ident_set(id, CADV_IS_NAME, "api\xff", 4), 0);
	ck_assert_int_eq(ident_set(id, CADV_IS_POD_NAMESPACE, "shop", 4), 0);
	ck_assert_int_eq(ident_add_label(id, "app", 3, "web", 3), 0);
	ck_assert_int_eq(ident_add_label(id, "empty", 5, "", 0), 0);
	ck_assert_int_eq(ident_add_env(id, "FOO", 3, "bar", 3), 0);
}

START_TEST(roundtrip)
{
	const char *why = NULL;
	size_t n, len;

	fill(&a);
	n = ident_encode(&a, buf, sizeof(buf));
	ck_assert_uint_gt(n, IDENT_HDR);
	ck_assert_int_eq(ident_decode(buf, n, &b, &why), 0);
	ck_assert(ident_same(&a, &b));
	ck_assert_uint_eq(b.seen_ns, 10);
	ck_assert_str_eq(ident_get(&b, CADV_IS_NAME, &len), "api\xff");
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(ident_get(&b, CADV_IS_IMAGE, &len), "");
	ck_assert_str_eq(ident_label(&b, "app"), "web");
	ck_assert_str_eq(ident_label(&b, "empty"), "");
	ck_assert_ptr_null(ident_label(&b, "none"));
	ck_assert_int_eq(b.exit_code, 137);
	/* one field changed is not the same */
	b.restart_count++;
	ck_assert(!ident_same(&a, &b));
}
END_TEST

START_TEST(every_truncation_rejected)
{
	const char *why;
	size_t n, i;

	fill(&a);
	n = ident_encode(&a, buf, sizeof(buf));
	for (i = 0; i < n; i++) {
		why = NULL;
		ck_assert_int_eq(ident_decode(buf, i, &b, &why), -1);
		ck_assert_ptr_nonnull(why);
	}
	/* and encode refuses a buffer one byte short */
	ck_assert_uint_eq(ident_encode(&a, buf, n - 1), 0);
}
END_TEST

START_TEST(additions_passed_over)
{
	const char *why;
	size_t n;

	fill(&a);
	n = ident_encode(&a, buf, sizeof(buf));
	/* trailing bytes of a later version */
	memset(buf + n, 0xaa, 7);
	ck_assert_int_eq(ident_decode(buf, n + 7, &b, &why), 0);
	ck_assert(ident_same(&a, &b));
	/* an unknown runtime reads as unknown */
	buf[IR_RUNTIME] = 99;
	ck_assert_int_eq(ident_decode(buf, n, &b, &why), 0);
	ck_assert_int_eq(b.runtime, CADV_RT_UNKNOWN);
}
END_TEST

START_TEST(bad_values)
{
	const char *why;
	size_t n;

	fill(&a);
	n = ident_encode(&a, buf, sizeof(buf));
	/* NUL inside the id string (first after the header) */
	buf[IDENT_HDR + 2] = '\0';
	ck_assert_int_eq(ident_decode(buf, n, &b, &why), -1);
	/* a cgroup that is not a container name */
	ident_init(&a);
	ck_assert_int_eq(ident_set(&a, CADV_IS_CGROUP, "no-slash", 8), 0);
	n = ident_encode(&a, buf, sizeof(buf));
	ck_assert_int_eq(ident_decode(buf, n, &b, &why), -1);
	ck_assert_str_eq(why, "its cgroup is not a container name");
	/* fewer strings than this schema has */
	ident_init(&a);
	n = ident_encode(&a, buf, sizeof(buf));
	buf[IR_NSTR] = 2;
	buf[IR_NSTR + 1] = 0;
	ck_assert_int_eq(ident_decode(buf, n, &b, &why), -1);
	/* absurd counts */
	ident_init(&a);
	n = ident_encode(&a, buf, sizeof(buf));
	buf[IR_NLABELS] = 0xff;
	buf[IR_NLABELS + 1] = 0xff;
	ck_assert_int_eq(ident_decode(buf, n, &b, &why), -1);
}
END_TEST

START_TEST(limits)
{
	static char big[IDENT_STR_MAX + 1];
	char k[16];
	int i;

	memset(big, 'x', sizeof(big));
	ident_init(&a);
	ck_assert_int_eq(ident_set(&a, CADV_IS_IMAGE, big, IDENT_STR_MAX + 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ident_set(&a, CADV_IS_IMAGE, "a\0b", 3), -1);
	ck_assert_int_eq(ident_add_label(&a, "", 0, "v", 1), -1);
	/* replacing a key keeps one entry */
	ck_assert_int_eq(ident_add_label(&a, "k", 1, "1", 1), 0);
	ck_assert_int_eq(ident_add_label(&a, "k", 1, "2", 1), 0);
	ck_assert_uint_eq(a.nlabels, 1);
	ck_assert_str_eq(ident_label(&a, "k"), "2");
	/* the arena fills up with an error, not an overflow */
	ident_init(&a);
	for (i = 0; i < IDENT_KV_MAX; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		if (ident_add_label(&a, k, strlen(k), big, IDENT_STR_MAX) == -1)
			break;
	}
	ck_assert_int_lt(i, IDENT_KV_MAX);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_uint_le(a.used, IDENT_ARENA);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ident");
	TCase *tc = tcase_create("ident");

	tcase_add_test(tc, roundtrip);
	tcase_add_test(tc, every_truncation_rejected);
	tcase_add_test(tc, additions_passed_over);
	tcase_add_test(tc, bad_values);
	tcase_add_test(tc, limits);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
