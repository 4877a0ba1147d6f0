/* Samples, by round (store.c's reading side says why), and their device
 * extras: a writer's rounds, tools' single samples, and retention. */
#include "storewrite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* With a sample goes its diskio record. */
static int
diskio_del(struct store *st, MDB_txn *txn, const MDB_val *key)
{
	MDB_val k = *key;
	int rc;

	if (!st->has[CADV_T_DISKIO])
		return 0;
	rc = mdb_del(txn, st->dbi[CADV_T_DISKIO], &k, NULL);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* A whole sample's extras (tools' store_sample_put), replacing any. */
static int
diskio_put(struct store *st, MDB_txn *txn, const MDB_val *key,
    const struct cadv_sample *s)
{
	MDB_val k = *key, v;
	unsigned char *buf;
	int rc;

	if (!st->has[CADV_T_DISKIO])
		return 0;
	if ((buf = malloc(DISKIO_VALUE_MAX)) == NULL)
		return ENOMEM;
	v.mv_data = buf;
	if ((v.mv_size = diskio_encode(s, buf, DISKIO_VALUE_MAX)) == 0)
		rc = diskio_del(st, txn, key);
	else
		rc = mdb_put(txn, st->dbi[CADV_T_DISKIO], &k, &v, 0);
	free(buf);
	return rc;
}

int
store_diskio_append(struct store *st, MDB_txn *txn, uint64_t round,
    uint64_t id, const void *enc, size_t len)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { len, (void *)enc };
	int rc;

	if (!st->has[CADV_T_DISKIO])
		return 0;
	key_sample(kb, round, id);
	/* on the end, as the samples (full pages); a stray later key left
	 * by a damaged past is no reason to lose the round */
	if ((rc = mdb_put(txn, st->dbi[CADV_T_DISKIO], &k, &v, MDB_APPEND)) != MDB_KEYEXIST)
		return rc;
	return mdb_put(txn, st->dbi[CADV_T_DISKIO], &k, &v, 0);
}

static int
latest_put(struct store *st, MDB_txn *txn, uint64_t id, uint64_t round)
{
	unsigned char kb[U64_KEY_LEN], vb[8];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };

	key_u64(kb, id);
	val_u64(vb, round);
	return mdb_put(txn, st->dbi[CADV_T_LATEST], &k, &v, 0);
}

static int
sample_write(struct store *st, MDB_txn *txn, uint64_t round, uint64_t id,
    uint64_t ts, const struct cadv_sample *s, const void *enc, size_t len,
    unsigned flags)
{
	unsigned char kb[SAMPLE_KEY_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	if (len > SAMPLE_VALUE_MAX)
		return EINVAL;
	key_sample(kb, round, id);
	v.mv_size = SAMPLE_TS_LEN + len;
	if ((rc = mdb_put(txn, st->dbi[CADV_T_SAMPLES], &k, &v, flags | MDB_RESERVE)) != 0)
		return rc;
	val_u64(v.mv_data, ts);
	if (s == NULL) {
		memcpy((unsigned char *)v.mv_data + SAMPLE_TS_LEN, enc, len);
		return 0;
	}
	if (sample_encode(s, (unsigned char *)v.mv_data + SAMPLE_TS_LEN,
	    len) != len)
		return EINVAL;
	return diskio_put(st, txn, &k, s);
}

int
store_sample_put(struct store *st, MDB_txn *txn, uint64_t id, uint64_t ts,
    const struct cadv_sample *s)
{
	uint64_t newest;
	int rc;

	/* a round of its own, keyed by the sample's time */
	if ((rc = sample_write(st, txn, ts, id, ts, s, NULL,
	    sample_encoded_size(s), 0)) != 0)
		return rc;
	rc = store_latest_get(st, txn, id, &newest);
	if (rc == 0 && newest >= ts)
		return 0;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	return latest_put(st, txn, id, ts);
}

int
store_round_begin(struct store *st, MDB_txn *txn, uint64_t first_ts,
    uint64_t *round)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t last, id, ts;
	int rc;

	*round = first_ts;
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_SAMPLES], &cur)) != 0)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0)
		rc = store_sample_decode(st, &k, &v, &last, &id, &ts, NULL);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	/* a clock stepped back: keys go on ascending */
	if (last == UINT64_MAX)
		return EOVERFLOW;
	if (*round <= last)
		*round = last + 1;
	return 0;
}

int
store_sample_append(struct store *st, MDB_txn *txn, uint64_t round,
    uint64_t id, uint64_t ts, const void *enc, size_t len)
{
	int rc;

	if ((rc = sample_write(st, txn, round, id, ts, NULL, enc, len,
	    MDB_APPEND)) != 0)
		return rc;
	return latest_put(st, txn, id, round);
}

struct prune {
	uint64_t	 before;
	size_t		 ndel;
};

static int
prune_one(struct store *st, MDB_cursor *cur, const MDB_val *k,
    const MDB_val *v, void *arg)
{
	struct prune *g = arg;
	uint64_t round, id, ts;
	int rc;

	if ((rc = store_sample_decode(st, k, v, &round, &id, &ts, NULL)) != 0)
		return rc;
	if (ts >= g->before)
		return 0;
	if ((rc = diskio_del(st, mdb_cursor_txn(cur), k)) != 0 ||
	    (rc = mdb_cursor_del(cur, 0)) != 0)
		return rc;
	g->ndel++;
	return 0;
}

int
store_samples_prune(struct store *st, MDB_txn *txn, uint64_t id,
    uint64_t before, size_t *ndel)
{
	struct prune g = { before, 0 };
	MDB_cursor *cur;
	int rc;

	*ndel = 0;
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_SAMPLES], &cur)) != 0)
		return rc;
	rc = store_series_walk(st, cur, id, 0, UINT64_MAX, prune_one, &g);
	mdb_cursor_close(cur);
	*ndel = g.ndel;
	return rc;
}

int
store_samples_prune_all(struct store *st, MDB_txn *txn, uint64_t before,
    size_t *ndel)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t round, id, ts;
	int rc;

	*ndel = 0;
	if ((rc = mdb_cursor_open(txn, st->dbi[CADV_T_SAMPLES], &cur)) != 0)
		return rc;
	/* oldest rounds first; no round keyed at or after before holds an
	 * older sample, so the walk ends there */
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0) {
		if ((rc = store_sample_decode(st, &k, &v, &round, &id, &ts,
		    NULL)) != 0)
			break;
		if (round >= before) {
			rc = MDB_NOTFOUND;
			break;
		}
		if (ts < before) {
			if ((rc = diskio_del(st, txn, &k)) != 0 ||
			    (rc = mdb_cursor_del(cur, 0)) != 0)
				break;
			(*ndel)++;
		}
		/* after a delete, MDB_NEXT gives the entry that moved up */
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}
