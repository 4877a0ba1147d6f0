/* log: a message's outside bytes go out in cadv's text form of names, so
 * that no raw control byte reaches a log (issue 17, finding 11). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "unit.h"

/* What one call to log writes on stderr. */
static char out[8192];

static void
capture_begin(int *saved, FILE **tmp)
{
	fflush(stderr);
	ck_assert_ptr_nonnull(*tmp = tmpfile());
	ck_assert_int_ge(*saved = dup(STDERR_FILENO), 0);
	ck_assert_int_ge(dup2(fileno(*tmp), STDERR_FILENO), 0);
}

static const char *
capture_end(int saved, FILE *tmp)
{
	size_t n;

	fflush(stderr);
	ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

START_TEST(control_bytes)
{
	FILE *tmp;
	int saved;

	log_init("prog", 0);
	capture_begin(&saved, &tmp);
	log_warnx("cgroup %s: gone", "/x\033[31mred\rCR\nprog: forged");
	ck_assert_str_eq(capture_end(saved, tmp),
	    "prog: cgroup /x\\x1b[31mred\\x0dCR\\x0aprog: forged: gone\n");
}
END_TEST

START_TEST(as_cadvctl_prints)
{
	FILE *tmp;
	int saved;

	/* a backslash doubled (the escape is reversible), valid UTF-8 and
	 * printable ASCII as they are, anything else \xNN */
	log_init("prog", 0);
	capture_begin(&saved, &tmp);
	log_info("%s", "a\\x1b caf\xc3\xa9 \xff\x7f\t\xc2\x85");
	ck_assert_str_eq(capture_end(saved, tmp),
	    "prog: a\\\\x1b caf\xc3\xa9 \\xff\\x7f\\x09\\xc2\\x85\n");
}
END_TEST

START_TEST(with_errno)
{
	FILE *tmp;
	int saved;

	log_init("prog", 0);
	capture_begin(&saved, &tmp);
	errno = ENOENT;
	log_warn("open %s", "/a\nb");
	ck_assert_str_eq(capture_end(saved, tmp),
	    "prog: open /a\\x0ab: No such file or directory\n");
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(long_message)
{
	char big[3000];
	const char *o;
	FILE *tmp;
	int saved;

	/* cut at the message size, every byte escaped: still one line */
	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_init("prog", 0);
	capture_begin(&saved, &tmp);
	log_warnx("%s", big);
	o = capture_end(saved, tmp);
	ck_assert_ptr_eq(strchr(o, '\n'), o + strlen(o) - 1);
	ck_assert_uint_gt(strlen(o), 1000);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, control_bytes);
	tcase_add_test(tc, as_cadvctl_prints);
	tcase_add_test(tc, with_errno);
	tcase_add_test(tc, long_message);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
