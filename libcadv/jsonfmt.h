/* JSON renderings of store records (json-c), shared by cadvctl and
 * exporterd.  Field names follow the dotted paths of schema.h, which are
 * cAdvisor's where cAdvisor has the field. */
#ifndef CADV_JSONFMT_H
#define CADV_JSONFMT_H

#include <json-c/json.h>

#include "cadv.h"

/* A container name as a JSON string, in cgname_escape's text form so that
 * the document stays valid UTF-8 whatever bytes the name holds. */
struct json_object *jsonfmt_name(const char *name, size_t len);
struct json_object *jsonfmt_time(uint64_t ns);
struct json_object *jsonfmt_container(const struct cadv_container *);
struct json_object *jsonfmt_sample(uint64_t ts_ns, const struct cadv_sample *);
struct json_object *jsonfmt_event(const struct cadv_event *);
/* An identity: runtime, its strings by ident_str_name, labels, env,
 * flags, times and exit as cadv's own JSON (not cAdvisor's). */
struct json_object *jsonfmt_ident(const struct cadv_ident *);
/* Joins an event to its container's identity (store_ident_find at the
 * event's time): a "container" object with runtime, id, name, image,
 * pod, namespace, container, created, started; a deletion's exit code
 * and oom_killed when the runtime recorded them. */
void	jsonfmt_event_ident(struct json_object *, const struct cadv_event *,
	    const struct cadv_ident *);

/* Sets obj.a.b.c = val, creating the intermediate objects. */
void	jsonfmt_set_path(struct json_object *obj, const char *path,
	    struct json_object *val);

#endif
