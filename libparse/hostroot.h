/* Where the host's file system is, for a daemon in a container: "/" on
 * the host itself, or the directory the container mounted it at
 * (cAdvisor's /rootfs: -v /:/rootfs:ro).  Set once, by root at start-up
 * (--host-root), before any untrusted input is read.  What comes from
 * under it: /etc (machine-id, passwd), the machine's filesystems (statfs
 * of the host's mount points), the runtimes' state (rtsource.h).  /proc
 * (with --pid=host), /sys and /dev/kmsg are the container's own mounts of
 * the host's, at their usual places. */
#ifndef CADV_HOSTROOT_H
#define CADV_HOSTROOT_H

#include <stddef.h>

#define HOSTROOT_ENV	"CADV_HOST_ROOT"

/* dir must be absolute and a directory; "/" (or NULL) means the host is
 * where we are.  0, or -1 with the reason in err. */
int		 hostroot_set(const char *dir, char *err, size_t errsz);
/* "" on the host itself, else the directory without a trailing '/' */
const char	*hostroot(void);
/* The mount table to take the machine's filesystems from: ours on the
 * host, the host's init's (/proc/1/mountinfo, --pid=host) under a prefix:
 * our own table lists the container's mounts, not the machine's. */
const char	*hostroot_mountinfo(void);
/* hostroot() + path into out; -1 (ENAMETOOLONG) when it does not fit. */
int		 hostroot_path(const char *path, char *out, size_t outsz);

#endif
