/* Opening the store, snapshots, errors and the store's own health: the
 * public face of store.h's reading half. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cadv_impl.h"
#include "paths.h"

CADV_EXPORT int
cadv_open(const char *dir, struct cadv **out, char *err, size_t errsz)
{
	char path[4096], why[512];
	struct cadv *db;
	int rc;

	*out = NULL;
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (paths_store(dir, path, sizeof(path), why, sizeof(why)) != 0) {
		if (err != NULL)
			snprintf(err, errsz, "%s", why);
		return CADV_NOSTORE;
	}
	if ((db = calloc(1, sizeof(*db))) == NULL) {
		if (err != NULL)
			snprintf(err, errsz, "%s", cadv_strerror(ENOMEM));
		return ENOMEM;
	}
	if ((rc = store_open_read(&db->st, path, why,
	    sizeof(why))) != 0) {
		if (err != NULL)
			snprintf(err, errsz, "%s", why);
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

CADV_EXPORT void
cadv_close(struct cadv *db)
{
	if (db == NULL)
		return;
	store_close(db->st);
	free(db);
}

CADV_EXPORT const char *
cadv_dir(const struct cadv *db)
{
	return store_dir(db->st);
}

CADV_EXPORT const char *
cadv_strerror(int rc)
{
	return store_strerror(rc);
}

CADV_EXPORT const char *
cadv_error(const struct cadv *db, int rc)
{
	return store_error(db != NULL ? db->st : NULL, rc);
}

CADV_EXPORT int
cadv_begin(struct cadv *db, struct cadv_txn **out)
{
	struct cadv_txn *t;
	int rc;

	*out = NULL;
	if ((t = malloc(sizeof(*t))) == NULL)
		return ENOMEM;
	t->st = db->st;
	if ((rc = store_read_begin(db->st, &t->txn)) != 0) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

CADV_EXPORT void
cadv_end(struct cadv_txn *t)
{
	if (t == NULL)
		return;
	store_read_end(t->txn);
	free(t);
}

CADV_EXPORT int
cadv_usage(struct cadv *db, struct cadv_usage *u)
{
	struct store_usage su;
	int rc;

	if ((rc = store_usage(db->st, &su)) != 0)
		return rc;
	u->map_size = su.map_size;
	u->used = su.used;
	u->readers_used = su.readers_used;
	u->readers_max = su.readers_max;
	return 0;
}

CADV_EXPORT int
cadv_reader_check(struct cadv *db, int *dead)
{
	return store_reader_check(db->st, dead);
}

CADV_EXPORT int
cadv_writer_holder(const struct cadv *db, int32_t *tid)
{
	pid_t t = 0;
	int rc;

	rc = store_writer_holder(db->st, &t);
	*tid = (int32_t)t;
	return rc;
}
