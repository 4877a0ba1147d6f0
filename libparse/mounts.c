#include "hostroot.h"
#include "mounts.h"

#include <bsd/string.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const ctrl_names[CTRL_COUNT] = {
	[CTRL_CPU] = "cpu", [CTRL_CPUACCT] = "cpuacct",
	[CTRL_CPUSET] = "cpuset", [CTRL_MEMORY] = "memory",
	[CTRL_DEVICES] = "devices", [CTRL_FREEZER] = "freezer",
	[CTRL_BLKIO] = "blkio", [CTRL_PIDS] = "pids",
	[CTRL_HUGETLB] = "hugetlb", [CTRL_PERF_EVENT] = "perf_event",
	[CTRL_NET_CLS] = "net_cls", [CTRL_NET_PRIO] = "net_prio",
	[CTRL_RDMA] = "rdma", [CTRL_MISC] = "misc",
};

const char *
cg_ctrl_name(enum cg_ctrl c)
{
	return (unsigned)c < CTRL_COUNT ? ctrl_names[c] : "?";
}

const char *
cg_mode_name(enum cg_mode m)
{
	switch (m) {
	case CG_MODE_V1:
		return "v1";
	case CG_MODE_V2:
		return "v2";
	case CG_MODE_HYBRID:
		return "hybrid";
	case CG_MODE_NONE:
		break;
	}
	return "none";
}

/* Undo mountinfo's octal escapes (\040 space, \011 tab, \012 newline,
 * \134 backslash) in place. */
static int
unoctal(char *s)
{
	char *o = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
			    (s[3] - '0'));
			s += 4;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return 0;
}

static void
parse_superopts(char *opts, struct cg_mount *cm)
{
	char *tok, *save = NULL;
	int c;

	for (tok = strtok_r(opts, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strncmp(tok, "name=", 5) == 0) {
			strlcpy(cm->name, tok + 5, sizeof(cm->name));
			continue;
		}
		for (c = 0; c < CTRL_COUNT; c++)
			if (strcmp(tok, ctrl_names[c]) == 0)
				cm->ctrls |= CTRL_BIT(c);
	}
}

int
mountinfo_line(char *line, struct mnt *m)
{
	char *f[6], *save = NULL, *tok, *fstype, *source, *superopts;
	size_t i;

	for (i = 0; i < 6; i++) {
		f[i] = strtok_r(i == 0 ? line : NULL, " \n", &save);
		if (f[i] == NULL)
			return -1;
	}
	/* optional fields end at "-" */
	while ((tok = strtok_r(NULL, " \n", &save)) != NULL &&
	    strcmp(tok, "-") != 0)
		;
	if (tok == NULL)
		return -1;
	if ((fstype = strtok_r(NULL, " \n", &save)) == NULL ||
	    (source = strtok_r(NULL, " \n", &save)) == NULL ||
	    (superopts = strtok_r(NULL, " \n", &save)) == NULL)
		return -1;
	if (sscanf(f[2], "%u:%u", &m->major, &m->minor) != 2)
		return -1;
	unoctal(f[3]);
	unoctal(f[4]);
	unoctal(source);
	if (strlcpy(m->root, f[3], sizeof(m->root)) >= sizeof(m->root) ||
	    strlcpy(m->path, f[4], sizeof(m->path)) >= sizeof(m->path) ||
	    strlcpy(m->fstype, fstype, sizeof(m->fstype)) >= sizeof(m->fstype) ||
	    strlcpy(m->source, source, sizeof(m->source)) >= sizeof(m->source) ||
	    strlcpy(m->superopts, superopts, sizeof(m->superopts)) >=
	    sizeof(m->superopts))
		return -1;
	return 0;
}

/* Splits one mountinfo line into a cg_mount.  Returns 1 for a cgroup
 * mount, 0 for another filesystem, -1 if malformed. */
static int
parse_line(char *line, struct cg_mount *cm)
{
	struct mnt m;

	if (mountinfo_line(line, &m) == -1)
		return -1;
	memset(cm, 0, sizeof(*cm));
	if (strcmp(m.fstype, "cgroup2") == 0)
		cm->version = CG_V2;
	else if (strcmp(m.fstype, "cgroup") == 0)
		cm->version = CG_V1;
	else
		return 0;
	cm->major = m.major;
	cm->minor = m.minor;
	strlcpy(cm->root, m.root, sizeof(cm->root));
	strlcpy(cm->path, m.path, sizeof(cm->path));
	if (cm->version == CG_V1)
		parse_superopts(m.superopts, cm);
	return 1;
}

static int
under_hostroot(const char *path)
{
	const char *hr = hostroot();
	size_t n = strlen(hr);

	return n > 0 && strncmp(path, hr, n) == 0 && path[n] == '/';
}

int
cg_mounts_parse(FILE *fp, struct cg_mounts *ms, char *err, size_t errsz)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0, i;
	ssize_t n;
	int have_v1ctrl = 0, have_v2 = 0;

	memset(ms, 0, sizeof(*ms));
	while ((n = getline(&line, &cap, fp)) != -1) {
		struct cg_mount cm, *nm;
		int r;

		lineno++;
		if (n <= 1)
			continue;
		if ((r = parse_line(line, &cm)) == -1) {
			snprintf(err, errsz, "mountinfo line %zu is malformed",
			    lineno);
			goto fail;
		}
		if (r == 0)
			continue;
		for (i = 0; i < ms->n; i++)
			if (ms->m[i].major == cm.major &&
			    ms->m[i].minor == cm.minor)
				break;
		if (i < ms->n) {
			/* A second mount of one hierarchy: keep the one that
			 * shows all of it; in a container, the host's under
			 * the host root (the runtime mounts the container's
			 * own cgroup over /sys/fs/cgroup, hiding a bind of
			 * the host's there) */
			if ((strcmp(ms->m[i].root, "/") != 0 &&
			    strcmp(cm.root, "/") == 0) ||
			    (strcmp(cm.root, "/") == 0 &&
			    under_hostroot(cm.path) &&
			    !under_hostroot(ms->m[i].path)))
				ms->m[i] = cm;
			continue;
		}
		nm = reallocarray(ms->m, ms->n + 1, sizeof(*ms->m));
		if (nm == NULL) {
			snprintf(err, errsz, "out of memory");
			goto fail;
		}
		ms->m = nm;
		ms->m[ms->n++] = cm;
		if (cm.version == CG_V2)
			have_v2 = 1;
		else if (cm.ctrls != 0)
			have_v1ctrl = 1;
	}
	free(line);
	if (have_v1ctrl)
		ms->mode = have_v2 ? CG_MODE_HYBRID : CG_MODE_V1;
	else
		ms->mode = have_v2 ? CG_MODE_V2 : CG_MODE_NONE;
	return 0;
fail:
	free(line);
	cg_mounts_free(ms);
	return -1;
}

int
cg_mounts_read(const char *path, struct cg_mounts *ms, char *err, size_t errsz)
{
	FILE *fp;
	int r;

	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = cg_mounts_parse(fp, ms, err, errsz);
	fclose(fp);
	return r;
}

void
cg_mounts_free(struct cg_mounts *ms)
{
	free(ms->m);
	ms->m = NULL;
	ms->n = 0;
	ms->mode = CG_MODE_NONE;
}

size_t
cg_mounts_roots(const struct cg_mounts *ms, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ms->n && n < max; i++) {
		const struct cg_mount *cm = &ms->m[i];

		if (ms->mode == CG_MODE_V2 ? cm->version == CG_V2 :
		    (cm->version == CG_V1 && (cm->ctrls & CTRL_WATCHED)))
			idx[n++] = i;
	}
	return n;
}

const struct cg_mount *
cg_mounts_find(const struct cg_mounts *ms, enum cg_ctrl c)
{
	size_t i;

	if (ms->mode == CG_MODE_V2)
		return cg_mounts_v2(ms);
	for (i = 0; i < ms->n; i++)
		if (ms->m[i].version == CG_V1 && (ms->m[i].ctrls & CTRL_BIT(c)))
			return &ms->m[i];
	return NULL;
}

const struct cg_mount *
cg_mounts_v2(const struct cg_mounts *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++)
		if (ms->m[i].version == CG_V2)
			return &ms->m[i];
	return NULL;
}

/* A file at the top of a v1 hierarchy that tells its controller. */
static const struct {
	enum cg_ctrl	 ctrl;
	const char	*file;
} probe_files[] = {
	{ CTRL_CPU, "cpu.shares" }, { CTRL_CPUACCT, "cpuacct.usage" },
	{ CTRL_MEMORY, "memory.usage_in_bytes" },
	{ CTRL_BLKIO, "blkio.throttle.io_service_bytes" },
	{ CTRL_PIDS, "pids.current" }, { CTRL_CPUSET, "cpuset.cpus" },
	{ CTRL_DEVICES, "devices.list" }, { CTRL_HUGETLB, "hugetlb.2MB.usage_in_bytes" },
};

int
cg_root_probe(const char *path, const struct cg_mounts *ms, struct cg_root *r,
    char *err, size_t errsz)
{
	struct statfs sf;
	size_t i, best = 0;

	memset(r, 0, sizeof(*r));
	if (realpath(path, r->path) == NULL || statfs(r->path, &sf) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (sf.f_type == CGROUP2_SUPER_MAGIC) {
		r->version = CG_V2;
		r->ctrls = ~0u;
		return 0;
	}
	if (sf.f_type == CGROUP_SUPER_MAGIC) {
		r->version = CG_V1;
		for (i = 0; ms != NULL && i < ms->n; i++) {
			size_t l = strlen(ms->m[i].path);

			if (ms->m[i].version == CG_V1 && l > best &&
			    strncmp(r->path, ms->m[i].path, l) == 0 &&
			    (r->path[l] == '/' || r->path[l] == '\0')) {
				best = l;
				r->ctrls = ms->m[i].ctrls;
			}
		}
		if (best == 0) {
			snprintf(err, errsz, "%s: a cgroup v1 filesystem not in "
			    "the mount table", path);
			return -1;
		}
		return 0;
	}
	if (faccessat(AT_FDCWD, r->path, F_OK, 0) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	{
		char f[PATH_MAX + 64];

		snprintf(f, sizeof(f), "%s/cgroup.controllers", r->path);
		if (access(f, F_OK) == 0) {
			r->version = CG_V2;
			r->ctrls = ~0u;
			return 0;
		}
		r->version = CG_V1;
		for (i = 0; i < sizeof(probe_files) / sizeof(probe_files[0]);
		    i++) {
			snprintf(f, sizeof(f), "%s/%s", r->path,
			    probe_files[i].file);
			if (access(f, F_OK) == 0)
				r->ctrls |= CTRL_BIT(probe_files[i].ctrl);
		}
	}
	return 0;
}
