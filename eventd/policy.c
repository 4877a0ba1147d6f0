/* cAdvisor's event storage policy: per type a maximum age and count. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "duration.h"
#include "eventd.h"
#include "log.h"
#include "storewrite.h"

#define AGE_DEFAULT	(24 * 3600 * 1000000000ULL)
#define COUNT_DEFAULT	100000

void
policy_init(struct policy *p)
{
	int t;

	for (t = 0; t <= CADV_EV_TYPE_MAX; t++) {
		p->max_age[t] = AGE_DEFAULT;
		p->max_count[t] = COUNT_DEFAULT;
	}
}

/* "default=24h,oom_kill=72h" (counts: "default=100000,oom=0") */
int
policy_parse(struct policy *p, const char *arg, int counts, const char **err)
{
	char *dup = strdup(arg), *tok, *save = NULL;
	int rc = -1;

	if (dup == NULL) {
		*err = "out of memory";
		return -1;
	}
	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		enum cadv_event_type t = 0;
		uint64_t age = 0;
		long long n = 0;
		int i;

		if (eq == NULL) {
			*err = "want key=value pairs, keys default or a type";
			goto out;
		}
		*eq = '\0';
		if (strcmp(tok, "default") != 0 && event_type_parse(tok, &t)) {
			*err = "unknown event type";
			goto out;
		}
		if (counts) {
			char *end;

			n = strtoll(eq + 1, &end, 10);
			if (*end != '\0' || end == eq + 1 || n < 0) {
				*err = "a count is a whole number, 0 or more";
				goto out;
			}
		} else if (duration_parse(eq + 1, &age) == -1) {
			*err = "an age is a duration like 24h";
			goto out;
		}
		for (i = 1; i <= CADV_EV_TYPE_MAX; i++) {
			if (t != 0 && (int)t != i)
				continue;
			if (counts)
				p->max_count[i] = n;
			else
				p->max_age[i] = age;
		}
	}
	rc = 0;
out:
	free(dup);
	return rc;
}

struct prune {
	struct policy	*pol;
	uint64_t	 now;
	int64_t		 count[CADV_EV_TYPE_MAX + 1];
	int64_t		 excess[CADV_EV_TYPE_MAX + 1];
	size_t		 deleted;
};

static int
count_fn(const struct cadv_event *e, void *arg)
{
	struct prune *pr = arg;

	pr->count[e->type]++;
	return 0;
}

static int
prune_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct prune *pr = arg;
	int t, rc;

	memset(pr->count, 0, sizeof(pr->count));
	pr->deleted = 0;
	if ((rc = store_events_each(st, txn, 0, count_fn, pr)) != 0)
		return rc;
	for (t = 1; t <= CADV_EV_TYPE_MAX; t++)
		pr->excess[t] = pr->count[t] > pr->pol->max_count[t] ?
		    pr->count[t] - pr->pol->max_count[t] : 0;
	/* oldest first: too old, or beyond the count of its type */
	return store_events_prune(st, txn, pr->now, pr->pol->max_age,
	    pr->excess, &pr->deleted);
}

int
policy_prune(struct eventd *d)
{
	struct prune pr;
	int rc;

	memset(&pr, 0, sizeof(pr));
	pr.pol = &d->pol;
	pr.now = clock_now_ns();
	if ((rc = store_write(d->st, prune_fn, &pr)) != 0)
		return rc;
	if (pr.deleted > 0)
		log_debug("storage policy: %zu events removed", pr.deleted);
	return 0;
}
