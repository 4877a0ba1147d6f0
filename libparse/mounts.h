/* cgroup mount discovery from /proc/self/mountinfo (proc(5)): the v1
 * hierarchies by controller, the v2 unified tree, and which of them a
 * monitor should walk. */
#ifndef CADV_MOUNTS_H
#define CADV_MOUNTS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One line of mountinfo (proc(5)), octal escapes undone. */
struct mnt {
	unsigned	major, minor;
	char		root[PATH_MAX];		/* field 4 */
	char		path[PATH_MAX];		/* mount point */
	char		fstype[64];
	char		source[PATH_MAX];
	char		superopts[1024];
};
/* Parses one line in place; 0, or -1 if malformed. */
int	mountinfo_line(char *line, struct mnt *);

enum cg_version { CG_V1 = 1, CG_V2 = 2 };

/* Layout of the machine's cgroups, cAdvisor's rule: unified when no v1
 * hierarchy carries a controller. */
enum cg_mode { CG_MODE_NONE, CG_MODE_V1, CG_MODE_V2, CG_MODE_HYBRID };

enum cg_ctrl {
	CTRL_CPU, CTRL_CPUACCT, CTRL_CPUSET, CTRL_MEMORY, CTRL_DEVICES,
	CTRL_FREEZER, CTRL_BLKIO, CTRL_PIDS, CTRL_HUGETLB, CTRL_PERF_EVENT,
	CTRL_NET_CLS, CTRL_NET_PRIO, CTRL_RDMA, CTRL_MISC,
	CTRL_COUNT
};
#define CTRL_BIT(c)	(1u << (c))
/* The v1 hierarchies cAdvisor watches for containers. */
#define CTRL_WATCHED	(CTRL_BIT(CTRL_CPU) | CTRL_BIT(CTRL_CPUACCT) | \
	CTRL_BIT(CTRL_CPUSET) | CTRL_BIT(CTRL_MEMORY) | CTRL_BIT(CTRL_DEVICES) | \
	CTRL_BIT(CTRL_BLKIO) | CTRL_BIT(CTRL_PIDS) | CTRL_BIT(CTRL_HUGETLB) | \
	CTRL_BIT(CTRL_PERF_EVENT))

struct cg_mount {
	enum cg_version	version;
	uint32_t	ctrls;		/* CTRL_BIT set, v1 only */
	char		name[64];	/* v1 "name=" option, if any */
	unsigned	major, minor;	/* identifies the hierarchy */
	char		root[PATH_MAX];	/* mountinfo field 4 */
	char		path[PATH_MAX];	/* mount point */
};

struct cg_mounts {
	struct cg_mount	*m;
	size_t		n;
	enum cg_mode	mode;
};

/* Parses mountinfo text; keeps the first mount of each hierarchy.  -1 with
 * a message in err on malformed input (a line that cannot be parsed). */
int	cg_mounts_parse(FILE *, struct cg_mounts *, char *err, size_t errsz);
int	cg_mounts_read(const char *mountinfo, struct cg_mounts *, char *err,
	    size_t errsz);
void	cg_mounts_free(struct cg_mounts *);

/* The mounts to walk for containers: the v2 tree in unified mode, else
 * every v1 hierarchy with a controller cAdvisor watches.  Fills idx with
 * indexes into m; returns how many. */
size_t	cg_mounts_roots(const struct cg_mounts *, size_t *idx, size_t max);
/* The v1 hierarchy holding ctrl, or the v2 tree in unified mode; NULL if
 * none. */
const struct cg_mount *cg_mounts_find(const struct cg_mounts *, enum cg_ctrl);
/* The v2 tree, if mounted (hybrid machines have one without controllers). */
const struct cg_mount *cg_mounts_v2(const struct cg_mounts *);

/* A root to sample from: a real hierarchy (statfs tells v1 or v2; v1
 * controllers come from the mount table) or a fixture tree, whose kind is
 * told by the files at its top (cgroup.controllers: v2; else v1 with the
 * controllers whose files are there). */
struct cg_root {
	char		path[PATH_MAX];	/* real path */
	enum cg_version	version;
	uint32_t	ctrls;		/* v1: CTRL_BIT set; v2: all */
};
int	cg_root_probe(const char *path, const struct cg_mounts *,
	    struct cg_root *, char *err, size_t errsz);

const char *cg_ctrl_name(enum cg_ctrl);
const char *cg_mode_name(enum cg_mode);

#endif
