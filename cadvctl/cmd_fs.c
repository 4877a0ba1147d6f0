/* cadvctl fs [PATH]: filesystem usage.  Without PATH every filesystem
 * collectord samples (GetFsInfo); with PATH the one holding it
 * (GetDirFsInfo; "/" is RootFsInfo), from the store when it has the device,
 * else measured now with statfs, and it says which; --json adds the
 * device's newest /proc/diskstats counters the store has. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "clock.h"
#include "fsinfo.h"
#include "jsonfmt.h"
#include "diskstats.h"

struct fs_row {
	struct fs_entry		e;
	struct cadv_fs	u;
	uint64_t		ts;
	const char		*source;	/* "store" or "statfs" */
	struct cadv_disk_stats	d;
	uint64_t		d_ts;		/* 0: no diskstats record */
};

static struct json_object *
row_json(const struct fs_row *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "device", json_object_new_string(r->e.device));
	json_object_object_add(o, "mountpoint",
	    json_object_new_string(r->e.mountpoint));
	json_object_object_add(o, "type", json_object_new_string(r->e.type));
	json_object_object_add(o, "major", json_object_new_int64(r->e.major));
	json_object_object_add(o, "minor", json_object_new_int64(r->e.minor));
	json_object_object_add(o, "capacity",
	    json_object_new_uint64(r->u.capacity));
	json_object_object_add(o, "available",
	    json_object_new_uint64(r->u.available));
	json_object_object_add(o, "usage", json_object_new_uint64(r->u.used));
	json_object_object_add(o, "inodes", json_object_new_uint64(r->u.inodes));
	json_object_object_add(o, "inodes_free",
	    json_object_new_uint64(r->u.inodes_free));
	json_object_object_add(o, "timestamp", jsonfmt_time(r->ts));
	json_object_object_add(o, "source", json_object_new_string(r->source));
	if (r->d_ts != 0) {
		struct json_object *d = json_object_new_object();
		size_t i;

		for (i = 0; i < CADV_DS_COUNT; i++)
			json_object_object_add(d, diskstats_json_names[i],
			    json_object_new_uint64(r->d.v[i]));
		json_object_object_add(d, "timestamp", jsonfmt_time(r->d_ts));
		json_object_object_add(o, "diskstats", d);
	}
	return o;
}

static void
row_text(const struct fs_row *r)
{
	printf("%-20s %-24s %-8s %16llu %16llu %16llu %12llu %12llu %s\n",
	    r->e.device, r->e.mountpoint, r->e.type,
	    (unsigned long long)r->u.capacity, (unsigned long long)r->u.used,
	    (unsigned long long)r->u.available,
	    (unsigned long long)r->u.inodes,
	    (unsigned long long)r->u.inodes_free, r->source);
}

/* The newest stored sample for the device; 0 or CADV_NOTFOUND. */
static int
from_store(struct ctl *ctl, struct fs_row *r)
{
	struct cadv_txn *txn;
	int rc;

	if ((rc = cadv_begin(ctl->db, &txn)) != 0)
		return rc;
	rc = cadv_fs_latest(txn, r->e.major, r->e.minor, &r->ts, &r->u);
	/* (a bad diskstats record costs its counters, not the usage) */
	if (rc == 0 && cadv_diskstats_latest(txn, r->e.major, r->e.minor,
	    &r->d_ts, &r->d) != 0)
		r->d_ts = 0;
	cadv_end(txn);
	if (rc == 0)
		r->source = "store";
	return rc;
}

int
cmd_fs(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *out = NULL;
	struct fs_entry *list = NULL;
	struct fs_row r;
	char err[PATH_MAX + 64];
	size_t n = 0, i;
	int ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch != 'j')
			return CTL_USAGE;
		json = 1;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "usage: cadvctl fs [PATH] [--json]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if (optind < argc) {
		memset(&r, 0, sizeof(r));
		if (fs_find("/proc/self/mountinfo", argv[optind], &r.e, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "cadvctl: %s\n", err);
			return CTL_NOTFOUND;
		}
		rc = from_store(ctl, &r);
		if (rc == CADV_NOTFOUND) {
			if (fs_statfs(r.e.mountpoint, &r.u) == -1) {
				perror(r.e.mountpoint);
				return CTL_NOTFOUND;
			}
			r.ts = clock_now_ns();
			r.source = "statfs";
		} else if (rc != 0)
			return ctl_store_error(ctl, "filesystems", rc);
		if (json)
			ctl_print_json(row_json(&r));
		else {
			row_text(&r);
			if (strcmp(r.source, "statfs") == 0)
				fprintf(stderr, "cadvctl: %s is not in the store: "
				    "measured now with statfs\n", r.e.mountpoint);
		}
		return CTL_OK;
	}
	if (fs_list("/proc/self/mountinfo", &list, &n, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadvctl: %s\n", err);
		return CTL_STORE;
	}
	if (json)
		out = json_object_new_array();
	else
		printf("%-20s %-24s %-8s %16s %16s %16s %12s %12s %s\n", "DEVICE",
		    "MOUNTPOINT", "TYPE", "CAPACITY", "USED", "AVAILABLE",
		    "INODES", "IFREE", "SOURCE");
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.e = list[i];
		if ((rc = from_store(ctl, &r)) == CADV_NOTFOUND)
			continue;	/* not sampled (yet): GetFsInfo lists the store */
		if (rc != 0) {
			free(list);
			json_object_put(out);
			return ctl_store_error(ctl, "filesystems", rc);
		}
		if (json)
			json_object_array_add(out, row_json(&r));
		else
			row_text(&r);
	}
	free(list);
	if (json)
		ctl_print_json(out);
	return CTL_OK;
}
