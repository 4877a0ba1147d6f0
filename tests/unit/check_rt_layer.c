#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layerwalk.h"
#include "rt_layer.h"
#include "unit.h"

#define P_WEB	"b2e67d76710d54befd2a046112b0073ce5e0c0c331fac89fd97c617e945aac2b"
#define L_WEB	"5c34060b8afe4cb5819611bd0d8a1b776b8248accd72f2c84695071231f97a06"
#define C_ONE	"74d7640e"
#define HEX64	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX64B	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define HEX64C	"1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define MOUNTS	"var/lib/docker/image/overlay2/layerdb/mounts"

struct got {
	size_t	n;
	char	id[16][72], dir[16][4096], rel[16][80];
};

static int
collect(void *arg, const char *id, const char *dir, const char *rel)
{
	struct got *g = arg;

	if (g->n == 16)
		return 0;
	snprintf(g->id[g->n], sizeof(g->id[0]), "%s", id);
	snprintf(g->dir[g->n], sizeof(g->dir[0]), "%s", dir);
	snprintf(g->rel[g->n], sizeof(g->rel[0]), "%s", rel);
	g->n++;
	return 0;
}

static size_t
find(const struct got *g, const char *prefix)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strncmp(g->id[i], prefix, strlen(prefix)) == 0)
			return i;
	return (size_t)-1;
}

/* a real containers.json (podman's and CRI-O's containers in one store):
 * each source its own, the layer's directory under overlay/ */
START_TEST(containers_json_layers)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	char want[4096];
	size_t i;

	rt_config_default(&cfg);
	cfg.host = unit_fixture("runtimes/podman");
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_layers("podman", &cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(st.malformed, 0);
	if (geteuid() == 0)	/* (another user's own store comes too) */
		ck_assert_uint_eq(g.n, 5);
	ck_assert((i = find(&g, P_WEB)) != (size_t)-1);
	ck_assert_str_eq(g.rel[i], L_WEB "/diff");
	snprintf(want, sizeof(want), "%s/var/lib/containers/storage/overlay",
	    unit_fixture("runtimes/podman"));
	ck_assert_str_eq(g.dir[i], want);
	ck_assert(find(&g, C_ONE) == (size_t)-1);	/* CRI-O's */

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(rt_layers("crio", &cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 3);
	ck_assert(find(&g, C_ONE) != (size_t)-1);
	ck_assert(find(&g, P_WEB) == (size_t)-1);
	/* containerd keeps no writable layer of its own to report */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(rt_layers("containerd", &cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 0);
}
END_TEST

static void
put(const char *root, const char *rel, const char *text)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
dirs(const char *root, const char *rel)
{
	char path[4096], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		(void)mkdir(path, 0755);
		*p = '/';
	}
	ck_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* docker's mount-id: only a 64-hex id names a layer; one that would lead
 * elsewhere, or a link in its place, is refused; the layer is walked
 * through layer_open */
START_TEST(docker_mount_ids)
{
	static struct got g;
	char *host = unit_tmpdir(), p[4096], q[4200];
	struct rt_config cfg;
	struct rt_scan_stats st;
	struct layer_usage u;
	int fd;

	dirs(host, MOUNTS "/" HEX64);
	put(host, MOUNTS "/" HEX64 "/mount-id", HEX64B);
	/* a subverted state file: a path, not an id */
	dirs(host, MOUNTS "/" HEX64B);
	put(host, MOUNTS "/" HEX64B "/mount-id", "../../../../../../etc");
	/* a link in mount-id's place */
	dirs(host, MOUNTS "/" HEX64C);
	snprintf(p, sizeof(p), "%s/" MOUNTS "/" HEX64 "/mount-id", host);
	snprintf(q, sizeof(q), "%s/" MOUNTS "/" HEX64C "/mount-id", host);
	ck_assert_int_eq(symlink(p, q), 0);
	/* not a container's directory */
	dirs(host, MOUNTS "/x");
	dirs(host, "var/lib/docker/overlay2/" HEX64B "/diff/etc");
	put(host, "var/lib/docker/overlay2/" HEX64B "/diff/etc/hosts", "x");

	rt_config_default(&cfg);
	cfg.host = host;
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_layers("docker", &cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_str_eq(g.id[0], HEX64);
	ck_assert_str_eq(g.rel[0], HEX64B "/diff");
	ck_assert_uint_eq(st.malformed, 1);
	ck_assert_uint_eq(st.unreadable, 1);
	ck_assert_ptr_nonnull(strstr(st.first_error, "mount-id"));
	fd = layer_open(g.dir[0], g.rel[0]);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(layer_walk(fd, NULL, &u), 0);
	close(fd);
	ck_assert_uint_eq(u.inodes, 3);		/* diff, etc, hosts */
	/* a layer whose diff was made a link is not entered */
	snprintf(p, sizeof(p), "%s/var/lib/docker/overlay2/" HEX64B "/diff",
	    host);
	snprintf(q, sizeof(q), "%s.real", p);
	ck_assert_int_eq(rename(p, q), 0);
	ck_assert_int_eq(symlink(q, p), 0);
	ck_assert_int_eq(layer_open(g.dir[0], g.rel[0]), -1);
	unit_rmtree(host);
	free(host);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rt_layer");
	TCase *tc = tcase_create("rt_layer");

	tcase_add_test(tc, containers_json_layers);
	tcase_add_test(tc, docker_mount_ids);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
