/*
 * cadv_watch: cAdvisor's WatchEvents as a client of eventd's socket
 * (docs/PROTOCOL.md "The event socket").  The request goes as eventd's
 * JSON; each line back is an event, a dropped-count notice or a refusal.
 * Lines are eventd's, but the socket is a path anyone may bind: every
 * line is checked as untrusted input, and one that is not an event is
 * CADV_CORRUPT for that call, the stream read on after it.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadv_impl.h"
#include "cgname.h"
#include "clock.h"
#include "evclient.h"
#include "jsonfmt.h"
#include "paths.h"

#define LINE_DEPTH	8	/* an event's JSON nests 3 deep */

struct cadv_watch {
	struct evclient		 ec;
	struct json_tokener	*tok;
	int			 eof;
	char			 err[256];
	char			 name[CGNAME_ESCAPED_MAX(CADV_NAME_MAX)];
};

/* eventd's request for r (evreq.c parses it back there) */
static struct json_object *
request_json(const struct cadv_event_request *r)
{
	struct json_object *o = json_object_new_object(), *types;
	int t;

	if (o == NULL)
		return NULL;
	if (r->start_ns != 0)
		json_object_object_add(o, "start_time",
		    jsonfmt_time(r->start_ns));
	types = json_object_new_array();
	for (t = 1; t <= CADV_EV_TYPE_MAX; t++)
		if (r->types & (1u << t))
			json_object_array_add(types, json_object_new_string(
			    cadv_event_type_name((enum cadv_event_type)t)));
	json_object_object_add(o, "types", types);
	json_object_object_add(o, "max_events", json_object_new_int64(r->max));
	if (r->container_len > 0)
		json_object_object_add(o, "container",
		    jsonfmt_name(r->container, r->container_len));
	if (r->subcontainers)
		json_object_object_add(o, "subcontainers",
		    json_object_new_boolean(1));
	return o;
}

CADV_EXPORT int
cadv_watch_events(const char *sock, const struct cadv_event_request *r,
    struct cadv_watch **out, char *err, size_t errsz)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], why[PATH_MAX + 128];
	struct json_object *req;
	struct cadv_watch *w;
	int rc;

	*out = NULL;
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (r == NULL || r->end_ns != 0 || r->flags != 0 ||
	    r->container_len > CADV_NAME_MAX || r->max < -1) {
		if (err != NULL)
			snprintf(err, errsz, "a watch takes a request with no "
			    "end time and no flags");
		return EINVAL;
	}
	if (sock == NULL) {
		if (paths_store(NULL, dir, sizeof(dir), why, sizeof(why)) != 0) {
			if (err != NULL)
				snprintf(err, errsz, "%s", why);
			return CADV_NOSTORE;
		}
		snprintf(path, sizeof(path), "%s/events.sock", dir);
		sock = path;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->tok = json_tokener_new_ex(LINE_DEPTH)) == NULL ||
	    (req = request_json(r)) == NULL) {
		if (w != NULL && w->tok != NULL)
			json_tokener_free(w->tok);
		free(w);
		if (err != NULL)
			snprintf(err, errsz, "%s", cadv_strerror(ENOMEM));
		return ENOMEM;
	}
	errno = 0;
	rc = evclient_open(&w->ec, sock, req, why, sizeof(why));
	/* the cause is in why; the code is the connection's */
	rc = rc == -1 ? (errno != 0 ? errno : ECONNREFUSED) : 0;
	json_object_put(req);
	if (rc != 0) {
		if (err != NULL)
			snprintf(err, errsz, "%s", why);
		json_tokener_free(w->tok);
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

CADV_EXPORT int
cadv_watch_fd(const struct cadv_watch *w)
{
	return w->ec.fd;
}

CADV_EXPORT const char *
cadv_watch_error(const struct cadv_watch *w)
{
	return w->err;
}

static int
bad(struct cadv_watch *w, const char *why)
{
	snprintf(w->err, sizeof(w->err), "eventd sent %s", why);
	return CADV_CORRUPT;
}

/* an escaped name (PROTOCOL.md "Text form of names") into out, at most
 * max bytes; -1 when it is not one */
static int
name_field(struct cadv_watch *w, struct json_object *o, const char *key,
    char *out, size_t max, size_t *len)
{
	struct json_object *v;
	size_t n, off;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return -1;
	/* unescaping never lengthens: the scratch holds any that may fit */
	n = (size_t)json_object_get_string_len(v);
	if (n >= sizeof(w->name) || cgname_unescape_ext(
	    json_object_get_string(v), n, 0, w->name, len, &off) !=
	    CGNAME_UNESC_OK || *len > max)
		return -1;
	memcpy(out, w->name, *len);
	out[*len] = '\0';
	return 0;
}

static int
u64_field(struct json_object *o, const char *key, uint64_t max,
    uint64_t *out)
{
	struct json_object *v;
	uint64_t u;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0)
		return -1;
	if ((u = json_object_get_uint64(v)) > max)
		return -1;
	*out = u;
	return 0;
}

/* An OOM kill's event_data.oom: pid, process name, victim, counter. */
static int
oom_data(struct cadv_watch *w, struct json_object *o, struct cadv_event *e)
{
	struct json_object *d, *oom, *fc;
	uint64_t pid;

	if (!json_object_object_get_ex(o, "event_data", &d) ||
	    !json_object_object_get_ex(d, "oom", &oom) ||
	    !json_object_is_type(oom, json_type_object))
		return bad(w, "an oom_kill without event_data.oom");
	if (u64_field(oom, "pid", UINT32_MAX, &pid) == -1)
		return bad(w, "an oom_kill without a pid");
	e->pid = (uint32_t)pid;
	if (name_field(w, oom, "process_name", e->comm, sizeof(e->comm) - 1,
	    &e->comm_len) == -1)
		return bad(w, "an oom_kill without a process name");
	if (name_field(w, oom, "victim_container_name", e->victim,
	    CADV_NAME_MAX, &e->victim_len) == -1 || (e->victim_len > 0 &&
	    !cgname_valid(e->victim, e->victim_len)))
		return bad(w, "an oom_kill whose victim is not a container "
		    "name");
	if (json_object_object_get_ex(oom, "from_counter", &fc)) {
		if (!json_object_is_type(fc, json_type_boolean))
			return bad(w, "a from_counter that is not a boolean");
		if (json_object_get_boolean(fc))
			e->flags |= CADV_EVF_FROM_COUNTER;
	}
	return 0;
}

/* One line: 0 with an event, 1 after a dropped notice, or an error. */
static int
line_event(struct cadv_watch *w, const char *line, size_t len,
    struct cadv_event *e, uint64_t *dropped)
{
	struct json_object *o, *v;
	uint64_t n;
	int rc = 0;

	if (len > INT_MAX)
		return bad(w, "a line too long");
	json_tokener_reset(w->tok);
	o = json_tokener_parse_ex(w->tok, line, (int)len);
	if (o == NULL || json_tokener_get_error(w->tok) !=
	    json_tokener_success || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return bad(w, "a line that is not a JSON object");
	}
	memset(e, 0, offsetof(struct cadv_event, container));
	e->container[0] = e->victim[0] = e->comm[0] = '\0';
	if (json_object_object_get_ex(o, "error", &v)) {
		snprintf(w->err, sizeof(w->err), "eventd: %s",
		    json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : "(an error that is not text)");
		rc = ECONNABORTED;
	} else if (json_object_object_get_ex(o, "dropped", &v)) {
		if (u64_field(o, "dropped", UINT64_MAX, &n) == -1)
			rc = bad(w, "a dropped count that is not a count");
		else {
			if (dropped != NULL)
				*dropped += n;
			rc = 1;
		}
	} else if (u64_field(o, "seq", UINT64_MAX, &e->seq) == -1 ||
	    u64_field(o, "timestamp_ns", UINT64_MAX, &e->ts_ns) == -1)
		rc = bad(w, "an event without seq or timestamp_ns");
	else if (!json_object_object_get_ex(o, "event_type", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    cadv_event_type_parse(json_object_get_string(v), &e->type) != 0)
		rc = bad(w, "an event of no known type");
	else if (name_field(w, o, "container_name", e->container,
	    CADV_NAME_MAX, &e->container_len) == -1 ||
	    !cgname_valid(e->container, e->container_len))
		rc = bad(w, "an event whose container_name is not a name");
	else if (e->type == CADV_EV_OOM_KILL)
		rc = oom_data(w, o, e);
	json_object_put(o);
	return rc;
}

static uint64_t
mono_ms(void)
{
	return clock_mono_ns() / 1000000;
}

CADV_EXPORT int
cadv_watch_next(struct cadv_watch *w, int timeout_ms, struct cadv_event *e,
    uint64_t *dropped)
{
	uint64_t end = timeout_ms >= 0 ? mono_ms() + (uint64_t)timeout_ms : 0;
	struct pollfd pfd = { .fd = w->ec.fd, .events = POLLIN };
	const char *line;
	size_t len;
	ssize_t n;
	int rc, wait;

	w->err[0] = '\0';
	for (;;) {
		while (evclient_take(&w->ec, &line, &len))
			if ((rc = line_event(w, line, len, e, dropped)) != 1)
				return rc;
		if (w->eof)
			return CADV_NOTFOUND;
		wait = -1;
		if (timeout_ms >= 0) {
			uint64_t now = mono_ms();

			wait = now >= end ? 0 : (int)(end - now);
		}
		if ((rc = poll(&pfd, 1, wait)) == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (rc == 0)
			return ETIMEDOUT;
		if ((n = evclient_fill(&w->ec)) == -1)
			return errno;
		if (n == 0)
			w->eof = 1;	/* a last line cut short is lost */
	}
}

CADV_EXPORT void
cadv_watch_close(struct cadv_watch *w)
{
	if (w == NULL)
		return;
	evclient_close(&w->ec);
	json_tokener_free(w->tok);
	free(w);
}
