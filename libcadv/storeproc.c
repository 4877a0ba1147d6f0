/* A daemon's process figures beside its heartbeat (storeproc.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "procself.h"
#include "storeproc.h"

static int
process_key(char *buf, size_t sz, const char *daemon)
{
	return (size_t)snprintf(buf, sz, "%s%s", META_PROCESS, daemon) < sz ?
	    0 : EINVAL;
}

int
store_process_note(struct store *st, MDB_txn *txn, const char *daemon,
    uint64_t now)
{
	/* one daemon a process: its last note, for the throttle */
	static uint64_t last;
	struct cadv_process p;
	unsigned char vb[PROCESS_VALUE_LEN];
	char key[64];

	if (last != 0 && now >= last && now - last < PROCESS_NOTE_NS)
		return 0;
	if (process_key(key, sizeof(key), daemon) != 0)
		return EINVAL;
	if (procself_read(&p) != 0)
		return 0;
	p.written_ns = now;
	process_encode(&p, vb);
	last = now;
	return store_meta_put_blob(st, txn, key, vb, sizeof(vb));
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

	if (process_key(key, sizeof(key), daemon) != 0)
		return EINVAL;
	if ((rc = store_meta_get_blob(st, txn, key, &v, &len)) != 0)
		return rc;
	if (process_decode(v, len, p, &why) != 0)
		return store_corrupt(st, TBL_META, key, why);
	return 0;
}
