#include "daemon.h"

#include <bsd/libutil.h>
#include <bsd/stdlib.h>
#include <bsd/unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store.h"

static struct pidfh *pidfh;

static void
pidfile_gone(void)
{
	/* may fail once we are no longer root: the lock is what tells a
	 * live daemon, and it went with us */
	(void)pidfile_remove(pidfh);
	pidfh = NULL;
}

int
daemon_option(struct daemon_ctx *d, int ch, const char *arg)
{
	switch (ch) {
	case DAEMON_OPT_DEBUG:
		log_setlevel(LOG_LVL_DEBUG);
		return 1;
	case DAEMON_OPT_USER:
		d->user = arg;
		return 1;
	case DAEMON_OPT_PIDFILE:
		d->pidfile = arg;
		return 1;
	case DAEMON_OPT_NO_SECCOMP:
		d->no_seccomp = 1;
		return 1;
	default:
		return 0;
	}
}

/* Each daemon's own user when none is given: writers own the store, the
 * others are apart from them (privdrop.h). */
static const char *
default_user(void)
{
	static const struct {
		const char	*prog, *user;
	} users[] = {
		{ "watcherd", PRIV_USER_WATCHER },
		{ "exporterd", PRIV_USER_WEB },
		{ "collectord", PRIV_USER_WRITER },
		{ "eventd", PRIV_USER_WRITER },
		{ "identd", PRIV_USER_WRITER },	/* its reader: identd.c */
	};
	const char *prog = getprogname();
	size_t i;

	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		if (strcmp(prog, users[i].prog) == 0)
			return users[i].user;
	return PRIV_USER_WRITER;
}

void
daemon_start(struct daemon_ctx *d)
{
	char err[256];
	const char *dflt = default_user();
	pid_t other = -1;

	/* Whatever our starter left open (a file, a pipe, a socket) would
	 * outlive the privilege drop and be reachable from the sandbox: only
	 * stdin, stdout (watcherd | collectord's pipe) and stderr stay.
	 * Nothing of ours is open yet. */
	closefrom(STDERR_FILENO + 1);
	if (priv_is_root() && priv_lookup(d->user, dflt, &d->pu, err,
	    sizeof(err)) == -1)
		fatalx("--user: %s", err);
	if (priv_is_root() && d->pu.fallback)
		log_warnx("no user %s (make install or systemd-sysusers "
		    "creates it): running as %s, which other daemons may "
		    "share", dflt, d->pu.name);
	if (d->pidfile == NULL)
		return;
	if ((pidfh = pidfile_open(d->pidfile, 0644, &other)) == NULL) {
		if (errno == EEXIST)
			fatalx("%s: already running as pid %ld", d->pidfile,
			    (long)other);
		fatal("pidfile %s", d->pidfile);
	}
	if (pidfile_write(pidfh) == -1)
		fatal("pidfile %s", d->pidfile);
	atexit(pidfile_gone);
}

void
daemon_drop(struct daemon_ctx *d, const char *store, const char *path,
    enum sandbox_role role)
{
	int root = priv_is_root();

	if (root) {
		if (store != NULL && priv_chown_store(store, &d->pu) == -1)
			fatal("chown %s to %s", store, d->pu.name);
		if (path != NULL && priv_chown(path, &d->pu) == -1)
			fatal("chown %s to %s", path, d->pu.name);
	}
	priv_drop(&d->pu);
	if (root)
		log_info("running as %s (uid %u, gid %u)", d->pu.name,
		    (unsigned)d->pu.uid, (unsigned)d->pu.gid);
	sandbox_enter(role, !d->no_seccomp);
	if (d->no_seccomp)
		log_warnx("seccomp filter off (--no-seccomp)");
	else
		log_debug("seccomp filter installed");
}

void
daemon_store_notes(struct store *st)
{
	char buf[1024];

	if (store_take_note(st, buf, sizeof(buf)) != NULL)
		log_info("%s", buf);
}
