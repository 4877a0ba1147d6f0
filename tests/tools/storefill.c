/* storefill: writes containers and samples into a store through the store layers,
 * for tests of readers (cadvctl, the Python reader, mdb_stat) that must not
 * depend on collectord.  Values are deterministic functions of the
 * container and sample index.  With --idents, each container also gets a
 * runtime identity as identd would store it (see idents_fill). */
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
#include "storeident.h"
#include "storewrite.h"

static const char *const odd_names[] = {
	"/fill/with space", "/fill/new\nline", "/fill/tab\there",
	"/fill/quote\"back\\slash", "/fill/\xff\xfe-invalid-utf8",
	"/fill/caf\xc3\xa9",
};

struct fill {
	size_t		 nevents;
	size_t		 ncont, nsamples;
	int		 odd;
	int		 idents;
	int		 ident_events_done;
	uint64_t	 t0;
	struct cadv_sample	 s;
	struct cadv_ident	 id;
};

static size_t
name_of(const struct fill *f, size_t i, char *buf, size_t sz)
{
	size_t nodd = sizeof(odd_names) / sizeof(odd_names[0]);

	if (f->odd && i < nodd)
		return (size_t)snprintf(buf, sz, "%s", odd_names[i]);
	return (size_t)snprintf(buf, sz, "/fill/c%zu", i);
}

/* With --idents every container has these interfaces: eth0 counts, the
 * others are ones cAdvisor skips */
static const char *const ident_ifs[] = { "eth0", "vethab12", "docker0",
    "nerdctl0", "LoopX" };

static void
fill_sample(const struct fill *f, struct cadv_sample *s, size_t c, uint64_t k)
{
	size_t i;

	sample_clear(s);
	for (i = 0; i < CADV_SF_COUNT; i++)
		if ((i + c) % 4 != 0)
			sample_set(s, (enum cadv_sample_field)i,
			    (uint64_t)c * 1000000 + k * 1000 + i);
	s->ncpu = 2;
	s->percpu[0] = k * 10;
	s->percpu[1] = k * 20 + c;
	s->nblk = 1;
	s->blk[0] = (struct cadv_blk){ 254, (uint32_t)c, k, 2 * k, 3, 4 };
	s->nnet = c % 2;
	if (s->nnet) {
		memset(&s->net[0], 0, sizeof(s->net[0]));
		strcpy(s->net[0].name, "eth0");
		s->net[0].rx_bytes = k;
		s->net[0].tx_bytes = 2 * k;
	}
	if (f->idents) {
		s->nnet = sizeof(ident_ifs) / sizeof(ident_ifs[0]);
		for (i = 0; i < s->nnet; i++) {
			memset(&s->net[i], 0, sizeof(s->net[i]));
			strcpy(s->net[i].name, ident_ifs[i]);
			s->net[i].rx_bytes = k + 100 * i;
			s->net[i].tx_bytes = 2 * k + 100 * i;
		}
	}
}

/* The identities --idents writes, by container index:
 *   0  podman "web1", localhost/bb:1, labels app=web, tier.name=front,
 *      env APP_MODE=prod and SECRET_TOKEN=hunter2, restarted twice
 *   1  docker "dweb", busybox:latest, label com.example.odd holding ",
 *      \, a newline and a byte 0xff, env PATH, restarted 3 times
 *   2  docker "oomer" (a deleted container): gone, exit code 137,
 *      OOM-killed; an oom_kill and a deletion event of its cgroup
 *   3  containerd CRI sandbox of pod shop/api-7d9f (uid 1111-...)
 *   4  containerd CRI container "api" of that pod, sharing the
 *      sandbox's network namespace
 *   6  docker "dside", sharing dweb's network namespace
 *   7  the pod-level cgroup of shop/api-7d9f
 *   others: podman "bulkN", labels app=bulk, idx=N, shardN%8=x
 * Ids are 64 hex digits made from the index. */
static void
hexid(char *out, size_t i)
{
	snprintf(out, 65, "%016zx%016zx%016zx%016zx", i + 0xc0ffee00, i,
	    i * 7 + 1, i * 13 + 5);
}

static int
ident_fill_one(struct store *st, MDB_txn *txn, struct fill *f, size_t i,
    const char *name, size_t nlen)
{
	struct cadv_ident *id = &f->id;
	char hid[65], other[65], buf[64];
	const char *odd = "quote\"back\\slash\nline\xff";

#define S(w, v)		(void)ident_set(id, w, v, strlen(v))
#define L(k, v)		(void)ident_add_label(id, k, strlen(k), v, strlen(v))
#define E(k, v)		(void)ident_add_env(id, k, strlen(k), v, strlen(v))
	ident_init(id);
	hexid(hid, i);
	(void)ident_set(id, CADV_IS_CGROUP, name, nlen);
	S(CADV_IS_ID, hid);
	id->seen_ns = f->t0 - 3600 * 1000000000ULL + i;
	id->created_ns = id->seen_ns - 1000000000ULL;
	id->started_ns = id->seen_ns;
	switch (i) {
	case 0:
		id->runtime = CADV_RT_PODMAN;
		S(CADV_IS_NAME, "web1");
		S(CADV_IS_IMAGE, "localhost/bb:1");
		L("app", "web");
		L("tier.name", "front");
		E("APP_MODE", "prod");
		E("SECRET_TOKEN", "hunter2");
		id->restart_count = 2;
		break;
	case 1:
		id->runtime = CADV_RT_DOCKER;
		S(CADV_IS_NAME, "dweb");
		S(CADV_IS_IMAGE, "busybox:latest");
		L("app", "dweb");
		L("com.example.odd", odd);
		E("PATH", "/bin");
		id->restart_count = 3;
		break;
	case 2:
		id->runtime = CADV_RT_DOCKER;
		S(CADV_IS_NAME, "oomer");
		S(CADV_IS_IMAGE, "localhost/bb:1");
		L("app", "hog");
		id->flags = CADV_IDF_EXITED | CADV_IDF_OOM_KILLED;
		id->exit_code = 137;
		id->finished_ns = f->t0 - 2000000000ULL;
		id->gone_ns = f->t0 - 1000000000ULL;
		break;
	case 3:
	case 4:
	case 7:
		id->runtime = CADV_RT_CONTAINERD;
		S(CADV_IS_RT_NAMESPACE, "k8s.io");
		S(CADV_IS_POD_NAME, "api-7d9f");
		S(CADV_IS_POD_NAMESPACE, "shop");
		S(CADV_IS_POD_UID, "1111-2222-3333");
		hexid(other, 3);
		if (i == 7) {
			/* a pod cgroup: no runtime container of its own */
			ident_init(id);
			(void)ident_set(id, CADV_IS_CGROUP, name, nlen);
			id->seen_ns = f->t0 - 3600 * 1000000000ULL + i;
			S(CADV_IS_POD_NAME, "api-7d9f");
			S(CADV_IS_POD_NAMESPACE, "shop");
			S(CADV_IS_POD_UID, "1111-2222-3333");
			id->flags = CADV_IDF_POD;
			break;
		}
		S(CADV_IS_NAME, hid);
		S(CADV_IS_SANDBOX_ID, other);
		L("io.kubernetes.pod.name", "api-7d9f");
		L("io.kubernetes.pod.namespace", "shop");
		L("io.kubernetes.pod.uid", "1111-2222-3333");
		if (i == 3) {
			id->flags = CADV_IDF_SANDBOX;
			S(CADV_IS_IMAGE, "localhost/pause:1");
			L("io.cri-containerd.kind", "sandbox");
		} else {
			S(CADV_IS_IMAGE, "localhost/bb:1");
			S(CADV_IS_CONTAINER_NAME, "api");
			S(CADV_IS_NETNS_OWNER, other);
			L("io.kubernetes.container.name", "api");
			L("io.cri-containerd.kind", "container");
		}
		break;
	case 6:
		id->runtime = CADV_RT_DOCKER;
		S(CADV_IS_NAME, "dside");
		S(CADV_IS_IMAGE, "busybox:latest");
		hexid(other, 1);
		S(CADV_IS_NETNS_OWNER, other);
		break;
	default:
		id->runtime = CADV_RT_PODMAN;
		snprintf(buf, sizeof(buf), "bulk%zu", i);
		S(CADV_IS_NAME, buf);
		S(CADV_IS_IMAGE, "localhost/bb:1");
		L("app", "bulk");
		snprintf(buf, sizeof(buf), "%zu", i);
		L("idx", buf);
		snprintf(buf, sizeof(buf), "shard%zu", i % 8);
		L(buf, "x");
		break;
	}
#undef S
#undef L
#undef E
	return store_ident_put(st, txn, id);
}

/* The gone container's last moments, and web1's creation */
static int
ident_events(struct store *st, MDB_txn *txn, struct fill *f)
{
	static struct cadv_event e;
	char name[256];
	int rc;

	memset(&e, 0, sizeof(e));
	e.container_len = name_of(f, 0, name, sizeof(name));
	memcpy(e.container, name, e.container_len);
	e.type = CADV_EV_CONTAINER_CREATION;
	e.ts_ns = f->t0 - 3600 * 1000000000ULL + 1000000000ULL;
	if ((rc = store_event_add(st, txn, &e)) != 0)
		return rc;
	memset(&e, 0, sizeof(e));
	e.container_len = name_of(f, 2, name, sizeof(name));
	memcpy(e.container, name, e.container_len);
	e.type = CADV_EV_OOM_KILL;
	e.ts_ns = f->t0 - 2000000000ULL;
	e.pid = 4242;
	e.comm_len = 3;
	memcpy(e.comm, "hog", 3);
	e.victim_len = e.container_len;
	memcpy(e.victim, name, e.victim_len);
	if ((rc = store_event_add(st, txn, &e)) != 0)
		return rc;
	memset(&e, 0, sizeof(e));
	e.container_len = name_of(f, 2, name, sizeof(name));
	memcpy(e.container, name, e.container_len);
	e.type = CADV_EV_CONTAINER_DELETION;
	e.ts_ns = f->t0 - 1000000000ULL;
	return store_event_add(st, txn, &e);
}

static int
fill_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct fill *f = arg;
	struct cadv_container c;
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
			spec_set(&c, CADV_SP_MEM_LIMIT, (uint64_t)(i + 1) << 20);
			spec_set(&c, CADV_SP_PIDS_LIMIT, CADV_UNLIMITED);
			if (i % 3 == 2)
				c.deleted_ns = f->t0 - 1;
			rc = store_container_add(st, txn, &c);
		}
		if (rc != 0)
			return rc;
		for (k = 0; k < f->nsamples; k++) {
			fill_sample(f, &f->s, i, k);
			rc = store_sample_put(st, txn, c.id,
			    f->t0 + k * 1000000000ULL, &f->s);
			if (rc != 0)
				return rc;
		}
		if (f->idents && (rc = ident_fill_one(st, txn, f, i, name,
		    len)) != 0)
			return rc;
	}
	if (f->idents && !f->ident_events_done && f->ncont > 2 &&
	    (rc = ident_events(st, txn, f)) != 0)
		return rc;
	/* events: types in turn, containers in turn, one second apart */
	for (k = 0; k < f->nevents; k++) {
		static const char *const names[] = { "/a", "/a/b", "/ab", "/c" };
		static struct cadv_event e;
		const char *nm = names[k % 4];

		memset(&e, 0, sizeof(e));
		e.type = (enum cadv_event_type)(1 + k % CADV_EV_TYPE_MAX);
		e.ts_ns = f->t0 - (f->nevents - k) * 1000000000ULL;
		e.container_len = strlen(nm);
		memcpy(e.container, nm, e.container_len);
		if (e.type == CADV_EV_OOM_KILL) {
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
		{ "idents", no_argument, NULL, 'i' },
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
	while ((ch = getopt_long(argc, argv, "s:c:n:h:oe:i", opts, NULL)) != -1) {
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
		case 'i':
			f->idents = 1;
			break;
		case 'e':
			f->nevents = (size_t)strtonum(optarg, 0, 1000000, &errstr);
			if (errstr)
				fatalx("--events: %s", errstr);
			break;
		default:
			fprintf(stderr, "usage: storefill --store DIR "
			    "[--containers N] [--samples N] [--hold SECS] "
			    "[--odd] [--events N] [--idents]\n");
			return 2;
		}
	}
	if (dir == NULL)
		fatalx("--store is required");
	if ((rc = store_open(&st, dir, err, sizeof(err))) != 0)
		fatalx("%s", err);
	/* whole seconds, so that readers can compare timestamps exactly */
	f->t0 = clock_now_ns() / 1000000000ULL * 1000000000ULL;
	if ((rc = store_write(st, fill_fn, f)) != 0)
		fatalx("write: %s", store_strerror(rc));
	f->nevents = 0;		/* once */
	f->ident_events_done = 1;
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
