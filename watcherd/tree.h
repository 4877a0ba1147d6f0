/* The cgroup trees watcherd follows: the set of names found under its
 * roots (merged across v1 hierarchies), one inotify watch per directory,
 * and the ADD/DEL records that changes to that set produce. */
#ifndef WATCHERD_TREE_H
#define WATCHERD_TREE_H

#include <limits.h>
#include <stdint.h>
#include <bsd/sys/queue.h>

#include "cgname.h"
#include "frame.h"
#include "hmap.h"

#define TREE_MAX_ROOTS	32
#define TREE_DEGRADED_RESCAN_S	5	/* while some directories are unwatched */

struct node {
	TAILQ_ENTRY(node) entry;
	uint32_t	in_roots;	/* bit r: the directory exists in root r */
	uint32_t	mark;		/* rescan: bit r seen in this walk */
	uint32_t	nchildren;	/* child names present (any root) */
	/* bit r: the directory is there in root r but closed to us
	 * (EACCES): listed, its children unknown */
	uint32_t	denied;
	uint32_t	denied_said;	/* bit r: logged, not again */
	int		wd[TREE_MAX_ROOTS];	/* -1: not watched */
	size_t		len;
	char		name[];
};

/* Called for every change to the set; returns -1 when the output is gone. */
typedef int (*tree_emit_fn)(enum frame_type, const char *name, size_t len,
    void *arg);

struct tree {
	char		 roots[TREE_MAX_ROOTS][PATH_MAX];
	int		 nroots;
	int		 ifd;		/* inotify */
	struct hmap	 names;		/* name -> struct node */
	struct hmap	 watches;	/* wd -> struct watch */
	TAILQ_HEAD(, node) nodes;
	size_t		 nnodes;
	size_t		 unwatched;	/* directories without a watch */
	size_t		 ndenied;	/* of them closed to us: no rescans */
	int		 enospc_warned;
	int		 output_gone;	/* emit failed: stop */
	tree_emit_fn	 emit;
	void		*arg;
	char		 name[CGNAME_MAX + 1];	/* walk scratch */
	char		 path[PATH_MAX];	/* walk scratch */
};

/* -1 with errno if inotify cannot be had. */
int	tree_init(struct tree *, tree_emit_fn, void *);
void	tree_free(struct tree *);
/* Adds a root directory (resolved to its real path); -1 with a message. */
int	tree_add_root(struct tree *, const char *path, char *err, size_t);
/* Walks every root and emits the difference from what was reported. */
void	tree_scan(struct tree *);
/* Reads and handles pending inotify events; returns 1 when they call for a
 * rescan (queue overflow, a root removed), 0 otherwise, -1 on a read
 * error. */
int	tree_handle_events(struct tree *);

#endif
