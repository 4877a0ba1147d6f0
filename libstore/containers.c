/* Container records and their name index (SCHEMA.md "containers",
 * "names"). */
#include "storewrite.h"

#include <errno.h>

#include "store_impl.h"

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
	if ((rc = mdb_put(txn, st->dbi[CADV_T_CONTAINERS], &k, &v, flags | MDB_RESERVE)) != 0)
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
	if ((rc = mdb_put(txn, st->dbi[CADV_T_NAMES], &k, &v, MDB_NODUPDATA)) != 0)
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
	rc = mdb_del(txn, st->dbi[CADV_T_NAMES], &hkey, &idv);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	rc = mdb_del(txn, st->dbi[CADV_T_LATEST], &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	return mdb_del(txn, st->dbi[CADV_T_CONTAINERS], &k, NULL);
}
