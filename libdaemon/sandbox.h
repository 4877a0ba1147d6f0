/* A seccomp allow-list per daemon, installed once privileges are gone and
 * before any untrusted input is read: a system call outside the list kills
 * the whole process with SIGSYS, so a compromised parser cannot open a
 * socket, exec a shell or ptrace a neighbour. */
#ifndef CADV_SANDBOX_H
#define CADV_SANDBOX_H

enum sandbox_role {
	SANDBOX_WATCHERD,
	SANDBOX_COLLECTORD,
	SANDBOX_EVENTD,
	SANDBOX_EXPORTERD,
	SANDBOX_IDENTD,		/* identd's writer */
	SANDBOX_IDENTREADER,	/* identd's reader of runtime state */
	SANDBOX_NROLES
};

/* Installs the role's filter; with on == 0 (--no-seccomp) says once that
 * it runs without one.  Needs no_new_privs (priv_drop sets it).  Exits on
 * failure: a daemon never runs believing it is filtered when it is not. */
void	sandbox_enter(enum sandbox_role, int on);
/* exporterd, once its store is open: no thread may open a file to write
 * any more (a second filter; on == 0: --no-seccomp).  Exits on failure. */
void	sandbox_reader_ready(int on);

#endif
