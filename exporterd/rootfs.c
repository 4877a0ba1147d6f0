/* cAdvisor's v1 FsStats of the root container (its raw handler fills
 * them for "/" alone): each filesystem of the machine document, a device
 * once, with the statfs and /proc/diskstats records collectord stored at
 * or before the sample (else the device's newest: the filesystems are
 * sampled on their own, slower tick). */
#include <string.h>

#include "cadvjson.h"
#include "diskstats.h"

#define ROOTFS_MAX	64	/* filesystems of one machine written */

static int
fs_at(struct cadv_txn *txn, uint32_t maj, uint32_t min,
    uint64_t at, struct cadv_fs *u)
{
	uint64_t ts;
	int rc = cadv_fs_at(txn, maj, min, at, &ts, u);

	return rc == CADV_NOTFOUND ? cadv_fs_latest(txn, maj, min, &ts, u) :
	    rc;
}

static int
ds_at(struct cadv_txn *txn, uint32_t maj, uint32_t min,
    uint64_t at, struct cadv_disk_stats *d)
{
	uint64_t ts;
	int rc = cadv_diskstats_at(txn, maj, min, at, &ts, d);

	return rc == CADV_NOTFOUND ? cadv_diskstats_latest(txn, maj, min,
	    &ts, d) : rc;
}

static void
add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

static struct json_object *
fs_stats(const char *device, const struct cadv_fs *u,
    const struct cadv_disk_stats *d)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	json_object_object_add(o, "device", json_object_new_string(device));
	/* statfs, as cAdvisor's VFS filesystems */
	json_object_object_add(o, "type", json_object_new_string("vfs"));
	add_u64(o, "capacity", u->capacity);
	add_u64(o, "usage", u->used);
	add_u64(o, "base_usage", 0);
	add_u64(o, "available", u->available);
	json_object_object_add(o, "has_inodes", json_object_new_boolean(1));
	add_u64(o, "inodes", u->inodes);
	add_u64(o, "inodes_free", u->inodes_free);
	/* the kernel's units: milliseconds, 512-byte sectors */
	for (i = 0; i < CADV_DS_COUNT; i++)
		add_u64(o, diskstats_json_names[i], d->v[i]);
	return o;
}

int
cj_root_filesystems(struct cadv_txn *txn,
    struct json_object *machine, uint64_t ts, struct json_object **out)
{
	struct json_object *fss, *f, *x, *arr;
	struct cadv_fs u;
	struct cadv_disk_stats d;
	uint32_t maj[ROOTFS_MAX], min[ROOTFS_MAX];
	size_t i, j, n, nseen = 0;
	int rc;

	*out = NULL;
	if (machine == NULL ||
	    !json_object_object_get_ex(machine, "filesystems", &fss) ||
	    !json_object_is_type(fss, json_type_array))
		return 0;
	arr = json_object_new_array();
	n = json_object_array_length(fss);
	for (i = 0; i < n && nseen < ROOTFS_MAX; i++) {
		f = json_object_array_get_idx(fss, i);
		if (!json_object_object_get_ex(f, "major", &x))
			continue;
		maj[nseen] = (uint32_t)json_object_get_int64(x);
		if (!json_object_object_get_ex(f, "minor", &x))
			continue;
		min[nseen] = (uint32_t)json_object_get_int64(x);
		for (j = 0; j < nseen; j++)
			if (maj[j] == maj[nseen] && min[j] == min[nseen])
				break;
		if (j < nseen)
			continue;
		rc = fs_at(txn, maj[nseen], min[nseen], ts, &u);
		if (rc == CADV_NOTFOUND)
			continue;
		if (rc == 0) {
			memset(&d, 0, sizeof(d));
			rc = ds_at(txn, maj[nseen], min[nseen], ts, &d);
		}
		/* no diskstats line (overlay): cAdvisor's zeros */
		if (rc != 0 && rc != CADV_NOTFOUND) {
			json_object_put(arr);
			return rc;
		}
		nseen++;
		json_object_array_add(arr, fs_stats(
		    json_object_object_get_ex(f, "device", &x) ?
		    json_object_get_string(x) : "", &u, &d));
	}
	*out = arr;
	return 0;
}
