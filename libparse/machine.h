/* cAdvisor's MachineInfo and VersionInfo, read from /proc, /sys and /etc
 * only, as JSON documents with cAdvisor's field names (json-c).  The roots
 * are parameters so that tests can point them at fixture trees. */
#ifndef CADV_MACHINE_H
#define CADV_MACHINE_H

#include <json-c/json.h>

struct machine_paths {
	const char	*proc;		/* "/proc" */
	const char	*sys;		/* "/sys" */
	const char	*etc;		/* "/etc" */
	const char	*mountinfo;	/* "/proc/self/mountinfo", NULL: none */
	const char	*root;		/* the filesystems' mount points are
					 * statfs'd under it; NULL or "": / */
};

extern const struct machine_paths machine_paths_default;

/* NULL only when memory runs out; unreadable parts are left out or 0. */
struct json_object *machine_info(const struct machine_paths *);
struct json_object *version_info(const struct machine_paths *);

#endif
