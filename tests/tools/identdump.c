/* identdump: prints every identity in a store (TBL_IDENTS) as one JSON
 * line: jsonfmt_ident plus the record's seen_ns and gone_ns.  For tests of
 * identd that must not depend on cadvctl. */
#include <stdio.h>
#include <stdlib.h>

#include "jsonfmt.h"
#include "storeident.h"
#include "storewrite.h"

static int
print(const struct cadv_ident *id, void *arg)
{
	struct json_object *o = jsonfmt_ident(id);

	(void)arg;
	json_object_object_add(o, "seen_ns", json_object_new_uint64(id->seen_ns));
	json_object_object_add(o, "gone_ns", json_object_new_uint64(id->gone_ns));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

int
main(int argc, char **argv)
{
	char err[4096];
	struct store *st;
	MDB_txn *txn;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: identdump STORE\n");
		return 2;
	}
	if ((rc = store_open_read(&st, argv[1], err,
	    sizeof(err))) != 0) {
		fprintf(stderr, "identdump: %s\n", err);
		return 1;
	}
	if ((rc = store_read_begin(st, &txn)) == 0) {
		rc = store_idents_each(st, txn, print, NULL);
		store_read_end(txn);
	}
	if (rc != 0)
		fprintf(stderr, "identdump: %s\n", store_error(st, rc));
	store_close(st);
	return rc != 0;
}
