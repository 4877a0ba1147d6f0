#include "evreq.h"

#include <json-c/json.h>
#include <string.h>

#include "clock.h"

void
ev_request_init(struct cadv_event_request *r)
{
	memset(r, 0, sizeof(*r));
	r->types = CADV_EV_TYPES_ALL;
	r->max = EV_MAX_DEFAULT;
}

int
ev_match(const struct cadv_event_request *r, const struct cadv_event *e)
{
	/* a caller's event may hold any type: no shift past the word */
	if ((unsigned)e->type >= 32 || !(r->types & (1u << e->type)))
		return 0;
	if (r->start_ns && e->ts_ns < r->start_ns)
		return 0;
	if (r->end_ns && e->ts_ns > r->end_ns)
		return 0;
	if (r->container_len == 0)
		return 1;
	if (!r->subcontainers)
		return e->container_len == r->container_len &&
		    memcmp(e->container, r->container, r->container_len) == 0;
	return cgname_is_under(e->container, e->container_len, r->container,
	    r->container_len);
}

static int
time_field(struct json_object *o, const char *k, uint64_t *out,
    const char **err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || json_object_is_type(v,
	    json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    clock_parse_rfc3339(json_object_get_string(v), out) == -1) {
		*err = "start_time and end_time take RFC 3339 times";
		return -1;
	}
	return 0;
}

int
ev_request_json(const char *buf, size_t len, struct cadv_event_request *r,
    const char **err)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o, *v;
	int rc = -1;

	ev_request_init(r);
	if (tok == NULL) {
		*err = "out of memory";
		return -1;
	}
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		*err = "the request is not a JSON object";
		goto out;
	}
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (strcmp(key, "start_time") && strcmp(key, "end_time") &&
		    strcmp(key, "types") && strcmp(key, "max_events") &&
		    strcmp(key, "container") && strcmp(key, "subcontainers")) {
			*err = "unknown field in the request";
			goto out;
		}
	}
	if (time_field(o, "start_time", &r->start_ns, err) == -1 ||
	    time_field(o, "end_time", &r->end_ns, err) == -1)
		goto out;
	if (json_object_object_get_ex(o, "types", &v)) {
		size_t i;

		if (!json_object_is_type(v, json_type_array)) {
			*err = "types is a list of event type names";
			goto out;
		}
		r->types = 0;
		for (i = 0; i < json_object_array_length(v); i++) {
			struct json_object *t = json_object_array_get_idx(v, i);
			enum cadv_event_type et;

			if (!json_object_is_type(t, json_type_string) ||
			    event_type_parse(json_object_get_string(t), &et)) {
				*err = "unknown event type";
				goto out;
			}
			r->types |= 1u << et;
		}
	}
	if (json_object_object_get_ex(o, "max_events", &v)) {
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < -1) {
			*err = "max_events is -1 (all), 0 or more";
			goto out;
		}
		r->max = json_object_get_int64(v);
	}
	if (json_object_object_get_ex(o, "container", &v)) {
		static char raw[CGNAME_MAX];
		const char *s;
		size_t n;

		if (!json_object_is_type(v, json_type_string)) {
			*err = "container is a name";
			goto out;
		}
		/* names travel in cadv's escaped text form */
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		if (n > CGNAME_MAX || cgname_unescape(s, n, raw, &n) == -1 ||
		    (n > 0 && cgname_clean(raw, n, r->container, &r->container_len) == -1)) {
			*err = "container is not a valid name";
			goto out;
		}
	}
	if (json_object_object_get_ex(o, "subcontainers", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			*err = "subcontainers is true or false";
			goto out;
		}
		r->subcontainers = json_object_get_boolean(v);
	}
	if (r->end_ns && r->start_ns > r->end_ns) {
		*err = "start_time is after end_time";
		goto out;
	}
	rc = 0;
out:
	json_object_put(o);
	json_tokener_free(tok);
	return rc;
}
