/* exporterd: a read-only client of the store that answers HTTP with
 * Prometheus metrics, cAdvisor's JSON API and a web page. */
#ifndef EXPORTERD_H
#define EXPORTERD_H

#include <json-c/json.h>

#include "buf.h"
#include "cadv.h"
#include "labels.h"

/* Metric groups, as cAdvisor's --disable_metrics names them */
enum metric_group_bit {
	G_CPU_BIT, G_PERCPU_BIT, G_MEMORY_BIT, G_DISKIO_BIT, G_NETWORK_BIT,
	G_PROCESS_BIT, G_OOM_BIT, G_PRESSURE_BIT, G_DISK_BIT,
	G_CPULOAD_BIT,
	G_NGROUPS
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
#define G_DISK		(1u << G_DISK_BIT)
#define G_CPULOAD	(1u << G_CPULOAD_BIT)
extern const char *const metric_group_names[G_NGROUPS];

struct hostcheck;
struct auth;

/* --labels: which base labels container series carry */
enum label_mode {
	LABELS_CADVISOR,	/* id name image container_label_* container_env_* */
	LABELS_KUBELET,		/* the kubelet's /metrics/cadvisor: id name
				 * image container pod namespace */
};

struct exporter {
	struct cadv	*st;
	unsigned	 disabled;	/* metric groups turned off */
	struct hostcheck *hosts;	/* Host headers answered (hosts.h) */
	struct auth	*auth;		/* NULL: no --http-auth-file */
	enum label_mode	 label_mode;
	int		 store_labels;	/* every runtime label, or ... */
	struct namelist	 label_allow;	/* ... only these */
	struct namelist	 env_allow;	/* variables shown (metrics, JSON) */
};

/* A query parameter of the request being answered, NULL when absent. */
typedef const char *(*query_fn)(void *req, const char *key);

/*
 * A body too large to build in memory comes in pieces: fill appends the
 * next one (about PIECE_SIZE bytes) to out and returns 0 while more
 * follow, SOURCE_END with the last, or a store error (the connection is
 * then cut: the status line went out long ago).  Each fill that reads the
 * store does so in a read transaction of its own, so that a client that
 * reads slowly holds no snapshot and no reader slot meanwhile.
 */
#define PIECE_SIZE	(32 * 1024)
#define SOURCE_END	1
/* fill has nothing now but more will come (a stream of events): the
 * connection waits, and fill is asked again a moment later */
#define SOURCE_WAIT	(-29001)	/* no errno, no LMDB error, not WALK_STOP */
/* A walk callback's "stop here": a value no store or LMDB error takes */
#define WALK_STOP	(-29000)

struct source {
	int	(*fill)(struct source *, struct buf *out);
	void	(*release)(struct source *);
	uint64_t size;		/* the whole body's length, or UINT64_MAX */
};

/* The answer to one request: status, content type and body; with src,
 * body is only its start and src gives the rest. */
struct answer {
	unsigned	 status;
	const char	*type;
	struct buf	 body;
	struct source	*src;
	const char	*cache;		/* its Cache-Control, or NULL */
	int		 csp;		/* the page's Content-Security-Policy */
};

/* A JSON document of the store (cadv_machine_info, cadv_version_info),
 * NULL if absent or not valid JSON. */
typedef int (*meta_doc_fn)(struct cadv_txn *, const char **, size_t *);
struct json_object *meta_json(struct cadv_txn *, meta_doc_fn);
/* /metrics into the answer, container series with mode's base labels
 * (--labels for /metrics, always the kubelet's for /metrics/cadvisor);
 * 0 or a store error */
int	metrics_answer(struct exporter *, enum label_mode, struct answer *);
/* /api/...: fills the answer (404/400 with a JSON error included); body
 * is the request's (a v1 ContainerInfoRequest), body_len 0 without one */
void	api_answer(struct exporter *, const char *path, query_fn, void *req,
	    const char *body, size_t body_len, struct answer *);
/* The largest request body read (cAdvisor's ContainerInfoRequest is a
 * hundred bytes); a longer one is refused with 413 */
#define API_BODY_MAX	4096
/* 1 for the web page's paths: "/", "/containers...", "/docker...",
 * "/pods..." (one document, routed by its script) and "/static/FILE" */
int	page_path(const char *path);
/* the answer to one of them (404 for a file there is not) */
void	page_answer(const char *path, struct answer *);
/* After a large answer: the heap and the store's pages it used go back
 * (trim.c) */
void	trim_memory(void);
/* The store's pages go back once more than slack pages of them are
 * mapped: during an answer, TRIM_WALKING (cheap enough to check every few
 * hundred records), and after each, TRIM_DONE. */
#define TRIM_WALKING	2048	/* 8 MiB */
#define TRIM_DONE	64
void	trim_store_pages(unsigned long slack);
/* The JSON error document {"error": msg}: valid UTF-8 whatever bytes msg
 * holds (request parts echoed in it are escaped as cadv escapes names). */
void	json_error(struct answer *, unsigned status, const char *msg);

#endif
