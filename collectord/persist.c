/* Everything collectord writes, in one transaction per round: container
 * records and lifecycle events, samples, retention. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "collector.h"
#include "log.h"
#include "storeminute.h"
#include "storeproc.h"
#include "storewrite.h"

#define CLEANUP_EVERY	(30 * 1000000000ULL)	/* deleted records sweep */
#define KMSG_FRESH	(3 * 1000000000ULL)	/* eventd reads /dev/kmsg */
#define KILLS_MAX	100	/* per container and round: a sane delta */
#define ROOM_TRIES	4	/* halvings of the kept samples, at a full map */
#define ROOM_LOG_EVERY	(60 * 1000000000ULL)
/* the summary's minutes are kept a day (cAdvisor's day_usage), whatever
 * the storage duration */
#define MINUTES_KEEP	(24 * 60 * MINUTE_NS)

struct round {
	struct collector	*c;
	uint64_t		 now;
	int			 prune;
	struct cadv_container	 rec;
	struct cadv_event		 ev;
	uint64_t		*ids;	/* reconcile / cleanup scratch */
	size_t			 nids, capids;
	uint64_t		 cutoff;
	int			 sweep;	/* 1: reconcile, 2: cleanup */
	struct ctr		**due;	/* this round's samples, by id */
	size_t			 ndue, capdue;
	int			 kmsg;	/* eventd has the kills from kmsg */
};

static int
event(struct store *st, MDB_txn *txn, struct round *r, enum cadv_event_type t,
    uint64_t ts, const char *name, size_t len)
{
	struct cadv_event *e = &r->ev;

	memset(e, 0, offsetof(struct cadv_event, container));
	e->type = t;
	e->ts_ns = ts;
	e->container_len = len;
	memcpy(e->container, name, len);
	e->victim_len = 0;
	e->comm_len = 0;
	if (t == CADV_EV_OOM_KILL)
		e->flags = CADV_EVF_FROM_COUNTER;
	return store_event_add(st, txn, e);
}

/* Without /dev/kmsg (an ordinary user, no CAP_SYSLOG) a kill is seen only
 * as a counter that went up: one event per kill, no pid or name. */
static int
counter_kills(struct store *st, MDB_txn *txn, struct round *r, struct ctr *k)
{
	uint64_t n;
	int rc;

	if (!k->oom_local_valid || !k->oom_prev_valid ||
	    k->oom_local <= k->oom_prev)
		return 0;
	n = k->oom_local - k->oom_prev;
	if (n > KILLS_MAX)
		n = KILLS_MAX;
	while (n-- > 0) {
		if ((rc = event(st, txn, r, CADV_EV_OOM_KILL, k->enc_ts, k->name,
		    k->len)) != 0)
			return rc;
	}
	return 0;
}

static void
fill_record(struct cadv_container *rec, const struct ctr *k)
{
	rec->created_ns = k->created_ns;
	rec->deleted_ns = 0;
	rec->flags = k->flags;
	rec->spec_present = k->spec_present;
	memcpy(rec->spec, k->spec, sizeof(rec->spec));
	memcpy(rec->cpu_mask, k->mask, k->mask_len);
	rec->mask_len = k->mask_len;
}

static int
write_record(struct store *st, MDB_txn *txn, struct round *r, struct ctr *k)
{
	struct cadv_container *rec = &r->rec;
	int rc, announce = 0;

	rc = store_container_find(st, txn, k->name, k->len, rec);
	if (rc == MDB_NOTFOUND) {
		memset(rec, 0, offsetof(struct cadv_container, name));
		memcpy(rec->name, k->name, k->len);
		rec->name_len = k->len;
		fill_record(rec, k);
		if ((rc = store_container_add(st, txn, rec)) != 0)
			return rc;
		announce = 1;
	} else if (rc == 0) {
		/* A known name: new only if it had gone or was made again. */
		announce = k->is_new && (rec->deleted_ns != 0 ||
		    rec->created_ns != k->created_ns);
		fill_record(rec, k);
		if ((rc = store_container_put(st, txn, rec)) != 0)
			return rc;
	} else
		return rc;
	k->id = rec->id;
	if (announce)
		return event(st, txn, r, CADV_EV_CONTAINER_CREATION, k->created_ns,
		    k->name, k->len);
	return 0;
}

static int
mark_deleted(struct store *st, MDB_txn *txn, struct round *r,
    struct cadv_container *rec)
{
	int rc;

	rec->deleted_ns = r->now;
	if ((rc = store_container_put(st, txn, rec)) != 0)
		return rc;
	return event(st, txn, r, CADV_EV_CONTAINER_DELETION, r->now, rec->name,
	    rec->name_len);
}

static int
collect_ids(const struct cadv_container *rec, void *arg)
{
	struct round *r = arg;

	/* another shard's container is that shard's to reconcile */
	if (!ctr_mine(r->c, rec->name, rec->name_len))
		return 0;
	if (r->sweep == 1) {
		/* live in the store, unknown to the snapshot: gone */
		if (rec->deleted_ns != 0 ||
		    hmap_get(&r->c->byname, rec->name, rec->name_len) != NULL)
			return 0;
	} else if (rec->deleted_ns == 0 || rec->deleted_ns >= r->cutoff)
		return 0;
	if (r->nids == r->capids) {
		size_t cap = r->capids ? r->capids * 2 : 64;
		uint64_t *ids = reallocarray(r->ids, cap, sizeof(*ids));

		if (ids == NULL)
			return ENOMEM;
		r->ids = ids;
		r->capids = cap;
	}
	r->ids[r->nids++] = rec->id;
	return 0;
}

static int
sweep(struct store *st, MDB_txn *txn, struct round *r, int which)
{
	size_t i;
	int rc;

	r->nids = 0;
	r->sweep = which;
	if ((rc = store_containers_each(st, txn, collect_ids, r)) != 0)
		return rc;
	for (i = 0; i < r->nids; i++) {
		if ((rc = store_container_get(st, txn, r->ids[i], &r->rec)) != 0)
			return rc;
		rc = which == 1 ? mark_deleted(st, txn, r, &r->rec) :
		    store_container_del(st, txn, &r->rec);
		if (rc != 0)
			return rc;
	}
	if (which == 1 && r->nids > 0)
		log_info("reconciled: %zu container%s gone while we were "
		    "away", r->nids, r->nids == 1 ? "" : "s");
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	const struct ctr *x = *(struct ctr *const *)a;
	const struct ctr *y = *(struct ctr *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The round's samples go on the end of the table in id order (appends
 * fill pages; SCHEMA.md), keyed by the oldest of them. */
static int
append_samples(struct store *st, MDB_txn *txn, struct round *r)
{
	uint64_t first = UINT64_MAX, round;
	size_t i;
	int rc;

	if (r->ndue == 0)
		return 0;
	qsort(r->due, r->ndue, sizeof(*r->due), by_id);
	for (i = 0; i < r->ndue; i++)
		if (r->due[i]->enc_ts < first)
			first = r->due[i]->enc_ts;
	if ((rc = store_round_begin(st, txn, first, &round)) != 0)
		return rc;
	for (i = 0; i < r->ndue; i++) {
		struct ctr *k = r->due[i];

		if ((rc = store_sample_append(st, txn, round, k->id, k->enc_ts,
		    k->enc, k->enclen)) != 0)
			return rc;
		if (k->xlen != 0 && (rc = store_diskio_append(st, txn, round,
		    k->id, k->enc + k->enclen, k->xlen)) != 0)
			return rc;
	}
	return 0;
}

static int
due_add(struct round *r, struct ctr *k)
{
	if (r->ndue == r->capdue) {
		size_t cap = r->capdue ? r->capdue * 2 : 256;
		struct ctr **d = reallocarray(r->due, cap, sizeof(*d));

		if (d == NULL)
			return ENOMEM;
		r->due = d;
		r->capdue = cap;
	}
	r->due[r->ndue++] = k;
	return 0;
}

static int
round_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct round *r = arg;
	struct collector *c = r->c;
	struct ctr *k;
	size_t i, n;
	int rc;

	{
		uint64_t hb = 0;

		rc = store_heartbeat_get(st, txn, HEARTBEAT_KMSG, &hb);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return rc;
		r->kmsg = hb + KMSG_FRESH > r->now;
	}
	r->ndue = 0;
	TAILQ_FOREACH(k, &c->ctrs, entry) {
		if (k->pending && !r->kmsg && (rc = counter_kills(st, txn, r,
		    k)) != 0)
			return rc;
		if ((k->is_new || k->record_dirty) &&
		    (rc = write_record(st, txn, r, k)) != 0)
			return rc;
		if (k->pending && (rc = due_add(r, k)) != 0)
			return rc;
		if (k->minute_pending && k->id != 0 &&
		    (rc = store_minute_put(st, txn, k->id, &k->minute_done)) != 0)
			return rc;
	}
	if ((rc = append_samples(st, txn, r)) != 0)
		return rc;
	for (i = 0; i < c->ndels; i++) {
		rc = store_container_find(st, txn, c->dels[i].name,
		    c->dels[i].len, &r->rec);
		if (rc == MDB_NOTFOUND || (rc == 0 && r->rec.deleted_ns != 0))
			continue;
		if (rc != 0 || (rc = mark_deleted(st, txn, r, &r->rec)) != 0)
			return rc;
	}
	if (c->sync_pending && (rc = sweep(st, txn, r, 1)) != 0)
		return rc;
	if (r->prune) {
		uint64_t before = r->now > c->retention ? r->now - c->retention : 0;

		if ((rc = store_samples_prune_all(st, txn, before, &n)) != 0)
			return rc;
		if (r->prune > 1) {
			/* the minute being written stays: a day and it */
			if ((rc = store_minutes_prune(st, txn, r->now >
			    MINUTES_KEEP + MINUTE_NS ? r->now - MINUTES_KEEP -
			    MINUTE_NS : 0, &n)) != 0)
				return rc;
			r->cutoff = before;
			if ((rc = sweep(st, txn, r, 2)) != 0)
				return rc;
		}
	}
	if ((rc = store_heartbeat_put(st, txn,
	    cadv_writer_name(CADV_W_COLLECTORD), r->now)) != 0)
		return rc;
	return store_process_note(st, txn, cadv_writer_name(CADV_W_COLLECTORD),
	    r->now);
}

struct room {
	uint64_t	now;
	size_t		n;
};

static int
room_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct room *rm = arg;
	uint64_t first, last;
	int rc;

	if ((rc = store_samples_bounds(st, txn, &first, &last)) != 0)
		return rc;
	if (rm->now <= first)
		return MDB_MAP_FULL;	/* nothing older to give */
	return store_samples_prune_all(st, txn, first + (rm->now - first) / 2,
	    &rm->n);
}

/* The store is at --max-store-size: give up the older half of what the
 * storage duration keeps, so that the newest samples still go in. */
static int
make_room(struct collector *c, uint64_t now)
{
	struct room rm = { now, 0 };
	int rc;

	if ((rc = store_write(c->st, room_fn, &rm)) != 0)
		return rc;
	/* once a minute is enough */
	if (clock_mono_ns() - c->room_said >= ROOM_LOG_EVERY ||
	    c->room_said == 0) {
		c->room_said = clock_mono_ns();
		log_warnx("%s: store full at its size limit: dropping the "
		    "oldest samples to keep the newest (%zu now; raise "
		    "--max-store-size or lower --storage-duration)",
		    store_dir(c->st), rm.n);
	}
	return rm.n > 0 ? 0 : MDB_MAP_FULL;
}

int
persist(struct collector *c, int prune)
{
	struct round *r;
	struct ctr *k;
	size_t i;
	int rc;

	if (c->round == NULL && (c->round = calloc(1, sizeof(*r))) == NULL)
		return ENOMEM;
	r = c->round;
	r->c = c;
	r->now = clock_now_ns();
	r->prune = prune;
	if (prune && clock_mono_ns() - c->last_cleanup >= CLEANUP_EVERY) {
		r->prune = 2;
		c->last_cleanup = clock_mono_ns();
	}
	rc = store_write(c->st, round_fn, r);
	for (i = 0; rc == MDB_MAP_FULL && i < ROOM_TRIES; i++)
		if ((rc = make_room(c, r->now)) == 0)
			rc = store_write(c->st, round_fn, r);
	if (rc != 0)
		return rc;
	TAILQ_FOREACH(k, &c->ctrs, entry) {
		if (k->pending && k->oom_local_valid) {
			k->oom_prev = k->oom_local;
			k->oom_prev_valid = 1;
		}
		k->is_new = k->record_dirty = k->pending = 0;
		k->minute_pending = 0;
	}
	for (i = 0; i < c->ndels; i++)
		free(c->dels[i].name);
	c->ndels = 0;
	c->sync_pending = 0;
	return 0;
}

void
persist_free(struct collector *c)
{
	if (c->round == NULL)
		return;
	free(c->round->ids);
	free(c->round->due);
	free(c->round);
	c->round = NULL;
}
