/* A process's open descriptors and how many of them are sockets, from
 * /proc/PID/fd, as cAdvisor counts them (its processStatsFromProcs): an
 * entry per descriptor, a socket where the link reads "socket:[inode]".
 * Listing the directory takes the process's own user (or
 * CAP_DAC_READ_SEARCH), reading a link ptrace access: collectord keeps
 * neither capability, so another user's processes are closed to it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"

/* One getdents64 record's fixed head (struct linux_dirent64). */
struct dent {
	uint64_t	ino;
	int64_t		off;
	unsigned short	reclen;
	unsigned char	type;
	char		name[];
};

/* Why a call on the process failed: gone, closed to us, or neither (no
 * descriptor left, no memory): not knowing is not a count of 0. */
static int
failure(int err)
{
	if (err == ENOENT || err == ESRCH)
		return PROCFDS_GONE;
	return err == EACCES || err == EPERM ? PROCFDS_DENIED : PROCFDS_FAILED;
}

int
procfds_count(uint32_t pid, uint64_t *fds, uint64_t *sockets)
{
	/* aligned for the records' u64 fields */
	uint64_t buf[1024];
	char path[40], link[16];
	const char *p, *end;
	const struct dent *d;
	ssize_t n, l;
	int dfd, rc = PROCFDS_OK;

	*fds = *sockets = 0;
	snprintf(path, sizeof(path), "/proc/%u/fd", pid);
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return failure(errno);
	while (rc == PROCFDS_OK &&
	    (n = getdents64(dfd, buf, sizeof(buf))) > 0) {
		for (p = (const char *)buf, end = p + n; p < end;
		    p += d->reclen) {
			d = (const struct dent *)(const void *)p;
			if (d->reclen == 0)
				break;
			if (d->name[0] == '.')
				continue;
			(*fds)++;
			l = readlinkat(dfd, d->name, link, sizeof(link));
			if (l == -1) {
				/* closed since the listing: counted, as
				 * cAdvisor does, not a socket */
				if (errno == ENOENT)
					continue;
				rc = failure(errno);
				break;
			}
			if (l >= 7 && memcmp(link, "socket:", 7) == 0)
				(*sockets)++;
		}
	}
	/* gone in the middle: what was read is not the process's any more */
	if (rc == PROCFDS_OK && n == -1)
		rc = failure(errno);
	close(dfd);
	return rc;
}
