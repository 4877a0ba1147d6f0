/*
 * The kubelet's filesystem calls (cAdvisor's RootFsInfo, GetDirFsInfo,
 * GetFsInfo) over the store: the filesystems are the machine document's
 * (collectord lists them from its mount table at start), their usage the
 * newest statfs record of each device, as exporterd's v2.0/storage
 * answers.  A path is matched to its filesystem by the device stat(2)
 * gives it, which is the mount table's major:minor for every kind of
 * filesystem (overlay and btrfs have anonymous ones), so no mount table
 * is read here.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cadv_impl.h"

#define WALK_STOP	1	/* a callback's "enough", never an error */

typedef int (*fs_fn)(const struct cadv_fs_info *, void *arg);

static void
copy_str(struct json_object *f, const char *key, char *out, size_t outsz)
{
	struct json_object *x;

	out[0] = '\0';
	if (json_object_object_get_ex(f, key, &x) &&
	    json_object_is_type(x, json_type_string))
		snprintf(out, outsz, "%s", json_object_get_string(x));
}

/* a device number of the entry; -1 when absent or out of range */
static int
dev_num(struct json_object *f, const char *key, uint32_t *out)
{
	struct json_object *x;
	int64_t v;

	if (!json_object_object_get_ex(f, key, &x) ||
	    !json_object_is_type(x, json_type_int))
		return -1;
	v = json_object_get_int64(x);
	if (v < 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* One entry of the document with its newest usage; 1: not a filesystem
 * entry (passed over). */
static int
fs_entry(struct cadv_txn *t, struct json_object *f, struct cadv_fs_info *fi)
{
	struct json_object *x;
	int rc;

	memset(fi, 0, sizeof(*fi));
	if (!json_object_is_type(f, json_type_object) ||
	    dev_num(f, "major", &fi->major) == -1 ||
	    dev_num(f, "minor", &fi->minor) == -1)
		return 1;
	copy_str(f, "device", fi->device, sizeof(fi->device));
	copy_str(f, "mountpoint", fi->mountpoint, sizeof(fi->mountpoint));
	copy_str(f, "type", fi->type, sizeof(fi->type));
	if (strcmp(fi->mountpoint, "/") == 0)
		fi->labels |= CADV_FSL_ROOT;
	rc = store_fs_latest(t->st, t->txn, fi->major, fi->minor, &fi->ts_ns,
	    &fi->usage);
	if (rc == MDB_NOTFOUND) {
		/* not sampled yet: the capacity the document has */
		fi->ts_ns = 0;
		memset(&fi->usage, 0, sizeof(fi->usage));
		if (json_object_object_get_ex(f, "capacity", &x) &&
		    json_object_is_type(x, json_type_int))
			fi->usage.capacity = (uint64_t)json_object_get_uint64(x);
		return 0;
	}
	if (rc != 0)
		return rc;
	fi->has_inodes = 1;
	return 0;
}

/* fn for each filesystem of the machine document with its usage */
static int
fs_each(struct cadv_txn *t, fs_fn fn, void *arg)
{
	struct json_tokener *tok;
	struct json_object *m, *fss;
	struct cadv_fs_info *fi;
	const char *doc;
	size_t len, i, n;
	int rc;

	if ((rc = cadv_machine_info(t, &doc, &len)) != 0)
		return rc;
	if (len > INT32_MAX)
		return store_corrupt(t->st, TBL_META, META_MACHINE,
		    "larger than a JSON document is read");
	if ((tok = json_tokener_new()) == NULL)
		return ENOMEM;
	m = json_tokener_parse_ex(tok, doc, (int)len);
	json_tokener_free(tok);
	if (m == NULL || !json_object_is_type(m, json_type_object)) {
		json_object_put(m);
		return store_corrupt(t->st, TBL_META, META_MACHINE,
		    "not a JSON object");
	}
	if (!json_object_object_get_ex(m, "filesystems", &fss) ||
	    !json_object_is_type(fss, json_type_array)) {
		json_object_put(m);
		return 0;	/* a machine without filesystems listed */
	}
	if ((fi = malloc(sizeof(*fi))) == NULL) {
		json_object_put(m);
		return ENOMEM;
	}
	n = json_object_array_length(fss);
	for (i = 0, rc = 0; i < n && rc == 0; i++) {
		rc = fs_entry(t, json_object_array_get_idx(fss, i), fi);
		if (rc == 1)
			rc = 0;
		else if (rc == 0)
			rc = fn(fi, arg);
	}
	free(fi);
	json_object_put(m);
	return rc;
}

struct fs_pick {
	uint32_t		 labels;	/* any of them; 0: any filesystem */
	int			 by_dev;
	uint32_t		 major, minor;
	struct cadv_fs_info	*out;
	int			 found;
	cadv_fs_info_cb		 cb;
	void			*arg;
};

static int
pick_one(const struct cadv_fs_info *fi, void *arg)
{
	struct fs_pick *p = arg;

	if (p->labels != 0 && !(fi->labels & p->labels))
		return 0;
	if (p->by_dev && (fi->major != p->major || fi->minor != p->minor))
		return 0;
	if (p->cb != NULL)
		return p->cb(fi, p->arg);
	*p->out = *fi;
	p->found = 1;
	return WALK_STOP;
}

static int
pick_first(struct cadv_txn *t, struct fs_pick *p)
{
	int rc = fs_each(t, pick_one, p);

	if (rc == WALK_STOP && p->found)
		return 0;
	return rc == 0 ? CADV_NOTFOUND : rc;
}

CADV_EXPORT int
cadv_root_fs_info(struct cadv_txn *t, struct cadv_fs_info *out)
{
	struct fs_pick p = { .labels = CADV_FSL_ROOT, .out = out };

	return pick_first(t, &p);
}

CADV_EXPORT int
cadv_dir_fs_info(struct cadv_txn *t, const char *path,
    struct cadv_fs_info *out)
{
	struct fs_pick p = { .by_dev = 1, .out = out };
	struct stat sb;

	if (path == NULL || *path == '\0')
		return EINVAL;
	if (stat(path, &sb) == -1)
		return errno;
	p.major = major(sb.st_dev);
	p.minor = minor(sb.st_dev);
	return pick_first(t, &p);
}

CADV_EXPORT int
cadv_fs_info(struct cadv_txn *t, const char *label, cadv_fs_info_cb cb,
    void *arg)
{
	struct fs_pick p = { .cb = cb, .arg = arg };

	if (label != NULL && *label != '\0') {
		if (strcmp(label, "root") != 0)
			return EINVAL;
		p.labels = CADV_FSL_ROOT;
	}
	return fs_each(t, pick_one, &p);
}
