/*
 * cadvctl check: verifies a store's invariants in one read transaction and
 * reports every record that breaks one, going on past it: key and value
 * sizes, records that decode, names that index their container, samples
 * and events that belong to known containers and do not lie in the future,
 * latest entries that point at each container's newest sample, counters in
 * meta ahead of what they count, identities whose key is their cgroup's
 * hash and first-stored time, diskstats records of known size, layer
 * measures that belong to an identity.  Exit 0 when all hold, 1 when
 * something does not, 3 when the store cannot be read at all.
 */
#include <getopt.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <bsd/stdlib.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "cgname.h"
#include "clock.h"
#include "ident.h"
#include "storelayer.h"

#define PRINT_MAX	100			/* problems printed in text */
#define FUTURE_NS	(3600ULL * 1000000000ULL)	/* clock slack */

struct check {
	struct ctl		*ctl;
	MDB_txn			*txn;
	struct json_object	*list;		/* --json: the problems */
	size_t			 problems;
	uint64_t		*ids;		/* containers, ascending */
	uint64_t		*newest;	/* round of each one's newest */
	size_t			 nids;
	uint64_t		 max_id, max_seq, now;
	size_t			 n[ST_LAYERS + 1];
	struct cadv_ident		*id;		/* one_ident's decode buffer */
};

static const char *const tnames[] = {
	[ST_META] = TBL_META, [ST_CONTAINERS] = TBL_CONTAINERS,
	[ST_NAMES] = TBL_NAMES, [ST_SAMPLES] = TBL_SAMPLES,
	[ST_LATEST] = TBL_LATEST, [ST_EVENTS] = TBL_EVENTS, [ST_FS] = TBL_FS,
	[ST_IDENTS] = TBL_IDENTS, [ST_MINUTES] = TBL_MINUTES,
	[ST_DISKIO] = TBL_DISKIO,
	[ST_DISKSTATS] = TBL_DISKSTATS,
	[ST_LAYERS] = TBL_LAYERS,
};

static void problem(struct check *, enum store_table, const MDB_val *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct check *c, enum store_table t, const MDB_val *key,
    const char *fmt, ...)
{
	char msg[512], hex[2 * 16 + 1] = "";
	const unsigned char *k = key ? key->mv_data : NULL;
	size_t i;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; k != NULL && i < key->mv_size && i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", k[i]);
	c->problems++;
	if (c->list != NULL) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "table", json_object_new_string(tnames[t]));
		json_object_object_add(o, "key", json_object_new_string(hex));
		json_object_object_add(o, "problem", json_object_new_string(msg));
		json_object_array_add(c->list, o);
	} else if (c->problems <= PRINT_MAX)
		printf("%s %s: %s\n", tnames[t], hex[0] ? hex : "-", msg);
}

/* the index of container id in c->ids, or -1 */
static ssize_t
known(const struct check *c, uint64_t id)
{
	size_t lo = 0, hi = c->nids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->ids[mid] == id)
			return (ssize_t)mid;
		if (c->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* walk TABLE: fn for every record; an LMDB error ends the check */
static int
walk(struct check *c, enum store_table t,
    void (*fn)(struct check *, const MDB_val *, const MDB_val *))
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(c->txn, store_dbi(c->ctl->st, t), &cur)) != 0)
		return rc;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		c->n[t]++;
		fn(c, &k, &v);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static void
one_container(struct check *c, const MDB_val *k, const MDB_val *v)
{
	static struct cadv_container ct, found;
	const char *why;
	uint64_t *ids;
	int rc;

	if (k->mv_size != U64_KEY_LEN) {
		problem(c, ST_CONTAINERS, k, "key is %zu bytes, not 8", k->mv_size);
		return;
	}
	/* known by its key even when its record is bad: its samples are
	 * not orphans, the record is what is wrong */
	ct.id = key_u64_get(k->mv_data);
	if ((ids = reallocarray(c->ids, c->nids + 1, sizeof(*ids))) == NULL)
		return;
	c->ids = ids;
	if ((ids = reallocarray(c->newest, c->nids + 1, sizeof(*ids))) == NULL)
		return;
	c->newest = ids;
	c->newest[c->nids] = 0;
	c->ids[c->nids++] = ct.id;
	if (ct.id > c->max_id)
		c->max_id = ct.id;
	if (container_decode(v->mv_data, v->mv_size, &ct, &why) == -1) {
		problem(c, ST_CONTAINERS, k, "record does not decode: %s", why);
		return;
	}
	ct.id = key_u64_get(k->mv_data);
	if (!cgname_valid(ct.name, ct.name_len)) {
		problem(c, ST_CONTAINERS, k, "name is not a valid container name");
		return;
	}
	if (ct.deleted_ns != 0 && ct.deleted_ns < ct.created_ns)
		problem(c, ST_CONTAINERS, k, "deleted before it was created");
	rc = store_container_find(c->ctl->st, c->txn, ct.name, ct.name_len,
	    &found);
	if (rc == STORE_CORRUPT)
		return;		/* the names walk reports the entry */
	if (rc != 0 || found.id != ct.id)
		problem(c, ST_CONTAINERS, k, "not in the names index");
}

static void
one_name(struct check *c, const MDB_val *k, const MDB_val *v)
{
	static struct cadv_container ct;
	uint64_t id;

	if (k->mv_size != U64_KEY_LEN || v->mv_size != U64_KEY_LEN) {
		problem(c, ST_NAMES, k, "key or value is not 8 bytes");
		return;
	}
	id = key_u64_get(v->mv_data);
	if (known(c, id) < 0) {
		problem(c, ST_NAMES, k, "names container %llu, which does not "
		    "exist", (unsigned long long)id);
		return;
	}
	/* (a record that does not decode is reported by the containers walk) */
	if (store_container_get(c->ctl->st, c->txn, id, &ct) == 0 &&
	    key_u64_get(k->mv_data) != cgname_hash(ct.name, ct.name_len))
		problem(c, ST_NAMES, k, "is not the hash of container %llu's "
		    "name", (unsigned long long)id);
}

static void
one_sample(struct check *c, const MDB_val *k, const MDB_val *v)
{
	static struct cadv_sample s;
	const unsigned char *p = v->mv_data;
	const char *why;
	uint64_t round, id, ts;
	ssize_t i;

	if (k->mv_size != SAMPLE_KEY_LEN) {
		problem(c, ST_SAMPLES, k, "key is %zu bytes, not 16", k->mv_size);
		return;
	}
	round = key_u64_get(k->mv_data);
	id = key_u64_get((const unsigned char *)k->mv_data + 8);
	if ((i = known(c, id)) < 0)
		problem(c, ST_SAMPLES, k, "belongs to container %llu, which "
		    "does not exist", (unsigned long long)id);
	else if (round > c->newest[i])
		c->newest[i] = round;
	if (v->mv_size < SAMPLE_TS_LEN) {
		problem(c, ST_SAMPLES, k, "value has no timestamp");
		return;
	}
	ts = val_u64_get(p);
	if (ts > c->now + FUTURE_NS)
		problem(c, ST_SAMPLES, k, "timestamp is in the future");
	if (sample_decode(p + SAMPLE_TS_LEN, v->mv_size - SAMPLE_TS_LEN, &s,
	    &why) == -1)
		problem(c, ST_SAMPLES, k, "value does not decode: %s", why);
}

static void
one_latest(struct check *c, const MDB_val *k, const MDB_val *v)
{
	uint64_t id, round;
	ssize_t i;

	if (k->mv_size != U64_KEY_LEN || v->mv_size != 8) {
		problem(c, ST_LATEST, k, "key or value is not 8 bytes");
		return;
	}
	id = key_u64_get(k->mv_data);
	round = val_u64_get(v->mv_data);
	if ((i = known(c, id)) < 0)
		problem(c, ST_LATEST, k, "container %llu does not exist",
		    (unsigned long long)id);
	else if (c->newest[i] != 0 && c->newest[i] != round)
		problem(c, ST_LATEST, k, "says round %llu, but container "
		    "%llu's newest sample is in round %llu",
		    (unsigned long long)round, (unsigned long long)id,
		    (unsigned long long)c->newest[i]);
}

static void
one_event(struct check *c, const MDB_val *k, const MDB_val *v)
{
	static struct cadv_event e;
	const char *why;
	uint64_t seq;

	if (k->mv_size != U64_KEY_LEN) {
		problem(c, ST_EVENTS, k, "key is %zu bytes, not 8", k->mv_size);
		return;
	}
	seq = key_u64_get(k->mv_data);
	if (seq > c->max_seq)
		c->max_seq = seq;
	if (event_decode(v->mv_data, v->mv_size, &e, &why) == -1) {
		problem(c, ST_EVENTS, k, "value does not decode: %s", why);
		return;
	}
	if (e.ts_ns > c->now + FUTURE_NS)
		problem(c, ST_EVENTS, k, "timestamp is in the future");
}

static void
one_fs(struct check *c, const MDB_val *k, const MDB_val *v)
{
	if (k->mv_size != FS_KEY_LEN || v->mv_size != FS_VALUE_LEN)
		problem(c, ST_FS, k, "key or value size is not %d and %d",
		    FS_KEY_LEN, FS_VALUE_LEN);
}

static void
one_ident(struct check *c, const MDB_val *k, const MDB_val *v)
{
	const char *why, *cg;
	size_t len;

	if (k->mv_size != IDENT_KEY_LEN) {
		problem(c, ST_IDENTS, k, "key is %zu bytes, not %d", k->mv_size,
		    IDENT_KEY_LEN);
		return;
	}
	if (ident_decode(v->mv_data, v->mv_size, c->id, &why) == -1) {
		problem(c, ST_IDENTS, k, "record does not decode: %s", why);
		return;
	}
	cg = ident_get(c->id, CADV_IS_CGROUP, &len);
	/* (a cgroup that is not a container name does not decode) */
	if (len == 0) {
		problem(c, ST_IDENTS, k, "record has no cgroup name");
		return;
	}
	if (key_u64_get(k->mv_data) != cgname_hash(cg, len))
		problem(c, ST_IDENTS, k, "key is not the hash of the record's "
		    "cgroup");
	if (key_u64_get((const unsigned char *)k->mv_data + 8) !=
	    c->id->seen_ns)
		problem(c, ST_IDENTS, k, "key's time is not the record's "
		    "first-stored time %llu", (unsigned long long)
		    c->id->seen_ns);
	if (c->id->gone_ns != 0 && c->id->gone_ns < c->id->seen_ns)
		problem(c, ST_IDENTS, k, "gone before it was first stored");
	if (c->id->seen_ns > c->now + FUTURE_NS)
		problem(c, ST_IDENTS, k, "first stored in the future");
}

static void
one_minute(struct check *c, const MDB_val *k, const MDB_val *v)
{
	struct cadv_minute m;
	const char *why;
	uint64_t start;

	if (k->mv_size != MINUTE_KEY_LEN) {
		problem(c, ST_MINUTES, k, "key is %zu bytes, not %d",
		    k->mv_size, MINUTE_KEY_LEN);
		return;
	}
	if (minute_decode(v->mv_data, v->mv_size, &m, &why) == -1) {
		problem(c, ST_MINUTES, k, "record does not decode: %s", why);
		return;
	}
	/* (a deleted container's minutes outlive its record a while) */
	start = key_u64_get((const unsigned char *)k->mv_data + 8);
	if (start % MINUTE_NS != 0)
		problem(c, ST_MINUTES, k, "key's time is not a minute's start");
	if (start > c->now + FUTURE_NS)
		problem(c, ST_MINUTES, k, "minute is in the future");
}

/* A diskio record belongs to a sample and decodes against it. */
static void
one_diskio(struct check *c, const MDB_val *k, const MDB_val *v)
{
	static struct cadv_sample s;
	MDB_val key = *k, sv;
	const char *why;

	if (k->mv_size != SAMPLE_KEY_LEN) {
		problem(c, ST_DISKIO, k, "key is %zu bytes, not 16", k->mv_size);
		return;
	}
	if (mdb_get(c->txn, store_dbi(c->ctl->st, ST_SAMPLES), &key, &sv) != 0 ||
	    sv.mv_size < SAMPLE_TS_LEN || sample_decode((const unsigned char *)
	    sv.mv_data + SAMPLE_TS_LEN, sv.mv_size - SAMPLE_TS_LEN, &s,
	    &why) == -1) {
		problem(c, ST_DISKIO, k, "has no sample (or one that does not "
		    "decode) under its key");
		return;
	}
	if (diskio_decode(v->mv_data, v->mv_size, &s, &why) == -1)
		problem(c, ST_DISKIO, k, "record does not decode: %s", why);
}

static void
one_diskstats(struct check *c, const MDB_val *k, const MDB_val *v)
{
	struct cadv_disk_stats d;
	const char *why;

	if (k->mv_size != DISKSTATS_KEY_LEN) {
		problem(c, ST_DISKSTATS, k, "key is %zu bytes, not %d",
		    k->mv_size, DISKSTATS_KEY_LEN);
		return;
	}
	if (diskstats_decode(v->mv_data, v->mv_size, &d, &why) == -1) {
		problem(c, ST_DISKSTATS, k, "record does not decode: %s", why);
		return;
	}
	if (key_u64_get((const unsigned char *)k->mv_data + 8) >
	    c->now + FUTURE_NS)
		problem(c, ST_DISKSTATS, k, "timestamp is in the future");
}

/* A layer's measure: keyed as an identity that is there, sizes sane. */
static void
one_layer(struct check *c, const MDB_val *k, const MDB_val *v)
{
	struct cadv_layer r;
	const char *why;
	MDB_val iv;

	if (k->mv_size != IDENT_KEY_LEN) {
		problem(c, ST_LAYERS, k, "key is %zu bytes, not %d",
		    k->mv_size, IDENT_KEY_LEN);
		return;
	}
	if (layer_rec_decode(v->mv_data, v->mv_size, &r, &why) == -1) {
		problem(c, ST_LAYERS, k, "record does not decode: %s", why);
		return;
	}
	if (!store_has(c->ctl->st, ST_IDENTS) ||
	    mdb_get(c->txn, store_dbi(c->ctl->st, ST_IDENTS),
	    (MDB_val *)(uintptr_t)k, &iv) != 0)
		problem(c, ST_LAYERS, k, "no identity has its key");
	if (r.measured_ns > c->now + FUTURE_NS)
		problem(c, ST_LAYERS, k, "measured in the future");
	if (r.inodes == 0 && r.bytes != 0)
		problem(c, ST_LAYERS, k, "bytes without an inode");
}

static void
counters(struct check *c)
{
	uint64_t next;

	if (store_meta_get_u64(c->ctl->st, c->txn, META_NEXT_ID, &next) == 0 &&
	    c->nids > 0 && next <= c->max_id)
		problem(c, ST_META, NULL, "%s is %llu, not above the largest "
		    "container id %llu", META_NEXT_ID, (unsigned long long)next,
		    (unsigned long long)c->max_id);
	if (store_meta_get_u64(c->ctl->st, c->txn, META_NEXT_EVENT, &next) ==
	    0 && c->max_seq > 0 && next <= c->max_seq)
		problem(c, ST_META, NULL, "%s is %llu, not above the largest "
		    "event %llu", META_NEXT_EVENT, (unsigned long long)next,
		    (unsigned long long)c->max_seq);
}

int
cmd_check(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static void (*const fns[])(struct check *, const MDB_val *,
	    const MDB_val *) = {
		[ST_CONTAINERS] = one_container, [ST_NAMES] = one_name,
		[ST_SAMPLES] = one_sample, [ST_LATEST] = one_latest,
		[ST_EVENTS] = one_event, [ST_FS] = one_fs,
		[ST_IDENTS] = one_ident, [ST_MINUTES] = one_minute,
		[ST_DISKIO] = one_diskio,
		[ST_DISKSTATS] = one_diskstats,
		[ST_LAYERS] = one_layer,
	};
	struct check c = { 0 };
	enum store_table t;
	int ch, json = 0, rc = 0;

	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch != 'j') {
			fprintf(stderr, "usage: cadvctl check [--json]\n");
			return CTL_USAGE;
		}
		json = 1;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cadvctl check [--json]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((c.id = ctl_ident_alloc()) == NULL)
		return CTL_STORE;
	c.ctl = ctl;
	c.now = clock_now_ns();
	if (json)
		c.list = json_object_new_array();
	if ((rc = store_read_begin(ctl->st, &c.txn)) != 0) {
		json_object_put(c.list);
		free(c.id);
		return ctl_store_error(ctl, "read transaction", rc);
	}
	/* containers first: the other tables are checked against them; a
	 * store identd never wrote has no idents table (SCHEMA.md) */
	for (t = ST_CONTAINERS; t <= ST_LAYERS && rc == 0; t++)
		if (store_has(ctl->st, t))
			rc = walk(&c, t, fns[t]);
	if (rc == 0)
		counters(&c);
	store_read_end(c.txn);
	free(c.ids);
	free(c.newest);
	free(c.id);
	if (rc != 0) {
		json_object_put(c.list);
		return ctl_store_error(ctl, "walking the store", rc);
	}
	if (json) {
		struct json_object *o = json_object_new_object(), *n;

		json_object_object_add(o, "ok",
		    json_object_new_boolean(c.problems == 0));
		n = json_object_new_object();
		for (t = ST_CONTAINERS; t <= ST_LAYERS; t++)
			json_object_object_add(n, tnames[t],
			    json_object_new_uint64(c.n[t]));
		json_object_object_add(o, "records", n);
		json_object_object_add(o, "problems", c.list);
		ctl_print_json(o);
	} else {
		if (c.problems > PRINT_MAX)
			printf("... and %zu more\n", c.problems - PRINT_MAX);
		printf("%s: %zu containers, %zu names, %zu samples, %zu latest, "
		    "%zu events, %zu fs records, %zu diskstats, %zu diskio "
		    "records, %zu layers, %zu minutes, %zu idents: ",
		    ctl->store_dir, c.n[ST_CONTAINERS], c.n[ST_NAMES],
		    c.n[ST_SAMPLES], c.n[ST_LATEST], c.n[ST_EVENTS], c.n[ST_FS],
		    c.n[ST_DISKSTATS], c.n[ST_DISKIO], c.n[ST_LAYERS],
		    c.n[ST_MINUTES], c.n[ST_IDENTS]);
		if (c.problems)
			printf("%zu problem%s\n", c.problems,
			    c.problems == 1 ? "" : "s");
		else
			printf("consistent\n");
	}
	return c.problems ? CTL_NOTFOUND : CTL_OK;
}
