/* /api/v2.0/ps: a container's processes as cAdvisor's v2.ProcessInfo,
 * read from /proc and the cgroup's cgroup.procs (world-readable), where
 * cAdvisor runs ps(1). */
#ifndef EXPORTERD_PS_H
#define EXPORTERD_PS_H

#include <stddef.h>

#include <json-c/json.h>

/* At most this many processes are listed (cAdvisor lists them all) */
#define PS_MAX		4096

/* The processes of cgroup name (its own, not its children's; every
 * process on the machine for "/", as cAdvisor lists for the root) under
 * cgroot (/sys/fs/cgroup): v2's tree (cgroot/unified beside v1's, or
 * cgroot), or v1's pids, memory or cpu hierarchy.  NULL with a
 * message in err when the cgroup cannot be read. */
struct json_object *ps_list(const char *proc, const char *cgroot,
	    const char *name, size_t len, int v2, char *err, size_t errsz);

#endif
