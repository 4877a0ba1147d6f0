#include "unixsock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* "PATH: WHAT: strerror" into err; closes fd when it is one */
static int
fail(int fd, char *err, size_t errsz, const char *path, const char *what)
{
	int saved = errno;

	snprintf(err, errsz, "%s: %s: %s", path, what, strerror(saved));
	if (fd != -1)
		close(fd);
	return -1;
}

int
unixsock_listen(const char *path, int backlog, char *err, size_t errsz)
{
	struct sockaddr_un sun;
	struct stat sb;
	mode_t old;
	int fd, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path[0] == '\0' || strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errsz, "%s: socket path empty or longer than %zu "
		    "bytes", path, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return fail(-1, err, errsz, path, "socket");
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			snprintf(err, errsz, "%s: exists and is not a socket; "
			    "not replacing it", path);
			close(fd);
			return -1;
		}
		/* a socket left by a previous run: nobody accepts on it */
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			snprintf(err, errsz, "%s: another process is listening "
			    "there", path);
			close(fd);
			return -1;
		}
		close(fd);
		if (unlink(path) == -1)
			return fail(-1, err, errsz, path, "removing the old socket");
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1)
			return fail(-1, err, errsz, path, "socket");
	}
	old = umask(0117);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc == -1)
		return fail(fd, err, errsz, path, "bind");
	if (listen(fd, backlog) == -1)
		return fail(fd, err, errsz, path, "listen");
	return fd;
}
