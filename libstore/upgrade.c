#include "upgrade.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* Counts and empties a table. */
static int
empty(MDB_txn *txn, MDB_dbi dbi, size_t *n)
{
	MDB_stat ms;
	int rc;

	if ((rc = mdb_stat(txn, dbi, &ms)) != 0)
		return rc;
	if (n != NULL)
		*n += ms.ms_entries;
	return mdb_drop(txn, dbi, 0);
}

/* Live containers stay; deleted ones and any record that does not decode
 * go (their samples are gone anyway). */
static int
upgrade_containers(struct store *st, MDB_txn *txn, struct upgrade_report *r,
    uint64_t *max_id)
{
	struct cadv_container *c;
	MDB_cursor *cur;
	MDB_val k, v;
	const char *why;
	int rc;

	if ((c = malloc(sizeof(*c))) == NULL)
		return ENOMEM;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_CONTAINERS),
	    &cur)) != 0) {
		free(c);
		return rc;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != U64_KEY_LEN ||
		    container_decode(v.mv_data, v.mv_size, c, &why) == -1 ||
		    c->deleted_ns != 0) {
			if ((rc = mdb_cursor_del(cur, 0)) != 0)
				break;
			r->containers_dropped++;
			continue;
		}
		c->id = key_u64_get(k.mv_data);
		if (c->id > *max_id)
			*max_id = c->id;
		/* schemas 1 to 4 wrote this layout: the bytes stay as they are */
		r->containers_kept++;
	}
	mdb_cursor_close(cur);
	free(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* A name index entry of a container that is gone goes too. */
static int
upgrade_names(struct store *st, MDB_txn *txn)
{
	MDB_dbi containers = store_dbi(st, CADV_T_CONTAINERS);
	MDB_cursor *cur;
	MDB_val k, v, ck, cv;
	int rc;

	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_NAMES), &cur)) != 0)
		return rc;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size == U64_KEY_LEN && v.mv_size == U64_KEY_LEN) {
			ck = v;
			if ((rc = mdb_get(txn, containers, &ck, &cv)) == 0)
				continue;
			if (rc != MDB_NOTFOUND)
				break;
		}
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static int
upgrade_events(struct store *st, MDB_txn *txn, struct upgrade_report *r,
    uint64_t *max_seq)
{
	struct cadv_event *e;
	MDB_cursor *cur;
	MDB_val k, v;
	const char *why;
	int rc;

	if ((e = malloc(sizeof(*e))) == NULL)
		return ENOMEM;
	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_EVENTS), &cur)) != 0) {
		free(e);
		return rc;
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != U64_KEY_LEN ||
		    event_decode(v.mv_data, v.mv_size, e, &why) == -1) {
			if ((rc = mdb_cursor_del(cur, 0)) != 0)
				break;
			r->events_dropped++;
			continue;
		}
		*max_seq = key_u64_get(k.mv_data);
		r->events_kept++;
	}
	mdb_cursor_close(cur);
	free(e);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* The counters must stay ahead of what is kept, whatever the old store
 * held under them; heartbeats of the old daemons mean nothing now. */
static int
upgrade_meta(struct store *st, MDB_txn *txn, uint64_t max_id,
    uint64_t max_seq)
{
	static const char *const heartbeat = META_HEARTBEAT;
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t next;
	int rc;

	if ((rc = mdb_cursor_open(txn, store_dbi(st, CADV_T_META), &cur)) != 0)
		return rc;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < strlen(heartbeat) ||
		    memcmp(k.mv_data, heartbeat, strlen(heartbeat)) != 0)
			continue;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return rc;
	rc = store_meta_get_u64(st, txn, META_NEXT_ID, &next);
	if (rc != 0 || next <= max_id)
		if ((rc = store_meta_put_u64(st, txn, META_NEXT_ID,
		    max_id + 1)) != 0)
			return rc;
	rc = store_meta_get_u64(st, txn, META_NEXT_EVENT, &next);
	if (rc != 0 || next <= max_seq)
		if ((rc = store_meta_put_u64(st, txn, META_NEXT_EVENT,
		    max_seq + 1)) != 0)
			return rc;
	return 0;
}

int
store_upgrade(struct store *st, MDB_txn *txn, uint32_t from,
    struct upgrade_report *r)
{
	uint64_t max_id = 0, max_seq = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->from = from;
	if (from < SCHEMA_UPGRADE_MIN || from >= CADV_SCHEMA_VERSION)
		return EINVAL;
	if ((rc = empty(txn, store_dbi(st, CADV_T_SAMPLES),
	    &r->samples_dropped)) != 0 ||
	    (rc = empty(txn, store_dbi(st, CADV_T_LATEST), NULL)) != 0 ||
	    (rc = empty(txn, store_dbi(st, CADV_T_FS), NULL)) != 0 ||
	    (rc = upgrade_containers(st, txn, r, &max_id)) != 0 ||
	    (rc = upgrade_names(st, txn)) != 0 ||
	    (rc = upgrade_events(st, txn, r, &max_seq)) != 0 ||
	    (rc = upgrade_meta(st, txn, max_id, max_seq)) != 0)
		return rc;
	return 0;
}
