/* cadv_event_view: an OOM as cAdvisor's API names it, read through the
 * public calls from a store eventd's way (an oom on the limiting cgroup,
 * then the kill on the task's with the limiting one as victim), and the
 * same names cadv_events gives with CADV_EVQ_CADVISOR_NAMES. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadv.h"
#include "log.h"
#include "store.h"
#include "storewrite.h"
#include "unit.h"

static char *dir;
static struct store *st;
static struct cadv *db;
static struct cadv_txn *t;
static char err[1024];

static void
ev(struct cadv_event *e, enum cadv_event_type type, uint64_t ts,
    const char *c, const char *victim)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->ts_ns = ts;
	e->container_len = strlen(c);
	memcpy(e->container, c, e->container_len);
	e->victim_len = strlen(victim);
	memcpy(e->victim, victim, e->victim_len);
}

/* seq 1, 2: an oom of /lim and its kill in /lim/task; seq 3: a kill
 * without its victim; seq 4: an oom whose kill was not kept; seq 5: a
 * creation; seq 6, 7: an oom of /lim2 and a kill naming another victim */
static const struct {
	enum cadv_event_type	 type;
	uint64_t		 ts;
	const char		*container, *victim;
} stored[] = {
	{ CADV_EV_OOM, 100, "/lim", "" },
	{ CADV_EV_OOM_KILL, 100, "/lim/task", "/lim" },
	{ CADV_EV_OOM_KILL, 200, "/x", "" },
	{ CADV_EV_OOM, 300, "/alone", "" },
	{ CADV_EV_CONTAINER_CREATION, 400, "/new", "" },
	{ CADV_EV_OOM, 500, "/lim2", "" },
	{ CADV_EV_OOM_KILL, 500, "/lim2/t", "/other" },
};

static int
fill(struct store *s, MDB_txn *txn, void *arg)
{
	struct cadv_event *e = arg;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(stored) / sizeof(stored[0]); i++) {
		ev(e, stored[i].type, stored[i].ts, stored[i].container,
		    stored[i].victim);
		if ((rc = store_event_add(s, txn, e)) != 0)
			return rc;
	}
	return 0;
}

static void
setup(void)
{
	struct cadv_event *e = malloc(sizeof(*e));

	log_setlevel(LOG_LVL_ERR);
	dir = unit_tmpdir();
	ck_assert_msg(store_open(&st, dir, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(store_write(st, fill, e), 0);
	free(e);
	ck_assert_msg(cadv_open(dir, &db, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(cadv_begin(db, &t), 0);
}

static void
teardown(void)
{
	cadv_end(t);
	cadv_close(db);
	store_close(st);
	unit_rmtree(dir);
	free(dir);
}

struct seen {
	struct cadv_event	*scratch;
	char			 names[8][2][64];	/* by seq */
	int			 same[8];	/* the view is the stored e */
	int			 n;
};

static int
view_each(const struct cadv_event *e, void *arg)
{
	struct seen *s = arg;
	const struct cadv_event *v;

	ck_assert_uint_lt(e->seq, 8);
	ck_assert_int_eq(cadv_event_view(t, e, s->scratch, &v), 0);
	s->same[e->seq] = v == e;
	snprintf(s->names[e->seq][0], 64, "%.*s", (int)v->container_len,
	    v->container);
	snprintf(s->names[e->seq][1], 64, "%.*s", (int)v->victim_len,
	    v->victim);
	ck_assert_uint_eq(v->seq, e->seq);
	ck_assert_uint_eq(v->ts_ns, e->ts_ns);
	ck_assert_int_eq(v->type, e->type);
	s->n++;
	return 0;
}

#define NAMES(s, seq, c, v) do { \
	ck_assert_str_eq((s)->names[seq][0], c); \
	ck_assert_str_eq((s)->names[seq][1], v); \
} while (0)

START_TEST(ooms_named_as_cadvisor)
{
	struct seen *s = calloc(1, sizeof(*s));

	s->scratch = malloc(sizeof(*s->scratch));
	ck_assert_int_eq(cadv_events_each(t, 0, view_each, s), 0);
	ck_assert_int_eq(s->n, 7);
	/* the oom by the task's cgroup of its kill; the kill by its victim */
	NAMES(s, 1, "/lim/task", "/lim");
	NAMES(s, 2, "/lim", "/lim/task");
	/* as stored: a kill without a victim, an oom without its kill, a
	 * creation, an oom whose next kill is of another cgroup's limit */
	NAMES(s, 3, "/x", "");
	ck_assert(s->same[3]);
	NAMES(s, 4, "/alone", "");
	ck_assert(s->same[4]);
	ck_assert(s->same[5]);
	NAMES(s, 6, "/lim2", "");
	ck_assert(s->same[6]);
	NAMES(s, 7, "/other", "/lim2/t");
	free(s->scratch);
	free(s);
}
END_TEST

static int
query_each(const struct cadv_event *e, void *arg)
{
	struct seen *s = arg;

	snprintf(s->names[e->seq][0], 64, "%.*s", (int)e->container_len,
	    e->container);
	s->n++;
	return 0;
}

/* cadv_events' names and the view's agree: what the API's first piece
 * and its next pieces (cadv_event_view over cadv_events_each) write */
START_TEST(same_names_as_cadv_events)
{
	struct seen *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct cadv_event_request r;
	int i;

	a->scratch = malloc(sizeof(*a->scratch));
	ck_assert_int_eq(cadv_events_each(t, 0, view_each, a), 0);
	cadv_event_request_init(&r);
	r.max = -1;
	r.flags = CADV_EVQ_CADVISOR_NAMES;
	ck_assert_int_eq(cadv_events(t, &r, query_each, b), 0);
	ck_assert_int_eq(b->n, 7);
	for (i = 1; i <= 7; i++)
		ck_assert_str_eq(a->names[i][0], b->names[i][0]);
	/* and matched by those names: /lim/task's oom, not /lim's */
	memset(b, 0, sizeof(*b));
	memcpy(r.container, "/lim/task", 9);
	r.container_len = 9;
	r.types = 1u << CADV_EV_OOM;
	ck_assert_int_eq(cadv_events(t, &r, query_each, b), 0);
	ck_assert_int_eq(b->n, 1);
	ck_assert_str_eq(b->names[1][0], "/lim/task");
	free(a->scratch);
	free(a);
	free(b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cadv_evview");
	TCase *tc = tcase_create("cadv_evview");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ooms_named_as_cadvisor);
	tcase_add_test(tc, same_names_as_cadv_events);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
