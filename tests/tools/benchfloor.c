/*
 * benchfloor PID TICKS INTERVAL_MS [TASKS_MS]: the floor for `make bench`.
 * Opens the very files process PID (collectord) keeps open under
 * /sys/fs/cgroup and /proc, then every INTERVAL_MS preads each once at
 * offset 0 into a buffer, with no parsing and no store, TICKS times.
 * With TASKS_MS, also what collectord/tasks.c reads by path that often
 * (TASKS_REFRESH): each container's thread list (`tasks` or
 * cgroup.threads, of one hierarchy) and /proc/TID/stat of each thread in
 * it, an open, read and close each, spread over the ticks.  Opening 100,000
 * cgroup files and reading each the first time take seconds of both
 * cores, which make bench keeps out of its window: benchfloor does both,
 * prints "ready", and starts its ticks when a line arrives on standard
 * input.  Then it prints the files and the CPU time (user + system, ns)
 * the ticks took.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* a container's thread list, one per cgroup path whatever the hierarchy */
struct tlist {
	char	*key;		/* the path below the hierarchy's mount */
	char	*path;		/* its tasks or cgroup.threads */
};

static int
tl_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tlist *)a)->key,
	    ((const struct tlist *)b)->key);
}

/* /sys/fs/cgroup/HIER/REST: REST ("" for a hierarchy's root) */
static const char *
cg_key(const char *dir)
{
	const char *p = strchr(dir + 15, '/');

	return p ? p : "";
}

static int
add_tlist(struct tlist **tl, int *ntl, int *captl, const char *dir)
{
	static const char *const names[] = { "tasks", "cgroup.threads" };
	char path[PATH_MAX + 32];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (access(path, R_OK) == 0)
			break;
	}
	if (i == 2)
		return 0;
	if (*ntl == *captl) {
		*captl = *captl ? *captl * 2 : 1024;
		if ((*tl = realloc(*tl, (size_t)*captl * sizeof(**tl))) == NULL)
			return -1;
	}
	if (((*tl)[*ntl].key = strdup(cg_key(dir))) == NULL ||
	    ((*tl)[*ntl].path = strdup(path)) == NULL)
		return -1;
	(*ntl)++;
	return 0;
}

/* one refresh of collectord/tasks.c: the list, then each thread's stat */
static void
read_threads(const char *path, char *buf, size_t bufsz)
{
	char stat[64], line[512], *p, *end;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, bufsz - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (p = buf; *p != '\0'; p = end) {
		unsigned long tid = strtoul(p, &end, 10);

		if (end == p)
			break;
		while (*end == '\n')
			end++;
		snprintf(stat, sizeof(stat), "/proc/%lu/task/%lu/stat", tid,
		    tid);
		if ((fd = open(stat, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		(void)read(fd, line, sizeof(line));
		close(fd);
	}
}

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
	struct tlist *tl = NULL;
	int *fds = NULL, n = 0, cap = 0, ticks, ms, t, i, every = 0;
	int ntl = 0, captl = 0, u;
	ssize_t len;
	DIR *d;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: benchfloor PID TICKS INTERVAL_MS "
		    "[TASKS_MS]\n");
		return 2;
	}
	ticks = atoi(argv[2]);
	ms = atoi(argv[3]);
	if (argc == 5 && ms > 0 && (every = atoi(argv[4]) / ms) < 1)
		every = 1;
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
		/* directories (dirfds) are held, not read; their thread
		 * lists are (TASKS_MS) */
		if ((fds[n] = open(target, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		if (read(fds[n], buf, 0) == -1) {
			if (errno == EISDIR && every > 0 &&
			    strncmp(target, "/sys/fs/cgroup/", 15) == 0 &&
			    add_tlist(&tl, &ntl, &captl, target) == -1)
				return 1;
			close(fds[n]);
			continue;
		}
		n++;
	}
	closedir(d);
	/* collectord reads one hierarchy's list of a container */
	qsort(tl, (size_t)ntl, sizeof(*tl), tl_cmp);
	for (i = 0, u = 0; i < ntl; i++)
		if (u == 0 || strcmp(tl[u - 1].key, tl[i].key) != 0)
			tl[u++] = tl[i];
	ntl = u;
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
		for (i = 0; i < ntl; i++)
			if ((t + i) % every == 0)
				read_threads(tl[i].path, buf, sizeof(buf));
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
	after = cpu_ns();
	printf("files %d cpu_ns %llu thread_lists %d\n", n, after - before, ntl);
	return 0;
}
