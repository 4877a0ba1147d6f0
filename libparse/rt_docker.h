/* docker (dockerd) as a runtime source.
 *
 * dockerd keeps each container in <docker_root>/containers/<id>/:
 * config.v2.json (name, image, labels, env, state; replaced by a rename on
 * every change) and hostconfig.json (network mode).  The cgroup path is
 * not there: dockerd runs each container as a containerd task, in the
 * namespace "moby" unless dockerd was started with another
 * --containerd-namespace, and the task's OCI bundle
 * <containerd_state>/io.containerd.runtime.v2.task/<ns>/<id>/config.json
 * (runtime v1: io.containerd.runtime.v1.linux) holds linux.cgroupsPath
 * while the task exists.  A stopped container has no bundle: it is
 * reported with an empty CADV_IS_CGROUP and its exit code.
 *
 * runc's own state (<exec-root>/runtime-runc/moby/<id>/state.json) has the
 * same path, but in runc's private format and under dockerd's exec-root,
 * which nothing on disk names; the bundle is the record this source reads. */
#ifndef CADV_RT_DOCKER_H
#define CADV_RT_DOCKER_H

#include <stddef.h>
#include <stdint.h>

#include "ident.h"
#include "rtsource.h"

#define RT_DOCKER_JSON_MAX	(4u << 20)	/* any one file read */
#define RT_DOCKER_NS		"moby"		/* dockerd's default */

/* config.v2.json into id (ID: 64 hex digits), name (Name less its leading
 * '/'), image (Config.Image), labels (Config.Labels), the variables of
 * Config.Env that cfg's allow-list names, created/started/finished,
 * restart count, pid (while running), CADV_IDF_EXITED with the exit code when
 * the container is not running and FinishedAt is known, CADV_IDF_OOM_KILLED;
 * and, for containers the kubelet made through dockershim, the pod fields
 * from their io.kubernetes.* labels.  id is initialised first (runtime
 * CADV_RT_DOCKER).  Absent or null fields are unknown; a field of the wrong
 * type, a malformed time or an id that is not docker's makes the record
 * malformed: -1 with a message in err.  Labels and variables that do not
 * fit an ident (count, size, arena) are left out, never the identity. */
int	rt_docker_parse_config(const char *json, size_t len,
	    const struct rt_config *, struct cadv_ident *, char *err, size_t errsz);
/* hostconfig.json: NetworkMode "container:<id>" (another container's
 * network namespace) sets CADV_IS_NETNS_OWNER.  -1 with a message when the
 * document is malformed; id is left as it was. */
int	rt_docker_parse_hostconfig(const char *json, size_t len,
	    const struct rt_config *, struct cadv_ident *, char *err, size_t errsz);

int	rt_docker_scan(const struct rt_config *, ident_sink, void *,
	    struct rt_scan_stats *);
size_t	rt_docker_watch(const struct rt_config *, char paths[][PATH_MAX],
	    size_t max);

#endif
