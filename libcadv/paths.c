#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What another user could do through each bit: group write or any
 * access for others lets them add, replace or read entries. */
#define FOREIGN_BITS	(S_IWGRP | S_IRWXO)

static int
fits(int n, size_t sz)
{
	return n >= 0 && (size_t)n < sz ? 0 : -1;
}

/* A parent others may write must be sticky (as /tmp is): otherwise they
 * could rename our directory away and put theirs in its place after we
 * looked. */
static int
check_parent(int pfd, const char *parent, char *err, size_t errsz)
{
	struct stat sb;

	if (fstat(pfd, &sb) == -1) {
		snprintf(err, errsz, "%s: %s", parent, strerror(errno));
		return -1;
	}
	if ((sb.st_mode & (S_IWGRP | S_IWOTH)) && !(sb.st_mode & S_ISVTX)) {
		snprintf(err, errsz, "%s: others may write in it and it is not "
		    "sticky: refusing to keep anything there", parent);
		return -1;
	}
	return 0;
}

/* The verdict on the directory behind fd, which is what we then use. */
static int
check_dir(int fd, const char *path, unsigned uid, char *err, size_t errsz)
{
	struct stat sb;

	if (fstat(fd, &sb) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "%s: not a directory: refusing it", path);
		return -1;
	}
	if (sb.st_uid != uid) {
		snprintf(err, errsz, "%s: owned by uid %u, not by uid %u: "
		    "refusing it (another user may have made it to catch our "
		    "files)", path, (unsigned)sb.st_uid, uid);
		return -1;
	}
	if (sb.st_mode & FOREIGN_BITS) {
		snprintf(err, errsz, "%s: mode %04o lets other users in: "
		    "refusing it (chmod 0700 it)", path,
		    (unsigned)(sb.st_mode & 07777));
		return -1;
	}
	return 0;
}

int
paths_private_dir(const char *path, unsigned uid, int create, char *err,
    size_t errsz)
{
	char parent[PATH_MAX];
	const char *name, *slash;
	struct stat sb;
	int pfd, fd, rc;

	if ((slash = strrchr(path, '/')) == NULL || slash[1] == '\0' ||
	    (size_t)(slash - path) >= sizeof(parent)) {
		snprintf(err, errsz, "%s: not an absolute path to a directory",
		    path);
		return -1;
	}
	name = slash + 1;
	if (slash == path)
		strcpy(parent, "/");
	else {
		memcpy(parent, path, (size_t)(slash - path));
		parent[slash - path] = '\0';
	}
	if ((pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s: %s", parent, strerror(errno));
		return -1;
	}
	if (check_parent(pfd, parent, err, errsz) == -1) {
		close(pfd);
		return -1;
	}
	/* EEXIST is the case to judge, not an error: below, by the fd */
	if (create && mkdirat(pfd, name, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errsz, "cannot create %s: %s", path,
		    strerror(errno));
		close(pfd);
		return -1;
	}
	/* O_PATH: a directory we may not enter still tells its owner */
	fd = openat(pfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		int e = errno;

		if ((e == ELOOP || e == ENOTDIR) &&
		    fstatat(pfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
			snprintf(err, errsz, "%s: %s: refusing it (another user "
			    "may have made it to catch our files)", path,
			    S_ISLNK(sb.st_mode) ? "a symbolic link" :
			    "not a directory");
		else
			snprintf(err, errsz, "%s: %s", path, strerror(e));
		close(pfd);
		return -1;
	}
	close(pfd);
	rc = check_dir(fd, path, uid, err, errsz);
	close(fd);
	return rc;
}

/* PATHS_UNSAFE, with what to do appended to the reason */
static int
advise(char *err, size_t errsz, const char *what)
{
	size_t n = strnlen(err, errsz);

	if (n < errsz)
		snprintf(err + n, errsz - n, "; %s with --store or $%s", what,
		    CADV_STORE_ENV);
	return PATHS_UNSAFE;
}

int
paths_store(const char *arg, char *buf, size_t sz, char *err, size_t errsz)
{
	const char *env;
	unsigned uid = (unsigned)geteuid();

	if (arg != NULL) {
		if (arg[0] == '\0') {
			snprintf(err, errsz, "--store: an empty path");
			return PATHS_USAGE;
		}
		if (fits(snprintf(buf, sz, "%s", arg), sz) == -1) {
			snprintf(err, errsz, "--store: path too long");
			return PATHS_USAGE;
		}
		return 0;
	}
	/* An empty or relative value in the environment is a mistake, not a
	 * request for the current directory. */
	if ((env = getenv(CADV_STORE_ENV)) != NULL && env[0] != '\0') {
		if (env[0] != '/' || fits(snprintf(buf, sz, "%s", env), sz)) {
			snprintf(err, errsz, "$%s: want an absolute path that "
			    "fits", CADV_STORE_ENV);
			return PATHS_USAGE;
		}
		return 0;
	}
	/* /run is root's: no one else can have made /run/cadv */
	if (uid == 0) {
		if (fits(snprintf(buf, sz, "%s", CADV_STORE_ROOT), sz) == -1) {
			snprintf(err, errsz, "store path too long");
			return PATHS_USAGE;
		}
		return 0;
	}
	if ((env = getenv("XDG_RUNTIME_DIR")) != NULL && env[0] == '/') {
		/* a stale value (su keeps the first user's) names someone
		 * else's directory: said, not silently replaced by /tmp */
		if (paths_private_dir(env, uid, 0, err, errsz) == -1)
			return advise(err, errsz, "$XDG_RUNTIME_DIR names it: "
			    "unset it, or name a store");
		if (fits(snprintf(buf, sz, "%s/cadv", env), sz) == -1) {
			snprintf(err, errsz, "$XDG_RUNTIME_DIR: path too long");
			return PATHS_UNSAFE;
		}
	} else if (fits(snprintf(buf, sz, CADV_FALLBACK_DIR "/cadv-%u", uid),
	    sz) == -1) {
		snprintf(err, errsz, "store path too long");
		return PATHS_USAGE;
	}
	if (paths_private_dir(buf, uid, 1, err, errsz) == -1)
		return advise(err, errsz, "have it removed, or name a store");
	return 0;
}
