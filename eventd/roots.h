/* The names eventd gives OOM events.  The kernel prints a memory cgroup's
 * path from its hierarchy's top; collectord names a container from the
 * root it samples (a --root, or the mounted hierarchy, whose mount may
 * itself be a sub-tree).  eventd learns the same roots and names a
 * cgroup the way collectord does. */
#ifndef EVENTD_ROOTS_H
#define EVENTD_ROOTS_H

#include <stddef.h>

#define ROOTS_MAX	32	/* as collectord's and watcherd's --root */

/* Before privileges go: where each root lies in the memory hierarchy.
 * paths are the --root options (n 0: the mounted memory hierarchy); a
 * root outside it (another v1 controller's, a fixture tree) names no
 * OOM.  -1 with a message in err when a root cannot be resolved. */
int	roots_init(const char *const *paths, int n, char *err, size_t errsz);
/* The container name of a memory cgroup path as the kernel (or
 * /proc/PID/cgroup) prints it, into out (CGNAME_MAX + 1 bytes); -1 when
 * it lies under no root. */
int	roots_name(const char *path, size_t len, char *out, size_t *outlen);
/* How many roots are in the memory hierarchy. */
int	roots_count(void);
/* The i-th root's path in the memory hierarchy ("/" for its top). */
const char *roots_prefix(int i);

#endif
