/* Identities (SCHEMA.md "idents") and the writable layers measured
 * under their keys ("layers"), which go with them. */
#include "storewrite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "storelayer.h"

static int
ident_key(const struct cadv_ident *id, unsigned char kb[IDENT_KEY_LEN])
{
	size_t len;
	const char *cg = ident_get(id, CADV_IS_CGROUP, &len);

	if (len == 0 || !cgname_valid(cg, len))
		return EINVAL;
	key_ident(kb, cg, len, id->seen_ns);
	return 0;
}

int
store_ident_put(struct store *st, MDB_txn *txn, const struct cadv_ident *id)
{
	unsigned char kb[IDENT_KEY_LEN], *buf;
	MDB_val k = { sizeof(kb), kb }, v;
	size_t n, cap = IDENT_ENCODED_MAX;
	int rc;

	if (!store_has(st, CADV_T_IDENTS))
		return MDB_NOTFOUND;
	if ((rc = ident_key(id, kb)) != 0)
		return rc;
	if ((buf = malloc(cap)) == NULL)
		return errno;
	n = ident_encode(id, buf, cap);
	if (n == 0) {
		free(buf);
		return EINVAL;
	}
	v.mv_size = n;
	v.mv_data = buf;
	rc = mdb_put(txn, store_dbi(st, CADV_T_IDENTS), &k, &v, 0);
	free(buf);
	return rc;
}

int
store_ident_del(struct store *st, MDB_txn *txn, const struct cadv_ident *id)
{
	unsigned char kb[IDENT_KEY_LEN];
	MDB_val k = { sizeof(kb), kb };
	int rc;

	if (!store_has(st, CADV_T_IDENTS))
		return MDB_NOTFOUND;
	if ((rc = ident_key(id, kb)) != 0)
		return rc;
	return mdb_del(txn, store_dbi(st, CADV_T_IDENTS), &k, NULL);
}

int
store_idents_prune(struct store *st, MDB_txn *txn, uint64_t before,
    size_t *n)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t gone;
	int rc;

	*n = 0;
	if (!store_has(st, CADV_T_IDENTS))
		return 0;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_IDENTS), &cur)) != 0)
		return rc;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* the header alone says when it went: no decoding */
		if (v.mv_size < IDENT_HDR) {
			rc = store_corrupt(st, TBL_IDENTS, "a record",
			    "shorter than its header");
			break;
		}
		gone = val_u64_get((unsigned char *)v.mv_data + IR_GONE);
		if (gone == 0 || gone >= before)
			continue;
		/* its layer's measure goes with it (same key) */
		if (k.mv_size == IDENT_KEY_LEN &&
		    (rc = store_layer_del_key(st, txn, k.mv_data)) != 0)
			break;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		(*n)++;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int
store_layer_put(struct store *st, MDB_txn *txn, const char *cgroup,
    size_t len, uint64_t seen_ns, const struct cadv_layer *r)
{
	unsigned char kb[IDENT_KEY_LEN], vb[LAYER_VALUE_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	if (!store_has(st, CADV_T_LAYERS))
		return MDB_NOTFOUND;
	key_ident(kb, cgroup, len, seen_ns);
	(void)layer_rec_encode(r, vb, sizeof(vb));
	return mdb_put(txn, store_dbi(st, CADV_T_LAYERS), &k, &v, 0);
}

int
store_layer_del_key(struct store *st, MDB_txn *txn, const void *key)
{
	MDB_val k = { IDENT_KEY_LEN, (void *)(uintptr_t)key };
	int rc;

	if (!store_has(st, CADV_T_LAYERS))
		return 0;
	rc = mdb_del(txn, store_dbi(st, CADV_T_LAYERS), &k, NULL);
	return rc == MDB_NOTFOUND ? 0 : rc;
}
