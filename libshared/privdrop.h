/* Dropping privileges once the resources a daemon needs are open (the
 * OpenBSD way): root becomes an unprivileged user with no capabilities;
 * anyone gets no_new_privs.  Any failure is fatal: a daemon never runs
 * half-dropped. */
#ifndef CADV_PRIVDROP_H
#define CADV_PRIVDROP_H

#include <sys/types.h>

#define PRIV_USER_DEFAULT	"cadv"		/* else "nobody" */

struct priv_user {
	char	name[64];
	uid_t	uid;
	gid_t	gid;
};

/* Root in the initial user namespace: the one case with privileges to
 * drop (root of a private user namespace runs as an ordinary user). */
int	priv_is_root(void);
/* Looks the user up while /etc is still reachable: name, or the default
 * ("cadv" when it exists, else "nobody").  -1 with a message. */
int	priv_lookup(const char *name, struct priv_user *, char *err,
	    size_t errsz);
/* As root: supplementary groups, gid and uid set for good (verified:
 * setuid(0) must fail), every capability out of the effective, permitted,
 * inheritable, ambient and bounding sets.  As anyone: no_new_privs and no
 * capabilities left.  Exits on failure. */
void	priv_drop(const struct priv_user *);
/* Hands a path made as root (the socket) to the user; 0 or -1. */
int	priv_chown(const char *path, const struct priv_user *);
/* The store directory, data.mdb and lock.mdb likewise. */
int	priv_chown_store(const char *dir, const struct priv_user *);

#endif
