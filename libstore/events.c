/* Events: appended in sequence, pruned by age and count per type. */
#include "storewrite.h"

#include <errno.h>
#include <stdlib.h>

#include "store_impl.h"

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
	if ((rc = mdb_put(txn, st->dbi[CADV_T_EVENTS], &k, &v,
	    MDB_RESERVE | MDB_APPEND)) != 0)
		return rc;
	if (event_encode(e, v.mv_data, v.mv_size) != v.mv_size)
		return EINVAL;
	return store_meta_put_u64(st, txn, META_NEXT_EVENT, next + 1);
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
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_EVENTS], &cur)) != 0) {
		free(e);
		return rc;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		int drop;

		if ((rc = store_event_decode(st, &k, &v, e)) != 0)
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
