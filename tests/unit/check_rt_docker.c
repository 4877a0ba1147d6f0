/* The docker source over a fixture tree captured from a dockerd of our own
 * (tests/fixtures/runtimes/docker: a running container with its moby task
 * bundle, a stopped OOM-killed one), and its parsers over junk. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt_docker.h"
#include "rtutil.h"
#include "unit.h"

#define S(x) (x), (sizeof(x) - 1)
#define WEB "5723703ce7ff3adb9fd1c3f5add56badbdf50e403adf06d1af3355c41c02de68"
#define OOM "c34ae02f552e638fb539ce9bebb992f5e9ae905bba83ecaeb8b859aabee975cf"
#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"

struct found {
	size_t	n;
	struct cadv_ident ids[4];
	int	stop_at;	/* the sink's answer after so many, 0 never */
};

static int
collect(void *arg, const struct cadv_ident *id)
{
	struct found *f = arg;

	ck_assert_uint_lt(f->n, 4);
	memcpy(&f->ids[f->n++], id, sizeof(*id));
	return f->stop_at != 0 && (int)f->n >= f->stop_at ? 7 : 0;
}

static const struct cadv_ident *
by_id(const struct found *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(ident_get(&f->ids[i], CADV_IS_ID, NULL), id) == 0)
			return &f->ids[i];
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

static struct found *
scan_fixture(const char *const *allow, size_t nallow,
    struct rt_scan_stats *st)
{
	struct rt_config cfg;
	struct found *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	rt_config_default(&cfg);
	cfg.host = unit_fixture("runtimes/docker");
	cfg.env_allow = allow;
	cfg.nenv_allow = nallow;
	memset(st, 0, sizeof(*st));
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, st), 0);
	return f;
}

START_TEST(fixture_every_field)
{
	struct rt_scan_stats st;
	struct found *f = scan_fixture(NULL, 0, &st);
	const struct cadv_ident *w, *o;

	ck_assert_msg(st.unreadable == 0 && st.malformed == 0, "%s",
	    st.first_error);
	ck_assert_uint_eq(st.found, 2);
	ck_assert_uint_eq(f->n, 2);
	ck_assert_ptr_nonnull(w = by_id(f, WEB));
	ck_assert_ptr_nonnull(o = by_id(f, OOM));

	/* running: its cgroup from the moby task's bundle */
	ck_assert_int_eq(w->runtime, CADV_RT_DOCKER);
	ck_assert_str_eq(ident_get(w, CADV_IS_NAME, NULL), "dweb-10587");
	ck_assert_str_eq(ident_get(w, CADV_IS_IMAGE, NULL),
	    "cadvtest-h-docker/bb:1");
	ck_assert_str_eq(ident_get(w, CADV_IS_CGROUP, NULL),
	    "/cadvtest-h-docker-10587/" WEB);
	ck_assert_str_eq(ident_get(w, CADV_IS_RT_NAMESPACE, NULL), "moby");
	ck_assert_str_eq(ident_get(w, CADV_IS_NETNS_OWNER, NULL), "");
	ck_assert_str_eq(ident_get(w, CADV_IS_POD_NAME, NULL), "");
	ck_assert_uint_eq(w->nlabels, 2);
	ck_assert_str_eq(ident_label(w, "app"), "web");
	ck_assert_str_eq(ident_label(w, "odd"), "x\"y");
	ck_assert_uint_eq(w->nenv, 0);	/* none allowed */
	ck_assert_uint_eq(w->flags, 0);
	ck_assert_uint_eq(w->pid, 10787);
	ck_assert_uint_eq(w->restart_count, 0);
	ck_assert_uint_eq(w->created_ns, 1796147177979743691ULL);
	ck_assert_uint_eq(w->started_ns, 1796147178331443355ULL);
	ck_assert_uint_eq(w->finished_ns, 0);
	ck_assert_int_eq(w->exit_code, 0);

	/* stopped by an OOM kill: no task, so no cgroup; its exit */
	ck_assert_str_eq(ident_get(o, CADV_IS_NAME, NULL), "doom-10587");
	ck_assert_str_eq(ident_get(o, CADV_IS_IMAGE, NULL),
	    "cadvtest-h-docker/bb:1");
	ck_assert_str_eq(ident_get(o, CADV_IS_CGROUP, NULL), "");
	ck_assert_str_eq(ident_get(o, CADV_IS_RT_NAMESPACE, NULL), "");
	ck_assert_uint_eq(o->nlabels, 0);
	ck_assert_uint_eq(o->flags, CADV_IDF_EXITED | CADV_IDF_OOM_KILLED);
	ck_assert_int_eq(o->exit_code, 137);
	ck_assert_uint_eq(o->pid, 0);
	ck_assert_uint_eq(o->created_ns, 1796147178829145234ULL);
	ck_assert_uint_eq(o->started_ns, 1796147179161217149ULL);
	ck_assert_uint_eq(o->finished_ns, 1796147179193970929ULL);
	free(f);
}
END_TEST

START_TEST(fixture_env_allow_list)
{
	static const char *const exact[] = { "FOO", "PATH" };
	static const char *const prefix[] = { "SEC*" };
	struct rt_scan_stats st;
	struct found *f;
	const struct cadv_ident *w;

	f = scan_fixture(exact, 2, &st);
	ck_assert_ptr_nonnull(w = by_id(f, WEB));
	ck_assert_uint_eq(w->nenv, 1);	/* PATH is the image's, not here */
	ck_assert_str_eq(env_of(w, "FOO"), "bar");
	ck_assert_ptr_null(env_of(w, "SECRET"));
	free(f);
	f = scan_fixture(prefix, 1, &st);
	ck_assert_ptr_nonnull(w = by_id(f, WEB));
	ck_assert_uint_eq(w->nenv, 1);
	ck_assert_str_eq(env_of(w, "SECRET"), "s3");
	free(f);
}
END_TEST

START_TEST(fixture_watch)
{
	struct rt_config cfg;
	char (*paths)[PATH_MAX] = calloc(8, PATH_MAX);
	char want[PATH_MAX];
	size_t n, i;
	int dirs = 0;

	rt_config_default(&cfg);
	cfg.host = unit_fixture("runtimes/docker");
	n = rt_docker_watch(&cfg, paths, 8);
	ck_assert_uint_eq(n, 5);
	snprintf(want, sizeof(want), "%s/var/lib/docker/containers", cfg.host);
	ck_assert_str_eq(paths[0], want);
	snprintf(want, sizeof(want),
	    "%s/run/containerd/io.containerd.runtime.v2.task/moby", cfg.host);
	ck_assert_str_eq(paths[1], want);
	for (i = 3; i < n; i++) {
		snprintf(want, sizeof(want), "%s/var/lib/docker/containers/",
		    cfg.host);
		ck_assert_int_eq(strncmp(paths[i], want, strlen(want)), 0);
		dirs++;
	}
	ck_assert_int_eq(dirs, 2);
	/* never more than asked */
	ck_assert_uint_eq(rt_docker_watch(&cfg, paths, 2), 2);
	free(paths);
}
END_TEST

START_TEST(fixture_sink_stops)
{
	struct rt_config cfg;
	struct rt_scan_stats st;
	struct found *f = calloc(1, sizeof(*f));

	rt_config_default(&cfg);
	cfg.host = unit_fixture("runtimes/docker");
	f->stop_at = 1;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, &st), 7);
	ck_assert_uint_eq(f->n, 1);
	/* no docker at all: nothing, and no error */
	f->n = 0;
	memset(&st, 0, sizeof(st));
	cfg.host = "/nonexistent-cadv";
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, &st), 0);
	ck_assert_uint_eq(f->n + st.found + st.unreadable + st.malformed, 0);
	ck_assert_str_eq(st.first_error, "");
	free(f);
}
END_TEST

START_TEST(times)
{
	uint64_t ns;

	ck_assert_int_eq(rt_time(S("2026-12-01T17:46:18.331443355Z"),
	    &ns), 0);
	ck_assert_uint_eq(ns, 1796147178331443355ULL);
	ck_assert_int_eq(rt_time(S("0001-01-01T00:00:00Z"), &ns), 0);
	ck_assert_uint_eq(ns, 0);
	ck_assert_int_eq(rt_time(S("1970-01-01T00:00:01Z"), &ns), 0);
	ck_assert_uint_eq(ns, 1000000000ULL);
	ck_assert_int_eq(rt_time(S("1970-01-01T00:00:00.5Z"), &ns), 0);
	ck_assert_uint_eq(ns, 500000000ULL);
	/* digits past the ns are dropped, as Go does */
	ck_assert_int_eq(rt_time(S("1970-01-01T00:00:00.0000000019Z"),
	    &ns), 0);
	ck_assert_uint_eq(ns, 1);
	ck_assert_int_eq(rt_time(S("1970-01-01T02:00:00+02:00"), &ns),
	    0);
	ck_assert_uint_eq(ns, 0);
	ck_assert_int_eq(rt_time(S("1970-01-01T00:00:00-01:30"), &ns),
	    0);
	ck_assert_uint_eq(ns, 5400000000000ULL);
	ck_assert_int_eq(rt_time(S("2024-02-29T00:00:00Z"), &ns), 0);
	ck_assert_uint_eq(ns, 1709164800000000000ULL);
	/* before the epoch: unknown */
	ck_assert_int_eq(rt_time(S("1969-12-31T23:59:59Z"), &ns), 0);
	ck_assert_uint_eq(ns, 0);
	ck_assert_int_eq(rt_time(S("2554-07-21T23:34:33Z"), &ns), 0);
	ck_assert_int_eq(rt_time(S("2554-07-21T23:34:34Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("9999-12-31T23:59:59Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-02-29T00:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-13-01T00:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-01-01T24:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-01-01T00:00:60Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-01-01T00:00:00"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-01-01 00:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-01-01T00:00:00.Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-01-01T00:00:00Zx"), &ns), -1);
	ck_assert_int_eq(rt_time(S("2023-01-01T00:00:00+0100"), &ns),
	    -1);
	ck_assert_int_eq(rt_time(S("2023-01-01T00:00:00+24:00"), &ns),
	    -1);
	ck_assert_int_eq(rt_time(S("+023-01-01T00:00:00Z"), &ns), -1);
	ck_assert_int_eq(rt_time(S(""), &ns), -1);
}
END_TEST

static char err[256];

static int
config(const char *json, struct cadv_ident *id)
{
	static const char *const allow[] = { "A" };
	struct rt_config cfg;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 1;
	err[0] = '\0';
	return rt_docker_parse_config(json, strlen(json), &cfg, id, err,
	    sizeof(err));
}

START_TEST(config_minimal_and_nulls)
{
	static struct cadv_ident id;

	/* what a container just made has: nulls everywhere */
	ck_assert_int_eq(config("{\"ID\":\"" ID1 "\",\"Name\":null,"
	    "\"Config\":{\"Labels\":null,\"Env\":[null,\"A\",\"=x\","
	    "\"A=1=2\",\"B=3\"],\"Image\":null},\"State\":null,"
	    "\"Created\":null}", &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_ID, NULL), ID1);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NAME, NULL), "");
	ck_assert_str_eq(ident_get(&id, CADV_IS_IMAGE, NULL), "");
	ck_assert_uint_eq(id.nenv, 1);
	ck_assert_str_eq(env_of(&id, "A"), "1=2");
	ck_assert_uint_eq(id.flags, 0);
	/* a name without its '/' is kept whole; exited without a finish
	 * time is not CADV_IDF_EXITED */
	ck_assert_int_eq(config("{\"ID\":\"" ID1 "\",\"Name\":\"x\","
	    "\"State\":{\"Running\":false,\"ExitCode\":3,\"FinishedAt\":"
	    "\"0001-01-01T00:00:00Z\",\"Pid\":77},\"RestartCount\":4}",
	    &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NAME, NULL), "x");
	ck_assert_uint_eq(id.flags, 0);
	ck_assert_uint_eq(id.pid, 0);
	ck_assert_uint_eq(id.restart_count, 4);
	/* trailing white space is fine */
	ck_assert_int_eq(config("{\"ID\":\"" ID1 "\"}\n \n", &id), 0);
}
END_TEST

START_TEST(config_rejects_junk)
{
	static const char *const bad[] = {
		"", "{", "null", "[]", "\"x\"", "42", "{}",
		"{\"ID\":\"" ID1 "\"} {}",
		"{\"ID\":\"" ID1 "\"}x",
		"{\"ID\":42}",
		"{\"ID\":null}",
		"{\"ID\":\"abc\"}",
		"{\"ID\":\"" ID1 "0\"}",
		/* upper case is not docker's */
		"{\"ID\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAA\"}",
		"{\"ID\":\"" ID1 "\",\"Name\":7}",
		"{\"ID\":\"" ID1 "\",\"Name\":\"/a\\u0000b\"}",
		"{\"ID\":\"" ID1 "\",\"Config\":[]}",
		"{\"ID\":\"" ID1 "\",\"Config\":{\"Image\":{}}}",
		"{\"ID\":\"" ID1 "\",\"Config\":{\"Labels\":[\"a\"]}}",
		"{\"ID\":\"" ID1 "\",\"Config\":{\"Labels\":{\"a\":1}}}",
		"{\"ID\":\"" ID1 "\",\"Config\":{\"Labels\":{\"a\":{}}}}",
		"{\"ID\":\"" ID1 "\",\"Config\":{\"Env\":{}}}",
		"{\"ID\":\"" ID1 "\",\"Config\":{\"Env\":[1]}}",
		"{\"ID\":\"" ID1 "\",\"State\":[]}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"Running\":1}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"OOMKilled\":\"true\"}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"Pid\":\"1\"}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"Pid\":-1}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"Pid\":1.5}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"Pid\":2147483648}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"ExitCode\":"
		    "99999999999999999999}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"ExitCode\":"
		    "9223372036854775808}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"ExitCode\":-2147483649}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"StartedAt\":5}}",
		"{\"ID\":\"" ID1 "\",\"State\":{\"FinishedAt\":\"yesterday\"}}",
		"{\"ID\":\"" ID1 "\",\"Created\":\"2023-02-30T00:00:00Z\"}",
		"{\"ID\":\"" ID1 "\",\"RestartCount\":-1}",
		"{\"ID\":\"" ID1 "\",\"RestartCount\":4294967296}",
		"{\"ID\":\"" ID1 "\",\"RestartCount\":true}",
	};
	static struct cadv_ident id;
	char deep[200];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(config(bad[i], &id) == -1, "took %s", bad[i]);
		ck_assert_msg(strncmp(err, "config.v2.json: ", 16) == 0 &&
		    strlen(err) > 16, "%s: no message: %s", bad[i], err);
	}
	/* nesting past json-c's depth */
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	ck_assert_int_eq(config(deep, &id), -1);
	/* a NUL inside the buffer, and a buffer not NUL-ended */
	ck_assert_int_eq(rt_docker_parse_config("{\"ID\":\0}", 8, NULL, &id,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(rt_docker_parse_config("{\"ID\":\"" ID1 "\"}xxxx",
	    7 + 64 + 2, NULL, &id, err, sizeof(err)), 0);
	/* no room for a message is fine */
	ck_assert_int_eq(rt_docker_parse_config(S("{"), NULL, &id, NULL, 0),
	    -1);
}
END_TEST

START_TEST(config_odd_names)
{
	static struct cadv_ident id;
	static const char json[] = "{\"ID\":\"" ID1 "\",\"Name\":"
	    "\"/\\u0001d\\u00e9\xff\xfe\\\"/x\\n\",\"Config\":{\"Image\":"
	    "\"\\\\..\\/bb\",\"Labels\":{\"\xc3\x28\":\"\\t\"}}}";
	size_t len;
	const char *n;

	ck_assert_int_eq(rt_docker_parse_config(S(json), NULL, &id, err,
	    sizeof(err)), 0);
	n = ident_get(&id, CADV_IS_NAME, &len);
	/* bytes as they were (UTF-8 of U+00E9, invalid UTF-8 kept) */
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(memcmp(n, "\x01" "d\xc3\xa9\xff\xfe\"/x\n", 10), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_IMAGE, NULL), "\\../bb");
	ck_assert_str_eq(ident_label(&id, "\xc3\x28"), "\t");
	/* only one leading '/' goes */
	ck_assert_int_eq(config("{\"ID\":\"" ID1 "\",\"Name\":\"//\"}", &id),
	    0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NAME, NULL), "/");
}
END_TEST

START_TEST(config_huge_labels)
{
	static struct cadv_ident id;
	static char json[2 << 20];
	char big[IDENT_STR_MAX + 10];
	size_t off, i;

	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* pod fields come last in the document: still kept when 400
	 * labels of 3 KiB and one too long for an ident come first */
	off = (size_t)snprintf(json, sizeof(json), "{\"ID\":\"" ID2 "\","
	    "\"Name\":\"/k8s_POD_web-0_shop_u1_0\",\"Config\":{\"Image\":"
	    "\"img\",\"Env\":[\"A=1\"],\"Labels\":{\"toolong\":\"%s\"", big);
	for (i = 0; i < 400; i++)
		off += (size_t)snprintf(json + off, sizeof(json) - off,
		    ",\"l%03zu\":\"%.3000s\"", i, big);
	off += (size_t)snprintf(json + off, sizeof(json) - off,
	    ",\"io.kubernetes.pod.name\":\"web-0\","
	    "\"io.kubernetes.pod.namespace\":\"shop\","
	    "\"io.kubernetes.pod.uid\":\"u1\","
	    "\"io.kubernetes.container.name\":\"POD\","
	    "\"io.kubernetes.docker.type\":\"podsandbox\"}}}");
	ck_assert_uint_lt(off, sizeof(json) - 1);
	ck_assert_int_eq(config(json, &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_ID, NULL), ID2);
	ck_assert_str_eq(ident_get(&id, CADV_IS_IMAGE, NULL), "img");
	ck_assert_str_eq(ident_get(&id, CADV_IS_POD_NAME, NULL), "web-0");
	ck_assert_str_eq(ident_get(&id, CADV_IS_POD_NAMESPACE, NULL), "shop");
	ck_assert_str_eq(ident_get(&id, CADV_IS_POD_UID, NULL), "u1");
	ck_assert_str_eq(ident_get(&id, CADV_IS_CONTAINER_NAME, NULL), "POD");
	ck_assert_str_eq(ident_get(&id, CADV_IS_SANDBOX_ID, NULL), ID2);
	ck_assert_uint_eq(id.flags, CADV_IDF_SANDBOX);
	ck_assert_ptr_null(ident_label(&id, "toolong"));
	ck_assert_str_eq(ident_label(&id, "l000"), big + IDENT_STR_MAX + 9 -
	    3000);
	ck_assert_uint_gt(id.nlabels, 5);
	ck_assert_uint_lt(id.nlabels, 30);	/* the arena is full */
	ck_assert_uint_le(id.used, IDENT_ARENA);
	/* 300 small labels: IDENT_KV_MAX of them */
	off = (size_t)snprintf(json, sizeof(json), "{\"ID\":\"" ID2 "\","
	    "\"Config\":{\"Labels\":{\"\":\"empty key\"");
	for (i = 0; i < 300; i++)
		off += (size_t)snprintf(json + off, sizeof(json) - off,
		    ",\"k%zu\":\"v\"", i);
	snprintf(json + off, sizeof(json) - off, "}}}");
	ck_assert_int_eq(config(json, &id), 0);
	ck_assert_uint_eq(id.nlabels, IDENT_KV_MAX);
}
END_TEST

START_TEST(config_dockershim_container)
{
	static struct cadv_ident id;

	ck_assert_int_eq(config("{\"ID\":\"" ID1 "\",\"Name\":"
	    "\"/k8s_api_api-7d4_shop_0f1e_2\",\"RestartCount\":0,\"Config\":"
	    "{\"Labels\":{\"io.kubernetes.pod.name\":\"api-7d4\","
	    "\"io.kubernetes.pod.namespace\":\"shop\","
	    "\"io.kubernetes.pod.uid\":\"0f1e\","
	    "\"io.kubernetes.container.name\":\"api\","
	    "\"io.kubernetes.docker.type\":\"container\","
	    "\"io.kubernetes.sandbox.id\":\"" ID2 "\","
	    "\"io.kubernetes.pod.name.x\":\"no\"}}}", &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NAME, NULL),
	    "k8s_api_api-7d4_shop_0f1e_2");
	ck_assert_str_eq(ident_get(&id, CADV_IS_POD_NAME, NULL), "api-7d4");
	ck_assert_str_eq(ident_get(&id, CADV_IS_POD_NAMESPACE, NULL), "shop");
	ck_assert_str_eq(ident_get(&id, CADV_IS_POD_UID, NULL), "0f1e");
	ck_assert_str_eq(ident_get(&id, CADV_IS_CONTAINER_NAME, NULL), "api");
	ck_assert_str_eq(ident_get(&id, CADV_IS_SANDBOX_ID, NULL), ID2);
	ck_assert_uint_eq(id.flags, 0);
	ck_assert_uint_eq(id.nlabels, 7);	/* kept as labels too */
	/* a plain container carries none of it */
	ck_assert_int_eq(config("{\"ID\":\"" ID1 "\",\"Config\":{\"Labels\":"
	    "{\"io.kubernetes\":\"x\",\"io.kubernetes.docker.type\":"
	    "\"podsandboxx\"}}}", &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_POD_NAME, NULL), "");
	ck_assert_uint_eq(id.flags, 0);
}
END_TEST

static int
hostconfig(const char *json, struct cadv_ident *id)
{
	err[0] = '\0';
	return rt_docker_parse_hostconfig(json, strlen(json), NULL, id, err,
	    sizeof(err));
}

START_TEST(hostconfig_netns)
{
	static struct cadv_ident id;

	ident_init(&id);
	ck_assert_int_eq(hostconfig("{\"NetworkMode\":\"none\"}", &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NETNS_OWNER, NULL), "");
	ck_assert_int_eq(hostconfig("{\"NetworkMode\":\"container:web\"}",
	    &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NETNS_OWNER, NULL), "");
	ck_assert_int_eq(hostconfig("{\"NetworkMode\":\"container:" ID2
	    "x\"}", &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NETNS_OWNER, NULL), "");
	ck_assert_int_eq(hostconfig("{\"NetworkMode\":null}", &id), 0);
	ck_assert_int_eq(hostconfig("{\"CgroupParent\":\"/x\","
	    "\"NetworkMode\":\"container:" ID2 "\"}", &id), 0);
	ck_assert_str_eq(ident_get(&id, CADV_IS_NETNS_OWNER, NULL), ID2);
	ck_assert_int_eq(hostconfig("{\"NetworkMode\":1}", &id), -1);
	ck_assert_str_eq(err, "hostconfig.json: NetworkMode is not a string");
	ck_assert_int_eq(hostconfig("[]", &id), -1);
	ck_assert_int_eq(hostconfig("{\"NetworkMode\":\"", &id), -1);
	ck_assert_int_eq(strncmp(err, "hostconfig.json: ", 17), 0);
}
END_TEST

static void
put(const char *dir, const char *rel, const char *text, size_t len)
{
	char path[PATH_MAX], *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		(void)mkdir(path, 0755);
		*p = '/';
	}
	ck_assert_int_ne(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644),
	    -1);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

#define CT "var/lib/docker/containers/"
#define TASKS "run/containerd/io.containerd.runtime.v2.task/"
#define SPEC(root, cg) "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"" \
	root "\"},\"linux\":{\"cgroupsPath\":\"" cg "\"}}"

/* Files as dockerd would never leave them: each one refused, counted,
 * and the scan goes on. */
START_TEST(scan_refuses_and_goes_on)
{
	static const char cfgtext[] = "{\"ID\":\"" ID1 "\",\"Name\":\"/a\","
	    "\"State\":{\"Running\":true,\"Pid\":5}}";
	char *t = unit_tmpdir(), path[PATH_MAX], link[PATH_MAX];
	struct rt_config cfg;
	struct rt_scan_stats st;
	struct found *f = calloc(1, sizeof(*f));

	/* ID1: good, with a task in another namespace whose root is
	 * docker's (dockerd --containerd-namespace) */
	put(t, CT ID1 "/config.v2.json", S(cfgtext));
	put(t, CT ID1 "/hostconfig.json", S("{\"NetworkMode\":\"host\"}"));
	put(t, TASKS "other/" ID1 "/config.json",
	    S(SPEC("/var/lib/docker/overlay2/x/merged", "/dk/" ID1)));
	/* ID2: config names another container */
	put(t, CT ID2 "/config.v2.json", S(cfgtext));
	/* a symlink, a FIFO, a file too large, junk, a non-id dir */
	snprintf(link, sizeof(link), "%s/" CT ID1 "/config.v2.json", t);
	snprintf(path, sizeof(path), "%s/" CT "3333333333333333333333333333333"
	    "333333333333333333333333333333333", t);
	mkdir(path, 0755);
	strcat(path, "/config.v2.json");
	ck_assert_int_eq(symlink(link, path), 0);
	snprintf(path, sizeof(path), "%s/" CT "4444444444444444444444444444444"
	    "444444444444444444444444444444444", t);
	mkdir(path, 0755);
	strcat(path, "/config.v2.json");
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	put(t, CT "5555555555555555555555555555555555555555555555555555555555"
	    "555555/config.v2.json", S("{}"));
	snprintf(path, sizeof(path), "%s/" CT "5555555555555555555555555555555"
	    "555555555555555555555555555555555/config.v2.json", t);
	ck_assert_int_eq(truncate(path, RT_DOCKER_JSON_MAX + 1), 0);
	put(t, CT "6666666666666666666666666666666666666666666666666666666666"
	    "666666/config.v2.json", S("{\"ID\":"));
	put(t, CT "not-a-container/config.v2.json", S(cfgtext));
	/* a container being made: no config yet */
	snprintf(path, sizeof(path), "%s/" CT "7777777777777777777777777777777"
	    "777777777777777777777777777777777", t);
	mkdir(path, 0755);

	rt_config_default(&cfg);
	cfg.host = t;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, &st), 0);
	ck_assert_uint_eq(f->n, 1);
	ck_assert_uint_eq(st.found, 1);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_ID, NULL), ID1);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_CGROUP, NULL), "/dk/" ID1);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_RT_NAMESPACE, NULL),
	    "other");
	ck_assert_uint_eq(f->ids[0].pid, 5);
	ck_assert_uint_eq(st.unreadable, 3);	/* link, FIFO, size */
	ck_assert_uint_eq(st.malformed, 2);	/* ID2, junk */
	ck_assert_str_ne(st.first_error, "");

	/* another namespace's task is not docker's unless its root is:
	 * no cgroup then */
	put(t, TASKS "other/" ID1 "/config.json",
	    S(SPEC("/var/lib/containerd/x/rootfs", "/dk/" ID1)));
	f->n = 0;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, &st), 0);
	ck_assert_uint_eq(f->n, 1);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_CGROUP, NULL), "");
	/* moby's task wins, whatever its root; a malformed one is counted
	 * and the container still reported */
	put(t, TASKS "moby/" ID1 "/config.json",
	    S(SPEC("/elsewhere", "/docker/" ID1)));
	f->n = 0;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, &st), 0);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_CGROUP, NULL),
	    "/docker/" ID1);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_RT_NAMESPACE, NULL), "moby");
	/* dockerd with the systemd cgroup driver: runc's expansion */
	put(t, TASKS "moby/" ID1 "/config.json",
	    S(SPEC("/elsewhere", "system.slice:docker:" ID1)));
	f->n = 0;
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, &st), 0);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_CGROUP, NULL),
	    "/system.slice/docker-" ID1 ".scope");
	put(t, TASKS "moby/" ID1 "/config.json", S("{\"linux\":"));
	f->n = 0;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(rt_docker_scan(&cfg, collect, f, &st), 0);
	ck_assert_uint_eq(f->n, 1);
	ck_assert_str_eq(ident_get(&f->ids[0], CADV_IS_CGROUP, NULL), "");
	ck_assert_uint_eq(st.malformed, 3);
	unit_rmtree(t);
	free(t);
	free(f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rt_docker");
	TCase *tc = tcase_create("rt_docker");

	tcase_add_test(tc, fixture_every_field);
	tcase_add_test(tc, fixture_env_allow_list);
	tcase_add_test(tc, fixture_watch);
	tcase_add_test(tc, fixture_sink_stops);
	tcase_add_test(tc, times);
	tcase_add_test(tc, config_minimal_and_nulls);
	tcase_add_test(tc, config_rejects_junk);
	tcase_add_test(tc, config_odd_names);
	tcase_add_test(tc, config_huge_labels);
	tcase_add_test(tc, config_dockershim_container);
	tcase_add_test(tc, hostconfig_netns);
	tcase_add_test(tc, scan_refuses_and_goes_on);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
