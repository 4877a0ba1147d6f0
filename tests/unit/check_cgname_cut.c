/* cgname_escape into a buffer too small for the text form: cut, NUL-
 * terminated, and done.  It used to loop for ever once the buffer was
 * full in the middle of multi-byte UTF-8 (the byte index moved inside
 * the store that a full buffer skips): exporterd echoing a long name of
 * non-ASCII characters into a 512-byte message hung an HTTP thread. */
#include <string.h>

#include "cgname.h"
#include "unit.h"

START_TEST(long_utf8_name_cut)
{
	char name[1 + 600 * 2 + 1], out[512];
	size_t i, n = 0, r;

	name[n++] = '/';
	for (i = 0; i < 600; i++) {
		name[n++] = (char)0xc3;
		name[n++] = (char)0xa9;
	}
	name[n++] = (char)0xc3;
	r = cgname_escape(name, n, out, sizeof(out));
	/* the whole form's length, as snprintf reports */
	ck_assert_uint_eq(r, 1 + 1200 + 4);
	ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
	ck_assert(memcmp(out, name, sizeof(out) - 1) == 0);
}
END_TEST

START_TEST(every_cut)
{
	static const char name[] = "/a\\b\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x01\xff";
	char full[64], out[64];
	size_t len = sizeof(name) - 1, flen, sz;

	flen = cgname_escape(name, len, full, sizeof(full));
	for (sz = 1; sz <= flen + 1; sz++) {
		ck_assert_uint_eq(cgname_escape(name, len, out, sz), flen);
		ck_assert_uint_eq(strlen(out), sz - 1);
		ck_assert(memcmp(out, full, sz - 1) == 0);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cgname_cut");
	TCase *tc = tcase_create("cgname_cut");

	tcase_add_test(tc, long_utf8_name_cut);
	tcase_add_test(tc, every_cut);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
