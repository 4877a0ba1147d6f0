/* Keyed as fs: the device then the time, so one device's records are
 * adjacent and in time order (SCHEMA.md "diskstats"). */
#include <string.h>

#include "storedisk.h"

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

	if (!store_has(st, CADV_T_DISKSTATS))
		return MDB_NOTFOUND;
	/* the first key after (dev, ts), then one back */
	if (ts == UINT64_MAX) {
		if (dev == UINT64_MAX)
			return MDB_NOTFOUND;
		key_diskstats(kb, (uint32_t)((dev + 1) >> 32),
		    (uint32_t)(dev + 1), 0);
	} else
		key_diskstats(kb, major, minor, ts + 1);
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_DISKSTATS),
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
