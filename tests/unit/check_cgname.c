#include <stdlib.h>
#include <string.h>

#include "cgname.h"
#include "unit.h"

#define NAME(s) (s), (sizeof(s) - 1)

START_TEST(valid_names)
{
	ck_assert(cgname_valid(NAME("/")));
	ck_assert(cgname_valid(NAME("/a")));
	ck_assert(cgname_valid(NAME("/a b/c\nd/\xff\xfe")));
	ck_assert(cgname_valid(NAME("/...")));
	ck_assert(!cgname_valid(NAME("")));
	ck_assert(!cgname_valid(NAME("a")));
	ck_assert(!cgname_valid(NAME("//")));
	ck_assert(!cgname_valid(NAME("/a/")));
	ck_assert(!cgname_valid(NAME("/a//b")));
	ck_assert(!cgname_valid(NAME("/a/./b")));
	ck_assert(!cgname_valid(NAME("/a/..")));
	ck_assert(!cgname_valid(NAME("/a\0b")));
}
END_TEST

START_TEST(escape_text)
{
	char out[64];

	ck_assert_uint_eq(cgname_escape(NAME("/plain-name_1.slice"), out,
	    sizeof(out)), 19);
	ck_assert_str_eq(out, "/plain-name_1.slice");
	cgname_escape(NAME("/a b\t\n\\\"\xff"), out, sizeof(out));
	ck_assert_str_eq(out, "/a b\\x09\\x0a\\\\\"\\xff");
	/* valid UTF-8 passes, an overlong encoding does not */
	cgname_escape(NAME("/caf\xc3\xa9/\xc0\xaf"), out, sizeof(out));
	ck_assert_str_eq(out, "/caf\xc3\xa9/\\xc0\\xaf");
	/* truncation still terminates and reports the full length */
	ck_assert_uint_eq(cgname_escape(NAME("/\x01\x02"), out, 4), 9);
	ck_assert_uint_eq(strlen(out), 3);
}
END_TEST

START_TEST(escape_roundtrip_every_byte)
{
	char name[512], esc[CGNAME_ESCAPED_MAX(512)], back[512];
	size_t i, n, blen;

	srandom(7);
	for (n = 0; n < 2000; n++) {
		size_t len = 1 + (size_t)random() % 60;

		for (i = 0; i < len; i++)
			name[i] = (char)(random() & 0xff);
		cgname_escape(name, len, esc, sizeof(esc));
		ck_assert_ptr_null(strchr(esc, '\n'));
		ck_assert_int_eq(cgname_unescape(esc, strlen(esc), back,
		    &blen), 0);
		ck_assert_uint_eq(blen, len);
		ck_assert_mem_eq(back, name, len);
	}
	ck_assert_int_eq(cgname_unescape(NAME("\\x4"), back, &blen), -1);
	ck_assert_int_eq(cgname_unescape(NAME("\\q00"), back, &blen), -1);
	ck_assert_int_eq(cgname_unescape(NAME("\\"), back, &blen), -1);
}
END_TEST

START_TEST(hash_fnv1a)
{
	/* FNV-1a 64 reference values (docs/SCHEMA.md) */
	ck_assert_uint_eq(cgname_hash("", 0), 0xcbf29ce484222325ULL);
	ck_assert_uint_eq(cgname_hash("a", 1), 0xaf63dc4c8601ec8cULL);
	ck_assert_uint_eq(cgname_hash("foobar", 6), 0x85944171f73967e8ULL);
}
END_TEST

START_TEST(join_and_clean)
{
	char out[CGNAME_MAX];
	size_t n;
	char big[CGNAME_MAX + 10];

	ck_assert_int_eq(cgname_join(NAME("/"), NAME("a"), out, &n), 0);
	ck_assert_mem_eq(out, "/a", n);
	ck_assert_int_eq(cgname_join(NAME("/a"), NAME("b c"), out, &n), 0);
	ck_assert_uint_eq(n, 6);
	ck_assert_mem_eq(out, "/a/b c", n);
	ck_assert_int_eq(cgname_join(NAME("/a"), NAME("b/c"), out, &n), -1);
	ck_assert_int_eq(cgname_join(NAME("/a"), NAME(".."), out, &n), -1);
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(cgname_join(NAME("/a"), big, CGNAME_MAX, out, &n), -1);

	ck_assert_int_eq(cgname_clean(NAME("//a//b/"), out, &n), 0);
	ck_assert_mem_eq(out, "/a/b", n);
	ck_assert_int_eq(cgname_clean(NAME("a"), out, &n), 0);
	ck_assert_mem_eq(out, "/a", n);
	ck_assert_int_eq(cgname_clean(NAME(""), out, &n), 0);
	ck_assert_mem_eq(out, "/", n);
	ck_assert_int_eq(cgname_clean(NAME("/a/../b"), out, &n), -1);

	ck_assert(cgname_is_under(NAME("/a/b"), NAME("/a")));
	ck_assert(cgname_is_under(NAME("/a"), NAME("/a")));
	ck_assert(!cgname_is_under(NAME("/ab"), NAME("/a")));
	ck_assert(cgname_is_under(NAME("/ab"), NAME("/")));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cgname");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, valid_names);
	tcase_add_test(tc, escape_text);
	tcase_add_test(tc, escape_roundtrip_every_byte);
	tcase_add_test(tc, hash_fnv1a);
	tcase_add_test(tc, join_and_clean);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
