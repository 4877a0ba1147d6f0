#include "roots.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgname.h"
#include "mounts.h"

struct root {
	char	prefix[CGNAME_MAX + 1];	/* in the memory hierarchy */
	size_t	len;
};

static struct root roots[ROOTS_MAX];
static int nroots;

/* A cgroup mount, and whether the memory controller is in its
 * hierarchy. */
struct cgmnt {
	char	root[PATH_MAX];
	char	path[PATH_MAX];
	int	v2, memory;
};

static int
has_opt(const char *opts, const char *want)
{
	size_t n = strlen(want);
	const char *p = opts, *c;

	for (;;) {
		if (strncmp(p, want, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((c = strchr(p, ',')) == NULL)
			return 0;
		p = c + 1;
	}
}

/* Every cgroup mount, later ones (which hide earlier ones on the same
 * point) last. */
static int
read_mounts(struct cgmnt **out, size_t *nout, char *err, size_t errsz)
{
	struct mnt m;
	struct cgmnt *ms = NULL, *nm;
	size_t n = 0, i;
	char *line = NULL;
	size_t cap = 0;
	int v1mem = 0;
	FILE *fp;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL) {
		snprintf(err, errsz, "/proc/self/mountinfo: %s", strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) != -1) {
		if (mountinfo_line(line, &m) == -1)
			continue;
		if (strcmp(m.fstype, "cgroup2") != 0 &&
		    strcmp(m.fstype, "cgroup") != 0)
			continue;
		if ((nm = reallocarray(ms, n + 1, sizeof(*ms))) == NULL) {
			snprintf(err, errsz, "out of memory");
			free(ms);
			free(line);
			fclose(fp);
			return -1;
		}
		ms = nm;
		memcpy(ms[n].root, m.root, sizeof(m.root));
		memcpy(ms[n].path, m.path, sizeof(m.path));
		ms[n].v2 = strcmp(m.fstype, "cgroup2") == 0;
		ms[n].memory = !ms[n].v2 && has_opt(m.superopts, "memory");
		v1mem |= ms[n].memory;
		n++;
	}
	free(line);
	fclose(fp);
	/* the unified tree has the memory controller unless a v1
	 * hierarchy holds it */
	for (i = 0; i < n; i++)
		if (ms[i].v2)
			ms[i].memory = !v1mem;
	*out = ms;
	*nout = n;
	return 0;
}

/* root + rel ("" or "/a/b") as a name: the hierarchy's top is "/" */
static int
add(const char *root, const char *rel, char *err, size_t errsz)
{
	struct root *r = &roots[nroots];
	char joined[2 * PATH_MAX];

	snprintf(joined, sizeof(joined), "%s%s", strcmp(root, "/") == 0 &&
	    *rel != '\0' ? "" : root, rel);
	if (cgname_clean(joined, strlen(joined), r->prefix, &r->len) == -1) {
		snprintf(err, errsz, "%s%s: not a cgroup path", root, rel);
		return -1;
	}
	r->prefix[r->len] = '\0';
	nroots++;
	return 0;
}

int
roots_init(const char *const *paths, int n, char *err, size_t errsz)
{
	struct cgmnt *ms;
	size_t nm, i, best, bestlen;
	char rp[PATH_MAX];
	int j;

	nroots = 0;
	if (n > ROOTS_MAX) {
		snprintf(err, errsz, "more than %d roots", ROOTS_MAX);
		return -1;
	}
	if (read_mounts(&ms, &nm, err, errsz) == -1)
		return -1;
	if (n == 0) {
		/* the mounted memory hierarchy; its mount may be a sub-tree
		 * (mountinfo's root field), the top of collectord's names */
		for (i = 0; i < nm && !ms[i].memory; i++)
			;
		if (i == nm || add(ms[i].root, "", err, errsz) == -1)
			(void)add("/", "", err, errsz);	/* as printed */
		free(ms);
		return 0;
	}
	for (j = 0; j < n; j++) {
		if (realpath(paths[j], rp) == NULL) {
			snprintf(err, errsz, "%s: %s", paths[j], strerror(errno));
			free(ms);
			return -1;
		}
		/* the mount it lies on: the longest mount point over it */
		best = nm;
		bestlen = 0;
		for (i = 0; i < nm; i++) {
			size_t l = strlen(ms[i].path);

			if (strcmp(ms[i].path, "/") == 0)
				l = 0;
			if (strncmp(rp, ms[i].path, l) == 0 &&
			    (rp[l] == '/' || rp[l] == '\0') && l >= bestlen) {
				best = i;
				bestlen = l;
			}
		}
		if (best == nm || !ms[best].memory)
			continue;	/* not the memory hierarchy */
		if (add(ms[best].root, rp + bestlen, err, errsz) == -1) {
			free(ms);
			return -1;
		}
	}
	free(ms);
	return 0;
}

int
roots_name(const char *path, size_t len, char *out, size_t *outlen)
{
	const struct root *best = NULL;
	int i;

	for (i = 0; i < nroots; i++) {
		const struct root *r = &roots[i];

		if (!cgname_is_under(path, len, r->prefix, r->len))
			continue;
		if (best == NULL || r->len > best->len)
			best = r;
	}
	if (best == NULL || len > CGNAME_MAX)
		return -1;
	if (best->len == 1) {		/* "/": names are the paths */
		memcpy(out, path, len);
		*outlen = len;
	} else if (len == best->len) {
		out[0] = '/';
		*outlen = 1;
	} else {
		memcpy(out, path + best->len, len - best->len);
		*outlen = len - best->len;
	}
	out[*outlen] = '\0';
	return 0;
}

int
roots_count(void)
{
	return nroots;
}

const char *
roots_prefix(int i)
{
	return i >= 0 && i < nroots ? roots[i].prefix : NULL;
}
