/* Meta values a writer stores: counters, documents, heartbeats and the
 * daemons' process figures (SCHEMA.md "meta"). */
#include "storewrite.h"

#include <errno.h>
#include <string.h>

#include "procself.h"
#include "store_impl.h"

int
store_meta_put_u64(struct store *st, MDB_txn *txn, const char *key,
    uint64_t val)
{
	unsigned char buf[8];
	MDB_val k = { strlen(key), (void *)(uintptr_t)key }, v = { 8, buf };

	val_u64(buf, val);
	return mdb_put(txn, st->dbi[CADV_T_META], &k, &v, 0);
}

int
store_meta_put_blob(struct store *st, MDB_txn *txn, const char *key,
    const void *data, size_t len)
{
	MDB_val k = { strlen(key), (void *)(uintptr_t)key };
	MDB_val v = { len, (void *)(uintptr_t)data };

	return mdb_put(txn, st->dbi[CADV_T_META], &k, &v, 0);
}

int
store_heartbeat_put(struct store *st, MDB_txn *txn, const char *daemon,
    uint64_t ts)
{
	char key[64];

	if (store_heartbeat_key(key, sizeof(key), daemon) != 0)
		return EINVAL;
	return store_meta_put_u64(st, txn, key, ts);
}

int
store_process_note(struct store *st, MDB_txn *txn, const char *daemon,
    uint64_t now)
{
	struct cadv_process p;
	unsigned char vb[PROCESS_VALUE_LEN];
	char key[64];

	/* the last note through this handle, for the throttle */
	if (st->process_noted != 0 && now >= st->process_noted &&
	    now - st->process_noted < PROCESS_NOTE_NS)
		return 0;
	if (store_process_key(key, sizeof(key), daemon) != 0)
		return EINVAL;
	if (procself_read(&p) != 0)
		return 0;
	p.written_ns = now;
	process_encode(&p, vb);
	st->process_noted = now;
	return store_meta_put_blob(st, txn, key, vb, sizeof(vb));
}
