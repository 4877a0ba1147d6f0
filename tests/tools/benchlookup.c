/*
 * benchlookup STORE NAME N: the client library's latest-sample lookup, for
 * `make bench`.  Finds NAME once, then calls store_sample_latest N times,
 * each in a read transaction of its own (as a reader polling the newest
 * value would), and prints the mean wall time per lookup in ns.
 */
#include <bsd/stdlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "store.h"
#include "storewrite.h"

int
main(int argc, char **argv)
{
	static struct cadv_sample s;
	struct cadv_container c;
	struct store *st;
	MDB_txn *txn;
	char err[4352];
	const char *errstr;
	uint64_t ts, t0, t1;
	long long i, n;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: benchlookup STORE NAME N\n");
		return 2;
	}
	n = strtonum(argv[3], 1, 100000000, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "benchlookup: N %s\n", errstr);
		return 2;
	}
	if (store_open_read(&st, argv[1], err, sizeof(err)) != 0) {
		fprintf(stderr, "benchlookup: %s\n", err);
		return 1;
	}
	if ((rc = store_read_begin(st, &txn)) != 0 ||
	    (rc = store_container_find(st, txn, argv[2], strlen(argv[2]),
	    &c)) != 0) {
		fprintf(stderr, "benchlookup: %s: %s\n", argv[2],
		    store_strerror(rc));
		return 1;
	}
	store_read_end(txn);
	t0 = clock_mono_ns();
	for (i = 0; i < n; i++) {
		if ((rc = store_read_begin(st, &txn)) != 0)
			break;
		rc = store_sample_latest(st, txn, c.id, &ts, &s);
		store_read_end(txn);
		if (rc != 0)
			break;
	}
	t1 = clock_mono_ns();
	store_close(st);
	if (rc != 0) {
		fprintf(stderr, "benchlookup: %s\n", store_strerror(rc));
		return 1;
	}
	printf("lookup_ns %llu\n", (unsigned long long)((t1 - t0) / (uint64_t)n));
	return 0;
}
