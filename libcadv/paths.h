/* Where things live, one rule for every program: --store DIR, else
 * $CADV_STORE, else /run/cadv for root and $XDG_RUNTIME_DIR/cadv or
 * /tmp/cadv-$UID for anyone else.
 *
 * The last two are in directories other users can reach ($XDG_RUNTIME_DIR
 * comes from the environment, /tmp is everyone's), so another user could
 * have made them first, as a directory of theirs or a symbolic link, and
 * steered our writes and reads (issue 17).  They are used only when they
 * are real directories of ours that no one else may write or enter, as
 * tmux and ssh-agent check their sockets' directories. */
#ifndef CADV_PATHS_H
#define CADV_PATHS_H

#include <stddef.h>

#define CADV_STORE_ENV		"CADV_STORE"
#define CADV_STORE_ROOT		"/run/cadv"
#define CADV_FALLBACK_DIR	"/tmp"

/* Fills buf with the store directory; arg is the --store value or NULL.
 * An explicit path (arg, $CADV_STORE) is the caller's choice and taken as
 * it is.  A default other than root's is made when missing (mode 0700:
 * the store is its user's alone; a group of readers is for a store the
 * operator sets up, like /run/cadv) and then checked through the
 * descriptor that names it: not a symbolic link, a directory, owned by
 * our effective uid, no write for its group, no access for others; the
 * same for $XDG_RUNTIME_DIR itself.  Readers call it too, and so claim
 * the path before anyone else can.  0, or one of the codes below with the
 * reason, naming the path, in err. */
enum paths_fail {
	PATHS_USAGE = -1,	/* --store or $CADV_STORE is unusable */
	PATHS_UNSAFE = -2,	/* the default is not safely ours: refused */
};
int	paths_store(const char *arg, char *buf, size_t bufsz, char *err,
	    size_t errsz);

/* The check above on an existing directory: 0 when path is a directory
 * of uid that its group cannot write and others cannot enter; else -1
 * with the reason in err.  With create, a missing path is made mode 0700
 * first.  Never follows a symbolic link in the last component. */
int	paths_private_dir(const char *path, unsigned uid, int create,
	    char *err, size_t errsz);

#endif
