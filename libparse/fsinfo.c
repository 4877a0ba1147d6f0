#include "fsinfo.h"

#include <bsd/string.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "mounts.h"

static int
real_fs(const struct mnt *m)
{
	return strncmp(m->source, "/dev/", 5) == 0 ||
	    strcmp(m->fstype, "btrfs") == 0 || strcmp(m->fstype, "zfs") == 0 ||
	    strcmp(m->fstype, "overlay") == 0;
}

static void
entry_from(struct fs_entry *e, const struct mnt *m)
{
	strlcpy(e->device, m->source, sizeof(e->device));
	strlcpy(e->mountpoint, m->path, sizeof(e->mountpoint));
	strlcpy(e->type, m->fstype, sizeof(e->type));
	e->major = m->major;
	e->minor = m->minor;
}

/* Calls fn for each parsable mountinfo line; -1 with err on a read error
 * or a malformed line. */
static int
each_mount(const char *mountinfo, int (*fn)(const struct mnt *, void *),
    void *arg, char *err, size_t errsz)
{
	struct mnt m;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(mountinfo, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s", mountinfo, strerror(errno));
		return -1;
	}
	while (rc == 0 && getline(&line, &cap, fp) != -1) {
		lineno++;
		if (mountinfo_line(line, &m) == -1) {
			snprintf(err, errsz, "%s line %zu is malformed",
			    mountinfo, lineno);
			rc = -1;
			break;
		}
		rc = fn(&m, arg);
	}
	free(line);
	fclose(fp);
	return rc;
}

struct list_arg {
	struct fs_entry	*v;
	size_t		 n;
	int		 oom;
};

static int
list_one(const struct mnt *m, void *arg)
{
	struct list_arg *a = arg;
	struct fs_entry *nv;
	size_t i;

	if (!real_fs(m))
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i].major == m->major && a->v[i].minor == m->minor) {
			/* a later mount showing the whole filesystem wins */
			if (strcmp(m->root, "/") == 0 &&
			    strlen(m->path) < strlen(a->v[i].mountpoint))
				entry_from(&a->v[i], m);
			return 0;
		}
	if ((nv = reallocarray(a->v, a->n + 1, sizeof(*nv))) == NULL) {
		a->oom = 1;
		return -1;
	}
	a->v = nv;
	entry_from(&a->v[a->n++], m);
	return 0;
}

int
fs_list(const char *mountinfo, struct fs_entry **out, size_t *n, char *err,
    size_t errsz)
{
	struct list_arg a = { NULL, 0, 0 };

	if (each_mount(mountinfo, list_one, &a, err, errsz) == -1) {
		if (a.oom)
			snprintf(err, errsz, "out of memory");
		free(a.v);
		return -1;
	}
	*out = a.v;
	*n = a.n;
	return 0;
}

struct find_arg {
	const char	*path;
	size_t		 best;
	int		 found;
	struct fs_entry	*out;
};

static int
find_one(const struct mnt *m, void *arg)
{
	struct find_arg *a = arg;
	size_t l = strlen(m->path);

	if (strcmp(m->path, "/") == 0)
		l = 0;
	else if (strncmp(a->path, m->path, l) != 0 ||
	    (a->path[l] != '/' && a->path[l] != '\0'))
		return 0;
	/* >=: of mounts stacked on one point, the last is the visible one */
	if (!a->found || l >= a->best) {
		a->best = l;
		a->found = 1;
		entry_from(a->out, m);
	}
	return 0;
}

int
fs_find(const char *mountinfo, const char *path, struct fs_entry *out,
    char *err, size_t errsz)
{
	char real[PATH_MAX];
	struct find_arg a = { real, 0, 0, out };

	if (realpath(path, real) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (each_mount(mountinfo, find_one, &a, err, errsz) == -1)
		return -1;
	if (!a.found) {
		snprintf(err, errsz, "%s: no mount holds it", path);
		return -1;
	}
	return 0;
}

int
fs_statfs(const char *mountpoint, struct cadv_fs *u)
{
	struct statvfs sv;

	if (statvfs(mountpoint, &sv) == -1)
		return -1;
	u->capacity = (uint64_t)sv.f_blocks * sv.f_frsize;
	u->available = (uint64_t)sv.f_bavail * sv.f_frsize;
	u->used = (uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
	u->inodes = sv.f_files;
	u->inodes_free = sv.f_ffree;
	return 0;
}
