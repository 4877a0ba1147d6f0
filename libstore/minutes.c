/* The summary's minutes (SCHEMA.md "minutes"). */
#include "storewrite.h"

#include "store_impl.h"

int
store_minute_put(struct store *st, MDB_txn *txn, uint64_t id,
    const struct cadv_minute *m)
{
	unsigned char kb[MINUTE_KEY_LEN], vb[MINUTE_VALUE_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	if (!store_has(st, CADV_T_MINUTES))
		return MDB_NOTFOUND;
	key_minute(kb, id, m->start_ns);
	minute_encode(m, vb);
	return mdb_put(txn, store_dbi(st, CADV_T_MINUTES), &k, &v, 0);
}

int
store_minutes_prune(struct store *st, MDB_txn *txn, uint64_t before,
    size_t *n)
{
	unsigned char kb[MINUTE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	MDB_cursor *cur;
	uint64_t id;
	int rc;

	*n = 0;
	if (!store_has(st, CADV_T_MINUTES))
		return 0;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_MINUTES), &cur)) != 0)
		return rc;
	/* each container's oldest minutes come first: delete those, then
	 * jump to the next container */
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0) {
		/* a key not ours to read goes, as an old one */
		if (k.mv_size != MINUTE_KEY_LEN || key_u64_get((unsigned char *)
		    k.mv_data + 8) < before) {
			if ((rc = mdb_cursor_del(cur, 0)) != 0)
				break;
			(*n)++;
			/* after a delete, MDB_NEXT gives the entry that
			 * moved up */
			rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
			continue;
		}
		if ((id = key_u64_get(k.mv_data)) == UINT64_MAX)
			break;
		key_minute(kb, id + 1, 0);
		k.mv_size = sizeof(kb);
		k.mv_data = kb;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}
