/* A listening unix socket at a path, made safely: a socket a previous run
 * left behind is replaced, but never a file that is not a socket, and
 * never a socket someone still listens on. */
#ifndef CADV_UNIXSOCK_H
#define CADV_UNIXSOCK_H

#include <stddef.h>

/* A non-blocking, close-on-exec listening socket at path, mode 0660 (the
 * store's group may connect); -1 with a sentence in err. */
int	unixsock_listen(const char *path, int backlog, char *err, size_t errsz);

#endif
