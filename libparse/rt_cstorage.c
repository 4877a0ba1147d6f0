/* podman and CRI-O as runtime sources: containers/storage's
 * containers.json, the bundles' config.json, podman's bolt_state.db and
 * CRI-O's state.json (rt_cstorage.h says what lives where). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bbolt.h"
#include "rt_cstorage.h"
#include "rt_oci.h"
#include "rtutil.h"

#define CRIO_ANN	"io.kubernetes.cri-o."
#define MANAGER_ANN	"io.container.manager"
#define K8S_POD_NAME	"io.kubernetes.pod.name"
#define K8S_POD_NS	"io.kubernetes.pod.namespace"
#define K8S_POD_UID	"io.kubernetes.pod.uid"
#define K8S_CTR_NAME	"io.kubernetes.container.name"
#define K8S_RESTARTS	"io.kubernetes.container.restartCount"
#define NESTED_MAX	(1u << 20)	/* a JSON document inside a string */

/* A string field's bytes (NULL, 0 when absent); -1 when not a string. */
static int
str_field(struct json_object *o, const char *key, const char **s,
    size_t *len, char *err, size_t errsz)
{
	struct json_object *v;
	int rc;

	*s = NULL;
	*len = 0;
	if ((rc = rt_json_field(o, key, json_type_string, &v, err, errsz)) != 1)
		return rc;
	*s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return 1;
}

/* An integer field within [min, max]: 1 with *out, 0 absent, -1. */
static int
int_field(struct json_object *o, const char *key, int64_t min, int64_t max,
    int64_t *out, char *err, size_t errsz)
{
	struct json_object *v;
	int64_t n;
	int rc;

	if ((rc = rt_json_field(o, key, json_type_int, &v, err, errsz)) != 1)
		return rc;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno != 0 || n < min || n > max) {
		rt_seterr(err, errsz, "%s is out of range", key);
		return -1;
	}
	*out = n;
	return 1;
}

static int
bool_field(struct json_object *o, const char *key, int *out, char *err,
    size_t errsz)
{
	struct json_object *v;
	int rc;

	*out = 0;
	if ((rc = rt_json_field(o, key, json_type_boolean, &v, err, errsz))
	    != 1)
		return rc;
	*out = json_object_get_boolean(v) ? 1 : 0;
	return 1;
}

/* Every member of a JSON object of strings as a label; a value of another
 * type makes the object malformed.  Labels that do not fit are left out. */
static int
add_labels(struct cadv_ident *id, struct json_object *labels, const char *what,
    char *err, size_t errsz)
{
	json_object_object_foreach(labels, k, v) {
		if (!json_object_is_type(v, json_type_string)) {
			rt_seterr(err, errsz, "%s: the value of %.64s is not a "
			    "string", what, k);
			return -1;
		}
		(void)ident_add_label(id, k, strlen(k),
		    json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	}
	return 0;
}

/* spec.process.env of an OCI spec object. */
static int
spec_env(const struct rt_config *cfg, struct cadv_ident *id,
    struct json_object *spec, char *err, size_t errsz)
{
	struct json_object *proc, *env;
	int rc;

	if ((rc = rt_json_field(spec, "process", json_type_object, &proc, err,
	    errsz)) != 1)
		return rc;
	if ((rc = rt_json_field(proc, "env", json_type_array, &env, err, errsz))
	    != 1)
		return rc;
	rt_add_env(cfg, id, env);
	return 0;
}

/* A JSON document held in a string (CRI-O's Labels, Annotations and
 * Metadata annotations; c/storage's metadata). */
static struct json_object *
nested(const char *s, size_t len, const char *what, char *err, size_t errsz)
{
	return rt_json_doc(s, len, NESTED_MAX, json_type_object, what, err,
	    errsz);
}

/* ---- times ---- */

/* ---- containers.json ---- */

/* A string member of the metadata ("" when absent); -1 when not one. */
static int
meta_str(struct json_object *m, const char *key, const char **out,
    char *err, size_t errsz)
{
	const char *s;
	size_t len;
	int rc;

	*out = "";
	if (m == NULL)
		return 0;
	if ((rc = str_field(m, key, &s, &len, err, errsz)) == 1)
		*out = s;
	return rc;
}

/* One element of containers.json into e; -1 (err) when malformed.  *meta
 * is the parsed metadata, the caller's to put. */
static int
cs_entry(struct json_object *c, struct rt_cs_entry *e,
    struct json_object **meta, char *err, size_t errsz)
{
	struct json_object *names, *v;
	const char *s;
	size_t len;
	int rc;

	memset(e, 0, sizeof(*e));
	e->name = e->image_name = e->meta_name = e->pod_id = e->pod_name = "";
	e->layer = "";
	*meta = NULL;
	if (!json_object_is_type(c, json_type_object)) {
		rt_seterr(err, errsz, "an entry is not an object");
		return -1;
	}
	if (str_field(c, "id", &s, &len, err, errsz) != 1 ||
	    !rt_is_id(s, len)) {
		rt_seterr(err, errsz, "an entry's id is not 64 hex digits");
		return -1;
	}
	memcpy(e->id, s, RT_CS_ID_LEN);
	if ((rc = rt_json_field(c, "names", json_type_array, &names, err,
	    errsz)) == -1)
		return -1;
	if (rc == 1 && json_object_array_length(names) > 0) {
		v = json_object_array_get_idx(names, 0);
		if (!json_object_is_type(v, json_type_string)) {
			rt_seterr(err, errsz, "names[0] is not a string");
			return -1;
		}
		e->name = json_object_get_string(v);
	}
	if (rt_json_time(c, "created", &e->created_ns, err, errsz) == -1)
		return -1;
	if ((rc = str_field(c, "layer", &s, &len, err, errsz)) == -1)
		return -1;
	if (rc == 1)
		e->layer = s;
	if ((rc = str_field(c, "metadata", &s, &len, err, errsz)) == -1)
		return -1;
	if (rc == 1 && len > 0) {
		if ((*meta = nested(s, len, "metadata", err, errsz)) == NULL)
			return -1;
		if (meta_str(*meta, "image-name", &e->image_name, err,
		    errsz) == -1 ||
		    meta_str(*meta, "name", &e->meta_name, err, errsz) == -1 ||
		    meta_str(*meta, "pod-name", &e->pod_name, err, errsz) ==
		    -1 ||
		    (rc = meta_str(*meta, "pod-id", &e->pod_id, err, errsz)) ==
		    -1)
			return -1;
		/* CRI-O's RuntimeContainerMetadata always has pod-id;
		 * libpod's never */
		e->crio = rc == 1;
		if (bool_field(*meta, "pod", &e->crio_pod, err, errsz) == -1)
			return -1;
		e->crio_pod &= e->crio;
	}
	return 0;
}

int
rt_cs_parse_containers(const char *json, size_t len, rt_cs_entry_cb cb,
    void *arg, unsigned *nbad, char *err, size_t errsz)
{
	struct json_object *doc, *meta;
	struct rt_cs_entry e;
	char why[256];
	size_t i, n;
	int rc = 0;

	*nbad = 0;
	if ((doc = rt_json_doc(json, len, RT_CS_JSON_MAX, json_type_array,
	    "containers.json", err, errsz)) == NULL)
		return -1;
	n = json_object_array_length(doc);
	for (i = 0; i < n && rc == 0; i++) {
		if (cs_entry(json_object_array_get_idx(doc, i), &e, &meta, why,
		    sizeof(why)) == -1) {
			if ((*nbad)++ == 0)
				rt_seterr(err, errsz,
				    "containers.json entry %zu: %s", i, why);
		} else
			rc = cb(arg, &e);
		json_object_put(meta);
	}
	json_object_put(doc);
	return rc;
}

/* ---- podman ---- */

int
rt_podman_parse_config(const char *json, size_t len,
    const struct rt_config *cfg, struct cadv_ident *id, struct rt_podman_ctr *ctr,
    char *err, size_t errsz)
{
	struct json_object *o, *v;
	const char *s;
	size_t sl;
	int rc, b;

	ident_init(id);
	id->runtime = CADV_RT_PODMAN;
	memset(ctr, 0, sizeof(*ctr));
	if ((o = rt_json_doc(json, len, RT_CS_JSON_MAX, json_type_object,
	    "podman config", err, errsz)) == NULL)
		return -1;
	if (str_field(o, "id", &s, &sl, err, errsz) != 1 || !rt_is_id(s, sl)) {
		rt_seterr(err, errsz, "podman config: id is not 64 hex digits");
		goto bad;
	}
	(void)ident_set(id, CADV_IS_ID, s, sl);
	if ((rc = str_field(o, "name", &s, &sl, err, errsz)) == -1 ||
	    (rc == 1 && rt_ident_set(id, CADV_IS_NAME, "name", s, sl, err, errsz)
	    == -1))
		goto bad;
	/* what `podman ps` shows: the name the image was asked by */
	if ((rc = str_field(o, "rootfsImageName", &s, &sl, err, errsz)) == -1)
		goto bad;
	if (sl == 0 && (rc = str_field(o, "RawImageName", &s, &sl, err,
	    errsz)) == -1)
		goto bad;
	if (sl > 0 && rt_ident_set(id, CADV_IS_IMAGE, "image", s, sl, err, errsz)
	    == -1)
		goto bad;
	if ((rc = rt_json_field(o, "labels", json_type_object, &v, err, errsz))
	    == -1 ||
	    (rc == 1 && add_labels(id, v, "labels", err, errsz) == -1))
		goto bad;
	if ((rc = rt_json_field(o, "spec", json_type_object, &v, err, errsz))
	    == -1 ||
	    (rc == 1 && spec_env(cfg, id, v, err, errsz) == -1))
		goto bad;
	if (rt_json_time(o, "createdTime", &id->created_ns, err, errsz) == -1)
		goto bad;
	if ((rc = str_field(o, "pod", &s, &sl, err, errsz)) == -1)
		goto bad;
	if (sl > 0) {
		if (!rt_is_id(s, sl)) {
			rt_seterr(err, errsz, "pod is not 64 hex digits");
			goto bad;
		}
		memcpy(ctr->pod, s, RT_CS_ID_LEN + 1);
	}
	/* the container whose network namespace it joined: a pod's infra */
	if ((rc = str_field(o, "netNsCtr", &s, &sl, err, errsz)) == -1)
		goto bad;
	if (sl > 0) {
		if (!rt_is_id(s, sl)) {
			rt_seterr(err, errsz, "netNsCtr is not 64 hex digits");
			goto bad;
		}
		(void)ident_set(id, CADV_IS_NETNS_OWNER, s, sl);
	}
	/* libpod's IsInfra is spelled "pause" */
	if (bool_field(o, "pause", &b, err, errsz) == -1)
		goto bad;
	if (b) {
		ctr->infra = 1;
		id->flags |= CADV_IDF_SANDBOX;
	}
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	return -1;
}

int
rt_podman_parse_state(const char *json, size_t len, struct cadv_ident *id,
    int *live, char *err, size_t errsz)
{
	struct json_object *o;
	int64_t state, n;
	uint64_t started, finished;
	int rc, exited, oom;

	*live = 0;
	if ((o = rt_json_doc(json, len, RT_CS_JSON_MAX, json_type_object,
	    "podman state", err, errsz)) == NULL)
		return -1;
	if (int_field(o, "state", 0, INT32_MAX, &state, err, errsz) != 1) {
		rt_seterr(err, errsz, "podman state: no state");
		goto bad;
	}
	switch (state) {
	case RT_PODMAN_CREATED:
	case RT_PODMAN_RUNNING:
	case RT_PODMAN_PAUSED:
	case RT_PODMAN_STOPPING:
		*live = 1;
		break;
	}
	if (rt_json_time(o, "startedTime", &started, err, errsz) == -1 ||
	    rt_json_time(o, "finishedTime", &finished, err, errsz) == -1 ||
	    bool_field(o, "exited", &exited, err, errsz) == -1 ||
	    bool_field(o, "oomKilled", &oom, err, errsz) == -1)
		goto bad;
	id->started_ns = started;
	if ((rc = int_field(o, "restartCount", 0, UINT32_MAX, &n, err,
	    errsz)) == -1)
		goto bad;
	if (rc == 1)
		id->restart_count = (uint32_t)n;
	if ((rc = int_field(o, "pid", 0, INT32_MAX, &n, err, errsz)) == -1)
		goto bad;
	if (rc == 1 && *live)
		id->pid = (uint32_t)n;
	/* exitCode is omitted when 0: "exited" (or the state) says it is
	 * known.  A container started again is live whatever it says. */
	if ((rc = int_field(o, "exitCode", INT32_MIN, INT32_MAX, &n, err,
	    errsz)) == -1)
		goto bad;
	if (!*live && (exited || state == RT_PODMAN_STOPPED ||
	    state == RT_PODMAN_EXITED)) {
		id->flags |= CADV_IDF_EXITED;
		id->exit_code = rc == 1 ? (int32_t)n : 0;
		id->finished_ns = finished;
		if (oom)
			id->flags |= CADV_IDF_OOM_KILLED;
	}
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	return -1;
}

int
rt_podman_parse_pod(const char *json, size_t len, struct rt_podman_pod *pod,
    char *err, size_t errsz)
{
	struct json_object *o;
	const char *s;
	size_t sl, cl;
	int rc;

	if ((o = rt_json_doc(json, len, RT_CS_JSON_MAX, json_type_object,
	    "podman pod", err, errsz)) == NULL)
		return -1;
	if ((rc = str_field(o, "id", &s, &sl, err, errsz)) == -1)
		goto bad;
	if (rc == 1) {
		if (!rt_is_id(s, sl)) {
			rt_seterr(err, errsz, "podman pod: id is not 64 hex "
			    "digits");
			goto bad;
		}
		memcpy(pod->id, s, RT_CS_ID_LEN + 1);
	}
	if ((rc = str_field(o, "name", &s, &sl, err, errsz)) == -1)
		goto bad;
	if (rc == 1) {
		if (sl > IDENT_STR_MAX || memchr(s, '\0', sl) != NULL) {
			rt_seterr(err, errsz, "podman pod: name holds a NUL or "
			    "is too long");
			goto bad;
		}
		memcpy(pod->name, s, sl);
		pod->name[sl] = '\0';
	}
	if ((rc = str_field(o, "InfraContainerID", &s, &sl, err, errsz)) == -1)
		goto bad;
	if (rc == 1) {
		if (sl > 0 && !rt_is_id(s, sl)) {
			rt_seterr(err, errsz, "podman pod: InfraContainerID is "
			    "not 64 hex digits");
			goto bad;
		}
		memcpy(pod->infra, s, sl);
		pod->infra[sl] = '\0';
	}
	if ((rc = str_field(o, "cgroupPath", &s, &sl, err, errsz)) == -1)
		goto bad;
	if (rc == 1) {
		/* cgroupfs "/parent/<id>"; systemd's form comes without
		 * the leading '/' */
		pod->cgroup[0] = '\0';
		if (sl > 0 && memchr(s, '\0', sl) == NULL &&
		    cgname_clean(s, sl, pod->cgroup, &cl) == 0 && cl > 1)
			pod->cgroup[cl] = '\0';
		else
			pod->cgroup[0] = '\0';
	}
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	return -1;
}

/* The cgroup and environment of an OCI spec object. */
static int
bundle_fill(struct json_object *o, const struct rt_config *cfg,
    struct cadv_ident *id, int want_cgroup, char *err, size_t errsz)
{
	struct json_object *lx;
	const char *s;
	char cg[CGNAME_MAX + 1];
	size_t sl, cl;
	int rc;

	if ((rc = rt_json_field(o, "linux", json_type_object, &lx, err, errsz))
	    == -1)
		return -1;
	if (rc == 1) {
		if ((rc = str_field(lx, "cgroupsPath", &s, &sl, err, errsz)) ==
		    -1)
			return -1;
		if (rc == 1 && sl > 0 && want_cgroup) {
			if (rt_oci_cgroup(s, sl, cg, &cl, err, errsz) == -1)
				return -1;
			(void)ident_set(id, CADV_IS_CGROUP, cg, cl);
		}
	}
	return spec_env(cfg, id, o, err, errsz);
}

/* annotations[key] as a string: its bytes, or NULL when absent or not a
 * string. */
static const char *
ann_str(struct json_object *ann, const char *key, size_t *len)
{
	struct json_object *v;

	*len = 0;
	if (ann == NULL || !json_object_object_get_ex(ann, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

int
rt_podman_parse_bundle(const char *json, size_t len,
    const struct rt_config *cfg, struct cadv_ident *id, char *err, size_t errsz)
{
	struct json_object *o, *ann;
	const char *m;
	size_t ml;
	int rc;

	if ((o = rt_json_doc(json, len, RT_OCI_JSON_MAX, json_type_object,
	    "config.json", err, errsz)) == NULL)
		return -1;
	if (rt_json_field(o, "annotations", json_type_object, &ann, err, errsz)
	    == -1 ||
	    bundle_fill(o, cfg, id, 1, err, errsz) == -1) {
		json_object_put(o);
		return -1;
	}
	m = ann_str(ann, MANAGER_ANN, &ml);
	rc = m != NULL && ml == 6 && memcmp(m, "libpod", 6) == 0 ? 0 : 1;
	json_object_put(o);
	return rc;
}

/* ---- CRI-O ---- */

/* A member of a nested JSON object as a string (NULL when absent or not
 * a string). */
static const char *
obj_str(struct json_object *o, const char *key, size_t *len)
{
	return ann_str(o, key, len);
}

/* The first of two sources of a string that is non-empty. */
static int
set_either(struct cadv_ident *id, enum cadv_ident_str which, const char *what,
    const char *a, size_t al, const char *b, size_t bl, char *err,
    size_t errsz)
{
	if (a != NULL && al > 0)
		return rt_ident_set(id, which, what, a, al, err, errsz);
	if (b != NULL && bl > 0)
		return rt_ident_set(id, which, what, b, bl, err, errsz);
	return 0;
}

/* A spoofed sandbox's cgroup: CRI-O makes crio-<id> (no ".scope") in the
 * pod's cgroup, the cgroup parent expanded (a systemd slice name) or as it
 * is (cgroupfs). */
static int
spoofed_cgroup(const char *parent, size_t pl, const char *sid,
    struct cadv_ident *id, char *err, size_t errsz)
{
	char path[CGNAME_MAX + 80], cg[CGNAME_MAX + 1];
	size_t cl;
	int n, slice;

	if (pl == 0 || pl > CGNAME_MAX)
		return 0;	/* no pod cgroup: CRI-O makes none */
	slice = pl > 6 && memcmp(parent + pl - 6, ".slice", 6) == 0 &&
	    memchr(parent, '/', pl) == NULL;
	if (slice)
		n = snprintf(path, sizeof(path), "%.*s:crio:%s", (int)pl,
		    parent, sid);
	else
		n = snprintf(path, sizeof(path), "/%.*s/crio-%s", (int)pl,
		    parent, sid);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    rt_oci_cgroup(path, (size_t)n, cg, &cl, err, errsz) == -1)
		return -1;
	if (slice) {
		/* the scope runc would make, less ".scope" */
		if (cl < 6 || memcmp(cg + cl - 6, ".scope", 6) != 0)
			return -1;
		cl -= 6;
		cg[cl] = '\0';
	}
	(void)ident_set(id, CADV_IS_CGROUP, cg, cl);
	return 0;
}

int
rt_crio_parse_config(const char *json, size_t len,
    const struct rt_config *cfg, struct cadv_ident *id, char *err, size_t errsz)
{
	struct json_object *o, *ann, *labels = NULL, *kann = NULL, *meta = NULL;
	const char *s, *s2, *type, *sid;
	size_t sl, sl2, tl, sidl, i;
	int sandbox, spoofed, rc = -1;
	uint64_t n;

	ident_init(id);
	id->runtime = CADV_RT_CRIO;
	if ((o = rt_json_doc(json, len, RT_OCI_JSON_MAX, json_type_object,
	    "config.json", err, errsz)) == NULL)
		return -1;
	if (rt_json_field(o, "annotations", json_type_object, &ann, err, errsz)
	    == -1)
		goto out;
	type = ann_str(ann, CRIO_ANN "ContainerType", &tl);
	s = ann_str(ann, MANAGER_ANN, &sl);
	if (type == NULL || (s != NULL && sl == 6 &&
	    memcmp(s, "libpod", 6) == 0)) {
		rc = 1;		/* podman's, or nobody's we know */
		goto out;
	}
	if (tl == 7 && memcmp(type, "sandbox", 7) == 0)
		sandbox = 1;
	else if (tl == 9 && memcmp(type, "container", 9) == 0)
		sandbox = 0;
	else {
		rt_seterr(err, errsz, "ContainerType is neither sandbox nor "
		    "container");
		goto out;
	}
	s = ann_str(ann, CRIO_ANN "ContainerID", &sl);
	if (s == NULL || !rt_is_id(s, sl)) {
		rt_seterr(err, errsz, "ContainerID is not 64 hex digits");
		goto out;
	}
	(void)ident_set(id, CADV_IS_ID, s, sl);
	sid = ann_str(ann, CRIO_ANN "SandboxID", &sidl);
	if (sid == NULL || !rt_is_id(sid, sidl)) {
		rt_seterr(err, errsz, "SandboxID is not 64 hex digits");
		goto out;
	}
	(void)ident_set(id, CADV_IS_SANDBOX_ID, sid, sidl);
	if (sandbox)
		id->flags |= CADV_IDF_SANDBOX;
	else
		(void)ident_set(id, CADV_IS_NETNS_OWNER, sid, sidl);

	/* the name CRI-O lists it by: a sandbox's infra container is
	 * ContainerName (k8s_POD_...), Name being the pod sandbox's */
	s = ann_str(ann, CRIO_ANN "ContainerName", &sl);
	s2 = ann_str(ann, CRIO_ANN "Name", &sl2);
	if (set_either(id, CADV_IS_NAME, "Name", sandbox ? s : s2, sandbox ? sl :
	    sl2, s2, sl2, err, errsz) == -1)
		goto out;
	s = ann_str(ann, CRIO_ANN "ImageName", &sl);
	s2 = ann_str(ann, CRIO_ANN "Image", &sl2);
	if (set_either(id, CADV_IS_IMAGE, "ImageName", s, sl, s2, sl2, err,
	    errsz) == -1)
		goto out;

	if ((s = ann_str(ann, CRIO_ANN "Labels", &sl)) != NULL && sl > 0) {
		if ((labels = nested(s, sl, "Labels", err, errsz)) == NULL ||
		    add_labels(id, labels, "Labels", err, errsz) == -1)
			goto out;
	}
	if ((s = ann_str(ann, CRIO_ANN "Metadata", &sl)) != NULL && sl > 0 &&
	    (meta = nested(s, sl, "Metadata", err, errsz)) == NULL)
		goto out;
	s = obj_str(labels, K8S_POD_NAME, &sl);
	s2 = ann_str(ann, CRIO_ANN "KubeName", &sl2);
	if (s2 == NULL && sandbox)
		s2 = obj_str(meta, "name", &sl2);
	if (set_either(id, CADV_IS_POD_NAME, K8S_POD_NAME, s, sl, s2, sl2, err,
	    errsz) == -1)
		goto out;
	s = obj_str(labels, K8S_POD_NS, &sl);
	s2 = ann_str(ann, CRIO_ANN "Namespace", &sl2);
	if (s2 == NULL && sandbox)
		s2 = obj_str(meta, "namespace", &sl2);
	if (set_either(id, CADV_IS_POD_NAMESPACE, K8S_POD_NS, s, sl, s2, sl2, err,
	    errsz) == -1)
		goto out;
	s = obj_str(labels, K8S_POD_UID, &sl);
	s2 = sandbox ? obj_str(meta, "uid", &sl2) : NULL;
	if (set_either(id, CADV_IS_POD_UID, K8S_POD_UID, s, sl, s2, sl2, err,
	    errsz) == -1)
		goto out;
	s = obj_str(labels, K8S_CTR_NAME, &sl);
	s2 = sandbox ? NULL : obj_str(meta, "name", &sl2);
	if (set_either(id, CADV_IS_CONTAINER_NAME, K8S_CTR_NAME, s, sl, s2, sl2,
	    err, errsz) == -1)
		goto out;

	if ((s = ann_str(ann, CRIO_ANN "Created", &sl)) != NULL &&
	    rt_time(s, sl, &id->created_ns) == -1) {
		rt_seterr(err, errsz, "Created is not an RFC 3339 time");
		goto out;
	}
	/* the kubelet's restart count, among its annotations */
	if ((s = ann_str(ann, CRIO_ANN "Annotations", &sl)) != NULL &&
	    sl > 0 && (kann = nested(s, sl, "Annotations", err, errsz)) ==
	    NULL)
		goto out;
	if ((s = obj_str(kann, K8S_RESTARTS, &sl)) == NULL)
		s = ann_str(ann, K8S_RESTARTS, &sl);
	if (s != NULL && sl > 0 && sl <= 10) {
		for (i = 0, n = 0; i < sl && s[i] >= '0' && s[i] <= '9'; i++)
			n = n * 10 + (uint64_t)(s[i] - '0');
		if (i == sl && n <= UINT32_MAX)
			id->restart_count = (uint32_t)n;
	}

	s = ann_str(ann, CRIO_ANN "Spoofed", &sl);
	spoofed = sandbox && s != NULL && sl == 4 && memcmp(s, "true", 4) == 0;
	if (bundle_fill(o, cfg, id, !spoofed, err, errsz) == -1)
		goto out;
	if (spoofed) {
		s = ann_str(ann, CRIO_ANN "CgroupParent", &sl);
		if (s != NULL && spoofed_cgroup(s, sl, sid, id, err, errsz) ==
		    -1) {
			rt_seterr(err, errsz, "CgroupParent is not a cgroup");
			goto out;
		}
	}
	rc = 0;
out:
	json_object_put(kann);
	json_object_put(meta);
	json_object_put(labels);
	json_object_put(o);
	return rc;
}

int
rt_crio_parse_state(const char *json, size_t len, struct cadv_ident *id,
    int *live, char *err, size_t errsz)
{
	struct json_object *o;
	const char *st;
	size_t sl;
	int64_t n;
	uint64_t t;
	int rc, oom;

	*live = 1;
	if ((o = rt_json_doc(json, len, RT_CS_JSON_MAX, json_type_object,
	    "state.json", err, errsz)) == NULL)
		return -1;
	if (str_field(o, "status", &st, &sl, err, errsz) != 1) {
		rt_seterr(err, errsz, "state.json: no status");
		goto bad;
	}
	*live = !(sl == 7 && memcmp(st, "stopped", 7) == 0);
	if (rt_json_time(o, "created", &t, err, errsz) == -1)
		goto bad;
	if (id->created_ns == 0)
		id->created_ns = t;
	if (rt_json_time(o, "started", &t, err, errsz) == -1)
		goto bad;
	id->started_ns = t;
	if ((rc = int_field(o, "pid", 0, INT32_MAX, &n, err, errsz)) == -1)
		goto bad;
	if (rc == 1 && *live)
		id->pid = (uint32_t)n;
	if (rt_json_time(o, "finished", &t, err, errsz) == -1 ||
	    bool_field(o, "oomKilled", &oom, err, errsz) == -1 ||
	    (rc = int_field(o, "exitCode", INT32_MIN, INT32_MAX, &n, err,
	    errsz)) == -1)
		goto bad;
	/* exitCode is a pointer in CRI-O: absent, it is not known */
	if (!*live && rc == 1) {
		id->flags |= CADV_IDF_EXITED;
		id->exit_code = (int32_t)n;
		id->finished_ns = t;
	}
	if (!*live && oom)
		id->flags |= CADV_IDF_OOM_KILLED;
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	return -1;
}

/* ---- reading files ---- */

/* A file that could not be read: counted (a missing one is not). */
static void
note_read(struct rt_scan_stats *st, const char *path, int e)
{
	if (e == ENOENT || e == ENOTDIR)
		return;
	rt_note(st, e == EFBIG || e == EINVAL || e == ELOOP ? &st->malformed :
	    &st->unreadable, "%s: %s", path, rt_read_why(e));
}

/* The storage driver whose "<driver>-containers" directory root has:
 * "overlay" (rootful's default) when that is there, else the first other
 * one found (rootless podman without fuse-overlayfs uses "vfs").  0, or -1
 * with errno (ENOENT: no store at all). */
static int
cs_driver(const char *root, char *drv, size_t drvsz)
{
	char path[PATH_MAX];
	struct stat sb;
	struct dirent *de;
	DIR *d;
	size_t nl;
	int n, e;

	n = snprintf(path, sizeof(path), "%s/overlay-containers", root);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(drv, drvsz, "overlay");
		return 0;
	}
	if (errno != ENOENT && errno != ENOTDIR)
		return -1;
	if ((d = opendir(root)) == NULL)
		return -1;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		nl = strlen(de->d_name);
		if (nl <= 11 || nl - 11 >= drvsz ||
		    strcmp(de->d_name + nl - 11, "-containers") != 0 ||
		    de->d_name[0] == '.')
			continue;
		memcpy(drv, de->d_name, nl - 11);
		drv[nl - 11] = '\0';
		closedir(d);
		return 0;
	}
	e = errno;
	closedir(d);
	errno = e != 0 ? e : ENOENT;
	return -1;
}

/* <dir>/<driver>-containers/<id>/userdata/<file> */
static int
ctr_path(char *out, size_t outsz, const char *dir, const char *drv,
    const char *id, const char *file)
{
	int n = snprintf(out, outsz, "%s/%s-containers/%s/userdata/%s",
	    dir, drv, id, file);

	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* <dir>/<driver>-containers/containers.json */
static int
list_path(char *out, size_t outsz, const char *dir, const char *drv)
{
	int n = snprintf(out, outsz, "%s/%s-containers/containers.json", dir,
	    drv);

	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* ---- the podman source ---- */

struct podman_scan {
	const struct rt_config	*cfg;
	const char		*root;		/* graph root, host joined */
	char			 drv[64];	/* storage driver */
	struct bolt		*bolt;
	struct rt_podman_pod	*pods;
	size_t			 npods, podcap;
	ident_sink		 sink;
	void			*arg;
	struct rt_scan_stats	*st;
	struct cadv_ident		*id;
	int			 rc;
};

static const struct rt_podman_pod *
find_pod(const struct podman_scan *ps, const char *id)
{
	size_t i;

	for (i = 0; i < ps->npods; i++)
		if (strcmp(ps->pods[i].id, id) == 0)
			return &ps->pods[i];
	return NULL;
}

static int
emit(struct podman_scan *ps, const struct cadv_ident *id)
{
	ps->st->found++;
	return ps->sink(ps->arg, id);
}

static int
pod_cb(void *arg, const void *key, size_t klen, const void *val,
    size_t vlen, const struct bolt_bucket *sub)
{
	struct podman_scan *ps = arg;
	struct rt_podman_pod *pod;
	const void *v;
	size_t vl;
	char err[256];

	(void)val;
	(void)vlen;
	if (sub == NULL)
		return 0;
	if (!rt_is_id(key, klen)) {
		rt_note(ps->st, &ps->st->malformed, "%s: a pod named by no id",
		    ps->root);
		return 0;
	}
	if (ps->npods == ps->podcap) {
		size_t nc = ps->podcap ? ps->podcap * 2 : 8;
		struct rt_podman_pod *np;

		if ((np = realloc(ps->pods, nc * sizeof(*np))) == NULL)
			return 0;	/* its containers lose the pod */
		ps->pods = np;
		ps->podcap = nc;
	}
	pod = &ps->pods[ps->npods];
	memset(pod, 0, sizeof(*pod));
	memcpy(pod->id, key, RT_CS_ID_LEN);
	if (bolt_get(ps->bolt, sub, "config", 6, &v, &vl) == BOLT_OK &&
	    rt_podman_parse_pod(v, vl, pod, err, sizeof(err)) == -1) {
		rt_note(ps->st, &ps->st->malformed, "pod %.12s: %s", pod->id,
		    err);
		return 0;
	}
	if (bolt_get(ps->bolt, sub, "state", 5, &v, &vl) == BOLT_OK &&
	    rt_podman_parse_pod(v, vl, pod, err, sizeof(err)) == -1) {
		rt_note(ps->st, &ps->st->malformed, "pod %.12s: %s", pod->id,
		    err);
		return 0;
	}
	if (memcmp(pod->id, key, RT_CS_ID_LEN) != 0) {
		rt_note(ps->st, &ps->st->malformed,
		    "pod %.12s: its config names another id",
		    (const char *)key);
		return 0;
	}
	ps->npods++;
	return 0;
}

/* The bundle's cgroup (and environment) into ps->id: 0, 1 when the
 * container is gone (skipped), -1 when unreadable or malformed (noted). */
static int
podman_bundle(struct podman_scan *ps, const char *cid)
{
	char path[PATH_MAX], err[256], *buf;
	size_t len;

	if (ctr_path(path, sizeof(path), ps->root, ps->drv, cid,
	    "config.json") == -1) {
		rt_note(ps->st, &ps->st->unreadable, "%s: path too long",
		    ps->root);
		return -1;
	}
	if (rt_read_at(AT_FDCWD, path, RT_OCI_JSON_MAX, &buf, &len) == -1) {
		if (errno == ENOENT)
			return 1;
		note_read(ps->st, path, errno);
		return -1;
	}
	if (rt_podman_parse_bundle(buf, len, ps->cfg, ps->id, err,
	    sizeof(err)) == -1) {
		rt_note(ps->st, &ps->st->malformed, "%s: %s", path, err);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static int
ctr_cb(void *arg, const void *key, size_t klen, const void *val,
    size_t vlen, const struct bolt_bucket *sub)
{
	struct podman_scan *ps = arg;
	struct rt_podman_ctr ctr;
	const struct rt_podman_pod *pod;
	const void *v;
	size_t vl;
	char err[256], cid[RT_CS_ID_LEN + 1];
	int live = 0, rc;

	(void)val;
	(void)vlen;
	if (sub == NULL)
		return 0;
	if (!rt_is_id(key, klen)) {
		rt_note(ps->st, &ps->st->malformed,
		    "%s: a container named by no id", ps->root);
		return 0;
	}
	memcpy(cid, key, RT_CS_ID_LEN);
	cid[RT_CS_ID_LEN] = '\0';
	if (bolt_get(ps->bolt, sub, "config", 6, &v, &vl) != BOLT_OK) {
		rt_note(ps->st, &ps->st->malformed,
		    "container %.12s: no config", cid);
		return 0;
	}
	if (rt_podman_parse_config(v, vl, ps->cfg, ps->id, &ctr, err,
	    sizeof(err)) == -1) {
		rt_note(ps->st, &ps->st->malformed, "container %.12s: %s", cid,
		    err);
		return 0;
	}
	if (strcmp(ident_get(ps->id, CADV_IS_ID, NULL), cid) != 0) {
		rt_note(ps->st, &ps->st->malformed,
		    "container %.12s: its config names another id", cid);
		return 0;
	}
	if (bolt_get(ps->bolt, sub, "state", 5, &v, &vl) == BOLT_OK &&
	    rt_podman_parse_state(v, vl, ps->id, &live, err, sizeof(err)) ==
	    -1) {
		rt_note(ps->st, &ps->st->malformed, "container %.12s: %s", cid,
		    err);
		return 0;
	}
	if (ctr.pod[0] != '\0' && (pod = find_pod(ps, ctr.pod)) != NULL) {
		(void)ident_set(ps->id, CADV_IS_POD_NAME, pod->name,
		    strlen(pod->name));
		(void)ident_set(ps->id, CADV_IS_POD_UID, pod->id, RT_CS_ID_LEN);
		if (pod->infra[0] != '\0')
			(void)ident_set(ps->id, CADV_IS_SANDBOX_ID, pod->infra,
			    RT_CS_ID_LEN);
	}
	/* the cgroup is the bundle's: while the state says it exists, and
	 * once it has exited (so that a container identd never saw running
	 * still names the cgroup its events came from) */
	if (live && (rc = podman_bundle(ps, cid)) != 0)
		return 0;
	if (!live && (ps->id->flags & CADV_IDF_EXITED))
		(void)podman_bundle(ps, cid);
	ps->rc = emit(ps, ps->id);
	return ps->rc != 0;	/* the sink's value is kept in ps->rc */
}

/* The identity of a pod's own cgroup (podman makes one per pod unless
 * told not to), from its state's cgroupPath. */
static int
emit_pods(struct podman_scan *ps)
{
	const struct rt_podman_pod *pod;
	size_t i;
	int rc;

	for (i = 0; i < ps->npods; i++) {
		pod = &ps->pods[i];
		if (pod->cgroup[0] == '\0')
			continue;
		ident_init(ps->id);
		ps->id->runtime = CADV_RT_PODMAN;
		ps->id->flags = CADV_IDF_POD;
		(void)ident_set(ps->id, CADV_IS_ID, pod->id, RT_CS_ID_LEN);
		(void)ident_set(ps->id, CADV_IS_CGROUP, pod->cgroup,
		    strlen(pod->cgroup));
		(void)ident_set(ps->id, CADV_IS_POD_NAME, pod->name,
		    strlen(pod->name));
		(void)ident_set(ps->id, CADV_IS_POD_UID, pod->id, RT_CS_ID_LEN);
		if (pod->infra[0] != '\0')
			(void)ident_set(ps->id, CADV_IS_SANDBOX_ID, pod->infra,
			    RT_CS_ID_LEN);
		if ((rc = emit(ps, ps->id)) != 0)
			return rc;
	}
	return 0;
}

/* Without bolt_state.db (podman 5 keeps its state in SQLite): what
 * containers.json and the bundles say of podman's containers. */
static int
fallback_cb(void *arg, const struct rt_cs_entry *e)
{
	struct podman_scan *ps = arg;
	char path[PATH_MAX], err[256], *buf;
	size_t len;
	int rc;

	if (e->crio)
		return 0;
	if (ctr_path(path, sizeof(path), ps->root, ps->drv, e->id,
	    "config.json") == -1)
		return 0;
	if (rt_read_at(AT_FDCWD, path, RT_OCI_JSON_MAX, &buf, &len) == -1) {
		note_read(ps->st, path, errno);
		return 0;
	}
	ident_init(ps->id);
	ps->id->runtime = CADV_RT_PODMAN;
	rc = rt_podman_parse_bundle(buf, len, ps->cfg, ps->id, err,
	    sizeof(err));
	free(buf);
	if (rc == -1)
		rt_note(ps->st, &ps->st->malformed, "%s: %s", path, err);
	if (rc != 0)
		return 0;	/* malformed, or not podman's */
	(void)ident_set(ps->id, CADV_IS_ID, e->id, RT_CS_ID_LEN);
	(void)ident_set(ps->id, CADV_IS_NAME, e->name, strlen(e->name));
	(void)ident_set(ps->id, CADV_IS_IMAGE, e->image_name,
	    strlen(e->image_name));
	ps->id->created_ns = e->created_ns;
	ps->rc = emit(ps, ps->id);
	return ps->rc != 0;
}

static int
podman_fallback(struct podman_scan *ps)
{
	char path[PATH_MAX], err[256], *buf;
	size_t len;
	unsigned nbad;

	if (list_path(path, sizeof(path), ps->root, ps->drv) == -1)
		return 0;
	if (rt_read_at(AT_FDCWD, path, RT_CS_JSON_MAX, &buf, &len) == -1) {
		note_read(ps->st, path, errno);
		return 0;
	}
	if (rt_cs_parse_containers(buf, len, fallback_cb, ps, &nbad, err,
	    sizeof(err)) == -1 || nbad > 0)
		rt_note(ps->st, &ps->st->malformed, "%s: %s", path, err);
	free(buf);
	return ps->rc;
}

/* One store: graph root root (already joined to the host). */
static int
podman_store(const struct rt_config *cfg, const char *root, ident_sink sink,
    void *arg, struct rt_scan_stats *st)
{
	static const char *const ctr_bucket[] = { "ctr" };
	static const char *const pod_bucket[] = { "pod" };
	struct podman_scan ps;
	struct bolt_bucket bk;
	char path[PATH_MAX], err[512], *buf;
	size_t len;
	int n, rc, try;

	memset(&ps, 0, sizeof(ps));
	ps.cfg = cfg;
	ps.root = root;
	ps.sink = sink;
	ps.arg = arg;
	ps.st = st;
	n = snprintf(path, sizeof(path), "%s/libpod/bolt_state.db", root);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		rt_note(st, &st->unreadable, "%s: path too long", root);
		return 0;
	}
	if (cs_driver(root, ps.drv, sizeof(ps.drv)) == -1) {
		if (errno != ENOENT && errno != ENOTDIR) {
			rt_note(st, &st->unreadable, "%s: %s", root,
			    strerror(errno));
			return 0;
		}
		snprintf(ps.drv, sizeof(ps.drv), "overlay");
	}
	if ((ps.id = malloc(sizeof(*ps.id))) == NULL) {
		rt_note(st, &st->unreadable, "%s: out of memory", root);
		return 0;
	}
	/* read here (no link followed, no FIFO waited on), then checked: a
	 * copy torn by podman writing it is refused, and read again */
	for (try = 0, rc = BOLT_BAD; try < 3 && rc != BOLT_OK; try++) {
		if (rt_read_at(AT_FDCWD, path, RT_CS_BOLT_MAX, &buf, &len)
		    == -1) {
			if (errno == ENOENT) {
				rc = podman_fallback(&ps);
				free(ps.id);
				return rc;
			}
			note_read(st, path, errno);
			free(ps.id);
			return 0;
		}
		rc = bolt_load(&ps.bolt, buf, len, err, sizeof(err));
		free(buf);
	}
	if (rc != BOLT_OK) {
		rt_note(st, &st->malformed, "%s: %s", path, err);
		free(ps.id);
		return 0;
	}
	if (bolt_path(ps.bolt, &bk, 1, pod_bucket) == BOLT_OK &&
	    bolt_each(ps.bolt, &bk, pod_cb, &ps) != 0)
		rt_note(st, &st->malformed, "%s: the pod bucket", path);
	rc = bolt_path(ps.bolt, &bk, 1, ctr_bucket);
	if (rc == BOLT_OK) {
		rc = bolt_each(ps.bolt, &bk, ctr_cb, &ps);
		if (ps.rc != 0)
			rc = ps.rc;
		else if (rc != 0) {
			rt_note(st, &st->malformed, "%s: the ctr bucket", path);
			rc = 0;
		}
	} else {
		if (rc == BOLT_BAD)
			rt_note(st, &st->malformed, "%s: the ctr bucket", path);
		rc = 0;
	}
	if (rc == 0)
		rc = emit_pods(&ps);
	bolt_close(ps.bolt);
	free(ps.pods);
	free(ps.id);
	return rc;
}

int
rt_cs_rootless_paths(char *root, size_t rootsz, char *runroot,
    size_t runrootsz)
{
	struct passwd pw, *res = NULL;
	char pwbuf[4096], ud[64];
	const char *home, *data, *run, *tmp;
	struct stat sb;
	int n;

	data = getenv("XDG_DATA_HOME");
	if (data != NULL && data[0] == '/')
		n = snprintf(root, rootsz, "%s/containers/storage", data);
	else {
		home = getenv("HOME");
		if ((home == NULL || home[0] != '/') &&
		    getpwuid_r(geteuid(), &pw, pwbuf, sizeof(pwbuf), &res) ==
		    0 && res != NULL)
			home = res->pw_dir;
		if (home == NULL || home[0] != '/') {
			errno = ENOENT;
			return -1;
		}
		n = snprintf(root, rootsz, "%s/.local/share/containers/"
		    "storage", home);
	}
	if (n < 0 || (size_t)n >= rootsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* podman's runtime directory: XDG_RUNTIME_DIR, else /run/user/<uid>
	 * when it is the user's, else $TMPDIR/podman-run-<uid> */
	run = getenv("XDG_RUNTIME_DIR");
	snprintf(ud, sizeof(ud), "/run/user/%u", (unsigned)geteuid());
	if (run != NULL && run[0] == '/')
		n = snprintf(runroot, runrootsz, "%s/containers", run);
	else if (stat(ud, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    sb.st_uid == geteuid())
		n = snprintf(runroot, runrootsz, "%s/containers", ud);
	else {
		tmp = getenv("TMPDIR");
		n = snprintf(runroot, runrootsz, "%s/podman-run-%u/containers",
		    tmp != NULL && tmp[0] == '/' ? tmp : "/tmp",
		    (unsigned)geteuid());
	}
	if (n < 0 || (size_t)n >= runrootsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* The rootless store to scan besides cfg's: when not root, the user's
 * own, unless cfg already names it. */
static int
rootless_root(const char *rootful, char *root, size_t rootsz)
{
	char run[PATH_MAX];

	if (geteuid() == 0 ||
	    rt_cs_rootless_paths(root, rootsz, run, sizeof(run)) == -1)
		return 0;
	return strcmp(root, rootful) != 0;
}

int
rt_podman_scan(const struct rt_config *cfg, ident_sink sink, void *arg,
    struct rt_scan_stats *st)
{
	char root[PATH_MAX], user[PATH_MAX];
	int rc;

	if (rt_path(cfg, cfg->storage_root, root, sizeof(root)) == -1) {
		rt_note(st, &st->unreadable, "%s: path too long",
		    cfg->storage_root);
		return 0;
	}
	if ((rc = podman_store(cfg, root, sink, arg, st)) != 0)
		return rc;
	if (rootless_root(root, user, sizeof(user)))
		rc = podman_store(cfg, user, sink, arg, st);
	return rc;
}

/* A store's files and directories: bolt_state.db (written in place) and
 * its directory (podman), containers.json (replaced) and its directory;
 * with per_ctr, every container's userdata directory too (CRI-O rewrites
 * state.json there when a container stops). */
static size_t
store_watch(char paths[][PATH_MAX], size_t n, size_t max, const char *root,
    int libpod, int per_ctr)
{
	char drv[64], sub[96], dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int len;

	if (cs_driver(root, drv, sizeof(drv)) == -1)
		snprintf(drv, sizeof(drv), "overlay");
	if (libpod) {
		n = rt_watch_add(paths, n, max, root, "/libpod");
		n = rt_watch_add(paths, n, max, root, "/libpod/bolt_state.db");
	}
	snprintf(sub, sizeof(sub), "/%s-containers", drv);
	n = rt_watch_add(paths, n, max, root, sub);
	snprintf(sub, sizeof(sub), "/%s-containers/containers.json", drv);
	n = rt_watch_add(paths, n, max, root, sub);
	len = snprintf(dir, sizeof(dir), "%s/%s-containers", root, drv);
	if (!per_ctr || len < 0 || (size_t)len >= sizeof(dir) ||
	    (d = opendir(dir)) == NULL)
		return n;
	while (n < max && (de = readdir(d)) != NULL)
		if (rt_is_id(de->d_name, strlen(de->d_name)) &&
		    snprintf(sub, sizeof(sub), "/%s/userdata", de->d_name) > 0)
			n = rt_watch_add(paths, n, max, dir, sub);
	closedir(d);
	return n;
}

size_t
rt_podman_watch(const struct rt_config *cfg, char paths[][PATH_MAX],
    size_t max)
{
	char root[PATH_MAX], user[PATH_MAX];
	size_t n = 0;

	/* bolt_state.db is written in place; containers.json replaced */
	if (rt_path(cfg, cfg->storage_root, root, sizeof(root)) == 0) {
		n = store_watch(paths, n, max, root, 1, 0);
		if (rootless_root(root, user, sizeof(user)))
			n = store_watch(paths, n, max, user, 1, 0);
	}
	return n;
}

/* ---- the CRI-O source ---- */

struct crio_scan {
	const struct rt_config	*cfg;
	char			 root[PATH_MAX], runroot[PATH_MAX];
	char			 drv[64];	/* storage driver */
	ident_sink		 sink;
	void			*arg;
	struct rt_scan_stats	*st;
	struct cadv_ident		*id;
	int			 rc;	/* the sink's, when it stopped us */
};

/* The pod's own cgroup, named after its sandbox: the kubelet's
 * kubepods/.../pod<uid> (or its systemd slice) holding the sandbox's. */
static int
crio_pod(struct crio_scan *cs)
{
	char pcg[CGNAME_MAX + 1], name[IDENT_STR_MAX + 1],
	    ns[IDENT_STR_MAX + 1], uid[IDENT_STR_MAX + 1],
	    sid[IDENT_STR_MAX + 1];
	struct cadv_ident *id = cs->id;
	const char *cg, *u;
	size_t cl, ul, plen;

	cg = ident_get(id, CADV_IS_CGROUP, &cl);
	u = ident_get(id, CADV_IS_POD_UID, &ul);
	if (cl == 0 || ul == 0 || rt_pod_cgroup(cg, cl, u, ul, &plen) != 1)
		return 0;
	/* copied out: the ident is reused for the pod */
	memcpy(pcg, cg, plen);
	pcg[plen] = '\0';
	snprintf(uid, sizeof(uid), "%s", u);
	snprintf(name, sizeof(name), "%s", ident_get(id, CADV_IS_POD_NAME, NULL));
	snprintf(ns, sizeof(ns), "%s", ident_get(id, CADV_IS_POD_NAMESPACE, NULL));
	snprintf(sid, sizeof(sid), "%s", ident_get(id, CADV_IS_SANDBOX_ID, NULL));
	ident_init(id);
	id->runtime = CADV_RT_CRIO;
	id->flags = CADV_IDF_POD;
	(void)ident_set(id, CADV_IS_ID, uid, strlen(uid));
	(void)ident_set(id, CADV_IS_CGROUP, pcg, plen);
	(void)ident_set(id, CADV_IS_POD_NAME, name, strlen(name));
	(void)ident_set(id, CADV_IS_POD_NAMESPACE, ns, strlen(ns));
	(void)ident_set(id, CADV_IS_POD_UID, uid, strlen(uid));
	(void)ident_set(id, CADV_IS_SANDBOX_ID, sid, strlen(sid));
	cs->st->found++;
	return cs->sink(cs->arg, id);
}

static int
crio_cb(void *arg, const struct rt_cs_entry *e)
{
	struct crio_scan *cs = arg;
	char path[PATH_MAX], err[256], *buf = NULL;
	const char *dir;
	size_t len;
	int rc, live;

	if (!e->crio)
		return 0;
	/* the copy kept in the graph root, else runc's in the run root */
	dir = cs->root;
	if (ctr_path(path, sizeof(path), dir, cs->drv, e->id, "config.json") ==
	    -1)
		return 0;
	if (rt_read_at(AT_FDCWD, path, RT_OCI_JSON_MAX, &buf, &len) == -1 &&
	    errno == ENOENT) {
		dir = cs->runroot;
		if (ctr_path(path, sizeof(path), dir, cs->drv, e->id,
		    "config.json") == -1)
			return 0;
		(void)rt_read_at(AT_FDCWD, path, RT_OCI_JSON_MAX, &buf, &len);
	}
	if (buf == NULL) {
		note_read(cs->st, path, errno);
		return 0;
	}
	rc = rt_crio_parse_config(buf, len, cs->cfg, cs->id, err, sizeof(err));
	free(buf);
	if (rc == -1)
		rt_note(cs->st, &cs->st->malformed, "%s: %s", path, err);
	if (rc != 0)
		return 0;
	if (strcmp(ident_get(cs->id, CADV_IS_ID, NULL), e->id) != 0) {
		rt_note(cs->st, &cs->st->malformed, "%s: ContainerID names "
		    "another container", path);
		return 0;
	}
	if (cs->id->s[CADV_IS_NAME].len == 0)
		(void)ident_set(cs->id, CADV_IS_NAME, e->name, strlen(e->name));
	if (cs->id->s[CADV_IS_IMAGE].len == 0)
		(void)ident_set(cs->id, CADV_IS_IMAGE, e->image_name,
		    strlen(e->image_name));
	if (cs->id->created_ns == 0)
		cs->id->created_ns = e->created_ns;
	/* state.json: written by CRI-O, absent until it first saves one */
	if (ctr_path(path, sizeof(path), cs->root, cs->drv, e->id,
	    "state.json") == 0) {
		if (rt_read_at(AT_FDCWD, path, RT_CS_JSON_MAX, &buf, &len)
		    == -1)
			note_read(cs->st, path, errno);
		else {
			if (rt_crio_parse_state(buf, len, cs->id, &live, err,
			    sizeof(err)) == -1)
				rt_note(cs->st, &cs->st->malformed, "%s: %s",
				    path, err);
			else if (!live && !(cs->id->flags & CADV_IDF_EXITED))
				(void)ident_set(cs->id, CADV_IS_CGROUP, "", 0);
			free(buf);
		}
	}
	cs->st->found++;
	if ((cs->rc = cs->sink(cs->arg, cs->id)) == 0 &&
	    (cs->id->flags & CADV_IDF_SANDBOX))
		cs->rc = crio_pod(cs);
	return cs->rc != 0;
}

int
rt_crio_scan(const struct rt_config *cfg, ident_sink sink, void *arg,
    struct rt_scan_stats *st)
{
	struct crio_scan *cs;
	char path[PATH_MAX], err[256], *buf;
	size_t len;
	unsigned nbad;
	int rc;

	if ((cs = calloc(1, sizeof(*cs))) == NULL ||
	    (cs->id = malloc(sizeof(*cs->id))) == NULL) {
		free(cs);
		rt_note(st, &st->unreadable, "crio: out of memory");
		return 0;
	}
	cs->cfg = cfg;
	cs->sink = sink;
	cs->arg = arg;
	cs->st = st;
	rc = 0;
	if (rt_path(cfg, cfg->storage_root, cs->root, sizeof(cs->root)) == -1 ||
	    rt_path(cfg, cfg->storage_runroot, cs->runroot,
	    sizeof(cs->runroot)) == -1) {
		rt_note(st, &st->unreadable, "%s: path too long",
		    cfg->storage_root);
		goto out;
	}
	if (cs_driver(cs->root, cs->drv, sizeof(cs->drv)) == -1) {
		/* no store: CRI-O is not here */
		if (errno != ENOENT && errno != ENOTDIR)
			rt_note(st, &st->unreadable, "%s: %s", cs->root,
			    strerror(errno));
		goto out;
	}
	if (list_path(path, sizeof(path), cs->root, cs->drv) == -1)
		goto out;
	if (rt_read_at(AT_FDCWD, path, RT_CS_JSON_MAX, &buf, &len) == -1) {
		note_read(st, path, errno);
		goto out;
	}
	if (rt_cs_parse_containers(buf, len, crio_cb, cs, &nbad, err,
	    sizeof(err)) == -1 || nbad > 0)
		rt_note(st, &st->malformed, "%s: %s", path, err);
	free(buf);
	rc = cs->rc;
out:
	free(cs->id);
	free(cs);
	return rc;
}

size_t
rt_crio_watch(const struct rt_config *cfg, char paths[][PATH_MAX],
    size_t max)
{
	char p[PATH_MAX];
	size_t n = 0;

	/* conmon's exit files (crio.conf container_exits_dir's default):
	 * a container stopped, its state.json follows */
	if (rt_path(cfg, "/run/crio/exits", p, sizeof(p)) == 0)
		n = rt_watch_add(paths, n, max, p, "");
	if (rt_path(cfg, cfg->storage_root, p, sizeof(p)) == 0)
		n = store_watch(paths, n, max, p, 0, 1);
	return n;
}

/* ---- writable layers ---- */

struct cs_layers {
	int		 crio;
	char		 dir[PATH_MAX];	/* <root>/overlay or <root>/vfs/dir */
	const char	*suffix;	/* "/diff" (overlay), "" (vfs) */
	int		(*cb)(void *, const char *, const char *, const char *);
	void		*arg;
	int		 rc;
};

static int
layers_cb(void *arg, const struct rt_cs_entry *e)
{
	struct cs_layers *cl = arg;
	char rel[RT_CS_ID_LEN + 8];

	/* the layer id names a directory: only an id of ours will do */
	if (e->crio != cl->crio || !rt_is_id(e->layer, strlen(e->layer)))
		return 0;
	snprintf(rel, sizeof(rel), "%s%s", e->layer, cl->suffix);
	cl->rc = cl->cb(cl->arg, e->id, cl->dir, rel);
	return cl->rc != 0;
}

static int
store_layers(struct cs_layers *cl, const char *root, struct rt_scan_stats *st)
{
	char drv[64], path[PATH_MAX], err[256], *buf;
	size_t len;
	unsigned nbad;
	int n;

	if (cs_driver(root, drv, sizeof(drv)) == -1)
		return 0;
	if (strcmp(drv, "overlay") == 0) {
		n = snprintf(cl->dir, sizeof(cl->dir), "%s/overlay", root);
		cl->suffix = "/diff";
	} else if (strcmp(drv, "vfs") == 0) {
		n = snprintf(cl->dir, sizeof(cl->dir), "%s/vfs/dir", root);
		cl->suffix = "";
	} else
		return 0;	/* a driver whose layout we do not know */
	if (n < 0 || (size_t)n >= sizeof(cl->dir) ||
	    list_path(path, sizeof(path), root, drv) == -1)
		return 0;
	if (rt_read_at(AT_FDCWD, path, RT_CS_JSON_MAX, &buf, &len) == -1) {
		note_read(st, path, errno);
		return 0;
	}
	if (rt_cs_parse_containers(buf, len, layers_cb, cl, &nbad, err,
	    sizeof(err)) == -1 || nbad > 0)
		rt_note(st, &st->malformed, "%s: %s", path, err);
	free(buf);
	return cl->rc;
}

int
rt_cs_layers(const struct rt_config *cfg, int crio,
    int (*cb)(void *, const char *, const char *, const char *), void *arg,
    struct rt_scan_stats *st)
{
	struct cs_layers cl;
	char root[PATH_MAX], user[PATH_MAX];
	int rc;

	memset(&cl, 0, sizeof(cl));
	cl.crio = crio;
	cl.cb = cb;
	cl.arg = arg;
	if (rt_path(cfg, cfg->storage_root, root, sizeof(root)) == -1)
		return 0;
	if ((rc = store_layers(&cl, root, st)) != 0)
		return rc;
	if (!crio && rootless_root(root, user, sizeof(user)))
		rc = store_layers(&cl, user, st);
	return rc;
}
