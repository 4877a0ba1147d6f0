/*
 * cadvctl check: libcadv's cadv_check (the store's invariants in one
 * snapshot, every record that breaks one reported and the walk going on
 * past it) printed: the first problems as text lines or all of them as
 * JSON, then the records read of each table.  Exit 0 when all hold, 1
 * when something does not, 3 when the store cannot be read at all.
 */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cadv.h"
#include "cadvctl.h"

#define PRINT_MAX	100			/* problems printed in text */

struct report {
	struct json_object	*list;		/* --json: the problems */
	uint64_t		 n;
};

static int
report(const char *table, const char *key, const char *why, void *arg)
{
	struct report *r = arg;

	r->n++;
	if (r->list != NULL) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "table", json_object_new_string(table));
		json_object_object_add(o, "key", json_object_new_string(key));
		json_object_object_add(o, "problem", json_object_new_string(why));
		json_object_array_add(r->list, o);
	} else if (r->n <= PRINT_MAX)
		printf("%s %s: %s\n", table, key[0] ? key : "-", why);
	return 0;
}

static void
print_json(struct report *r, const struct cadv_check_counts *n)
{
	struct json_object *o = json_object_new_object(), *recs;
	enum cadv_table t;

	json_object_object_add(o, "ok", json_object_new_boolean(r->n == 0));
	recs = json_object_new_object();
	for (t = CADV_T_CONTAINERS; t < CADV_T_COUNT; t++)
		json_object_object_add(recs, cadv_table_name(t),
		    json_object_new_uint64(n->records[t]));
	json_object_object_add(o, "records", recs);
	json_object_object_add(o, "problems", r->list);
	r->list = NULL;
	ctl_print_json(o);
}

static void
print_text(const struct ctl *ctl, const struct report *r,
    const struct cadv_check_counts *n)
{
	const uint64_t *c = n->records;

	if (r->n > PRINT_MAX)
		printf("... and %llu more\n",
		    (unsigned long long)(r->n - PRINT_MAX));
	printf("%s: %llu containers, %llu names, %llu samples, %llu latest, "
	    "%llu events, %llu fs records, %llu diskstats, %llu diskio "
	    "records, %llu layers, %llu minutes, %llu idents: ",
	    ctl->store_dir, (unsigned long long)c[CADV_T_CONTAINERS],
	    (unsigned long long)c[CADV_T_NAMES],
	    (unsigned long long)c[CADV_T_SAMPLES],
	    (unsigned long long)c[CADV_T_LATEST],
	    (unsigned long long)c[CADV_T_EVENTS],
	    (unsigned long long)c[CADV_T_FS],
	    (unsigned long long)c[CADV_T_DISKSTATS],
	    (unsigned long long)c[CADV_T_DISKIO],
	    (unsigned long long)c[CADV_T_LAYERS],
	    (unsigned long long)c[CADV_T_MINUTES],
	    (unsigned long long)c[CADV_T_IDENTS]);
	if (r->n)
		printf("%llu problem%s\n", (unsigned long long)r->n,
		    r->n == 1 ? "" : "s");
	else
		printf("consistent\n");
}

int
cmd_check(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct report r = { NULL, 0 };
	struct cadv_check_counts n;
	struct cadv_txn *txn;
	struct cadv *db;
	int ch, json = 0, rc;

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
	/* ctl_open says why when it cannot open the store (and makes root
	 * the store's owner) */
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	db = ctl->db;
	if ((rc = cadv_begin(db, &txn)) != 0) {
		fprintf(stderr, "cadvctl: %s: read transaction: %s\n",
		    ctl->store_dir, cadv_error(db, rc));
		ctl_close(ctl);
		return CTL_STORE;
	}
	if (json)
		r.list = json_object_new_array();
	rc = cadv_check(txn, report, &r, &n);
	cadv_end(txn);
	if (rc != 0 && rc != CADV_CORRUPT) {
		fprintf(stderr, "cadvctl: %s: walking the store: %s\n",
		    ctl->store_dir, cadv_error(db, rc));
		json_object_put(r.list);
		ctl_close(ctl);
		return CTL_STORE;
	}
	ctl_close(ctl);
	if (json)
		print_json(&r, &n);
	else
		print_text(ctl, &r, &n);
	return r.n ? CTL_NOTFOUND : CTL_OK;
}
