#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layerwalk.h"
#include "unit.h"

static void
mkfile(const char *dir, const char *rel, size_t bytes)
{
	char path[4096];
	static char buf[65536];
	size_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	memset(buf, 'x', sizeof(buf));
	for (; bytes > 0; bytes -= n) {
		n = bytes < sizeof(buf) ? bytes : sizeof(buf);
		ck_assert_int_eq(write(fd, buf, n), (ssize_t)n);
	}
	ck_assert_int_eq(fsync(fd), 0);
	close(fd);
}

static void
mkd(const char *dir, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static uint64_t
blocks(const char *dir, const char *rel)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	ck_assert_int_eq(lstat(path, &sb), 0);
	return (uint64_t)sb.st_blocks * 512;
}

static void
walk(const char *dir, const struct layer_walk_limits *l,
    struct layer_usage *u)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(layer_walk(fd, l, u), 0);
	close(fd);
}

/* du's figures: every inode's blocks once, hard links once */
START_TEST(counts_like_du)
{
	char *dir = unit_tmpdir(), a[4096], b[4096];
	struct layer_usage u;
	uint64_t want;

	mkd(dir, "d");
	mkfile(dir, "d/big", 1 << 20);
	mkfile(dir, "small", 100);
	snprintf(a, sizeof(a), "%s/d/big", dir);
	snprintf(b, sizeof(b), "%s/link", dir);
	ck_assert_int_eq(link(a, b), 0);
	snprintf(b, sizeof(b), "%s/d/link2", dir);
	ck_assert_int_eq(link(a, b), 0);
	want = blocks(dir, ".") + blocks(dir, "d") + blocks(dir, "d/big") +
	    blocks(dir, "small");
	walk(dir, NULL, &u);
	ck_assert_uint_ge(blocks(dir, "d/big"), 1 << 20);
	ck_assert_uint_eq(u.bytes, want);
	ck_assert_uint_eq(u.inodes, 4);		/* ., d, big, small */
	ck_assert_uint_eq(u.entries, 5);
	ck_assert_uint_eq(u.flags, 0);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

/* a link to a big tree outside is one small inode, never followed */
START_TEST(symlink_not_followed)
{
	char *dir = unit_tmpdir(), *out = unit_tmpdir(), p[4096];
	struct layer_usage u;
	uint64_t want;

	mkfile(out, "huge", 4 << 20);
	snprintf(p, sizeof(p), "%s/out", dir);
	ck_assert_int_eq(symlink(out, p), 0);
	want = blocks(dir, ".") + blocks(dir, "out");
	walk(dir, NULL, &u);
	ck_assert_uint_eq(u.bytes, want);
	ck_assert_uint_lt(u.bytes, 1 << 20);
	ck_assert_uint_eq(u.inodes, 2);
	/* nor as the layer itself */
	ck_assert_int_eq(layer_open(dir, "out"), -1);
	ck_assert(errno == ELOOP || errno == ENOTDIR);
	ck_assert_int_eq(layer_open(dir, "../x"), -1);
	ck_assert_int_eq(errno, EINVAL);
	unit_rmtree(dir);
	unit_rmtree(out);
	free(dir);
	free(out);
}
END_TEST

/* a filesystem mounted inside is another's: not counted nor entered */
START_TEST(other_device_not_crossed)
{
	char *dir = unit_tmpdir(), p[4096];
	struct layer_usage u, before;

	if (geteuid() != 0) {
		unit_rmtree(dir);
		free(dir);
		return;		/* mounting needs root: tests/run runs as it */
	}
	mkd(dir, "m");
	walk(dir, NULL, &before);
	snprintf(p, sizeof(p), "%s/m", dir);
	ck_assert_int_eq(mount("cadv-test", p, "tmpfs", 0, "size=8m"), 0);
	mkfile(dir, "m/inside", 2 << 20);
	walk(dir, NULL, &u);
	ck_assert_int_eq(umount(p), 0);
	/* the mount point's own inode is the tmpfs root: not ours */
	ck_assert_uint_eq(u.inodes, before.inodes - 1);
	ck_assert_uint_lt(u.bytes, 1 << 20);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

/* past max_depth a directory is counted but not entered */
START_TEST(depth_and_entries_bound)
{
	char *dir = unit_tmpdir(), rel[4096] = "";
	struct layer_walk_limits l = { 3, 0, 0 };
	struct layer_usage u;
	int i;

	for (i = 0; i < 6; i++) {
		strcat(rel, i ? "/d" : "d");
		mkd(dir, rel);
	}
	mkfile(dir, "d/d/d/d/d/d/deep", 1 << 20);
	walk(dir, &l, &u);
	ck_assert_uint_eq(u.inodes, 4);		/* ., d, d/d, d/d/d */
	ck_assert(u.flags & LAYER_TRUNCATED);
	ck_assert_uint_lt(u.bytes, 1 << 20);
	walk(dir, NULL, &u);
	ck_assert_uint_eq(u.inodes, 8);
	ck_assert_uint_eq(u.flags, 0);
	ck_assert_uint_ge(u.bytes, 1 << 20);
	l = (struct layer_walk_limits){ 0, 2, 0 };
	walk(dir, &l, &u);
	ck_assert_uint_eq(u.entries, 2);
	ck_assert(u.flags & LAYER_TRUNCATED);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

/* the budget: 600 entries at 1000/s take about 0.6 s of sleep */
START_TEST(budget_paces)
{
	char *dir = unit_tmpdir(), rel[64];
	struct layer_walk_limits l = { 0, 0, 1000 };
	struct layer_usage u;
	int i;

	for (i = 0; i < 600; i++) {
		snprintf(rel, sizeof(rel), "f%d", i);
		mkfile(dir, rel, 1);
	}
	walk(dir, &l, &u);
	ck_assert_uint_eq(u.inodes, 601);
	ck_assert_uint_ge(u.walk_ns, 400000000ULL);
	ck_assert_uint_gt(u.slept_ns, 0);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(not_a_directory)
{
	struct layer_usage u;
	int fd = open("/proc/self/status", O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(layer_walk(fd, NULL, &u), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	close(fd);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("layerwalk");
	TCase *tc = tcase_create("layerwalk");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, counts_like_du);
	tcase_add_test(tc, symlink_not_followed);
	tcase_add_test(tc, other_device_not_crossed);
	tcase_add_test(tc, depth_and_entries_bound);
	tcase_add_test(tc, budget_paces);
	tcase_add_test(tc, not_a_directory);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
