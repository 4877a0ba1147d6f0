#include "hostroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static char root[PATH_MAX];	/* "" or "/rootfs" */

int
hostroot_set(const char *dir, char *err, size_t errsz)
{
	struct stat sb;
	size_t n;

	if (dir == NULL || dir[0] == '\0') {
		root[0] = '\0';
		return 0;
	}
	if (dir[0] != '/') {
		snprintf(err, errsz, "host root %s: not an absolute path", dir);
		return -1;
	}
	if (stat(dir, &sb) == -1) {
		snprintf(err, errsz, "host root %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "host root %s: not a directory", dir);
		return -1;
	}
	n = strlen(dir);
	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (n >= sizeof(root)) {
		snprintf(err, errsz, "host root: path too long");
		return -1;
	}
	memcpy(root, dir, n);
	root[n] = '\0';
	return 0;
}

const char *
hostroot(void)
{
	return root;
}

const char *
hostroot_mountinfo(void)
{
	return root[0] == '\0' ? "/proc/self/mountinfo" : "/proc/1/mountinfo";
}

int
hostroot_path(const char *path, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s%s", root, path);

	if (n < 0 || (size_t)n >= outsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}
