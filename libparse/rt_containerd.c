/* The containerd runtime source (rt_containerd.h): task bundles, the CRI
 * plugin's status files, and meta.db through the bbolt reader. */
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

#include "bbolt.h"
#include "cgname.h"
#include "rt_containerd.h"
#include "rt_oci.h"
#include "rtutil.h"

#define PID_MAX_BYTES	32
#define GO_UNIX_OFFSET	62135596800LL	/* year 1 to 1970, in seconds */
#define CRI_EXT_CTR	"io.cri-containerd.container.metadata"
#define CRI_EXT_SB	"io.cri-containerd.sandbox.metadata"

/* ---- pure parsers ---- */

/* An integer member: 1 with *v, 0 when absent or null, -1 when of another
 * type (json-c clamps what int64 cannot hold). */
static int
get_int(struct json_object *o, const char *key, int64_t *v)
{
	struct json_object *m;

	if (!json_object_object_get_ex(o, key, &m) || m == NULL)
		return 0;
	if (!json_object_is_type(m, json_type_int))
		return -1;
	*v = json_object_get_int64(m);
	return 1;
}

static struct json_object *
get_obj(struct json_object *o, const char *key)
{
	struct json_object *m;

	if (o == NULL || !json_object_object_get_ex(o, key, &m) ||
	    !json_object_is_type(m, json_type_object))
		return NULL;
	return m;
}

/* Sets a string member where the ident has none yet. */
static void
fill(struct cadv_ident *id, enum cadv_ident_str which, struct json_object *o,
    const char *key)
{
	struct json_object *m;

	if (o == NULL || id->s[which].len > 0 ||
	    !json_object_object_get_ex(o, key, &m) ||
	    !json_object_is_type(m, json_type_string))
		return;
	(void)ident_set(id, which, json_object_get_string(m),
	    (size_t)json_object_get_string_len(m));
}

int
rt_cri_status_parse(const char *json, size_t len, struct cadv_ident *id,
    char *err, size_t errsz)
{
	static const char *const keys[] = { "CreatedAt", "StartedAt",
	    "FinishedAt", "Pid", "ExitCode" };
	struct json_object *o, *r;
	int64_t v[5] = { 0, 0, 0, 0, 0 };
	size_t i;

	if ((o = rt_json_doc(json, len, RT_CTRD_STATUS_MAX, json_type_object,
	    NULL, err, errsz)) ==
	    NULL)
		return -1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (get_int(o, keys[i], &v[i]) == -1) {
			rt_seterr(err, errsz, "%s is not an integer", keys[i]);
			json_object_put(o);
			return -1;
		}
	/* times before the epoch are unknown, as a zero */
	if (v[0] > 0)
		id->created_ns = (uint64_t)v[0];
	if (v[1] > 0)
		id->started_ns = (uint64_t)v[1];
	if (v[3] > 0 && v[3] <= INT32_MAX)
		id->pid = (uint32_t)v[3];
	if (v[2] > 0) {
		id->flags |= CADV_IDF_EXITED;
		id->finished_ns = (uint64_t)v[2];
		id->exit_code = v[4] < INT32_MIN ? INT32_MIN :
		    v[4] > INT32_MAX ? INT32_MAX : (int32_t)v[4];
		if (json_object_object_get_ex(o, "Reason", &r) &&
		    json_object_is_type(r, json_type_string) &&
		    strcmp(json_object_get_string(r), "OOMKilled") == 0)
			id->flags |= CADV_IDF_OOM_KILLED;
	}
	json_object_put(o);
	return 0;
}

int
rt_cri_meta_parse(const char *json, size_t len, int sandbox,
    const struct rt_config *cfg, struct cadv_ident *id, char *err, size_t errsz)
{
	struct json_object *o, *md, *conf, *meta, *labels, *envs, *e;
	struct json_object *k, *v;
	int64_t attempt = 0;
	size_t i, n;

	if ((o = rt_json_doc(json, len, RT_OCI_JSON_MAX, json_type_object, NULL,
	    err, errsz)) ==
	    NULL)
		return -1;
	if ((md = get_obj(o, "Metadata")) == NULL) {
		rt_seterr(err, errsz, "no Metadata object");
		json_object_put(o);
		return -1;
	}
	conf = get_obj(md, "Config");
	meta = get_obj(conf, "metadata");
	if (meta != NULL && get_int(meta, "attempt", &attempt) == -1) {
		rt_seterr(err, errsz, "attempt is not an integer");
		json_object_put(o);
		return -1;
	}
	if (attempt > 0 && attempt <= UINT32_MAX)
		id->restart_count = (uint32_t)attempt;
	labels = get_obj(conf, "labels");
	if (sandbox) {
		fill(id, CADV_IS_SANDBOX_ID, md, "ID");
		fill(id, CADV_IS_POD_NAME, meta, "name");
		fill(id, CADV_IS_POD_NAMESPACE, meta, "namespace");
		fill(id, CADV_IS_POD_UID, meta, "uid");
	} else {
		fill(id, CADV_IS_CONTAINER_NAME, meta, "name");
		fill(id, CADV_IS_SANDBOX_ID, md, "SandboxID");
		fill(id, CADV_IS_NETNS_OWNER, md, "SandboxID");
		fill(id, CADV_IS_IMAGE, get_obj(conf, "image"), "image");
	}
	/* the kubelet's labels say the pod of either */
	fill(id, CADV_IS_POD_NAME, labels, "io.kubernetes.pod.name");
	fill(id, CADV_IS_POD_NAMESPACE, labels, "io.kubernetes.pod.namespace");
	fill(id, CADV_IS_POD_UID, labels, "io.kubernetes.pod.uid");
	if (!sandbox)
		fill(id, CADV_IS_CONTAINER_NAME, labels,
		    "io.kubernetes.container.name");
	if (cfg != NULL && cfg->nenv_allow > 0 && id->nenv == 0 &&
	    conf != NULL && json_object_object_get_ex(conf, "envs", &envs) &&
	    json_object_is_type(envs, json_type_array)) {
		n = json_object_array_length(envs);
		for (i = 0; i < n; i++) {
			e = json_object_array_get_idx(envs, i);
			if (!json_object_is_type(e, json_type_object) ||
			    !json_object_object_get_ex(e, "key", &k) ||
			    !json_object_is_type(k, json_type_string) ||
			    !rt_env_allowed(cfg, json_object_get_string(k),
			    (size_t)json_object_get_string_len(k)))
				continue;
			if (!json_object_object_get_ex(e, "value", &v) ||
			    !json_object_is_type(v, json_type_string))
				continue;
			if (ident_add_env(id, json_object_get_string(k),
			    (size_t)json_object_get_string_len(k),
			    json_object_get_string(v),
			    (size_t)json_object_get_string_len(v)) == -1 &&
			    errno == ENOSPC)
				break;
		}
	}
	json_object_put(o);
	return 0;
}

/* A base-128 varint; -1 past the end or longer than 10 bytes. */
static int
pb_varint(const unsigned char *p, size_t len, size_t *off, uint64_t *v)
{
	unsigned shift;

	*v = 0;
	for (shift = 0; shift < 70; shift += 7) {
		if (*off >= len)
			return -1;
		*v |= (uint64_t)(p[*off] & 0x7f) << shift;
		if ((p[(*off)++] & 0x80) == 0)
			return shift == 63 && (p[*off - 1] & 0x7e) ? -1 : 0;
	}
	return -1;
}

int
rt_pb_any_value(const void *buf, size_t len, const void **val, size_t *vlen)
{
	const unsigned char *p = buf;
	size_t off = 0;
	uint64_t tag, n;
	int found = 0;

	while (off < len) {
		if (pb_varint(p, len, &off, &tag) == -1 || (tag >> 3) == 0)
			return -1;
		switch (tag & 7) {
		case 0:
			if (pb_varint(p, len, &off, &n) == -1)
				return -1;
			break;
		case 1:
			if (len - off < 8)
				return -1;
			off += 8;
			break;
		case 5:
			if (len - off < 4)
				return -1;
			off += 4;
			break;
		case 2:
			if (pb_varint(p, len, &off, &n) == -1 ||
			    n > len - off)
				return -1;
			if ((tag >> 3) == 2) {
				/* a repeated field: the last one wins */
				*val = p + off;
				*vlen = (size_t)n;
				found = 1;
			}
			off += (size_t)n;
			break;
		default:
			return -1;
		}
	}
	return found ? 0 : -1;
}

int
rt_go_time(const void *buf, size_t len, uint64_t *ns)
{
	const unsigned char *p = buf;
	uint64_t sec = 0;
	uint32_t nsec = 0;
	int64_t unix_sec;
	size_t i;

	if (!((len == 15 && p[0] == 1) || (len == 16 && p[0] == 2)))
		return -1;
	for (i = 1; i < 9; i++)
		sec = sec << 8 | p[i];
	for (i = 9; i < 13; i++)
		nsec = nsec << 8 | p[i];
	if (nsec > 999999999 || sec > INT64_MAX)
		return -1;
	unix_sec = (int64_t)sec - GO_UNIX_OFFSET;
	/* the zero time and anything before 1970 say nothing useful; past
	 * 2262 does not fit in ns */
	if (unix_sec <= 0 || unix_sec > (int64_t)(UINT64_MAX / 1000000000) - 1)
		return -1;
	*ns = (uint64_t)unix_sec * 1000000000u + nsec;
	return 0;
}

/* ---- the source ---- */

struct scan {
	const struct rt_config	*cfg;
	ident_sink		 sink;
	void			*arg;
	struct rt_scan_stats	*st;
	struct bolt		*meta;
	struct cadv_ident		*id, *pod;
	char			**seen;	/* CRI ids with a task, sorted */
	size_t			 nseen, seencap;
	int			 criroot;	/* <root>/...cri/containers */
	int			 rc;	/* the sink's, when it stopped us */
};

static int
refused(int e)
{
	return e == EACCES || e == EPERM;
}

/* vanished, or changing under us: the next scan sees it settled */
static int
gone(int e)
{
	return e == ENOENT || e == ENOTDIR || e == EAGAIN;
}

/* A read error, counted: refused as unreadable, anything odd about the
 * file as malformed; gone is silent. */
static void
read_failed(struct scan *sc, int e, const char *what, const char *a,
    const char *b)
{
	if (gone(e))
		return;
	rt_note(sc->st, refused(e) || e == EIO || e == ENOMEM ?
	    &sc->st->unreadable : &sc->st->malformed, "containerd: %s %s%s%s: %s",
	    what, a, b[0] ? "/" : "", b, rt_read_why(e));
}

static int
open_dir(const struct rt_config *cfg, const char *base, const char *rel,
    int *e)
{
	char path[PATH_MAX], joined[PATH_MAX];
	int fd;

	if (snprintf(joined, sizeof(joined), "%s/%s", base, rel) >=
	    (int)sizeof(joined) || rt_path(cfg, joined, path,
	    sizeof(path)) == -1) {
		*e = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		*e = errno;
	return fd;
}

static int
subdir(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

static int
emit(struct scan *sc, const struct cadv_ident *id)
{
	int rc;

	sc->st->found++;
	if ((rc = sc->sink(sc->arg, id)) != 0)
		sc->rc = rc;
	return rc;
}

static int
label_cb(void *arg, const void *k, size_t kl, const void *v, size_t vl,
    const struct bolt_bucket *sub)
{
	struct cadv_ident *id = arg;

	if (sub != NULL)
		return 0;
	if (ident_add_label(id, k, kl, v, vl) == -1 && errno == ENOSPC)
		return 2;	/* full: stop, not an error */
	return 0;
}

/* What meta.db says of v1/<ns>/containers/<id>: cAdvisor's image and
 * labels (they replace the bundle's annotations: the same and the
 * image's), the creation time, the CRI plugin's extension. */
static void
meta_fill(struct scan *sc, struct cadv_ident *id, const char *ns, const char *cid)
{
	const char *path[] = { "v1", ns, "containers", cid };
	struct bolt_bucket c, sub;
	const void *v, *any;
	size_t vl, al;
	uint64_t ns_time;
	char err[160];
	int sandbox;

	if (sc->meta == NULL ||
	    bolt_path(sc->meta, &c, 4, path) != BOLT_OK)
		return;
	if (bolt_get(sc->meta, &c, "image", 5, &v, &vl) == BOLT_OK && vl > 0)
		(void)ident_set(id, CADV_IS_IMAGE, v, vl);
	if (bolt_bucket(sc->meta, &c, "labels", 6, &sub) == BOLT_OK) {
		id->nlabels = 0;
		if (bolt_each(sc->meta, &sub, label_cb, id) < 0)
			rt_note(sc->st, &sc->st->malformed,
			    "containerd: meta.db "
			    "%s/%s: damaged labels", ns, cid);
	}
	if (id->created_ns == 0 &&
	    bolt_get(sc->meta, &c, "createdat", 9, &v, &vl) == BOLT_OK &&
	    rt_go_time(v, vl, &ns_time) == 0)
		id->created_ns = ns_time;
	if (bolt_bucket(sc->meta, &c, "extensions", 10, &sub) != BOLT_OK)
		return;
	sandbox = 0;
	if (bolt_get(sc->meta, &sub, CRI_EXT_CTR, sizeof(CRI_EXT_CTR) - 1, &v,
	    &vl) != BOLT_OK) {
		if (bolt_get(sc->meta, &sub, CRI_EXT_SB, sizeof(CRI_EXT_SB) - 1,
		    &v, &vl) != BOLT_OK)
			return;
		sandbox = 1;
	}
	if (rt_pb_any_value(v, vl, &any, &al) == -1) {
		rt_note(sc->st, &sc->st->malformed,
		    "containerd: meta.db %s/%s: "
		    "CRI extension is not a protobuf Any", ns, cid);
		return;
	}
	if (rt_cri_meta_parse(any, al, sandbox, sc->cfg, id, err,
	    sizeof(err)) == -1)
		rt_note(sc->st, &sc->st->malformed,
		    "containerd: meta.db %s/%s: "
		    "CRI extension: %s", ns, cid, err);
}

/* The CRI plugin's status of cid into id; 1 when read, 0 when there is
 * none, -1 when it could not be read or parsed (counted). */
static int
cri_status(struct scan *sc, int cdir, const char *cid, struct cadv_ident *id)
{
	char *buf, err[160];
	size_t len;
	int rc;

	if (rt_read_at(cdir, "status", RT_CTRD_STATUS_MAX, &buf, &len) == -1) {
		if (gone(errno))
			return 0;
		read_failed(sc, errno, "CRI status", cid, "status");
		return -1;
	}
	rc = rt_cri_status_parse(buf, len, id, err, sizeof(err));
	free(buf);
	if (rc == -1) {
		rt_note(sc->st, &sc->st->malformed,
		    "containerd: CRI status %s: %s",
		    cid, err);
		return -1;
	}
	return 1;
}

static int
seen_add(struct scan *sc, const char *cid)
{
	char **n;

	if (sc->nseen == sc->seencap) {
		size_t cap = sc->seencap ? sc->seencap * 2 : 64;

		if ((n = realloc(sc->seen, cap * sizeof(*n))) == NULL)
			return -1;
		sc->seen = n;
		sc->seencap = cap;
	}
	if ((sc->seen[sc->nseen] = strdup(cid)) == NULL)
		return -1;
	sc->nseen++;
	return 0;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The identity of a pod's cgroup, from its sandbox's. */
static int
pod_ident(struct scan *sc, const struct cadv_ident *sb, const char *ns)
{
	const char *cg, *uid;
	size_t cl, ul, pl;
	struct cadv_ident *p = sc->pod;
	static const enum cadv_ident_str copy[] = { CADV_IS_POD_NAME, CADV_IS_POD_NAMESPACE,
	    CADV_IS_POD_UID };
	size_t i;

	cg = ident_get(sb, CADV_IS_CGROUP, &cl);
	uid = ident_get(sb, CADV_IS_POD_UID, &ul);
	if (!rt_pod_cgroup(cg, cl, uid, ul, &pl))
		return 0;
	ident_init(p);
	p->runtime = CADV_RT_CONTAINERD;
	p->flags = CADV_IDF_POD;
	(void)ident_set(p, CADV_IS_ID, uid, ul);
	(void)ident_set(p, CADV_IS_CGROUP, cg, pl);
	(void)ident_set(p, CADV_IS_RT_NAMESPACE, ns, strlen(ns));
	for (i = 0; i < sizeof(copy) / sizeof(copy[0]); i++) {
		const char *s;
		size_t sl;

		s = ident_get(sb, copy[i], &sl);
		(void)ident_set(p, copy[i], s, sl);
	}
	return emit(sc, p);
}

static int
read_pid(int dfd, uint32_t *pid)
{
	char *buf;
	size_t len, i;
	uint64_t v = 0;

	if (rt_read_at(dfd, "init.pid", PID_MAX_BYTES, &buf, &len) == -1)
		return -1;
	for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++)
		if ((v = v * 10 + (uint64_t)(buf[i] - '0')) > INT32_MAX)
			break;
	free(buf);
	if (i == 0 || v == 0 || v > INT32_MAX)
		return -1;
	*pid = (uint32_t)v;
	return 0;
}

/* One task bundle <ns>/<cid>. */
static int
bundle(struct scan *sc, int nsfd, const char *ns, const char *cid)
{
	struct cadv_ident *id = sc->id;
	char *buf, err[200];
	size_t len;
	uint32_t pid;
	int bfd, cfd, rc;

	if ((bfd = subdir(nsfd, cid)) == -1) {
		read_failed(sc, errno, "task", ns, cid);
		return 0;
	}
	if (rt_read_at(bfd, "config.json", RT_OCI_JSON_MAX, &buf, &len) == -1) {
		/* ENOENT: being made or removed */
		read_failed(sc, errno, "task", ns, cid);
		close(bfd);
		return 0;
	}
	ident_init(id);
	id->runtime = CADV_RT_CONTAINERD;
	rc = rt_oci_parse(buf, len, sc->cfg, id, err, sizeof(err));
	free(buf);
	if (rc == -1) {
		rt_note(sc->st, &sc->st->malformed,
		    "containerd: task %s/%s: %s",
		    ns, cid, err);
		close(bfd);
		return 0;
	}
	if (id->s[CADV_IS_CGROUP].len == 0) {
		/* runc placed it below its own cgroup: unknowable here */
		rt_note(sc->st, &sc->st->malformed,
		    "containerd: task %s/%s: no "
		    "linux.cgroupsPath", ns, cid);
		close(bfd);
		return 0;
	}
	if (read_pid(bfd, &pid) == 0)
		id->pid = pid;
	close(bfd);
	(void)ident_set(id, CADV_IS_ID, cid, strlen(cid));
	(void)ident_set(id, CADV_IS_NAME, cid, strlen(cid));
	(void)ident_set(id, CADV_IS_RT_NAMESPACE, ns, strlen(ns));
	meta_fill(sc, id, ns, cid);
	if (strcmp(ns, RT_CTRD_CRI_NS) == 0) {
		if (seen_add(sc, cid) == -1) {
			rt_note(sc->st, &sc->st->unreadable,
			    "containerd: out of "
			    "memory");
			return -1;
		}
		/* the CRI's own times win over meta.db's */
		if (sc->criroot != -1 && (cfd = subdir(sc->criroot, cid)) !=
		    -1) {
			(void)cri_status(sc, cfd, cid, id);
			close(cfd);
		}
	}
	if (emit(sc, id) != 0)
		return -1;
	if ((id->flags & CADV_IDF_SANDBOX) && pod_ident(sc, id, ns) != 0)
		return -1;
	return 0;
}

/* The cgroup of a container whose task is gone, from the OCI spec
 * meta.db keeps for it (the record the task was made from). */
static void
meta_cgroup(struct scan *sc, struct cadv_ident *id, const char *ns,
    const char *cid)
{
	const char *path[] = { "v1", ns, "containers", cid };
	struct bolt_bucket c;
	struct cadv_ident *spec;
	const void *v, *any;
	size_t vl, al, cl;
	const char *cg;
	char err[160];

	if (sc->meta == NULL || bolt_path(sc->meta, &c, 4, path) != BOLT_OK ||
	    bolt_get(sc->meta, &c, "spec", 4, &v, &vl) != BOLT_OK ||
	    rt_pb_any_value(v, vl, &any, &al) == -1 ||
	    (spec = malloc(sizeof(*spec))) == NULL)
		return;
	ident_init(spec);
	if (rt_oci_parse(any, al, sc->cfg, spec, err, sizeof(err)) == 0) {
		cg = ident_get(spec, CADV_IS_CGROUP, &cl);
		if (cl > 0)
			(void)ident_set(id, CADV_IS_CGROUP, cg, cl);
	}
	free(spec);
}

/* A CRI container with no task: reported once it has exited, with the
 * cgroup its spec named, so that a container that lived between two
 * scans still gets a record its events can be joined to. */
static int
stopped(struct scan *sc, const char *cid)
{
	struct cadv_ident *id = sc->id;
	int cfd, rc;

	if ((cfd = subdir(sc->criroot, cid)) == -1) {
		read_failed(sc, errno, "CRI container", cid, "");
		return 0;
	}
	ident_init(id);
	rc = cri_status(sc, cfd, cid, id);
	close(cfd);
	if (rc != 1 || !(id->flags & CADV_IDF_EXITED))
		return 0;	/* none, damaged, or not started yet */
	id->runtime = CADV_RT_CONTAINERD;
	(void)ident_set(id, CADV_IS_ID, cid, strlen(cid));
	(void)ident_set(id, CADV_IS_NAME, cid, strlen(cid));
	(void)ident_set(id, CADV_IS_RT_NAMESPACE, RT_CTRD_CRI_NS,
	    sizeof(RT_CTRD_CRI_NS) - 1);
	meta_fill(sc, id, RT_CTRD_CRI_NS, cid);
	meta_cgroup(sc, id, RT_CTRD_CRI_NS, cid);
	return emit(sc, id) != 0 ? -1 : 0;
}

/* Every entry of an open directory but "." and "..", hidden ones and
 * those that are not directories; cb's -1 stops. */
static int
each_dir(int dfd, int (*cb)(struct scan *, int, const char *, void *),
    struct scan *sc, void *arg)
{
	DIR *d;
	struct dirent *de;
	int fd, rc = 0;

	if ((fd = dup(dfd)) == -1)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if ((rc = cb(sc, dfd, de->d_name, arg)) == -1)
			break;
	}
	closedir(d);
	return rc == -1 ? -1 : 0;
}

static int
ns_task(struct scan *sc, int nsfd, const char *cid, void *arg)
{
	return bundle(sc, nsfd, arg, cid);
}

static int
ns_dir(struct scan *sc, int tfd, const char *ns, void *arg)
{
	int nsfd, rc;

	(void)arg;
	if (strcmp(ns, RT_CTRD_DOCKER_NS) == 0)
		return 0;
	if ((nsfd = subdir(tfd, ns)) == -1) {
		read_failed(sc, errno, "namespace", ns, "");
		return 0;
	}
	rc = each_dir(nsfd, ns_task, sc, (void *)ns);
	close(nsfd);
	return rc;
}

static int
cri_dir(struct scan *sc, int dfd, const char *cid, void *arg)
{
	char *key = (char *)cid;

	(void)dfd;
	(void)arg;
	if (sc->nseen > 0 && bsearch(&key, sc->seen, sc->nseen,
	    sizeof(*sc->seen), strp_cmp) != NULL)
		return 0;
	return stopped(sc, cid);
}

static void
open_meta(struct scan *sc)
{
	char rel[PATH_MAX], path[PATH_MAX], err[256];
	int rc;

	if (snprintf(rel, sizeof(rel), "%s/%s", sc->cfg->containerd_root,
	    RT_CTRD_META) >= (int)sizeof(rel) ||
	    rt_path(sc->cfg, rel, path, sizeof(path)) == -1)
		return;
	rc = bolt_open(&sc->meta, path, RT_CTRD_META_MAX, err, sizeof(err));
	if (rc == BOLT_OK)
		return;
	sc->meta = NULL;
	if (rc == BOLT_SYS && gone(errno))
		return;
	rt_note(sc->st, rc == BOLT_SYS ? &sc->st->unreadable :
	    &sc->st->malformed, "containerd: %s", err);
}

int
rt_containerd_scan(const struct rt_config *cfg, ident_sink sink, void *arg,
    struct rt_scan_stats *st)
{
	struct scan sc;
	size_t i;
	int tfd, e = 0, rc = 0;

	memset(&sc, 0, sizeof(sc));
	sc.cfg = cfg;
	sc.sink = sink;
	sc.arg = arg;
	sc.st = st;
	sc.criroot = -1;
	if ((sc.id = malloc(sizeof(*sc.id))) == NULL ||
	    (sc.pod = malloc(sizeof(*sc.pod))) == NULL) {
		free(sc.id);
		rt_note(st, &st->unreadable, "containerd: out of memory");
		return 0;
	}
	open_meta(&sc);
	sc.criroot = open_dir(cfg, cfg->containerd_root,
	    RT_CTRD_CRI "/containers", &e);
	if (sc.criroot == -1 && !gone(e))
		rt_note(st, refused(e) ? &st->unreadable : &st->malformed,
		    "containerd: %s/%s/containers: %s", cfg->containerd_root,
		    RT_CTRD_CRI, strerror(e));
	tfd = open_dir(cfg, cfg->containerd_state, RT_CTRD_TASKS, &e);
	if (tfd == -1 && !gone(e))
		rt_note(st, refused(e) ? &st->unreadable : &st->malformed,
		    "containerd: %s/%s: %s", cfg->containerd_state,
		    RT_CTRD_TASKS, strerror(e));
	if (tfd != -1) {
		rc = each_dir(tfd, ns_dir, &sc, NULL);
		close(tfd);
	}
	if (rc == 0 && sc.criroot != -1) {
		qsort(sc.seen, sc.nseen, sizeof(*sc.seen), strp_cmp);
		rc = each_dir(sc.criroot, cri_dir, &sc, NULL);
	}
	if (sc.criroot != -1)
		close(sc.criroot);
	if (sc.meta != NULL)
		bolt_close(sc.meta);
	for (i = 0; i < sc.nseen; i++)
		free(sc.seen[i]);
	free(sc.seen);
	free(sc.id);
	free(sc.pod);
	return sc.rc;
}

/* The entries of dir (hidden ones and moby aside) as dir/entry. */
static size_t
watch_subdirs(char paths[][PATH_MAX], size_t n, size_t max, const char *dir)
{
	char sub[NAME_MAX + 2];
	DIR *d;
	struct dirent *de;

	if ((d = opendir(dir)) == NULL)
		return n;
	while (n < max && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    strcmp(de->d_name, RT_CTRD_DOCKER_NS) == 0 ||
		    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		snprintf(sub, sizeof(sub), "/%s", de->d_name);
		n = rt_watch_add(paths, n, max, dir, sub);
	}
	closedir(d);
	return n;
}

size_t
rt_containerd_watch(const struct rt_config *cfg, char paths[][PATH_MAX],
    size_t max)
{
	char rel[PATH_MAX], tasks[PATH_MAX], cri[PATH_MAX];
	size_t n = 0;

	if (snprintf(rel, sizeof(rel), "%s/%s", cfg->containerd_state,
	    RT_CTRD_TASKS) >= (int)sizeof(rel) ||
	    rt_path(cfg, rel, tasks, sizeof(tasks)) == -1)
		return 0;
	if (snprintf(rel, sizeof(rel), "%s/%s/containers",
	    cfg->containerd_root, RT_CTRD_CRI) >= (int)sizeof(rel) ||
	    rt_path(cfg, rel, cri, sizeof(cri)) == -1)
		return 0;
	/* tasks come and go in <ns>; a CRI container's status file is
	 * replaced (written beside, renamed) in its own directory */
	n = rt_watch_add(paths, n, max, tasks, "");
	n = rt_watch_add(paths, n, max, cri, "");
	n = watch_subdirs(paths, n, max, tasks);
	n = watch_subdirs(paths, n, max, cri);
	return n;
}
