/*
 * cAdvisor's JSON API (its cmd/internal/api, info/v1 and info/v2) over
 * the store: every answer is built in one read transaction.  Container
 * documents are the ones cadvctl prints with --json (libshared/jsonfmt.c),
 * so both speak the same fields.
 */
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cgname.h"
#include "clock.h"
#include "evreq.h"
#include "exporterd.h"
#include "jsonfmt.h"

#define COUNT_DEFAULT_V2	64	/* cAdvisor's v2 default */
#define COUNT_DEFAULT_V1	60	/* v1 num_stats */

struct api {
	struct exporter		*ex;
	MDB_txn			*txn;
	query_fn		 q;
	void			*req;
	struct answer		*a;
	char			 name[CGNAME_MAX + 1];
	size_t			 nlen;
	int			 recursive;
	int64_t			 count;
};

static void
json_answer(struct answer *a, unsigned status, struct json_object *o)
{
	const char *s;

	a->status = status;
	a->type = "application/json";
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	buf_puts(&a->body, s);
	buf_add(&a->body, "\n", 1);
	json_object_put(o);
}

static void
error_answer(struct answer *a, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
error_answer(struct answer *a, unsigned status, const char *fmt, ...)
{
	struct json_object *o = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "error", json_object_new_string(msg));
	json_answer(a, status, o);
}

/* The container part of the path: cgname's text form, cleaned the way
 * cAdvisor cleans names ("", "/" and "a//b/" all work). */
static int
parse_name(struct api *p, const char *rest)
{
	char raw[CGNAME_MAX + 1];
	size_t rlen;

	if (strlen(rest) > CGNAME_MAX ||
	    cgname_unescape(rest, strlen(rest), raw, &rlen) == -1 ||
	    cgname_clean(raw, rlen, p->name, &p->nlen) == -1)
		return -1;
	p->name[p->nlen] = '\0';
	return 0;
}

static int
parse_query(struct api *p, int64_t count_default)
{
	const char *v, *errstr;

	p->count = count_default;
	if ((v = p->q(p->req, "count")) != NULL) {
		p->count = strtonum(v, -1, 1000000, &errstr);
		if (errstr != NULL) {
			error_answer(p->a, 400, "count %s: %s (-1 for all, "
			    "else 0 to 1000000)", v, errstr);
			return -1;
		}
	}
	if ((v = p->q(p->req, "recursive")) != NULL) {
		if (strcmp(v, "true") == 0)
			p->recursive = 1;
		else if (strcmp(v, "false") != 0) {
			error_answer(p->a, 400, "recursive %s: true or false", v);
			return -1;
		}
	}
	if ((v = p->q(p->req, "type")) != NULL && strcmp(v, "name") != 0) {
		error_answer(p->a, 400, "type %s: only \"name\" (raw cgroups "
		    "have no docker or podman names)", v);
		return -1;
	}
	return 0;
}

struct collect {
	struct api		*p;
	struct json_object	*out;
	int			(*each)(struct api *, const struct container *,
				    struct json_object *);
	int			 found;
	int			 err;
};

static int
samples_to(uint64_t ts, const struct sample *s, void *arg)
{
	json_object_array_add(arg, jsonfmt_sample(ts, s));
	return 0;
}

static struct json_object *
stats_of(struct api *p, const struct container *c, int *rc)
{
	struct json_object *arr = json_object_new_array();

	if (p->count < 0)
		*rc = store_samples_range(p->ex->st, p->txn, c->id, 0,
		    UINT64_MAX, samples_to, arr);
	else if (p->count > 0)
		*rc = store_samples_last(p->ex->st, p->txn, c->id,
		    (size_t)p->count, samples_to, arr);
	else
		*rc = 0;
	return arr;
}

static int
walk_one(const struct container *c, void *arg)
{
	struct collect *k = arg;

	if (c->deleted_ns != 0)
		return 0;
	if (!(c->name_len == k->p->nlen &&
	    memcmp(c->name, k->p->name, c->name_len) == 0) &&
	    !(k->p->recursive && cgname_is_under(c->name, c->name_len,
	    k->p->name, k->p->nlen)))
		return 0;
	k->found = 1;
	return k->each(k->p, c, k->out);
}

/* Runs each over the container (and, recursive, its live descendants);
 * 404 when the container itself is unknown. */
static int
walk(struct api *p, struct json_object *out,
    int (*each)(struct api *, const struct container *, struct json_object *))
{
	struct collect k = { p, out, each, 0, 0 };
	int rc;

	rc = store_containers_each(p->ex->st, p->txn, walk_one, &k);
	if (rc != 0) {
		error_answer(p->a, 500, "store: %s", store_strerror(rc));
		return -1;
	}
	if (!k.found) {
		error_answer(p->a, 404, "unknown container %s", p->name);
		return -1;
	}
	return 0;
}

static char *
name_key(const struct container *c, char *buf, size_t sz)
{
	cgname_escape(c->name, c->name_len, buf, sz);
	return buf;
}

static int
v2_stats(struct api *p, const struct container *c, struct json_object *out)
{
	char key[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	int rc = 0;

	json_object_object_add(out, name_key(c, key, sizeof(key)),
	    stats_of(p, c, &rc));
	return rc;
}

/* cAdvisor's v2 ContainerSpec from cadv's spec object */
static int
v2_spec(struct api *p, const struct container *c, struct json_object *out)
{
	struct json_object *doc = jsonfmt_container(c), *spec, *s, *sub;
	char key[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	static const char *const parts[] = { "cpu", "memory", "processes" };
	char has[32];
	size_t i;

	(void)p;
	s = json_object_new_object();
	json_object_object_get_ex(doc, "creation_time", &sub);
	json_object_object_add(s, "creation_time", json_object_get(sub));
	json_object_object_get_ex(doc, "spec", &spec);
	for (i = 0; i < 3; i++) {
		int present = json_object_object_get_ex(spec, parts[i], &sub);

		snprintf(has, sizeof(has), "has_%s", parts[i]);
		json_object_object_add(s, has, json_object_new_boolean(present));
		if (present)
			json_object_object_add(s, parts[i], json_object_get(sub));
	}
	json_object_object_add(s, "image", json_object_new_string(""));
	json_object_object_add(s, "labels", json_object_new_object());
	json_object_object_add(out, name_key(c, key, sizeof(key)), s);
	json_object_put(doc);
	return 0;
}

struct subs {
	struct json_object	*arr;
	const struct container	*parent;
};

static int
direct_child(const struct container *c, void *arg)
{
	struct subs *s = arg;
	const char *slash;

	if (c->deleted_ns != 0 || c->name_len <= s->parent->name_len ||
	    !cgname_is_under(c->name, c->name_len, s->parent->name,
	    s->parent->name_len))
		return 0;
	/* a child, not a grandchild: no '/' after the parent's part */
	slash = memchr(c->name + s->parent->name_len + 1, '/',
	    c->name_len - s->parent->name_len - 1);
	if (s->parent->name_len == 1)
		slash = memchr(c->name + 1, '/', c->name_len - 1);
	if (slash == NULL) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", jsonfmt_name(c->name,
		    c->name_len));
		json_object_array_add(s->arr, o);
	}
	return 0;
}

/* v1 ContainerInfo: cadvctl's container document, subcontainers, stats */
static int
v1_info(struct api *p, const struct container *c, struct json_object *out)
{
	struct json_object *doc = jsonfmt_container(c);
	struct subs s = { json_object_new_array(), c };
	int rc = 0;

	store_containers_each(p->ex->st, p->txn, direct_child, &s);
	json_object_object_add(doc, "subcontainers", s.arr);
	json_object_object_add(doc, "stats", stats_of(p, c, &rc));
	json_object_array_add(out, doc);
	return rc;
}

static void
meta_answer(struct api *p, const char *key)
{
	struct json_object *o = meta_json(p->ex->st, p->txn, key);

	if (o == NULL)
		error_answer(p->a, 503, "no %s document in the store yet "
		    "(collectord writes it at start)", key);
	else
		json_answer(p->a, 200, o);
}

static void
version_answer(struct api *p)
{
	struct json_object *v = meta_json(p->ex->st, p->txn, META_VERSION), *s;

	/* v2.0/version is cAdvisor's version string alone */
	if (v != NULL && json_object_object_get_ex(v, "cadvisor_version", &s))
		json_answer(p->a, 200, json_object_get(s));
	else
		error_answer(p->a, 503, "no version document in the store yet");
	json_object_put(v);
}

struct evwalk {
	struct ev_request	 r;
	struct json_object	*arr;
};

static int
event_one(const struct event *e, void *arg)
{
	struct evwalk *w = arg;

	if (ev_match(&w->r, e))
		json_object_array_add(w->arr, jsonfmt_event(e));
	return 0;
}

static int
flag(struct api *p, const char *key)
{
	const char *v = p->q(p->req, key);

	return v != NULL && strcmp(v, "true") == 0;
}

/* cAdvisor's event query parameters */
static void
events_answer(struct api *p)
{
	static const struct { const char *key; enum event_type t; } sel[] = {
		{ "oom_events", EV_OOM }, { "oom_kill_events", EV_OOM_KILL },
		{ "creation_events", EV_CONTAINER_CREATION },
		{ "deletion_events", EV_CONTAINER_DELETION },
	};
	struct evwalk w;
	const char *v, *errstr;
	size_t i, n;
	int rc;

	ev_request_init(&w.r);
	w.r.types = 0;
	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++)
		if (flag(p, sel[i].key) || flag(p, "all_events"))
			w.r.types |= 1u << sel[i].t;
	if (w.r.types == 0)
		w.r.types = EV_TYPES_ALL;
	if ((v = p->q(p->req, "max_events")) != NULL) {
		w.r.max = strtonum(v, -1, INT32_MAX, &errstr);
		if (errstr != NULL) {
			error_answer(p->a, 400, "max_events %s: %s", v, errstr);
			return;
		}
	}
	if (((v = p->q(p->req, "start_time")) != NULL &&
	    clock_parse_rfc3339(v, &w.r.start_ns) == -1) ||
	    ((v = p->q(p->req, "end_time")) != NULL &&
	    clock_parse_rfc3339(v, &w.r.end_ns) == -1)) {
		error_answer(p->a, 400, "start_time/end_time %s: want RFC 3339",
		    v);
		return;
	}
	memcpy(w.r.container, p->name, p->nlen);
	w.r.clen = p->nlen;
	w.r.subcontainers = flag(p, "subcontainers");
	w.arr = json_object_new_array();
	if ((rc = store_events_each(p->ex->st, p->txn, 0, event_one, &w)) != 0) {
		json_object_put(w.arr);
		error_answer(p->a, 500, "store: %s", store_strerror(rc));
		return;
	}
	/* the newest max, oldest first */
	n = json_object_array_length(w.arr);
	if (w.r.max >= 0 && n > (size_t)w.r.max)
		json_object_array_del_idx(w.arr, 0, n - (size_t)w.r.max);
	json_answer(p->a, 200, w.arr);
}

static void
route(struct api *p, const char *ver, const char *ep, const char *rest)
{
	struct json_object *out;
	int v1 = strncmp(ver, "v1.", 3) == 0;

	if (!v1 && strncmp(ver, "v2.", 3) != 0) {
		error_answer(p->a, 404, "unknown API version %s", ver);
		return;
	}
	if (strcmp(ep, "machine") == 0 && *rest == '\0') {
		meta_answer(p, META_MACHINE);
		return;
	}
	if (!v1 && strcmp(ep, "version") == 0 && *rest == '\0') {
		version_answer(p);
		return;
	}
	if (parse_name(p, rest) == -1) {
		error_answer(p->a, 400, "not a container name: /%s", rest);
		return;
	}
	if (strcmp(ep, "events") == 0) {
		events_answer(p);
		return;
	}
	if (v1 && (strcmp(ep, "containers") == 0 ||
	    strcmp(ep, "subcontainers") == 0)) {
		p->recursive = ep[0] == 's';
		if (parse_query(p, COUNT_DEFAULT_V1) == -1)
			return;
		out = json_object_new_array();
		if (walk(p, out, v1_info) == -1) {
			json_object_put(out);
			return;
		}
		if (ep[0] == 'c') {
			struct json_object *one = json_object_get(
			    json_object_array_get_idx(out, 0));

			json_object_put(out);
			out = one;
		}
		json_answer(p->a, 200, out);
		return;
	}
	if (!v1 && (strcmp(ep, "stats") == 0 || strcmp(ep, "spec") == 0)) {
		if (parse_query(p, COUNT_DEFAULT_V2) == -1)
			return;
		out = json_object_new_object();
		if (walk(p, out, ep[1] == 't' ? v2_stats : v2_spec) == -1) {
			json_object_put(out);
			return;
		}
		json_answer(p->a, 200, out);
		return;
	}
	error_answer(p->a, 404, "unknown endpoint %s/%s", ver, ep);
}

void
api_answer(struct exporter *ex, const char *path, query_fn q, void *req,
    struct answer *a)
{
	struct api *p;
	char ver[16], ep[32];
	const char *s = path + strlen("/api/"), *slash;
	size_t n;
	int rc;

	if ((slash = strchr(s, '/')) == NULL || (n = (size_t)(slash - s)) == 0 ||
	    n >= sizeof(ver)) {
		error_answer(a, 404, "want /api/VERSION/ENDPOINT[/NAME]");
		return;
	}
	memcpy(ver, s, n);
	ver[n] = '\0';
	s = slash + 1;
	n = (slash = strchr(s, '/')) ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(ep)) {
		error_answer(a, 404, "want /api/VERSION/ENDPOINT[/NAME]");
		return;
	}
	memcpy(ep, s, n);
	ep[n] = '\0';
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		a->body.oom = 1;
		return;
	}
	*p = (struct api){ .ex = ex, .q = q, .req = req, .a = a };
	if ((rc = store_read_begin(ex->st, &p->txn)) != 0) {
		error_answer(a, 503, "store: %s", store_strerror(rc));
		free(p);
		return;
	}
	route(p, ver, ep, slash ? slash + 1 : "");
	store_read_end(p->txn);
	free(p);
}
