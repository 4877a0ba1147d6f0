/* exporterd: a read-only client of the store that answers HTTP with
 * Prometheus metrics, cAdvisor's JSON API and a web page. */
#ifndef EXPORTERD_H
#define EXPORTERD_H

#include <json-c/json.h>

#include "buf.h"
#include "store.h"

/* Metric groups, as cAdvisor's --disable_metrics names them */
enum metric_group_bit {
	G_CPU_BIT, G_PERCPU_BIT, G_MEMORY_BIT, G_DISKIO_BIT, G_NETWORK_BIT,
	G_PROCESS_BIT, G_OOM_BIT, G_PRESSURE_BIT, G_NGROUPS
};
#define G_ALWAYS	0u
#define G_CPU		(1u << G_CPU_BIT)
#define G_PERCPU	(1u << G_PERCPU_BIT)
#define G_MEMORY	(1u << G_MEMORY_BIT)
#define G_DISKIO	(1u << G_DISKIO_BIT)
#define G_NETWORK	(1u << G_NETWORK_BIT)
#define G_PROCESS	(1u << G_PROCESS_BIT)
#define G_OOM		(1u << G_OOM_BIT)
#define G_PRESSURE	(1u << G_PRESSURE_BIT)
extern const char *const metric_group_names[G_NGROUPS];

struct exporter {
	struct store	*st;
	unsigned	 disabled;	/* metric groups turned off */
};

/* A query parameter of the request being answered, NULL when absent. */
typedef const char *(*query_fn)(void *req, const char *key);

/* The answer to one request: status, content type and body. */
struct answer {
	unsigned	 status;
	const char	*type;
	struct buf	 body;
};

/* A JSON document of the meta table (machine, version), NULL if absent
 * or not valid JSON. */
struct json_object *meta_json(struct store *, MDB_txn *, const char *key);
/* /metrics; 0 or a store error */
int	metrics_render(struct exporter *, struct buf *);
/* /api/...: fills the answer (404/400 with a JSON error included) */
void	api_answer(struct exporter *, const char *path, query_fn, void *req,
	    struct answer *);
/* "/" and "/containers/...": the page, everything inline */
void	page_answer(const char *path, struct answer *);

#endif
