/* A writer's open: it creates the store, upgrades one of an older schema
 * in place, and sets aside (never deletes) what it cannot take, starting
 * afresh (docs/SCHEMA.md); the steps it shares with a reader are
 * libcadv's (store_impl.h). */
#include "storewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_impl.h"
#include "upgrade.h"

static int
schema_put(struct store *st, MDB_txn *txn)
{
	uint32_t version = CADV_SCHEMA_VERSION;
	unsigned char le[4] = { version & 0xff, (version >> 8) & 0xff,
	    (version >> 16) & 0xff, version >> 24 };
	MDB_val k = { sizeof(META_SCHEMA) - 1, META_SCHEMA };
	MDB_val v = { sizeof(le), le };

	return mdb_put(txn, st->dbi[CADV_T_META], &k, &v, 0);
}

/* An empty environment becomes a store of this schema. */
static int
fresh_meta(struct store *st, MDB_txn *txn)
{
	MDB_dbi main;
	MDB_stat ms;
	int rc;

	if ((rc = mdb_dbi_open(txn, NULL, 0, &main)) != 0 ||
	    (rc = mdb_stat(txn, main, &ms)) != 0 || ms.ms_entries != 0)
		return rc;
	if ((rc = mdb_dbi_open(txn, TBL_META, MDB_CREATE,
	    &st->dbi[CADV_T_META])) != 0)
		return rc;
	return schema_put(st, txn);
}

/* The writer's tables: made in a fresh store, brought to this schema in
 * an older one, in the transaction that opens them (a crash half-way
 * leaves the old store as it was). */
static int
write_tables(struct store *st, MDB_txn *txn, char *err, size_t errsz)
{
	struct upgrade_report up = { 0 };
	uint32_t version;
	int rc;

	if ((rc = fresh_meta(st, txn)) != 0) {
		snprintf(err, errsz, "%s: opening tables: %s", st->dir,
		    mdb_strerror(rc));
		return rc;
	}
	if ((rc = store_tables_open(st, txn, err, errsz)) != 0)
		return rc;
	if ((version = st->found_version) == CADV_SCHEMA_VERSION)
		return 0;
	if ((rc = store_upgrade(st, txn, version, &up)) != 0 ||
	    (rc = schema_put(st, txn)) != 0) {
		snprintf(err, errsz, "%s: upgrading from schema %u to %d: %s",
		    st->dir, version, CADV_SCHEMA_VERSION, mdb_strerror(rc));
		return rc;
	}
	store_note(st, "%s: upgraded the store from schema %u to %d: kept %zu "
	    "events and %zu live containers, dropped %zu deleted or bad "
	    "container records, %zu bad events and %zu samples", st->dir,
	    version, CADV_SCHEMA_VERSION, up.events_kept,
	    up.containers_kept, up.containers_dropped,
	    up.events_dropped, up.samples_dropped);
	return 0;
}

/* Renames name in dirfd to name.tag-<UTC time>[-i] (never over another
 * file: a name taken gets a number); the new name in out.  -1 with errno. */
static int
move_aside(int dirfd, const char *name, const char *tag, char *out,
    size_t outsz)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int i;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(out, outsz, "%s.%s-%s", name, tag, stamp);
		else
			snprintf(out, outsz, "%s.%s-%s-%d", name, tag, stamp, i);
		if (renameat2(dirfd, name, dirfd, out, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* A writer that finds a store it cannot take (a newer schema, one too old
 * to upgrade, a damaged one) moves its data file aside under a name that
 * says why (tag), never deleting it, and starts afresh; lock.mdb holds no
 * data.  Under the directory's flock, so that the other writer starting
 * beside it does not set aside the fresh one. */
static int
set_aside(struct store *st, int dirfd, const char *tag, const char *why,
    char *err, size_t errsz)
{
	char name[128];

	if (move_aside(dirfd, "data.mdb", tag, name, sizeof(name)) == -1) {
		snprintf(err, errsz, "%s/data.mdb: setting aside a store that "
		    "%s: %s", st->dir, why, strerror(errno));
		return errno;
	}
	if (unlinkat(dirfd, "lock.mdb", 0) == -1 && errno != ENOENT) {
		snprintf(err, errsz, "%s/lock.mdb: %s", st->dir,
		    strerror(errno));
		return errno;
	}
	store_note(st, "%s: the store %s: set it aside as %s/%s and started a "
	    "fresh store", st->dir, why, st->dir, name);
	return 0;
}

/* err says "DIR/data.mdb: damaged: what"; the note says "was damaged:
 * what". */
static int
set_aside_damaged(struct store *st, int dirfd, char *err, size_t errsz)
{
	char why[PATH_MAX + 256];
	const char *what = strstr(err, "damaged");

	snprintf(why, sizeof(why), "was %s", what != NULL ? what : "damaged");
	return set_aside(st, dirfd, "damaged", why, err, errsz);
}

/* Group members read: data.mdb readable, lock.mdb writable for their reader
 * slots (SCHEMA.md), whatever the umask.  By name in the directory, never
 * opened: closing any descriptor of lock.mdb would drop LMDB's fcntl locks
 * of this process, and the next process to open the store would think
 * itself alone and reset the lock file under us.  Fails harmlessly when
 * another user owns the files. */
static void
set_modes(int dirfd)
{
	static const struct {
		const char	*name;
		mode_t		 mode;
	} files[] = { { "data.mdb", 0640 }, { "lock.mdb", 0660 } };
	size_t i;
	int e;

	/* never through a link planted since secure_dir looked */
	if (store_unsafe_file(dirfd, &e) != NULL)
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		/* tested, not cast away: _FORTIFY_SOURCE (packages' builds)
		 * makes an unused result an error */
		if (fchmodat(dirfd, files[i].name, files[i].mode, 0) != 0)
			continue;
	}
}

/* Every page of every table, walked once: a writer about to live on the
 * store learns at start whether LMDB can read it, not at the first fault
 * in its loop (a supervisor would restart it into the same fault). */
static int
walk_tables(struct store *st)
{
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	size_t i;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0)
		return rc;
	for (i = 0; i < TBL_COUNT && rc == 0; i++) {
		if (!st->has[i])
			continue;
		if ((rc = mdb_cursor_open(txn, st->dbi[i], &cur)) != 0)
			break;
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
		    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
			;
		mdb_cursor_close(cur);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	mdb_txn_abort(txn);
	return rc;
}

/* The one place the libraries catch a signal: a writer opening a damaged
 * store, where LMDB may read past the file (SIGBUS), follow a garbled
 * pointer (SIGSEGV) or fail an assertion (SIGABRT).  Only while opening,
 * single-threaded, the caller's handlers put back after. */
static sigjmp_buf open_fault;

static void
open_faulted(int sig)
{
	siglongjmp(open_fault, sig);
}

static int
open_guarded(struct store *st, int dirfd, char *err, size_t errsz)
{
	static const int sigs[] = { SIGBUS, SIGSEGV, SIGABRT };
	struct sigaction sa, old[3];
	volatile int rc;
	int sig;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = open_faulted;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	if ((sig = sigsetjmp(open_fault, 1)) == 0) {
		rc = store_env_open(st, dirfd, write_tables, err, errsz);
		if (rc == 0 && (rc = walk_tables(st)) != 0) {
			snprintf(err, errsz, "%s/data.mdb: damaged: %s",
			    st->dir, mdb_strerror(rc));
			rc = STORE_CORRUPT;
		}
	} else {
		snprintf(err, errsz, "%s/data.mdb: damaged: reading it "
		    "faulted (%s)", st->dir, sig == SIGBUS ? "SIGBUS" :
		    sig == SIGSEGV ? "SIGSEGV" : "LMDB's own check failed");
		rc = STORE_CORRUPT;
	}
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (rc == STORE_CORRUPT && st->env != NULL) {
		mdb_env_close(st->env);
		st->env = NULL;
	}
	return rc;
}

/* Before LMDB opens anything: a writer as root takes back a directory an
 * earlier cadv gave its user (then nobody else can add or replace its
 * entries), and moves aside what is not a store file (a link planted while
 * the user had the directory: renaming moves the link, not what it points
 * to).  Any other writer opens only a directory of its own. */
static int
secure_dir(struct store *st, int dirfd, char *err, size_t errsz)
{
	const char *name;
	char aside[96];
	struct stat sb;
	uid_t me = geteuid();
	int e;

	if (fstat(dirfd, &sb) == -1) {
		e = errno;
		snprintf(err, errsz, "%s: %s", st->dir, strerror(e));
		return e;
	}
	if (sb.st_uid != me && me == 0) {
		if (fchown(dirfd, 0, sb.st_gid) == -1 ||
		    fchmod(dirfd, sb.st_mode & 0750) == -1) {
			e = errno;
			snprintf(err, errsz, "%s: taking the directory back "
			    "from uid %u: %s", st->dir, (unsigned)sb.st_uid,
			    strerror(e));
			return e;
		}
		store_note(st, "%s: the directory belonged to uid %u; it is "
		    "root's now", st->dir, (unsigned)sb.st_uid);
	} else if (sb.st_uid != me) {
		snprintf(err, errsz, "%s: belongs to uid %u: a writer opens "
		    "only a store directory of its own", st->dir,
		    (unsigned)sb.st_uid);
		return STORE_FOREIGN;
	}
	/* each moved aside is gone from under its name: the next one */
	while ((name = store_unsafe_file(dirfd, &e)) != NULL) {
		if (move_aside(dirfd, name, "unsafe", aside,
		    sizeof(aside)) == -1) {
			int e2 = errno;

			snprintf(err, errsz, "%s/%s: %s, not the store's file, "
			    "and it cannot be moved aside: %s", st->dir, name,
			    store_entry_what(e), strerror(e2));
			return STORE_UNSAFE;
		}
		store_note(st, "%s/%s: %s, not the store's file: moved aside "
		    "as %s/%s", st->dir, name, store_entry_what(e), st->dir,
		    aside);
	}
	return 0;
}

int
store_open(struct store **stp, const char *dir, char *err, size_t errsz)
{
	return store_open_sized(stp, dir, STORE_MAP_INITIAL, STORE_MAP_MAX,
	    err, errsz);
}

/* The store's directory, made if missing, opened (the directory itself,
 * not a link to one) and locked: writers open, upgrade or set aside one
 * at a time.  -1 with err. */
static int
dir_lock(const char *dir, int *rcp, char *err, size_t errsz)
{
	struct stat sb;
	int fd;

	if (stat(dir, &sb) == -1) {
		*rcp = errno;
		if (*rcp != ENOENT) {
			snprintf(err, errsz, "%s: %s", dir, strerror(*rcp));
			return -1;
		}
		/* Group-readable: readers in the store's group (SCHEMA.md). */
		/* EEXIST: another daemon made it a moment ago */
		if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
			*rcp = errno;
			snprintf(err, errsz, "cannot create store %s: %s", dir,
			    strerror(*rcp));
			return -1;
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		*rcp = ENOTDIR;
		snprintf(err, errsz, "%s: not a directory", dir);
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || flock(fd, LOCK_EX) == -1) {
		*rcp = errno;
		snprintf(err, errsz, "%s: %s", dir, *rcp == ELOOP ?
		    "a symbolic link: give the store's own path" :
		    strerror(*rcp));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

int
store_open_sized(struct store **stp, const char *dir, size_t map_initial,
    size_t map_max, char *err, size_t errsz)
{
	struct store *st;
	int rc, dirfd;

	*stp = NULL;
	if ((rc = store_new(&st, dir, 0, map_initial, map_max, err,
	    errsz)) != 0) {
		store_close(st);
		return rc;
	}
	if ((dirfd = dir_lock(dir, &rc, err, errsz)) == -1) {
		store_close(st);
		return rc;
	}
	if ((rc = secure_dir(st, dirfd, err, errsz)) != 0)
		goto fail;
	if ((rc = store_data_check(st, dirfd, err, errsz)) == STORE_CORRUPT)
		rc = set_aside_damaged(st, dirfd, err, errsz);
	if (rc != 0)
		goto fail;
	rc = open_guarded(st, dirfd, err, errsz);
	if (rc == STORE_SCHEMA) {
		char tag[32], why[96];

		snprintf(tag, sizeof(tag), "schema%u", st->found_version);
		snprintf(why, sizeof(why), "had schema %u, this cadv writes %d",
		    st->found_version, CADV_SCHEMA_VERSION);
		if ((rc = set_aside(st, dirfd, tag, why, err, errsz)) == 0)
			rc = store_env_open(st, dirfd, write_tables, err,
			    errsz);
	} else if (rc == STORE_CORRUPT &&
	    (rc = set_aside_damaged(st, dirfd, err, errsz)) == 0)
		rc = store_env_open(st, dirfd, write_tables, err, errsz);
	if (rc != 0)
		goto fail;
	set_modes(dirfd);
	store_opened(st, dirfd);	/* and a writer's flock goes with dirfd */
	*stp = st;
	return 0;
fail:
	close(dirfd);
	store_close(st);
	return rc == ENOENT ? STORE_NOSTORE : rc;
}
