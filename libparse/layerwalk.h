/* A container's writable layer measured as du measures a directory:
 * bytes as st_blocks x 512 with each hard-linked inode counted once, and
 * the number of inodes (cAdvisor's fsHandler: du and find per container).
 * The tree is untrusted (a container writes it): the walk opens every
 * directory relative to its parent with O_NOFOLLOW, never follows a
 * symbolic link, stays on the device of the top, and stops at a depth
 * and an entry bound.  Library code: nothing here prints or exits. */
#ifndef CADV_LAYERWALK_H
#define CADV_LAYERWALK_H

#include <stdint.h>

#define LAYER_DEPTH_MAX		64		/* directories deep */
#define LAYER_ENTRIES_MAX	(4u << 20)	/* entries a walk counts */

struct layer_walk_limits {
	unsigned	 max_depth;	/* 0: LAYER_DEPTH_MAX */
	uint64_t	 max_entries;	/* 0: LAYER_ENTRIES_MAX */
	uint64_t	 files_per_sec;	/* the budget; 0 unbounded */
};

enum layer_flags {
	LAYER_TRUNCATED = 1u << 0,	/* a bound was reached: a lower figure */
	LAYER_PARTIAL = 1u << 1,	/* some directory could not be read */
};

struct layer_usage {
	uint64_t	 bytes;		/* st_blocks x 512, links once */
	uint64_t	 inodes;	/* distinct inodes, the top included */
	uint64_t	 entries;	/* entries looked at */
	uint32_t	 major, minor;	/* the device of the top */
	uint32_t	 flags;		/* enum layer_flags */
	uint64_t	 walk_ns;	/* time taken, sleeps included */
	uint64_t	 slept_ns;	/* of which spent keeping to the budget */
};

/* Walks the directory dirfd (the caller's; left open) with the limits
 * (NULL: the defaults): 0 with *out, or -1 with errno (ENOMEM, or dirfd
 * not a readable directory).  A subdirectory that cannot be read is
 * counted itself and flagged LAYER_PARTIAL. */
int	layer_walk(int dirfd, const struct layer_walk_limits *,
	    struct layer_usage *out);

/* rel under root (the configuration's directory, followed as given),
 * each of rel's components (separated by '/', none "", "." or "..")
 * opened with O_NOFOLLOW | O_DIRECTORY: the fd, or -1 with errno (ELOOP
 * or ENOTDIR: a link or not a directory on the way; EINVAL a bad rel). */
int	layer_open(const char *root, const char *rel);

#endif
