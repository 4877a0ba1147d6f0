#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"

/*
 * The lists name system calls, not numbers: libseccomp resolves them for
 * the architecture at hand and a name the architecture lacks (open on
 * arm64) is passed over.  Only what runs after priv_drop() counts: opening
 * cgroup roots, the store, /dev/kmsg and sockets happens before.
 */

/* What any of the daemons does in its loop: files it already holds or
 * opens read-only (the open calls are allowed with read-only flags only,
 * below), poll, timers, signalfd, memory, time, stderr, its pidfile's
 * removal at exit. */
static const char *const base[] = {
	"read", "readv", "pread64", "write", "writev", "lseek", "close",
	"stat", "lstat", "fstat", "newfstatat", "statx", "fcntl", "poll",
	"ppoll", "signalfd4", "timerfd_create", "timerfd_settime",
	"timerfd_gettime", "munmap", "mremap", "madvise", "brk", "futex",
	"set_robust_list", "get_robust_list", "rt_sigprocmask",
	"rt_sigreturn", "rt_sigaction", "restart_syscall", "clock_gettime",
	"clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday",
	"time", "getpid", "gettid", "getuid", "geteuid", "getgid",
	"getegid", "getrandom", "sched_yield", "exit", "exit_group",
	"prlimit64", "getrlimit", "sysinfo", "uname", "rseq", "unlink",
	"unlinkat",
};

/* The store's writers (collectord, eventd): LMDB's pwrite, sync and map
 * growth.  Nobody else may write or resize a file. */
static const char *const writer[] = {
	"pwrite64", "pwritev", "fdatasync", "fsync", "msync", "ftruncate",
	"fallocate",
};

static const char *const watcherd[] = {
	"getdents64", "readlink", "readlinkat", "inotify_add_watch",
	"inotify_rm_watch",
};

static const char *const collectord[] = {
	"getdents64", "readlink", "readlinkat", "statfs", "fstatfs",
	"access", "faccessat", "faccessat2",
};

static const char *const eventd[] = {
	"accept4", "getsockopt", "setsockopt", "shutdown", "recvfrom",
	"sendto", "recvmsg", "sendmsg",
	"getdents64",	/* counting its own descriptors (procself.c) */
};

/* identd's writer: the store and the pipe from its reader, nothing else. */
static const char *const identd[] = {
	"getdents64",
};

/* identd's reader: walks runtime state read-only and follows it with
 * inotify.  Its one capability (CAP_DAC_READ_SEARCH) would let
 * open_by_handle_at reach any file by handle: that call is not here. */
static const char *const identreader[] = {
	"getdents64", "readlink", "readlinkat", "inotify_init1",
	"inotify_add_watch", "inotify_rm_watch", "dup",
};

/* The HTTP front: sockets, its threads (clone only for a thread, below),
 * and opening the store once it is there (LMDB opens lock.mdb for its
 * reader slot: read-write), after which sandbox_reader_ready() takes
 * write opens away. */
static const char *const exporterd[] = {
	"accept", "accept4", "getsockopt", "setsockopt", "getsockname",
	"getpeername", "shutdown", "recvfrom", "sendto", "recvmsg",
	"sendmsg", "sendfile", "epoll_create1", "epoll_ctl", "epoll_wait",
	"epoll_pwait", "eventfd2", "pipe2", "set_tid_address",
	"sigaltstack", "getdents64", "readlink", "statfs", "fstatfs",
	"open", "openat",
	"seccomp",	/* to add the read-only filter: a filter only takes away */
};

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define SANITIZED 1
#endif
#endif

#ifdef SANITIZED
/* Sanitizer builds only (make SANITIZE=1): LeakSanitizer stops the world
 * at exit from a clone with ptrace, and a report forks a symbolizer. */
static const char *const sanitizer[] = {
	"clone", "clone3", "fork", "vfork", "execve", "wait4", "ptrace",
	"pipe", "pipe2", "dup", "dup2", "dup3", "sched_getaffinity",
	"sigaltstack", "prctl", "mincore", "readlink", "readlinkat",
	"process_vm_readv", "rt_sigtimedwait", "setrlimit", "getppid",
	"getdents", "getdents64", "kill", "tgkill",
};
#endif

struct list {
	const char *const *names;
	size_t n;
};
#define LIST(a) { a, sizeof(a) / sizeof(a[0]) }

static const struct list roles[SANDBOX_NROLES] = {
	[SANDBOX_WATCHERD] = LIST(watcherd),
	[SANDBOX_COLLECTORD] = LIST(collectord),
	[SANDBOX_EVENTD] = LIST(eventd),
	[SANDBOX_EXPORTERD] = LIST(exporterd),
	[SANDBOX_IDENTD] = LIST(identd),
	[SANDBOX_IDENTREADER] = LIST(identreader),
};
static const int writes_store[SANDBOX_NROLES] = {
	[SANDBOX_COLLECTORD] = 1,
	[SANDBOX_EVENTD] = 1,
	[SANDBOX_IDENTD] = 1,
};
/* Open flags that write: each is a rule of its own in the filters. */
static const int write_flags[] = { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC,
	O_APPEND };

static const char *const role_names[SANDBOX_NROLES] = {
	"watcherd", "collectord", "eventd", "exporterd", "identd",
	"identd reader",
};

static void
allow(scmp_filter_ctx ctx, const struct list *l)
{
	size_t i;
	int nr, rc;

	for (i = 0; i < l->n; i++) {
		if ((nr = seccomp_syscall_resolve_name(l->names[i])) ==
		    __NR_SCMP_ERROR)
			continue;
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) < 0)
			fatalx("seccomp: allowing %s: %s", l->names[i],
			    strerror(-rc));
	}
}

/* A rule with one argument condition, (arg & mask) == want; exits on
 * failure.  Spelled out rather than SCMP_A*(): those leave a field to the
 * compiler, which clang's -Wextra refuses. */
static void
allow_if(scmp_filter_ctx ctx, const char *name, unsigned arg,
    scmp_datum_t mask, scmp_datum_t want)
{
	struct scmp_arg_cmp cmp = {
		.arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask,
		.datum_b = want,
	};
	int nr, rc;

	if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR)
		return;
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, cmp)) < 0)
		fatalx("seccomp: allowing %s: %s", name, strerror(-rc));
}

void
sandbox_enter(enum sandbox_role role, int on)
{
	static const struct list common = LIST(base);
	scmp_filter_ctx ctx;
	int rc;

	if (role < 0 || role >= SANDBOX_NROLES)
		fatalx("seccomp: no role %d", (int)role);
	if (!on)
		return;
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		fatalx("seccomp_init failed");
	allow(ctx, &common);
	allow(ctx, &roles[role]);
	if (writes_store[role]) {
		static const struct list w = LIST(writer);

		allow(ctx, &w);
	}
	/* a file is opened to be read, never written */
	allow_if(ctx, "openat", 2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND,
	    O_RDONLY);
	allow_if(ctx, "open", 1, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND,
	    O_RDONLY);
#ifdef SANITIZED
	{
		static const struct list san = LIST(sanitizer);

		allow(ctx, &san);
	}
#else
	/* clone3's flags sit in memory a filter cannot read: ENOSYS sends
	 * glibc back to clone, whose flags it can */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(clone3), 0)) < 0)
		fatalx("seccomp: clone3: %s", strerror(-rc));
	/* threads, never a process of its own (no fork) */
	if (role == SANDBOX_EXPORTERD)
		allow_if(ctx, "clone", 0, CLONE_THREAD, CLONE_THREAD);
#endif
	/* memory, never executable: no code can be made at run time */
	allow_if(ctx, "mmap", 2, PROT_EXEC, 0);
	allow_if(ctx, "mprotect", 2, PROT_EXEC, 0);
	/* stdio asks whether stdout is a terminal (watcherd --print) */
	allow_if(ctx, "ioctl", 1, ~(scmp_datum_t)0, TCGETS);
	/* threads may name themselves (exporterd's HTTP threads) */
	allow_if(ctx, "prctl", 0, ~(scmp_datum_t)0, PR_SET_NAME);
	/* abort() and raise() signal the process itself, nobody else */
	allow_if(ctx, "kill", 0, ~(scmp_datum_t)0, (scmp_datum_t)getpid());
	allow_if(ctx, "tgkill", 0, ~(scmp_datum_t)0, (scmp_datum_t)getpid());
	if ((rc = seccomp_load(ctx)) < 0)
		fatalx("seccomp: loading the %s filter: %s", role_names[role],
		    strerror(-rc));
	seccomp_release(ctx);
}

void
sandbox_reader_ready(int on)
{
	scmp_filter_ctx ctx;
	size_t i;
	int rc;

	if (!on)
		return;
	/* a second filter, for every thread: it can only take away */
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		fatalx("seccomp_init failed");
	/* no_new_privs is set already, and the first filter would kill the
	 * prctl that libseccomp makes to set it again */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0)
		fatalx("seccomp: cannot filter every thread");
	for (i = 0; i < sizeof(write_flags) / sizeof(write_flags[0]); i++) {
		struct scmp_arg_cmp at = {
			.arg = 2, .op = SCMP_CMP_MASKED_EQ,
			.datum_a = (scmp_datum_t)write_flags[i],
			.datum_b = (scmp_datum_t)write_flags[i],
		}, op = at;

		op.arg = 1;
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS,
		    SCMP_SYS(openat), 1, at)) < 0 ||
		    (rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS,
		    SCMP_SYS(open), 1, op)) < 0)
			fatalx("seccomp: read-only opens: %s", strerror(-rc));
	}
	if ((rc = seccomp_load(ctx)) < 0)
		fatalx("seccomp: loading the read-only filter: %s",
		    strerror(-rc));
	seccomp_release(ctx);
}
