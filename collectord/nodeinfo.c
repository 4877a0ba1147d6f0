/* The node's own facts: machine and version info (cAdvisor's MachineInfo,
 * VersionInfo) written at start and refreshed now and then, and the
 * filesystems' usage sampled on a slower tick than the containers, with
 * their devices' /proc/diskstats counters (cAdvisor's fs.DiskStats of the
 * root's filesystems) in the same transaction. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "collector.h"
#include "diskstats.h"
#include "fsinfo.h"
#include "hostroot.h"
#include "log.h"
#include "machine.h"
#include "storedisk.h"
#include "storewrite.h"

/* /proc/diskstats read whole: some 150 bytes a device */
#define DISKSTATS_BUF	(256 * 1024)

/* The machine as seen from here: /proc and /sys are ours (the host's, in
 * a container started with --pid=host and /sys mounted), /etc and the
 * filesystems are under the host root (hostroot.h). */
static const struct machine_paths *
host_paths(struct collector *c)
{
	struct machine_paths *p = &c->paths;

	if (p->proc == NULL) {
		*p = machine_paths_default;
		if (hostroot()[0] != '\0' && hostroot_path("/etc",
		    c->paths_etc, sizeof(c->paths_etc)) == 0)
			p->etc = c->paths_etc;
		p->mountinfo = hostroot_mountinfo();
		p->root = hostroot();
	}
	return p;
}

struct info_arg {
	const char	*machine, *version;
};

static int
info_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct info_arg *a = arg;
	int rc;

	if ((rc = store_meta_put_blob(st, txn, META_MACHINE, a->machine,
	    strlen(a->machine))) != 0)
		return rc;
	return store_meta_put_blob(st, txn, META_VERSION, a->version,
	    strlen(a->version));
}

int
nodeinfo_write(struct collector *c)
{
	struct json_object *m = machine_info(host_paths(c));
	struct json_object *v = version_info(host_paths(c));
	struct info_arg a;
	int rc = ENOMEM;

	if (m != NULL && v != NULL) {
		a.machine = json_object_to_json_string_ext(m,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		a.version = json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		rc = store_write(c->st, info_fn, &a);
	}
	json_object_put(m);
	json_object_put(v);
	return rc;
}

struct fs_arg {
	struct fs_entry	*fs;
	struct cadv_fs *u;
	size_t		 n;
	struct cadv_disk_stats *ds;		/* the devices found in diskstats */
	size_t		 nds;
	uint64_t	 now, before;
};

static int
fs_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct fs_arg *a = arg;
	size_t i, pruned;
	int rc;

	for (i = 0; i < a->n; i++)
		if ((rc = store_fs_put(st, txn, a->fs[i].major, a->fs[i].minor,
		    a->now, &a->u[i])) != 0)
			return rc;
	for (i = 0; i < a->nds; i++)
		if ((rc = store_diskstats_put(st, txn, a->now,
		    &a->ds[i])) != 0)
			return rc;
	if ((rc = store_fs_prune(st, txn, a->before, &pruned)) != 0)
		return rc;
	return store_diskstats_prune(st, txn, a->before, &pruned);
}

/* The counters of the listed filesystems' devices, into a->ds; none when
 * /proc/diskstats cannot be read (a kernel without it: cAdvisor has
 * zeros, the store nothing). */
static void
read_diskstats(struct fs_arg *a, int *warned)
{
	unsigned char *found;
	char path[PATH_MAX], *buf;
	size_t i, bad, nds = 0;
	long len;

	if (a->n == 0 || (buf = malloc(DISKSTATS_BUF)) == NULL)
		return;
	found = calloc(a->n, 1);
	a->ds = calloc(a->n, sizeof(*a->ds));
	if (found == NULL || a->ds == NULL)
		goto out;
	snprintf(path, sizeof(path), "%s/diskstats",
	    machine_paths_default.proc);
	if ((len = diskstats_read(path, buf, DISKSTATS_BUF)) == -1) {
		if (!(*warned)++)
			log_warnx("%s: %s (no diskstats of the filesystems)",
			    path, strerror(errno));
		goto out;
	}
	for (i = 0; i < a->n; i++) {
		a->ds[i].major = a->fs[i].major;
		a->ds[i].minor = a->fs[i].minor;
	}
	diskstats_parse(buf, (size_t)len, a->ds, found, a->n, &bad);
	if (bad > 0 && !(*warned)++)
		log_warnx("%s: %zu lines not in the kernel's format, passed "
		    "over", path, bad);
	/* fs_list has one entry per device: keep those found, in order */
	for (i = 0; i < a->n; i++)
		if (found[i])
			a->ds[nds++] = a->ds[i];
	a->nds = nds;
out:
	free(found);
	free(buf);
}

int
nodeinfo_sample_fs(struct collector *c)
{
	struct fs_arg a = { NULL, NULL, 0, NULL, 0, clock_now_ns(), 0 };
	char err[PATH_MAX + 64];
	size_t i, ok = 0;
	int rc;

	if (fs_list(hostroot_mountinfo(), &a.fs, &a.n, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	if ((a.u = calloc(a.n ? a.n : 1, sizeof(*a.u))) == NULL) {
		free(a.fs);
		return ENOMEM;
	}
	/* statfs outside the transaction; drop what cannot be read */
	for (i = 0; i < a.n; i++) {
		char at[PATH_MAX];

		/* the host's mount point, where the host is mounted */
		if (hostroot_path(a.fs[i].mountpoint, at, sizeof(at)) == 0 &&
		    fs_statfs(at, &a.u[ok]) == 0)
			a.fs[ok++] = a.fs[i];
	}
	a.n = ok;
	read_diskstats(&a, &c->diskstats_warned);
	a.before = a.now > c->retention ? a.now - c->retention : 0;
	rc = store_write(c->st, fs_fn, &a);
	free(a.fs);
	free(a.u);
	free(a.ds);
	return rc;
}
