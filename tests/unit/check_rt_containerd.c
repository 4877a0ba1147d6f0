/* The containerd source over a fixture tree of real containerd state
 * (tests/fixtures/runtimes/containerd, see its README), damaged copies of
 * it, and its parsers (rt_oci.h, rt_containerd.h) on edge cases. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bbolt.h"
#include "rt_containerd.h"
#include "rt_oci.h"
#include "unit.h"

#define FIX	"runtimes/containerd"
#define NS	"cadvtest-ctrd-32447"
#define WEB	"web-32447"
#define DEF	"def-32447"
#define POD	"92e9430f425044863c065cf65b7e47687b0f3f18b0a3bd9620604e502263edb6"
#define API	"0b4c441421d4f63b2f5f2ee807a5f40ed35a2321690de398091d255e607124ce"
#define SIDE	"f2877ab4092845fc9a708fe9bf9ba0762fc57ddb0990c83b6a713d61efe34349"
#define PUID	"64797606-dfd0-4988-b44a-799f0e86b7b0"
#define PODNAME	"api-32447-64797"
#define PODCG	"/kubepods/besteffort/pod" PUID
#define TASKS	"run/containerd/io.containerd.runtime.v2.task"
#define CRIDIR	"var/lib/containerd/io.containerd.grpc.v1.cri/containers"
#define METADB	"var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"

#define S(x)	(x), (sizeof(x) - 1)

struct found {
	struct cadv_ident	*ids[32];
	size_t		 n;
	int		 stop_after;	/* sink returns 7 after this many */
};

static int
collect(void *arg, const struct cadv_ident *id)
{
	struct found *f = arg;

	ck_assert_uint_lt(f->n, 32);
	f->ids[f->n] = malloc(sizeof(*id));
	ck_assert_ptr_nonnull(f->ids[f->n]);
	memcpy(f->ids[f->n], id, sizeof(*id));
	f->n++;
	if (f->stop_after > 0 && (int)f->n >= f->stop_after)
		return 7;
	return 0;
}

static void
found_free(struct found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->ids[i]);
	f->n = 0;
}

static const struct cadv_ident *
by_id(const struct found *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(ident_get(f->ids[i], CADV_IS_ID, NULL), id) == 0)
			return f->ids[i];
	return NULL;
}

static const char *
str(const struct cadv_ident *id, enum cadv_ident_str s)
{
	return ident_get(id, s, NULL);
}

static const char *
env(const struct cadv_ident *id, const char *k)
{
	uint32_t i;

	for (i = 0; i < id->nenv; i++)
		if (strcmp(ident_span_str(id, id->env[i].k), k) == 0)
			return ident_span_str(id, id->env[i].v);
	return NULL;
}

static int
scan_host(const char *host, int with_env, struct found *f,
    struct rt_scan_stats *st)
{
	static const char *allow[] = { "CADV_*" };
	struct rt_config cfg;

	rt_config_default(&cfg);
	cfg.host = host;
	if (with_env) {
		cfg.env_allow = allow;
		cfg.nenv_allow = 1;
	}
	memset(st, 0, sizeof(*st));
	return rt_containerd_scan(&cfg, collect, f, st);
}

/* A copy of the fixture tree to damage. */
static char *
copy_fixture(void)
{
	char *d = unit_tmpdir(), cmd[PATH_MAX * 2 + 32];

	snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s/'", unit_fixture(FIX), d);
	ck_assert_int_eq(system(cmd), 0);
	return d;
}

static void
write_file(const char *dir, const char *rel, const char *data)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(data, fp);
	fclose(fp);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

START_TEST(fixture_every_field)
{
	struct found f = { .n = 0 };
	struct rt_scan_stats st;
	const struct cadv_ident *c;

	ck_assert_int_eq(scan_host(unit_fixture(FIX), 1, &f, &st), 0);
	ck_assert_msg(st.found == 6 && st.unreadable == 0 &&
	    st.malformed == 0, "found %u unreadable %u malformed %u: %s",
	    st.found, st.unreadable, st.malformed, st.first_error);
	ck_assert_uint_eq(f.n, 6);

	/* ctr run --label --env --cgroup */
	ck_assert_ptr_nonnull(c = by_id(&f, WEB));
	ck_assert_int_eq(c->runtime, CADV_RT_CONTAINERD);
	ck_assert_str_eq(str(c, CADV_IS_CGROUP), "/cadvtest-ctrd-32447/" WEB);
	ck_assert_str_eq(str(c, CADV_IS_NAME), WEB);
	ck_assert_str_eq(str(c, CADV_IS_RT_NAMESPACE), NS);
	ck_assert_str_eq(str(c, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_str_eq(str(c, CADV_IS_POD_NAME), "");
	ck_assert_str_eq(str(c, CADV_IS_CONTAINER_NAME), "");
	ck_assert_str_eq(str(c, CADV_IS_SANDBOX_ID), "");
	ck_assert_str_eq(str(c, CADV_IS_NETNS_OWNER), "");
	/* meta.db's labels: --label ones and the image's, as cAdvisor */
	ck_assert_uint_eq(c->nlabels, 4);
	ck_assert_str_eq(ident_label(c, "app"), "api");
	ck_assert_str_eq(ident_label(c, "tier"), "front");
	ck_assert_str_eq(ident_label(c, "org.example.built-by"),
	    "cadv-tests");
	ck_assert_str_eq(ident_label(c,
	    "io.containerd.image.config.stop-signal"), "SIGTERM");
	ck_assert_uint_eq(c->nenv, 1);
	ck_assert_str_eq(env(c, "CADV_TEST"), "one");
	ck_assert_ptr_null(env(c, "SECRET"));
	ck_assert_uint_eq(c->pid, 32539);
	/* meta.db createdat: 2026-12-01T17:51:55.630441190Z */
	ck_assert_uint_eq(c->created_ns, 1796147515630441190ull);
	ck_assert_uint_eq(c->started_ns, 0);
	ck_assert_uint_eq(c->flags, 0);
	ck_assert_uint_eq(c->restart_count, 0);

	/* ctr run: the default cgroup */
	ck_assert_ptr_nonnull(c = by_id(&f, DEF));
	ck_assert_str_eq(str(c, CADV_IS_CGROUP), "/" NS "/" DEF);
	ck_assert_str_eq(str(c, CADV_IS_NAME), DEF);
	ck_assert_uint_eq(c->nlabels, 2);
	ck_assert_ptr_null(ident_label(c, "app"));
	ck_assert_uint_eq(c->nenv, 0);
	ck_assert_uint_eq(c->pid, 32598);

	/* the CRI sandbox */
	ck_assert_ptr_nonnull(c = by_id(&f, POD));
	ck_assert_uint_eq(c->flags, CADV_IDF_SANDBOX);
	ck_assert_str_eq(str(c, CADV_IS_CGROUP), PODCG "/" POD);
	ck_assert_str_eq(str(c, CADV_IS_NAME), POD);
	ck_assert_str_eq(str(c, CADV_IS_RT_NAMESPACE), "k8s.io");
	ck_assert_str_eq(str(c, CADV_IS_IMAGE), "localhost/cadvtest-pause:1");
	ck_assert_str_eq(str(c, CADV_IS_POD_NAME), PODNAME);
	ck_assert_str_eq(str(c, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(str(c, CADV_IS_POD_UID), PUID);
	ck_assert_str_eq(str(c, CADV_IS_SANDBOX_ID), POD);
	ck_assert_str_eq(str(c, CADV_IS_NETNS_OWNER), "");
	ck_assert_str_eq(str(c, CADV_IS_CONTAINER_NAME), "");
	ck_assert_str_eq(ident_label(c, "io.cri-containerd.kind"), "sandbox");
	ck_assert_str_eq(ident_label(c, "app"), "shop");
	ck_assert_uint_eq(c->nlabels, 6);
	ck_assert_uint_eq(c->pid, 312);
	ck_assert_uint_eq(c->created_ns, 1796147517715080032ull);

	/* its pod's cgroup */
	ck_assert_ptr_nonnull(c = by_id(&f, PUID));
	ck_assert_uint_eq(c->flags, CADV_IDF_POD);
	ck_assert_int_eq(c->runtime, CADV_RT_CONTAINERD);
	ck_assert_str_eq(str(c, CADV_IS_CGROUP), PODCG);
	ck_assert_str_eq(str(c, CADV_IS_POD_NAME), PODNAME);
	ck_assert_str_eq(str(c, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(str(c, CADV_IS_POD_UID), PUID);
	ck_assert_str_eq(str(c, CADV_IS_NAME), "");
	ck_assert_str_eq(str(c, CADV_IS_IMAGE), "");
	ck_assert_uint_eq(c->nlabels, 0);
	ck_assert_uint_eq(c->pid, 0);

	/* a running CRI container */
	ck_assert_ptr_nonnull(c = by_id(&f, SIDE));
	ck_assert_uint_eq(c->flags, 0);
	ck_assert_str_eq(str(c, CADV_IS_CGROUP), PODCG "/" SIDE);
	ck_assert_str_eq(str(c, CADV_IS_NAME), SIDE);
	ck_assert_str_eq(str(c, CADV_IS_CONTAINER_NAME), "side");
	ck_assert_str_eq(str(c, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_str_eq(str(c, CADV_IS_POD_NAME), PODNAME);
	ck_assert_str_eq(str(c, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(str(c, CADV_IS_POD_UID), PUID);
	ck_assert_str_eq(str(c, CADV_IS_SANDBOX_ID), POD);
	ck_assert_str_eq(str(c, CADV_IS_NETNS_OWNER), POD);
	ck_assert_uint_eq(c->restart_count, 3);
	ck_assert_str_eq(env(c, "CADV_X"), "1");
	ck_assert_ptr_null(env(c, "HOSTNAME"));
	ck_assert_str_eq(ident_label(c, "io.kubernetes.container.name"),
	    "side");
	ck_assert_uint_eq(c->nlabels, 6);
	/* the CRI status's times, not meta.db's */
	ck_assert_uint_eq(c->created_ns, 1796147518526153062ull);
	ck_assert_uint_eq(c->started_ns, 1796147519238276736ull);
	ck_assert_uint_eq(c->pid, 422);

	/* the OOM-killed one: no task any more, the status file; its cgroup
	 * from the spec meta.db keeps */
	ck_assert_ptr_nonnull(c = by_id(&f, API));
	ck_assert_uint_eq(c->flags, CADV_IDF_EXITED | CADV_IDF_OOM_KILLED);
	ck_assert_int_eq(c->exit_code, 137);
	ck_assert_str_eq(str(c, CADV_IS_CGROUP), "/kubepods/besteffort/"
	    "pod64797606-dfd0-4988-b44a-799f0e86b7b0/" API);
	ck_assert_str_eq(str(c, CADV_IS_NAME), API);
	ck_assert_str_eq(str(c, CADV_IS_RT_NAMESPACE), "k8s.io");
	ck_assert_uint_eq(c->created_ns, 1796147518262995639ull);
	ck_assert_uint_eq(c->started_ns, 1796147518908295021ull);
	ck_assert_uint_eq(c->finished_ns, 1796147519873969650ull);
	ck_assert_uint_eq(c->pid, 0);
	/* and from meta.db: the pod, the container, the image */
	ck_assert_str_eq(str(c, CADV_IS_CONTAINER_NAME), "api");
	ck_assert_str_eq(str(c, CADV_IS_POD_NAME), PODNAME);
	ck_assert_str_eq(str(c, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(str(c, CADV_IS_POD_UID), PUID);
	ck_assert_str_eq(str(c, CADV_IS_SANDBOX_ID), POD);
	ck_assert_str_eq(str(c, CADV_IS_NETNS_OWNER), POD);
	ck_assert_str_eq(str(c, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_str_eq(ident_label(c, "tier"), "api");
	ck_assert_uint_eq(c->restart_count, 0);
	found_free(&f);

	/* no allow-list: no variable at all */
	ck_assert_int_eq(scan_host(unit_fixture(FIX), 0, &f, &st), 0);
	ck_assert_uint_eq(f.n, 6);
	ck_assert_uint_eq(by_id(&f, WEB)->nenv, 0);
	ck_assert_uint_eq(by_id(&f, SIDE)->nenv, 0);
	found_free(&f);
}
END_TEST

START_TEST(fixture_without_meta)
{
	char *d = copy_fixture(), path[PATH_MAX];
	struct found f = { .n = 0 };
	struct rt_scan_stats st;
	const struct cadv_ident *c;

	snprintf(path, sizeof(path), "%s/" METADB, d);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(scan_host(d, 1, &f, &st), 0);
	ck_assert_msg(st.found == 6 && st.unreadable == 0 && st.malformed == 0,
	    "%s", st.first_error);
	/* ctr: the labels its annotations carry, no image */
	c = by_id(&f, WEB);
	ck_assert_uint_eq(c->nlabels, 2);
	ck_assert_str_eq(ident_label(c, "app"), "api");
	ck_assert_str_eq(ident_label(c, "tier"), "front");
	ck_assert_str_eq(str(c, CADV_IS_IMAGE), "");
	ck_assert_uint_eq(c->created_ns, 0);
	/* CRI: the annotations still say pod and image */
	c = by_id(&f, SIDE);
	ck_assert_str_eq(str(c, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_str_eq(str(c, CADV_IS_CONTAINER_NAME), "side");
	ck_assert_uint_eq(c->nlabels, 0);
	ck_assert_uint_eq(c->restart_count, 0);
	/* the stopped one: exit and times only */
	c = by_id(&f, API);
	ck_assert_uint_eq(c->flags, CADV_IDF_EXITED | CADV_IDF_OOM_KILLED);
	ck_assert_str_eq(str(c, CADV_IS_POD_NAME), "");
	found_free(&f);

	unit_rmtree(d);
	free(d);
}
END_TEST

/* meta.db's labels are cAdvisor's: they replace the annotations' */
START_TEST(meta_labels_win)
{
	char *d = copy_fixture(), path[PATH_MAX], *buf, *at, *nb;
	struct found f = { .n = 0 };
	struct rt_scan_stats st;
	size_t len;

	snprintf(path, sizeof(path), "%s/" TASKS "/" NS "/" WEB
	    "/config.json", d);
	buf = slurp(path, &len);
	ck_assert_ptr_nonnull(at = strstr(buf, "\"app\":\"api\""));
	ck_assert_int_ne(asprintf(&nb, "%.*s\"extra\":\"x\",%s",
	    (int)(at - buf), buf, at), -1);
	write_file(d, TASKS "/" NS "/" WEB "/config.json", nb);
	free(buf);
	free(nb);
	ck_assert_int_eq(scan_host(d, 0, &f, &st), 0);
	ck_assert_uint_eq(st.malformed, 0);
	ck_assert_uint_eq(by_id(&f, WEB)->nlabels, 4);
	ck_assert_ptr_null(ident_label(by_id(&f, WEB), "extra"));
	ck_assert_str_eq(ident_label(by_id(&f, WEB), "app"), "api");
	found_free(&f);

	/* a damaged meta.db: counted once, the rest as without it */
	write_file(d, METADB, "not a bbolt file at all");
	ck_assert_int_eq(scan_host(d, 1, &f, &st), 0);
	ck_assert_uint_eq(st.found, 6);
	ck_assert_uint_eq(st.malformed, 1);
	ck_assert_ptr_nonnull(strstr(st.first_error, "meta.db"));
	/* the annotations' then */
	ck_assert_uint_eq(by_id(&f, WEB)->nlabels, 3);
	ck_assert_str_eq(ident_label(by_id(&f, WEB), "extra"), "x");
	found_free(&f);
	unit_rmtree(d);
	free(d);
}
END_TEST

START_TEST(damaged_tree)
{
	char *d = copy_fixture(), path[PATH_MAX], path2[PATH_MAX * 3];
	struct found f = { .n = 0 };
	struct rt_scan_stats st;

	/* junk config.json, a status that is no JSON, a link, a FIFO */
	write_file(d, TASKS "/" NS "/" WEB "/config.json", "{\"linux\":");
	write_file(d, CRIDIR "/" API "/status", "\x01\x02 garbage");
	snprintf(path, sizeof(path), "%s/" TASKS "/" NS "/" DEF
	    "/config.json", d);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof(path), "%s/" TASKS "/k8s.io/" SIDE
	    "/config.json", d);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* docker's namespace is the docker source's */
	snprintf(path, sizeof(path), "%s/" TASKS "/moby", d);
	snprintf(path2, sizeof(path2), "cp -a '%s/" TASKS "/k8s.io/" POD
	    "' '%s/'", d, path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(system(path2), 0);
	/* a task without a cgroup path */
	snprintf(path, sizeof(path), "%s/" TASKS "/" NS "/nocg", d);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	write_file(d, TASKS "/" NS "/nocg/config.json",
	    "{\"ociVersion\":\"1.0.2\",\"process\":{}}");

	ck_assert_int_eq(scan_host(d, 0, &f, &st), 0);
	/* the sandbox and its pod cgroup are left, each once */
	ck_assert_uint_eq(f.n, 2);
	ck_assert_ptr_nonnull(by_id(&f, POD));
	ck_assert_ptr_nonnull(by_id(&f, PUID));
	ck_assert_uint_eq(st.found, 2);
	ck_assert_uint_eq(st.unreadable, 0);
	/* web, def (link), side (FIFO), api's status, nocg */
	ck_assert_msg(st.malformed == 5, "malformed %u: %s", st.malformed,
	    st.first_error);
	ck_assert_str_ne(st.first_error, "");
	found_free(&f);
	unit_rmtree(d);
	free(d);
}
END_TEST

START_TEST(absent_and_stopping)
{
	char *d = unit_tmpdir();
	struct found f = { .n = 0, .stop_after = 2 };
	struct rt_scan_stats st;

	/* no containerd: nothing, and no error */
	ck_assert_int_eq(scan_host(d, 0, &f, &st), 0);
	ck_assert_uint_eq(f.n, 0);
	ck_assert_uint_eq(st.unreadable + st.malformed, 0);
	ck_assert_str_eq(st.first_error, "");
	unit_rmtree(d);
	free(d);
	/* the sink's non-zero return stops the scan and is returned */
	ck_assert_int_eq(scan_host(unit_fixture(FIX), 0, &f, &st), 7);
	ck_assert_uint_eq(f.n, 2);
	found_free(&f);
}
END_TEST

/* What nobody finds in a tree whose namespace directory is 0700 and a
 * status file 0600: 0 when as expected, else a number saying what not. */
static int
scan_as_nobody(const char *d)
{
	struct found f = { .n = 0 };
	struct rt_scan_stats st;
	int rc = 0;

	if (geteuid() == 0 && (setgroups(0, NULL) == -1 ||
	    setresgid(65534, 65534, 65534) == -1 ||
	    setresuid(65534, 65534, 65534) == -1))
		return 10;
	memset(&st, 0, sizeof(st));
	if (scan_host(d, 0, &f, &st) != 0)
		rc = 11;
	else if (st.unreadable != 2)
		rc = 12;
	else if (strstr(st.first_error, "Permission denied") == NULL)
		rc = 13;
	else if (by_id(&f, WEB) != NULL || by_id(&f, API) != NULL)
		rc = 14;
	else if (by_id(&f, SIDE) == NULL || by_id(&f, POD) == NULL)
		rc = 15;	/* the rest goes on */
	found_free(&f);
	return rc;
}

START_TEST(unreadable_dirs)
{
	char *d = copy_fixture(), path[PATH_MAX * 2];
	pid_t pid;
	int status;

	/* readable to all but what we close */
	snprintf(path, sizeof(path), "chmod -R a+rX '%s'", d);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/" TASKS "/" NS, d);
	ck_assert_int_eq(chmod(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/" CRIDIR "/" API "/status", d);
	ck_assert_int_eq(chmod(path, 0600), 0);
	if (geteuid() != 0) {
		/* ours: closed to us with mode 0 */
		snprintf(path, sizeof(path), "%s/" TASKS "/" NS, d);
		ck_assert_int_eq(chmod(path, 0), 0);
		snprintf(path, sizeof(path), "%s/" CRIDIR "/" API "/status",
		    d);
		ck_assert_int_eq(chmod(path, 0), 0);
	}
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(scan_as_nobody(d));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "as nobody: status %d", status);
	snprintf(path, sizeof(path), "chmod -R u+rwX '%s'", d);
	ck_assert_int_eq(system(path), 0);
	unit_rmtree(d);
	free(d);
}
END_TEST

START_TEST(watch_paths)
{
	char (*paths)[PATH_MAX] = calloc(16, PATH_MAX), want[PATH_MAX];
	struct rt_config cfg;
	size_t n, i, hit;

	ck_assert_ptr_nonnull(paths);
	rt_config_default(&cfg);
	cfg.host = unit_fixture(FIX);
	n = rt_containerd_watch(&cfg, paths, 16);
	/* tasks, CRI containers, 2 namespaces, 2 CRI container dirs */
	ck_assert_uint_eq(n, 6);
	snprintf(want, sizeof(want), "%s/" TASKS, cfg.host);
	ck_assert_str_eq(paths[0], want);
	snprintf(want, sizeof(want), "%s/" CRIDIR, cfg.host);
	ck_assert_str_eq(paths[1], want);
	for (i = 2, hit = 0; i < n; i++) {
		snprintf(want, sizeof(want), "%s/" TASKS "/" NS, cfg.host);
		hit += strcmp(paths[i], want) == 0;
		snprintf(want, sizeof(want), "%s/" TASKS "/k8s.io", cfg.host);
		hit += strcmp(paths[i], want) == 0;
		snprintf(want, sizeof(want), "%s/" CRIDIR "/" API, cfg.host);
		hit += strcmp(paths[i], want) == 0;
		snprintf(want, sizeof(want), "%s/" CRIDIR "/" SIDE, cfg.host);
		hit += strcmp(paths[i], want) == 0;
	}
	ck_assert_uint_eq(hit, 4);
	/* never more than asked */
	ck_assert_uint_eq(rt_containerd_watch(&cfg, paths, 3), 3);
	ck_assert_uint_eq(rt_containerd_watch(&cfg, paths, 0), 0);
	free(paths);
}
END_TEST

/* ---- rt_oci ---- */

static int
oci(const char *json, struct cadv_ident *id, char *err, size_t errsz)
{
	static const char *allow[] = { "KEEP", "APP_*" };
	struct rt_config cfg;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 2;
	ident_init(id);
	return rt_oci_parse(json, strlen(json), &cfg, id, err, errsz);
}

START_TEST(oci_real_bundles)
{
	static struct cadv_ident id;
	char err[200], path[PATH_MAX], *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/" TASKS "/k8s.io/" SIDE
	    "/config.json", unit_fixture(FIX));
	buf = slurp(path, &len);
	ident_init(&id);
	ck_assert_int_eq(rt_oci_parse(buf, len, NULL, &id, err, sizeof(err)),
	    0);
	free(buf);
	ck_assert_str_eq(str(&id, CADV_IS_CGROUP), PODCG "/" SIDE);
	ck_assert_str_eq(str(&id, CADV_IS_CONTAINER_NAME), "side");
	ck_assert_str_eq(str(&id, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_str_eq(str(&id, CADV_IS_SANDBOX_ID), POD);
	ck_assert_str_eq(str(&id, CADV_IS_NETNS_OWNER), POD);
	ck_assert_str_eq(str(&id, CADV_IS_POD_NAME), PODNAME);
	ck_assert_str_eq(str(&id, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(str(&id, CADV_IS_POD_UID), PUID);
	/* a CRI spec's annotations are not labels; no cfg, no env */
	ck_assert_uint_eq(id.nlabels, 0);
	ck_assert_uint_eq(id.nenv, 0);
	ck_assert_str_eq(str(&id, CADV_IS_ID), "");
	ck_assert_int_eq(id.runtime, CADV_RT_UNKNOWN);

	snprintf(path, sizeof(path), "%s/" TASKS "/" NS "/" WEB
	    "/config.json", unit_fixture(FIX));
	buf = slurp(path, &len);
	ident_init(&id);
	ck_assert_int_eq(rt_oci_parse(buf, len, NULL, &id, err, sizeof(err)),
	    0);
	free(buf);
	ck_assert_uint_eq(id.nlabels, 2);
	ck_assert_str_eq(ident_label(&id, "app"), "api");
	ck_assert_uint_eq(id.flags, 0);
}
END_TEST

START_TEST(oci_edges)
{
	static struct cadv_ident id;
	char err[200];

	/* systemd cgroupsPath, as runc's systemd driver places it */
	ck_assert_int_eq(oci("{\"linux\":{\"cgroupsPath\":"
	    "\"system.slice:docker:abc\"}}", &id, err, sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_CGROUP), "/system.slice/docker-abc.scope");
	ck_assert_int_eq(oci("{\"linux\":{\"cgroupsPath\":"
	    "\"kubepods-burstable-pod1_2.slice:cri-containerd:ab\"}}", &id,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_CGROUP), "/kubepods.slice/"
	    "kubepods-burstable.slice/kubepods-burstable-pod1_2.slice/"
	    "cri-containerd-ab.scope");
	/* relative: below runc's own cgroup, which the spec does not say */
	ck_assert_int_eq(oci("{\"linux\":{\"cgroupsPath\":\"a/b\"}}", &id,
	    err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "neither absolute"));
	/* no linux section, no cgroupsPath, null: nothing set, no error */
	ck_assert_int_eq(oci("{\"ociVersion\":\"1.0.2\"}", &id, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_CGROUP), "");
	ck_assert_int_eq(oci("{\"linux\":{}}", &id, err, sizeof(err)), 0);
	ck_assert_int_eq(oci("{\"linux\":null,\"annotations\":null}", &id,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_CGROUP), "");
	/* cleaned as runc cleans it */
	ck_assert_int_eq(oci("{\"linux\":{\"cgroupsPath\":\"//a/./b/../c/\"}}",
	    &id, err, sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_CGROUP), "/a/c");
	/* junk, each refused with a message */
	{
		static const char *const junk[] = {
			"", "   ", "[]", "\"x\"", "42", "null", "{", "{}}",
			"{} x", "{\"linux\":[]}",
			"{\"linux\":{\"cgroupsPath\":7}}",
			"{\"linux\":{\"cgroupsPath\":\"\"}}",
			"{\"linux\":{\"cgroupsPath\":\"/\"}}",
			"{\"linux\":{\"cgroupsPath\":\"/..\"}}",
			"{\"linux\":{\"cgroupsPath\":\"/a\\u0000b\"}}",
			"{\"linux\":{\"cgroupsPath\":\"a.slice:p:n:x\"}}",
			"{\"linux\":{\"cgroupsPath\":\"a-.slice:p:n\"}}",
			"{\"linux\":{\"cgroupsPath\":\"a.scope:p:n\"}}",
			"{\"linux\":{\"cgroupsPath\":\".slice:p:n\"}}",
			"{\"linux\":{\"cgroupsPath\":\"a.slice:p/q:n\"}}",
			"{\"linux\":{\"cgroupsPath\":\"a.slice:p:\"}}",
			"{\"annotations\":[\"a\"]}",
			"\xff\xfe{}",
		};
		size_t i;

		for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
			err[0] = '\0';
			ck_assert_msg(oci(junk[i], &id, err, sizeof(err)) ==
			    -1, "took %s", junk[i]);
			ck_assert_msg(err[0] != '\0', "no message for %s",
			    junk[i]);
		}
	}
	/* a NUL byte inside the input */
	ident_init(&id);
	ck_assert_int_eq(rt_oci_parse(S("{}\0{}"), NULL, &id, err,
	    sizeof(err)), -1);
	/* labels: strings only, a NUL in one skips it; env: the
	 * allow-list, "=" needed, the first '=' splits */
	ck_assert_int_eq(oci("{\"annotations\":{\"a\":\"1\",\"n\":2,"
	    "\"z\":\"x\\u0000y\",\"\":\"e\"},\"process\":{\"env\":[\"KEEP=a=b\","
	    "\"KEEPX=no\",\"APP_1=yes\",\"APP_\",\"=v\",3,\"SECRET=s\"]}}",
	    &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id.nlabels, 1);
	ck_assert_str_eq(ident_label(&id, "a"), "1");
	ck_assert_uint_eq(id.nenv, 2);
	ck_assert_str_eq(env(&id, "KEEP"), "a=b");
	ck_assert_str_eq(env(&id, "APP_1"), "yes");
	/* CRI: sandbox flag, no netns owner for the sandbox itself */
	ck_assert_int_eq(oci("{\"annotations\":{"
	    "\"io.kubernetes.cri.container-type\":\"sandbox\","
	    "\"io.kubernetes.cri.sandbox-id\":\"s1\",\"x\":\"y\"}}", &id, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(id.flags, CADV_IDF_SANDBOX);
	ck_assert_str_eq(str(&id, CADV_IS_SANDBOX_ID), "s1");
	ck_assert_str_eq(str(&id, CADV_IS_NETNS_OWNER), "");
	ck_assert_uint_eq(id.nlabels, 0);
	/* a CRI field of the wrong type is skipped */
	ck_assert_int_eq(oci("{\"annotations\":{"
	    "\"io.kubernetes.cri.container-type\":\"container\","
	    "\"io.kubernetes.cri.sandbox-id\":5,"
	    "\"io.kubernetes.cri.container-name\":\"c\"}}", &id, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(id.flags, 0);
	ck_assert_str_eq(str(&id, CADV_IS_CONTAINER_NAME), "c");
	ck_assert_str_eq(str(&id, CADV_IS_NETNS_OWNER), "");
}
END_TEST

START_TEST(oci_many_labels)
{
	static struct cadv_ident id;
	char err[200], *json, *p;
	size_t i, cap = 600 * 1100;

	/* more labels and bytes than an ident holds: the rest dropped */
	json = malloc(cap);
	ck_assert_ptr_nonnull(json);
	p = json + sprintf(json, "{\"annotations\":{");
	for (i = 0; i < 600; i++) {
		p += sprintf(p, "%s\"k%zu\":\"", i ? "," : "", i);
		memset(p, 'v', 1000);
		p += 1000;
		*p++ = '"';
	}
	strcpy(p, "}}");
	ident_init(&id);
	ck_assert_int_eq(rt_oci_parse(json, strlen(json), NULL, &id, err,
	    sizeof(err)), 0);
	ck_assert_uint_gt(id.nlabels, 10);
	ck_assert_uint_le(id.nlabels, IDENT_KV_MAX);
	ck_assert_uint_le(id.used, IDENT_ARENA);
	free(json);
}
END_TEST

START_TEST(cgroup_paths)
{
	static const struct {
		const char *in, *out;	/* out NULL: refused */
	} t[] = {
		{ "/kubepods/besteffort/podu/c", "/kubepods/besteffort/podu/c" },
		{ "/a//b/", "/a/b" },
		{ "/a/../../b", "/b" },
		{ "/a:b:c", "/a:b:c" },
		{ "system.slice:docker:abc", "/system.slice/docker-abc.scope" },
		{ ":cri-containerd:abc",
		    "/system.slice/cri-containerd-abc.scope" },
		{ "-.slice:p:n", "/p-n.scope" },
		{ "a-b-c.slice:p:n",
		    "/a.slice/a-b.slice/a-b-c.slice/p-n.scope" },
		{ "a.slice:p:x.slice", "/a.slice/x.slice" },
		{ "a.slice::n", "/a.slice/-n.scope" },
		{ "rel", NULL },
		{ "rel/a", NULL },
		{ "a--b.slice:p:n", NULL },
		{ "-a.slice:p:n", NULL },
		{ "a.slice:p", NULL },
		{ "/", NULL },
		{ "///", NULL },
	};
	char out[CGNAME_MAX], err[200], big[CGNAME_MAX + 10];
	size_t i, ol;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = rt_oci_cgroup(t[i].in, strlen(t[i].in), out, &ol, err,
		    sizeof(err));
		if (t[i].out == NULL) {
			ck_assert_msg(rc == -1, "took %s as %s", t[i].in, out);
			continue;
		}
		ck_assert_msg(rc == 0, "%s: %s", t[i].in, err);
		ck_assert_str_eq(out, t[i].out);
		ck_assert_uint_eq(ol, strlen(t[i].out));
	}
	/* longer than any cgroup name */
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	ck_assert_int_eq(rt_oci_cgroup(big, sizeof(big), out, &ol, err,
	    sizeof(err)), -1);
	memcpy(big, "a.slice:p:", 10);
	ck_assert_int_eq(rt_oci_cgroup(big, sizeof(big), out, &ol, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(pod_cgroups)
{
	static const struct {
		const char *cg, *parent;	/* parent NULL: not a pod's */
	} t[] = {
		{ "/kubepods/besteffort/podU-1/c", "/kubepods/besteffort/podU-1" },
		{ "/kubepods/burstable/podU-1/c", "/kubepods/burstable/podU-1" },
		{ "/kubepods/podU-1/c", "/kubepods/podU-1" },
		{ "/root/kubepods/podU-1/c", "/root/kubepods/podU-1" },
		{ "/kubepods.slice/kubepods-besteffort.slice/"
		    "kubepods-besteffort-podU_1.slice/cri-containerd-c.scope",
		    "/kubepods.slice/kubepods-besteffort.slice/"
		    "kubepods-besteffort-podU_1.slice" },
		{ "/kubepods.slice/kubepods-podU_1.slice/c.scope",
		    "/kubepods.slice/kubepods-podU_1.slice" },
		{ "/kubepods/guaranteed/podU-1/c", NULL },
		{ "/other/podU-1/c", NULL },
		{ "/podU-1/c", NULL },
		{ "/kubepods/besteffort/podU-2/c", NULL },
		{ "/kubepods/besteffort/podU-1", NULL },
		{ "/besteffort/podU-1/c", NULL },
		{ "/x/besteffort/podU-1/c", NULL },
		{ "/kubepods.slice/kubepods-podU-1.slice/c.scope", NULL },
		{ "c", NULL },
		{ "/", NULL },
	};
	size_t i, pl;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pl = 0;
		rc = rt_pod_cgroup(t[i].cg, strlen(t[i].cg), "U-1", 3, &pl);
		if (t[i].parent == NULL)
			ck_assert_msg(rc == 0, "took %s", t[i].cg);
		else {
			ck_assert_msg(rc == 1, "refused %s", t[i].cg);
			ck_assert_msg(pl == strlen(t[i].parent) &&
			    memcmp(t[i].cg, t[i].parent, pl) == 0, "%s: %zu",
			    t[i].cg, pl);
		}
	}
	ck_assert_int_eq(rt_pod_cgroup(S("/kubepods/pod/c"), "", 0, &pl), 0);
	ck_assert_int_eq(rt_pod_cgroup(S("/kubepods/poda/b/c"), "a/b", 3, &pl),
	    0);
}
END_TEST

/* ---- CRI status, metadata, protobuf Any, Go time ---- */

START_TEST(cri_status_files)
{
	static struct cadv_ident id;
	char err[200];
	static const char *const junk[] = {
		"", "[]", "{\"Pid\":\"1\"}", "{\"CreatedAt\":1.5}",
		"{\"FinishedAt\":true}", "{\"ExitCode\":[]}", "{} {}",
	};
	size_t i;

	ident_init(&id);
	ck_assert_int_eq(rt_cri_status_parse(S("{\"Pid\":7,\"CreatedAt\":10,"
	    "\"StartedAt\":20,\"FinishedAt\":0,\"ExitCode\":0,"
	    "\"Reason\":\"OOMKilled\"}"), &id, err, sizeof(err)), 0);
	/* a reason without a finish is not an exit */
	ck_assert_uint_eq(id.flags, 0);
	ck_assert_uint_eq(id.pid, 7);
	ck_assert_uint_eq(id.created_ns, 10);
	ck_assert_uint_eq(id.started_ns, 20);
	ident_init(&id);
	ck_assert_int_eq(rt_cri_status_parse(S("{\"FinishedAt\":30,"
	    "\"ExitCode\":-1,\"Reason\":\"Error\",\"Pid\":-5,"
	    "\"CreatedAt\":-1}"), &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id.flags, CADV_IDF_EXITED);
	ck_assert_int_eq(id.exit_code, -1);
	ck_assert_uint_eq(id.finished_ns, 30);
	ck_assert_uint_eq(id.pid, 0);
	ck_assert_uint_eq(id.created_ns, 0);
	ident_init(&id);
	ck_assert_int_eq(rt_cri_status_parse(S("{\"FinishedAt\":30,"
	    "\"ExitCode\":99999999999,\"Reason\":\"OOMKilled\"}"), &id, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(id.flags, CADV_IDF_EXITED | CADV_IDF_OOM_KILLED);
	ck_assert_int_eq(id.exit_code, INT32_MAX);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		err[0] = '\0';
		ident_init(&id);
		ck_assert_msg(rt_cri_status_parse(junk[i], strlen(junk[i]),
		    &id, err, sizeof(err)) == -1, "took %s", junk[i]);
		ck_assert_str_ne(err, "");
	}
}
END_TEST

/* The CRI extension of API as meta.db holds it, through the bbolt
 * reader: a protobuf Any around JSON. */
START_TEST(cri_meta_from_metadb)
{
	static struct cadv_ident id;
	const char *path[] = { "v1", "k8s.io", "containers", API,
	    "extensions" };
	struct bolt *b;
	struct bolt_bucket bk;
	const void *v, *any;
	size_t vl, al;
	uint64_t ns;
	char err[256], file[PATH_MAX];

	snprintf(file, sizeof(file), "%s/" METADB, unit_fixture(FIX));
	ck_assert_int_eq(bolt_open(&b, file, RT_CTRD_META_MAX, err,
	    sizeof(err)), BOLT_OK);
	ck_assert_int_eq(bolt_path(b, &bk, 5, path), BOLT_OK);
	ck_assert_int_eq(bolt_get(b, &bk,
	    S("io.cri-containerd.container.metadata"), &v, &vl), BOLT_OK);
	ck_assert_int_eq(rt_pb_any_value(v, vl, &any, &al), 0);
	ck_assert_uint_gt(al, 100);
	ck_assert_int_eq(((const char *)any)[0], '{');
	/* every shorter prefix is refused or shorter, never read past */
	for (size_t cut = 0; cut < vl; cut++) {
		const void *a2;
		size_t l2;

		if (rt_pb_any_value(v, cut, &a2, &l2) == 0)
			ck_assert_uint_le((const char *)a2 + l2 -
			    (const char *)v, cut);
	}
	ident_init(&id);
	ck_assert_int_eq(rt_cri_meta_parse(any, al, 0, NULL, &id, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_CONTAINER_NAME), "api");
	ck_assert_str_eq(str(&id, CADV_IS_SANDBOX_ID), POD);
	ck_assert_str_eq(str(&id, CADV_IS_NETNS_OWNER), POD);
	ck_assert_str_eq(str(&id, CADV_IS_POD_NAME), PODNAME);
	ck_assert_str_eq(str(&id, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(str(&id, CADV_IS_POD_UID), PUID);
	ck_assert_str_eq(str(&id, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_uint_eq(id.restart_count, 0);

	/* the container's createdat: Go's MarshalBinary */
	path[4] = NULL;
	ck_assert_int_eq(bolt_path(b, &bk, 4, path), BOLT_OK);
	ck_assert_int_eq(bolt_get(b, &bk, S("createdat"), &v, &vl), BOLT_OK);
	ck_assert_int_eq(rt_go_time(v, vl, &ns), 0);
	ck_assert_uint_gt(ns, 1796147518000000000ull);
	ck_assert_uint_lt(ns, 1796147519000000000ull);
	bolt_close(b);
}
END_TEST

START_TEST(cri_meta_edges)
{
	static struct cadv_ident id;
	static const char *allow[] = { "E*" };
	struct rt_config cfg;
	char err[200];
	const char *sb = "{\"Version\":\"v1\",\"Metadata\":{\"ID\":\"s\","
	    "\"Config\":{\"metadata\":{\"name\":\"p\",\"uid\":\"u\","
	    "\"namespace\":\"n\",\"attempt\":2}}}}";
	const char *ctr = "{\"Metadata\":{\"SandboxID\":\"s\",\"Config\":{"
	    "\"metadata\":{\"name\":\"c\",\"attempt\":4294967296},"
	    "\"envs\":[{\"key\":\"E1\",\"value\":\"v\"},{\"key\":\"X\","
	    "\"value\":\"w\"},{\"key\":\"E2\"},7]}}}";
	static const char *const junk[] = { "{}", "{\"Metadata\":[]}", "[]",
	    "{\"Metadata\":{\"Config\":{\"metadata\":{\"attempt\":\"1\"}}}}" };
	size_t i;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 1;
	ident_init(&id);
	ck_assert_int_eq(rt_cri_meta_parse(sb, strlen(sb), 1, &cfg, &id, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_SANDBOX_ID), "s");
	ck_assert_str_eq(str(&id, CADV_IS_POD_NAME), "p");
	ck_assert_str_eq(str(&id, CADV_IS_POD_UID), "u");
	ck_assert_str_eq(str(&id, CADV_IS_POD_NAMESPACE), "n");
	ck_assert_str_eq(str(&id, CADV_IS_NETNS_OWNER), "");
	ck_assert_uint_eq(id.restart_count, 2);
	/* what the bundle said first stays */
	ident_init(&id);
	ident_set(&id, CADV_IS_CONTAINER_NAME, S("first"));
	ck_assert_int_eq(rt_cri_meta_parse(ctr, strlen(ctr), 0, &cfg, &id,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(str(&id, CADV_IS_CONTAINER_NAME), "first");
	ck_assert_str_eq(str(&id, CADV_IS_NETNS_OWNER), "s");
	ck_assert_uint_eq(id.restart_count, 0);	/* out of range */
	ck_assert_uint_eq(id.nenv, 1);
	ck_assert_str_eq(env(&id, "E1"), "v");
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		ident_init(&id);
		ck_assert_msg(rt_cri_meta_parse(junk[i], strlen(junk[i]), 0,
		    &cfg, &id, err, sizeof(err)) == -1, "took %s", junk[i]);
	}
}
END_TEST

START_TEST(protobuf_any)
{
	const void *v;
	size_t vl;
	/* type_url "t", value "{}", then an unknown varint field */
	static const unsigned char ok[] = { 0x0a, 1, 't', 0x12, 2, '{', '}',
	    0x18, 0x96, 0x01 };
	static const unsigned char trunc[] = { 0x0a, 5, 't' };
	static const unsigned char nolen[] = { 0x12 };
	static const unsigned char group[] = { 0x0b, 0x12, 0 };
	static const unsigned char novalue[] = { 0x0a, 1, 't' };
	static const unsigned char longvar[] = { 0x18, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	static const unsigned char field0[] = { 0x02, 0 };
	static const unsigned char fixed[] = { 0x21, 1, 2, 3, 4, 5, 6, 7, 8,
	    0x2d, 1, 2, 3, 4, 0x12, 0 };

	ck_assert_int_eq(rt_pb_any_value(ok, sizeof(ok), &v, &vl), 0);
	ck_assert_uint_eq(vl, 2);
	ck_assert_ptr_eq(v, ok + 5);
	ck_assert_int_eq(rt_pb_any_value(fixed, sizeof(fixed), &v, &vl), 0);
	ck_assert_uint_eq(vl, 0);
	ck_assert_int_eq(rt_pb_any_value(trunc, sizeof(trunc), &v, &vl), -1);
	ck_assert_int_eq(rt_pb_any_value(nolen, sizeof(nolen), &v, &vl), -1);
	ck_assert_int_eq(rt_pb_any_value(group, sizeof(group), &v, &vl), -1);
	ck_assert_int_eq(rt_pb_any_value(novalue, sizeof(novalue), &v, &vl),
	    -1);
	ck_assert_int_eq(rt_pb_any_value(longvar, sizeof(longvar), &v, &vl),
	    -1);
	ck_assert_int_eq(rt_pb_any_value(field0, sizeof(field0), &v, &vl),
	    -1);
	ck_assert_int_eq(rt_pb_any_value("", 0, &v, &vl), -1);
}
END_TEST

START_TEST(go_times)
{
	/* 2026-12-01T17:51:16.769968300Z as meta.db wrote it */
	static const unsigned char v1[] = { 1, 0, 0, 0, 0x0e, 0xe2, 0xa0, 0xff,
	    0x4c, 0x2d, 0xe4, 0xc8, 0xac, 0xff, 0xff };
	unsigned char b[16];
	uint64_t ns;

	ck_assert_int_eq(rt_go_time(v1, sizeof(v1), &ns), 0);
	ck_assert_uint_eq(ns, 1796147276769968300ull);
	/* version 2 carries a seconds offset byte more */
	memcpy(b, v1, 15);
	b[0] = 2;
	b[15] = 0;
	ck_assert_int_eq(rt_go_time(b, 16, &ns), 0);
	ck_assert_uint_eq(ns, 1796147276769968300ull);
	ck_assert_int_eq(rt_go_time(b, 15, &ns), -1);
	ck_assert_int_eq(rt_go_time(v1, 14, &ns), -1);
	ck_assert_int_eq(rt_go_time(v1, 0, &ns), -1);
	/* Go's zero time, nanoseconds out of range, a huge year */
	memset(b, 0, sizeof(b));
	b[0] = 1;
	ck_assert_int_eq(rt_go_time(b, 15, &ns), -1);
	memcpy(b, v1, 15);
	b[9] = 0x3b;
	b[10] = 0x9a;
	b[11] = 0xca;
	b[12] = 0x00;	/* 1e9 */
	ck_assert_int_eq(rt_go_time(b, 15, &ns), -1);
	memcpy(b, v1, 15);
	b[1] = 0x7f;
	ck_assert_int_eq(rt_go_time(b, 15, &ns), -1);
	b[1] = 0xff;
	ck_assert_int_eq(rt_go_time(b, 15, &ns), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rt_containerd");
	TCase *tc = tcase_create("rt_containerd");

	tcase_add_test(tc, fixture_every_field);
	tcase_add_test(tc, fixture_without_meta);
	tcase_add_test(tc, meta_labels_win);
	tcase_add_test(tc, damaged_tree);
	tcase_add_test(tc, absent_and_stopping);
	tcase_add_test(tc, unreadable_dirs);
	tcase_add_test(tc, watch_paths);
	tcase_add_test(tc, oci_real_bundles);
	tcase_add_test(tc, oci_edges);
	tcase_add_test(tc, oci_many_labels);
	tcase_add_test(tc, cgroup_paths);
	tcase_add_test(tc, pod_cgroups);
	tcase_add_test(tc, cri_status_files);
	tcase_add_test(tc, cri_meta_from_metadb);
	tcase_add_test(tc, cri_meta_edges);
	tcase_add_test(tc, protobuf_any);
	tcase_add_test(tc, go_times);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
