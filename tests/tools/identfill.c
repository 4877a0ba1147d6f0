/* identfill: writes runtime identities (and events) into a store through
 * the store layers, for tests of readers (cadvctl, tests/store_reader.py) that
 * must not depend on identd or a runtime.
 *
 *	identfill --store DIR FILE
 *
 * FILE is a JSON document:
 *	{ "idents": [ { "cgroup": "/x", "runtime": "podman", "id": "...",
 *	    "name": "web1", "image": "...", "pod": ..., "namespace": ...,
 *	    (any string of ident.h by its ident_str_name),
 *	    "labels": { "k": "v" }, "env": { "K": "v" },
 *	    "seen": -100, "gone": -5, "created": ..., "started": ...,
 *	    "finished": ..., "exit_code": 137, "oom_killed": true,
 *	    "sandbox": true, "pod_cgroup": true, "restart_count": 2,
 *	    "pid": 42 }, ... ],
 *	  "events": [ { "type": "container_deletion", "cgroup": "/x",
 *	    "at": -5 }, ... ] }
 * Strings, keys and values are in cadv's printed form (cgname_escape), so
 * that any byte but NUL can be written.  Times are seconds relative to
 * now (negative: in the past); absent is 0 (unknown; for "gone": still
 * known to the runtime).  "exit_code" sets the exited flag. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ident.h"
#include "store.h"
#include "storeident.h"
#include "storewrite.h"

struct fill {
	struct json_object	*doc;
	uint64_t		 now;
	struct cadv_ident		 id;
	struct cadv_event		 ev;
	char			 buf[4 * CGNAME_MAX + 1];
	const char		*err;
};

/* the bytes of a printed-form string, in f->buf */
static int
text(struct fill *f, struct json_object *v, size_t *len)
{
	const char *s = json_object_get_string(v);
	size_t n = s ? strlen(s) : 0;

	if (s == NULL || n >= sizeof(f->buf) ||
	    cgname_unescape(s, n, f->buf, len) == -1) {
		f->err = "a string is not in cadv's printed form";
		return -1;
	}
	return 0;
}

static uint64_t
when(struct fill *f, struct json_object *o, const char *key)
{
	struct json_object *v;
	double s;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	s = json_object_get_double(v);
	return (uint64_t)((double)f->now + s * 1e9);
}

static int
kvs(struct fill *f, struct json_object *o, const char *key, int env)
{
	struct json_object *m;
	char k[4 * IDENT_KEY_MAX + 1];
	size_t kl, vl;

	if (!json_object_object_get_ex(o, key, &m))
		return 0;
	json_object_object_foreach(m, jk, jv) {
		if (strlen(jk) >= sizeof(k) ||
		    cgname_unescape(jk, strlen(jk), k, &kl) == -1 ||
		    text(f, jv, &vl) == -1) {
			f->err = "a label or variable is not in printed form";
			return -1;
		}
		if ((env ? ident_add_env(&f->id, k, kl, f->buf, vl) :
		    ident_add_label(&f->id, k, kl, f->buf, vl)) == -1) {
			f->err = "ident_add_label/env refused a label";
			return -1;
		}
	}
	return 0;
}

static int
one_ident(struct fill *f, struct json_object *o)
{
	struct json_object *v;
	size_t len;
	int i;

	ident_init(&f->id);
	if (json_object_object_get_ex(o, "runtime", &v)) {
		for (i = 0; i <= CADV_RT_MAX; i++)
			if (strcmp(json_object_get_string(v),
			    ident_runtime_name((enum cadv_runtime)i)) == 0)
				f->id.runtime = (enum cadv_runtime)i;
	}
	for (i = 0; i < CADV_IS_COUNT; i++) {
		if (!json_object_object_get_ex(o,
		    ident_str_name((enum cadv_ident_str)i), &v))
			continue;
		if (text(f, v, &len) == -1)
			return -1;
		if (ident_set(&f->id, (enum cadv_ident_str)i, f->buf, len) == -1) {
			f->err = "ident_set refused a string";
			return -1;
		}
	}
	if (kvs(f, o, "labels", 0) == -1 || kvs(f, o, "env", 1) == -1)
		return -1;
	f->id.seen_ns = when(f, o, "seen");
	f->id.gone_ns = when(f, o, "gone");
	f->id.created_ns = when(f, o, "created");
	f->id.started_ns = when(f, o, "started");
	f->id.finished_ns = when(f, o, "finished");
	if (json_object_object_get_ex(o, "exit_code", &v)) {
		f->id.flags |= CADV_IDF_EXITED;
		f->id.exit_code = json_object_get_int(v);
	}
	if (json_object_object_get_ex(o, "oom_killed", &v) &&
	    json_object_get_boolean(v))
		f->id.flags |= CADV_IDF_OOM_KILLED;
	if (json_object_object_get_ex(o, "sandbox", &v) &&
	    json_object_get_boolean(v))
		f->id.flags |= CADV_IDF_SANDBOX;
	if (json_object_object_get_ex(o, "pod_cgroup", &v) &&
	    json_object_get_boolean(v))
		f->id.flags |= CADV_IDF_POD;
	if (json_object_object_get_ex(o, "restart_count", &v))
		f->id.restart_count = (uint32_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "pid", &v))
		f->id.pid = (uint32_t)json_object_get_int64(v);
	return 0;
}

static int
one_event(struct fill *f, struct json_object *o)
{
	struct json_object *v;
	size_t len;

	memset(&f->ev, 0, sizeof(f->ev));
	if (!json_object_object_get_ex(o, "type", &v) ||
	    event_type_parse(json_object_get_string(v), &f->ev.type) == -1 ||
	    !json_object_object_get_ex(o, "cgroup", &v) ||
	    text(f, v, &len) == -1 || len > CGNAME_MAX) {
		f->err = "an event needs a type and a cgroup";
		return -1;
	}
	memcpy(f->ev.container, f->buf, len);
	f->ev.container_len = len;
	f->ev.ts_ns = when(f, o, "at");
	if (f->ev.type == CADV_EV_OOM_KILL) {
		f->ev.pid = 4242;
		memcpy(f->ev.comm, "hog", 3);
		f->ev.comm_len = 3;
	}
	return 0;
}

static int
fill_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct fill *f = arg;
	struct json_object *arr;
	size_t i;
	int rc;

	if (json_object_object_get_ex(f->doc, "idents", &arr))
		for (i = 0; i < json_object_array_length(arr); i++) {
			if (one_ident(f, json_object_array_get_idx(arr, i)) ==
			    -1)
				return EINVAL;
			if ((rc = store_ident_put(st, txn, &f->id)) != 0) {
				f->err = "store_ident_put";
				return rc;
			}
		}
	if (json_object_object_get_ex(f->doc, "events", &arr))
		for (i = 0; i < json_object_array_length(arr); i++) {
			if (one_event(f, json_object_array_get_idx(arr, i)) ==
			    -1)
				return EINVAL;
			if ((rc = store_event_add(st, txn, &f->ev)) != 0) {
				f->err = "store_event_add";
				return rc;
			}
		}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fill f;
	const char *dir = NULL;
	char err[512];
	struct store *st;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
		if (ch != 's') {
			fprintf(stderr, "usage: identfill --store DIR FILE\n");
			return 2;
		}
		dir = optarg;
	}
	if (dir == NULL || optind + 1 != argc) {
		fprintf(stderr, "usage: identfill --store DIR FILE\n");
		return 2;
	}
	if ((f.doc = json_object_from_file(argv[optind])) == NULL) {
		fprintf(stderr, "identfill: %s: not JSON\n", argv[optind]);
		return 2;
	}
	f.now = clock_now_ns();
	if (store_open(&st, dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "identfill: %s\n", err);
		return 1;
	}
	rc = store_write(st, fill_fn, &f);
	if (rc != 0)
		fprintf(stderr, "identfill: %s: %s\n", f.err ? f.err : "write",
		    store_strerror(rc));
	store_close(st);
	json_object_put(f.doc);
	return rc == 0 ? 0 : 1;
}
