#include <string.h>

#include "privdrop.h"
#include "unit.h"

/* --user is an argument from outside: every spelling of it is taken or
 * refused with a message, never half-read. */
START_TEST(user_specs)
{
	struct priv_user u;
	char err[256];

	ck_assert_int_eq(priv_lookup("64180:64181", "cadv", &u, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(u.uid, 64180);
	ck_assert_uint_eq(u.gid, 64181);
	ck_assert_int_eq(u.ngroups, 0);
	ck_assert_int_eq(priv_lookup("64181:64181:64180,5", NULL, &u, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(u.ngroups, 2);
	ck_assert_uint_eq(u.groups[0], 64180);
	ck_assert_uint_eq(u.groups[1], 5);
	ck_assert_int_eq(priv_lookup("nobody", "cadv", &u, err, sizeof(err)),
	    0);
	ck_assert_int_eq(u.ngroups, -1);	/* the account's groups */
	ck_assert_int_eq(u.fallback, 0);
	/* a default that does not exist: nobody, and it says so */
	ck_assert_int_eq(priv_lookup(NULL, "no-such-cadv-user", &u, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(u.name, "nobody");
	ck_assert_int_eq(u.fallback, 1);
}
END_TEST

START_TEST(bad_user_specs)
{
	static const char *const bad[] = {
		"0:0", "1000:0", "0:1000",		/* root */
		"root", "no-such-cadv-user",
		"64180", "64180:", ":64180", "64180:x", "64180:64180:",
		"64180:64180:1,", "64180:64180:1,,2", "64180:64180:1:2",
		"-1:5", "4294967295:5", "99999999999:5", "64180:64180:a",
		"64180:64180:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
	};
	struct priv_user u;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(priv_lookup(bad[i], "cadv", &u, err,
		    sizeof(err)) == -1, "%s taken", bad[i]);
		ck_assert_msg(err[0] != '\0', "%s: no message", bad[i]);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("privdrop");
	TCase *tc = tcase_create("privdrop");

	tcase_add_test(tc, user_specs);
	tcase_add_test(tc, bad_user_specs);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
