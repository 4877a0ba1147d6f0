/* libcadv's event calls (cadv.h): cAdvisor's events.Request over a real
 * store's events table (types, time range, container, subcontainers, the
 * newest max, cAdvisor's OOM names), the table walked, damaged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvfix.h"

#define SEC	1000000000ULL
#define BIT(t)	(1u << (t))

static void
name(char *dst, size_t *len, const char *s)
{
	*len = strlen(s);
	memcpy(dst, s, *len + 1);
}

static int
add(struct store *st, MDB_txn *txn, enum cadv_event_type type,
    uint64_t ts_s, const char *cg, const char *victim)
{
	struct cadv_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.ts_ns = ts_s * SEC;
	name(e.container, &e.container_len, cg);
	if (victim != NULL) {
		name(e.victim, &e.victim_len, victim);
		name(e.comm, &e.comm_len, "stress");
		e.pid = 100;
	}
	return store_event_add(st, txn, &e);
}

/* eventd's order for an OOM: "oom" on the cgroup whose limit was hit
 * (/a), then at the same time "oom_kill" on the killed task's (/a/b)
 * with /a as its victim. */
static int
events_fn(struct store *st, MDB_txn *txn, void *arg)
{
	int rc;

	(void)arg;
	if ((rc = add(st, txn, CADV_EV_CONTAINER_CREATION, 10, "/a",
	    NULL)) != 0 ||
	    (rc = add(st, txn, CADV_EV_CONTAINER_CREATION, 20, "/a/b",
	    NULL)) != 0 ||
	    (rc = add(st, txn, CADV_EV_OOM, 30, "/a", NULL)) != 0 ||
	    (rc = add(st, txn, CADV_EV_OOM_KILL, 30, "/a/b", "/a")) != 0 ||
	    (rc = add(st, txn, CADV_EV_CONTAINER_DELETION, 40, "/a/b",
	    NULL)) != 0)
		return rc;
	return add(st, txn, CADV_EV_CONTAINER_CREATION, 50, "/ab", NULL);
}

struct got {
	uint64_t	seq[16];
	char		cg[16][16], victim[16][16];
	size_t		n, stop_at;
};

static int
got_event(const struct cadv_event *e, void *arg)
{
	struct got *g = arg;

	ck_assert_uint_eq(strlen(e->container), e->container_len);
	if (g->n < 16) {
		g->seq[g->n] = e->seq;
		ck_assert_uint_lt(e->container_len, 16);
		ck_assert_uint_lt(e->victim_len, 16);
		memcpy(g->cg[g->n], e->container, e->container_len + 1);
		memcpy(g->victim[g->n], e->victim, e->victim_len + 1);
	}
	g->n++;
	return g->n == g->stop_at ? 5 : 0;
}

/* The sequence numbers a request selects, as "1,3,". */
static const char *
query(const struct cadv_event_request *r)
{
	static char out[256];
	struct got g = { .n = 0 };
	size_t i, o = 0;

	ck_assert_int_eq(cadv_events(fx.t, r, got_event, &g), 0);
	out[0] = '\0';
	for (i = 0; i < g.n && i < 16; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%llu,",
		    (unsigned long long)g.seq[i]);
	return out;
}

static void
request(struct cadv_event_request *r, const char *cg, int subs)
{
	cadv_event_request_init(r);
	r->max = -1;
	if (cg != NULL)
		name(r->container, &r->container_len, cg);
	r->subcontainers = subs;
}

START_TEST(request_filters)
{
	struct cadv_event_request r;

	fx_write(events_fn, NULL);
	fx_read();
	/* cAdvisor's defaults: every type, any container, the newest 10 */
	cadv_event_request_init(&r);
	ck_assert_uint_eq(r.types, CADV_EV_TYPES_ALL);
	ck_assert_int_eq(r.max, 10);
	ck_assert_uint_eq(r.container_len, 0);
	ck_assert_str_eq(query(&r), "1,2,3,4,5,6,");
	request(&r, NULL, 0);
	r.types = BIT(CADV_EV_OOM) | BIT(CADV_EV_OOM_KILL);
	ck_assert_str_eq(query(&r), "3,4,");
	r.types = 0;
	ck_assert_str_eq(query(&r), "");
	/* inclusive at both ends */
	request(&r, NULL, 0);
	r.start_ns = 20 * SEC;
	r.end_ns = 40 * SEC;
	ck_assert_str_eq(query(&r), "2,3,4,5,");
	r.end_ns = 0;
	ck_assert_str_eq(query(&r), "2,3,4,5,6,");
	/* one container, or it and those under it ("/ab" is not) */
	request(&r, "/a", 0);
	ck_assert_str_eq(query(&r), "1,3,");
	request(&r, "/a", 1);
	ck_assert_str_eq(query(&r), "1,2,3,4,5,");
	request(&r, "/", 1);
	ck_assert_str_eq(query(&r), "1,2,3,4,5,6,");
	request(&r, "/nope", 1);
	ck_assert_str_eq(query(&r), "");
}
END_TEST

START_TEST(request_max)
{
	struct cadv_event_request r;
	struct got g = { .n = 0 };

	fx_write(events_fn, NULL);
	fx_read();
	/* the newest max, given oldest first */
	request(&r, NULL, 0);
	r.max = 2;
	ck_assert_str_eq(query(&r), "5,6,");
	request(&r, "/a", 1);
	r.max = 2;
	ck_assert_str_eq(query(&r), "4,5,");
	r.max = 100;
	ck_assert_str_eq(query(&r), "1,2,3,4,5,");
	r.max = 0;
	ck_assert_str_eq(query(&r), "");
	/* a callback's non-zero stops it and comes back */
	request(&r, NULL, 0);
	g.stop_at = 2;
	ck_assert_int_eq(cadv_events(fx.t, &r, got_event, &g), 5);
	ck_assert_uint_eq(g.n, 2);
}
END_TEST

/* cAdvisor names an OOM the other way round from eventd: "oom" on the
 * killed task's cgroup, "oomKill" on the one whose limit was hit. */
START_TEST(request_cadvisor_names)
{
	struct cadv_event_request r;
	struct got g = { .n = 0 };

	fx_write(events_fn, NULL);
	fx_read();
	request(&r, NULL, 0);
	r.types = BIT(CADV_EV_OOM) | BIT(CADV_EV_OOM_KILL);
	r.flags = CADV_EVQ_CADVISOR_NAMES;
	ck_assert_int_eq(cadv_events(fx.t, &r, got_event, &g), 0);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.cg[0], "/a/b");	/* oom: the task's */
	ck_assert_str_eq(g.victim[0], "/a");
	ck_assert_str_eq(g.cg[1], "/a");	/* oom_kill: the limit's */
	ck_assert_str_eq(g.victim[1], "/a/b");
	/* and matched by those names */
	request(&r, "/a/b", 0);
	r.types = BIT(CADV_EV_OOM) | BIT(CADV_EV_OOM_KILL);
	ck_assert_str_eq(query(&r), "4,");	/* as stored: the kill */
	r.flags = CADV_EVQ_CADVISOR_NAMES;
	ck_assert_str_eq(query(&r), "3,");	/* the oom, named /a/b */
	request(&r, "/a", 0);
	r.types = BIT(CADV_EV_OOM_KILL);
	r.flags = CADV_EVQ_CADVISOR_NAMES;
	ck_assert_str_eq(query(&r), "4,");
	/* the stored events themselves are not renamed */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_events_each(fx.t, 3, got_event, &g), 0);
	ck_assert_str_eq(g.cg[0], "/a");
	ck_assert_str_eq(g.cg[1], "/a/b");
}
END_TEST

static int
many_fn(struct store *st, MDB_txn *txn, void *arg)
{
	size_t i;
	int rc;

	(void)arg;
	if ((rc = add(st, txn, CADV_EV_OOM, 1, "/x", NULL)) != 0 ||
	    (rc = add(st, txn, CADV_EV_OOM, 2, "/y", NULL)) != 0)
		return rc;
	for (i = 0; i < 9000 && rc == 0; i++)
		rc = add(st, txn, CADV_EV_CONTAINER_CREATION, 3 + i, "/z",
		    NULL);
	return rc;
}

/* The newest matches are counted back from the end a block at a time:
 * the two OOMs are two blocks back from the newest event. */
START_TEST(request_max_far_back)
{
	struct cadv_event_request r;

	fx_write(many_fn, NULL);
	fx_read();
	request(&r, NULL, 0);
	r.types = BIT(CADV_EV_OOM);
	r.max = 1;
	ck_assert_str_eq(query(&r), "2,");
	r.max = 5;
	ck_assert_str_eq(query(&r), "1,2,");
	request(&r, "/z", 0);
	r.max = 1;
	ck_assert_str_eq(query(&r), "9002,");
}
END_TEST

START_TEST(each_and_last)
{
	struct got g = { .n = 0 };
	uint64_t seq = 99;

	fx_read();
	/* an empty table */
	ck_assert_int_eq(cadv_events_last(fx.t, &seq), 0);
	ck_assert_uint_eq(seq, 0);
	ck_assert_int_eq(cadv_events_each(fx.t, 0, got_event, &g), 0);
	ck_assert_uint_eq(g.n, 0);
	cadv_end(fx.t);
	cadv_close(fx.db);
	fx.t = NULL;
	fx.db = NULL;
	ck_assert_int_eq(store_open(&fx.w, fx.dir, fx.err,
	    sizeof(fx.err)), 0);
	fx_write(events_fn, NULL);
	fx_read();
	ck_assert_int_eq(cadv_events_last(fx.t, &seq), 0);
	ck_assert_uint_eq(seq, 6);
	ck_assert_int_eq(cadv_events_each(fx.t, 4, got_event, &g), 0);
	ck_assert_uint_eq(g.n, 3);
	ck_assert_uint_eq(g.seq[0], 4);
	ck_assert_str_eq(g.cg[0], "/a/b");
	ck_assert_str_eq(g.victim[0], "/a");
	memset(&g, 0, sizeof(g));
	g.stop_at = 1;
	ck_assert_int_eq(cadv_events_each(fx.t, 0, got_event, &g), 5);
	ck_assert_uint_eq(g.seq[0], 1);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_events_each(fx.t, 7, got_event, &g), 0);
	ck_assert_uint_eq(g.n, 0);
}
END_TEST

START_TEST(events_corrupt)
{
	struct cadv_event_request r;
	struct got g = { .n = 0 };
	unsigned char k[8];

	fx_write(events_fn, NULL);
	key_u64(k, 5);
	fx_spoil("events", k, sizeof(k));
	fx_read();
	cadv_event_request_init(&r);
	fx_corrupt(cadv_events(fx.t, &r, got_event, &g), "events");
	fx_corrupt(cadv_events_each(fx.t, 0, got_event, &g), "events");
	ck_assert_uint_eq(g.n, 4);	/* the good ones before it */
	/* only before it: read from 6 on, all is well */
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(cadv_events_each(fx.t, 6, got_event, &g), 0);
	ck_assert_uint_eq(g.n, 1);
}
END_TEST

START_TEST(types_and_matches)
{
	struct cadv_event_request r;
	struct cadv_event e;
	enum cadv_event_type t;

	ck_assert_str_eq(cadv_event_type_name(CADV_EV_OOM_KILL), "oom_kill");
	ck_assert_str_eq(cadv_event_type_cadvisor(CADV_EV_OOM_KILL),
	    "oomKill");
	ck_assert_str_eq(cadv_event_type_cadvisor(
	    CADV_EV_CONTAINER_CREATION), "containerCreation");
	ck_assert_int_eq(cadv_event_type_parse("oom_kill", &t), 0);
	ck_assert_int_eq(t, CADV_EV_OOM_KILL);
	ck_assert_int_eq(cadv_event_type_parse("containerDeletion", &t), 0);
	ck_assert_int_eq(t, CADV_EV_CONTAINER_DELETION);
	ck_assert_int_eq(cadv_event_type_parse("bogus", &t), EINVAL);
	memset(&e, 0, sizeof(e));
	e.type = CADV_EV_OOM;
	e.ts_ns = 30 * SEC;
	name(e.container, &e.container_len, "/a/b");
	request(&r, "/a", 1);
	ck_assert(cadv_event_matches(&r, &e));
	r.subcontainers = 0;
	ck_assert(!cadv_event_matches(&r, &e));
	request(&r, NULL, 0);
	r.start_ns = 31 * SEC;
	ck_assert(!cadv_event_matches(&r, &e));
	/* a type past every bit of the mask matches nothing (and is no
	 * shift past the word: UBSan) */
	request(&r, NULL, 0);
	e.type = (enum cadv_event_type)40;
	ck_assert(!cadv_event_matches(&r, &e));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cadv_events");
	TCase *tc = tcase_create("cadv_events");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, request_filters);
	tcase_add_test(tc, request_max);
	tcase_add_test(tc, request_cadvisor_names);
	tcase_add_test(tc, request_max_far_back);
	tcase_add_test(tc, each_and_last);
	tcase_add_test(tc, events_corrupt);
	tcase_add_test(tc, types_and_matches);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
