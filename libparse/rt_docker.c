/* docker as a runtime source: config.v2.json and hostconfig.json for who a
 * container is, the containerd task's OCI bundle for its cgroup. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "rt_docker.h"
#include "rt_oci.h"
#include "rtutil.h"

#define ID_LEN		RT_ID_LEN
#define V2_TASKS	"/io.containerd.runtime.v2.task"
#define V1_TASKS	"/io.containerd.runtime.v1.linux"
#define MAX_NS		32	/* other containerd namespaces looked into */

static int
int_field(struct json_object *o, const char *key, int64_t min, int64_t max,
    int64_t *out, char *err, size_t errsz)
{
	struct json_object *v;
	int rc;

	*out = 0;
	if ((rc = rt_json_field(o, key, json_type_int, &v, err, errsz)) <= 0)
		return rc;
	errno = 0;
	*out = json_object_get_int64(v);
	/* json-c keeps values past INT64_MAX as uint64: clamped, so out of
	 * range here too */
	if (*out < min || *out > max ||
	    (*out == INT64_MAX && json_object_get_uint64(v) != INT64_MAX)) {
		rt_seterr(err, errsz, "%s out of range", key);
		return -1;
	}
	return 1;
}

/* A string member into the ident, less its first skip bytes. */
static int
set_str(struct cadv_ident *id, enum cadv_ident_str s, const char *key,
    struct json_object *v, size_t skip, char *err, size_t errsz)
{
	const char *p = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);

	if (skip > len)
		skip = len;
	return rt_ident_set(id, s, key, p + skip, len - skip, err, errsz);
}

static int
key_is(const char *k, size_t kl, const char *lit)
{
	return kl == strlen(lit) && memcmp(k, lit, kl) == 0;
}

/* dockershim's labels on the containers the kubelet made; a value an
 * ident cannot hold (a NUL, too long) leaves its field unknown */
static void
kube_label(struct cadv_ident *id, const char *k, size_t kl, struct json_object *v)
{
	static const struct {
		const char *key;
		enum cadv_ident_str s;
	} map[] = {
		{ "io.kubernetes.pod.name", CADV_IS_POD_NAME },
		{ "io.kubernetes.pod.namespace", CADV_IS_POD_NAMESPACE },
		{ "io.kubernetes.pod.uid", CADV_IS_POD_UID },
		{ "io.kubernetes.container.name", CADV_IS_CONTAINER_NAME },
		{ "io.kubernetes.sandbox.id", CADV_IS_SANDBOX_ID },
	};
	const char *s = json_object_get_string(v);
	size_t i, sl = (size_t)json_object_get_string_len(v);

	if (kl < 14 || memcmp(k, "io.kubernetes.", 14) != 0)
		return;
	if (key_is(k, kl, "io.kubernetes.docker.type")) {
		if (sl == 10 && memcmp(s, "podsandbox", 10) == 0)
			id->flags |= CADV_IDF_SANDBOX;
		return;
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (key_is(k, kl, map[i].key))
			(void)ident_set(id, map[i].s, s, sl);
}

/* Two passes: the pod's fields first, then the labels, which may fill the
 * arena (the rest are then dropped). */
static int
parse_labels(struct json_object *labels, struct cadv_ident *id, int pass,
    char *err, size_t errsz)
{
	struct json_object_iterator it, end;

	it = json_object_iter_begin(labels);
	end = json_object_iter_end(labels);
	for (; !json_object_iter_equal(&it, &end);
	    json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);
		struct json_object *v = json_object_iter_peek_value(&it);
		size_t kl = strlen(k);

		if (v == NULL)
			continue;	/* null: no value to keep */
		if (!json_object_is_type(v, json_type_string)) {
			rt_seterr(err, errsz, "Config.Labels: %.64s is not a "
			    "string", k);
			return -1;
		}
		if (pass == 0)
			kube_label(id, k, kl, v);
		else if (ident_add_label(id, k, kl, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v)) == -1 &&
		    errno == ENOSPC)
			break;	/* full; EINVAL drops this one alone */
	}
	return 0;
}

/* Config.Env: an element that is not a string (null aside) makes the
 * record malformed. */
static int
parse_env(struct json_object *env, const struct rt_config *cfg,
    struct cadv_ident *id, char *err, size_t errsz)
{
	size_t i, n = json_object_array_length(env);

	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(env, i);

		if (v != NULL && !json_object_is_type(v, json_type_string)) {
			rt_seterr(err, errsz, "Config.Env[%zu] is not a string",
			    i);
			return -1;
		}
	}
	rt_add_env(cfg, id, env);
	return 0;
}

int
rt_docker_parse_config(const char *json, size_t len,
    const struct rt_config *cfg, struct cadv_ident *id, char *err, size_t errsz)
{
	struct json_object *o, *v, *state, *config, *labels, *env;
	uint64_t created, started, finished;
	int64_t pid, code, restarts;
	int running = 0, oom = 0, rc = -1;
	char why[200] = "";

	ident_init(id);
	id->runtime = CADV_RT_DOCKER;
	if ((o = rt_json_doc(json, len, RT_DOCKER_JSON_MAX,
	    json_type_object, "config.v2.json",
	    err, errsz)) == NULL)
		return -1;
	if (rt_json_field(o, "ID", json_type_string, &v, why,
	    sizeof(why)) != 1 ||
	    !rt_is_id(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v))) {
		rt_seterr(err, errsz, "config.v2.json: %s",
		    why[0] != '\0' ? why : "ID is not 64 hex digits");
		goto out;
	}
	if (set_str(id, CADV_IS_ID, "ID", v, 0, why, sizeof(why)) == -1)
		goto bad;
	if (rt_json_field(o, "Name", json_type_string, &v, why,
	    sizeof(why)) == -1)
		goto bad;
	if (v != NULL && set_str(id, CADV_IS_NAME, "Name", v,
	    json_object_get_string(v)[0] == '/', why, sizeof(why)) == -1)
		goto bad;
	if (rt_json_field(o, "Config", json_type_object, &config, why,
	    sizeof(why)) == -1 ||
	    rt_json_field(config, "Image", json_type_string, &v, why,
	    sizeof(why)) == -1)
		goto bad;
	if (v != NULL && set_str(id, CADV_IS_IMAGE, "Config.Image", v, 0, why,
	    sizeof(why)) == -1)
		goto bad;
	if (rt_json_time(o, "Created", &created, why, sizeof(why)) == -1 ||
	    int_field(o, "RestartCount", 0, UINT32_MAX, &restarts, why,
	    sizeof(why)) == -1 ||
	    rt_json_field(o, "State", json_type_object, &state, why,
	    sizeof(why)) == -1 ||
	    rt_json_field(state, "Running", json_type_boolean, &v, why,
	    sizeof(why)) == -1)
		goto bad;
	running = v != NULL && json_object_get_boolean(v);
	if (rt_json_field(state, "OOMKilled", json_type_boolean, &v, why,
	    sizeof(why)) == -1)
		goto bad;
	oom = v != NULL && json_object_get_boolean(v);
	if (int_field(state, "Pid", 0, INT32_MAX, &pid, why,
	    sizeof(why)) == -1 ||
	    int_field(state, "ExitCode", INT32_MIN, INT32_MAX, &code, why,
	    sizeof(why)) == -1 ||
	    rt_json_time(state, "StartedAt", &started, why,
	    sizeof(why)) == -1 ||
	    rt_json_time(state, "FinishedAt", &finished, why,
	    sizeof(why)) == -1)
		goto bad;
	id->created_ns = created;
	id->started_ns = started;
	id->restart_count = (uint32_t)restarts;
	if (running)
		id->pid = (uint32_t)pid;
	else if (finished != 0) {
		id->flags |= CADV_IDF_EXITED;
		id->exit_code = (int32_t)code;
		id->finished_ns = finished;
	}
	if (oom)
		id->flags |= CADV_IDF_OOM_KILLED;
	/* labels (with the pod's fields) before variables: both may run out
	 * of room, the labels are what everyone selects on */
	if (rt_json_field(config, "Labels", json_type_object, &labels, why,
	    sizeof(why)) == -1 ||
	    rt_json_field(config, "Env", json_type_array, &env, why,
	    sizeof(why)) == -1 ||
	    (labels != NULL && parse_labels(labels, id, 0, why,
	    sizeof(why)) == -1))
		goto bad;
	/* a sandbox is its own pod's sandbox */
	if ((id->flags & CADV_IDF_SANDBOX) && ident_get(id, CADV_IS_SANDBOX_ID,
	    NULL)[0] == '\0')
		(void)ident_set(id, CADV_IS_SANDBOX_ID, ident_get(id, CADV_IS_ID, NULL),
		    ID_LEN);
	if ((labels != NULL && parse_labels(labels, id, 1, why,
	    sizeof(why)) == -1) ||
	    (env != NULL && parse_env(env, cfg, id, why, sizeof(why)) == -1))
		goto bad;
	rc = 0;
	goto out;
bad:
	rt_seterr(err, errsz, "config.v2.json: %s", why);
out:
	json_object_put(o);
	return rc;
}

int
rt_docker_parse_hostconfig(const char *json, size_t len,
    const struct rt_config *cfg, struct cadv_ident *id, char *err, size_t errsz)
{
	struct json_object *o, *v;
	const char *s;
	size_t sl;
	char why[200];

	(void)cfg;
	if ((o = rt_json_doc(json, len, RT_DOCKER_JSON_MAX,
	    json_type_object, "hostconfig.json",
	    err, errsz)) == NULL)
		return -1;
	if (rt_json_field(o, "NetworkMode", json_type_string, &v, why,
	    sizeof(why)) == -1) {
		rt_seterr(err, errsz, "hostconfig.json: %s", why);
		json_object_put(o);
		return -1;
	}
	if (v != NULL) {
		s = json_object_get_string(v);
		sl = (size_t)json_object_get_string_len(v);
		/* dockerd writes the other's full id there; anything else
		 * (a name) says nothing exact */
		if (sl == 10 + ID_LEN && memcmp(s, "container:", 10) == 0 &&
		    rt_is_id(s + 10, ID_LEN))
			(void)ident_set(id, CADV_IS_NETNS_OWNER, s + 10, ID_LEN);
	}
	json_object_put(o);
	return 0;
}

/* The source: file I/O. */

struct scan {
	const struct rt_config *cfg;
	struct rt_scan_stats *st;
	int	v2fd, v1fd;	/* task dirs, -1 when absent */
	int	ns_listed;
	size_t	nns;
	char	ns[MAX_NS][NAME_MAX + 1];	/* v2 namespaces but moby */
	char	root[PATH_MAX];	/* docker_root as the runtime sees it */
	struct cadv_ident *id, *oci;
};

static int
open_dir(const struct rt_config *cfg, const char *dir, const char *sub,
    struct rt_scan_stats *st)
{
	char path[PATH_MAX], rel[PATH_MAX];
	int fd;

	if ((size_t)snprintf(rel, sizeof(rel), "%s%s", dir, sub) >=
	    sizeof(rel) || rt_path(cfg, rel, path, sizeof(path)) == -1) {
		rt_note(st, &st->unreadable, "docker: %s%s: path too long", dir,
		    sub);
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 && errno != ENOENT)
		rt_note(st, &st->unreadable, "docker: %s: %s", path,
		    strerror(errno));
	return fd;
}

/* The containerd namespaces other than moby that hold v2 tasks, for a
 * dockerd started with --containerd-namespace. */
static void
list_ns(struct scan *sc)
{
	DIR *d;
	struct dirent *de;
	int fd;

	sc->ns_listed = 1;
	if (sc->v2fd == -1 || (fd = dup(sc->v2fd)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL && sc->nns < MAX_NS) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, RT_DOCKER_NS) == 0)
			continue;
		snprintf(sc->ns[sc->nns++], sizeof(sc->ns[0]), "%s",
		    de->d_name);
	}
	closedir(d);
}

/* 1 when an OCI spec's root.path lies in docker's data root: the task of
 * a docker container in a namespace that is not moby. */
static int
docker_bundle(const struct scan *sc, const char *json, size_t len)
{
	struct json_object *o, *r, *p;
	size_t rl = strlen(sc->root);
	int yes = 0;

	if ((o = rt_json_doc(json, len, RT_DOCKER_JSON_MAX,
	    json_type_object, "config.json",
	    NULL, 0)) == NULL)
		return 0;
	if (rt_json_field(o, "root", json_type_object, &r, NULL, 0) == 1 &&
	    rt_json_field(r, "path", json_type_string, &p, NULL, 0) == 1 &&
	    (size_t)json_object_get_string_len(p) > rl + 1 &&
	    memcmp(json_object_get_string(p), sc->root, rl) == 0 &&
	    json_object_get_string(p)[rl] == '/')
		yes = 1;
	json_object_put(o);
	return yes;
}

/* The cgroup of a running container from its task's bundle: moby's
 * namespace first (runtime v2, then v1), then any other if its spec's
 * root is docker's. */
static void
bundle(struct scan *sc, const char *cid)
{
	char rel[NAME_MAX + ID_LEN + 32], err[200];
	const char *ns = NULL;
	char *buf = NULL;
	size_t len, i;
	int rc = -1, e = ENOENT;

	snprintf(rel, sizeof(rel), RT_DOCKER_NS "/%s/config.json", cid);
	if (sc->v2fd != -1 && (rc = rt_read_at(sc->v2fd, rel,
	    RT_DOCKER_JSON_MAX, &buf, &len)) == -1)
		e = errno;
	if (rc == -1 && (e == ENOENT || e == ENOTDIR) && sc->v1fd != -1 &&
	    (rc = rt_read_at(sc->v1fd, rel,
	    RT_DOCKER_JSON_MAX, &buf, &len)) == -1)
		e = errno;
	if (rc == 0)
		ns = RT_DOCKER_NS;
	else if (e != ENOENT && e != ENOTDIR) {
		rt_note(sc->st, &sc->st->unreadable, "docker: task %s: %s", cid,
		    rt_read_why(e));
		return;
	}
	if (rc == -1) {
		if (!sc->ns_listed)
			list_ns(sc);
		for (i = 0; i < sc->nns && ns == NULL; i++) {
			snprintf(rel, sizeof(rel), "%s/%s/config.json",
			    sc->ns[i], cid);
			if (rt_read_at(sc->v2fd, rel,
	    RT_DOCKER_JSON_MAX, &buf, &len) == -1)
				continue;
			if (docker_bundle(sc, buf, len))
				ns = sc->ns[i];
			else {
				free(buf);
				buf = NULL;
			}
		}
		if (ns == NULL)
			return;	/* stopped: no task */
	}
	ident_init(sc->oci);
	if (rt_oci_parse(buf, len, sc->cfg, sc->oci, err, sizeof(err)) == -1)
		rt_note(sc->st, &sc->st->malformed, "docker: task %s/%s: %s",
		    ns, cid, err);
	else {
		size_t cl;
		const char *cg = ident_get(sc->oci, CADV_IS_CGROUP, &cl);

		if (cl > 0) {
			(void)ident_set(sc->id, CADV_IS_CGROUP, cg, cl);
			(void)ident_set(sc->id, CADV_IS_RT_NAMESPACE, ns,
			    strlen(ns));
		}
	}
	free(buf);
}

/* One container directory; 1 when an identity is ready in sc->id. */
static int
container(struct scan *sc, int dfd, const char *cid)
{
	char *buf;
	size_t len;
	char err[200];
	int cfd;

	cfd = openat(dfd, cid, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (cfd == -1) {
		if (errno != ENOENT)
			rt_note(sc->st, &sc->st->unreadable, "docker: %s: %s",
			    cid,
			    rt_read_why(errno == ENOTDIR ? EINVAL : errno));
		return 0;
	}
	if (rt_read_at(cfd, "config.v2.json", RT_DOCKER_JSON_MAX,
	    &buf, &len) == -1) {
		/* ENOENT: being made or removed */
		if (errno != ENOENT)
			rt_note(sc->st, &sc->st->unreadable,
			    "docker: %s/config.v2.json: %s", cid,
			    rt_read_why(errno));
		close(cfd);
		return 0;
	}
	if (rt_docker_parse_config(buf, len, sc->cfg, sc->id, err,
	    sizeof(err)) == -1) {
		rt_note(sc->st, &sc->st->malformed, "docker: %s: %s", cid, err);
		free(buf);
		close(cfd);
		return 0;
	}
	free(buf);
	if (strcmp(ident_get(sc->id, CADV_IS_ID, NULL), cid) != 0) {
		rt_note(sc->st, &sc->st->malformed,
		    "docker: %s: config.v2.json names another ID", cid);
		close(cfd);
		return 0;
	}
	if (rt_read_at(cfd, "hostconfig.json", RT_DOCKER_JSON_MAX,
	    &buf, &len) == 0) {
		if (rt_docker_parse_hostconfig(buf, len, sc->cfg, sc->id, err,
		    sizeof(err)) == -1)
			rt_note(sc->st, &sc->st->malformed, "docker: %s: %s",
			    cid, err);
		free(buf);
	} else if (errno != ENOENT)
		rt_note(sc->st, &sc->st->unreadable,
		    "docker: %s/hostconfig.json: %s", cid, rt_read_why(errno));
	close(cfd);
	bundle(sc, cid);
	return 1;
}

int
rt_docker_scan(const struct rt_config *cfg, ident_sink sink, void *arg,
    struct rt_scan_stats *st)
{
	struct rt_scan_stats dummy;
	struct scan *sc;
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (st == NULL) {
		memset(&dummy, 0, sizeof(dummy));
		st = &dummy;
	}
	if ((fd = open_dir(cfg, cfg->docker_root, "/containers", st)) == -1)
		return 0;	/* ENOENT: no docker here */
	if ((d = fdopendir(fd)) == NULL) {
		rt_note(st, &st->unreadable, "docker: containers: %s",
		    strerror(errno));
		close(fd);
		return 0;
	}
	if ((sc = calloc(1, sizeof(*sc))) == NULL ||
	    (sc->id = malloc(sizeof(*sc->id))) == NULL ||
	    (sc->oci = malloc(sizeof(*sc->oci))) == NULL) {
		rt_note(st, &st->unreadable, "docker: out of memory");
		if (sc != NULL)
			free(sc->id);
		free(sc);
		closedir(d);
		return 0;
	}
	sc->cfg = cfg;
	sc->st = st;
	snprintf(sc->root, sizeof(sc->root), "%s", cfg->docker_root);
	while (strlen(sc->root) > 1 && sc->root[strlen(sc->root) - 1] == '/')
		sc->root[strlen(sc->root) - 1] = '\0';
	sc->v2fd = open_dir(cfg, cfg->containerd_state, V2_TASKS, st);
	sc->v1fd = open_dir(cfg, cfg->containerd_state, V1_TASKS, st);
	while ((de = readdir(d)) != NULL) {
		if (!rt_is_id(de->d_name, strlen(de->d_name)))
			continue;	/* only container dirs are named so */
		if (!container(sc, fd, de->d_name))
			continue;
		st->found++;
		if ((rc = sink(arg, sc->id)) != 0)
			break;
	}
	if (sc->v2fd != -1)
		close(sc->v2fd);
	if (sc->v1fd != -1)
		close(sc->v1fd);
	free(sc->oci);
	free(sc->id);
	free(sc);
	closedir(d);
	return rc;
}

static int
add_path(char paths[][PATH_MAX], size_t *n, size_t max,
    const struct rt_config *cfg, const char *a, const char *b)
{
	char rel[PATH_MAX];

	if (*n >= max)
		return -1;
	if ((size_t)snprintf(rel, sizeof(rel), "%s%s", a, b) < sizeof(rel) &&
	    rt_path(cfg, rel, paths[*n], PATH_MAX) == 0)
		(*n)++;
	return 0;
}

size_t
rt_docker_watch(const struct rt_config *cfg, char paths[][PATH_MAX],
    size_t max)
{
	struct dirent *de;
	size_t n = 0;
	char sub[ID_LEN + 16];
	DIR *d;
	int fd;

	add_path(paths, &n, max, cfg, cfg->docker_root, "/containers");
	add_path(paths, &n, max, cfg, cfg->containerd_state,
	    V2_TASKS "/" RT_DOCKER_NS);
	add_path(paths, &n, max, cfg, cfg->containerd_state,
	    V1_TASKS "/" RT_DOCKER_NS);
	/* config.v2.json is replaced by a rename: its directory is what
	 * changes */
	if (n == 0 || (fd = open(paths[0], O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return n;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return n;
	}
	while ((de = readdir(d)) != NULL && n < max) {
		if (!rt_is_id(de->d_name, strlen(de->d_name)))
			continue;
		snprintf(sub, sizeof(sub), "/containers/%s", de->d_name);
		add_path(paths, &n, max, cfg, cfg->docker_root, sub);
	}
	closedir(d);
	return n;
}
