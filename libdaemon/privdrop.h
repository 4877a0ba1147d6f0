/* Dropping privileges once the resources a daemon needs are open (the
 * OpenBSD way): root becomes an unprivileged user with no capabilities;
 * anyone gets no_new_privs.  Any failure is fatal: a daemon never runs
 * half-dropped. */
#ifndef CADV_PRIVDROP_H
#define CADV_PRIVDROP_H

#include <sys/types.h>

/* The daemons' users (scripts/systemd/cadv.sysusers makes them): the
 * store's writers own its files; the cgroup watcher and the HTTP front
 * are others, so that they can neither write the store nor signal the
 * writers.  A missing one is replaced by nobody. */
#define PRIV_USER_WRITER	"cadv"		/* collectord, eventd */
#define PRIV_USER_WATCHER	"cadv-watch"	/* watcherd */
#define PRIV_USER_WEB		"cadv-web"	/* exporterd, in group cadv */
#define PRIV_USER_IDENT		"cadv-ident"	/* identd's runtime-state reader */
#define PRIV_USER_FALLBACK	"nobody"
#define PRIV_GROUPS_MAX		16

struct priv_user {
	char	name[64];
	uid_t	uid;
	gid_t	gid;
	gid_t	groups[PRIV_GROUPS_MAX];	/* numeric --user only */
	int	ngroups;			/* -1: the account's (initgroups) */
	int	fallback;			/* default missing: nobody */
};

/* Root in the initial user namespace: the one case with privileges to
 * drop (root of a private user namespace runs as an ordinary user). */
int	priv_is_root(void);
/* Looks the user up while /etc is still reachable: spec is a name, or
 * UID:GID[:GID,...] (numeric, no account needed: the supplementary groups
 * are the ones listed), or NULL for dflt (nobody when dflt does not
 * exist).  -1 with a message. */
int	priv_lookup(const char *spec, const char *dflt, struct priv_user *,
	    char *err, size_t errsz);
/* As root: supplementary groups, gid and uid set for good (verified:
 * setuid(0) must fail), every capability out of the effective, permitted,
 * inheritable, ambient and bounding sets.  As anyone: no_new_privs and no
 * capabilities left.  Exits on failure. */
void	priv_drop(const struct priv_user *);
/* priv_drop, but root keeps one capability (and only it: effective,
 * permitted; the bounding set holds nothing else), for a reader that must
 * read files of root's (identd's runtime-state reader, CAP_DAC_READ_SEARCH).
 * As anyone else the same as priv_drop.  Exits on failure. */
void	priv_drop_keep(const struct priv_user *, int cap);
/* Hands a path made as root (the socket) to the user, not following a
 * link; 0 or -1. */
int	priv_chown(const char *path, const struct priv_user *);
/* Hands data.mdb and lock.mdb to the user; the directory stays root's,
 * in the user's group, so the user cannot replace its entries. */
int	priv_chown_store(const char *dir, const struct priv_user *);

#endif
