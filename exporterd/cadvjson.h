/* cAdvisor's JSON types (google/cadvisor info/v1 and info/v2) from the
 * store's records, for the API (api.c).  Each builder starts from cadv's
 * own document (jsonfmt.c, what cadvctl prints) and gives it cAdvisor's
 * fields with cAdvisor's JSON types and units: keys cAdvisor always
 * writes are written (zero when cadv reads nothing there, as cAdvisor
 * does); cadv's own keys stay beside them (Go's decoder skips them). */
#ifndef EXPORTERD_CADVJSON_H
#define EXPORTERD_CADVJSON_H

#include <json-c/json.h>

#include "cadv.h"

/* What a container has, as cAdvisor's ContainerSpec has_* flags: from its
 * spec and its newest sample (NULL when it has none); and its stats'
 * threads_max, cAdvisor's pids limit (0: none, unlimited). */
struct cj_has {
	int	cpu, memory, network, filesystem, diskio, processes;
	uint64_t threads_max;
};
void	cj_has_of(const struct cadv_container *, const struct cadv_sample *latest,
	    struct cj_has *);

/* v1.ContainerSpec (v2: v2.ContainerSpec, the same fields but for the
 * reference's aliases and namespace, which the caller adds) */
struct json_object *cj_spec(const struct cadv_container *, const struct cj_has *);
/* v1.ContainerStats */
struct json_object *cj_stats_v1(uint64_t ts_ns, const struct cadv_sample *,
	    const struct cj_has *);
/* v2.DeprecatedContainerStats (/api/v2.0/stats) */
struct json_object *cj_stats_v20(uint64_t ts_ns, const struct cadv_sample *,
	    const struct cj_has *);
/* v2.ContainerStats (/api/v2.1/stats, and v2.MachineStats of
 * /api/v2.1/machinestats): a group the container lacks is left out */
struct json_object *cj_stats_v2(uint64_t ts_ns, const struct cadv_sample *,
	    const struct cj_has *);

/* v1.ContainerStats' "filesystem" of the root container at ts (rootfs.c):
 * *out an array (NULL without a machine document), or a store error. */
int	cj_root_filesystems(struct cadv_txn *,
	    struct json_object *machine, uint64_t ts, struct json_object **out);
/* A container's writable layer (identd's measure) as cAdvisor's docker
 * and podman handlers report it: its device, that filesystem's type,
 * capacity (cAdvisor's limit) and available, the layer's usage and
 * inodes. */
struct cj_layer {
	char		device[256], type[64];
	uint64_t	capacity, available, usage, inodes;
};
/* Adds it to stats from a cj_stats_* builder: v1 (and v2.0) as
 * filesystem [v1.FsStats], v2 (v2.1) as filesystem v2.FilesystemStats. */
void	cj_add_layer(struct json_object *stats, int v2,
	    const struct cj_layer *);

#endif
