#include "jsonfmt.h"

#include <bsd/string.h>
#include <string.h>

#include "cgname.h"
#include "clock.h"
#include "ident.h"
#include "schema.h"

struct json_object *
jsonfmt_name(const char *name, size_t len)
{
	char buf[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	size_t n;

	if (len > CGNAME_MAX)
		len = CGNAME_MAX;
	n = cgname_escape(name, len, buf, sizeof(buf));
	return json_object_new_string_len(buf, (int)n);
}

struct json_object *
jsonfmt_time(uint64_t ns)
{
	char buf[RFC3339_LEN];

	clock_rfc3339(ns, buf, sizeof(buf));
	return json_object_new_string(buf);
}

void
jsonfmt_set_path(struct json_object *obj, const char *path,
    struct json_object *val)
{
	char key[128];
	const char *dot;
	struct json_object *child;

	while ((dot = strchr(path, '.')) != NULL) {
		size_t n = (size_t)(dot - path);

		if (n >= sizeof(key))
			n = sizeof(key) - 1;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(obj, key, &child)) {
			child = json_object_new_object();
			json_object_object_add(obj, key, child);
		}
		obj = child;
		path = dot + 1;
	}
	json_object_object_add(obj, path, val);
}

struct json_object *
jsonfmt_container(const struct cadv_container *c)
{
	struct json_object *o = json_object_new_object(), *spec;
	size_t i;

	json_object_object_add(o, "name", jsonfmt_name(c->name, c->name_len));
	json_object_object_add(o, "id", json_object_new_uint64(c->id));
	json_object_object_add(o, "creation_time", jsonfmt_time(c->created_ns));
	json_object_object_add(o, "creation_time_ns",
	    json_object_new_uint64(c->created_ns));
	json_object_object_add(o, "live",
	    json_object_new_boolean(c->deleted_ns == 0));
	if (c->deleted_ns != 0) {
		json_object_object_add(o, "deletion_time",
		    jsonfmt_time(c->deleted_ns));
		json_object_object_add(o, "deletion_time_ns",
		    json_object_new_uint64(c->deleted_ns));
	}
	json_object_object_add(o, "cgroup_version",
	    json_object_new_int((c->flags & CADV_CF_V2) ? 2 : 1));
	spec = json_object_new_object();
	for (i = 0; i < CADV_SP_COUNT; i++)
		if (spec_has(c, (enum cadv_spec_field)i))
			jsonfmt_set_path(spec, spec_fields[i].path,
			    json_object_new_uint64(c->spec[i]));
	if (c->mask_len > 0)
		jsonfmt_set_path(spec, "cpu.mask",
		    json_object_new_string_len(c->cpu_mask, (int)c->mask_len));
	json_object_object_add(o, "spec", spec);
	return o;
}

struct json_object *
jsonfmt_sample(uint64_t ts, const struct cadv_sample *s)
{
	struct json_object *o = json_object_new_object(), *arr;
	size_t i, c;

	json_object_object_add(o, "timestamp", jsonfmt_time(ts));
	json_object_object_add(o, "timestamp_ns", json_object_new_uint64(ts));
	for (i = 0; i < CADV_SF_COUNT; i++)
		if (sample_has(s, (enum cadv_sample_field)i))
			jsonfmt_set_path(o, sample_fields[i].path,
			    json_object_new_uint64(s->v[i]));
	if (s->ncpu > 0) {
		arr = json_object_new_array_ext(s->ncpu);
		for (i = 0; i < s->ncpu; i++)
			json_object_array_add(arr,
			    json_object_new_uint64(s->percpu[i]));
		jsonfmt_set_path(o, "cpu.usage.per_cpu_usage", arr);
	}
	if (s->nblk > 0) {
		arr = json_object_new_array_ext(s->nblk);
		for (i = 0; i < s->nblk; i++) {
			const struct cadv_blk *b = &s->blk[i];
			struct json_object *d = json_object_new_object();

			json_object_object_add(d, "major",
			    json_object_new_int64(b->major));
			json_object_object_add(d, "minor",
			    json_object_new_int64(b->minor));
			json_object_object_add(d, "read_bytes",
			    json_object_new_uint64(b->read_bytes));
			json_object_object_add(d, "write_bytes",
			    json_object_new_uint64(b->write_bytes));
			json_object_object_add(d, "read_ops",
			    json_object_new_uint64(b->read_ops));
			json_object_object_add(d, "write_ops",
			    json_object_new_uint64(b->write_ops));
			for (c = 0; c < CADV_DX_COUNT; c++)
				if (xio_has(&s->xio[i],
				    (enum cadv_diskio_counter)c))
					json_object_object_add(d,
					    diskio_counters[c].path,
					    json_object_new_uint64(
					    s->xio[i].v[c]));
			json_object_array_add(arr, d);
		}
		jsonfmt_set_path(o, "diskio.devices", arr);
	}
	if (s->nnet > 0) {
		arr = json_object_new_array_ext(s->nnet);
		for (i = 0; i < s->nnet; i++) {
			const struct cadv_net *n = &s->net[i];
			struct json_object *d = json_object_new_object();

			json_object_object_add(d, "name",
			    jsonfmt_name(n->name, strnlen(n->name,
			    NET_IFNAME_LEN)));
#define NETF(f) json_object_object_add(d, #f, json_object_new_uint64(n->f))
			NETF(rx_bytes); NETF(rx_packets); NETF(rx_errors);
			NETF(rx_dropped); NETF(tx_bytes); NETF(tx_packets);
			NETF(tx_errors); NETF(tx_dropped);
#undef NETF
			json_object_array_add(arr, d);
		}
		jsonfmt_set_path(o, "network.interfaces", arr);
	}
	return o;
}

struct json_object *
jsonfmt_event(const struct cadv_event *e)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "seq", json_object_new_uint64(e->seq));
	json_object_object_add(o, "container_name",
	    jsonfmt_name(e->container, e->container_len));
	json_object_object_add(o, "timestamp", jsonfmt_time(e->ts_ns));
	json_object_object_add(o, "timestamp_ns",
	    json_object_new_uint64(e->ts_ns));
	json_object_object_add(o, "event_type",
	    json_object_new_string(event_type_cadvisor(e->type)));
	if (e->type == CADV_EV_OOM_KILL) {
		struct json_object *oom = json_object_new_object();

		json_object_object_add(oom, "pid",
		    json_object_new_int64(e->pid));
		json_object_object_add(oom, "process_name",
		    jsonfmt_name(e->comm, e->comm_len));
		json_object_object_add(oom, "victim_container_name",
		    jsonfmt_name(e->victim, e->victim_len));
		json_object_object_add(oom, "from_counter",
		    json_object_new_boolean(e->flags & CADV_EVF_FROM_COUNTER));
		jsonfmt_set_path(o, "event_data.oom", oom);
	} else if (e->type == CADV_EV_CONTAINER_DELETION)
		jsonfmt_set_path(o, "event_data.container_deletion.exit_code",
		    json_object_new_int(-1));
	return o;
}

static struct json_object *
ident_kvs(const struct cadv_ident *id, const struct cadv_ident_kv *kv, uint32_t n)
{
	struct json_object *o = json_object_new_object();
	char key[CGNAME_ESCAPED_MAX(IDENT_KEY_MAX)];
	uint32_t i;

	for (i = 0; i < n; i++) {
		cgname_escape(ident_span_str(id, kv[i].k), kv[i].k.len, key,
		    sizeof(key));
		json_object_object_add(o, key,
		    jsonfmt_name(ident_span_str(id, kv[i].v), kv[i].v.len));
	}
	return o;
}

static void
add_time(struct json_object *o, const char *key, uint64_t ns)
{
	if (ns != 0)
		json_object_object_add(o, key, jsonfmt_time(ns));
}

struct json_object *
jsonfmt_ident(const struct cadv_ident *id)
{
	struct json_object *o = json_object_new_object();
	size_t len;
	const char *s;
	int i;

	json_object_object_add(o, "runtime",
	    json_object_new_string(ident_runtime_name(id->runtime)));
	for (i = 0; i < CADV_IS_COUNT; i++) {
		s = ident_get(id, (enum cadv_ident_str)i, &len);
		if (len > 0)
			json_object_object_add(o, ident_str_name(
			    (enum cadv_ident_str)i), jsonfmt_name(s, len));
	}
	json_object_object_add(o, "labels",
	    ident_kvs(id, id->labels, id->nlabels));
	if (id->nenv > 0)
		json_object_object_add(o, "env",
		    ident_kvs(id, id->env, id->nenv));
	if (id->flags & CADV_IDF_SANDBOX)
		json_object_object_add(o, "sandbox",
		    json_object_new_boolean(1));
	if (id->flags & CADV_IDF_POD)
		json_object_object_add(o, "pod_cgroup",
		    json_object_new_boolean(1));
	add_time(o, "created", id->created_ns);
	add_time(o, "started", id->started_ns);
	if (id->flags & CADV_IDF_EXITED) {
		add_time(o, "finished", id->finished_ns);
		json_object_object_add(o, "exit_code",
		    json_object_new_int(id->exit_code));
		json_object_object_add(o, "oom_killed",
		    json_object_new_boolean(!!(id->flags & CADV_IDF_OOM_KILLED)));
	} else if (id->flags & CADV_IDF_OOM_KILLED)
		json_object_object_add(o, "oom_killed",
		    json_object_new_boolean(1));
	if (id->restart_count != 0)
		json_object_object_add(o, "restart_count",
		    json_object_new_int64(id->restart_count));
	if (id->pid != 0)
		json_object_object_add(o, "pid", json_object_new_int64(id->pid));
	return o;
}

void
jsonfmt_event_ident(struct json_object *o, const struct cadv_event *e,
    const struct cadv_ident *id)
{
	struct json_object *c = json_object_new_object();
	static const enum cadv_ident_str shown[] = { CADV_IS_ID, CADV_IS_NAME, CADV_IS_IMAGE,
	    CADV_IS_POD_NAME, CADV_IS_POD_NAMESPACE, CADV_IS_CONTAINER_NAME };
	const char *s;
	size_t i, len;

	json_object_object_add(c, "runtime",
	    json_object_new_string(ident_runtime_name(id->runtime)));
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		s = ident_get(id, shown[i], &len);
		if (len > 0)
			json_object_object_add(c, ident_str_name(shown[i]),
			    jsonfmt_name(s, len));
	}
	add_time(c, "created", id->created_ns);
	add_time(c, "started", id->started_ns);
	json_object_object_add(o, "container", c);
	if (e->type == CADV_EV_CONTAINER_DELETION && (id->flags & CADV_IDF_EXITED)) {
		jsonfmt_set_path(o, "event_data.container_deletion.exit_code",
		    json_object_new_int(id->exit_code));
		jsonfmt_set_path(o, "event_data.container_deletion.oom_killed",
		    json_object_new_boolean(!!(id->flags & CADV_IDF_OOM_KILLED)));
	}
}
