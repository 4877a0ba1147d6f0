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

/* unescape (strict, as cadvctl reads names) of escape(name) is name */
static void
roundtrip(const char *name, size_t len)
{
	static char esc[CGNAME_ESCAPED_MAX(CGNAME_MAX)], back[CGNAME_MAX];
	size_t elen, blen, off = 0;

	ck_assert_uint_le(len, CGNAME_MAX);
	elen = cgname_escape(name, len, esc, sizeof(esc));
	ck_assert_uint_eq(elen, strlen(esc));
	ck_assert_ptr_null(memchr(esc, '\n', elen));
	ck_assert_int_eq(cgname_unescape_ext(esc, elen, CGNAME_UNESC_STRICT,
	    back, &blen, &off), CGNAME_UNESC_OK);
	ck_assert_uint_eq(blen, len);
	ck_assert_mem_eq(back, name, len);
	ck_assert_int_eq(cgname_unescape(esc, elen, back, &blen), 0);
	ck_assert_uint_eq(blen, len);
	ck_assert_mem_eq(back, name, len);
}

START_TEST(unescape_every_byte_value)
{
	/* what follows a byte decides whether it starts valid UTF-8 */
	static const char *const after[] = { "", "a", "\x80", "\x80\x80",
	    "\x80\x80\x80", "\xbf\xbf\xbf", "\xa0\x80", "\x90\x80\x80",
	    "\\", "\xff" };
	char name[16];
	size_t i, k, n;

	for (i = 0; i < 256; i++) {
		for (k = 0; k < sizeof(after) / sizeof(after[0]); k++) {
			n = 0;
			name[n++] = '/';
			name[n++] = (char)i;
			memcpy(name + n, after[k], strlen(after[k]));
			n += strlen(after[k]);
			roundtrip(name, n);
			roundtrip(name + 1, n - 1);
		}
	}
}
END_TEST

START_TEST(unescape_random_names)
{
	/* pieces that meet every branch of the escaper: valid UTF-8 of each
	 * length, overlong, surrogate, C1 control, beyond U+10FFFF, cut
	 * sequences, backslashes and text that looks like an escape */
	static const char *const piece[] = { "a", "/", " ", "\\", "x", "\\x41",
	    "\\x", "\n", "\t", "\x7f", "\xff", "\xc3\xa9", "\xe2\x82\xac",
	    "\xf0\x9d\x84\x9e", "\xc0\xaf", "\xed\xa0\x80", "\xc2\x80",
	    "\xf4\x90\x80\x80", "\xe2\x82", "\xf0", "\x80", "\x00", "\"" };
	char name[CGNAME_MAX];
	size_t i, n, len;

	srandom(16);
	for (n = 0; n < 20000; n++) {
		size_t np = (size_t)random() % 40;

		len = 0;
		for (i = 0; i < np; i++) {
			const char *p = piece[(size_t)random() %
			    (sizeof(piece) / sizeof(piece[0]))];
			size_t pl = *p ? strlen(p) : 1;	/* "\x00" is one NUL */

			memcpy(name + len, p, pl);
			len += pl;
		}
		roundtrip(name, len);
	}
	/* and uniformly random bytes, long ones too */
	for (n = 0; n < 2000; n++) {
		len = (size_t)random() % (n < 1990 ? 64 : CGNAME_MAX + 1);
		for (i = 0; i < len; i++)
			name[i] = (char)(random() & 0xff);
		roundtrip(name, len);
	}
}
END_TEST

/* text -> want (CGNAME_UNESC_*) at offset off, strict or lenient */
static void
unesc_is(const char *text, size_t len, int flags, enum cgname_unesc want,
    size_t off)
{
	char out[64];
	size_t olen, got = 999;

	ck_assert_uint_le(len, sizeof(out));
	ck_assert_int_eq(cgname_unescape_ext(text, len, flags, out, &olen,
	    &got), want);
	if (want != CGNAME_UNESC_OK)
		ck_assert_uint_eq(got, off);
	ck_assert_ptr_nonnull(cgname_unesc_str(want));
}

START_TEST(unescape_malformed)
{
	int f;

	for (f = 0; f <= CGNAME_UNESC_STRICT; f++) {
		unesc_is(NAME("\\x4"), f, CGNAME_UNESC_HEX, 0);
		unesc_is(NAME("/a\\x"), f, CGNAME_UNESC_HEX, 2);
		unesc_is(NAME("/a\\xg0"), f, CGNAME_UNESC_HEX, 2);
		unesc_is(NAME("/a\\x0g"), f, CGNAME_UNESC_HEX, 2);
		unesc_is(NAME("\\q"), f, CGNAME_UNESC_UNKNOWN, 0);
		unesc_is(NAME("/a\\q00"), f, CGNAME_UNESC_UNKNOWN, 2);
		unesc_is(NAME("/a\\X41"), f, CGNAME_UNESC_UNKNOWN, 2);
		unesc_is(NAME("/a\\n"), f, CGNAME_UNESC_UNKNOWN, 2);
		unesc_is(NAME("\\"), f, CGNAME_UNESC_TRAILING, 0);
		unesc_is(NAME("/a\\\\\\"), f, CGNAME_UNESC_TRAILING, 4);
		/* the first fault counts */
		unesc_is(NAME("/\\x4\\"), f, CGNAME_UNESC_HEX, 1);
	}
	ck_assert_int_eq(cgname_unescape(NAME("\\x4"), (char[8]){ 0 },
	    &(size_t){ 0 }), -1);
}
END_TEST

START_TEST(unescape_strict)
{
	char out[16];
	size_t n, off;
	const int S = CGNAME_UNESC_STRICT;

	/* escapes cgname_escape never writes: the lenient reading takes
	 * them, the strict one points at them */
	unesc_is(NAME("/a\\xFF"), 0, CGNAME_UNESC_OK, 0);
	unesc_is(NAME("/a\\xFF"), S, CGNAME_UNESC_UPPER, 2);
	unesc_is(NAME("/a\\xfF"), S, CGNAME_UNESC_UPPER, 2);
	unesc_is(NAME("/a\\x41"), 0, CGNAME_UNESC_OK, 0);
	unesc_is(NAME("/a\\x41"), S, CGNAME_UNESC_NEEDLESS, 2);
	unesc_is(NAME("/by\\x2duuid"), S, CGNAME_UNESC_NEEDLESS, 3);
	unesc_is(NAME("/\\x5c"), S, CGNAME_UNESC_NEEDLESS, 1);
	unesc_is(NAME("/\\x2f"), S, CGNAME_UNESC_NEEDLESS, 1);
	unesc_is(NAME("/caf\\xc3\\xa9"), S, CGNAME_UNESC_NEEDLESS, 4);
	/* half raw, half escaped: still a character written as itself */
	unesc_is(NAME("/\xc3\\xa9"), S, CGNAME_UNESC_NEEDLESS, 2);
	unesc_is(NAME("/\\xc3\xa9"), S, CGNAME_UNESC_NEEDLESS, 1);
	/* what the escaper writes escaped */
	unesc_is(NAME("/\\xc2\\x80"), S, CGNAME_UNESC_OK, 0);	/* C1 */
	unesc_is(NAME("/\\xc0\\xaf"), S, CGNAME_UNESC_OK, 0);	/* overlong */
	unesc_is(NAME("/\\xed\\xa0\\x80"), S, CGNAME_UNESC_OK, 0);
	unesc_is(NAME("/\\xe2\\x82"), S, CGNAME_UNESC_OK, 0);	/* cut */
	unesc_is(NAME("/\\xc3A"), S, CGNAME_UNESC_OK, 0);
	unesc_is(NAME("/\\xc3\\x41"), S, CGNAME_UNESC_NEEDLESS, 5);
	/* bytes outside escapes are themselves, even those cadv escapes */
	ck_assert_int_eq(cgname_unescape_ext(NAME("/a\nb\xff\\\\x"), S, out,
	    &n, &off), CGNAME_UNESC_OK);
	ck_assert_uint_eq(n, 7);
	ck_assert_mem_eq(out, "/a\nb\xff\\x", 7);
	ck_assert_int_eq(cgname_unescape_ext(NAME(""), S, out, &n, &off),
	    CGNAME_UNESC_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* Over texts of escape-like ASCII, the strict reading is exact: a text it
 * takes is the escaper's own text for what it decodes to, and it takes
 * every text the escaper writes. */
START_TEST(unescape_strict_exact)
{
	static const char alpha[] = "\\xafAF0259c8/-";
	char text[24], out[24], esc[CGNAME_ESCAPED_MAX(24)];
	size_t i, n, len, olen, off;
	int strict, lenient, taken = 0;

	srandom(61);
	for (n = 0; n < 200000; n++) {
		len = (size_t)random() % sizeof(text);
		for (i = 0; i < len; i++)
			text[i] = alpha[(size_t)random() % (sizeof(alpha) - 1)];
		strict = cgname_unescape_ext(text, len, CGNAME_UNESC_STRICT,
		    out, &olen, &off) == CGNAME_UNESC_OK;
		if (strict) {
			taken++;
			cgname_escape(out, olen, esc, sizeof(esc));
			ck_assert_uint_eq(strlen(esc), len);
			ck_assert_mem_eq(esc, text, len);
		}
		lenient = cgname_unescape_ext(text, len, 0, out, &olen,
		    &off) == CGNAME_UNESC_OK;
		ck_assert(lenient || !strict);
		if (lenient) {
			cgname_escape(out, olen, esc, sizeof(esc));
			ck_assert_int_eq(strict, strlen(esc) == len &&
			    memcmp(esc, text, len) == 0);
		}
	}
	ck_assert_int_gt(taken, 1000);
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
	tcase_add_test(tc, unescape_every_byte_value);
	tcase_add_test(tc, unescape_random_names);
	tcase_add_test(tc, unescape_malformed);
	tcase_add_test(tc, unescape_strict);
	tcase_add_test(tc, unescape_strict_exact);
	tcase_add_test(tc, hash_fnv1a);
	tcase_add_test(tc, join_and_clean);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
