/* paths: the store's default and the check of a directory others could
 * have made in our place (issue 17, finding 2).  The attack itself, by
 * another user, is tests/integration/attack_paths.sh. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "unit.h"

static char *tmp;
static char err[PATH_MAX + 512];

static void
setup(void)
{
	tmp = unit_tmpdir();
	unsetenv("CADV_STORE");
	unsetenv("XDG_RUNTIME_DIR");
}

static void
teardown(void)
{
	unit_rmtree(tmp);
	free(tmp);
}

/* tmp/rel; two buffers in turn, so that a call may take two */
static const char *
at(const char *rel)
{
	static char buf[2][PATH_MAX];
	static int turn;

	turn = !turn;
	snprintf(buf[turn], sizeof(buf[turn]), "%s/%s", tmp, rel);
	return buf[turn];
}

static unsigned
mode_of(const char *path)
{
	struct stat sb;

	ck_assert_int_eq(lstat(path, &sb), 0);
	return (unsigned)(sb.st_mode & 07777);
}

START_TEST(explicit_paths)
{
	char buf[256];

	ck_assert_int_eq(paths_store("/x/y", buf, sizeof(buf), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(buf, "/x/y");
	ck_assert_int_eq(paths_store("", buf, sizeof(buf), err, sizeof(err)),
	    PATHS_USAGE);
	setenv("CADV_STORE", "/from/env", 1);
	ck_assert_int_eq(paths_store(NULL, buf, sizeof(buf), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(buf, "/from/env");
	setenv("CADV_STORE", "relative", 1);
	ck_assert_int_eq(paths_store(NULL, buf, sizeof(buf), err,
	    sizeof(err)), PATHS_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "CADV_STORE"));
	ck_assert_int_eq(paths_store("/a/long/path", buf, 4, err,
	    sizeof(err)), PATHS_USAGE);
}
END_TEST

START_TEST(made_private)
{
	unsigned uid = (unsigned)geteuid();

	umask(022);
	ck_assert_int_eq(paths_private_dir(at("new"), uid, 1, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(mode_of(at("new")), 0700);
	/* once more: it is there, and ours */
	ck_assert_int_eq(paths_private_dir(at("new"), uid, 1, err,
	    sizeof(err)), 0);
	/* a reader's check does not make it */
	ck_assert_int_eq(paths_private_dir(at("absent"), uid, 0, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(access(at("absent"), F_OK), -1);
}
END_TEST

START_TEST(modes)
{
	static const struct {
		unsigned mode;
		int ok;
	} cases[] = {
		{ 0700, 1 }, { 0750, 1 }, { 0710, 1 }, { 0770, 0 },
		{ 0755, 0 }, { 0701, 0 }, { 0777, 0 }, { 01777, 0 },
	};
	unsigned uid = (unsigned)geteuid();
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(mkdir(at("d"), 0700), 0);
		ck_assert_int_eq(chmod(at("d"), cases[i].mode), 0);
		ck_assert_int_eq(paths_private_dir(at("d"), uid, 1, err,
		    sizeof(err)), cases[i].ok ? 0 : -1);
		if (!cases[i].ok) {
			ck_assert_ptr_nonnull(strstr(err, at("d")));
			ck_assert_ptr_nonnull(strstr(err, "mode"));
		}
		/* judged, never changed */
		ck_assert_uint_eq(mode_of(at("d")), cases[i].mode);
		ck_assert_int_eq(rmdir(at("d")), 0);
	}
}
END_TEST

START_TEST(links_and_files)
{
	unsigned uid = (unsigned)geteuid();

	/* a link to a directory of ours is still refused: its target is
	 * whatever the link's maker chose */
	ck_assert_int_eq(mkdir(at("target"), 0700), 0);
	ck_assert_int_eq(symlink(at("target"), at("link")), 0);
	ck_assert_int_eq(paths_private_dir(at("link"), uid, 1, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	ck_assert_ptr_nonnull(strstr(err, at("link")));
	ck_assert_int_eq(symlink(at("nowhere"), at("dangling")), 0);
	ck_assert_int_eq(paths_private_dir(at("dangling"), uid, 1, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	ck_assert_int_eq(access(at("nowhere"), F_OK), -1);
	ck_assert_int_eq(close(creat(at("file"), 0600)), 0);
	ck_assert_int_eq(paths_private_dir(at("file"), uid, 1, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a directory"));
	/* someone else's (here: the check asked for another uid) */
	ck_assert_int_eq(paths_private_dir(at("target"), uid + 1, 1, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "owned by uid"));
}
END_TEST

START_TEST(parent)
{
	unsigned uid = (unsigned)geteuid();
	char child[PATH_MAX + 16];

	/* others may write in the parent: only when it is sticky */
	ck_assert_int_eq(mkdir(at("shared"), 0700), 0);
	ck_assert_int_eq(chmod(at("shared"), 0777), 0);
	snprintf(child, sizeof(child), "%s/mine", at("shared"));
	ck_assert_int_eq(paths_private_dir(child, uid, 1, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "sticky"));
	ck_assert_int_eq(chmod(at("shared"), 01777), 0);
	ck_assert_int_eq(paths_private_dir(child, uid, 1, err, sizeof(err)),
	    0);
	ck_assert_int_eq(paths_private_dir("relative", uid, 1, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(xdg_runtime_dir)
{
	char buf[PATH_MAX], want[PATH_MAX + 16];

	if (geteuid() == 0) {
		/* root's default is /run/cadv, whatever the environment */
		setenv("XDG_RUNTIME_DIR", at("xdg"), 1);
		ck_assert_int_eq(paths_store(NULL, buf, sizeof(buf), err,
		    sizeof(err)), 0);
		ck_assert_str_eq(buf, CADV_STORE_ROOT);
		return;
	}
	ck_assert_int_eq(mkdir(at("xdg"), 0700), 0);
	setenv("XDG_RUNTIME_DIR", at("xdg"), 1);
	ck_assert_int_eq(paths_store(NULL, buf, sizeof(buf), err,
	    sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/cadv", at("xdg"));
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(mode_of(want), 0700);
	/* a $XDG_RUNTIME_DIR others may enter is refused, named */
	ck_assert_int_eq(chmod(at("xdg"), 0755), 0);
	ck_assert_int_eq(paths_store(NULL, buf, sizeof(buf), err,
	    sizeof(err)), PATHS_UNSAFE);
	ck_assert_ptr_nonnull(strstr(err, at("xdg")));
	ck_assert_ptr_nonnull(strstr(err, "XDG_RUNTIME_DIR"));
	/* and one that is not there (su keeps another user's) */
	setenv("XDG_RUNTIME_DIR", at("gone"), 1);
	ck_assert_int_eq(paths_store(NULL, buf, sizeof(buf), err,
	    sizeof(err)), PATHS_UNSAFE);
	ck_assert_ptr_nonnull(strstr(err, at("gone")));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("paths");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, explicit_paths);
	tcase_add_test(tc, made_private);
	tcase_add_test(tc, modes);
	tcase_add_test(tc, links_and_files);
	tcase_add_test(tc, parent);
	tcase_add_test(tc, xdg_runtime_dir);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
