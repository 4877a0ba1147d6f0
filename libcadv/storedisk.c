/* Keyed as fs: the device then the time, so one device's records are
 * adjacent and in time order (SCHEMA.md "diskstats"). */
#include <string.h>

#include "storedisk.h"

int
store_diskstats_put(struct store *st, MDB_txn *txn, uint64_t ts,
    const struct cadv_disk_stats *d)
{
	unsigned char kb[DISKSTATS_KEY_LEN], vb[DISKSTATS_VALUE_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	if (!store_has(st, ST_DISKSTATS))
		return MDB_NOTFOUND;
	key_diskstats(kb, d->major, d->minor, ts);
	diskstats_encode(d, vb);
	return mdb_put(txn, store_dbi(st, ST_DISKSTATS), &k, &v, 0);
}

int
store_diskstats_at(struct store *st, MDB_txn *txn, uint32_t major,
    uint32_t minor, uint64_t ts, uint64_t *found, struct cadv_disk_stats *d)
{
	unsigned char kb[DISKSTATS_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	uint64_t dev = (uint64_t)major << 32 | minor;
	MDB_cursor *cur;
	const char *why;
	int rc;

	if (!store_has(st, ST_DISKSTATS))
		return MDB_NOTFOUND;
	/* the first key after (dev, ts), then one back */
	if (ts == UINT64_MAX) {
		if (dev == UINT64_MAX)
			return MDB_NOTFOUND;
		key_diskstats(kb, (uint32_t)((dev + 1) >> 32),
		    (uint32_t)(dev + 1), 0);
	} else
		key_diskstats(kb, major, minor, ts + 1);
	if ((rc = mdb_cursor_open(txn, store_dbi(st, ST_DISKSTATS),
	    &cur)) != 0)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	rc = mdb_cursor_get(cur, &k, &v, rc == 0 ? MDB_PREV : MDB_LAST);
	if (rc == 0) {
		if (k.mv_size != DISKSTATS_KEY_LEN)
			rc = store_corrupt(st, TBL_DISKSTATS, "a key",
			    "not 16 bytes");
		else if (key_u64_get(k.mv_data) != dev)
			rc = MDB_NOTFOUND;
		else if (diskstats_decode(v.mv_data, v.mv_size, d, &why) == -1)
			rc = store_corrupt(st, TBL_DISKSTATS, "a record", why);
		else {
			*found = key_u64_get((const unsigned char *)k.mv_data +
			    8);
			d->major = major;
			d->minor = minor;
		}
	}
	mdb_cursor_close(cur);
	return rc;
}

int
store_diskstats_latest(struct store *st, MDB_txn *txn, uint32_t major,
    uint32_t minor, uint64_t *ts, struct cadv_disk_stats *d)
{
	return store_diskstats_at(st, txn, major, minor, UINT64_MAX, ts, d);
}

int
store_diskstats_prune(struct store *st, MDB_txn *txn, uint64_t before,
    size_t *n)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*n = 0;
	if (!store_has(st, ST_DISKSTATS))
		return 0;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, ST_DISKSTATS),
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
