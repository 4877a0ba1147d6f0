/* The runtimes that keep containers in containers/storage: podman and
 * CRI-O.  Both write <storage_root>/overlay-containers/containers.json (an
 * array of {id, names, image, layer, metadata, created}; metadata is a JSON
 * document inside a JSON string, in each runtime's own form) and, per
 * container, the OCI bundle <storage_root>/overlay-containers/<id>/
 * userdata/config.json, whose linux.cgroupsPath is the cgroup.
 *
 * podman (4.x) keeps the rest in the bbolt file
 * <storage_root>/libpod/bolt_state.db: bucket "ctr", one sub-bucket a
 * container holding "config" (the JSON of libpod's ContainerConfig: name,
 * rootfsImageName, labels, pod, netNsCtr, createdTime, the create-time
 * spec) and "state" (ContainerState: state, pid, startedTime,
 * finishedTime, exitCode, exited, oomKilled, restartCount); bucket "pod",
 * one sub-bucket a pod with "config" (id, name) and "state" (cgroupPath,
 * InfraContainerID).  A rename rewrites the config's name and
 * containers.json's names[0] together.  podman 5 keeps the same JSON in
 * SQLite (db.sql): without bolt_state.db this source falls back to
 * containers.json and the bundles (no labels, no state).
 *
 * CRI-O writes the bundle's config.json twice, in <storage_root>/.../
 * userdata/ (kept across reboots) and <storage_runroot>/.../userdata/
 * (the copy runc reads), both with the io.kubernetes.cri-o.* annotations
 * that say everything the CRI knows; its own state (status, exit code,
 * OOM) is <storage_root>/.../userdata/state.json.  podman writes some
 * io.kubernetes.cri-o.* annotations too, and "io.container.manager":
 * "libpod": that is how the two are told apart in a shared store.
 *
 * Rootless podman keeps its store under the user's home
 * ($XDG_DATA_HOME/containers/storage, else $HOME/.local/share/containers/
 * storage): when not run as root, the podman source scans it as well. */
#ifndef CADV_RT_CSTORAGE_H
#define CADV_RT_CSTORAGE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "ident.h"
#include "rtsource.h"

#define RT_CS_JSON_MAX	(4u << 20)	/* any one JSON file read */
#define RT_CS_BOLT_MAX	(64u << 20)	/* bolt_state.db */
#define RT_CS_ID_LEN	64		/* container, pod ids: hex */

/* One entry of containers.json.  The strings point into the parsed
 * document: valid during the callback only; NUL-ended, "" when absent. */
struct rt_cs_entry {
	char		 id[RT_CS_ID_LEN + 1];
	const char	*name;		/* names[0] */
	const char	*image_name;	/* metadata "image-name" */
	const char	*meta_name;	/* metadata "name" (podman: stale
					 * after a rename) */
	const char	*pod_id;	/* metadata "pod-id" (CRI-O only) */
	const char	*pod_name;	/* metadata "pod-name" (CRI-O only) */
	int		 crio;		/* metadata in CRI-O's form */
	int		 crio_pod;	/* metadata "pod": CRI-O's sandbox */
	uint64_t	 created_ns;	/* "created", 0 unknown */
	const char	*layer;		/* "layer": its writable layer's id */
};
typedef int (*rt_cs_entry_cb)(void *arg, const struct rt_cs_entry *);

/* containers.json: cb for each well-formed entry, in file order; a
 * non-zero return from cb stops the walk and is returned.  An entry that
 * is not an object with a 64-hex id, or whose fields have the wrong type,
 * is skipped and counted in *nbad (the first one described in err).
 * -1 with a message when the document itself is not an array. */
int	rt_cs_parse_containers(const char *json, size_t len, rt_cs_entry_cb,
	    void *arg, unsigned *nbad, char *err, size_t errsz);

/* What a podman container's config says beyond its ident. */
struct rt_podman_ctr {
	char		pod[RT_CS_ID_LEN + 1];	/* its pod's id, "" none */
	int		infra;			/* the pod's infra container */
};

/* podman's ctr/<id>/config into id: CADV_IS_ID, CADV_IS_NAME (name), CADV_IS_IMAGE
 * (rootfsImageName, else RawImageName: what `podman ps` shows), labels,
 * the allow-listed variables of spec.process.env, created_ns,
 * CADV_IS_NETNS_OWNER (netNsCtr: the container whose network namespace it
 * joined); the pod id and the infra flag (CADV_IDF_SANDBOX) in *ctr.  id is
 * initialised first (runtime CADV_RT_PODMAN).  -1 with a message when
 * malformed (a field of the wrong type, an id that is not podman's).
 * Labels and variables that do not fit are left out. */
int	rt_podman_parse_config(const char *json, size_t len,
	    const struct rt_config *, struct cadv_ident *, struct rt_podman_ctr *,
	    char *err, size_t errsz);

/* podman's container states (libpod/define ContainerStatus). */
enum rt_podman_state {
	RT_PODMAN_UNKNOWN = 0,
	RT_PODMAN_CONFIGURED = 1,	/* not yet created in the runtime */
	RT_PODMAN_CREATED = 2,		/* runc create: cgroup made */
	RT_PODMAN_RUNNING = 3,
	RT_PODMAN_STOPPED = 4,
	RT_PODMAN_PAUSED = 5,
	RT_PODMAN_EXITED = 6,
	RT_PODMAN_REMOVING = 7,
	RT_PODMAN_STOPPING = 8,
};

/* ctr/<id>/state into id: pid, started_ns, restart_count; once the
 * container has exited, CADV_IDF_EXITED with exit_code and finished_ns, and
 * CADV_IDF_OOM_KILLED when podman recorded one.  *live is 1 when the state
 * says the container's cgroup exists (created, running, paused,
 * stopping).  -1 with a message when malformed. */
int	rt_podman_parse_state(const char *json, size_t len, struct cadv_ident *,
	    int *live, char *err, size_t errsz);

/* A podman pod: pod/<id>/config and pod/<id>/state. */
struct rt_podman_pod {
	char		id[RT_CS_ID_LEN + 1];
	char		infra[RT_CS_ID_LEN + 1];	/* "" none */
	char		name[IDENT_STR_MAX + 1];
	char		cgroup[CGNAME_MAX + 1];	/* cadv name, "" unknown */
};
/* Either document (config: id, name; state: cgroupPath,
 * InfraContainerID) into pod; a field already set is replaced.  The
 * cgroupPath becomes a cadv name ("/" prepended when missing); one that
 * cannot be (".." and the like) leaves cgroup empty.  -1 with a message
 * when malformed. */
int	rt_podman_parse_pod(const char *json, size_t len,
	    struct rt_podman_pod *, char *err, size_t errsz);

/* A bundle's config.json (podman's or CRI-O's): linux.cgroupsPath ->
 * CADV_IS_CGROUP (rt_oci_cgroup: cgroupfs or systemd's slice:prefix:name; left
 * unset when absent), the variables of process.env cfg's allow-list
 * names -> env.  Nothing else: podman's annotations are not labels.
 * Returns 0; 1 when the spec does not say "io.container.manager":
 * "libpod" (another runtime's container in a shared store); -1 with a
 * message when malformed. */
int	rt_podman_parse_bundle(const char *json, size_t len,
	    const struct rt_config *, struct cadv_ident *, char *err, size_t errsz);

/* A CRI-O bundle's config.json into id (initialised first, runtime
 * CADV_RT_CRIO), from its io.kubernetes.cri-o.* annotations: CADV_IS_ID
 * (ContainerID), CADV_IS_NAME (CRI-O's name: ContainerName for a sandbox,
 * k8s_POD_<pod>_<namespace>_<uid>_<attempt>, else Name,
 * k8s_<container>_<pod>_...), CADV_IS_IMAGE (ImageName, else Image), labels
 * (the CRI labels of the Labels annotation: the kubelet's io.kubernetes.*
 * and, on a sandbox, the pod's own), CADV_IS_POD_NAME, CADV_IS_POD_NAMESPACE,
 * CADV_IS_POD_UID, CADV_IS_CONTAINER_NAME (the labels io.kubernetes.pod.name,
 * .pod.namespace, .pod.uid, .container.name; KubeName, Namespace and
 * Metadata when the labels lack them), CADV_IS_SANDBOX_ID (SandboxID),
 * CADV_IS_NETNS_OWNER (SandboxID, for a container: it joins the sandbox's
 * network namespace), CADV_IDF_SANDBOX (ContainerType "sandbox"), created_ns
 * (Created), restart_count (the kubelet's io.kubernetes.container.
 * restartCount, in the Annotations annotation); the cgroup and the
 * allow-listed environment as rt_podman_parse_bundle, except for a sandbox
 * CRI-O runs no process for (Spoofed "true", drop_infra_ctr), whose
 * cgroup CRI-O makes at <CgroupParent, expanded>/crio-<id>.
 * Returns 0; 1 when the spec is not CRI-O's (no ContainerType, or
 * "io.container.manager" is "libpod"); -1 with a message when malformed. */
int	rt_crio_parse_config(const char *json, size_t len,
	    const struct rt_config *, struct cadv_ident *, char *err, size_t errsz);

/* CRI-O's userdata/state.json (its ContainerState: the OCI state plus
 * created, started, finished, exitCode, oomKilled) into id: pid,
 * started_ns; status "stopped" sets CADV_IDF_EXITED with exit_code and
 * finished_ns, and CADV_IDF_OOM_KILLED.  *live is 0 once stopped.  -1 with a
 * message when malformed. */
int	rt_crio_parse_state(const char *json, size_t len, struct cadv_ident *,
	    int *live, char *err, size_t errsz);

/* The rootless store of the user running this: graph root and run root
 * (XDG_DATA_HOME or HOME, XDG_RUNTIME_DIR or /run/user/<uid>), as podman
 * computes them by default.  -1 when neither HOME nor the password entry
 * names a home, or a path is too long. */
int	rt_cs_rootless_paths(char *root, size_t rootsz, char *runroot,
	    size_t runrootsz);

int	rt_podman_scan(const struct rt_config *, ident_sink, void *,
	    struct rt_scan_stats *);
size_t	rt_podman_watch(const struct rt_config *, char paths[][PATH_MAX],
	    size_t max);
int	rt_crio_scan(const struct rt_config *, ident_sink, void *,
	    struct rt_scan_stats *);
/* The writable layer of each container of the store (cfg's, and the
 * user's own when not root) that is CRI-O's (crio 1) or podman's (0):
 * cb(arg, id, dir, rel), the layer being rel under dir (rt_layer.h). */
int	rt_cs_layers(const struct rt_config *, int crio,
	    int (*cb)(void *, const char *, const char *, const char *),
	    void *arg, struct rt_scan_stats *);
size_t	rt_crio_watch(const struct rt_config *, char paths[][PATH_MAX],
	    size_t max);

#endif
