/* lockhold: what a member of the store's group can do to the writers
 * (issue 17, finding 8): LMDB's readers need lock.mdb writable, and the
 * writers' mutex lives in it.  Takes that mutex the way LMDB does (a
 * robust, process-shared pthread mutex at a fixed offset), prints "held",
 * and keeps it for SECONDS; killed, the kernel hands it back as the owner's
 * death and the next writer recovers.
 *   lockhold STORE_DIR SECONDS */
#include <bsd/stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lockinfo.h"

int
main(int argc, char **argv)
{
	char path[4096];
	const char *errstr;
	unsigned char *m;
	long long secs;
	int fd, rc;

	if (argc != 3) {
		fprintf(stderr, "usage: lockhold STORE_DIR SECONDS\n");
		return 2;
	}
	secs = strtonum(argv[2], 0, 3600, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "lockhold: seconds %s: %s\n", argv[2], errstr);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/lock.mdb", argv[1]);
	if ((fd = open(path, O_RDWR | O_NOFOLLOW)) == -1) {
		fprintf(stderr, "lockhold: %s: %s\n", path, strerror(errno));
		return 1;
	}
	m = mmap(NULL, LOCKINFO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (m == MAP_FAILED || !lockinfo_known(m)) {
		fprintf(stderr, "lockhold: %s: not a lock file of the known "
		    "format\n", path);
		return 1;
	}
	rc = pthread_mutex_lock((pthread_mutex_t *)(void *)(m +
	    LOCKINFO_WMUTEX));
	if (rc != 0 && rc != EOWNERDEAD) {
		fprintf(stderr, "lockhold: %s\n", strerror(rc));
		return 1;
	}
	if (rc == EOWNERDEAD)
		pthread_mutex_consistent((pthread_mutex_t *)(void *)(m +
		    LOCKINFO_WMUTEX));
	printf("held\n");
	fflush(stdout);
	sleep((unsigned)secs);
	pthread_mutex_unlock((pthread_mutex_t *)(void *)(m + LOCKINFO_WMUTEX));
	return 0;
}
