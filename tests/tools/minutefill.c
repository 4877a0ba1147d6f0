/* minutefill: the summary's minutes of one stored container, written or
 * read as collectord writes them (docs/SCHEMA.md "minutes").
 *   minutefill STORE NAME fill N [GAP]: N minutes ending with the one
 *       before now's, the oldest first (i = 0 .. N-1): cpu (i + 1) x 10
 *       millicores and memory (i + 1) MiB for every percentile, the max
 *       twice that, 100 % complete; with GAP, every GAP-th minute left
 *       out (a collectord that was away).
 *   minutefill STORE NAME dump: each record as a JSON line.
 *   minutefill STORE NAME bad: one record cadvctl check refuses (percent
 *       101) and one keyed off a minute's start. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "storeminute.h"
#include "storewrite.h"

struct fill {
	const char	*name;
	uint64_t	 n, gap, now;
	int		 bad;
};

static int
bad_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct fill *f = arg;
	struct cadv_container c;
	struct cadv_minute m;
	unsigned char kb[MINUTE_KEY_LEN], vb[MINUTE_VALUE_LEN];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(vb), vb };
	int rc;

	if ((rc = store_container_find(st, txn, f->name, strlen(f->name),
	    &c)) != 0)
		return rc;
	memset(&m, 0, sizeof(m));
	minute_encode(&m, vb);
	key_minute(kb, c.id, MINUTE_NS + 1);
	if ((rc = mdb_put(txn, store_dbi(st, CADV_T_MINUTES), &k, &v, 0)) != 0)
		return rc;
	vb[MR_PERCENT] = 101;
	key_minute(kb, c.id, 2 * MINUTE_NS);
	return mdb_put(txn, store_dbi(st, CADV_T_MINUTES), &k, &v, 0);
}

static int
fill_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct fill *f = arg;
	struct cadv_container c;
	struct cadv_minute m;
	uint64_t i, last = f->now - f->now % MINUTE_NS - MINUTE_NS, v;
	int rc;

	if ((rc = store_container_find(st, txn, f->name, strlen(f->name),
	    &c)) != 0)
		return rc;
	for (i = 0; i < f->n; i++) {
		if (f->gap != 0 && i % f->gap == f->gap - 1)
			continue;
		memset(&m, 0, sizeof(m));
		m.start_ns = last - (f->n - 1 - i) * MINUTE_NS;
		m.nsamples = 60;
		m.nrates = 59;
		m.percent = 100;
		m.flags = CADV_MF_CPU | CADV_MF_MEMORY;
		v = (i + 1) * 10;
		m.cpu = (struct cadv_percentiles){ v, 2 * v, v, v, v };
		v = (i + 1) << 20;
		m.memory = (struct cadv_percentiles){ v, 2 * v, v, v, v };
		if ((rc = store_minute_put(st, txn, c.id, &m)) != 0)
			return rc;
	}
	return 0;
}

static int
dump_fn(const struct cadv_minute *m, void *arg)
{
	(void)arg;
	printf("{\"start\": %" PRIu64 ", \"nsamples\": %u, \"nrates\": %u, "
	    "\"percent\": %u, \"flags\": %u, \"cpu\": [%" PRIu64 ", %" PRIu64
	    ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 "], \"memory\": [%" PRIu64
	    ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 "]}\n",
	    m->start_ns, m->nsamples, m->nrates, m->percent, m->flags,
	    m->cpu.mean, m->cpu.max, m->cpu.fifty, m->cpu.ninety,
	    m->cpu.ninetyfive, m->memory.mean, m->memory.max,
	    m->memory.fifty, m->memory.ninety, m->memory.ninetyfive);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct fill f = { NULL, 0, 0, 0, 0 };
	struct store *st;
	struct cadv_container c;
	MDB_txn *txn;
	char err[512];
	int rc, dump;

	log_init("minutefill", 0);
	f.bad = argc >= 4 && strcmp(argv[3], "bad") == 0;
	if (argc < 4 || (!(dump = strcmp(argv[3], "dump") == 0) && !f.bad &&
	    (strcmp(argv[3], "fill") != 0 || argc < 5)))
		fatalx("usage: minutefill STORE NAME fill N [GAP] | dump | bad");
	f.name = argv[2];
	rc = dump ? store_open_read(&st, argv[1], err, sizeof(err)) :
	    store_open(&st, argv[1], err, sizeof(err));
	if (rc != 0)
		fatalx("%s", err);
	if (dump) {
		if ((rc = store_read_begin(st, &txn)) != 0)
			fatalx("%s", store_error(st, rc));
		if ((rc = store_container_find(st, txn, f.name,
		    strlen(f.name), &c)) == 0)
			rc = store_minutes_range(st, txn, c.id, 0, UINT64_MAX,
			    dump_fn, NULL);
		store_read_end(txn);
	} else if (f.bad)
		rc = store_write(st, bad_fn, &f);
	else {
		f.n = strtoull(argv[4], NULL, 10);
		f.gap = argc > 5 ? strtoull(argv[5], NULL, 10) : 0;
		f.now = clock_now_ns();
		rc = store_write(st, fill_fn, &f);
	}
	if (rc != 0)
		fatalx("%s: %s", f.name, store_error(st, rc));
	store_close(st);
	return 0;
}
