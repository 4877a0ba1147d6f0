/* Writable layers in the store (storelayer.h, SCHEMA.md "layers"). */
#include <string.h>

#include "le.h"
#include "schema.h"
#include "storelayer.h"

size_t
layer_rec_encode(const struct cadv_layer *r, unsigned char *out, size_t sz)
{
	if (sz < LAYER_VALUE_LEN)
		return 0;
	put64(out + LR_MEASURED, r->measured_ns);
	put64(out + LR_BYTES, r->bytes);
	put64(out + LR_INODES, r->inodes);
	put32(out + LR_MAJOR, r->major);
	put32(out + LR_MINOR, r->minor);
	put64(out + LR_WALK_NS, r->walk_ns);
	put32(out + LR_FLAGS, r->flags);
	return LAYER_VALUE_LEN;
}

int
layer_rec_decode(const unsigned char *p, size_t len, struct cadv_layer *r,
    const char **why)
{
	/* longer is a later version's additions */
	if (len < LAYER_VALUE_LEN) {
		*why = "shorter than a layer record";
		return -1;
	}
	r->measured_ns = get64(p + LR_MEASURED);
	r->bytes = get64(p + LR_BYTES);
	r->inodes = get64(p + LR_INODES);
	r->major = get32(p + LR_MAJOR);
	r->minor = get32(p + LR_MINOR);
	r->walk_ns = get64(p + LR_WALK_NS);
	r->flags = get32(p + LR_FLAGS);
	return 0;
}

int
store_layer_get(struct store *st, MDB_txn *txn, const char *cgroup,
    size_t len, uint64_t seen_ns, struct cadv_layer *r)
{
	unsigned char kb[IDENT_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	const char *why;
	int rc;

	if (!store_has(st, CADV_T_LAYERS))
		return MDB_NOTFOUND;
	key_ident(kb, cgroup, len, seen_ns);
	if ((rc = mdb_get(txn, store_dbi(st, CADV_T_LAYERS), &k, &v)) != 0)
		return rc;
	if (layer_rec_decode(v.mv_data, v.mv_size, r, &why) == -1)
		return store_corrupt(st, TBL_LAYERS, "a record", why);
	return 0;
}
