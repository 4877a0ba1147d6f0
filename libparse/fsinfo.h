/* Filesystems as cAdvisor's GetFsInfo sees them: real filesystems from
 * the mount table (pseudo ones left out), one per device, and their usage
 * from statfs(2). */
#ifndef CADV_FSINFO_H
#define CADV_FSINFO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "cadv.h"

struct fs_entry {
	char		device[PATH_MAX];	/* mount source, e.g. /dev/vda */
	char		mountpoint[PATH_MAX];
	char		type[64];
	unsigned	major, minor;
};


/* Real filesystems: a source under /dev/, or btrfs, zfs, overlay; the
 * mount showing the whole filesystem ("/" root) preferred per device. */
int	fs_list(const char *mountinfo, struct fs_entry **, size_t *n,
	    char *err, size_t errsz);
/* The mount that holds path (any filesystem, bind mounts included): the
 * longest mount point that is a prefix of its real path. */
int	fs_find(const char *mountinfo, const char *path, struct fs_entry *,
	    char *err, size_t errsz);
int	fs_statfs(const char *mountpoint, struct cadv_fs *);

#endif
