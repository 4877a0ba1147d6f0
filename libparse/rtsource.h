/* Runtime sources: each reads one runtime's state on disk and reports the
 * identity of every container it has, keyed by the runtime's own record of
 * the container's cgroup path (never guessed from a name).  A source opens
 * files and parses them with pure parsers (rt_*.h); it prints nothing and
 * never exits: what it could not read it counts and describes.
 *
 * Paths are the runtimes' defaults under cfg->host (the host's root as
 * mounted, "" outside a container); each can be overridden. */
#ifndef CADV_RTSOURCE_H
#define CADV_RTSOURCE_H

#include <limits.h>
#include <stddef.h>

#include "ident.h"

struct rt_config {
	const char	*host;			/* prefix, "" default */
	const char	*containerd_state;	/* /run/containerd */
	const char	*containerd_root;	/* /var/lib/containerd */
	const char	*docker_root;		/* /var/lib/docker */
	const char	*storage_root;		/* /var/lib/containers/storage */
	const char	*storage_runroot;	/* /run/containers/storage */
	/* variables copied into identities (none by default: env holds
	 * secrets); a name ending in '*' is a prefix */
	const char *const *env_allow;
	size_t		nenv_allow;
};

/* Fills cfg with the defaults (env_allow empty). */
void	rt_config_default(struct rt_config *);

/* Called once per container found.  A container that has stopped
 * (CADV_IDF_EXITED: its exit code is known) and that the runtime still keeps
 * comes with the cgroup the runtime's record still names (containerd's
 * meta.db spec, a podman or CRI-O bundle), else with CADV_IS_CGROUP empty;
 * identd joins it to the stored record by runtime and id, or stores it
 * gone at once when it never saw it running.  Called once per container
 * found; a non-zero return stops the scan and is returned by it. */
typedef int (*ident_sink)(void *arg, const struct cadv_ident *);

struct rt_scan_stats {
	unsigned	found;		/* identities reported */
	unsigned	unreadable;	/* files or dirs refused (EACCES...) */
	unsigned	malformed;	/* records a parser rejected */
	char		first_error[256];	/* the first of either, "" none */
};

/* One source: scan reports every container the runtime has now; watch
 * fills paths with the directories and files whose change means a rescan
 * (inotify targets; missing ones are fine) and returns their number. */
struct rt_source {
	const char	*name;		/* "containerd", "docker", ... */
	int		(*scan)(const struct rt_config *, ident_sink, void *,
			    struct rt_scan_stats *);
	size_t		(*watch)(const struct rt_config *,
			    char paths[][PATH_MAX], size_t max);
};

extern const struct rt_source rt_sources[];
extern const size_t rt_nsources;

/* Joins cfg->host and path into out; -1 (ENAMETOOLONG) when too long. */
int	rt_path(const struct rt_config *, const char *path, char *out,
	    size_t outsz);
/* 1 when the variable name is on cfg's allow-list. */
int	rt_env_allowed(const struct rt_config *, const char *name, size_t len);

#endif
