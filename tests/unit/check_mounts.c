#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include "hostroot.h"
#include "mounts.h"
#include "unit.h"

static void
load(const char *fixture, struct cg_mounts *ms)
{
	char err[256];

	ck_assert_msg(cg_mounts_read(unit_fixture(fixture), ms, err,
	    sizeof(err)) == 0, "%s: %s", fixture, err);
}

static void
roots_are(const struct cg_mounts *ms, const char *const *want, size_t n)
{
	size_t idx[CTRL_COUNT + 2], got, i;

	got = cg_mounts_roots(ms, idx, CTRL_COUNT + 2);
	ck_assert_uint_eq(got, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(ms->m[idx[i]].path, want[i]);
}

START_TEST(pure_v1)
{
	static const char *const want[] = {
		"/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory",
		"/sys/fs/cgroup/blkio", "/sys/fs/cgroup/pids",
		"/sys/fs/cgroup/hugetlb", "/sys/fs/cgroup/cpuset",
		"/sys/fs/cgroup/devices", "/sys/fs/cgroup/perf_event",
	};
	struct cg_mounts ms;
	const struct cg_mount *m;

	load("mountinfo/v1.txt", &ms);
	ck_assert_int_eq(ms.mode, CG_MODE_V1);
	/* 11 hierarchies; the second mount of memory is not one */
	ck_assert_uint_eq(ms.n, 11);
	roots_are(&ms, want, 8);
	m = cg_mounts_find(&ms, CTRL_CPUACCT);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->path, "/sys/fs/cgroup/cpu,cpuacct");
	ck_assert_uint_eq(m->ctrls, CTRL_BIT(CTRL_CPU) | CTRL_BIT(CTRL_CPUACCT));
	ck_assert_uint_eq(m->major, 0);
	ck_assert_uint_eq(m->minor, 24);
	m = cg_mounts_find(&ms, CTRL_NET_PRIO);
	ck_assert_str_eq(m->path, "/sys/fs/cgroup/net_cls,net_prio");
	ck_assert_ptr_null(cg_mounts_find(&ms, CTRL_RDMA));
	ck_assert_ptr_null(cg_mounts_v2(&ms));
	ck_assert_str_eq(ms.m[0].name, "systemd");
	ck_assert_uint_eq(ms.m[0].ctrls, 0);
	cg_mounts_free(&ms);
}
END_TEST

START_TEST(pure_v2)
{
	static const char *const want[] = { "/sys/fs/cgroup" };
	struct cg_mounts ms;

	load("mountinfo/v2.txt", &ms);
	ck_assert_int_eq(ms.mode, CG_MODE_V2);
	roots_are(&ms, want, 1);
	ck_assert_str_eq(cg_mounts_find(&ms, CTRL_MEMORY)->path,
	    "/sys/fs/cgroup");
	ck_assert_int_eq(cg_mounts_v2(&ms)->version, CG_V2);
	cg_mounts_free(&ms);
}
END_TEST

START_TEST(hybrid)
{
	static const char *const want[] = {
		"/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory",
		"/sys/fs/cgroup/pids", "/sys/fs/cgroup/blkio",
	};
	struct cg_mounts ms;

	load("mountinfo/hybrid.txt", &ms);
	ck_assert_int_eq(ms.mode, CG_MODE_HYBRID);
	roots_are(&ms, want, 4);
	ck_assert_str_eq(cg_mounts_v2(&ms)->path, "/sys/fs/cgroup/unified");
	ck_assert_str_eq(cg_mounts_find(&ms, CTRL_MEMORY)->path,
	    "/sys/fs/cgroup/memory");
	ck_assert_str_eq(cg_mounts_find(&ms, CTRL_MISC)->path,
	    "/sys/fs/cgroup/misc");
	cg_mounts_free(&ms);
}
END_TEST

START_TEST(escapes_and_bind_mounts)
{
	struct cg_mounts ms;

	load("mountinfo/escaped.txt", &ms);
	ck_assert_uint_eq(ms.n, 1);
	/* the full mount wins over the bind mount of a subdirectory */
	ck_assert_str_eq(ms.m[0].path, "/sys/fs/cgroup/memory");
	ck_assert_str_eq(ms.m[0].root, "/");
	cg_mounts_free(&ms);

	{
		static char txt[] = "50 30 0:40 /sub /mnt/cg\\040x"
		    "\\011y\\134z rw - cgroup cgroup rw,memory\n";
		FILE *fp = fmemopen(txt, strlen(txt), "r");

		ck_assert_ptr_nonnull(fp);
		ck_assert_int_eq(cg_mounts_parse(fp, &ms, NULL, 0), 0);
		fclose(fp);
		ck_assert_str_eq(ms.m[0].path, "/mnt/cg x\ty\\z");
		ck_assert_str_eq(ms.m[0].root, "/sub");
		cg_mounts_free(&ms);
	}
}
END_TEST

START_TEST(malformed_and_empty)
{
	struct cg_mounts ms;
	char err[128];

	ck_assert_int_eq(cg_mounts_read(unit_fixture("mountinfo/malformed.txt"),
	    &ms, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "mountinfo line 2 is malformed");
	ck_assert_int_eq(cg_mounts_read("/nonexistent/mountinfo", &ms, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent/mountinfo: No such file or directory");
	load("mountinfo/nocgroup.txt", &ms);
	ck_assert_int_eq(ms.mode, CG_MODE_NONE);
	ck_assert_uint_eq(ms.n, 0);
	cg_mounts_free(&ms);
}
END_TEST

/* This machine: every mount found is a cgroup filesystem of the version
 * found, and the hierarchies counted from the raw text agree. */
START_TEST(this_machine)
{
	struct cg_mounts ms;
	char err[256], line[8192], devs[64][32];
	size_t i, j, ndev = 0;
	FILE *fp;

	ck_assert_msg(cg_mounts_read("/proc/self/mountinfo", &ms, err,
	    sizeof(err)) == 0, "%s", err);
	for (i = 0; i < ms.n; i++) {
		struct statfs sf;

		ck_assert_int_eq(statfs(ms.m[i].path, &sf), 0);
		ck_assert_msg(sf.f_type == (ms.m[i].version == CG_V2 ?
		    CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC),
		    "%s: magic %lx", ms.m[i].path, (long)sf.f_type);
	}
	fp = fopen("/proc/self/mountinfo", "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char dev[32];

		if (strstr(line, " - cgroup ") == NULL &&
		    strstr(line, " - cgroup2 ") == NULL)
			continue;
		ck_assert_int_eq(sscanf(line, "%*s %*s %31s", dev), 1);
		for (j = 0; j < ndev; j++)
			if (strcmp(devs[j], dev) == 0)
				break;
		if (j == ndev && ndev < 64)
			strcpy(devs[ndev++], dev);
	}
	fclose(fp);
	ck_assert_uint_eq(ms.n, ndev);
	if (ndev > 0)
		ck_assert_int_ne(ms.mode, CG_MODE_NONE);
	cg_mounts_free(&ms);
}
END_TEST

/* In a container the runtime mounts the container's own cgroups over
 * /sys/fs/cgroup, hiding a bind of the host's there (this table is a
 * podman container's, its host root moved to /tmp): with a host root the
 * hierarchies under it are taken, whole. */
START_TEST(container_host_root)
{
	static const char *const plain[] = {
		"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/memory",
	};
	static const char *const under[] = {
		"/tmp/sys/fs/cgroup/cpu", "/tmp/sys/fs/cgroup/memory",
	};
	struct cg_mounts ms;
	char err[256];

	load("mountinfo/container_hostroot.txt", &ms);
	ck_assert_int_eq(ms.mode, CG_MODE_HYBRID);
	roots_are(&ms, plain, 2);
	cg_mounts_free(&ms);

	ck_assert_int_eq(hostroot_set("/tmp/", err, sizeof(err)), 0);
	ck_assert_str_eq(hostroot(), "/tmp");
	load("mountinfo/container_hostroot.txt", &ms);
	roots_are(&ms, under, 2);
	ck_assert_str_eq(cg_mounts_v2(&ms)->path, "/tmp/sys/fs/cgroup/unified");
	ck_assert_str_eq(ms.m[0].root, "/");
	cg_mounts_free(&ms);
	ck_assert_int_eq(hostroot_set(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(hostroot_set("tmp", err, sizeof(err)), -1);
	ck_assert_int_eq(hostroot_set("/nonexistent-cadv", err, sizeof(err)), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("mounts");
	TCase *tc = tcase_create("mounts");

	tcase_add_test(tc, pure_v1);
	tcase_add_test(tc, pure_v2);
	tcase_add_test(tc, hybrid);
	tcase_add_test(tc, escapes_and_bind_mounts);
	tcase_add_test(tc, malformed_and_empty);
	tcase_add_test(tc, this_machine);
	tcase_add_test(tc, container_host_root);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
