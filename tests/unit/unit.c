#include "unit.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int run, failed;

	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("unit %s: %d passed, %d failed\n", program_invocation_short_name, run - failed,
	    failed);
	return failed == 0 ? 0 : 1;
}

char *
unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	if (asprintf(&p, "%s/cadv-unit.XXXXXX", base) == -1)
		abort();
	if (mkdtemp(p) == NULL)
		abort();
	return p;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
unit_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
unit_fixture(const char *rel)
{
	static char buf[PATH_MAX];
	const char *base = getenv("CADV_FIXTURES");

	snprintf(buf, sizeof(buf), "%s/%s", base ? base : "tests/fixtures",
	    rel);
	return buf;
}
