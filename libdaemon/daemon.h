/* What every daemon does the same way around its own work: the -d,
 * --user, --pidfile and --no-seccomp options, and the order of start-up (look the
 * user up and take the pidfile while root; open resources; then drop
 * privileges and enter the sandbox before reading any untrusted input). */
#ifndef CADV_DAEMON_H
#define CADV_DAEMON_H

#include "privdrop.h"
#include "sandbox.h"

enum daemon_opt {
	DAEMON_OPT_DEBUG = 'd',
	DAEMON_OPT_USER = 'U',
	DAEMON_OPT_PIDFILE = 0x100,
	DAEMON_OPT_NO_SECCOMP,
};

/* getopt_long entries, to put in each daemon's table */
#define DAEMON_LONGOPTS \
	{ "debug", no_argument, NULL, DAEMON_OPT_DEBUG }, \
	{ "user", required_argument, NULL, DAEMON_OPT_USER }, \
	{ "pidfile", required_argument, NULL, DAEMON_OPT_PIDFILE }, \
	{ "no-seccomp", no_argument, NULL, DAEMON_OPT_NO_SECCOMP }
#define DAEMON_USAGE	"[--user NAME] [--pidfile PATH] [--no-seccomp]"

struct daemon_ctx {
	const char		*user;		/* --user, NULL: the default */
	const char		*pidfile;	/* --pidfile, NULL: none */
	int			 no_seccomp;
	struct priv_user	 pu;
};

/* 1 when ch is one of the shared options (and takes it), else 0. */
int	daemon_option(struct daemon_ctx *, int ch, const char *arg);
/* First thing after the options: every inherited descriptor but 0-2
 * closed, the user looked up (as root: --user, else the daemon's own,
 * privdrop.h), the pidfile locked and written, removed again at exit.  A
 * pidfile another live process holds ends us with its pid.  Exits on
 * failure. */
void	daemon_start(struct daemon_ctx *);
/* Once resources are open: gives the store directory (and the path, e.g.
 * a socket, when not NULL) to the user, drops privileges, enters role's
 * seccomp filter.  store may be NULL.  Exits on failure. */
void	daemon_drop(struct daemon_ctx *, const char *store, const char *path,
	    enum sandbox_role);

struct store;
/* Logs what the store has noted since last asked (an upgrade at open, a
 * grown map): the libraries print nothing. */
void	daemon_store_notes(struct store *);

#endif
