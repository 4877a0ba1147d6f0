/* exporterd's label values and names, option name lists and skipped
 * interfaces (exporterd/labels.c, built in here: the unit suites link
  * the layers alone). */
#include <stdio.h>
#include <string.h>

#include "../../exporterd/labels.c"
#include "unit.h"

/* 1 when s (len bytes) is valid UTF-8 */
static int
valid_utf8(const char *s, size_t len)
{
	size_t i, w;

	for (i = 0; i < len; i += w)
		if ((w = utf8_char((const unsigned char *)s + i, len - i)) == 0)
			return 0;
	return 1;
}

START_TEST(value_escapes)
{
	char out[LABEL_VALUE_MAX(64)];
	size_t n;

	n = label_value(out, sizeof(out), "plain", 5);
	ck_assert_str_eq(out, "plain");
	ck_assert_uint_eq(n, 5);
	/* " and \ escaped for the format, after cadv's text form doubled
	 * the backslash; a newline and 0xff become \x0a and \xff */
	n = label_value(out, sizeof(out), "q\"b\\n\nx\xff", 8);
	ck_assert_str_eq(out, "q\\\"b\\\\\\\\n\\\\x0ax\\\\xff");
	ck_assert_uint_eq(n, strlen(out));
	n = label_value(out, sizeof(out), "caf\xc3\xa9", 5);
	ck_assert_str_eq(out, "caf\xc3\xa9");
}
END_TEST

START_TEST(value_cut)
{
	/* a small buffer cuts between characters, never inside an escape
	 * or a UTF-8 sequence */
	static const char *const in[] = { "\"\"\"\"\"\"", "\xc3\xa9\xc3\xa9\xc3\xa9",
	    "\xff\xff\xff", "ab\\\\\\\\" };
	char out[8];
	size_t i, sz, n, k;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (sz = 1; sz <= sizeof(out); sz++) {
			n = label_value(out, sz, in[i], strlen(in[i]));
			ck_assert_uint_lt(n, sz);
			ck_assert_uint_eq(strlen(out), n);
			ck_assert(valid_utf8(out, n));
			/* no lone backslash at the end */
			for (k = 0; k < n && out[n - 1 - k] == '\\'; k++)
				;
			ck_assert_msg(k % 2 == 0, "%s cut to %zu: %s", in[i],
			    sz, out);
		}
}
END_TEST

START_TEST(names)
{
	char out[64];

	ck_assert_uint_eq(label_name("container_label_", "app", 3, out,
	    sizeof(out)), 19);
	ck_assert_str_eq(out, "container_label_app");
	label_name("container_label_", "io.kubernetes/pod-name", 22, out,
	    sizeof(out));
	ck_assert_str_eq(out, "container_label_io_kubernetes_pod_name");
	/* one '_' a character, as Go's regexp replaces runes: é is one,
	 * each byte of invalid UTF-8 is one */
	label_name("p_", "caf\xc3\xa9!", 6, out, sizeof(out));
	ck_assert_str_eq(out, "p_caf__");
	label_name("p_", "a\xff\xfe" "b", 4, out, sizeof(out));
	ck_assert_str_eq(out, "p_a__b");
	label_name("p_", "\xe2\x82\xac" "1", 4, out, sizeof(out));
	ck_assert_str_eq(out, "p__1");
	/* a cut sequence is bytes */
	label_name("p_", "x\xe2\x82", 3, out, sizeof(out));
	ck_assert_str_eq(out, "p_x__");
	ck_assert_uint_eq(label_name("container_label_", "abcdef", 6, out, 8),
	    7);
	ck_assert_str_eq(out, "contain");
}
END_TEST

START_TEST(lists)
{
	struct namelist nl = { 0 };
	char err[128];

	ck_assert_int_eq(namelist_parse(&nl, " app , ,tier.name,APP_*,", err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(nl.n, 3);
	ck_assert(namelist_has(&nl, "app", 3));
	ck_assert(!namelist_has(&nl, "ap", 2));
	ck_assert(!namelist_has(&nl, "apps", 4));
	ck_assert(namelist_has(&nl, "tier.name", 9));
	ck_assert(namelist_has(&nl, "APP_", 4));
	ck_assert(namelist_has(&nl, "APP_MODE", 8));
	ck_assert(!namelist_has(&nl, "app_mode", 8));
	ck_assert(!namelist_has(&nl, "", 0));
	namelist_free(&nl);
	ck_assert_int_eq(namelist_parse(&nl, "", err, sizeof(err)), 0);
	ck_assert_uint_eq(nl.n, 0);
	ck_assert(!namelist_has(&nl, "x", 1));
	ck_assert_int_eq(namelist_parse(&nl, "a, * ,b", err, sizeof(err)), -1);
	namelist_free(&nl);
}
END_TEST

START_TEST(interfaces)
{
	static const char *const skipped[] = { "lo", "lo0", "LO", "Lowpan0",
	    "veth1234", "VETHx", "docker0", "docker_gwbridge", "nerdctl0" };
	static const char *const kept[] = { "eth0", "l", "ens3", "br-1",
	    "cni0", "vet", "tap0", "podman0", "" };
	size_t i;

	for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		ck_assert_msg(iface_ignored(skipped[i], strlen(skipped[i])),
		    "%s kept", skipped[i]);
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		ck_assert_msg(!iface_ignored(kept[i], strlen(kept[i])),
		    "%s skipped", kept[i]);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("exporterd_labels");
	TCase *tc = tcase_create("labels");

	tcase_add_test(tc, value_escapes);
	tcase_add_test(tc, value_cut);
	tcase_add_test(tc, names);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, interfaces);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
