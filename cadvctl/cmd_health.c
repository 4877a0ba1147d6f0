/* cadvctl health: the figures a monitoring check needs, from the store;
 * cadvctl get NAME FIELD: one bare value for scripts. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cadvctl.h"
#include "clock.h"

struct census {
	struct cadv_txn	*txn;
	uint64_t	 live, newest;
	struct cadv_sample	*s;
};

static int
census_fn(const struct cadv_container *c, void *arg)
{
	struct census *cs = arg;
	uint64_t ts;
	int rc;

	if (c->deleted_ns != 0)
		return 0;
	cs->live++;
	rc = cadv_sample_latest(cs->txn, c->id, &ts, cs->s);
	if (rc == CADV_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	if (ts > cs->newest)
		cs->newest = ts;
	return 0;
}

/* A writer blocked: the same thread holds the writers' mutex for a whole
 * tick (a commit takes milliseconds).  Looks every 50 ms; the pid of the
 * process the thread belongs to, 0 when nothing blocks. */
static pid_t
writer_blocked(struct ctl *ctl, uint64_t tick, double *held_s)
{
	uint64_t t0 = clock_mono_ns();
	int32_t tid, again;
	char path[64], line[256];
	FILE *fp;
	long pid = 0;

	*held_s = 0;
	if (cadv_writer_holder(ctl->db, &tid) != 0 || tid == 0)
		return 0;
	if (tick < 1000000000ULL)
		tick = 1000000000ULL;
	while (clock_mono_ns() - t0 < tick) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if (cadv_writer_holder(ctl->db, &again) != 0 || again != tid)
			return 0;
	}
	*held_s = (double)(clock_mono_ns() - t0) / 1e9;
	/* the thread's process; the thread itself when /proc does not say */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if ((fp = fopen(path, "re")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			if (sscanf(line, "Tgid: %ld", &pid) == 1)
				break;
		fclose(fp);
	}
	return pid > 0 ? (pid_t)pid : tid;
}

static double
age(uint64_t now, uint64_t then)
{
	return then == 0 ? -1 : now > then ? (double)(now - then) / 1e9 : 0;
}

int
cmd_health(struct ctl *ctl, int argc, char **argv)
{
	static const enum cadv_writer daemons[] = { CADV_W_COLLECTORD,
	    CADV_W_EVENTD };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct census cs;
	struct cadv_usage u;
	struct json_object *o;
	uint64_t now, hb, interval = 0;
	int ch, json = 0, rc, dead = 0;
	size_t i;

	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch != 'j')
			return CTL_USAGE;
		json = 1;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cadvctl health [--json]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	/* a reader killed mid-transaction pins pages: clear and count */
	cadv_reader_check(ctl->db, &dead);
	memset(&cs, 0, sizeof(cs));
	if ((cs.s = malloc(sizeof(*cs.s))) == NULL)
		return CTL_STORE;
	if ((rc = cadv_begin(ctl->db, &cs.txn)) != 0) {
		free(cs.s);
		return ctl_store_error(ctl, "read transaction", rc);
	}
	now = clock_now_ns();
	o = json_object_new_object();
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		char key[64];

		hb = 0;
		rc = cadv_heartbeat(cs.txn, daemons[i], &hb);
		if (rc != 0 && rc != CADV_NOTFOUND)
			break;
		snprintf(key, sizeof(key), "%s_heartbeat_age_seconds",
		    cadv_writer_name(daemons[i]));
		json_object_object_add(o, key, json_object_new_double(age(now,
		    hb)));
		rc = 0;
	}
	if (rc == 0 && (rc = cadv_interval(cs.txn, &interval)) ==
	    CADV_NOTFOUND)
		rc = 0;
	if (rc == 0)
		rc = cadv_containers_each(cs.txn, census_fn, &cs);
	cadv_end(cs.txn);
	free(cs.s);
	if (rc != 0 || (rc = cadv_usage(ctl->db, &u)) != 0) {
		json_object_put(o);
		return ctl_store_error(ctl, "health", rc);
	}
	json_object_object_add(o, "newest_sample_age_seconds",
	    json_object_new_double(age(now, cs.newest)));
	json_object_object_add(o, "interval_seconds",
	    json_object_new_double((double)interval / 1e9));
	json_object_object_add(o, "containers", json_object_new_uint64(cs.live));
	json_object_object_add(o, "map_size_bytes",
	    json_object_new_uint64(u.map_size));
	json_object_object_add(o, "map_used_bytes", json_object_new_uint64(u.used));
	json_object_object_add(o, "map_used_percent",
	    json_object_new_uint64(u.map_size ? u.used * 100 / u.map_size : 0));
	json_object_object_add(o, "readers_used",
	    json_object_new_uint64(u.readers_used));
	json_object_object_add(o, "readers_max",
	    json_object_new_uint64(u.readers_max));
	json_object_object_add(o, "stale_readers_cleared",
	    json_object_new_int(dead));
	{
		double held;
		pid_t holder = writer_blocked(ctl, interval, &held);

		json_object_object_add(o, "writer_blocked_pid",
		    json_object_new_int(holder));
		json_object_object_add(o, "writer_blocked_seconds",
		    json_object_new_double(held));
	}
	if (json) {
		ctl_print_json(o);
		return CTL_OK;
	}
	/* "key value" lines: easy for sh's read; -1 = never */
	json_object_object_foreach(o, k, v) {
		if (json_object_is_type(v, json_type_double))
			printf("%s %.3f\n", k, json_object_get_double(v));
		else
			printf("%s %s\n", k, json_object_get_string(v));
	}
	json_object_put(o);
	return CTL_OK;
}

int
cmd_get(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		CTL_OPT_RAW_NAME,
		{ NULL, 0, NULL, 0 },
	};
	struct cadv_container c;
	struct cadv_sample *s;
	struct cadv_txn *txn;
	uint64_t ts;
	const char *field;
	size_t i;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			ctl->raw_name = 1;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind + 2 != argc) {
		fprintf(stderr, "usage: cadvctl get [--raw-name] NAME FIELD   "
		    "(FIELD: a sample field such as memory.working_set, or "
		    "spec.FIELD)\n");
		return CTL_USAGE;
	}
	field = argv[optind + 1];
	if (strncmp(field, "spec.", 5) == 0) {
		for (i = 0; i < CADV_SP_COUNT; i++)
			if (strcmp(field + 5, cadv_spec_field_path(
			    (enum cadv_spec_field)i)) == 0)
				break;
		if (i == CADV_SP_COUNT)
			goto unknown;
	} else {
		for (i = 0; i < CADV_SF_COUNT; i++)
			if (strcmp(field, cadv_sample_field_path(
			    (enum cadv_sample_field)i)) == 0)
				break;
		if (i == CADV_SF_COUNT)
			goto unknown;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((s = malloc(sizeof(*s))) == NULL)
		return CTL_STORE;
	if ((rc = cadv_begin(ctl->db, &txn)) != 0) {
		free(s);
		return ctl_store_error(ctl, "read transaction", rc);
	}
	if ((rc = ctl_find(ctl, txn, argv[optind], &c, NULL, NULL)) !=
	    CTL_OK)
		goto out;
	if (strncmp(field, "spec.", 5) == 0) {
		if (!cadv_spec_has(&c, (enum cadv_spec_field)i)) {
			fprintf(stderr, "cadvctl: %s: not known for this "
			    "container\n", field);
			rc = CTL_NOTFOUND;
		} else if (c.spec[i] == CADV_UNLIMITED)
			printf("max\n");
		else
			printf("%llu\n", (unsigned long long)c.spec[i]);
		goto out;
	}
	rc = cadv_sample_latest(txn, c.id, &ts, s);
	if (rc == CADV_NOTFOUND || (rc == 0 && !cadv_sample_has(s,
	    (enum cadv_sample_field)i))) {
		fprintf(stderr, "cadvctl: %s: absent in the newest sample\n",
		    field);
		rc = CTL_NOTFOUND;
	} else if (rc != 0)
		rc = ctl_store_error(ctl, "samples", rc);
	else {
		printf("%llu\n", (unsigned long long)s->v[i]);
		rc = CTL_OK;
	}
out:
	cadv_end(txn);
	free(s);
	return rc;
unknown:
	fprintf(stderr, "cadvctl: unknown field %s (see docs/SCHEMA.md)\n",
	    field);
	return CTL_USAGE;
}
