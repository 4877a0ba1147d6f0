/* The containerd source: containers made by ctr (or nerdctl) and by the
 * CRI plugin for the kubelet, in every containerd namespace but docker's
 * ("moby", which the docker source reads).
 *
 * What it reads (paths under rt_config's containerd_state and _root):
 *   <state>/io.containerd.runtime.v2.task/<ns>/<id>/config.json
 *	a running task's OCI spec (rt_oci_parse): the cgroup, CRI annotations
 *	(pod, container, image), ctr labels, environment; init.pid beside it;
 *   <root>/io.containerd.grpc.v1.cri/containers/<id>/status
 *	the CRI plugin's record of a container (rt_cri_status_parse): times,
 *	pid, exit code, OOM kill; kept after the task is gone, so a stopped
 *	container is reported from it (with no cgroup: identd joins it by id);
 *   <root>/io.containerd.metadata.v1.bolt/meta.db
 *	v1/<ns>/containers/<id>: image, labels (cAdvisor's), createdat, and
 *	the CRI plugin's extension (rt_cri_meta_parse: restart count, pod).
 * A sandbox whose cgroup sits in its pod's cgroup also yields an identity
 * for the pod cgroup (CADV_IDF_POD, CADV_IS_ID the pod uid).
 *
 * Names: cAdvisor's containerd handler gives every containerd container
 * the aliases [id, cgroup name], CRI containers too, so CADV_IS_NAME is the id;
 * the CRI container name is CADV_IS_CONTAINER_NAME. */
#ifndef CADV_RT_CONTAINERD_H
#define CADV_RT_CONTAINERD_H

#include <stddef.h>
#include <stdint.h>

#include "ident.h"
#include "rtsource.h"

#define RT_CTRD_TASKS	"io.containerd.runtime.v2.task"
#define RT_CTRD_CRI	"io.containerd.grpc.v1.cri"
#define RT_CTRD_META	"io.containerd.metadata.v1.bolt/meta.db"
#define RT_CTRD_CRI_NS	"k8s.io"	/* the CRI plugin's namespace */
#define RT_CTRD_DOCKER_NS "moby"	/* dockerd's: not ours */
#define RT_CTRD_META_MAX (256u << 20)	/* meta.db read whole */
#define RT_CTRD_STATUS_MAX (1u << 20)

int	rt_containerd_scan(const struct rt_config *, ident_sink, void *,
	    struct rt_scan_stats *);
size_t	rt_containerd_watch(const struct rt_config *, char paths[][PATH_MAX],
	    size_t max);

/* The CRI plugin's container status file (JSON: CreatedAt, StartedAt,
 * FinishedAt in ns, Pid, ExitCode, Reason): created_ns, started_ns, pid;
 * when FinishedAt is set, CADV_IDF_EXITED with finished_ns and exit_code, and
 * CADV_IDF_OOM_KILLED when Reason is "OOMKilled".  0, or -1 with err. */
int	rt_cri_status_parse(const char *json, size_t len, struct cadv_ident *,
	    char *err, size_t errsz);

/* The JSON inside the CRI plugin's metadata extension of a container
 * (io.cri-containerd.container.metadata) or a sandbox
 * (io.cri-containerd.sandbox.metadata): restart_count from the attempt,
 * and, where still unset, the container name, sandbox id (and netns
 * owner), image, pod name, namespace and uid, allow-listed env.  0, or -1
 * with err. */
int	rt_cri_meta_parse(const char *json, size_t len, int sandbox,
	    const struct rt_config *, struct cadv_ident *, char *err, size_t errsz);

/* The value bytes of a protobuf google.protobuf.Any (field 2), pointing
 * into buf; 0, or -1 when buf is not such a message. */
int	rt_pb_any_value(const void *buf, size_t len, const void **val,
	    size_t *vlen);

/* A Go time.Time in its MarshalBinary form (version 1, 15 bytes, or 2,
 * 16 bytes) as ns since the epoch; 0 with *ns, or -1 when malformed or
 * before 1970 (Go's zero time included). */
int	rt_go_time(const void *buf, size_t len, uint64_t *ns);

#endif
