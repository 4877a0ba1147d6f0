/* The OCI runtime spec (a bundle's config.json) as runtimes write it: the
 * cgroup path runc was given, the CRI plugin's annotations (pod, sandbox,
 * container name, image), labels a ctr container carries as annotations,
 * and the allow-listed environment.  Pure functions over bytes: no file
 * is opened here. */
#ifndef CADV_RT_OCI_H
#define CADV_RT_OCI_H

#include <stddef.h>

#include "ident.h"
#include "rtsource.h"

/* Largest config.json a source reads. */
#define RT_OCI_JSON_MAX		(4u << 20)

/* The CRI plugin's annotation prefix (containerd 1.4 and later). */
#define RT_CRI_ANN		"io.kubernetes.cri."

/* Fills from the spec what it holds (ident_init is the caller's: id,
 * runtime and name are not in a spec):
 *   linux.cgroupsPath -> CADV_IS_CGROUP (rt_oci_cgroup; absent: left unset);
 *   annotations of the CRI plugin (io.kubernetes.cri.*):
 *     container-type "sandbox" -> CADV_IDF_SANDBOX, container-name ->
 *     CADV_IS_CONTAINER_NAME, image-name -> CADV_IS_IMAGE, sandbox-id ->
 *     CADV_IS_SANDBOX_ID (and CADV_IS_NETNS_OWNER for a container that is not the
 *     sandbox: it joins the sandbox's network namespace), sandbox-name,
 *     sandbox-namespace, sandbox-uid -> CADV_IS_POD_NAME, CADV_IS_POD_NAMESPACE,
 *     CADV_IS_POD_UID;
 *   other annotations, when the spec is not the CRI's, as labels (`ctr
 *   run --label k=v` writes them there);
 *   process.env entries that rt_env_allowed takes -> env.
 * Returns 0, or -1 with err when json is not a spec object or its cgroup
 * path cannot be a cgroup name.  Entries a string cannot hold (a NUL, too
 * long, no room) are skipped, never fatal. */
int	rt_oci_parse(const char *json, size_t len, const struct rt_config *,
	    struct cadv_ident *, char *err, size_t errsz);

/* An OCI linux.cgroupsPath as the cadv container name runc makes of it:
 * "/a/b" (cgroupfs) cleaned of repeated and trailing '/', or systemd's
 * "slice:prefix:name" expanded as runc's systemd driver does
 * ("system.slice:docker:ID" -> "/system.slice/docker-ID.scope", a slice
 * "a-b.slice" at "/a.slice/a-b.slice", an empty slice "system.slice", a
 * name ending ".slice" taken as the unit itself).  A relative cgroupfs
 * path is refused: runc places it below its own cgroup, which the spec
 * does not say.  out holds CGNAME_MAX bytes; 0 with *outlen, or -1 with
 * err. */
int	rt_oci_cgroup(const char *path, size_t len, char *out, size_t *outlen,
	    char *err, size_t errsz);

/* When cg's parent is the Kubernetes pod cgroup of pod uid (cgroupfs
 * ".../kubepods[/burstable|/besteffort]/pod<uid>", systemd
 * ".../kubepods[-burstable|-besteffort]-pod<uid, '-' as '_'>.slice"),
 * returns 1 with the parent's length in *plen (the parent is cg's first
 * *plen bytes); else 0. */
int	rt_pod_cgroup(const char *cg, size_t len, const char *uid,
	    size_t uidlen, size_t *plen);

#endif
