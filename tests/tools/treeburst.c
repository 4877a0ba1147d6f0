/* treeburst: makes and removes directory trees as fast as C can, for the
 * watcher tests (on real cgroupfs or a fixture tree).
 *   treeburst mkdir ROOT N    N leaves at depth 3 (ROOT/aI/bJ/cK)
 *   treeburst rmdir ROOT      removes everything below ROOT, deepest first
 *   treeburst churn ROOT N    N times: mkdir a/b/c then rmdir c, b, a
 *   treeburst mix ROOT N      mkdir N leaves, removing every third right away
 *   treeburst flat ROOT N     N directories right below ROOT (f0 .. fN-1)
 * ROOT is created when missing. */
#include <bsd/stdlib.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void
mk(const char *p)
{
	if (mkdir(p, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "treeburst: mkdir %s: %s\n", p, strerror(errno));
		failures++;
	}
}

static void
rm(const char *p)
{
	if (rmdir(p) == -1 && errno != ENOENT) {
		fprintf(stderr, "treeburst: rmdir %s: %s\n", p, strerror(errno));
		failures++;
	}
}

static void path(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
path(char *dst, size_t sz, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, sz, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sz) {
		fprintf(stderr, "treeburst: path too long\n");
		exit(2);
	}
}

static void
leaf(const char *root, long i, char *a, char *b, char *c, size_t sz)
{
	path(a, sz, "%s/a%ld", root, i / 100);
	path(b, sz, "%s/b%ld", a, (i / 10) % 10);
	path(c, sz, "%s/c%ld", b, i % 10);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	if (flag == FTW_DP && ftw->level > 0)
		rm(path);
	return 0;
}

int
main(int argc, char **argv)
{
	char a[4096], b[4096], c[4096];
	const char *errstr;
	long n = 0, i;

	if (argc < 3)
		goto usage;
	if (argc == 4) {
		n = (long)strtonum(argv[3], 0, 1000000, &errstr);
		if (errstr != NULL)
			goto usage;
	}
	if (strcmp(argv[1], "rmdir") != 0)
		mk(argv[2]);
	if (strcmp(argv[1], "flat") == 0 && argc == 4) {
		for (i = 0; i < n; i++) {
			path(a, sizeof(a), "%s/f%ld", argv[2], i);
			mk(a);
		}
	} else if (strcmp(argv[1], "mkdir") == 0 && argc == 4) {
		for (i = 0; i < n; i++) {
			leaf(argv[2], i, a, b, c, sizeof(a));
			mk(a);
			mk(b);
			mk(c);
		}
	} else if (strcmp(argv[1], "mix") == 0 && argc == 4) {
		for (i = 0; i < n; i++) {
			leaf(argv[2], i, a, b, c, sizeof(a));
			mk(a);
			mk(b);
			mk(c);
			if (i % 3 == 0)
				rm(c);
		}
	} else if (strcmp(argv[1], "churn") == 0 && argc == 4) {
		path(a, sizeof(a), "%s/churn", argv[2]);
		path(b, sizeof(b), "%s/x", a);
		path(c, sizeof(c), "%s/y", b);
		for (i = 0; i < n; i++) {
			mk(a);
			mk(b);
			mk(c);
			rm(c);
			rm(b);
			rm(a);
		}
	} else if (strcmp(argv[1], "rmdir") == 0 && argc == 3) {
		nftw(argv[2], rm_one, 64, FTW_DEPTH | FTW_PHYS);
	} else
		goto usage;
	return failures ? 1 : 0;
usage:
	fprintf(stderr, "usage: treeburst mkdir|mix|churn|flat ROOT N | rmdir ROOT\n");
	return 2;
}
