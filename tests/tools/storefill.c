/* storefill: writes containers and samples into a store through libshared,
 * for tests of readers (cadvctl, the Python reader, mdb_stat) that must not
 * depend on collectord.  Values are deterministic functions of the
 * container and sample index. */
#include <bsd/stdlib.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "store.h"

static const char *const odd_names[] = {
	"/fill/with space", "/fill/new\nline", "/fill/tab\there",
	"/fill/quote\"back\\slash", "/fill/\xff\xfe-invalid-utf8",
	"/fill/caf\xc3\xa9",
};

struct fill {
	size_t		 nevents;
	size_t		 ncont, nsamples;
	int		 odd;
	uint64_t	 t0;
	struct sample	 s;
};

static size_t
name_of(const struct fill *f, size_t i, char *buf, size_t sz)
{
	size_t nodd = sizeof(odd_names) / sizeof(odd_names[0]);

	if (f->odd && i < nodd)
		return (size_t)snprintf(buf, sz, "%s", odd_names[i]);
	return (size_t)snprintf(buf, sz, "/fill/c%zu", i);
}

static void
fill_sample(struct sample *s, size_t c, uint64_t k)
{
	size_t i;

	sample_clear(s);
	for (i = 0; i < SF_COUNT; i++)
		if ((i + c) % 4 != 0)
			sample_set(s, (enum sample_field)i,
			    (uint64_t)c * 1000000 + k * 1000 + i);
	s->ncpu = 2;
	s->percpu[0] = k * 10;
	s->percpu[1] = k * 20 + c;
	s->nblk = 1;
	s->blk[0] = (struct sample_blk){ 254, (uint32_t)c, k, 2 * k, 3, 4 };
	s->nnet = c % 2;
	if (s->nnet) {
		memset(&s->net[0], 0, sizeof(s->net[0]));
		strcpy(s->net[0].name, "eth0");
		s->net[0].rx_bytes = k;
		s->net[0].tx_bytes = 2 * k;
	}
}

static int
fill_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct fill *f = arg;
	struct container c;
	char name[256];
	size_t i, k;
	int rc;

	for (i = 0; i < f->ncont; i++) {
		size_t len = name_of(f, i, name, sizeof(name));

		rc = store_container_find(st, txn, name, len, &c);
		if (rc == MDB_NOTFOUND) {
			memset(&c, 0, sizeof(c));
			memcpy(c.name, name, len);
			c.name_len = len;
			c.created_ns = f->t0 - 3600 * 1000000000ULL + i;
			spec_set(&c, SP_MEM_LIMIT, (uint64_t)(i + 1) << 20);
			spec_set(&c, SP_PIDS_LIMIT, CADV_UNLIMITED);
			if (i % 3 == 2)
				c.deleted_ns = f->t0 - 1;
			rc = store_container_add(st, txn, &c);
		}
		if (rc != 0)
			return rc;
		for (k = 0; k < f->nsamples; k++) {
			fill_sample(&f->s, i, k);
			rc = store_sample_put(st, txn, c.id,
			    f->t0 + k * 1000000000ULL, &f->s);
			if (rc != 0)
				return rc;
		}
	}
	/* events: types in turn, containers in turn, one second apart */
	for (k = 0; k < f->nevents; k++) {
		static const char *const names[] = { "/a", "/a/b", "/ab", "/c" };
		static struct event e;
		const char *nm = names[k % 4];

		memset(&e, 0, sizeof(e));
		e.type = (enum event_type)(1 + k % EV_TYPE_MAX);
		e.ts_ns = f->t0 - (f->nevents - k) * 1000000000ULL;
		e.container_len = strlen(nm);
		memcpy(e.container, nm, e.container_len);
		if (e.type == EV_OOM_KILL) {
			e.pid = (uint32_t)(1000 + k);
			e.comm_len = 3;
			memcpy(e.comm, "hog", 3);
		}
		if ((rc = store_event_add(st, txn, &e)) != 0)
			return rc;
	}
	return store_heartbeat_put(st, txn, "storefill", clock_now_ns());
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "containers", required_argument, NULL, 'c' },
		{ "samples", required_argument, NULL, 'n' },
		{ "hold", required_argument, NULL, 'h' },
		{ "odd", no_argument, NULL, 'o' },
		{ "events", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct fill *f = calloc(1, sizeof(*f));
	const char *dir = NULL, *errstr;
	struct store *st;
	char err[PATH_MAX + 256];
	long long hold = 0;
	int ch, rc;

	log_init("storefill", 0);
	f->ncont = 3;
	f->nsamples = 5;
	while ((ch = getopt_long(argc, argv, "s:c:n:h:oe:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			dir = optarg;
			break;
		case 'c':
			f->ncont = (size_t)strtonum(optarg, 1, 100000, &errstr);
			if (errstr)
				fatalx("--containers: %s", errstr);
			break;
		case 'n':
			f->nsamples = (size_t)strtonum(optarg, 0, 100000, &errstr);
			if (errstr)
				fatalx("--samples: %s", errstr);
			break;
		case 'h':
			hold = strtonum(optarg, 0, 3600, &errstr);
			if (errstr)
				fatalx("--hold: %s", errstr);
			break;
		case 'o':
			f->odd = 1;
			break;
		case 'e':
			f->nevents = (size_t)strtonum(optarg, 0, 1000000, &errstr);
			if (errstr)
				fatalx("--events: %s", errstr);
			break;
		default:
			fprintf(stderr, "usage: storefill --store DIR "
			    "[--containers N] [--samples N] [--hold SECS] "
			    "[--odd] [--events N]\n");
			return 2;
		}
	}
	if (dir == NULL)
		fatalx("--store is required");
	if ((rc = store_open(&st, dir, 0, err, sizeof(err))) != 0)
		fatalx("%s", err);
	/* whole seconds, so that readers can compare timestamps exactly */
	f->t0 = clock_now_ns() / 1000000000ULL * 1000000000ULL;
	if ((rc = store_write(st, fill_fn, f)) != 0)
		fatalx("write: %s", store_strerror(rc));
	f->nevents = 0;		/* once */
	printf("ready\n");
	fflush(stdout);
	/* Keep the environment open, writing now and then, so that tests can
	 * read it while a writer holds it. */
	while (hold-- > 0) {
		sleep(1);
		f->t0 += f->nsamples * 1000000000ULL;
		if ((rc = store_write(st, fill_fn, f)) != 0)
			fatalx("write: %s", store_strerror(rc));
	}
	store_close(st);
	free(f);
	return 0;
}
