/*
 * benchfloor PID TICKS INTERVAL_MS: the floor for `make bench`.  Opens the
 * very files process PID (collectord) keeps open under /sys/fs/cgroup and
 * /proc, then every INTERVAL_MS preads each once at offset 0 into a
 * buffer, with no parsing and no store, TICKS times.  Opening 100,000
 * cgroup files and reading each the first time take seconds of both
 * cores, which make bench keeps out of its window: benchfloor does both,
 * prints "ready", and starts its ticks when a line arrives on standard
 * input.  Then it prints the files and the CPU time (user + system, ns)
 * the ticks took.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static unsigned long long
cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
	    1000000000ULL + (unsigned long long)(ru.ru_utime.tv_usec +
	    ru.ru_stime.tv_usec) * 1000ULL;
}

int
main(int argc, char **argv)
{
	char dir[64], link[PATH_MAX + 64], target[PATH_MAX], buf[65536];
	struct dirent *de;
	struct timespec ts;
	unsigned long long before, after;
	int *fds = NULL, n = 0, cap = 0, ticks, ms, t, i;
	ssize_t len;
	DIR *d;

	if (argc != 4) {
		fprintf(stderr, "usage: benchfloor PID TICKS INTERVAL_MS\n");
		return 2;
	}
	ticks = atoi(argv[2]);
	ms = atoi(argv[3]);
	snprintf(dir, sizeof(dir), "/proc/%s/fd", argv[1]);
	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		if ((len = readlink(link, target, sizeof(target) - 1)) <= 0)
			continue;
		target[len] = '\0';
		if (strncmp(target, "/sys/fs/cgroup/", 15) != 0 &&
		    strncmp(target, "/proc/", 6) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((fds = realloc(fds, (size_t)cap * sizeof(*fds))) == NULL)
				return 1;
		}
		/* directories (dirfds) are held, not read */
		if ((fds[n] = open(target, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		if (read(fds[n], buf, 0) == -1) {
			close(fds[n]);
			continue;
		}
		n++;
	}
	closedir(d);
	for (i = 0; i < n; i++)
		(void)pread(fds[i], buf, sizeof(buf), 0);
	printf("ready\n");
	fflush(stdout);
	if (fgets(buf, sizeof(buf), stdin) == NULL)
		return 1;
	before = cpu_ns();
	for (t = 0; t < ticks; t++) {
		for (i = 0; i < n; i++)
			(void)pread(fds[i], buf, sizeof(buf), 0);
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
	after = cpu_ns();
	printf("files %d cpu_ns %llu\n", n, after - before);
	return 0;
}
