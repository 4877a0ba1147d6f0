#include "store.h"

#include <bsd/string.h>
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "lockinfo.h"
#include "upgrade.h"

#define WRITE_RETRIES	8	/* map doublings tried for one transaction */

struct store {
	MDB_env		*env;
	MDB_dbi		 meta, containers, names, samples, latest, events, fs,
			 idents, minutes, diskio, diskstats, layers;
	int		 has_idents;	/* a reader of a store identd never
					 * wrote has no idents table */
	int		 has_minutes;	/* nor one collectord of before the
					 * summary never wrote, minutes */
	int		 has_diskio;	/* likewise, the samples' diskio */
	int		 has_diskstats;	/* nor, of before diskstats, that */
	int		 has_layers;	/* nor an identd of before layers */
	unsigned	 flags;
	size_t		 map_size, map_max;
	char		 dir[PATH_MAX];
	char		 corrupt[CGNAME_MAX + 256];
	int		 stale_at_open;	/* reader slots cleared by store_open */
	uint64_t	 commit_ns;	/* the last write's mdb_txn_commit */
	uint32_t	 found_version;	/* the schema open_tables found */
	struct upgrade_report upgraded;	/* .from != 0: store_open upgraded */
	char		 note[1024];	/* for store_take_note */
	int		 lockfd;	/* lock.mdb, read by store_writer_holder */
};

MDB_dbi
store_dbi(const struct store *st, enum store_table t)
{
	switch (t) {
	case ST_META:
		return st->meta;
	case ST_CONTAINERS:
		return st->containers;
	case ST_NAMES:
		return st->names;
	case ST_SAMPLES:
		return st->samples;
	case ST_LATEST:
		return st->latest;
	case ST_EVENTS:
		return st->events;
	case ST_IDENTS:
		return st->idents;
	case ST_MINUTES:
		return st->minutes;
	case ST_DISKIO:
		return st->diskio;
	case ST_DISKSTATS:
		return st->diskstats;
	case ST_LAYERS:
		return st->layers;
	case ST_FS:
		break;
	}
	return st->fs;
}

int
store_has(const struct store *st, enum store_table t)
{
	if (t == ST_IDENTS)
		return st->has_idents;
	if (t == ST_MINUTES)
		return st->has_minutes;
	if (t == ST_DISKIO)
		return st->has_diskio;
	if (t == ST_DISKSTATS)
		return st->has_diskstats;
	if (t == ST_LAYERS)
		return st->has_layers;
	return 1;
}

const char *
store_strerror(int rc)
{
	switch (rc) {
	case STORE_CORRUPT:
		return "store value is corrupt";
	case STORE_NOSTORE:
		return "no store";
	case STORE_SCHEMA:
		return "store has another schema version";
	case STORE_UPGRADING:
		return "store has an older schema version (a writer upgrades it)";
	case STORE_NOTCADV:
		return "not a cadv store";
	case STORE_FOREIGN:
		return "store directory belongs to another user";
	case STORE_UNSAFE:
		return "store file is not a regular file of its own";
	case STORE_AMBIGUOUS:
		return "more than one container goes by that name";
	}
	return mdb_strerror(rc);
}

const char *
store_error(const struct store *st, int rc)
{
	if (rc == STORE_CORRUPT && st != NULL && st->corrupt[0] != '\0')
		return st->corrupt;
	return store_strerror(rc);
}

uint64_t
store_last_commit_ns(const struct store *st)
{
	return st->commit_ns;
}

const char *
store_dir(const struct store *st)
{
	return st->dir;
}

const char *
store_corruption(const struct store *st)
{
	return st->corrupt;
}

int
store_corrupt(struct store *st, const char *table, const char *what,
    const char *why)
{
	snprintf(st->corrupt, sizeof(st->corrupt), "%s/data.mdb: table %s, %s: %s",
	    st->dir, table, what, why);
	return STORE_CORRUPT;
}

/* Something a program may want to log (the library prints nothing). */
static void
note(struct store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
note(struct store *st, const char *fmt, ...)
{
	size_t len = strlen(st->note);
	va_list ap;

	if (len > 0 && len + 2 < sizeof(st->note)) {
		memcpy(st->note + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(st->note + len, sizeof(st->note) - len, fmt, ap);
	va_end(ap);
}

const char *
store_take_note(struct store *st, char *out, size_t outsz)
{
	if (st->note[0] == '\0')
		return NULL;
	strlcpy(out, st->note, outsz);
	st->note[0] = '\0';
	return out;
}

static int
schema_put(struct store *st, MDB_txn *txn)
{
	uint32_t version = CADV_SCHEMA_VERSION;
	unsigned char le[4] = { version & 0xff, (version >> 8) & 0xff,
	    (version >> 16) & 0xff, version >> 24 };
	MDB_val k = { sizeof(META_SCHEMA) - 1, META_SCHEMA };
	MDB_val v = { sizeof(le), le };

	return mdb_put(txn, st->meta, &k, &v, 0);
}

static int
open_tables(struct store *st, MDB_txn *txn, char *err, size_t errsz)
{
	unsigned create = (st->flags & STORE_RDONLY) ? 0 : MDB_CREATE;
	MDB_dbi main;
	MDB_stat ms;
	MDB_val k = { sizeof(META_SCHEMA) - 1, META_SCHEMA }, v;
	uint32_t version;
	int rc;

	if ((rc = mdb_dbi_open(txn, NULL, 0, &main)) != 0 ||
	    (rc = mdb_stat(txn, main, &ms)) != 0) {
		snprintf(err, errsz, "%s: %s", st->dir, mdb_strerror(rc));
		return rc;
	}
	rc = mdb_dbi_open(txn, TBL_META, 0, &st->meta);
	if (rc == MDB_NOTFOUND && ms.ms_entries == 0 && create) {
		if ((rc = mdb_dbi_open(txn, TBL_META, MDB_CREATE,
		    &st->meta)) != 0 || (rc = schema_put(st, txn)) != 0)
			goto fail;
	} else if (rc == MDB_NOTFOUND) {
		snprintf(err, errsz, "%s: %s", st->dir, ms.ms_entries == 0 ?
		    "store is empty (has collectord ever run?)" :
		    "an LMDB environment without cadv's meta table");
		return ms.ms_entries == 0 ? STORE_NOSTORE : STORE_NOTCADV;
	} else if (rc != 0)
		goto fail;
	if ((rc = mdb_get(txn, st->meta, &k, &v)) != 0) {
		snprintf(err, errsz, "%s: meta table has no schema version",
		    st->dir);
		return STORE_NOTCADV;
	}
	if (v.mv_size != 4) {
		snprintf(err, errsz, "%s/data.mdb: schema version is %zu bytes,"
		    " not 4", st->dir, v.mv_size);
		return STORE_CORRUPT;
	}
	version = val_u32_get(v.mv_data);
	st->found_version = version;
	if (version != CADV_SCHEMA_VERSION && (!create ||
	    version > CADV_SCHEMA_VERSION || version < SCHEMA_UPGRADE_MIN)) {
		snprintf(err, errsz, "%s: store has schema version %u, this "
		    "cadv reads version %d (%s)", st->dir, version,
		    CADV_SCHEMA_VERSION, version > CADV_SCHEMA_VERSION ?
		    "written by a newer cadv" : create ? "too old to upgrade" :
		    "collectord or eventd upgrades it when it starts");
		/* a reader that can wait (exporterd) waits for the writer */
		return !create && version < CADV_SCHEMA_VERSION &&
		    version >= SCHEMA_UPGRADE_MIN ? STORE_UPGRADING :
		    STORE_SCHEMA;
	}
	if ((rc = mdb_dbi_open(txn, TBL_CONTAINERS, create,
	    &st->containers)) != 0 ||
	    (rc = mdb_dbi_open(txn, TBL_NAMES,
	    create | MDB_DUPSORT | MDB_DUPFIXED, &st->names)) != 0 ||
	    (rc = mdb_dbi_open(txn, TBL_SAMPLES, create, &st->samples)) != 0 ||
	    (rc = mdb_dbi_open(txn, TBL_LATEST, create, &st->latest)) != 0 ||
	    (rc = mdb_dbi_open(txn, TBL_EVENTS, create, &st->events)) != 0 ||
	    (rc = mdb_dbi_open(txn, TBL_FS, create, &st->fs)) != 0)
		goto fail;
	/* an addition to schema 5: absent until a writer of this version
	 * opened the store */
	rc = mdb_dbi_open(txn, TBL_IDENTS, create, &st->idents);
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	st->has_idents = rc == 0;
	/* likewise (the summary's minutes) */
	rc = mdb_dbi_open(txn, TBL_MINUTES, create, &st->minutes);
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	st->has_minutes = rc == 0;
	/* likewise (the samples' device extras) */
	rc = mdb_dbi_open(txn, TBL_DISKIO, create, &st->diskio);
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	st->has_diskio = rc == 0;
	/* likewise (the root's filesystems' /proc/diskstats) */
	rc = mdb_dbi_open(txn, TBL_DISKSTATS, create, &st->diskstats);
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	st->has_diskstats = rc == 0;
	/* likewise (identd's measures of writable layers) */
	rc = mdb_dbi_open(txn, TBL_LAYERS, create, &st->layers);
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	st->has_layers = rc == 0;
	if (version == CADV_SCHEMA_VERSION)
		return 0;
	if ((rc = store_upgrade(st, txn, version, &st->upgraded)) != 0 ||
	    (rc = schema_put(st, txn)) != 0) {
		snprintf(err, errsz, "%s: upgrading from schema %u to %d: %s",
		    st->dir, version, CADV_SCHEMA_VERSION, mdb_strerror(rc));
		return rc;
	}
	note(st, "%s: upgraded the store from schema %u to %d: kept %zu "
	    "events and %zu live containers, dropped %zu deleted or bad "
	    "container records, %zu bad events and %zu samples", st->dir,
	    version, CADV_SCHEMA_VERSION, st->upgraded.events_kept,
	    st->upgraded.containers_kept, st->upgraded.containers_dropped,
	    st->upgraded.events_dropped, st->upgraded.samples_dropped);
	return 0;
fail:
	snprintf(err, errsz, "%s: opening tables: %s", st->dir,
	    mdb_strerror(rc));
	return rc == MDB_NOTFOUND ? STORE_CORRUPT : rc;
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
	note(st, "%s: the store %s: set it aside as %s/%s and started a "
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

/* A file of the store as the directory holds it: a regular file with one
 * link, never followed out of the directory.  -1 with errno (ELOOP for a
 * symbolic link, EMLINK for a hard link, EINVAL for anything else). */
static int
entry_check(int dirfd, const char *name)
{
	struct stat sb;

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (S_ISLNK(sb.st_mode))
		errno = ELOOP;
	else if (!S_ISREG(sb.st_mode))
		errno = EINVAL;
	else if (sb.st_nlink != 1)
		errno = EMLINK;
	else
		return 0;
	return -1;
}

static const char *
entry_what(int e)
{
	switch (e) {
	case ELOOP:
		return "a symbolic link";
	case EMLINK:
		return "a file with other hard links";
	case EINVAL:
		return "not a regular file";
	}
	return strerror(e);
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

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (entry_check(dirfd, files[i].name) != 0)
			continue;
		/* tested, not cast away: _FORTIFY_SOURCE (packages' builds)
		 * makes an unused result an error */
		if (fchmodat(dirfd, files[i].name, files[i].mode, 0) != 0)
			continue;
	}
}

/* Before LMDB opens anything: a writer as root takes back a directory an
 * earlier cadv gave its user (then nobody else can add or replace its
 * entries), and moves aside what is not a store file (a link planted while
 * the user had the directory: renaming moves the link, not what it points
 * to); a reader refuses such a file.  Root reads a directory only when
 * root owns it (STORE_FOREIGN: read it as its owner). */
static int
secure_dir(struct store *st, int dirfd, char *err, size_t errsz)
{
	static const char *const names[] = { "data.mdb", "lock.mdb" };
	char aside[96];
	struct stat sb;
	uid_t me = geteuid();
	size_t i;
	int writer = !(st->flags & STORE_RDONLY), e;

	if (fstat(dirfd, &sb) == -1) {
		e = errno;
		snprintf(err, errsz, "%s: %s", st->dir, strerror(e));
		return e;
	}
	if (sb.st_uid != me && me == 0 && writer) {
		if (fchown(dirfd, 0, sb.st_gid) == -1 ||
		    fchmod(dirfd, sb.st_mode & 0750) == -1) {
			e = errno;
			snprintf(err, errsz, "%s: taking the directory back "
			    "from uid %u: %s", st->dir, (unsigned)sb.st_uid,
			    strerror(e));
			return e;
		}
		note(st, "%s: the directory belonged to uid %u; it is root's "
		    "now", st->dir, (unsigned)sb.st_uid);
	} else if (sb.st_uid != me && (me == 0 || writer)) {
		snprintf(err, errsz, "%s: belongs to uid %u: %s", st->dir,
		    (unsigned)sb.st_uid, writer ? "a writer opens only a "
		    "store directory of its own" : "root reads a store another "
		    "user owns only as that user");
		return STORE_FOREIGN;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (entry_check(dirfd, names[i]) == 0 || errno == ENOENT)
			continue;
		e = errno;
		if (!writer) {
			snprintf(err, errsz, "%s/%s: %s, not the store's file: "
			    "refusing to open it", st->dir, names[i],
			    entry_what(e));
			return STORE_UNSAFE;
		}
		if (move_aside(dirfd, names[i], "unsafe", aside,
		    sizeof(aside)) == -1) {
			e = errno;
			snprintf(err, errsz, "%s/%s: %s, not the store's file, "
			    "and it cannot be moved aside: %s", st->dir,
			    names[i], entry_what(e), strerror(e));
			return STORE_UNSAFE;
		}
		note(st, "%s/%s: %s, not the store's file: moved aside as "
		    "%s/%s", st->dir, names[i], entry_what(e), st->dir, aside);
	}
	return 0;
}

int
store_open(struct store **stp, const char *dir, unsigned flags, char *err,
    size_t errsz)
{
	return store_open_sized(stp, dir, flags, STORE_MAP_INITIAL,
	    STORE_MAP_MAX, err, errsz);
}

/* LMDB's meta pages, as its data file begins (lmdb.h's format 1 on a
 * 64-bit machine): a page header, then magic, version, address, map size,
 * two database records (the first's pad is the page size, each ends with
 * its root page), the last page used and the transaction id. */
enum {
	META_AT_MAGIC = 16, META_AT_VERSION = 20, META_AT_PSIZE = 40,
	META_AT_ROOT0 = 80, META_AT_ROOT1 = 128, META_AT_LASTPG = 136,
	META_AT_TXNID = 144, META_LEN = 152, LMDB_DATA_VERSION = 1,
};

/* Before LMDB maps data.mdb: a file shorter than its newest meta page says
 * would fault (SIGBUS) at the first read of a missing page.  0 when the
 * file is absent, empty or whole; STORE_CORRUPT with what is wrong. */
static int
data_check(struct store *st, int dirfd, char *err, size_t errsz)
{
	unsigned char m[2][META_LEN];
	uint64_t best_txn = 0, last = 0, psize = 0, r0 = 0, r1 = 0;
	struct stat sb;
	int fd, i, found = 0, e;

	if ((fd = openat(dirfd, "data.mdb", O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : errno;
	if (fstat(fd, &sb) == -1 || sb.st_size == 0) {
		e = sb.st_size == 0 ? 0 : errno;
		close(fd);
		return e;
	}
	/* meta 0 gives the page size meta 1 sits at */
	if (pread(fd, m[0], META_LEN, 0) == META_LEN)
		psize = val_u32_get(m[0] + META_AT_PSIZE);
	if (psize < 512 || psize > 65536 || (psize & (psize - 1)) != 0)
		psize = (uint64_t)sysconf(_SC_PAGESIZE);
	if (pread(fd, m[1], META_LEN, (off_t)psize) != META_LEN)
		memset(m[1], 0, META_LEN);
	close(fd);
	for (i = 0; i < 2; i++) {
		if (val_u32_get(m[i] + META_AT_MAGIC) != LMDB_MAGIC ||
		    val_u32_get(m[i] + META_AT_VERSION) != LMDB_DATA_VERSION)
			continue;
		if (!found || val_u64_get(m[i] + META_AT_TXNID) > best_txn) {
			best_txn = val_u64_get(m[i] + META_AT_TXNID);
			last = val_u64_get(m[i] + META_AT_LASTPG);
			r0 = val_u64_get(m[i] + META_AT_ROOT0);
			r1 = val_u64_get(m[i] + META_AT_ROOT1);
		}
		found = 1;
	}
	if (!found) {
		snprintf(err, errsz, "%s/data.mdb: damaged: neither meta page "
		    "is LMDB's", st->dir);
		return STORE_CORRUPT;
	}
	if (last > (uint64_t)sb.st_size / psize - 1) {
		snprintf(err, errsz, "%s/data.mdb: damaged: %lld bytes, but "
		    "its last page (%llu) ends at %llu", st->dir,
		    (long long)sb.st_size, (unsigned long long)last,
		    (unsigned long long)((last + 1) * psize));
		return STORE_CORRUPT;
	}
	if ((r0 != UINT64_MAX && r0 > last) || (r1 != UINT64_MAX && r1 > last)) {
		snprintf(err, errsz, "%s/data.mdb: damaged: a root page past "
		    "the last page (%llu)", st->dir, (unsigned long long)last);
		return STORE_CORRUPT;
	}
	return 0;
}

/* The environment and its tables, LMDB's files opened through dirfd (a
 * path swapped under us is not followed); on failure st->env is closed. */
static int
env_open(struct store *st, int dirfd, char *err, size_t errsz)
{
	const char *dir = st->dir;
	unsigned flags = st->flags;
	char via[64];
	struct stat sb;
	MDB_envinfo info;
	MDB_txn *txn;
	int rc, dead;

	if ((rc = mdb_env_create(&st->env)) != 0) {
		snprintf(err, errsz, "mdb_env_create: %s", mdb_strerror(rc));
		st->env = NULL;
		return rc;
	}
	mdb_env_set_maxdbs(st->env, TBL_COUNT + 2);
	mdb_env_set_maxreaders(st->env, 254);
	if (!(flags & STORE_RDONLY))
		mdb_env_set_mapsize(st->env, st->map_size);
	/* A writer syncs once a commit, not twice (MDB_NOMETASYNC): an OS
	 * crash may undo the last transaction but never corrupts, and the
	 * default store is on /run, gone at a reboot anyway. */
	snprintf(via, sizeof(via), "/proc/self/fd/%d", dirfd);
	rc = mdb_env_open(st->env, stat(via, &sb) == 0 ? via : dir,
	    MDB_NOTLS | ((flags & STORE_RDONLY) ? MDB_RDONLY : MDB_NOMETASYNC),
	    0660);
	if (rc != 0) {
		if (rc == ENOENT)
			snprintf(err, errsz, "%s: no store here (is collectord "
			    "running?)", dir);
		else if (rc == EACCES && (flags & STORE_RDONLY))
			snprintf(err, errsz, "%s: permission denied (readers "
			    "need read access to data.mdb and write access to "
			    "lock.mdb: join the store's group)", dir);
		else if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH)
			snprintf(err, errsz, "%s/data.mdb: %s", dir,
			    mdb_strerror(rc));
		else
			snprintf(err, errsz, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	if (!(flags & STORE_RDONLY))
		set_modes(dirfd);
	mdb_reader_check(st->env, &dead);
	st->stale_at_open += dead;
	if (dead > 0)
		note(st, "%s: cleared %d stale reader slot%s", dir, dead,
		    dead == 1 ? "" : "s");
	if ((rc = mdb_txn_begin(st->env, NULL,
	    (flags & STORE_RDONLY) ? MDB_RDONLY : 0, &txn)) != 0) {
		snprintf(err, errsz, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	if ((rc = open_tables(st, txn, err, errsz)) != 0) {
		mdb_txn_abort(txn);
		goto fail;
	}
	if ((rc = mdb_txn_commit(txn)) != 0) {
		snprintf(err, errsz, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	if (mdb_env_info(st->env, &info) == 0)
		st->map_size = info.me_mapsize;
	return 0;
fail:
	mdb_env_close(st->env);
	st->env = NULL;
	return rc;
}

/* Every page of every table, walked once: a writer about to live on the
 * store learns at start whether LMDB can read it, not at the first fault
 * in its loop (a supervisor would restart it into the same fault). */
static int
walk_tables(struct store *st)
{
	MDB_dbi dbi[TBL_COUNT] = { st->meta, st->containers, st->names,
	    st->samples, st->latest, st->events, st->fs, st->idents,
	    st->minutes, st->diskio, st->diskstats, st->layers };
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	size_t i;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0)
		return rc;
	for (i = 0; i < TBL_COUNT && rc == 0; i++) {
		if ((rc = mdb_cursor_open(txn, dbi[i], &cur)) != 0)
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
		rc = env_open(st, dirfd, err, errsz);
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

int
store_open_sized(struct store **stp, const char *dir, unsigned flags,
    size_t map_initial, size_t map_max, char *err, size_t errsz)
{
	struct store *st;
	struct stat sb;
	int rc, dirfd = -1;

	*stp = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return ENOMEM;
	}
	st->lockfd = -1;
	st->flags = flags;
	st->map_size = map_initial;
	st->map_max = map_max < map_initial ? map_initial : map_max;
	if (strlcpy(st->dir, dir, sizeof(st->dir)) >= sizeof(st->dir)) {
		snprintf(err, errsz, "store path too long");
		free(st);
		return ENAMETOOLONG;
	}
	if (stat(dir, &sb) == -1) {
		rc = errno;
		if (rc != ENOENT || (flags & STORE_RDONLY)) {
			snprintf(err, errsz, "%s: %s", dir, rc == ENOENT ?
			    "no store here (is collectord running?)" :
			    strerror(rc));
			free(st);
			return rc == ENOENT ? STORE_NOSTORE : rc;
		}
		/* Group-readable: readers in the store's group (SCHEMA.md). */
		/* EEXIST: another daemon made it a moment ago */
		if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
			rc = errno;
			snprintf(err, errsz, "cannot create store %s: %s", dir,
			    strerror(rc));
			free(st);
			return rc;
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "%s: not a directory", dir);
		free(st);
		return ENOTDIR;
	}
	/* The directory itself, not a link to one; writers open, upgrade or
	 * set aside one at a time. */
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || (!(flags & STORE_RDONLY) &&
	    flock(dirfd, LOCK_EX) == -1)) {
		rc = errno;
		snprintf(err, errsz, "%s: %s", dir, rc == ELOOP ?
		    "a symbolic link: give the store's own path" :
		    strerror(rc));
		goto fail;
	}
	if ((rc = secure_dir(st, dirfd, err, errsz)) != 0)
		goto fail;
	if ((rc = data_check(st, dirfd, err, errsz)) == STORE_CORRUPT &&
	    !(flags & STORE_RDONLY))
		rc = set_aside_damaged(st, dirfd, err, errsz);
	if (rc != 0)
		goto fail;
	rc = (flags & STORE_RDONLY) ? env_open(st, dirfd, err, errsz) :
	    open_guarded(st, dirfd, err, errsz);
	if (rc == STORE_SCHEMA && !(flags & STORE_RDONLY)) {
		char tag[32], why[96];

		snprintf(tag, sizeof(tag), "schema%u", st->found_version);
		snprintf(why, sizeof(why), "had schema %u, this cadv writes %d",
		    st->found_version, CADV_SCHEMA_VERSION);
		if ((rc = set_aside(st, dirfd, tag, why, err, errsz)) == 0)
			rc = env_open(st, dirfd, err, errsz);
	} else if (rc == STORE_CORRUPT && !(flags & STORE_RDONLY) &&
	    (rc = set_aside_damaged(st, dirfd, err, errsz)) == 0)
		rc = env_open(st, dirfd, err, errsz);
	if (rc != 0)
		goto fail;
	/* kept open until the environment is closed (see set_modes) */
	st->lockfd = openat(dirfd, "lock.mdb", O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC);
	close(dirfd);	/* and a writer's flock with it */
	*stp = st;
	return 0;
fail:
	if (dirfd != -1)
		close(dirfd);
	free(st);
	if (rc == ENOENT)
		rc = STORE_NOSTORE;
	return rc;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	mdb_env_close(st->env);
	if (st->lockfd != -1)
		close(st->lockfd);
	free(st);
}

static int
txn_begin(struct store *st, unsigned flags, MDB_txn **txn)
{
	int rc, tries, dead;

	for (tries = 0; tries < 3; tries++) {
		rc = mdb_txn_begin(st->env, NULL, flags, txn);
		if (rc == MDB_MAP_RESIZED) {
			/* Another process grew the map: adopt its size. */
			if ((rc = mdb_env_set_mapsize(st->env, 0)) != 0)
				return rc;
			continue;
		}
		if (rc == MDB_READERS_FULL) {
			mdb_reader_check(st->env, &dead);
			continue;
		}
		return rc;
	}
	return rc;
}

int
store_read_begin(struct store *st, MDB_txn **txn)
{
	return txn_begin(st, MDB_RDONLY, txn);
}

void
store_read_end(MDB_txn *txn)
{
	if (txn != NULL)
		mdb_txn_abort(txn);
}

static int
grow(struct store *st)
{
	MDB_envinfo info;
	size_t next;
	int rc;

	if (mdb_env_info(st->env, &info) == 0)
		st->map_size = info.me_mapsize;
	if (st->map_size >= st->map_max)
		return MDB_MAP_FULL;
	next = st->map_size > st->map_max / 2 ? st->map_max : st->map_size * 2;
	if ((rc = mdb_env_set_mapsize(st->env, next)) != 0)
		return rc;
	note(st, "%s: map grown to %zu MiB", st->dir, next >> 20);
	st->map_size = next;
	return 0;
}

int
store_write(struct store *st, store_write_fn fn, void *arg)
{
	MDB_txn *txn;
	int rc, tries;

	if (st->flags & STORE_RDONLY)
		return EROFS;
	for (tries = 0; tries <= WRITE_RETRIES; tries++) {
		if ((rc = txn_begin(st, 0, &txn)) != 0)
			return rc;
		rc = fn(st, txn, arg);
		if (rc != 0) {
			mdb_txn_abort(txn);
		} else {
			uint64_t t0 = clock_mono_ns();

			rc = mdb_txn_commit(txn);
			st->commit_ns = clock_mono_ns() - t0;
		}
		if (rc != MDB_MAP_FULL)
			return rc;
		if ((rc = grow(st)) != 0)
			return rc;
	}
	return MDB_MAP_FULL;
}

/* meta */

int
store_meta_get_u64(struct store *st, MDB_txn *txn, const char *key,
    uint64_t *out)
{
	MDB_val k = { strlen(key), (void *)(uintptr_t)key }, v;
	int rc;

	if ((rc = mdb_get(txn, st->meta, &k, &v)) != 0)
		return rc;
	if (v.mv_size != 8)
		return store_corrupt(st, TBL_META, key, "value is not 8 bytes");
	*out = val_u64_get(v.mv_data);
	return 0;
}

int
store_meta_put_u64(struct store *st, MDB_txn *txn, const char *key,
    uint64_t val)
{
	unsigned char buf[8];
	MDB_val k = { strlen(key), (void *)(uintptr_t)key }, v = { 8, buf };

	val_u64(buf, val);
	return mdb_put(txn, st->meta, &k, &v, 0);
}

int
store_meta_put_blob(struct store *st, MDB_txn *txn, const char *key,
    const void *data, size_t len)
{
	MDB_val k = { strlen(key), (void *)(uintptr_t)key };
	MDB_val v = { len, (void *)(uintptr_t)data };

	return mdb_put(txn, st->meta, &k, &v, 0);
}

int
store_meta_get_blob(struct store *st, MDB_txn *txn, const char *key,
    const void **data, size_t *len)
{
	MDB_val k = { strlen(key), (void *)(uintptr_t)key }, v;
	int rc;

	if ((rc = mdb_get(txn, st->meta, &k, &v)) != 0)
		return rc;
	*data = v.mv_data;
	*len = v.mv_size;
	return 0;
}

static int
heartbeat_key(char *buf, size_t sz, const char *daemon)
{
	if ((size_t)snprintf(buf, sz, "%s%s", META_HEARTBEAT, daemon) >= sz)
		return EINVAL;
	return 0;
}

int
store_heartbeat_put(struct store *st, MDB_txn *txn, const char *daemon,
    uint64_t ts)
{
	char key[64];

	if (heartbeat_key(key, sizeof(key), daemon) != 0)
		return EINVAL;
	return store_meta_put_u64(st, txn, key, ts);
}

int
store_heartbeat_get(struct store *st, MDB_txn *txn, const char *daemon,
    uint64_t *ts)
{
	char key[64];

	if (heartbeat_key(key, sizeof(key), daemon) != 0)
		return EINVAL;
	return store_meta_get_u64(st, txn, key, ts);
}

/* containers */

static int
decode_container(struct store *st, const MDB_val *k, const MDB_val *v,
    struct cadv_container *c)
{
	const char *why;
	char what[64];

	if (k->mv_size != U64_KEY_LEN)
		return store_corrupt(st, TBL_CONTAINERS, "a key", "key is not 8 bytes");
	c->id = key_u64_get(k->mv_data);
	if (container_decode(v->mv_data, v->mv_size, c, &why) == -1) {
		snprintf(what, sizeof(what), "id %llu",
		    (unsigned long long)c->id);
		return store_corrupt(st, TBL_CONTAINERS, what, why);
	}
	return 0;
}

int
store_container_get(struct store *st, MDB_txn *txn, uint64_t id,
    struct cadv_container *c)
{
	unsigned char kb[U64_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	key_u64(kb, id);
	if ((rc = mdb_get(txn, st->containers, &k, &v)) != 0)
		return rc;
	return decode_container(st, &k, &v, c);
}

int
store_container_find(struct store *st, MDB_txn *txn, const char *name,
    size_t len, struct cadv_container *c)
{
	unsigned char hk[U64_KEY_LEN];
	MDB_val k = { sizeof(hk), hk }, v;
	MDB_cursor *cur;
	int rc;

	key_u64(hk, cgname_hash(name, len));
	if ((rc = mdb_cursor_open(txn, st->names, &cur)) != 0)
		return rc;
	/* Several names may share a hash: compare each candidate's name. */
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP)) {
		if (v.mv_size != U64_KEY_LEN) {
			rc = store_corrupt(st, TBL_NAMES, "a value", "id is not 8 bytes");
			break;
		}
		rc = store_container_get(st, txn, key_u64_get(v.mv_data), c);
		if (rc == MDB_NOTFOUND) {
			rc = store_corrupt(st, TBL_NAMES, "an entry",
			    "names a container that does not exist");
			break;
		}
		if (rc != 0)
			break;
		if (c->name_len == len && memcmp(c->name, name, len) == 0)
			break;
	}
	mdb_cursor_close(cur);
	return rc;
}

static int
container_write(struct store *st, MDB_txn *txn, const struct cadv_container *c,
    unsigned flags)
{
	unsigned char kb[U64_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	size_t need = CONTAINER_HDR + 8 * CADV_SP_COUNT + c->name_len + c->mask_len;
	int rc;

	if (!cgname_valid(c->name, c->name_len) ||
	    c->mask_len >= sizeof(c->cpu_mask))
		return EINVAL;
	key_u64(kb, c->id);
	v.mv_size = need;
	if ((rc = mdb_put(txn, st->containers, &k, &v, flags | MDB_RESERVE)) != 0)
		return rc;
	if (container_encode(c, v.mv_data, v.mv_size) != need)
		return EINVAL;
	return 0;
}

int
store_container_add(struct store *st, MDB_txn *txn, struct cadv_container *c)
{
	unsigned char hk[U64_KEY_LEN], idb[U64_KEY_LEN];
	MDB_val k = { sizeof(hk), hk }, v = { sizeof(idb), idb };
	uint64_t next = 1;
	int rc;

	rc = store_meta_get_u64(st, txn, META_NEXT_ID, &next);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	c->id = next;
	if ((rc = container_write(st, txn, c, MDB_NOOVERWRITE)) != 0)
		return rc;
	key_u64(hk, cgname_hash(c->name, c->name_len));
	key_u64(idb, c->id);
	if ((rc = mdb_put(txn, st->names, &k, &v, MDB_NODUPDATA)) != 0)
		return rc;
	return store_meta_put_u64(st, txn, META_NEXT_ID, next + 1);
}

int
store_container_put(struct store *st, MDB_txn *txn, const struct cadv_container *c)
{
	return container_write(st, txn, c, 0);
}

int
store_container_del(struct store *st, MDB_txn *txn, const struct cadv_container *c)
{
	unsigned char kb[U64_KEY_LEN], hk[U64_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, hkey = { sizeof(hk), hk };
	MDB_val idv = { sizeof(kb), kb };
	size_t n;
	int rc;

	if ((rc = store_samples_prune(st, txn, c->id, UINT64_MAX, &n)) != 0)
		return rc;
	key_u64(kb, c->id);
	key_u64(hk, cgname_hash(c->name, c->name_len));
	rc = mdb_del(txn, st->names, &hkey, &idv);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	rc = mdb_del(txn, st->latest, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	return mdb_del(txn, st->containers, &k, NULL);
}

int
store_containers_each(struct store *st, MDB_txn *txn, store_container_cb cb,
    void *arg)
{
	struct cadv_container *c;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((c = malloc(sizeof(*c))) == NULL)
		return ENOMEM;
	if ((rc = mdb_cursor_open(txn, st->containers, &cur)) != 0) {
		free(c);
		return rc;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((rc = decode_container(st, &k, &v, c)) != 0)
			break;
		if ((rc = cb(c, arg)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	free(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* samples
 *
 * Time-major: a round of collectord's (one write transaction) appends its
 * samples at the end of the tree in container-id order, and retention cuts
 * whole pages off the front, so a tick dirties a few pages instead of one
 * leaf per container.  One container's series is found round by round
 * (two seeks a round), its newest through the latest table.  A round's
 * key is at most the time of any sample in it and above the time of every
 * sample in the rounds before it. */

static int
decode_sample(struct store *st, const MDB_val *k, const MDB_val *v,
    uint64_t *round, uint64_t *id, uint64_t *ts, struct cadv_sample *s)
{
	const char *why = NULL;
	char what[80];

	if (k->mv_size != SAMPLE_KEY_LEN)
		return store_corrupt(st, TBL_SAMPLES, "a key", "key is not 16 bytes");
	*round = key_u64_get(k->mv_data);
	*id = key_u64_get((const unsigned char *)k->mv_data + 8);
	if (v->mv_size < SAMPLE_TS_LEN)
		why = "value has no timestamp";
	else {
		*ts = val_u64_get(v->mv_data);
		if (s != NULL && sample_decode((const unsigned char *)
		    v->mv_data + SAMPLE_TS_LEN, v->mv_size - SAMPLE_TS_LEN, s,
		    &why) == 0)
			why = NULL;
	}
	if (why == NULL)
		return 0;
	/* named only when wrong: this runs for every sample walked */
	snprintf(what, sizeof(what), "container %llu in round %llu",
	    (unsigned long long)*id, (unsigned long long)*round);
	return store_corrupt(st, TBL_SAMPLES, what, why);
}

/* A sample's device extras, from table diskio under its key: none stored
 * (or no table) leaves none. */
static int
diskio_get(struct store *st, MDB_txn *txn, const MDB_val *key,
    struct cadv_sample *s)
{
	MDB_val k = *key, v;
	const char *why = NULL;
	char what[80];
	int rc;

	sample_xio_clear(s);
	if (!st->has_diskio || s->nblk == 0)
		return 0;
	if ((rc = mdb_get(txn, st->diskio, &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if (diskio_decode(v.mv_data, v.mv_size, s, &why) == 0)
		return 0;
	snprintf(what, sizeof(what), "container %llu in round %llu",
	    (unsigned long long)key_u64_get((const unsigned char *)
	    key->mv_data + 8), (unsigned long long)key_u64_get(key->mv_data));
	return store_corrupt(st, TBL_DISKIO, what, why);
}

/* With a sample goes its diskio record. */
static int
diskio_del(struct store *st, MDB_txn *txn, const MDB_val *key)
{
	MDB_val k = *key;
	int rc;

	if (!st->has_diskio)
		return 0;
	rc = mdb_del(txn, st->diskio, &k, NULL);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* A whole sample's extras (tools' store_sample_put), replacing any. */
static int
diskio_put(struct store *st, MDB_txn *txn, const MDB_val *key,
    const struct cadv_sample *s)
{
	MDB_val k = *key, v;
	unsigned char *buf;
	int rc;

	if (!st->has_diskio)
		return 0;
	if ((buf = malloc(DISKIO_VALUE_MAX)) == NULL)
		return ENOMEM;
	v.mv_data = buf;
	if ((v.mv_size = diskio_encode(s, buf, DISKIO_VALUE_MAX)) == 0)
		rc = diskio_del(st, txn, key);
	else
		rc = mdb_put(txn, st->diskio, &k, &v, 0);
	free(buf);
	return rc;
}

int
store_diskio_append(struct store *st, MDB_txn *txn, uint64_t round,
    uint64_t id, const void *enc, size_t len)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { len, (void *)enc };
	int rc;

	if (!st->has_diskio)
		return 0;
	key_sample(kb, round, id);
	/* on the end, as the samples (full pages); a stray later key left
	 * by a damaged past is no reason to lose the round */
	if ((rc = mdb_put(txn, st->diskio, &k, &v, MDB_APPEND)) != MDB_KEYEXIST)
		return rc;
	return mdb_put(txn, st->diskio, &k, &v, 0);
}

static int
latest_get(struct store *st, MDB_txn *txn, uint64_t id, uint64_t *round)
{
	unsigned char kb[U64_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	key_u64(kb, id);
	if ((rc = mdb_get(txn, st->latest, &k, &v)) != 0)
		return rc;
	if (v.mv_size != 8)
		return store_corrupt(st, TBL_LATEST, "a record", "value is not 8 bytes");
	*round = val_u64_get(v.mv_data);
	return 0;
}

static int
latest_put(struct store *st, MDB_txn *txn, uint64_t id, uint64_t round)
{
	unsigned char kb[U64_KEY_LEN], vb[8];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	key_u64(kb, id);
	val_u64(vb, round);
	return mdb_put(txn, st->latest, &k, &v, 0);
}

static int
sample_write(struct store *st, MDB_txn *txn, uint64_t round, uint64_t id,
    uint64_t ts, const struct cadv_sample *s, const void *enc, size_t len,
    unsigned flags)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	if (len > SAMPLE_VALUE_MAX)
		return EINVAL;
	key_sample(kb, round, id);
	v.mv_size = SAMPLE_TS_LEN + len;
	if ((rc = mdb_put(txn, st->samples, &k, &v, flags | MDB_RESERVE)) != 0)
		return rc;
	val_u64(v.mv_data, ts);
	if (s == NULL) {
		memcpy((unsigned char *)v.mv_data + SAMPLE_TS_LEN, enc, len);
		return 0;
	}
	if (sample_encode(s, (unsigned char *)v.mv_data + SAMPLE_TS_LEN,
	    len) != len)
		return EINVAL;
	return diskio_put(st, txn, &k, s);
}

int
store_sample_put(struct store *st, MDB_txn *txn, uint64_t id, uint64_t ts,
    const struct cadv_sample *s)
{
	uint64_t newest;
	int rc;

	/* a round of its own, keyed by the sample's time */
	if ((rc = sample_write(st, txn, ts, id, ts, s, NULL,
	    sample_encoded_size(s), 0)) != 0)
		return rc;
	rc = latest_get(st, txn, id, &newest);
	if (rc == 0 && newest >= ts)
		return 0;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	return latest_put(st, txn, id, ts);
}

int
store_round_begin(struct store *st, MDB_txn *txn, uint64_t first_ts,
    uint64_t *round)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t last, id, ts;
	int rc;

	*round = first_ts;
	if ((rc = mdb_cursor_open(txn, st->samples, &cur)) != 0)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0)
		rc = decode_sample(st, &k, &v, &last, &id, &ts, NULL);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	/* a clock stepped back: keys go on ascending */
	if (last == UINT64_MAX)
		return EOVERFLOW;
	if (*round <= last)
		*round = last + 1;
	return 0;
}

int
store_sample_append(struct store *st, MDB_txn *txn, uint64_t round,
    uint64_t id, uint64_t ts, const void *enc, size_t len)
{
	int rc;

	if ((rc = sample_write(st, txn, round, id, ts, NULL, enc, len,
	    MDB_APPEND)) != 0)
		return rc;
	return latest_put(st, txn, id, round);
}

int
store_sample_latest(struct store *st, MDB_txn *txn, uint64_t id,
    uint64_t *ts, struct cadv_sample *s)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	uint64_t round, kid;
	int rc;

	if ((rc = latest_get(st, txn, id, &round)) != 0)
		return rc;
	key_sample(kb, round, id);
	if ((rc = mdb_get(txn, st->samples, &k, &v)) != 0)
		return rc;	/* pruned: nothing as recent as retention */
	if ((rc = decode_sample(st, &k, &v, &round, &kid, ts, s)) != 0)
		return rc;
	/* s NULL: the time alone */
	return s != NULL ? diskio_get(st, txn, &k, s) : 0;
}

/* One container's samples in rounds r0..r1, oldest first: seek (round, id);
 * a landing in a later round is sought again there. */
typedef int (*round_fn)(struct store *, MDB_cursor *, const MDB_val *k,
    const MDB_val *v, void *arg);

static int
series_walk(struct store *st, MDB_cursor *cur, uint64_t id, uint64_t r0,
    uint64_t r1, round_fn fn, void *arg)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k, v;
	uint64_t r = r0, kr, kid;
	int rc;

	for (;;) {
		key_sample(kb, r, id);
		k.mv_size = sizeof(kb);
		k.mv_data = kb;
		if ((rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE)) != 0)
			return rc == MDB_NOTFOUND ? 0 : rc;
		if (k.mv_size != SAMPLE_KEY_LEN)
			return store_corrupt(st, TBL_SAMPLES, "a key",
			    "key is not 16 bytes");
		kr = key_u64_get(k.mv_data);
		kid = key_u64_get((const unsigned char *)k.mv_data + 8);
		if (kr > r1)
			return 0;
		if (kr != r) {
			r = kr;
			continue;
		}
		if (kid == id && (rc = fn(st, cur, &k, &v, arg)) != 0)
			return rc;
		if (r == UINT64_MAX)
			return 0;
		r++;
	}
}

/* The round a sample of time ts may be in: the last round key <= ts. */
static int
round_of(struct store *st, MDB_cursor *cur, uint64_t ts, uint64_t *round)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	*round = ts;
	if (ts == UINT64_MAX)
		return 0;
	key_sample(kb, ts + 1, 0);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	rc = mdb_cursor_get(cur, &k, &v, rc == 0 ? MDB_PREV : MDB_LAST);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	if (k.mv_size != SAMPLE_KEY_LEN)
		return store_corrupt(st, TBL_SAMPLES, "a key", "key is not 16 bytes");
	*round = key_u64_get(k.mv_data);
	return 0;
}

/* The last round at or before r holding a sample of id (MDB_NOTFOUND if
 * none): with collectord shards, other collectors' rounds lie between a
 * container's own, and one of them may hold samples newer than a later
 * round's key. */
static int
last_round_with(struct store *st, MDB_cursor *cur, uint64_t id, uint64_t r,
    uint64_t *out)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k, v;
	uint64_t kr, kid, ts;
	int rc;

	for (;;) {
		key_sample(kb, r, id);
		k.mv_size = sizeof(kb);
		k.mv_data = kb;
		if ((rc = mdb_cursor_get(cur, &k, &v, MDB_SET)) == 0) {
			*out = r;
			return 0;
		}
		if (rc != MDB_NOTFOUND)
			return rc;
		key_sample(kb, r, 0);
		k.mv_size = sizeof(kb);
		k.mv_data = kb;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		rc = mdb_cursor_get(cur, &k, &v, rc == 0 ? MDB_PREV : MDB_LAST);
		if (rc != 0 ||
		    (rc = decode_sample(st, &k, &v, &kr, &kid, &ts, NULL)) != 0)
			return rc;
		if (kr >= r)
			return store_corrupt(st, TBL_SAMPLES, "a key", "out of order");
		r = kr;
	}
}

struct range {
	uint64_t	 from, to;
	store_sample_cb	 cb;
	void		*arg;
	struct cadv_sample	*s;
	size_t		 ndel;
};

static int
range_one(struct store *st, MDB_cursor *cur, const MDB_val *k,
    const MDB_val *v, void *arg)
{
	struct range *g = arg;
	uint64_t round, id, ts;
	int rc;

	if ((rc = decode_sample(st, k, v, &round, &id, &ts, NULL)) != 0)
		return rc;
	if (ts < g->from || ts > g->to)
		return 0;
	if ((rc = decode_sample(st, k, v, &round, &id, &ts, g->s)) != 0 ||
	    (rc = diskio_get(st, mdb_cursor_txn(cur), k, g->s)) != 0)
		return rc;
	return g->cb(ts, g->s, g->arg);
}

/* id's samples from round r0 on (r0 == UINT64_MAX: the round holding
 * from), those with from <= ts <= to, to cb */
static int
series_read(struct store *st, MDB_txn *txn, uint64_t id, uint64_t r0,
    uint64_t from, uint64_t to, store_sample_cb cb, void *arg)
{
	struct range g = { from, to, cb, arg, NULL, 0 };
	MDB_cursor *cur;
	int rc;

	if ((g.s = malloc(sizeof(*g.s))) == NULL)
		return ENOMEM;
	if ((rc = mdb_cursor_open(txn, st->samples, &cur)) != 0) {
		free(g.s);
		return rc;
	}
	/* a round's samples are no older than its key: the one holding
	 * from starts at or before it; none after to can hold a match */
	if (r0 == UINT64_MAX && (rc = round_of(st, cur, from, &r0)) == 0 &&
	    (rc = last_round_with(st, cur, id, r0, &r0)) == MDB_NOTFOUND) {
		r0 = 0;
		rc = 0;
	}
	if (rc == 0)
		rc = series_walk(st, cur, id, r0, to, range_one, &g);
	mdb_cursor_close(cur);
	free(g.s);
	return rc;
}

int
store_samples_range(struct store *st, MDB_txn *txn, uint64_t id,
    uint64_t from, uint64_t to, store_sample_cb cb, void *arg)
{
	return series_read(st, txn, id, UINT64_MAX, from, to, cb, arg);
}

int
store_samples_last(struct store *st, MDB_txn *txn, uint64_t id, size_t n,
    store_sample_cb cb, void *arg)
{
	MDB_cursor *cur;
	uint64_t r, first = 0;
	size_t seen = 0;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = latest_get(st, txn, id, &r)) != 0)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if ((rc = mdb_cursor_open(txn, st->samples, &cur)) != 0)
		return rc;
	/* back from the newest, one of the container's rounds at a time */
	while ((rc = last_round_with(st, cur, id, r, &r)) == 0) {
		first = r;
		if (++seen == n || r == 0)
			break;
		r--;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	if (seen == 0)
		return 0;
	return series_read(st, txn, id, first, 0, UINT64_MAX, cb, arg);
}

static int
prune_one(struct store *st, MDB_cursor *cur, const MDB_val *k,
    const MDB_val *v, void *arg)
{
	struct range *g = arg;
	uint64_t round, id, ts;
	int rc;

	if ((rc = decode_sample(st, k, v, &round, &id, &ts, NULL)) != 0)
		return rc;
	if (ts >= g->to)
		return 0;
	if ((rc = diskio_del(st, mdb_cursor_txn(cur), k)) != 0 ||
	    (rc = mdb_cursor_del(cur, 0)) != 0)
		return rc;
	g->ndel++;
	return 0;
}

int
store_samples_prune(struct store *st, MDB_txn *txn, uint64_t id,
    uint64_t before, size_t *ndel)
{
	struct range g = { 0, before, NULL, NULL, NULL, 0 };
	MDB_cursor *cur;
	int rc;

	*ndel = 0;
	if ((rc = mdb_cursor_open(txn, st->samples, &cur)) != 0)
		return rc;
	rc = series_walk(st, cur, id, 0, UINT64_MAX, prune_one, &g);
	mdb_cursor_close(cur);
	*ndel = g.ndel;
	return rc;
}

int
store_samples_bounds(struct store *st, MDB_txn *txn, uint64_t *first,
    uint64_t *last)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t id, ts;
	int rc;

	if ((rc = mdb_cursor_open(txn, st->samples, &cur)) != 0)
		return rc;
	if ((rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST)) == 0 &&
	    (rc = decode_sample(st, &k, &v, first, &id, &ts, NULL)) == 0 &&
	    (rc = mdb_cursor_get(cur, &k, &v, MDB_LAST)) == 0)
		rc = decode_sample(st, &k, &v, last, &id, &ts, NULL);
	mdb_cursor_close(cur);
	return rc;
}

int
store_samples_prune_all(struct store *st, MDB_txn *txn, uint64_t before,
    size_t *ndel)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t round, id, ts;
	int rc;

	*ndel = 0;
	if ((rc = mdb_cursor_open(txn, st->samples, &cur)) != 0)
		return rc;
	/* oldest rounds first; no round keyed at or after before holds an
	 * older sample, so the walk ends there */
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0) {
		if ((rc = decode_sample(st, &k, &v, &round, &id, &ts,
		    NULL)) != 0)
			break;
		if (round >= before) {
			rc = MDB_NOTFOUND;
			break;
		}
		if (ts < before) {
			if ((rc = diskio_del(st, txn, &k)) != 0 ||
			    (rc = mdb_cursor_del(cur, 0)) != 0)
				break;
			(*ndel)++;
		}
		/* after a delete, MDB_NEXT gives the entry that moved up */
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* filesystems */

int
store_fs_put(struct store *st, MDB_txn *txn, uint32_t major, uint32_t minor,
    uint64_t ts, const struct cadv_fs *f)
{
	unsigned char kb[FS_KEY_LEN], vb[FS_VALUE_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	key_fs(kb, major, minor, ts);
	fs_encode(f, vb);
	return mdb_put(txn, st->fs, &k, &v, 0);
}

int
store_fs_latest(struct store *st, MDB_txn *txn, uint32_t major,
    uint32_t minor, uint64_t *ts, struct cadv_fs *f)
{
	return store_fs_at(st, txn, major, minor, UINT64_MAX, ts, f);
}

int
store_fs_at(struct store *st, MDB_txn *txn, uint32_t major, uint32_t minor,
    uint64_t at, uint64_t *ts, struct cadv_fs *f)
{
	unsigned char kb[FS_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	uint64_t dev = (uint64_t)major << 32 | minor;
	MDB_cursor *cur;
	int rc;

	/* the first key after (dev, at), then one back */
	if (at != UINT64_MAX)
		key_fs(kb, major, minor, at + 1);
	else if (dev == UINT64_MAX)
		return MDB_NOTFOUND;
	else
		key_fs(kb, (uint32_t)((dev + 1) >> 32), (uint32_t)(dev + 1),
		    0);
	if ((rc = mdb_cursor_open(txn, st->fs, &cur)) != 0)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	rc = mdb_cursor_get(cur, &k, &v, rc == 0 ? MDB_PREV : MDB_LAST);
	if (rc == 0) {
		if (k.mv_size != FS_KEY_LEN || v.mv_size != FS_VALUE_LEN)
			rc = store_corrupt(st, TBL_FS, "a record", "wrong size");
		else if (key_u64_get(k.mv_data) != dev)
			rc = MDB_NOTFOUND;
		else {
			*ts = key_u64_get((const unsigned char *)k.mv_data + 8);
			fs_decode(v.mv_data, f);
		}
	}
	mdb_cursor_close(cur);
	return rc;
}

int
store_fs_prune(struct store *st, MDB_txn *txn, uint64_t before, size_t *ndel)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*ndel = 0;
	if ((rc = mdb_cursor_open(txn, st->fs, &cur)) != 0)
		return rc;
	/* few filesystems, a sample each per fs tick: a full walk is cheap */
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != FS_KEY_LEN) {
			rc = store_corrupt(st, TBL_FS, "a key", "key is not 16 bytes");
			break;
		}
		if (key_u64_get((const unsigned char *)k.mv_data + 8) >= before)
			continue;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		(*ndel)++;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* events */

int
store_event_add(struct store *st, MDB_txn *txn, struct cadv_event *e)
{
	unsigned char kb[U64_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	uint64_t next = 1;
	int rc;

	rc = store_meta_get_u64(st, txn, META_NEXT_EVENT, &next);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	e->seq = next;
	key_u64(kb, e->seq);
	v.mv_size = EVENT_HDR + e->container_len + e->victim_len + e->comm_len;
	if (v.mv_size > EVENT_VALUE_MAX)
		return EINVAL;
	if ((rc = mdb_put(txn, st->events, &k, &v,
	    MDB_RESERVE | MDB_APPEND)) != 0)
		return rc;
	if (event_encode(e, v.mv_data, v.mv_size) != v.mv_size)
		return EINVAL;
	return store_meta_put_u64(st, txn, META_NEXT_EVENT, next + 1);
}

static int
decode_event(struct store *st, const MDB_val *k, const MDB_val *v,
    struct cadv_event *e)
{
	const char *why;
	char what[48];

	if (k->mv_size != U64_KEY_LEN)
		return store_corrupt(st, TBL_EVENTS, "a key", "key is not 8 bytes");
	e->seq = key_u64_get(k->mv_data);
	if (event_decode(v->mv_data, v->mv_size, e, &why) == -1) {
		snprintf(what, sizeof(what), "seq %llu",
		    (unsigned long long)e->seq);
		return store_corrupt(st, TBL_EVENTS, what, why);
	}
	return 0;
}

int
store_events_each(struct store *st, MDB_txn *txn, uint64_t from,
    store_event_cb cb, void *arg)
{
	unsigned char kb[U64_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	MDB_cursor *cur;
	struct cadv_event *e;
	int rc;

	if ((e = malloc(sizeof(*e))) == NULL)
		return ENOMEM;
	if ((rc = mdb_cursor_open(txn, st->events, &cur)) != 0) {
		free(e);
		return rc;
	}
	key_u64(kb, from);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((rc = decode_event(st, &k, &v, e)) != 0)
			break;
		if ((rc = cb(e, arg)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	free(e);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int
store_events_last(struct store *st, MDB_txn *txn, uint64_t *seq)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*seq = 0;
	if ((rc = mdb_cursor_open(txn, st->events, &cur)) != 0)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == U64_KEY_LEN)
		*seq = key_u64_get(k.mv_data);
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int
store_events_prune(struct store *st, MDB_txn *txn, uint64_t now,
    const uint64_t *max_age, int64_t *excess, size_t *ndel)
{
	MDB_cursor *cur;
	MDB_val k, v;
	struct cadv_event *e;
	int rc;

	*ndel = 0;
	if ((e = malloc(sizeof(*e))) == NULL)
		return ENOMEM;
	if ((rc = mdb_cursor_open(txn, st->events, &cur)) != 0) {
		free(e);
		return rc;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		int drop;

		if ((rc = decode_event(st, &k, &v, e)) != 0)
			break;
		drop = excess[e->type] > 0 || (max_age[e->type] != 0 &&
		    e->ts_ns + max_age[e->type] < now);
		if (!drop)
			continue;
		if (excess[e->type] > 0)
			excess[e->type]--;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		(*ndel)++;
	}
	mdb_cursor_close(cur);
	free(e);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* health */

int
store_usage(struct store *st, struct store_usage *u)
{
	MDB_envinfo info;
	MDB_stat ms;
	int rc;

	if ((rc = mdb_env_info(st->env, &info)) != 0 ||
	    (rc = mdb_env_stat(st->env, &ms)) != 0)
		return rc;
	u->map_size = info.me_mapsize;
	u->used = (info.me_last_pgno + 1) * (size_t)ms.ms_psize;
	u->readers_used = info.me_numreaders;
	u->readers_max = info.me_maxreaders;
	return 0;
}

int
store_reader_check(struct store *st, int *dead)
{
	int rc = mdb_reader_check(st->env, dead);

	/* those cleared when this process opened the store count too */
	*dead += st->stale_at_open;
	st->stale_at_open = 0;
	return rc;
}

int
store_writer_holder(const struct store *st, pid_t *tid)
{
	unsigned char buf[LOCKINFO_SIZE];
	ssize_t n;

	*tid = 0;
	if (st->lockfd == -1)
		return EBADF;
	n = pread(st->lockfd, buf, sizeof(buf), 0);
	if (n != (ssize_t)sizeof(buf))
		return n == -1 ? errno : EINVAL;
	if ((*tid = lockinfo_writer(buf)) == -1) {
		*tid = 0;
		return ENOTSUP;
	}
	return 0;
}
