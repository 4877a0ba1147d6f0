/*
 * The process_* families the Prometheus client libraries give every
 * exporter (cAdvisor's through client_golang), for exporterd itself:
 * cpu time, memory, start time and descriptors, from /proc/self.  A file
 * the sandbox or the kernel does not let it read costs its families,
 * not the scrape.
 */
#include <sys/resource.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "procself.h"

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

/* btime from /proc/stat: the boot's wall-clock second */
static int
boot_time(unsigned long long *bt)
{
	char buf[16384];
	const char *p;

	if (slurp("/proc/stat", buf, sizeof(buf)) <= 0 ||
	    (p = strstr(buf, "\nbtime ")) == NULL)
		return -1;
	*bt = strtoull(p + 7, NULL, 10);
	return *bt != 0 ? 0 : -1;
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
family(struct buf *out, const char *name, const char *type,
    const char *help, double v)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help,
	    name, type, name, v);
}

void
procself_metrics(struct buf *out)
{
	/* fields: 14 utime, 15 stime, 22 starttime, 23 vsize, 24 rss */
	unsigned long long f[25] = { 0 }, bt;
	char stat[1024];
	struct rlimit rl;
	long tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE), fds;
	int have_stat;

	have_stat = slurp("/proc/self/stat", stat, sizeof(stat)) > 0 &&
	    stat_fields(stat, f, 25) == 0 && tck > 0 && page > 0;
	if (have_stat)
		family(out, "process_cpu_seconds_total", "counter",
		    "Total user and system CPU time spent in seconds.",
		    (double)(f[14] + f[15]) / (double)tck);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		family(out, "process_max_fds", "gauge",
		    "Maximum number of open file descriptors.",
		    rl.rlim_cur == RLIM_INFINITY ? -1 : (double)rl.rlim_cur);
	if ((fds = open_fds()) >= 0)
		family(out, "process_open_fds", "gauge",
		    "Number of open file descriptors.", (double)fds);
	if (have_stat) {
		family(out, "process_resident_memory_bytes", "gauge",
		    "Resident memory size in bytes.",
		    (double)f[24] * (double)page);
		if (boot_time(&bt) == 0)
			family(out, "process_start_time_seconds", "gauge",
			    "Start time of the process since unix epoch in "
			    "seconds.", (double)bt + (double)f[22] / (double)tck);
		family(out, "process_virtual_memory_bytes", "gauge",
		    "Virtual memory size in bytes.", (double)f[23]);
	}
}
