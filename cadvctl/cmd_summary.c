/* cadvctl summary NAME: cAdvisor's DerivedStats of a container (what
 * exporterd's v2.0/summary answers): the newest rates, and the minute's,
 * the hour's and the day's cpu and memory percentiles from the minutes
 * collectord keeps (docs/SCHEMA.md "minutes"). */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "clock.h"
#include "derived.h"
#include "jsonfmt.h"

#define SUMMARY_USAGE	"usage: cadvctl summary [--raw-name] NAME [--json]\n"

static uint64_t
u64_at(struct json_object *o, const char *a, const char *b)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, a, &x) ||
	    (b != NULL && !json_object_object_get_ex(x, b, &x)))
		return 0;
	return json_object_get_uint64(x);
}

static void
print_usage(const char *what, struct json_object *d, const char *key)
{
	static const char *const k[] = { "mean", "max", "fifty", "ninety",
	    "ninetyfive" };
	struct json_object *u, *cpu, *mem, *x;
	size_t i;

	if (!json_object_object_get_ex(d, key, &u))
		return;
	json_object_object_get_ex(u, "cpu", &cpu);
	json_object_object_get_ex(u, "memory", &mem);
	printf("%-7s %3d%%", what, json_object_get_int(
	    json_object_object_get(u, "percent_complete")));
	x = json_object_object_get(cpu, "present");
	for (i = 0; i < 5; i++)
		if (json_object_get_boolean(x))
			printf(" %8llu", (unsigned long long)u64_at(cpu, k[i],
			    NULL));
		else
			printf(" %8s", "-");
	x = json_object_object_get(mem, "present");
	for (i = 0; i < 5; i++)
		if (json_object_get_boolean(x))
			printf(" %12llu", (unsigned long long)u64_at(mem, k[i],
			    NULL));
		else
			printf(" %12s", "-");
	printf("\n");
}

int
cmd_summary(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CTL_OPT_RAW_NAME,
		{ NULL, 0, NULL, 0 },
	};
	struct cadv_container c;
	struct json_object *d, *o;
	struct cadv_ident *id = NULL;
	struct cadv_txn *txn;
	char name[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	int ch, json = 0, rc, have_id = 0;

	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'R':
			ctl->raw_name = 1;
			break;
		default:
			fprintf(stderr, SUMMARY_USAGE);
			return CTL_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, SUMMARY_USAGE);
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((id = ctl_ident_alloc()) == NULL)
		return CTL_STORE;
	if ((rc = cadv_begin(ctl->db, &txn)) != 0) {
		free(id);
		return ctl_store_error(ctl, "read transaction", rc);
	}
	if ((rc = ctl_find(ctl, txn, argv[optind], &c, id, &have_id)) !=
	    CTL_OK) {
		cadv_end(txn);
		free(id);
		return rc;
	}
	d = derived_json(txn, c.id, clock_now_ns(), 0, &rc);
	cadv_end(txn);
	if (d == NULL) {
		free(id);
		return ctl_store_error(ctl, "reading minutes", rc);
	}
	cgname_escape(c.name, c.name_len, name, sizeof(name));
	if (json) {
		/* as the API keys it: {name: DerivedStats} */
		o = json_object_new_object();
		json_object_object_add(o, name, d);
		ctl_print_json(o);
	} else {
		printf("%s", name);
		if (have_id) {
			const char *n;
			size_t nlen;

			n = cadv_ident_str(id, CADV_IS_NAME, &nlen);
			if (n != NULL && nlen > 0) {
				char cell[CTL_CELL_SZ];

				ctl_cell(n, nlen, cell);
				printf(" (%s)", cell);
			}
		}
		printf(" at %s\n", json_object_get_string(
		    json_object_object_get(d, "timestamp")));
		printf("latest: cpu %llu millicores, memory %llu bytes\n",
		    (unsigned long long)u64_at(d, "latest_usage", "cpu"),
		    (unsigned long long)u64_at(d, "latest_usage", "memory"));
		printf("%-7s %4s %8s %8s %8s %8s %8s %12s %12s %12s %12s %12s\n",
		    "", "done", "cpu_mean", "max", "p50", "p90", "p95",
		    "mem_mean", "max", "p50", "p90", "p95");
		print_usage("minute", d, "minute_usage");
		print_usage("hour", d, "hour_usage");
		print_usage("day", d, "day_usage");
		json_object_put(d);
	}
	free(id);
	return CTL_OK;
}
