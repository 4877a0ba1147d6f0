/* cAdvisor's DerivedStats (exporterd's v2.0/summary, cadvctl summary) of
 * a container from the store's minutes (storeminute.h) and its newest
 * samples. */
#ifndef CADV_DERIVED_H
#define CADV_DERIVED_H

#include <json-c/json.h>
#include <stdint.h>

#include "cadv.h"

/* The DerivedStats of container id at now_ns, or NULL with *rc set (a
 * store error, ENOMEM).  With minutes, cadv's "minutes" beside them: the
 * day's closed minutes, oldest first, each {start, start_ns,
 * percent_complete, cpu, memory} as the *_usage are. */
struct json_object *derived_json(struct cadv_txn *, uint64_t id,
	    uint64_t now_ns, int minutes, int *rc);

#endif
