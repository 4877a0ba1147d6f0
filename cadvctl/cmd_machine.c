/* cadvctl machine / version: the node facts collectord stored (cAdvisor's
 * MachineInfo and VersionInfo). */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cadvctl.h"

static int
json_flag(int argc, char **argv, const char *cmd, int *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*json = 0;
	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch != 'j')
			return CTL_USAGE;
		*json = 1;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cadvctl %s [--json]\n", cmd);
		return CTL_USAGE;
	}
	return CTL_OK;
}

/* The two documents collectord stores: cAdvisor's MachineInfo and
 * VersionInfo. */
enum doc { DOC_MACHINE, DOC_VERSION };
static const char *const doc_names[] = {
	[DOC_MACHINE] = "machine", [DOC_VERSION] = "version",
};

/* The stored document, parsed; prints why not. */
static int
load(struct ctl *ctl, enum doc which, struct json_object **out)
{
	const char *key = doc_names[which], *data;
	size_t len;
	struct cadv_txn *txn;
	int rc;

	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((rc = cadv_begin(ctl->db, &txn)) != 0)
		return ctl_store_error(ctl, "read transaction", rc);
	rc = which == DOC_MACHINE ? cadv_machine_info(txn, &data, &len) :
	    cadv_version_info(txn, &data, &len);
	if (rc == 0) {
		struct json_tokener *tok = json_tokener_new();

		*out = tok ? json_tokener_parse_ex(tok, data, (int)len) : NULL;
		if (*out != NULL &&
		    json_tokener_get_error(tok) != json_tokener_success) {
			json_object_put(*out);
			*out = NULL;
		}
		json_tokener_free(tok);
	}
	cadv_end(txn);
	if (rc == CADV_NOTFOUND) {
		fprintf(stderr, "cadvctl: %s: no %s info yet (collectord writes "
		    "it at start)\n", ctl->store_dir, key);
		return CTL_NOTFOUND;
	}
	if (rc != 0)
		return ctl_store_error(ctl, key, rc);
	if (*out == NULL || !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		fprintf(stderr, "cadvctl: %s/data.mdb: table meta, %s: not a "
		    "JSON object\n", ctl->store_dir, key);
		return CTL_STORE;
	}
	return CTL_OK;
}

static const char *
str(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) :
	    "";
}

static uint64_t
num(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_uint64(v) :
	    0;
}

static struct json_object *
arr(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_array) ? v : NULL;
}

static void
print_machine(struct json_object *m)
{
	struct json_object *a, *disks;
	size_t i;

	printf("cpu        %s, %llu logical, %llu physical cores, %llu "
	    "socket%s, %llu kHz\n", str(m, "cpu_model"),
	    (unsigned long long)num(m, "num_cores"),
	    (unsigned long long)num(m, "num_physical_cores"),
	    (unsigned long long)num(m, "num_sockets"),
	    num(m, "num_sockets") == 1 ? "" : "s",
	    (unsigned long long)num(m, "cpu_frequency_khz"));
	printf("memory     %llu bytes, swap %llu bytes\n",
	    (unsigned long long)num(m, "memory_capacity"),
	    (unsigned long long)num(m, "swap_capacity"));
	printf("machine id %s\nboot id    %s\nsystem uuid %s\n",
	    str(m, "machine_id"), str(m, "boot_id"), str(m, "system_uuid"));
	if ((a = arr(m, "topology")) != NULL)
		for (i = 0; i < json_object_array_length(a); i++) {
			struct json_object *n = json_object_array_get_idx(a, i);
			struct json_object *cores = arr(n, "cores");

			printf("node %llu   %llu bytes, %zu cores\n",
			    (unsigned long long)num(n, "node_id"),
			    (unsigned long long)num(n, "memory"),
			    cores ? json_object_array_length(cores) : 0);
		}
	if ((a = arr(m, "hugepages")) != NULL)
		for (i = 0; i < json_object_array_length(a); i++) {
			struct json_object *h = json_object_array_get_idx(a, i);

			printf("hugepages  %llu kB: %llu\n",
			    (unsigned long long)num(h, "page_size"),
			    (unsigned long long)num(h, "num_pages"));
		}
	if ((a = arr(m, "network_devices")) != NULL)
		for (i = 0; i < json_object_array_length(a); i++) {
			struct json_object *d = json_object_array_get_idx(a, i);

			printf("network    %s mac %s mtu %llu speed %llu Mb/s\n",
			    str(d, "name"), str(d, "mac_address"),
			    (unsigned long long)num(d, "mtu"),
			    (unsigned long long)num(d, "speed"));
		}
	if (json_object_object_get_ex(m, "disk_map", &disks)) {
		json_object_object_foreach(disks, key, d)
			printf("disk       %s %s %llu bytes, scheduler %s\n", key,
			    str(d, "name"), (unsigned long long)num(d, "size"),
			    str(d, "scheduler"));
	}
	if ((a = arr(m, "filesystems")) != NULL)
		for (i = 0; i < json_object_array_length(a); i++) {
			struct json_object *f = json_object_array_get_idx(a, i);

			printf("filesystem %s on %s (%s) %llu bytes, %llu inodes\n",
			    str(f, "device"), str(f, "mountpoint"), str(f, "type"),
			    (unsigned long long)num(f, "capacity"),
			    (unsigned long long)num(f, "inodes"));
		}
}

static int
show(struct ctl *ctl, int argc, char **argv, enum doc which)
{
	const char *cmd = doc_names[which];
	struct json_object *doc = NULL;
	int json, rc;

	if ((rc = json_flag(argc, argv, cmd, &json)) != CTL_OK)
		return rc;
	if ((rc = load(ctl, which, &doc)) != CTL_OK)
		return rc;
	if (json) {
		ctl_print_json(doc);
		return CTL_OK;
	}
	if (which == DOC_MACHINE)
		print_machine(doc);
	else {
		json_object_object_foreach(doc, k, v)
			printf("%-20s %s\n", k, json_object_get_string(v));
	}
	json_object_put(doc);
	return CTL_OK;
}

int
cmd_machine(struct ctl *ctl, int argc, char **argv)
{
	return show(ctl, argc, argv, DOC_MACHINE);
}

int
cmd_version(struct ctl *ctl, int argc, char **argv)
{
	return show(ctl, argc, argv, DOC_VERSION);
}
