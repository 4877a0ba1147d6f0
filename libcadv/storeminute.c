/* The summary's minutes: keyed by container id then the minute's start,
 * so one container's minutes are adjacent and in time order (SCHEMA.md
 * "minutes"). */
#include <string.h>

#include "storeminute.h"

int
store_minutes_range(struct store *st, MDB_txn *txn, uint64_t id,
    uint64_t from, uint64_t to, store_minute_cb cb, void *arg)
{
	unsigned char kb[MINUTE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	MDB_cursor *cur;
	struct cadv_minute m;
	const char *why;
	uint64_t start;
	int rc;

	if (!store_has(st, CADV_T_MINUTES))
		return 0;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_MINUTES), &cur)) != 0)
		return rc;
	key_minute(kb, id, from);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != MINUTE_KEY_LEN) {
			rc = store_corrupt(st, TBL_MINUTES, "a key",
			    "not 16 bytes");
			break;
		}
		if (key_u64_get(k.mv_data) != id)
			break;
		start = key_u64_get((unsigned char *)k.mv_data + 8);
		if (start > to)
			break;
		if (minute_decode(v.mv_data, v.mv_size, &m, &why) == -1) {
			rc = store_corrupt(st, TBL_MINUTES, "a record", why);
			break;
		}
		m.start_ns = start;
		if ((rc = cb(&m, arg)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}
