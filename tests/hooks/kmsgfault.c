/*
 * Test-only: preloaded into eventd (LD_PRELOAD, with --no-seccomp since
 * it calls fstat), makes every CADV_FAULT_EPIPE_EVERY-th read(2) of
 * /dev/kmsg fail with EPIPE, what the kernel returns when records were
 * overwritten before the reader got to them.  The record is not
 * consumed, so what follows must still be read.  Never installed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

ssize_t read(int, void *, size_t);

ssize_t
read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	static unsigned long every, count;
	struct stat sb;

	if (real == NULL) {
		const char *e = getenv("CADV_FAULT_EPIPE_EVERY");

		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
		every = e ? strtoul(e, NULL, 10) : 0;
	}
	if (every && fstat(fd, &sb) == 0 && S_ISCHR(sb.st_mode) &&
	    sb.st_rdev == makedev(1, 11) && ++count % every == 0) {
		errno = EPIPE;
		return -1;
	}
	return real(fd, buf, n);
}
