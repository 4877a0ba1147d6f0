/* apifill: adds to a store (storefill's) what the JSON API test needs
 * besides containers: the root container "/" with a full spec (shares, a
 * quota of "max", unlimited memory and pids) and two samples holding
 * every field (pressure, two interfaces, a block device), this machine's
 * MachineInfo and VersionInfo documents and its filesystems' usage, as
 * collectord writes them, and one OOM kill (limit hit in /apifill/pod,
 * the task's cgroup /apifill/pod/task) as eventd stores it: an "oom"
 * event on the limiting cgroup, an "oom_kill" on the task's with the
 * limiting one as victim.  With a cgroup name, a live (v1) container of
 * that name too. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fsinfo.h"
#include "log.h"
#include "machine.h"
#include "store.h"
#include "storewrite.h"

struct fill {
	const char	*machine, *version;
	const char	*cgroup;	/* a live v1 container to add, or NULL */
	struct fs_entry	*fs;
	size_t		 nfs;
	uint64_t	 now;
	struct cadv_sample	 s;
};

static void
root_sample(struct cadv_sample *s, uint64_t k)
{
	size_t i;

	sample_clear(s);
	for (i = 0; i < CADV_SF_COUNT; i++)
		sample_set(s, (enum cadv_sample_field)i, 1000 * k + i);
	/* pressure: 12.34% as ppm of a percent, totals in ns */
	sample_set(s, CADV_SF_PSI_CPU_SOME_AVG10, 123400);
	sample_set(s, CADV_SF_PSI_CPU_SOME_TOTAL, 5000000);
	s->ncpu = 2;
	s->percpu[0] = k;
	s->percpu[1] = 2 * k;
	s->nblk = 1;
	s->blk[0] = (struct cadv_blk){ 8, 0, 10 * k, 20 * k, k, 2 * k };
	s->nnet = 2;
	memset(s->net, 0, 2 * sizeof(s->net[0]));
	strcpy(s->net[0].name, "eth0");
	strcpy(s->net[1].name, "eth1");
	s->net[0].rx_bytes = 100 * k;
	s->net[1].tx_bytes = 200 * k;
}

static int
event(struct store *st, MDB_txn *txn, enum cadv_event_type t, uint64_t ts,
    const char *c, const char *victim)
{
	static struct cadv_event e;

	memset(&e, 0, sizeof(e));
	e.type = t;
	e.ts_ns = ts;
	e.container_len = strlen(c);
	memcpy(e.container, c, e.container_len);
	if (victim != NULL) {
		e.victim_len = strlen(victim);
		memcpy(e.victim, victim, e.victim_len);
		e.pid = 4343;
		e.comm_len = 4;
		memcpy(e.comm, "hogs", 4);
	}
	return store_event_add(st, txn, &e);
}

static int
fill_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct fill *f = arg;
	struct cadv_container c;
	struct cadv_fs u;
	size_t i;
	int rc;

	rc = store_container_find(st, txn, "/", 1, &c);
	if (rc == MDB_NOTFOUND) {
		memset(&c, 0, sizeof(c));
		c.name[0] = '/';
		c.name_len = 1;
		c.flags = CADV_CF_V2;
		c.created_ns = f->now - 7200 * 1000000000ULL;
		spec_set(&c, CADV_SP_MEM_LIMIT, CADV_UNLIMITED);
		spec_set(&c, CADV_SP_MEM_SWAP_LIMIT, CADV_UNLIMITED);
		spec_set(&c, CADV_SP_CPU_SHARES, 1024);
		spec_set(&c, CADV_SP_CPU_QUOTA, CADV_UNLIMITED);
		spec_set(&c, CADV_SP_CPU_PERIOD, 100000);
		spec_set(&c, CADV_SP_PIDS_LIMIT, CADV_UNLIMITED);
		memcpy(c.cpu_mask, "0-1", 3);
		c.mask_len = 3;
		rc = store_container_add(st, txn, &c);
	}
	if (rc != 0)
		return rc;
	for (i = 1; i <= 2; i++) {
		root_sample(&f->s, i);
		if ((rc = store_sample_put(st, txn, c.id,
		    f->now - (3 - i) * 1000000000ULL, &f->s)) != 0)
			return rc;
	}
	if ((rc = store_meta_put_blob(st, txn, META_MACHINE, f->machine,
	    strlen(f->machine))) != 0 ||
	    (rc = store_meta_put_blob(st, txn, META_VERSION, f->version,
	    strlen(f->version))) != 0)
		return rc;
	for (i = 0; i < f->nfs; i++) {
		if (fs_statfs(f->fs[i].mountpoint, &u) != 0)
			continue;
		if ((rc = store_fs_put(st, txn, f->fs[i].major, f->fs[i].minor,
		    f->now, &u)) != 0)
			return rc;
	}
	if (f->cgroup != NULL && (rc = store_container_find(st, txn, f->cgroup,
	    strlen(f->cgroup), &c)) == MDB_NOTFOUND) {
		memset(&c, 0, sizeof(c));
		c.name_len = strlen(f->cgroup);
		memcpy(c.name, f->cgroup, c.name_len);
		c.created_ns = f->now;
		rc = store_container_add(st, txn, &c);
	}
	if (rc != 0)
		return rc;
	if ((rc = event(st, txn, CADV_EV_OOM, f->now - 500000000ULL,
	    "/apifill/pod", NULL)) != 0)
		return rc;
	return event(st, txn, CADV_EV_OOM_KILL, f->now - 500000000ULL,
	    "/apifill/pod/task", "/apifill/pod");
}

int
main(int argc, char **argv)
{
	struct fill *f = calloc(1, sizeof(*f));
	struct json_object *m, *v;
	struct store *st;
	char err[PATH_MAX + 256];
	int rc;

	log_init("apifill", 0);
	if (argc < 2 || argc > 3 || f == NULL ||
	    (argc == 3 && (argv[2][0] != '/' || strlen(argv[2]) > 200))) {
		fprintf(stderr, "usage: apifill STORE-DIR [/CGROUP]\n");
		return 2;
	}
	f->cgroup = argc == 3 ? argv[2] : NULL;
	m = machine_info(&machine_paths_default);
	v = version_info(&machine_paths_default);
	if (m == NULL || v == NULL)
		fatalx("machine or version info: out of memory");
	f->machine = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN);
	f->version = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	if (fs_list("/proc/self/mountinfo", &f->fs, &f->nfs, err,
	    sizeof(err)) == -1)
		fatalx("%s", err);
	f->now = clock_now_ns();
	if ((rc = store_open(&st, argv[1], err, sizeof(err))) != 0)
		fatalx("%s", err);
	if ((rc = store_write(st, fill_fn, f)) != 0)
		fatalx("write: %s", store_error(st, rc));
	store_close(st);
	json_object_put(m);
	json_object_put(v);
	free(f->fs);
	free(f);
	return 0;
}
