/* The store's reading side: opening it read-only, and every read.  The
 * writing side is libstore's (storewrite.h); the handle's insides, which
 * both share, are in store_impl.h. */
#include "store_impl.h"

#include <bsd/string.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lockinfo.h"

MDB_dbi
store_dbi(const struct store *st, enum cadv_table t)
{
	return st->dbi[t < TBL_COUNT ? t : CADV_T_META];
}

int
store_has(const struct store *st, enum cadv_table t)
{
	return t < TBL_COUNT && st->has[t];
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
void
store_note(struct store *st, const char *fmt, ...)
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
int
store_tables_open(struct store *st, MDB_txn *txn, char *err, size_t errsz)
{
	unsigned create = (st->flags & STORE_RDONLY) ? 0 : MDB_CREATE;
	MDB_dbi main;
	MDB_stat ms;
	MDB_val k = { sizeof(META_SCHEMA) - 1, META_SCHEMA }, v;
	uint32_t version;
	size_t i;
	int rc;

	if ((rc = mdb_dbi_open(txn, NULL, 0, &main)) != 0 ||
	    (rc = mdb_stat(txn, main, &ms)) != 0) {
		snprintf(err, errsz, "%s: %s", st->dir, mdb_strerror(rc));
		return rc;
	}
	rc = mdb_dbi_open(txn, TBL_META, 0, &st->dbi[CADV_T_META]);
	if (rc == MDB_NOTFOUND) {
		snprintf(err, errsz, "%s: %s", st->dir, ms.ms_entries == 0 ?
		    "store is empty (has collectord ever run?)" :
		    "an LMDB environment without cadv's meta table");
		return ms.ms_entries == 0 ? STORE_NOSTORE : STORE_NOTCADV;
	} else if (rc != 0)
		goto fail;
	st->has[CADV_T_META] = 1;
	if ((rc = mdb_get(txn, st->dbi[CADV_T_META], &k, &v)) != 0) {
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
	for (i = CADV_T_META + 1; i < TBL_COUNT; i++) {
		rc = mdb_dbi_open(txn, store_table_names[i], create |
		    STORE_TABLE_FLAGS(i), &st->dbi[i]);
		if (rc == MDB_NOTFOUND && i >= STORE_TABLES_OPTIONAL)
			continue;
		if (rc != 0)
			goto fail;
		st->has[i] = 1;
	}
	return 0;
fail:
	snprintf(err, errsz, "%s: opening tables: %s", st->dir,
	    mdb_strerror(rc));
	return rc == MDB_NOTFOUND ? STORE_CORRUPT : rc;
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

const char *
store_unsafe_file(int dirfd, int *e)
{
	static const char *const names[] = { "data.mdb", "lock.mdb" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (entry_check(dirfd, names[i]) == 0 || errno == ENOENT)
			continue;
		*e = errno;
		return names[i];
	}
	return NULL;
}

const char *
store_entry_what(int e)
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

/* Before LMDB opens anything: root reads a directory only when root owns
 * it (STORE_FOREIGN: read it as its owner), and a reader refuses a store
 * file that is not one (a link planted while a user had the directory). */
static int
read_dir_check(struct store *st, int dirfd, char *err, size_t errsz)
{
	const char *name;
	struct stat sb;
	int e;

	if (fstat(dirfd, &sb) == -1) {
		e = errno;
		snprintf(err, errsz, "%s: %s", st->dir, strerror(e));
		return e;
	}
	if (sb.st_uid != geteuid() && geteuid() == 0) {
		snprintf(err, errsz, "%s: belongs to uid %u: root reads a "
		    "store another user owns only as that user", st->dir,
		    (unsigned)sb.st_uid);
		return STORE_FOREIGN;
	}
	if ((name = store_unsafe_file(dirfd, &e)) != NULL) {
		snprintf(err, errsz, "%s/%s: %s, not the store's file: "
		    "refusing to open it", st->dir, name, store_entry_what(e));
		return STORE_UNSAFE;
	}
	return 0;
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
int
store_data_check(struct store *st, int dirfd, char *err, size_t errsz)
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

int
store_env_open(struct store *st, int dirfd, store_tables_fn tables,
    char *err, size_t errsz)
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
	mdb_reader_check(st->env, &dead);
	st->stale_at_open += dead;
	if (dead > 0)
		store_note(st, "%s: cleared %d stale reader slot%s", dir, dead,
		    dead == 1 ? "" : "s");
	if ((rc = mdb_txn_begin(st->env, NULL,
	    (flags & STORE_RDONLY) ? MDB_RDONLY : 0, &txn)) != 0) {
		snprintf(err, errsz, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	if ((rc = tables(st, txn, err, errsz)) != 0) {
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
int
store_new(struct store **stp, const char *dir, unsigned flags,
    size_t map_initial, size_t map_max, char *err, size_t errsz)
{
	struct store *st;

	if ((*stp = st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return ENOMEM;
	}
	st->lockfd = -1;
	st->flags = flags;
	st->map_size = map_initial;
	st->map_max = map_max < map_initial ? map_initial : map_max;
	if (strlcpy(st->dir, dir, sizeof(st->dir)) >= sizeof(st->dir)) {
		snprintf(err, errsz, "store path too long");
		return ENAMETOOLONG;
	}
	return 0;
}

void
store_opened(struct store *st, int dirfd)
{
	/* kept open until the environment is closed (closing any other
	 * descriptor of lock.mdb would drop LMDB's locks: libstore's
	 * set_modes) */
	st->lockfd = openat(dirfd, "lock.mdb", O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC);
	close(dirfd);
}

static int
read_tables(struct store *st, MDB_txn *txn, char *err, size_t errsz)
{
	return store_tables_open(st, txn, err, errsz);
}

int
store_open_read(struct store **stp, const char *dir, char *err,
    size_t errsz)
{
	struct store *st;
	int rc, dirfd;

	if ((rc = store_new(&st, dir, STORE_RDONLY, 0, 0, err,
	    errsz)) != 0) {
		store_close(st);
		return rc;
	}
	/* the directory itself, not a link to one */
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		rc = errno;
		snprintf(err, errsz, "%s: %s", dir, rc == ENOENT ?
		    "no store here (is collectord running?)" : rc == ELOOP ?
		    "a symbolic link: give the store's own path" :
		    strerror(rc));
		store_close(st);
		return rc == ENOENT ? STORE_NOSTORE : rc;
	}
	if ((rc = read_dir_check(st, dirfd, err, errsz)) != 0 ||
	    (rc = store_data_check(st, dirfd, err, errsz)) != 0 ||
	    (rc = store_env_open(st, dirfd, read_tables, err, errsz)) != 0) {
		close(dirfd);
		store_close(st);
		return rc == ENOENT ? STORE_NOSTORE : rc;
	}
	store_opened(st, dirfd);
	*stp = st;
	return 0;
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
int
store_txn_begin(struct store *st, unsigned flags, MDB_txn **txn)
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
	return store_txn_begin(st, MDB_RDONLY, txn);
}

void
store_read_end(MDB_txn *txn)
{
	if (txn != NULL)
		mdb_txn_abort(txn);
}

/* meta */

int
store_meta_get_u64(struct store *st, MDB_txn *txn, const char *key,
    uint64_t *out)
{
	MDB_val k = { strlen(key), (void *)(uintptr_t)key }, v;
	int rc;

	if ((rc = mdb_get(txn, st->dbi[CADV_T_META], &k, &v)) != 0)
		return rc;
	if (v.mv_size != 8)
		return store_corrupt(st, TBL_META, key, "value is not 8 bytes");
	*out = val_u64_get(v.mv_data);
	return 0;
}

int
store_meta_get_blob(struct store *st, MDB_txn *txn, const char *key,
    const void **data, size_t *len)
{
	MDB_val k = { strlen(key), (void *)(uintptr_t)key }, v;
	int rc;

	if ((rc = mdb_get(txn, st->dbi[CADV_T_META], &k, &v)) != 0)
		return rc;
	*data = v.mv_data;
	*len = v.mv_size;
	return 0;
}

int
store_heartbeat_key(char *buf, size_t sz, const char *daemon)
{
	if ((size_t)snprintf(buf, sz, "%s%s", META_HEARTBEAT, daemon) >= sz)
		return EINVAL;
	return 0;
}

int
store_heartbeat_get(struct store *st, MDB_txn *txn, const char *daemon,
    uint64_t *ts)
{
	char key[64];

	if (store_heartbeat_key(key, sizeof(key), daemon) != 0)
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
	if ((rc = mdb_get(txn, st->dbi[CADV_T_CONTAINERS], &k, &v)) != 0)
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
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_NAMES], &cur)) != 0)
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
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_CONTAINERS], &cur)) != 0) {
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

int
store_sample_decode(struct store *st, const MDB_val *k, const MDB_val *v,
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
	if (!st->has[CADV_T_DISKIO] || s->nblk == 0)
		return 0;
	if ((rc = mdb_get(txn, st->dbi[CADV_T_DISKIO], &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if (diskio_decode(v.mv_data, v.mv_size, s, &why) == 0)
		return 0;
	snprintf(what, sizeof(what), "container %llu in round %llu",
	    (unsigned long long)key_u64_get((const unsigned char *)
	    key->mv_data + 8), (unsigned long long)key_u64_get(key->mv_data));
	return store_corrupt(st, TBL_DISKIO, what, why);
}

int
store_latest_get(struct store *st, MDB_txn *txn, uint64_t id, uint64_t *round)
{
	unsigned char kb[U64_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	key_u64(kb, id);
	if ((rc = mdb_get(txn, st->dbi[CADV_T_LATEST], &k, &v)) != 0)
		return rc;
	if (v.mv_size != 8)
		return store_corrupt(st, TBL_LATEST, "a record", "value is not 8 bytes");
	*round = val_u64_get(v.mv_data);
	return 0;
}

int
store_sample_latest(struct store *st, MDB_txn *txn, uint64_t id,
    uint64_t *ts, struct cadv_sample *s)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	uint64_t round, kid;
	int rc;

	if ((rc = store_latest_get(st, txn, id, &round)) != 0)
		return rc;
	key_sample(kb, round, id);
	if ((rc = mdb_get(txn, st->dbi[CADV_T_SAMPLES], &k, &v)) != 0)
		return rc;	/* pruned: nothing as recent as retention */
	if ((rc = store_sample_decode(st, &k, &v, &round, &kid, ts, s)) != 0)
		return rc;
	/* s NULL: the time alone */
	return s != NULL ? diskio_get(st, txn, &k, s) : 0;
}

/* One container's samples in rounds r0..r1, oldest first: seek (round, id);
 * a landing in a later round is sought again there. */
int
store_series_walk(struct store *st, MDB_cursor *cur, uint64_t id, uint64_t r0,
    uint64_t r1, store_round_fn fn, void *arg)
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
		    (rc = store_sample_decode(st, &k, &v, &kr, &kid, &ts, NULL)) != 0)
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
};

static int
range_one(struct store *st, MDB_cursor *cur, const MDB_val *k,
    const MDB_val *v, void *arg)
{
	struct range *g = arg;
	uint64_t round, id, ts;
	int rc;

	if ((rc = store_sample_decode(st, k, v, &round, &id, &ts, NULL)) != 0)
		return rc;
	if (ts < g->from || ts > g->to)
		return 0;
	if ((rc = store_sample_decode(st, k, v, &round, &id, &ts, g->s)) != 0 ||
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
	struct range g = { from, to, cb, arg, NULL };
	MDB_cursor *cur;
	int rc;

	if ((g.s = malloc(sizeof(*g.s))) == NULL)
		return ENOMEM;
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_SAMPLES], &cur)) != 0) {
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
		rc = store_series_walk(st, cur, id, r0, to, range_one, &g);
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
	if ((rc = store_latest_get(st, txn, id, &r)) != 0)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_SAMPLES], &cur)) != 0)
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

int
store_samples_bounds(struct store *st, MDB_txn *txn, uint64_t *first,
    uint64_t *last)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t id, ts;
	int rc;

	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_SAMPLES], &cur)) != 0)
		return rc;
	if ((rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST)) == 0 &&
	    (rc = store_sample_decode(st, &k, &v, first, &id, &ts, NULL)) == 0 &&
	    (rc = mdb_cursor_get(cur, &k, &v, MDB_LAST)) == 0)
		rc = store_sample_decode(st, &k, &v, last, &id, &ts, NULL);
	mdb_cursor_close(cur);
	return rc;
}

/* filesystems */

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
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_FS], &cur)) != 0)
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

/* events */

int
store_event_decode(struct store *st, const MDB_val *k, const MDB_val *v,
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
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_EVENTS], &cur)) != 0) {
		free(e);
		return rc;
	}
	key_u64(kb, from);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((rc = store_event_decode(st, &k, &v, e)) != 0)
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
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_EVENTS], &cur)) != 0)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == U64_KEY_LEN)
		*seq = key_u64_get(k.mv_data);
	mdb_cursor_close(cur);
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
