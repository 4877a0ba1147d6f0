/* podman and CRI-O sources (rt_cstorage.h): scans over fixture trees
 * (tests/fixtures/runtimes/podman: captured from podman 4.3 here, see its
 * capture.sh; .../crio: made to CRI-O's format, see its README), and the
 * parsers on malformed input. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt_cstorage.h"
#include "rtutil.h"
#include "unit.h"

#define MAXIDS	16

/* what a scan reported, copied */
struct got {
	struct cadv_ident	ids[MAXIDS];
	size_t		n;
	int		stop_at;	/* the sink returns 7 at this one */
};

static int
collect(void *arg, const struct cadv_ident *id)
{
	struct got *g = arg;

	ck_assert_uint_lt(g->n, MAXIDS);
	g->ids[g->n++] = *id;
	if (g->stop_at > 0 && (int)g->n == g->stop_at)
		return 7;
	return 0;
}

static const struct cadv_ident *
by_id(const struct got *g, const char *id)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(ident_get(&g->ids[i], CADV_IS_ID, NULL), id) == 0)
			return &g->ids[i];
	ck_abort_msg("no identity %s", id);
	return NULL;
}

static const char *
env_of(const struct cadv_ident *id, const char *k)
{
	uint32_t i;

	for (i = 0; i < id->nenv; i++)
		if (strcmp(ident_span_str(id, id->env[i].k), k) == 0)
			return ident_span_str(id, id->env[i].v);
	return NULL;
}

#define S(id, which)	ident_get((id), (which), NULL)
/* a string literal and its length */
#define L(s)		(s), (sizeof(s) - 1)

static void
config(struct rt_config *cfg, const char *host, const char *const *env,
    size_t nenv)
{
	rt_config_default(cfg);
	cfg->host = host;
	cfg->env_allow = env;
	cfg->nenv_allow = nenv;
}

/* ---- podman, captured ---- */

#define P_WEB	"b2e67d76710d54befd2a046112b0073ce5e0c0c331fac89fd97c617e945aac2b"
#define P_OOM	"cb07a38f6713fe0cf0a4354480d499ba4a6d21db9544668a66bd016ac01a5048"
#define P_DONE	"9b7687c2885a6aecaf89a70f289bb2ac5a2046d20b3c686ef65638bb80dbd438"
#define P_INFRA	"a8cc37b35d49b2a3a4ca01e06e9706c5cd9e81a70eeaae0eee79f2f2647568e8"
#define P_API	"b7ad1b81df1b3fe572b1137ff325d094f6da1d7ad443e62ad7f7a22a7f00c26d"
#define P_POD	"6c58ba6bf0419acdb7d5b0e4b408a208a3cd5d862dfb50fa48888eaab04c99b1"
#define P_CGP	"/cadvtest-fixture-7898"

START_TEST(podman_fixture)
{
	static const char *const env[] = { "FOO" };
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	const struct cadv_ident *id;

	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, unit_fixture("runtimes/podman"), env, 1);
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	ck_assert_str_eq(st.first_error, "");
	ck_assert_uint_eq(st.unreadable, 0);
	ck_assert_uint_eq(st.malformed, 0);
	ck_assert_uint_eq(st.found, 6);
	ck_assert_uint_eq(g.n, 6);

	/* running, renamed from web0, labels, one allow-listed variable */
	id = by_id(&g, P_WEB);
	ck_assert_int_eq(id->runtime, CADV_RT_PODMAN);
	ck_assert_str_eq(S(id, CADV_IS_NAME), "web1");
	ck_assert_str_eq(S(id, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), P_CGP "/libpod-" P_WEB);
	ck_assert_uint_eq(id->nlabels, 2);
	ck_assert_str_eq(ident_label(id, "app"), "web");
	ck_assert_str_eq(ident_label(id, "tier"), "front");
	ck_assert_uint_eq(id->nenv, 1);
	ck_assert_str_eq(env_of(id, "FOO"), "bar");
	ck_assert_ptr_null(env_of(id, "SECRET"));
	ck_assert_uint_eq(id->created_ns, 1796147644592825531ULL);
	ck_assert_uint_eq(id->started_ns, 1796147644735535751ULL);
	ck_assert_uint_eq(id->finished_ns, 0);
	ck_assert_uint_eq(id->pid, 7993);
	ck_assert_uint_eq(id->flags, 0);
	ck_assert_str_eq(S(id, CADV_IS_POD_NAME), "");
	ck_assert_str_eq(S(id, CADV_IS_NETNS_OWNER), "");

	/* OOM-killed: podman 4.3 here records the exit, not the OOM */
	id = by_id(&g, P_OOM);
	ck_assert_str_eq(S(id, CADV_IS_NAME), "oom1");
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), "");
	ck_assert_uint_eq(id->flags, CADV_IDF_EXITED);
	ck_assert_int_eq(id->exit_code, 137);
	ck_assert_uint_eq(id->finished_ns, 1796147645016983024ULL);
	ck_assert_uint_eq(id->pid, 0);
	ck_assert_uint_eq(id->nlabels, 0);

	id = by_id(&g, P_DONE);
	ck_assert_str_eq(S(id, CADV_IS_NAME), "done1");
	ck_assert_uint_eq(id->flags, CADV_IDF_EXITED);
	ck_assert_int_eq(id->exit_code, 3);
	ck_assert_uint_eq(id->started_ns, 1796147645221758149ULL);
	ck_assert_uint_eq(id->finished_ns, 1796147645236983032ULL);

	/* the pod: its infra container owns the network namespace */
	id = by_id(&g, P_INFRA);
	ck_assert_str_eq(S(id, CADV_IS_NAME), "6c58ba6bf041-infra");
	ck_assert_str_eq(S(id, CADV_IS_IMAGE), "localhost/podman-pause:4.3.1-0");
	ck_assert_uint_eq(id->flags, CADV_IDF_SANDBOX);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), P_CGP "/" P_POD "/libpod-" P_INFRA);
	ck_assert_str_eq(S(id, CADV_IS_POD_NAME), "shop");
	ck_assert_str_eq(S(id, CADV_IS_POD_UID), P_POD);
	ck_assert_str_eq(S(id, CADV_IS_SANDBOX_ID), P_INFRA);
	ck_assert_str_eq(S(id, CADV_IS_NETNS_OWNER), "");
	ck_assert_uint_eq(id->pid, 8165);

	id = by_id(&g, P_API);
	ck_assert_str_eq(S(id, CADV_IS_NAME), "api");
	ck_assert_uint_eq(id->flags, 0);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), P_CGP "/" P_POD "/libpod-" P_API);
	ck_assert_str_eq(S(id, CADV_IS_POD_NAME), "shop");
	ck_assert_str_eq(S(id, CADV_IS_SANDBOX_ID), P_INFRA);
	ck_assert_str_eq(S(id, CADV_IS_NETNS_OWNER), P_INFRA);
	ck_assert_str_eq(ident_label(id, "tier"), "api");
	ck_assert_uint_eq(id->created_ns, 1796147645712412007ULL);

	/* the pod's own cgroup */
	id = by_id(&g, P_POD);
	ck_assert_uint_eq(id->flags, CADV_IDF_POD);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), P_CGP "/" P_POD);
	ck_assert_str_eq(S(id, CADV_IS_POD_NAME), "shop");
	ck_assert_str_eq(S(id, CADV_IS_SANDBOX_ID), P_INFRA);
}
END_TEST

START_TEST(podman_no_env_by_default)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	size_t i;

	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, unit_fixture("runtimes/podman"), NULL, 0);
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 6);
	for (i = 0; i < g.n; i++)
		ck_assert_uint_eq(g.ids[i].nenv, 0);
}
END_TEST

/* A copy of a fixture tree in a fresh directory. */
static char *
copy_fixture(const char *name)
{
	char *dir = unit_tmpdir(), cmd[2 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%s'", unit_fixture(name),
	    dir);
	ck_assert_int_eq(system(cmd), 0);
	return dir;
}

static void
path_in(char *out, size_t sz, const char *dir, const char *rel)
{
	ck_assert_int_lt(snprintf(out, sz, "%s/%s", dir, rel), (int)sz);
}

#define P_STORE	"var/lib/containers/storage"

/* podman 5 keeps its state in SQLite: containers.json and the bundles
 * still name what is running, without labels */
START_TEST(podman_without_bolt)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	const struct cadv_ident *id;
	char *dir = copy_fixture("runtimes/podman"), p[PATH_MAX];

	path_in(p, sizeof(p), dir, P_STORE "/libpod/bolt_state.db");
	ck_assert_int_eq(unlink(p), 0);
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, dir, NULL, 0);
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(st.unreadable + st.malformed, 0);
	/* the exited ones have no bundle in the fixture */
	ck_assert_uint_eq(g.n, 3);
	id = by_id(&g, P_WEB);
	ck_assert_str_eq(S(id, CADV_IS_NAME), "web1");
	ck_assert_str_eq(S(id, CADV_IS_IMAGE), "localhost/bb:1");
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), P_CGP "/libpod-" P_WEB);
	ck_assert_uint_eq(id->nlabels, 0);
	ck_assert_uint_ne(id->created_ns, 0);
	id = by_id(&g, P_API);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), P_CGP "/" P_POD "/libpod-" P_API);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

/* files that are not what they should be are counted, never followed or
 * waited on; a damaged bolt file is refused */
START_TEST(podman_damaged_files)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	char *dir = copy_fixture("runtimes/podman"), p[PATH_MAX];

	/* a bundle replaced by a symbolic link: not read */
	path_in(p, sizeof(p), dir, P_STORE "/overlay-containers/" P_WEB
	    "/userdata/config.json");
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(symlink("/etc/passwd", p), 0);
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, dir, NULL, 0);
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(st.malformed, 1);
	ck_assert_ptr_nonnull(strstr(st.first_error, "symbolic link"));
	ck_assert_uint_eq(g.n, 5);

	/* bolt_state.db cut short: refused as a whole */
	path_in(p, sizeof(p), dir, P_STORE "/libpod/bolt_state.db");
	ck_assert_int_eq(truncate(p, 12288), 0);
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 0);
	ck_assert_uint_eq(st.malformed, 1);

	/* a FIFO where bolt_state.db was, no writer: no hang */
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(st.malformed, 1);
	ck_assert_ptr_nonnull(strstr(st.first_error, "not a regular file"));
	unit_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(sink_stops_the_scan)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;

	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	g.stop_at = 2;
	config(&cfg, unit_fixture("runtimes/podman"), NULL, 0);
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 7);
	ck_assert_uint_eq(g.n, 2);
	memset(&g, 0, sizeof(g));
	g.stop_at = 1;
	config(&cfg, unit_fixture("runtimes/crio"), NULL, 0);
	ck_assert_int_eq(rt_crio_scan(&cfg, collect, &g, &st), 7);
	ck_assert_uint_eq(g.n, 1);
}
END_TEST

/* no store at all: the runtime is not here, and that is no error */
START_TEST(absent_runtime)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	char *dir = unit_tmpdir();

	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, dir, NULL, 0);
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	ck_assert_int_eq(rt_crio_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n + st.found + st.unreadable + st.malformed, 0);
	ck_assert_str_eq(st.first_error, "");
	unit_rmtree(dir);
	free(dir);
}
END_TEST

/* ---- CRI-O, made to its format ---- */

#define C_SB	"74d7640e4901a32b7c43ec277c2e6e2b39e9379dc32a1414bff37ae278e78c51"
#define C_API	"e199a331c5c23e44a0fb2589011675e2739282290c32fa383dea84fdae86d2a1"
#define C_PREV	"de64bdc805c5f5fb264832ca76f2585e4ec936278414c78219d029b38373db4a"
#define C_UID	"5b8e1c2a-7f3d-4e9b-a1c6-2d4f8e0b9a71"
#define C_SLICE	"/kubepods.slice/kubepods-burstable.slice/" \
		"kubepods-burstable-pod5b8e1c2a_7f3d_4e9b_a1c6_2d4f8e0b9a71.slice"
#define C_STORE	"var/lib/containers/storage"
#define C_RUN	"run/containers/storage"

static void
check_crio_api(const struct cadv_ident *id)
{
	ck_assert_int_eq(id->runtime, CADV_RT_CRIO);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), C_SLICE "/crio-" C_API ".scope");
	ck_assert_str_eq(S(id, CADV_IS_NAME), "k8s_api_api-xyz_shop_" C_UID "_1");
	ck_assert_str_eq(S(id, CADV_IS_IMAGE), "registry.example/shop/api:1.4");
	ck_assert_str_eq(S(id, CADV_IS_POD_NAME), "api-xyz");
	ck_assert_str_eq(S(id, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(S(id, CADV_IS_POD_UID), C_UID);
	ck_assert_str_eq(S(id, CADV_IS_CONTAINER_NAME), "api");
	ck_assert_str_eq(S(id, CADV_IS_SANDBOX_ID), C_SB);
	ck_assert_str_eq(S(id, CADV_IS_NETNS_OWNER), C_SB);
	ck_assert_uint_eq(id->flags, 0);
	ck_assert_uint_eq(id->restart_count, 1);
	ck_assert_uint_eq(id->pid, 4242);
	ck_assert_uint_eq(id->created_ns, 1796030142100000001ULL);
	ck_assert_uint_eq(id->started_ns, 1796030142318554120ULL);
	ck_assert_uint_eq(id->nlabels, 4);
	ck_assert_str_eq(ident_label(id, "io.kubernetes.pod.name"), "api-xyz");
	ck_assert_str_eq(ident_label(id, "io.kubernetes.container.name"),
	    "api");
}

START_TEST(crio_fixture)
{
	static const char *const env[] = { "API_*" };
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	const struct cadv_ident *id;

	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, unit_fixture("runtimes/crio"), env, 1);
	ck_assert_int_eq(rt_crio_scan(&cfg, collect, &g, &st), 0);
	ck_assert_str_eq(st.first_error, "");
	ck_assert_uint_eq(st.found, 4);
	ck_assert_uint_eq(g.n, 4);

	/* the sandbox: no pause process (drop_infra_ctr), the cgroup CRI-O
	 * makes for it anyway */
	id = by_id(&g, C_SB);
	ck_assert_int_eq(id->runtime, CADV_RT_CRIO);
	ck_assert_uint_eq(id->flags, CADV_IDF_SANDBOX);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), C_SLICE "/crio-" C_SB);
	ck_assert_str_eq(S(id, CADV_IS_NAME), "k8s_POD_api-xyz_shop_" C_UID "_0");
	ck_assert_str_eq(S(id, CADV_IS_IMAGE), "registry.k8s.io/pause:3.9");
	ck_assert_str_eq(S(id, CADV_IS_POD_NAME), "api-xyz");
	ck_assert_str_eq(S(id, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(S(id, CADV_IS_POD_UID), C_UID);
	ck_assert_str_eq(S(id, CADV_IS_CONTAINER_NAME), "POD");
	ck_assert_str_eq(S(id, CADV_IS_SANDBOX_ID), C_SB);
	ck_assert_str_eq(S(id, CADV_IS_NETNS_OWNER), "");
	ck_assert_str_eq(ident_label(id, "app"), "api");
	ck_assert_str_eq(ident_label(id, "pod-template-hash"), "7d9f8b6c5d");
	ck_assert_uint_eq(id->nlabels, 6);
	ck_assert_uint_eq(id->nenv, 0);
	ck_assert_uint_eq(id->created_ns, 1796029960532870114ULL);

	id = by_id(&g, C_API);
	check_crio_api(id);
	ck_assert_uint_eq(id->nenv, 1);
	ck_assert_str_eq(env_of(id, "API_PORT"), "8080");
	ck_assert_ptr_null(env_of(id, "DB_PASSWORD"));

	/* the previous attempt, OOM-killed: its bundle still names the
	 * cgroup it had */
	id = by_id(&g, C_PREV);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), C_SLICE "/crio-" C_PREV ".scope");
	ck_assert_str_eq(S(id, CADV_IS_NAME), "k8s_api_api-xyz_shop_" C_UID "_0");
	ck_assert_uint_eq(id->flags, CADV_IDF_EXITED | CADV_IDF_OOM_KILLED);
	ck_assert_int_eq(id->exit_code, 137);
	ck_assert_uint_eq(id->finished_ns, 1796030139880219433ULL);
	ck_assert_uint_eq(id->restart_count, 0);
	ck_assert_uint_eq(id->pid, 0);
	ck_assert_str_eq(S(id, CADV_IS_CONTAINER_NAME), "api");

	/* the pod's cgroup, named after its sandbox */
	id = by_id(&g, C_UID);
	ck_assert_uint_eq(id->flags, CADV_IDF_POD);
	ck_assert_str_eq(S(id, CADV_IS_CGROUP), C_SLICE);
	ck_assert_str_eq(S(id, CADV_IS_POD_NAME), "api-xyz");
	ck_assert_str_eq(S(id, CADV_IS_POD_NAMESPACE), "shop");
	ck_assert_str_eq(S(id, CADV_IS_SANDBOX_ID), C_SB);
}
END_TEST

/* the graph root's copy of config.json gone: the run root's is read */
START_TEST(crio_runroot_copy)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;
	char *dir = copy_fixture("runtimes/crio"), p[PATH_MAX];

	path_in(p, sizeof(p), dir, C_STORE "/overlay-containers/" C_API
	    "/userdata/config.json");
	ck_assert_int_eq(unlink(p), 0);
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, dir, NULL, 0);
	ck_assert_int_eq(rt_crio_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 4);
	check_crio_api(by_id(&g, C_API));
	/* both gone: the container is skipped, silently (removed) */
	path_in(p, sizeof(p), dir, C_RUN "/overlay-containers/" C_API
	    "/userdata/config.json");
	ck_assert_int_eq(unlink(p), 0);
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_crio_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 3);
	ck_assert_uint_eq(st.unreadable + st.malformed, 0);
	/* a broken state.json: counted, the identity still reported */
	path_in(p, sizeof(p), dir, C_STORE "/overlay-containers/" C_PREV
	    "/userdata/state.json");
	ck_assert_int_eq(truncate(p, 40), 0);
	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_crio_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n, 3);
	ck_assert_uint_eq(st.malformed, 1);
	ck_assert_ptr_nonnull(strstr(st.first_error, "state.json"));
	unit_rmtree(dir);
	free(dir);
}
END_TEST

/* podman's store is not CRI-O's, and the other way round */
START_TEST(sources_keep_apart)
{
	static struct got g;
	struct rt_config cfg;
	struct rt_scan_stats st;

	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	config(&cfg, unit_fixture("runtimes/podman"), NULL, 0);
	ck_assert_int_eq(rt_crio_scan(&cfg, collect, &g, &st), 0);
	ck_assert_uint_eq(g.n + st.malformed + st.unreadable, 0);
	config(&cfg, unit_fixture("runtimes/crio"), NULL, 0);
	ck_assert_int_eq(rt_podman_scan(&cfg, collect, &g, &st), 0);
	/* no bolt_state.db there: containers.json, whose entries are all
	 * CRI-O's */
	ck_assert_uint_eq(g.n + st.malformed + st.unreadable, 0);
}
END_TEST

/* a CRI-O spec with a cgroupfs driver and a pause process: the
 * cgroupsPath as it is; a spoofed sandbox under cgroupfs */
START_TEST(crio_cgroupfs)
{
	static struct cadv_ident id;
	static const char spec[] = "{\"annotations\":{"
	    "\"io.kubernetes.cri-o.ContainerType\":\"sandbox\","
	    "\"io.kubernetes.cri-o.ContainerID\":\"" C_SB "\","
	    "\"io.kubernetes.cri-o.SandboxID\":\"" C_SB "\","
	    "\"io.kubernetes.cri-o.Name\":\"k8s_web_default_u1_0\","
	    "\"io.kubernetes.cri-o.ContainerName\":\"k8s_POD_web_default_u1_0\","
	    "\"io.kubernetes.cri-o.KubeName\":\"web\","
	    "\"io.kubernetes.cri-o.Namespace\":\"default\","
	    "\"io.kubernetes.cri-o.Metadata\":\"{\\\"name\\\":\\\"web\\\","
	    "\\\"uid\\\":\\\"u1\\\",\\\"namespace\\\":\\\"default\\\"}\","
	    "\"io.kubernetes.cri-o.CgroupParent\":\"/kubepods/besteffort/podu1\""
	    "%s},\"linux\":{\"cgroupsPath\":"
	    "\"/kubepods/besteffort/podu1/crio-" C_SB "\"}}";
	char buf[2048], err[256];

	/* no Labels annotation: the pod from KubeName, Namespace, Metadata */
	snprintf(buf, sizeof(buf), spec, "");
	ck_assert_int_eq(rt_crio_parse_config(buf, strlen(buf), NULL, &id, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(S(&id, CADV_IS_CGROUP),
	    "/kubepods/besteffort/podu1/crio-" C_SB);
	ck_assert_str_eq(S(&id, CADV_IS_NAME), "k8s_POD_web_default_u1_0");
	ck_assert_str_eq(S(&id, CADV_IS_POD_NAME), "web");
	ck_assert_str_eq(S(&id, CADV_IS_POD_NAMESPACE), "default");
	ck_assert_str_eq(S(&id, CADV_IS_POD_UID), "u1");
	ck_assert_uint_eq(id.flags, CADV_IDF_SANDBOX);
	snprintf(buf, sizeof(buf), spec,
	    ",\"io.kubernetes.cri-o.Spoofed\":\"true\"");
	ck_assert_int_eq(rt_crio_parse_config(buf, strlen(buf), NULL, &id, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(S(&id, CADV_IS_CGROUP),
	    "/kubepods/besteffort/podu1/crio-" C_SB);
}
END_TEST

/* ---- parsers on junk ---- */

static int
entry_cb(void *arg, const struct rt_cs_entry *e)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

START_TEST(malformed_containers_json)
{
	static const char *const docs[] = {
		"", "{}", "[", "[] x", "null", "\"[]\"",
	};
	static const char bad_entries[] = "[1,{},{\"id\":\"abc\"},"
	    "{\"id\":\"" P_WEB "\",\"names\":\"web\"},"
	    "{\"id\":\"" P_WEB "\",\"names\":[5]},"
	    "{\"id\":\"" P_WEB "\",\"metadata\":\"{not json\"},"
	    "{\"id\":\"" P_WEB "\",\"metadata\":\"{\\\"pod-id\\\":7}\"},"
	    "{\"id\":\"" P_WEB "\",\"created\":\"yesterday\"},"
	    "{\"id\":\"" P_WEB "\",\"names\":[\"ok\"],\"metadata\":"
	    "\"{\\\"image-name\\\":\\\"i\\\"}\"}]";
	char err[256];
	unsigned nbad;
	size_t i;
	int n;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		err[0] = '\0';
		n = 0;
		ck_assert_int_eq(rt_cs_parse_containers(docs[i],
		    strlen(docs[i]), entry_cb, &n, &nbad, err, sizeof(err)),
		    -1);
		ck_assert_str_ne(err, "");
		ck_assert_int_eq(n, 0);
	}
	n = 0;
	ck_assert_int_eq(rt_cs_parse_containers(bad_entries,
	    strlen(bad_entries), entry_cb, &n, &nbad, err, sizeof(err)), 0);
	ck_assert_uint_eq(nbad, 8);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(err, "entry 0"));
}
END_TEST

START_TEST(malformed_podman)
{
	static struct cadv_ident id;
	static const char *const configs[] = {
		"[]", "{}", "{\"id\":5}", "{\"id\":\"abc\"}",
		"{\"id\":\"" P_WEB "\",\"name\":[]}",
		"{\"id\":\"" P_WEB "\",\"labels\":[]}",
		"{\"id\":\"" P_WEB "\",\"labels\":{\"a\":1}}",
		"{\"id\":\"" P_WEB "\",\"pod\":\"xyz\"}",
		"{\"id\":\"" P_WEB "\",\"netNsCtr\":\"" P_WEB "0\"}",
		"{\"id\":\"" P_WEB "\",\"createdTime\":\"2026-02-30T00:00:00Z\"}",
		"{\"id\":\"" P_WEB "\",\"pause\":\"yes\"}",
		"{\"id\":\"" P_WEB "\",\"spec\":{\"process\":{\"env\":{}}}}",
		"{\"id\":\"" P_WEB "\",\"name\":\"a\\u0000b\"}",
	};
	static const char *const states[] = {
		"", "{}", "{\"state\":\"running\"}", "{\"state\":-1}",
		"{\"state\":3,\"pid\":-5}", "{\"state\":6,\"exitCode\":1e3}",
		"{\"state\":6,\"exitCode\":99999999999}",
		"{\"state\":6,\"exited\":1}",
		"{\"state\":3,\"startedTime\":\"2026-12-01 17:54:04Z\"}",
	};
	static const char *const pods[] = {
		"{\"id\":\"x\"}", "{\"name\":7}", "{\"InfraContainerID\":\"q\"}",
		"{\"cgroupPath\":{}}",
	};
	static const char *const bundles[] = {
		"{\"linux\":[]}", "{\"linux\":{\"cgroupsPath\":7}}",
		"{\"linux\":{\"cgroupsPath\":\"relative/path\"}}",
		"{\"linux\":{\"cgroupsPath\":\"a.slice:b\"}}",
		"{\"annotations\":[]}",
	};
	struct rt_podman_ctr ctr;
	struct rt_podman_pod pod;
	char err[256];
	size_t i;
	int live;

	for (i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(rt_podman_parse_config(configs[i],
		    strlen(configs[i]), NULL, &id, &ctr, err, sizeof(err)) ==
		    -1, "config %zu taken", i);
		ck_assert_str_ne(err, "");
	}
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		err[0] = '\0';
		ident_init(&id);
		ck_assert_msg(rt_podman_parse_state(states[i], strlen(states[i]),
		    &id, &live, err, sizeof(err)) == -1, "state %zu taken", i);
		ck_assert_str_ne(err, "");
	}
	for (i = 0; i < sizeof(pods) / sizeof(pods[0]); i++) {
		err[0] = '\0';
		memset(&pod, 0, sizeof(pod));
		ck_assert_msg(rt_podman_parse_pod(pods[i], strlen(pods[i]), &pod,
		    err, sizeof(err)) == -1, "pod %zu taken", i);
		ck_assert_str_ne(err, "");
	}
	for (i = 0; i < sizeof(bundles) / sizeof(bundles[0]); i++) {
		err[0] = '\0';
		ident_init(&id);
		ck_assert_msg(rt_podman_parse_bundle(bundles[i],
		    strlen(bundles[i]), NULL, &id, err, sizeof(err)) == -1,
		    "bundle %zu taken", i);
		ck_assert_str_ne(err, "");
	}
	/* a pod's cgroup that cannot be a name is dropped, not fatal */
	memset(&pod, 0, sizeof(pod));
	ck_assert_int_eq(rt_podman_parse_pod(L("{\"cgroupPath\":\"/a/../..\"}"),
	    &pod, err, sizeof(err)), 0);
	ck_assert_str_eq(pod.cgroup, "");
	ck_assert_int_eq(rt_podman_parse_pod(L("{\"cgroupPath\":"
	    "\"machine.slice/machine-libpod_pod_1.slice\"}"), &pod, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(pod.cgroup, "/machine.slice/machine-libpod_pod_1.slice");
	/* another runtime's bundle: 1, with its cgroup */
	ident_init(&id);
	ck_assert_int_eq(rt_podman_parse_bundle(L("{\"linux\":{\"cgroupsPath\":"
	    "\"/x/y\"}}"), NULL, &id, err, sizeof(err)), 1);
	ck_assert_str_eq(S(&id, CADV_IS_CGROUP), "/x/y");
	/* a restarted container is live whatever its last exit said */
	ident_init(&id);
	ck_assert_int_eq(rt_podman_parse_state(L("{\"state\":3,\"exited\":true,"
	    "\"exitCode\":1,\"pid\":9}"), &id, &live, err, sizeof(err)), 0);
	ck_assert_int_eq(live, 1);
	ck_assert_uint_eq(id.flags, 0);
	ck_assert_uint_eq(id.pid, 9);
	/* exited: a pid it still names is no longer the container's */
	ident_init(&id);
	ck_assert_int_eq(rt_podman_parse_state(L("{\"state\":6,\"exited\":"
	    "true,\"exitCode\":2,\"pid\":77,\"oomKilled\":true}"), &id,
	    &live, err, sizeof(err)), 0);
	ck_assert_int_eq(live, 0);
	ck_assert_uint_eq(id.pid, 0);
	ck_assert_uint_eq(id.flags, CADV_IDF_EXITED | CADV_IDF_OOM_KILLED);
	ck_assert_int_eq(id.exit_code, 2);
}
END_TEST

START_TEST(malformed_crio)
{
	static struct cadv_ident id;
	static const char *const bad[] = {
		"", "[]",
		"{\"annotations\":[]}",
		/* a type CRI-O does not write */
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":\"x\"}}",
		/* no ContainerID, a short one */
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"container\"}}",
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"container\",\"io.kubernetes.cri-o.ContainerID\":\"ab\"}}",
		/* no SandboxID */
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"container\",\"io.kubernetes.cri-o.ContainerID\":\"" C_API "\"}}",
		/* Labels that are not a JSON object of strings */
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"container\",\"io.kubernetes.cri-o.ContainerID\":\"" C_API "\","
		"\"io.kubernetes.cri-o.SandboxID\":\"" C_SB "\","
		"\"io.kubernetes.cri-o.Labels\":\"{\\\"a\\\":\"}}",
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"container\",\"io.kubernetes.cri-o.ContainerID\":\"" C_API "\","
		"\"io.kubernetes.cri-o.SandboxID\":\"" C_SB "\","
		"\"io.kubernetes.cri-o.Labels\":\"{\\\"a\\\":[]}\"}}",
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"container\",\"io.kubernetes.cri-o.ContainerID\":\"" C_API "\","
		"\"io.kubernetes.cri-o.SandboxID\":\"" C_SB "\","
		"\"io.kubernetes.cri-o.Created\":\"now\"}}",
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"container\",\"io.kubernetes.cri-o.ContainerID\":\"" C_API "\","
		"\"io.kubernetes.cri-o.SandboxID\":\"" C_SB "\"},"
		"\"linux\":{\"cgroupsPath\":\"::\"}}",
	};
	static const char *const states[] = {
		"{}", "{\"status\":1}", "{\"status\":\"stopped\",\"exitCode\":\"1\"}",
		"{\"status\":\"stopped\",\"finished\":\"0\"}",
		"{\"status\":\"running\",\"oomKilled\":\"true\"}",
	};
	char err[256];
	size_t i;
	int live;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(rt_crio_parse_config(bad[i], strlen(bad[i]), NULL,
		    &id, err, sizeof(err)) == -1, "spec %zu taken", i);
		ck_assert_str_ne(err, "");
	}
	/* not CRI-O's: podman's (it writes some cri-o annotations too), and a
	 * spec without them */
	ck_assert_int_eq(rt_crio_parse_config(L("{}"), NULL, &id, err,
	    sizeof(err)), 1);
	ck_assert_int_eq(rt_crio_parse_config(L("{\"annotations\":{"
	    "\"io.kubernetes.cri-o.ContainerType\":\"container\","
	    "\"io.container.manager\":\"libpod\"}}"), NULL, &id, err,
	    sizeof(err)), 1);
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		err[0] = '\0';
		ident_init(&id);
		ck_assert_msg(rt_crio_parse_state(states[i], strlen(states[i]),
		    &id, &live, err, sizeof(err)) == -1, "state %zu taken", i);
		ck_assert_str_ne(err, "");
	}
	/* stopped without an exit code: not known, so no CADV_IDF_EXITED */
	ident_init(&id);
	ck_assert_int_eq(rt_crio_parse_state(L("{\"status\":\"stopped\"}"),
	    &id, &live, err, sizeof(err)), 0);
	ck_assert_int_eq(live, 0);
	ck_assert_uint_eq(id.flags, 0);
}
END_TEST

START_TEST(times)
{
	uint64_t ns;

	ck_assert_int_eq(rt_time(L("2026-12-01T17:54:04.592825531Z"), &ns),
	    0);
	ck_assert_uint_eq(ns, 1796147644592825531ULL);
	ck_assert_int_eq(rt_time(L("1970-01-01T00:00:00Z"), &ns), 0);
	ck_assert_uint_eq(ns, 0);
	ck_assert_int_eq(rt_time(L("0001-01-01T00:00:00Z"), &ns), 0);
	ck_assert_uint_eq(ns, 0);
	ck_assert_int_eq(rt_time(L("1969-12-31T23:59:59.5Z"), &ns), 0);
	ck_assert_uint_eq(ns, 0);
	/* an offset; finer than nanoseconds dropped, as Go does */
	ck_assert_int_eq(rt_time(L("2026-12-01T19:54:04.5+02:00"), &ns), 0);
	ck_assert_uint_eq(ns, 1796147644500000000ULL);
	ck_assert_int_eq(rt_time(L("2026-12-01T17:54:04.1234567891Z"), &ns), 0);
	ck_assert_uint_eq(ns, 1796147644123456789ULL);
	ck_assert_int_eq(rt_time(L("2024-02-29T00:00:00Z"), &ns), 0);
	ck_assert_uint_eq(ns, 1709164800000000000ULL);
	ck_assert_int_eq(rt_time(L("2023-02-29T00:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(L("2026-13-01T00:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(L("2026-12-01T24:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(L("2026-12-01T17:54:04"), &ns), -1);
	ck_assert_int_eq(rt_time(L("2026-12-01T17:54:04.Z"), &ns), -1);
	ck_assert_int_eq(rt_time(L("2026-12-01T17:54:04Zx"), &ns), -1);
	ck_assert_int_eq(rt_time(L("2026-12-01T17:54:04+0200"), &ns), -1);
	ck_assert_int_eq(rt_time(L("+026-12-01T17:54:04Z"), &ns), -1);
	/* past what 64-bit nanoseconds hold */
	ck_assert_int_eq(rt_time(L("9999-12-31T23:59:59Z"), &ns), -1);
}
END_TEST

START_TEST(rootless_paths)
{
	char root[PATH_MAX], run[PATH_MAX];

	setenv("XDG_DATA_HOME", "/d", 1);
	setenv("XDG_RUNTIME_DIR", "/r", 1);
	ck_assert_int_eq(rt_cs_rootless_paths(root, sizeof(root), run,
	    sizeof(run)), 0);
	ck_assert_str_eq(root, "/d/containers/storage");
	ck_assert_str_eq(run, "/r/containers");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(rt_cs_rootless_paths(root, sizeof(root), run,
	    sizeof(run)), 0);
	ck_assert_str_eq(root, "/home/u/.local/share/containers/storage");
	ck_assert_int_eq(rt_cs_rootless_paths(root, 10, run, sizeof(run)), -1);
	/* the tests' own: no rootless store to find */
	setenv("XDG_DATA_HOME", "/nonexistent/cadv-unit", 1);
}
END_TEST

START_TEST(watch_paths)
{
	struct rt_config cfg;
	static char paths[16][PATH_MAX];
	size_t n, i, ud;

	config(&cfg, "/h", NULL, 0);
	n = rt_podman_watch(&cfg, paths, 16);
	ck_assert_uint_ge(n, 4);
	ck_assert_str_eq(paths[0], "/h/var/lib/containers/storage/libpod");
	ck_assert_str_eq(paths[1],
	    "/h/var/lib/containers/storage/libpod/bolt_state.db");
	ck_assert_str_eq(paths[2],
	    "/h/var/lib/containers/storage/overlay-containers");
	ck_assert_str_eq(paths[3], "/h/var/lib/containers/storage/"
	    "overlay-containers/containers.json");
	ck_assert_uint_eq(rt_podman_watch(&cfg, paths, 1), 1);
	/* CRI-O: the exits, the list, each container's userdata */
	config(&cfg, unit_fixture("runtimes/crio"), NULL, 0);
	n = rt_crio_watch(&cfg, paths, 16);
	ck_assert_uint_eq(n, 6);
	ck_assert_ptr_nonnull(strstr(paths[0], "/run/crio/exits"));
	for (i = 0, ud = 0; i < n; i++)
		if (strstr(paths[i], "/userdata") != NULL &&
		    (strstr(paths[i], C_SB) != NULL ||
		    strstr(paths[i], C_API) != NULL ||
		    strstr(paths[i], C_PREV) != NULL))
			ud++;
	ck_assert_uint_eq(ud, 3);
	ck_assert_uint_eq(rt_crio_watch(&cfg, paths, 2), 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rt_cstorage");
	TCase *tc = tcase_create("rt_cstorage");

	/* a rootless store of whoever runs this must not join the scans */
	setenv("XDG_DATA_HOME", "/nonexistent/cadv-unit", 1);
	tcase_add_test(tc, podman_fixture);
	tcase_add_test(tc, podman_no_env_by_default);
	tcase_add_test(tc, podman_without_bolt);
	tcase_add_test(tc, podman_damaged_files);
	tcase_add_test(tc, sink_stops_the_scan);
	tcase_add_test(tc, absent_runtime);
	tcase_add_test(tc, crio_fixture);
	tcase_add_test(tc, crio_runroot_copy);
	tcase_add_test(tc, sources_keep_apart);
	tcase_add_test(tc, crio_cgroupfs);
	tcase_add_test(tc, malformed_containers_json);
	tcase_add_test(tc, malformed_podman);
	tcase_add_test(tc, malformed_crio);
	tcase_add_test(tc, times);
	tcase_add_test(tc, rootless_paths);
	tcase_add_test(tc, watch_paths);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
