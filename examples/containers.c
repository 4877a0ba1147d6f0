/* containers: every live container of a cadv store with its newest memory
 * usage, through libcadv alone.  Built outside cadv's tree:
 *
 *	cc -o containers containers.c $(pkg-config --cflags --libs cadv)
 *	./containers [STORE]
 *
 * One line a container: its name, then its memory usage in bytes ("-"
 * when its newest sample has none, or it has no sample yet). */
#include <inttypes.h>
#include <stdio.h>

#include <cadv.h>

struct walk {
	struct cadv_txn		*txn;
	struct cadv_sample	 s;	/* large: one for the whole walk */
};

static int
show(const struct cadv_container *c, void *arg)
{
	struct walk *w = arg;
	uint64_t ts;
	int rc;

	if (c->deleted_ns != 0)
		return 0;
	rc = cadv_sample_latest(w->txn, c->id, &ts, &w->s);
	if (rc != 0 && rc != CADV_NOTFOUND)
		return rc;
	if (rc == 0 && cadv_sample_has(&w->s, CADV_SF_MEM_USAGE))
		printf("%s %" PRIu64 "\n", c->name, w->s.v[CADV_SF_MEM_USAGE]);
	else
		printf("%s -\n", c->name);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct walk w;
	struct cadv *store;
	char err[512];
	int rc;

	if (cadv_open(argc > 1 ? argv[1] : NULL, &store, err, sizeof(err))) {
		fprintf(stderr, "containers: %s\n", err);
		return 1;
	}
	/* one snapshot: every line is of the same instant */
	rc = cadv_begin(store, &w.txn);
	if (rc == 0) {
		rc = cadv_containers_each(w.txn, show, &w);
		cadv_end(w.txn);
	}
	if (rc != 0)
		fprintf(stderr, "containers: %s\n", cadv_error(store, rc));
	cadv_close(store);
	return rc != 0;
}
