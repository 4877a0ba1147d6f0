/* A daemon's process figures beside its heartbeat (storeproc.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store_impl.h"
#include "storeproc.h"

int
store_process_key(char *buf, size_t sz, const char *daemon)
{
	return (size_t)snprintf(buf, sz, "%s%s", META_PROCESS, daemon) < sz ?
	    0 : EINVAL;
}

int
store_process_get(struct store *st, MDB_txn *txn, const char *daemon,
    struct cadv_process *p)
{
	const void *v;
	const char *why;
	char key[64];
	size_t len;
	int rc;

	if (store_process_key(key, sizeof(key), daemon) != 0)
		return EINVAL;
	if ((rc = store_meta_get_blob(st, txn, key, &v, &len)) != 0)
		return rc;
	if (process_decode(v, len, p, &why) != 0)
		return store_corrupt(st, TBL_META, key, why);
	return 0;
}
