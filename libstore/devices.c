/* Per-device records: filesystems' fs samples and their disks'
 * diskstats counters, keyed by device then time (SCHEMA.md "fs",
 * "diskstats"). */
#include "storewrite.h"

#include "store_impl.h"

int
store_fs_put(struct store *st, MDB_txn *txn, uint32_t major, uint32_t minor,
    uint64_t ts, const struct cadv_fs *f)
{
	unsigned char kb[FS_KEY_LEN], vb[FS_VALUE_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	key_fs(kb, major, minor, ts);
	fs_encode(f, vb);
	return mdb_put(txn, st->dbi[CADV_T_FS], &k, &v, 0);
}

int
store_fs_prune(struct store *st, MDB_txn *txn, uint64_t before, size_t *ndel)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*ndel = 0;
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_FS], &cur)) != 0)
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

int
store_diskstats_put(struct store *st, MDB_txn *txn, uint64_t ts,
    const struct cadv_disk_stats *d)
{
	unsigned char kb[DISKSTATS_KEY_LEN], vb[DISKSTATS_VALUE_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	if (!store_has(st, CADV_T_DISKSTATS))
		return MDB_NOTFOUND;
	key_diskstats(kb, d->major, d->minor, ts);
	diskstats_encode(d, vb);
	return mdb_put(txn, store_dbi(st, CADV_T_DISKSTATS), &k, &v, 0);
}

int
store_diskstats_prune(struct store *st, MDB_txn *txn, uint64_t before,
    size_t *n)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*n = 0;
	if (!store_has(st, CADV_T_DISKSTATS))
		return 0;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_DISKSTATS),
	    &cur)) != 0)
		return rc;
	/* a record per filesystem per fs tick: a full walk is cheap */
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0) {
		/* a key not ours to read goes, as an old one */
		if (k.mv_size != DISKSTATS_KEY_LEN || key_u64_get(
		    (const unsigned char *)k.mv_data + 8) < before) {
			if ((rc = mdb_cursor_del(cur, 0)) != 0)
				break;
			(*n)++;
		}
		/* after a delete, MDB_NEXT gives the entry that moved up */
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}
