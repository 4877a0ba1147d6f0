/* exporterd's Host header check (exporterd/hosts.c, built in here: the
 * unit suites link the layers alone). */
#include <stdio.h>
#include <string.h>

#include "../../exporterd/hosts.c"
#include "unit.h"

static struct hostcheck hc;

static void
init(const char *listen, const char *allowed)
{
	char err[256];

	ck_assert_msg(hostcheck_init(&hc, listen, allowed, err,
	    sizeof(err)) == 0, "%s", err);
}

START_TEST(loopback_listen)
{
	static const char *const ok[] = {
		"127.0.0.1", "127.0.0.1:8080", "localhost", "localhost:8080",
		"LocalHost:1", "localhost.", "127.0.0.1:65535",
	};
	static const char *const refused[] = {
		"evil.example", "evil.example:8080", "127.0.0.2", "[::1]",
		"[::1]:8080", "10.0.0.1:8080", "localhost.evil.example",
		"127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80x",
		"127.0.0.1:8080:1", "::1", "", ":8080", "a b", "x\xff",
		"[127.0.0.1]", "[::1", "127.1", "0x7f.0.0.1", "localhost:-1",
		"localhost:+80",
	};
	size_t i;

	init("127.0.0.1", NULL);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(hostcheck_ok(&hc, ok[i], 0), "%s refused", ok[i]);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ck_assert_msg(!hostcheck_ok(&hc, refused[i], 0), "%s taken",
		    refused[i]);
}
END_TEST

START_TEST(absent_host)
{
	init("127.0.0.1", NULL);
	/* HTTP/1.0 without Host: no browser sends that */
	ck_assert(hostcheck_ok(&hc, NULL, 1));
	ck_assert(!hostcheck_ok(&hc, NULL, 0));
}
END_TEST

START_TEST(ipv6_listen)
{
	init("::1", NULL);
	ck_assert(hostcheck_ok(&hc, "[::1]:8080", 0));
	ck_assert(hostcheck_ok(&hc, "[0:0::1]", 0));
	ck_assert(!hostcheck_ok(&hc, "127.0.0.1", 0));
	ck_assert(!hostcheck_ok(&hc, "[::2]", 0));
	ck_assert(!hostcheck_ok(&hc, "[::1]x", 0));
	ck_assert(!hostcheck_ok(&hc, "[evil]", 0));
}
END_TEST

START_TEST(wildcard_listen)
{
	init("0.0.0.0", NULL);
	/* any address of the machine, never a name */
	ck_assert(hostcheck_ok(&hc, "192.0.2.7:8080", 0));
	ck_assert(hostcheck_ok(&hc, "[2001:db8::1]:8080", 0));
	ck_assert(hostcheck_ok(&hc, "localhost", 0));
	ck_assert(!hostcheck_ok(&hc, "node1.example:8080", 0));
	init("::", NULL);
	ck_assert(hostcheck_ok(&hc, "192.0.2.7", 0));
	ck_assert(!hostcheck_ok(&hc, "node1.example", 0));
}
END_TEST

START_TEST(allowed_names)
{
	char err[256];

	init("127.0.0.1", "node1.Example,, [2001:db8::1],192.0.2.9");
	ck_assert(hostcheck_ok(&hc, "node1.example:8080", 0));
	ck_assert(hostcheck_ok(&hc, "NODE1.EXAMPLE.", 0));
	ck_assert(hostcheck_ok(&hc, "[2001:db8:0::1]", 0));
	ck_assert(hostcheck_ok(&hc, "192.0.2.9:1", 0));
	ck_assert(!hostcheck_ok(&hc, "node2.example", 0));
	ck_assert(!hostcheck_ok(&hc, "example", 0));
	init("127.0.0.1", "*");
	ck_assert(hostcheck_ok(&hc, "anything.at.all", 0));
	ck_assert(hostcheck_ok(&hc, NULL, 0));
	/* entries are names or addresses: no port, no scheme */
	ck_assert_int_eq(hostcheck_init(&hc, "127.0.0.1", "node1:8080", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "node1:8080"));
	ck_assert_int_eq(hostcheck_init(&hc, "127.0.0.1", "http://node1", err,
	    sizeof(err)), -1);
	ck_assert_int_eq(hostcheck_init(&hc, "127.0.0.1", "a b", err,
	    sizeof(err)), -1);
	ck_assert_int_eq(hostcheck_init(&hc, "not-an-address", NULL, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(too_many_names)
{
	char list[HOSTS_MAX * 8 + 16], err[256];
	size_t i, o = 0;

	for (i = 0; i <= HOSTS_MAX; i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "h%zu,", i);
	ck_assert_int_eq(hostcheck_init(&hc, "127.0.0.1", list, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(unix_socket)
{
	init(NULL, NULL);
	ck_assert(hostcheck_ok(&hc, "x", 0));
	ck_assert(hostcheck_ok(&hc, NULL, 0));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("hosts");
	TCase *tc = tcase_create("hosts");

	tcase_add_test(tc, loopback_listen);
	tcase_add_test(tc, absent_host);
	tcase_add_test(tc, ipv6_listen);
	tcase_add_test(tc, wildcard_listen);
	tcase_add_test(tc, allowed_names);
	tcase_add_test(tc, too_many_names);
	tcase_add_test(tc, unix_socket);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
