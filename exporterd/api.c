/*
 * cAdvisor's JSON API (its cmd/internal/api, info/v1 and info/v2) over
 * the store.  Container documents are the ones cadvctl prints with --json
 * (libcadv/jsonfmt.c), so both speak the same fields.
 *
 * Answers that grow with the store (containers, their samples, events)
 * are written in pieces as the client reads them, never built whole: the
 * request's own read transaction picks the containers (or, for events,
 * the range of sequence numbers) and decides 404 or 200; each later piece
 * reads the store in a transaction of its own (exporterd.h).  A container
 * deleted before its turn is left out; its samples are those up to its
 * newest when its turn came.  The bytes are those json-c writes for the
 * whole document (JSON_C_TO_STRING_PLAIN: no spaces), so an answer is the
 * same as when it was built in one piece.
 *
 * A container's runtime identity (the idents table) gives what cAdvisor's
 * handlers fill: aliases, namespace, spec.image, spec.labels, spec.envs;
 * it also picks the containers of /api/v1.3/docker/ and of ?type=docker
 * (or podman), and names each event's container.
 */
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvjson.h"
#include "cgname.h"
#include "clock.h"
#include "derived.h"
#include "duration.h"
#include "exporterd.h"
#include "jsonfmt.h"
#include "ps.h"

#define COUNT_DEFAULT_V2	64	/* cAdvisor's v2 default */
#define COUNT_DEFAULT_V1	60	/* v1 num_stats */
#define SAMPLES_PER_STEP	16	/* samples read in one store walk */
#define JSON_FLAGS	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

enum api_kind {
	K_V1_ONE,		/* v1.3/containers: one ContainerInfo */
	K_V1_MANY,		/* v1.3/subcontainers: an array of them */
	K_V2_STATS,		/* v2.0/stats: {name: [samples]} */
	K_V2_SPEC,		/* v2.0/spec: {name: spec} */
	K_EVENTS,		/* v2.0/events: [events] */
	K_V1_DOCKER,		/* v1.3/docker: {name: ContainerInfo} */
	K_V21_STATS,		/* v2.1/stats: {name: {spec, stats}}, not / */
	K_MACHINESTATS,		/* v2.1/machinestats: [samples of /] */
	K_V2_SUMMARY,		/* v2.0/summary: {name: DerivedStats} */
};

struct api {
	struct source		 src;		/* first: the answer's source */
	struct exporter		*ex;
	query_fn		 q;		/* the request: handler only */
	void			*req;
	const char		*body;		/* its body: handler only */
	size_t			 body_len;
	struct answer		*a;
	enum api_kind		 kind;
	char			 name[CGNAME_MAX + 1];
	size_t			 nlen;
	int			 recursive;
	int			 minutes;	/* summary: cadv's ?minutes=true */
	int64_t			 count;
	/* type=docker or podman (v1.3/docker: docker): the runtime whose
	 * containers are asked for; all of them with by_rt_all */
	enum cadv_runtime	 by_rt;
	int			 by_rt_all;
	struct cadv_ident		*idt;		/* scratch, NULL until needed */
	/* the containers to write, chosen by the request's transaction */
	uint64_t		*ids;
	size_t			 nids, next;
	int			 written;	/* a container was written */
	/* the container being written: its samples after from_ts up to
	 * to_ts, left of them still to go (-1: all) */
	int			 open;
	uint64_t		 id, from_ts, to_ts;
	int64_t			 left;
	int			 nsamples;	/* written of it */
	/* a v1 request's start and end (0: unbounded), and of the samples
	 * between them those older than the newest count to pass over */
	uint64_t		 lo_ts, hi_ts;
	int64_t			 skip;
	struct cj_has		 has;		/* what it has (cAdvisor's) */
	int			 root_seen;	/* v2.1/stats matched / */
	/* events: sequence numbers next..hi, left matches still to go */
	struct cadv_event_request	 r;
	struct cadv_event	*view;		/* scratch, NULL until needed */
	uint64_t		 ev_next, ev_hi;
	int			 ev_begun;	/* the first piece was read */
	uint64_t		 ev_quiet;	/* stream: last written (mono) */
	int64_t			 ev_left;
	int			 ev_written;
	struct cadv_sample		 s;		/* scratch */
	/* the machine document, read once for the root's filesystems */
	struct json_object	*machine;
	int			 machine_read;
	int			 has_layer;	/* layer: the container's */
	struct cj_layer		 layer;
};

static int	first_piece(struct api *, struct cadv_txn *, const char *,
		    int (*)(struct api *, struct cadv_txn *, struct buf *));

/* Keeps valid UTF-8 as it is and writes any other byte as \xNN, so that
 * a message holding request bytes (a path with 0xff in it, a sequence cut
 * by truncation) is valid in a JSON string. */
static void
utf8_text(const char *in, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0, n = strlen(in), k, need;

	while (i < n && o + 5 < outsz) {
		need = s[i] < 0x80 ? 1 : s[i] >= 0xc2 && s[i] < 0xe0 ? 2 :
		    s[i] >= 0xe0 && s[i] < 0xf0 ? 3 :
		    s[i] >= 0xf0 && s[i] <= 0xf4 ? 4 : 0;
		for (k = 1; need > 1 && k < need; k++)
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				need = 0;
		/* overlongs, surrogates and past U+10FFFF are not UTF-8 */
		if ((need == 3 && ((s[i] == 0xe0 && s[i + 1] < 0xa0) ||
		    (s[i] == 0xed && s[i + 1] >= 0xa0))) ||
		    (need == 4 && ((s[i] == 0xf0 && s[i + 1] < 0x90) ||
		    (s[i] == 0xf4 && s[i + 1] >= 0x90))))
			need = 0;
		if (need == 0) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[s[i] >> 4];
			out[o++] = hex[s[i] & 0xf];
			i++;
			continue;
		}
		if (o + need >= outsz)
			break;
		memcpy(out + o, s + i, need);
		o += need;
		i += need;
	}
	out[o] = '\0';
}

void
json_error(struct answer *a, unsigned status, const char *msg)
{
	struct json_object *o = json_object_new_object();
	char text[2048];

	utf8_text(msg, text, sizeof(text));
	json_object_object_add(o, "error", json_object_new_string(text));
	a->status = status;
	a->type = "application/json";
	buf_puts(&a->body, json_object_to_json_string_ext(o, JSON_FLAGS));
	buf_add(&a->body, "\n", 1);
	json_object_put(o);
}

static void
error_answer(struct answer *a, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
error_answer(struct answer *a, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_error(a, status, msg);
}

/* A part of the request for a message, in cadv's text form for names
 * (what the client can send back); cut to fit. */
static const char *
echo(const char *s, char *buf, size_t sz)
{
	cgname_escape(s, strnlen(s, CGNAME_MAX), buf, sz);
	return buf;
}
#define ECHO_MAX	512

static void
json_answer(struct answer *a, unsigned status, struct json_object *o)
{
	a->status = status;
	a->type = "application/json";
	buf_puts(&a->body, json_object_to_json_string_ext(o, JSON_FLAGS));
	buf_add(&a->body, "\n", 1);
	json_object_put(o);
}

/* o's JSON text appended to out; o is released */
static void
put_json(struct buf *out, struct json_object *o)
{
	buf_puts(out, json_object_to_json_string_ext(o, JSON_FLAGS));
	json_object_put(o);
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

/* Go's time.ParseDuration takes it: a sign, "0", or number-unit pairs */
static int
go_duration(const char *v)
{
	uint64_t ns;

	if (*v == '-' || *v == '+')
		v++;
	return strcmp(v, "0") == 0 || duration_parse(v, &ns) == 0;
}

/* A ContainerInfoRequest's time: RFC 3339, Go's zero time (or null) for
 * none; -1 when it is neither */
static int
request_time(struct json_object *o, const char *key, uint64_t *ns)
{
	struct json_object *v;
	const char *s;

	*ns = 0;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	s = json_object_get_string(v);
	/* time.Time{} as encoding/json writes it: unbounded */
	if (strncmp(s, "0001-01-01T00:00:00", 19) == 0)
		return 0;
	return clock_parse_rfc3339(s, ns);
}

/* The v1 endpoints' ContainerInfoRequest body, as cAdvisor's v1 client
 * sends it: {"num_stats": N, "start": T, "end": T}; a field left out
 * keeps its default, unknown fields are skipped, as Go's decoder does */
static int
parse_v1_body(struct api *p)
{
	struct json_tokener *tok;
	struct json_object *o, *v;
	size_t i;
	int64_t n;

	for (i = 0; i < p->body_len && strchr(" \t\r\n", p->body[i]); i++)
		;
	if (i == p->body_len)
		return 0;	/* none: io.EOF, the defaults */
	if ((tok = json_tokener_new_ex(8)) == NULL) {
		error_answer(p->a, 500, "out of memory");
		return -1;
	}
	o = json_tokener_parse_ex(tok, p->body + i, (int)(p->body_len - i));
	json_tokener_free(tok);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		error_answer(p->a, 400, "unable to decode the request body: "
		    "want a ContainerInfoRequest {\"num_stats\": N, "
		    "\"start\": RFC3339, \"end\": RFC3339}");
		return -1;
	}
	if (json_object_object_get_ex(o, "num_stats", &v) && v != NULL) {
		n = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || n < -1 ||
		    n > 1000000) {
			json_object_put(o);
			error_answer(p->a, 400, "num_stats: -1 for all, else 0 "
			    "to 1000000");
			return -1;
		}
		p->count = n;
	}
	if (request_time(o, "start", &p->lo_ts) == -1 ||
	    request_time(o, "end", &p->hi_ts) == -1) {
		json_object_put(o);
		error_answer(p->a, 400, "start/end: want RFC 3339 times");
		return -1;
	}
	json_object_put(o);
	return 0;
}

static int
parse_query(struct api *p, int64_t count_default)
{
	const char *v, *errstr;
	char e[ECHO_MAX];

	p->count = count_default;
	if ((v = p->q(p->req, "count")) != NULL) {
		p->count = strtonum(v, -1, 1000000, &errstr);
		if (errstr != NULL) {
			error_answer(p->a, 400, "count %s: %s (-1 for all, "
			    "else 0 to 1000000)", echo(v, e, sizeof(e)), errstr);
			return -1;
		}
	}
	/* cadv's, on summary only: the day's minute records beside
	 * cAdvisor's DerivedStats (the web page's hour and day charts) */
	if ((v = p->q(p->req, "minutes")) != NULL) {
		if (strcmp(v, "true") == 0)
			p->minutes = 1;
		else if (strcmp(v, "false") != 0) {
			error_answer(p->a, 400, "minutes %s: true or false",
			    echo(v, e, sizeof(e)));
			return -1;
		}
	}
	if ((v = p->q(p->req, "recursive")) != NULL) {
		if (strcmp(v, "true") == 0)
			p->recursive = 1;
		else if (strcmp(v, "false") != 0) {
			error_answer(p->a, 400, "recursive %s: true or false",
			    echo(v, e, sizeof(e)));
			return -1;
		}
	}
	/* cAdvisor refreshes older samples first; collectord's are as new
	 * as they get, so a valid max_age is taken and has nothing to do */
	if ((v = p->q(p->req, "max_age")) != NULL && !go_duration(v)) {
		error_answer(p->a, 400, "max_age %s: not a Go duration (1s, "
		    "500ms, 1m30s)", echo(v, e, sizeof(e)));
		return -1;
	}
	if ((v = p->q(p->req, "type")) != NULL && strcmp(v, "name") != 0) {
		if (strcmp(v, "docker") == 0)
			p->by_rt = CADV_RT_DOCKER;
		else if (strcmp(v, "podman") == 0)
			p->by_rt = CADV_RT_PODMAN;
		else {
			error_answer(p->a, 400, "type %s: name, docker or "
			    "podman", echo(v, e, sizeof(e)));
			return -1;
		}
	}
	return 0;
}

/* The identity of a live container (cadv_container_ident), in p->idt;
 * 0 when it has none. */
static int
ident_of(struct api *p, struct cadv_txn *txn, const struct cadv_container *c)
{
	if (p->idt == NULL && (p->idt = malloc(sizeof(*p->idt))) == NULL)
		return 0;
	return cadv_container_ident(txn, c, p->idt) == 0;
}

/* The container's writable layer as identd last measured it, with the
 * filesystem holding it (the machine document's, its newest statfs):
 * p->has_layer says whether there is one. */
static void
layer_of(struct api *p, struct cadv_txn *txn, const struct cadv_container *c)
{
	struct json_object *m, *fss, *f, *x;
	struct cj_layer *l = &p->layer;
	struct cadv_layer r;
	struct cadv_fs u;
	const char *cg;
	uint64_t ts;
	size_t i, n, len;

	p->has_layer = 0;
	if (!ident_of(p, txn, c))
		return;
	cg = cadv_ident_str(p->idt, CADV_IS_CGROUP, &len);
	if (cadv_layer_get(txn, cg, len, p->idt->seen_ns, &r) != 0)
		return;
	memset(l, 0, sizeof(*l));
	l->usage = r.bytes;
	l->inodes = r.inodes;
	m = meta_json(txn, cadv_machine_info);
	if (m != NULL && json_object_object_get_ex(m, "filesystems", &fss) &&
	    json_object_is_type(fss, json_type_array)) {
		n = json_object_array_length(fss);
		for (i = 0; i < n; i++) {
			f = json_object_array_get_idx(fss, i);
			if (!json_object_object_get_ex(f, "major", &x) ||
			    json_object_get_int64(x) != (int64_t)r.major ||
			    !json_object_object_get_ex(f, "minor", &x) ||
			    json_object_get_int64(x) != (int64_t)r.minor)
				continue;
			if (json_object_object_get_ex(f, "device", &x))
				snprintf(l->device, sizeof(l->device), "%s",
				    json_object_get_string(x));
			if (json_object_object_get_ex(f, "type", &x))
				snprintf(l->type, sizeof(l->type), "%s",
				    json_object_get_string(x));
			break;
		}
	}
	json_object_put(m);
	if (cadv_fs_latest(txn, r.major, r.minor, &ts, &u) == 0) {
		l->capacity = u.capacity;
		l->available = u.available;
	}
	p->has_layer = 1;
}

/* cAdvisor's aliases: [name, id] for docker, podman and CRI-O, [id,
 * cgroup] for containerd (its handler's); names left out when empty */
static struct json_object *
aliases(const struct cadv_ident *id)
{
	struct json_object *a = json_object_new_array();
	enum cadv_ident_str first = CADV_IS_NAME, second = CADV_IS_ID;
	const char *s;
	size_t len;

	if (id->runtime == CADV_RT_CONTAINERD) {
		first = CADV_IS_ID;
		second = CADV_IS_CGROUP;
	}
	if ((s = cadv_ident_str(id, first, &len)), len > 0)
		json_object_array_add(a, jsonfmt_name(s, len));
	if ((s = cadv_ident_str(id, second, &len)), len > 0)
		json_object_array_add(a, jsonfmt_name(s, len));
	return a;
}

static void
kv_add(struct json_object *o, const char *k, size_t kl, const char *v,
    size_t vl, int lower)
{
	char key[CGNAME_ESCAPED_MAX(CADV_IDENT_KEY_MAX)];
	size_t i;

	cgname_escape(k, kl, key, sizeof(key));
	for (i = 0; lower && key[i] != '\0'; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] += 'a' - 'A';
	json_object_object_add(o, key, jsonfmt_name(v, vl));
}

/* spec.labels as cAdvisor's handlers fill it: the runtime's labels, and
 * docker's and podman's restart count as label "restartcount" */
static struct json_object *
labels(const struct cadv_ident *id)
{
	struct json_object *o = json_object_new_object();
	const char *k, *v;
	char num[16];
	size_t i;

	for (i = 0; cadv_ident_label_at(id, i, &k, &v) == 0; i++)
		kv_add(o, k, id->labels[i].k.len, v, id->labels[i].v.len, 0);
	if ((id->runtime == CADV_RT_DOCKER || id->runtime == CADV_RT_PODMAN) &&
	    id->restart_count > 0) {
		snprintf(num, sizeof(num), "%u", id->restart_count);
		json_object_object_add(o, "restartcount",
		    json_object_new_string(num));
	}
	return o;
}

/* spec.envs: the variables --env-metadata-whitelist names (none by
 * default), lower-cased for docker and podman as cAdvisor does */
static struct json_object *
envs(const struct exporter *ex, const struct cadv_ident *id)
{
	struct json_object *o = json_object_new_object();
	int lower = id->runtime == CADV_RT_DOCKER || id->runtime == CADV_RT_PODMAN;
	const char *k, *v;
	size_t i;

	for (i = 0; cadv_ident_env_at(id, i, &k, &v) == 0; i++)
		if (namelist_has(&ex->env_allow, k, id->env[i].k.len))
			kv_add(o, k, id->env[i].k.len, v, id->env[i].v.len,
			    lower);
	return o;
}

/* A container's identity into its document: aliases and namespace in
 * ref, image, labels and envs in spec (cAdvisor leaves empty ones out) */
static void
add_ident(const struct exporter *ex, const struct cadv_ident *id,
    struct json_object *ref, struct json_object *spec)
{
	struct json_object *o;
	const char *s;
	size_t len;

	if (id->runtime != CADV_RT_UNKNOWN) {
		if (json_object_array_length(o = aliases(id)) > 0)
			json_object_object_add(ref, "aliases", o);
		else
			json_object_put(o);
		json_object_object_add(ref, "namespace",
		    json_object_new_string(cadv_runtime_name(id->runtime)));
	}
	if ((s = cadv_ident_str(id, CADV_IS_IMAGE, &len)), len > 0)
		json_object_object_add(spec, "image", jsonfmt_name(s, len));
	if (json_object_object_length(o = labels(id)) > 0)
		json_object_object_add(spec, "labels", o);
	else
		json_object_put(o);
	if (json_object_object_length(o = envs(ex, id)) > 0)
		json_object_object_add(spec, "envs", o);
	else
		json_object_put(o);
}

static int
matches(const struct api *p, const struct cadv_container *c)
{
	if (c->deleted_ns != 0)
		return 0;
	if (c->name_len == p->nlen && memcmp(c->name, p->name, p->nlen) == 0)
		return 1;
	return p->recursive && cgname_is_under(c->name, c->name_len, p->name,
	    p->nlen);
}

struct pick {
	struct api	*p;
	struct cadv_txn	*txn;
	size_t		 cap;
	size_t		 walked;
};

static int
pick_one(const struct cadv_container *c, void *arg)
{
	struct pick *k = arg;
	struct api *p = k->p;
	uint64_t *ids;

	if (++k->walked % 256 == 0)
		trim_store_pages(TRIM_WALKING);
	if (p->by_rt_all) {
		/* every live container of the runtime */
		if (c->deleted_ns != 0 || !ident_of(p, k->txn, c) ||
		    p->idt->runtime != p->by_rt)
			return 0;
	} else if (!matches(p, c))
		return 0;
	/* v2.1/stats gives the root's as machinestats, not here */
	if (p->kind == K_V21_STATS && c->name_len == 1) {
		p->root_seen = 1;
		return 0;
	}
	if (p->nids == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		if ((ids = reallocarray(p->ids, k->cap, sizeof(*ids))) == NULL)
			return ENOMEM;
		p->ids = ids;
	}
	p->ids[p->nids++] = c->id;
	/* v1.3/containers is the one container */
	return p->kind == K_V1_ONE ? WALK_STOP : 0;
}

/* The containers the answer holds, in id order; 404 when there are none
 * (the container itself is unknown and, recursive, has no live
 * descendants either). */
static int
pick(struct api *p, struct cadv_txn *txn)
{
	struct pick k = { p, txn, 0, 0 };
	char e[ECHO_MAX];
	int rc;

	rc = cadv_containers_each(txn, pick_one, &k);
	if (rc != 0 && rc != WALK_STOP) {
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
		return -1;
	}
	/* cAdvisor's docker endpoint lists none as {} */
	if (p->by_rt_all)
		return 0;
	if (p->nids == 0 && !p->root_seen) {
		error_answer(p->a, 404, "unknown container %s",
		    echo(p->name, e, sizeof(e)));
		return -1;
	}
	return 0;
}

/* ---- samples ---- */

struct sampler {
	struct api	*p;
	struct cadv_txn	*txn;
	struct buf	*out;
	int		 n;		/* written in this walk */
};

/* v1 stats of the root: its filesystems too, as cAdvisor's raw handler;
 * a bad fs or diskstats record costs the array, not the answer */
static struct json_object *
stats_v1(struct sampler *w, uint64_t ts, const struct cadv_sample *s)
{
	struct api *p = w->p;
	struct json_object *o = cj_stats_v1(ts, s, &p->has), *fss;

	if (!p->has.filesystem)
		return o;
	if (!p->machine_read) {
		p->machine = meta_json(w->txn, cadv_machine_info);
		p->machine_read = 1;
	}
	if (cj_root_filesystems(w->txn, p->machine, ts, &fss) == 0 &&
	    fss != NULL)
		json_object_object_add(o, "filesystem", fss);
	return o;
}

static int
sample_one(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	struct sampler *w = arg;
	struct api *p = w->p;
	struct json_object *o;

	if (ts <= p->from_ts && p->nsamples > 0)
		return 0;
	if (ts > p->to_ts || p->left == 0)
		return WALK_STOP;
	if (p->skip > 0) {
		/* older than the newest count in the request's range */
		p->skip--;
		p->from_ts = ts;
		return 0;
	}
	if (p->nsamples++ > 0)
		buf_add(w->out, ",", 1);
	switch (p->kind) {
	case K_V2_STATS:
		o = cj_stats_v20(ts, s, &p->has);
		break;
	case K_V21_STATS:
	case K_MACHINESTATS:
		o = cj_stats_v2(ts, s, &p->has);
		break;
	default:
		o = stats_v1(w, ts, s);
		break;
	}
	/* the layer's newest measure, with each sample (cAdvisor's stats
	 * carry its fsHandler's latest) */
	if (p->has_layer && p->kind != K_MACHINESTATS)
		cj_add_layer(o, p->kind == K_V21_STATS, &p->layer);
	put_json(w->out, o);
	p->from_ts = ts;
	if (p->left > 0)
		p->left--;
	return ++w->n == SAMPLES_PER_STEP ? WALK_STOP : 0;
}

/* Writes the open container's next samples; 1 when it has no more. */
static int
samples_step(struct api *p, struct cadv_txn *txn, struct buf *out, int *done)
{
	struct sampler w = { p, txn, out, 0 };
	int rc;

	*done = 0;
	if (p->left == 0) {
		*done = 1;
		return 0;
	}
	trim_store_pages(TRIM_WALKING);
	if (p->nsamples == 0 && p->left > 0 && p->lo_ts == 0 &&
	    p->hi_ts == 0)
		rc = cadv_samples_last(txn, p->id, (size_t)p->left,
		    sample_one, &w);
	else
		rc = cadv_samples_range(txn, p->id,
		    p->nsamples || p->from_ts > p->lo_ts ? p->from_ts + 1 :
		    p->lo_ts, p->to_ts, sample_one, &w);
	if (rc == WALK_STOP && w.n == SAMPLES_PER_STEP && p->left != 0 &&
	    p->from_ts < p->to_ts)
		return 0;
	if (rc != 0 && rc != WALK_STOP)
		return rc;
	*done = 1;
	return 0;
}

/* ---- containers ---- */

struct subs {
	struct json_object	*arr;
	const struct cadv_container	*parent;
	size_t			 walked;
};

static int
direct_child(const struct cadv_container *c, void *arg)
{
	struct subs *s = arg;
	const char *slash;

	if (++s->walked % 64 == 0)
		trim_store_pages(TRIM_WALKING);
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

/* The reference's id: the runtime's id of an identified container, none
 * for a raw cgroup (cAdvisor's raw handler leaves it empty) */
static void
add_id(struct json_object *o, const struct cadv_ident *id)
{
	const char *s;
	size_t len;

	if ((s = cadv_ident_str(id, CADV_IS_ID, &len)), len > 0)
		json_object_object_add(o, "id", jsonfmt_name(s, len));
}

/* v1 ContainerInfo up to its samples: cadvctl's container document made
 * cAdvisor's (id a string, spec its ContainerSpec) with "subcontainers"
 * and then "stats" added last, as json-c adds keys */
static int
v1_head(struct api *p, struct cadv_txn *txn, const struct cadv_container *c,
    struct buf *out)
{
	struct subs s = { json_object_new_array(), c, 0 };
	const char *doc;
	struct json_object *o = jsonfmt_container(c), *spec;
	int rc;

	json_object_object_del(o, "id");
	spec = cj_spec(c, &p->has);
	json_object_object_add(o, "spec", spec);
	if (ident_of(p, txn, c)) {
		add_id(o, p->idt);
		add_ident(p->ex, p->idt, o, spec);
	}
	rc = cadv_containers_each(txn, direct_child, &s);
	if (rc != 0) {
		json_object_put(s.arr);
		json_object_put(o);
		return rc;
	}
	doc = json_object_to_json_string_ext(o, JSON_FLAGS);
	/* "{...}" without its "}": the document always has keys */
	buf_add(out, doc, strlen(doc) - 1);
	buf_puts(out, ",\"subcontainers\":");
	put_json(out, s.arr);
	buf_puts(out, ",\"stats\":[");
	json_object_put(o);
	return 0;
}

/* v2's ContainerSpec: v1's with the reference's aliases and namespace */
static struct json_object *
v2_spec(struct api *p, struct cadv_txn *txn, const struct cadv_container *c)
{
	struct json_object *s = cj_spec(c, &p->has);

	if (ident_of(p, txn, c))
		add_ident(p->ex, p->idt, s, s);
	return s;
}

/* "name": as json-c writes an object's key */
static void
put_key(struct buf *out, const struct cadv_container *c)
{
	put_json(out, jsonfmt_name(c->name, c->name_len));
	buf_add(out, ":", 1);
}

static int
count_sample(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	(void)ts;
	(void)s;
	(*(int64_t *)arg)++;
	return 0;
}

/* A v1 request's start and end: the series ends at end, and of the
 * samples from start the newest count are written (cAdvisor's
 * InTimeRange, both ends inclusive) */
static int
bound_range(struct api *p, struct cadv_txn *txn)
{
	int64_t n = 0;
	int rc;

	if (p->hi_ts != 0 && p->hi_ts < p->to_ts)
		p->to_ts = p->hi_ts;
	if (p->to_ts < p->lo_ts) {
		p->left = 0;
		return 0;
	}
	if (p->left < 0)
		return 0;
	trim_store_pages(TRIM_WALKING);
	rc = cadv_samples_range(txn, p->id, p->lo_ts, p->to_ts,
	    count_sample, &n);
	if (rc != 0)
		return rc;
	p->skip = n > p->left ? n - p->left : 0;
	return 0;
}

/* Opens the next container still live: its head written, its samples
 * set up (v2 spec: written whole).  *none when no container is left. */
static int
container_open(struct api *p, struct cadv_txn *txn, struct buf *out, int *none)
{
	struct cadv_container *c;
	int rc = 0;

	*none = 0;
	if ((c = malloc(sizeof(*c))) == NULL)
		return ENOMEM;
	for (;;) {
		if (p->next == p->nids) {
			*none = 1;
			break;
		}
		p->id = p->ids[p->next++];
		rc = cadv_container_get(txn, p->id, c);
		if (rc == CADV_NOTFOUND || (rc == 0 && c->deleted_ns != 0)) {
			rc = 0;
			continue;	/* deleted since the request came */
		}
		if (rc != 0)
			break;
		/* its newest sample bounds the series and tells what it has */
		rc = cadv_sample_latest(txn, p->id, &p->to_ts,
		    &p->s);
		if (rc != 0 && rc != CADV_NOTFOUND)
			break;
		cj_has_of(c, rc == 0 ? &p->s : NULL, &p->has);
		layer_of(p, txn, c);
		if (p->has_layer)
			p->has.filesystem = 1;
		p->open = 1;
		p->nsamples = 0;
		p->from_ts = 0;
		p->left = rc == CADV_NOTFOUND ? 0 : p->count;
		p->skip = 0;
		rc = 0;
		if (p->left != 0 && (p->lo_ts != 0 || p->hi_ts != 0) &&
		    (rc = bound_range(p, txn)) != 0)
			break;
		if (p->written++ > 0)
			buf_add(out, ",", 1);
		switch (p->kind) {
		case K_V2_SPEC:
			put_key(out, c);
			put_json(out, v2_spec(p, txn, c));
			p->open = 0;
			break;
		case K_V2_SUMMARY: {
			struct json_object *d;

			if ((d = derived_json(txn, p->id,
			    clock_now_ns(), p->minutes, &rc)) == NULL)
				break;
			put_key(out, c);
			put_json(out, d);
			p->open = 0;
			break;
		}
		case K_V2_STATS:
			put_key(out, c);
			buf_add(out, "[", 1);
			break;
		case K_V21_STATS:
			put_key(out, c);
			buf_puts(out, "{\"spec\":");
			put_json(out, v2_spec(p, txn, c));
			buf_puts(out, ",\"stats\":[");
			break;
		case K_MACHINESTATS:
			break;
		case K_V1_DOCKER:
			put_key(out, c);
			/* FALLTHROUGH */
		default:
			rc = v1_head(p, txn, c, out);
			break;
		}
		break;
	}
	free(c);
	return rc;
}

/* The next piece in txn: 0 while more follow, SOURCE_END or an error */
static int
containers_step(struct api *p, struct cadv_txn *txn, struct buf *out)
{
	int rc, done, none;

	while (out->len < PIECE_SIZE && !out->oom) {
		if (!p->open) {
			if ((rc = container_open(p, txn, out, &none)) != 0)
				return rc;
			if (none) {
				buf_puts(out, p->kind == K_V1_ONE ? "\n" :
				    p->kind == K_V1_MANY ||
				    p->kind == K_MACHINESTATS ? "]\n" : "}\n");
				return SOURCE_END;
			}
			continue;
		}
		if ((rc = samples_step(p, txn, out, &done)) != 0)
			return rc;
		if (done) {
			buf_puts(out, p->kind == K_V2_STATS ? "]" :
			    p->kind == K_MACHINESTATS ? "" : "]}");
			p->open = 0;
		}
	}
	return 0;
}

/* One piece of an answer, from a read transaction of its own: a slow
 * client holds no snapshot of the store between pieces. */
static int
step_in_txn(struct api *p, int (*step)(struct api *, struct cadv_txn *,
    struct buf *), struct buf *out)
{
	struct cadv_txn *txn;
	int rc;

	if ((rc = cadv_begin(p->ex->st, &txn)) != 0)
		return rc;
	rc = step(p, txn, out);
	cadv_end(txn);
	return rc;
}

static int
containers_fill(struct source *src, struct buf *out)
{
	return step_in_txn((struct api *)src, containers_step, out);
}

/* ---- events ---- */

struct evscan {
	struct api	*p;
	struct buf	*out;
	struct cadv_txn	*txn;
};

/* e as cAdvisor's API names it (cadv_event_view), NULL when the request
 * does not take it; a name not swapped (no memory, a store error) is
 * eventd's */
static const struct cadv_event *
selected(struct api *p, struct cadv_txn *txn, const struct cadv_event *e)
{
	const struct cadv_event *v = e;

	if (p->view == NULL)
		p->view = malloc(sizeof(*p->view));
	if (p->view != NULL && cadv_event_view(txn, e, p->view, &v) != 0)
		v = e;
	return cadv_event_matches(&p->r, v) ? v : NULL;
}

/* e (as cAdvisor names it) as cAdvisor's Event: event_data always, the
 * container's identity at the time */
static struct json_object *
event_json(struct api *p, struct cadv_txn *txn, const struct cadv_event *e)
{
	struct json_object *o, *ed, *oom;

	o = jsonfmt_event(e);
	/* the kill's other cgroup is the task's, now that it is named by
	 * its victim */
	if (e->type == CADV_EV_OOM_KILL && e->victim_len != 0 &&
	    json_object_object_get_ex(o, "event_data", &ed) &&
	    json_object_object_get_ex(ed, "oom", &oom)) {
		json_object_object_del(oom, "victim_container_name");
		json_object_object_add(oom, "task_container_name",
		    jsonfmt_name(e->victim, e->victim_len));
	}
	/* a struct in cAdvisor's Event: always there, empty without data */
	if (!json_object_object_get_ex(o, "event_data", NULL))
		json_object_object_add(o, "event_data",
		    json_object_new_object());
	/* the container as it was when the event happened */
	if (p->idt == NULL)
		p->idt = malloc(sizeof(*p->idt));
	if (p->idt != NULL && cadv_ident_find(txn, e->container,
	    e->container_len, e->ts_ns, p->idt) == 0)
		jsonfmt_event_ident(o, e, p->idt);
	return o;
}

/* A selected event into the answer */
static int
event_put(struct evscan *k, const struct cadv_event *e)
{
	struct api *p = k->p;

	p->ev_next = e->seq + 1;
	if (p->ev_written++ > 0)
		buf_add(k->out, ",", 1);
	put_json(k->out, event_json(p, k->txn, e));
	if (p->ev_left > 0)
		p->ev_left--;
	return k->out->len >= PIECE_SIZE ? WALK_STOP : 0;
}

/* The first piece's: cadv_events selects and names them */
static int
event_first(const struct cadv_event *e, void *arg)
{
	if (e->seq % 4096 == 0)
		trim_store_pages(TRIM_WALKING);
	return event_put(arg, e);
}

/* The next pieces': the events after the last written, up to the newest
 * when the answer began */
static int
event_next(const struct cadv_event *e, void *arg)
{
	struct evscan *k = arg;
	struct api *p = k->p;

	if (e->seq > p->ev_hi || p->ev_left == 0)
		return SOURCE_END;
	p->ev_next = e->seq + 1;
	if (e->seq % 4096 == 0)
		trim_store_pages(TRIM_WALKING);
	if ((e = selected(p, k->txn, e)) == NULL)
		return 0;
	return event_put(k, e);
}

/* ---- a stream of events (stream=true) ---- */

/* a line with nothing but its newline now and then, so that a client gone
 * is found (Go's json.Decoder skips the blank) */
#define STREAM_QUIET_NS	(10 * NS_PER_SEC)

static int
stream_one(const struct cadv_event *e, void *arg)
{
	struct evscan *k = arg;
	struct api *p = k->p;

	p->ev_next = e->seq + 1;
	if ((e = selected(p, k->txn, e)) == NULL)
		return 0;
	/* one object a line, as json.Encoder writes them */
	put_json(k->out, event_json(p, k->txn, e));
	buf_add(k->out, "\n", 1);
	return k->out->len >= PIECE_SIZE ? WALK_STOP : 0;
}

/* The events after the last one written: 0 with some, SOURCE_WAIT with
 * none yet */
static int
stream_step(struct api *p, struct cadv_txn *txn, struct buf *out)
{
	struct evscan k = { p, out, txn };
	uint64_t now;
	int rc;

	rc = cadv_events_each(txn, p->ev_next, stream_one, &k);
	if (rc != 0 && rc != WALK_STOP)
		return rc;
	now = clock_mono_ns();
	if (out->len == 0 && now - p->ev_quiet < STREAM_QUIET_NS)
		return SOURCE_WAIT;
	if (out->len == 0)
		buf_add(out, "\n", 1);
	p->ev_quiet = now;
	return 0;
}

static int
stream_fill(struct source *src, struct buf *out)
{
	return step_in_txn((struct api *)src, stream_step, out);
}

/* stream=true: every matching event from now on, as it is stored; a
 * watch in cAdvisor takes neither start_time nor end_time */
static int
stream_answer(struct api *p, struct cadv_txn *txn)
{
	uint64_t last;
	int rc;

	if (p->r.start_ns != 0 || p->r.end_ns != 0) {
		error_answer(p->a, 400, "stream=true takes no start_time or "
		    "end_time (cAdvisor's watch gives the events to come)");
		return -1;
	}
	if ((rc = cadv_events_last(txn, &last)) != 0) {
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
		return -1;
	}
	p->ev_next = last + 1;
	p->ev_quiet = clock_mono_ns();
	p->src.fill = stream_fill;
	p->a->status = 200;
	p->a->type = "application/json";
	return 0;
}

/* The next piece in txn: 0 while more follow, SOURCE_END or an error */
static int
events_step(struct api *p, struct cadv_txn *txn, struct buf *out)
{
	struct evscan k = { p, out, txn };
	int rc;

	if (p->ev_hi != 0 && !p->ev_begun) {
		/* the newest max, counted back from the end (a request for
		 * ten reads the newest events, not all of them) */
		p->ev_begun = 1;
		rc = cadv_events(txn, &p->r, event_first, &k);
		if (rc == WALK_STOP && !out->oom)
			return 0;
		if (rc != 0)
			return rc;
	} else if (p->ev_hi != 0 && p->ev_next <= p->ev_hi &&
	    p->ev_left != 0) {
		rc = cadv_events_each(txn, p->ev_next, event_next, &k);
		if (rc == WALK_STOP && !out->oom)
			return 0;
		if (rc != 0 && rc != SOURCE_END)
			return rc;
	}
	buf_puts(out, "]\n");
	return SOURCE_END;
}

static int
events_fill(struct source *src, struct buf *out)
{
	return step_in_txn((struct api *)src, events_step, out);
}

/* A boolean parameter as Go's strconv.ParseBool reads it: 1 if true, 0
 * if false, def when absent or not a boolean (cAdvisor skips those) */
static int
flag_or(struct api *p, const char *key, int def)
{
	static const char *const yes[] = { "1", "t", "T", "true", "TRUE",
	    "True" };
	static const char *const no[] = { "0", "f", "F", "false", "FALSE",
	    "False" };
	const char *v = p->q(p->req, key);
	size_t i;

	for (i = 0; v != NULL && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(v, yes[i]) == 0)
			return 1;
		if (strcmp(v, no[i]) == 0)
			return 0;
	}
	return def;
}

static int
flag(struct api *p, const char *key)
{
	return flag_or(p, key, 0);
}

/* cAdvisor's event query parameters */
static int
events_answer(struct api *p, struct cadv_txn *txn)
{
	static const struct { const char *key; enum cadv_event_type t; } sel[] = {
		{ "oom_events", CADV_EV_OOM }, { "oom_kill_events", CADV_EV_OOM_KILL },
		{ "creation_events", CADV_EV_CONTAINER_CREATION },
		{ "deletion_events", CADV_EV_CONTAINER_DELETION },
	};
	const char *v, *errstr;
	char e[ECHO_MAX];
	size_t i;
	int rc;

	cadv_event_request_init(&p->r);
	p->r.flags = CADV_EVQ_CADVISOR_NAMES;
	/* cAdvisor's: only the types asked for; none asked, none given */
	p->r.types = 0;
	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++)
		if (flag(p, "all_events") || flag(p, sel[i].key))
			p->r.types |= 1u << sel[i].t;
	if ((v = p->q(p->req, "max_events")) != NULL) {
		p->r.max = strtonum(v, -1, INT32_MAX, &errstr);
		if (errstr != NULL) {
			error_answer(p->a, 400, "max_events %s: %s",
			    echo(v, e, sizeof(e)), errstr);
			return -1;
		}
	}
	if (((v = p->q(p->req, "start_time")) != NULL &&
	    clock_parse_rfc3339(v, &p->r.start_ns) == -1) ||
	    ((v = p->q(p->req, "end_time")) != NULL &&
	    clock_parse_rfc3339(v, &p->r.end_ns) == -1)) {
		error_answer(p->a, 400, "start_time/end_time %s: want RFC 3339",
		    echo(v, e, sizeof(e)));
		return -1;
	}
	memcpy(p->r.container, p->name, p->nlen);
	p->r.container_len = p->nlen;
	p->r.subcontainers = flag(p, "subcontainers");
	if (flag(p, "stream"))
		return stream_answer(p, txn);
	p->ev_left = p->r.max;
	if (p->r.types != 0 && (rc = cadv_events_last(txn, &p->ev_hi)) != 0) {
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
		return -1;
	}
	p->src.fill = events_fill;
	return first_piece(p, txn, "[", events_step);
}

static void
default_key(struct json_object *o, const char *key, struct json_object *v)
{
	if (json_object_object_get_ex(o, key, NULL))
		json_object_put(v);
	else
		json_object_object_add(o, key, v);
}

/* MachineInfo's fields collectord's document lacks, as cAdvisor writes
 * them on a machine where it finds nothing: no DIMM types, no NVM, no
 * cloud */
static void
machine_defaults(struct json_object *m)
{
	struct json_object *nvm = json_object_new_object();

	json_object_object_add(nvm, "memory_mode_capacity",
	    json_object_new_uint64(0));
	json_object_object_add(nvm, "app_direct_mode_capacity",
	    json_object_new_uint64(0));
	json_object_object_add(nvm, "avg_power_budget",
	    json_object_new_uint64(0));
	default_key(m, "memory_by_type", json_object_new_object());
	default_key(m, "nvm", nvm);
	default_key(m, "hugepages", json_object_new_array());
	default_key(m, "filesystems", json_object_new_array());
	default_key(m, "disk_map", json_object_new_object());
	default_key(m, "network_devices", json_object_new_array());
	default_key(m, "topology", json_object_new_array());
	default_key(m, "machine_id", json_object_new_string(""));
	default_key(m, "system_uuid", json_object_new_string(""));
	default_key(m, "boot_id", json_object_new_string(""));
	default_key(m, "cloud_provider", json_object_new_string("Unknown"));
	default_key(m, "instance_type", json_object_new_string("Unknown"));
	default_key(m, "instance_id", json_object_new_string("None"));
}

static void
meta_answer(struct api *p, struct cadv_txn *txn, meta_doc_fn doc,
    const char *key)
{
	struct json_object *o = meta_json(txn, doc);

	if (o != NULL && doc == cadv_machine_info &&
	    json_object_is_type(o, json_type_object))
		machine_defaults(o);

	if (o == NULL)
		error_answer(p->a, 503, "no %s document in the store yet "
		    "(collectord writes it at start)", key);
	else
		json_answer(p->a, 200, o);
}

static void
version_answer(struct api *p, struct cadv_txn *txn)
{
	struct json_object *v = meta_json(txn, cadv_version_info), *s;

	/* v2.0/version is cAdvisor's version string alone */
	if (v != NULL && json_object_object_get_ex(v, "cadvisor_version", &s))
		json_answer(p->a, 200, json_object_get(s));
	else
		error_answer(p->a, 503, "no version document in the store yet");
	json_object_put(v);
}

/* The answer's first piece from the request's own transaction, so that
 * a store error there is still a 500; 0 when more follow (p is then the
 * answer's source), -1 when the answer is complete. */
static int
first_piece(struct api *p, struct cadv_txn *txn, const char *open,
    int (*step)(struct api *, struct cadv_txn *, struct buf *))
{
	struct answer *a = p->a;
	int rc;

	a->status = 200;
	a->type = "application/json";
	buf_puts(&a->body, open);
	if ((rc = step(p, txn, &a->body)) == 0)
		return 0;
	if (rc != SOURCE_END) {
		buf_free(&a->body);
		error_answer(a, 500, "store: %s", cadv_strerror(rc));
	}
	return -1;
}

/* A docker or podman container named by raw (its name, id, a unique
 * prefix of its id; bytes, NUL-terminated): p->name becomes its cgroup.
 * -1 with the answer made when there is none (404) or several (400). */
static int
by_runtime_name(struct api *p, struct cadv_txn *txn, const char *raw, size_t rlen)
{
	char e[ECHO_MAX];
	const char *rt = cadv_runtime_name(p->by_rt), *q = raw;
	struct cadv_container *c;
	size_t n;
	int rc;

	if (p->idt == NULL && (p->idt = malloc(sizeof(*p->idt))) == NULL) {
		error_answer(p->a, 500, "out of memory");
		return -1;
	}
	rc = cadv_ident_resolve(txn, raw, rlen, p->idt, &n);
	if (rc == CADV_AMBIGUOUS) {
		error_answer(p->a, 400, "%s names %zu containers: give more of "
		    "the id", echo(q, e, sizeof(e)), n);
		return -1;
	}
	if (rc != 0 && rc != CADV_NOTFOUND) {
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
		return -1;
	}
	if (rc == CADV_NOTFOUND) {
		error_answer(p->a, 404, "unknown %s container %s", rt,
		    echo(q, e, sizeof(e)));
		return -1;
	}
	if (p->idt->runtime != p->by_rt) {
		error_answer(p->a, 404, "%s is a %s container, not %s",
		    echo(q, e, sizeof(e)), *cadv_runtime_name(
		    p->idt->runtime) ? cadv_runtime_name(p->idt->runtime) :
		    "raw", rt);
		return -1;
	}
	if ((c = malloc(sizeof(*c))) == NULL) {
		error_answer(p->a, 500, "out of memory");
		return -1;
	}
	rc = cadv_ident_container(txn, p->idt, c);
	if (rc == 0) {
		memcpy(p->name, c->name, c->name_len);
		p->name[c->name_len] = '\0';
		p->nlen = c->name_len;
		p->recursive = 0;
	}
	free(c);
	if (rc == CADV_NOTFOUND) {
		error_answer(p->a, 404, "%s container %s is not running", rt,
		    echo(q, e, sizeof(e)));
		return -1;
	}
	if (rc != 0) {
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
		return -1;
	}
	return 0;
}

/* /api/v1.3/docker/[NAME]: {cgroup: ContainerInfo} of every running
 * docker container, or of the one NAME names (cAdvisor's v1.2 docker
 * endpoint).  NAME is cadv's text form, without slashes. */
static int
docker_answer(struct api *p, struct cadv_txn *txn, const char *rest)
{
	char raw[CGNAME_MAX + 1], e[ECHO_MAX];
	size_t len = strlen(rest), rlen;

	p->kind = K_V1_DOCKER;
	while (len > 0 && rest[len - 1] == '/')
		len--;
	if (parse_query(p, COUNT_DEFAULT_V1) == -1 || parse_v1_body(p) == -1)
		return -1;
	p->by_rt = CADV_RT_DOCKER;	/* whatever type said */
	if (len == 0)
		p->by_rt_all = 1;
	else if (memchr(rest, '/', len) != NULL) {
		error_answer(p->a, 400, "want /api/VERSION/docker/[NAME]");
		return -1;
	} else if (len > CGNAME_MAX || cgname_unescape(rest, len, raw,
	    &rlen) == -1) {
		error_answer(p->a, 400, "not a docker container name: %s",
		    echo(rest, e, sizeof(e)));
		return -1;
	} else {
		raw[rlen] = '\0';
		if (by_runtime_name(p, txn, raw, rlen) == -1)
			return -1;
	}
	if (pick(p, txn) == -1)
		return -1;
	p->src.fill = containers_fill;
	return first_piece(p, txn, "{", containers_step);
}

/* v2.0/attributes: v2.Attributes, from the machine and version
 * documents (cAdvisor's GetAttributes copies the same fields) */
static void
attributes_answer(struct api *p, struct cadv_txn *txn)
{
	static const char *const from_version[] = { "kernel_version",
	    "container_os_version", "docker_version", "docker_api_version",
	    "cadvisor_version" };
	static const char *const from_machine[] = { "num_cores",
	    "cpu_frequency_khz", "memory_capacity", "machine_id",
	    "system_uuid", "hugepages", "filesystems", "disk_map",
	    "network_devices", "topology", "cloud_provider", "instance_type" };
	struct json_object *m = meta_json(txn, cadv_machine_info);
	struct json_object *v = meta_json(txn, cadv_version_info);
	struct json_object *o, *x;
	size_t i;

	if (m == NULL || v == NULL) {
		json_object_put(m);
		json_object_put(v);
		error_answer(p->a, 503, "no machine or version document in the "
		    "store yet (collectord writes them at start)");
		return;
	}
	if (json_object_is_type(m, json_type_object))
		machine_defaults(m);
	o = json_object_new_object();
	for (i = 0; i < sizeof(from_version) / sizeof(from_version[0]); i++)
		if (json_object_object_get_ex(v, from_version[i], &x))
			json_object_object_add(o, from_version[i],
			    json_object_get(x));
	for (i = 0; i < sizeof(from_machine) / sizeof(from_machine[0]); i++)
		if (json_object_object_get_ex(m, from_machine[i], &x))
			json_object_object_add(o, from_machine[i],
			    json_object_get(x));
	json_object_put(m);
	json_object_put(v);
	json_answer(p->a, 200, o);
}

static int
storage_one(const struct cadv_fs_info *fi, void *arg)
{
	struct json_object *o = json_object_new_object(), *labels;

	json_object_object_add(o, "timestamp", jsonfmt_time(fi->ts_ns));
	json_object_object_add(o, "device",
	    json_object_new_string(fi->device));
	json_object_object_add(o, "mountpoint",
	    json_object_new_string(fi->mountpoint));
	json_object_object_add(o, "capacity",
	    json_object_new_uint64(fi->usage.capacity));
	json_object_object_add(o, "available",
	    json_object_new_uint64(fi->usage.available));
	json_object_object_add(o, "usage",
	    json_object_new_uint64(fi->usage.used));
	labels = json_object_new_array();
	if (fi->labels & CADV_FSL_ROOT)
		json_object_array_add(labels, json_object_new_string("root"));
	json_object_object_add(o, "labels", labels);
	if (fi->has_inodes) {
		json_object_object_add(o, "inodes",
		    json_object_new_uint64(fi->usage.inodes));
		json_object_object_add(o, "inodes_free",
		    json_object_new_uint64(fi->usage.inodes_free));
	}
	json_object_array_add(arg, o);
	return 0;
}

/* v2.0/storage: [v2.FsInfo] of the machine's filesystems with their
 * newest usage (cadv_fs_info, the kubelet's GetFsInfo); ?label=root
 * picks the root filesystem (the one label cadv knows), ?uuid= is not
 * known here */
static void
storage_answer(struct api *p, struct cadv_txn *txn)
{
	const char *label = p->q(p->req, "label");
	struct json_object *arr;
	int rc;

	if (p->q(p->req, "uuid") != NULL) {
		error_answer(p->a, 404, "storage ?uuid=: filesystem UUIDs are "
		    "not recorded; use ?label=root or no parameter");
		return;
	}
	if (label != NULL && *label != '\0' && strcmp(label, "root") != 0) {
		error_answer(p->a, 404, "storage ?label=: only \"root\" is "
		    "known");
		return;
	}
	arr = json_object_new_array();
	rc = cadv_fs_info(txn, label, storage_one, arr);
	if (rc == CADV_NOTFOUND) {
		json_object_put(arr);
		error_answer(p->a, 503, "no machine document in the store yet "
		    "(collectord writes it at start)");
		return;
	}
	if (rc != 0) {
		json_object_put(arr);
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
		return;
	}
	json_answer(p->a, 200, arr);
}

/* v2.0/appmetrics/NAME: {NAME: {}}, as cAdvisor answers a container
 * without application metrics (cadv collects none) */
static void
appmetrics_answer(struct api *p, struct cadv_txn *txn)
{
	struct cadv_container *c = malloc(sizeof(*c));
	struct json_object *o;
	char e[ECHO_MAX];
	int rc;

	if (c == NULL) {
		error_answer(p->a, 500, "out of memory");
		return;
	}
	rc = cadv_container_find(txn, p->name, p->nlen, c);
	if (rc == 0 && c->deleted_ns != 0)
		rc = CADV_NOTFOUND;
	free(c);
	if (rc == CADV_NOTFOUND)
		error_answer(p->a, 404, "unknown container %s",
		    echo(p->name, e, sizeof(e)));
	else if (rc != 0)
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
	else {
		o = json_object_new_object();
		json_object_object_add(o, p->name, json_object_new_object());
		json_answer(p->a, 200, o);
	}
}

/* v2.0/ps/NAME: [v2.ProcessInfo] of a live container's own processes
 * (every process for /), read from /proc now, not from the store; type
 * names a docker or podman container as for stats (recursive is not
 * taken, as in cAdvisor) */
static void
ps_answer(struct api *p, struct cadv_txn *txn)
{
	struct cadv_container *c;
	struct json_object *o;
	char e[ECHO_MAX], err[PATH_MAX + 128];
	int rc;

	if (parse_query(p, COUNT_DEFAULT_V2) == -1)
		return;
	if (p->by_rt != CADV_RT_UNKNOWN && by_runtime_name(p, txn, p->name + 1,
	    p->nlen - 1) == -1)
		return;
	if ((c = malloc(sizeof(*c))) == NULL) {
		error_answer(p->a, 500, "out of memory");
		return;
	}
	rc = cadv_container_find(txn, p->name, p->nlen, c);
	if (rc == 0 && c->deleted_ns != 0)
		rc = CADV_NOTFOUND;
	if (rc == CADV_NOTFOUND)
		error_answer(p->a, 404, "unknown container %s",
		    echo(p->name, e, sizeof(e)));
	else if (rc != 0)
		error_answer(p->a, 500, "store: %s", cadv_strerror(rc));
	else if ((o = ps_list("/proc", "/sys/fs/cgroup", p->name, p->nlen,
	    (c->flags & CADV_CF_V2) != 0, err, sizeof(err))) == NULL)
		error_answer(p->a, 500, "process listing failed: %s", err);
	else
		json_answer(p->a, 200, o);
	free(c);
}

/* cAdvisor's versions, each with the endpoints it serves (its
 * cmd/internal/api/versions.go): v1.0 containers and machine, v1.1 adds
 * subcontainers, v1.2 docker, v1.3 events; v2.0 its own set, v2.1 adds
 * machinestats and answers stats with v2.ContainerInfo. */
static int
version_of(const char *ver, int *major, int *minor)
{
	if (strlen(ver) != 4 || ver[0] != 'v' || ver[2] != '.')
		return -1;
	*major = ver[1] - '0';
	*minor = ver[3] - '0';
	if (*major == 1 && *minor >= 0 && *minor <= 3)
		return 0;
	if (*major == 2 && *minor >= 0 && *minor <= 1)
		return 0;
	return -1;
}

/* 0 when p became the answer's source, -1 when the answer is complete */
static int
route(struct api *p, struct cadv_txn *txn, const char *ver, const char *ep,
    const char *rest)
{
	char e1[ECHO_MAX], e2[ECHO_MAX];
	int major, minor, v1;

	if (version_of(ver, &major, &minor) == -1) {
		error_answer(p->a, 404, "unsupported API version %s (cAdvisor's "
		    "are v1.0, v1.1, v1.2, v1.3, v2.0 and v2.1)",
		    echo(ver, e1, sizeof(e1)));
		return -1;
	}
	v1 = major == 1;
	if (strcmp(ep, "machine") == 0 && *rest == '\0') {
		meta_answer(p, txn, cadv_machine_info, "machine");
		return -1;
	}
	if (v1 && minor >= 2 && strcmp(ep, "docker") == 0)
		return docker_answer(p, txn, rest);
	if (!v1 && *rest == '\0' && strcmp(ep, "version") == 0) {
		version_answer(p, txn);
		return -1;
	}
	if (!v1 && *rest == '\0' && strcmp(ep, "attributes") == 0) {
		attributes_answer(p, txn);
		return -1;
	}
	if (!v1 && strcmp(ep, "storage") == 0) {
		storage_answer(p, txn);
		return -1;
	}
	if (parse_name(p, rest) == -1) {
		error_answer(p->a, 400, "not a container name: /%s",
		    echo(rest, e1, sizeof(e1)));
		return -1;
	}
	if ((!v1 || minor >= 3) && strcmp(ep, "events") == 0) {
		p->kind = K_EVENTS;
		return events_answer(p, txn);
	}
	if (!v1 && strcmp(ep, "appmetrics") == 0) {
		appmetrics_answer(p, txn);
		return -1;
	}
	if (!v1 && strcmp(ep, "ps") == 0) {
		ps_answer(p, txn);
		return -1;
	}
	if (v1 && strcmp(ep, "containers") == 0)
		p->kind = K_V1_ONE;
	else if (v1 && minor >= 1 && strcmp(ep, "subcontainers") == 0)
		p->kind = K_V1_MANY;
	else if (!v1 && strcmp(ep, "stats") == 0)
		p->kind = minor == 0 ? K_V2_STATS : K_V21_STATS;
	else if (!v1 && strcmp(ep, "spec") == 0)
		p->kind = K_V2_SPEC;
	else if (!v1 && strcmp(ep, "summary") == 0)
		p->kind = K_V2_SUMMARY;
	else if (!v1 && minor >= 1 && strcmp(ep, "machinestats") == 0)
		p->kind = K_MACHINESTATS;
	else {
		error_answer(p->a, 404, "unknown endpoint %s/%s",
		    echo(ver, e1, sizeof(e1)), echo(ep, e2, sizeof(e2)));
		return -1;
	}
	if (v1)
		p->recursive = p->kind == K_V1_MANY;
	if (parse_query(p, v1 ? COUNT_DEFAULT_V1 : COUNT_DEFAULT_V2) == -1 ||
	    (v1 && parse_v1_body(p) == -1))
		return -1;
	/* machinestats: the root's, whatever the path and query said */
	if (p->kind == K_MACHINESTATS) {
		p->name[0] = '/';
		p->name[1] = '\0';
		p->nlen = 1;
		p->recursive = 0;
		p->by_rt = CADV_RT_UNKNOWN;
	}
	/* v1 takes no type; v2's names a docker or podman container by
	 * its name or id, or with recursive=true all of them ("/") */
	if (v1)
		p->by_rt = CADV_RT_UNKNOWN;
	if (p->by_rt != CADV_RT_UNKNOWN && p->recursive) {
		if (p->nlen != 1) {
			error_answer(p->a, 400, "type=%s&recursive=true: only "
			    "for / (every %s container)",
			    cadv_runtime_name(p->by_rt),
			    cadv_runtime_name(p->by_rt));
			return -1;
		}
		p->by_rt_all = 1;
	} else if (p->by_rt != CADV_RT_UNKNOWN && by_runtime_name(p, txn,
	    p->name + 1, p->nlen - 1) == -1)
		return -1;
	if (pick(p, txn) == -1)
		return -1;
	p->src.fill = containers_fill;
	return first_piece(p, txn, p->kind == K_V1_MANY ||
	    p->kind == K_MACHINESTATS ? "[" : p->kind == K_V1_ONE ? "" : "{",
	    containers_step);
}

static void
api_release(struct source *src)
{
	struct api *p = (struct api *)src;

	free(p->ids);
	free(p->idt);
	free(p->view);
	json_object_put(p->machine);
	free(p);
}

void
api_answer(struct exporter *ex, const char *path, query_fn q, void *req,
    const char *body, size_t body_len, struct answer *a)
{
	struct api *p;
	struct cadv_txn *txn;
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
	*p = (struct api){ .ex = ex, .q = q, .req = req, .a = a,
	    .body = body, .body_len = body_len };
	p->src.release = api_release;
	p->src.size = UINT64_MAX;
	if ((rc = cadv_begin(ex->st, &txn)) != 0) {
		error_answer(a, 503, "store: %s", cadv_strerror(rc));
		api_release(&p->src);
		return;
	}
	rc = route(p, txn, ver, ep, slash ? slash + 1 : "");
	cadv_end(txn);
	if (rc == -1) {
		api_release(&p->src);
		return;
	}
	p->q = NULL;
	p->req = NULL;
	p->body = NULL;
	p->a = NULL;
	a->src = &p->src;
}
