/*
 * /proc/self read into a process record (procself.h).  A file the sandbox
 * or the kernel does not let a daemon read costs its fields, nothing
 * else: they are left out of p->present.
 */
#include <sys/resource.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procself.h"

static unsigned long long btime;	/* boot, s since the epoch; 0 unknown */

/* Reads a small /proc file whole, NUL-terminated; -1 if it cannot. */
static ssize_t
slurp(const char *path, char *out, size_t outsz)
{
	ssize_t n, len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((size_t)len < outsz - 1) {
		n = read(fd, out + len, outsz - 1 - (size_t)len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	out[len] = '\0';
	return len;
}

/* The fields of /proc/self/stat after the command (which may hold
 * spaces and parentheses: the last ')' ends it), numbered as proc(5)
 * does from 3 (state). */
static int
stat_fields(const char *stat, unsigned long long *f, size_t nf)
{
	const char *p = strrchr(stat, ')');
	char *end;
	size_t i;

	if (p == NULL)
		return -1;
	p++;
	/* field 3 is the state letter */
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return -1;
	p++;
	for (i = 4; i < nf; i++) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9') {
			/* signed fields (priority, nice) may be negative */
			if (*p != '-')
				return -1;
			f[i] = 0;
			strtoll(p, &end, 10);
		} else
			f[i] = strtoull(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
	}
	return 0;
}

void
procself_init(void)
{
	char buf[16384];
	const char *p;

	if (btime != 0)
		return;
	if (slurp("/proc/stat", buf, sizeof(buf)) > 0 &&
	    (p = strstr(buf, "\nbtime ")) != NULL)
		btime = strtoull(p + 7, NULL, 10);
}

static long
open_fds(void)
{
	DIR *d;
	struct dirent *de;
	long n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	/* not the one this count holds open */
	return n > 0 ? n - 1 : 0;
}

static void
set(struct cadv_process *p, enum cadv_process_field f, uint64_t v)
{
	p->v[f] = v;
	p->present |= 1u << f;
}

int
procself_read(struct cadv_process *p)
{
	/* fields: 14 utime, 15 stime, 22 starttime, 23 vsize, 24 rss */
	unsigned long long f[25] = { 0 };
	char stat[1024];
	struct rlimit rl;
	long tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE), fds;

	memset(p, 0, sizeof(*p));
	p->pid = (uint32_t)getpid();
	procself_init();
	if (slurp("/proc/self/stat", stat, sizeof(stat)) > 0 &&
	    stat_fields(stat, f, 25) == 0 && tck > 0 && page > 0) {
		set(p, CADV_PF_CPU, (f[14] + f[15]) * (1000000000ULL / (uint64_t)tck));
		set(p, CADV_PF_RSS, f[24] * (uint64_t)page);
		set(p, CADV_PF_VSIZE, f[23]);
		if (btime != 0)
			set(p, CADV_PF_START, btime * 1000000000ULL +
			    f[22] * (1000000000ULL / (uint64_t)tck));
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		set(p, CADV_PF_MAX_FDS, rl.rlim_cur == RLIM_INFINITY ?
		    CADV_UNLIMITED : (uint64_t)rl.rlim_cur);
	if ((fds = open_fds()) >= 0)
		set(p, CADV_PF_OPEN_FDS, (uint64_t)fds);
	return p->present != 0 ? 0 : -1;
}
