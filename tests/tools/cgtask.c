/* cgtask: a test workload that first moves itself into the cgroups named
 * with --cg (writing its pid to DIR/cgroup.procs), takes the process name
 * given with --comm (prctl PR_SET_NAME: what the kernel's OOM report
 * prints; at most 15 bytes), then:
 *   burn SECS        spins on the cpu, then prints its utime+stime in ns
 *   hog MIB SECS     allocates and touches MIB MiB, prints "ready", holds
 *   sleep SECS       sleeps
 * The tests start it and kill it by the pid they got. */
#include <bsd/stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static void
join(const char *dir)
{
	char path[4096], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if ((fd = open(path, O_WRONLY)) == -1 || write(fd, pid, (size_t)n) != n) {
		fprintf(stderr, "cgtask: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long
num(const char *s)
{
	const char *errstr;
	long long v = strtonum(s, 0, 1LL << 40, &errstr);

	if (errstr != NULL) {
		fprintf(stderr, "cgtask: %s: %s\n", s, errstr);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	int i = 1;

	for (; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--cg") == 0)
			join(argv[i + 1]);
		else if (strcmp(argv[i], "--comm") == 0) {
			if (prctl(PR_SET_NAME, argv[i + 1], 0, 0, 0) == -1) {
				fprintf(stderr, "cgtask: PR_SET_NAME: %s\n",
				    strerror(errno));
				return 1;
			}
		} else
			break;
	}
	if (i < argc && strcmp(argv[i], "burn") == 0 && i + 1 < argc) {
		double end = now() + (double)num(argv[i + 1]);
		volatile unsigned long x = 0;
		struct rusage ru;

		while (now() < end)
			for (int j = 0; j < 100000; j++)
				x += (unsigned long)j;
		(void)x;	/* clang: "set but not used" for a volatile */
		getrusage(RUSAGE_SELF, &ru);
		printf("%lld\n", (long long)(ru.ru_utime.tv_sec +
		    ru.ru_stime.tv_sec) * 1000000000LL +
		    (long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL);
		return 0;
	}
	if (i < argc && strcmp(argv[i], "hog") == 0 && i + 2 < argc) {
		size_t len = (size_t)num(argv[i + 1]) << 20, off;
		char *p = malloc(len);

		if (p == NULL)
			return 1;
		for (off = 0; off < len; off += 4096)
			p[off] = 1;
		printf("ready\n");
		fflush(stdout);
		sleep((unsigned)num(argv[i + 2]));
		return p[len / 2] == 1 ? 0 : 1;
	}
	if (i < argc && strcmp(argv[i], "sleep") == 0 && i + 1 < argc) {
		sleep((unsigned)num(argv[i + 1]));
		return 0;
	}
	fprintf(stderr, "usage: cgtask [--cg DIR]... [--comm NAME] "
	    "burn SECS | hog MIB SECS | sleep SECS\n");
	return 2;
}
