/* exporterd's htpasswd parser, password checks and basic credentials
 * (exporterd/htpasswd.c, built in here: the unit suites link the layers
 * alone).  Hashes are made here with crypt(3) itself. */
#include <crypt.h>
#include <stdio.h>
#include <string.h>

#include "../../exporterd/htpasswd.c"
#include "unit.h"

/* a hash of pw with a fresh salt of the method prefix (cost: fastest) */
static const char *
hash_of(const char *prefix, const char *pw, char *out, size_t outsz)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd;
	unsigned long count = strcmp(prefix, "$2y$") == 0 ? 4 : 0;

	memset(&cd, 0, sizeof(cd));
	ck_assert_ptr_nonnull(crypt_gensalt_rn(prefix, count, NULL, 0, salt,
	    sizeof(salt)));
	ck_assert_ptr_nonnull(crypt_rn(pw, salt, &cd, sizeof(cd)));
	snprintf(out, outsz, "%s", cd.output);
	return out;
}

static int
parse(struct htpasswd *h, const char *text, char *err, size_t errsz)
{
	return htpasswd_parse(h, text, strlen(text), err, errsz);
}

START_TEST(every_method_verifies)
{
	static const char *const prefixes[] = { "$2y$", "$2b$", "$5$", "$6$" };
	char text[4096], hash[CRYPT_OUTPUT_SIZE], err[256];
	struct htpasswd h;
	const struct htuser *u;
	size_t i, o = 0;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
		    "user%zu:%s\n", i, hash_of(prefixes[i], "pw-ü:x", hash,
		    sizeof(hash)));
	/* htpasswd -s: {SHA}base64(sha1("sampw")) */
	o += (size_t)snprintf(text + o, sizeof(text) - o,
	    "sam:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\r\n# a comment\n\n");
	ck_assert_msg(parse(&h, text, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(h.n, 5);
	for (i = 0; i < 4; i++) {
		char name[16];

		snprintf(name, sizeof(name), "user%zu", i);
		ck_assert_ptr_nonnull(u = htpasswd_find(&h, name, strlen(name)));
		ck_assert_int_eq(u->kind, HASH_CRYPT);
		ck_assert(htpasswd_verify(u, "pw-ü:x"));
		ck_assert(!htpasswd_verify(u, "pw-ü:y"));
		ck_assert(!htpasswd_verify(u, ""));
	}
	ck_assert_ptr_nonnull(u = htpasswd_find(&h, "sam", 3));
	ck_assert_int_eq(u->kind, HASH_SHA1);
	ck_assert(htpasswd_verify(u, "sampw"));
	ck_assert(!htpasswd_verify(u, "sampw "));
	ck_assert_ptr_null(htpasswd_find(&h, "sa", 2));
	ck_assert_ptr_null(htpasswd_find(&h, "samx", 4));
	htpasswd_free(&h);
}
END_TEST

START_TEST(refused_files)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "", "no users" },
		{ "# only a comment\n\n", "no users" },
		{ "x:$apr1$abcdefgh$0123456789abcdefghijkl\n", "APR1-MD5" },
		{ "x:plaintext\n", "plain text" },
		{ "x:$1$abcdefgh$0123456789abcdefghijkl\n", "MD5-crypt" },
		{ "x:abJnggxhB/yWI\n", "DES crypt" },
		{ "x:$y$j9T$abcdefghijklmnop$abc\n", "htpasswd does not write" },
		{ "x:{SHA}short\n", "28 base64" },
		{ "x:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qN!=\n", "28 base64" },
		{ "nohash\n", "no ':'" },
		{ ":{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\n", "empty user name" },
		{ "x:\n", "no password hash" },
		{ "x:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\nx:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\n",
		    "line 2: user x: listed twice" },
		{ "x:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=:extra\n", "second ':'" },
		{ "x:$2y$31$abcdefghijklmnopqrstuuHIrMEWpUCQe2YqFR3sXwQ75u4od..9q\n",
		    "bcrypt cost" },
		{ "x:$2y$03$abcdefghijklmnopqrstuuHIrMEWpUCQe2YqFR3sXwQ75u4od..9q\n",
		    "bcrypt cost" },
		{ "x:$2y$\n", "bcrypt" },
		{ "x:$6$rounds=999999999$salt$abc\n", "rounds" },
		{ "x:$6$rounds=$salt$abc\n", "rounds" },
		{ "x:$6$sa lt$abc\n", "malformed" },
	};
	char err[512];
	struct htpasswd h;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(parse(&h, bad[i].text, err, sizeof(err)) == -1,
		    "accepted: %s", bad[i].text);
		ck_assert_msg(strstr(err, bad[i].why) != NULL,
		    "%s: said \"%s\", not \"%s\"", bad[i].text, err, bad[i].why);
		ck_assert_ptr_null(h.users);
	}
}
END_TEST

START_TEST(hostile_bytes)
{
	char big[HTPASSWD_MAX_SIZE + 2], err[256], line[600];
	struct htpasswd h;

	/* a NUL in a line, a name past 255 bytes, a file past the limit */
	ck_assert_int_eq(htpasswd_parse(&h, "x\0y:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\n",
	    38, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	memset(line, 'a', 300);
	strcpy(line + 300, ":{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=\n");
	ck_assert_int_eq(parse(&h, line, err, sizeof(err)), -1);
	memset(big, '#', sizeof(big));
	ck_assert_int_eq(htpasswd_parse(&h, big, sizeof(big), err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "larger"));
	/* the last line needs no newline; a name may hold any other byte */
	ck_assert_int_eq(parse(&h, "\xff\x1b[2J:{SHA}zdfHiOZdF7FOb1t0y5i0bM17qNc=",
	    err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(htpasswd_find(&h, "\xff\x1b[2J", 5));
	htpasswd_free(&h);
}
END_TEST

START_TEST(base64)
{
	static const struct { const char *plain, *enc; } v[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	static const char *const bad[] = {
		"Zg=", "Z", "Zm9v=", "Zm=9", "Zh==", "Zm9vYg=a", "Zm 9", "====",
		"=", "Zm9vYmFy====",
	};
	unsigned char out[64];
	char enc[64];
	size_t i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		base64_encode((const unsigned char *)v[i].plain,
		    strlen(v[i].plain), enc);
		ck_assert_str_eq(enc, v[i].enc);
		ck_assert_int_eq(base64_decode(v[i].enc, strlen(v[i].enc), out,
		    sizeof(out), &n), 0);
		ck_assert_uint_eq(n, strlen(v[i].plain));
		ck_assert(memcmp(out, v[i].plain, n) == 0);
	}
	/* padding may be left out */
	ck_assert_int_eq(base64_decode("Zm8", 3, out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, 2);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(base64_decode(bad[i], strlen(bad[i]), out,
		    sizeof(out), &n) == -1, "took %s", bad[i]);
	/* no room */
	ck_assert_int_eq(base64_decode("Zm9vYmFy", 8, out, 5, &n), -1);
}
END_TEST

START_TEST(credentials)
{
	char buf[64];
	const char *u, *p;

	/* "bob:pw:with:colons" */
	ck_assert_int_eq(basic_credentials("Basic Ym9iOnB3OndpdGg6Y29sb25z",
	    buf, sizeof(buf), &u, &p), 0);
	ck_assert_str_eq(u, "bob");
	ck_assert_str_eq(p, "pw:with:colons");
	ck_assert_int_eq(basic_credentials("basic \t Ym9iOg== ", buf,
	    sizeof(buf), &u, &p), 0);
	ck_assert_str_eq(u, "bob");
	ck_assert_str_eq(p, "");
	/* another scheme, no space, no colon, bad base64, a NUL, too long */
	ck_assert_int_eq(basic_credentials("Bearer Ym9iOg==", buf, sizeof(buf),
	    &u, &p), -1);
	ck_assert_int_eq(basic_credentials("BasicYm9iOg==", buf, sizeof(buf),
	    &u, &p), -1);
	ck_assert_int_eq(basic_credentials("Basic Ym9i", buf, sizeof(buf), &u,
	    &p), -1);
	ck_assert_int_eq(basic_credentials("Basic Ym9i!g==", buf, sizeof(buf),
	    &u, &p), -1);
	ck_assert_int_eq(basic_credentials("Basic YQA6Yg==", buf, sizeof(buf),
	    &u, &p), -1);
	ck_assert_int_eq(basic_credentials("Basic Ym9iOg== x", buf,
	    sizeof(buf), &u, &p), -1);
	ck_assert_int_eq(basic_credentials("Basic Ym9iOnB3OndpdGg6Y29sb25z",
	    buf, 8, &u, &p), -1);
	ck_assert_int_eq(basic_credentials("Basic ", buf, sizeof(buf), &u, &p),
	    -1);
}
END_TEST

START_TEST(constant_time_compare)
{
	ck_assert(ct_equal("abc", "abc", 3));
	ck_assert(!ct_equal("abc", "abd", 3));
	ck_assert(!ct_equal("xbc", "abc", 3));
	ck_assert(ct_equal("", "x", 0));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("htpasswd");
	TCase *tc = tcase_create("htpasswd");

	tcase_add_test(tc, every_method_verifies);
	tcase_add_test(tc, refused_files);
	tcase_add_test(tc, hostile_bytes);
	tcase_add_test(tc, base64);
	tcase_add_test(tc, credentials);
	tcase_add_test(tc, constant_time_compare);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
