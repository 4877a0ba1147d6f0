/* du over an untrusted tree (layerwalk.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "layerwalk.h"

#define PACE_EVERY	256	/* entries between budget checks */
#define DIR_FLAGS	(O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | \
			 O_NONBLOCK)

/* Inodes with more than one link seen so far: open addressing on ino
 * (one device: the walk never leaves it).  0 is no inode. */
struct linkset {
	uint64_t	*v;
	size_t		 n, cap;
};

static int
linkset_add(struct linkset *s, uint64_t ino)
{
	size_t i, cap;
	uint64_t *nv, *old;

	if (ino == 0)
		ino = UINT64_MAX;
	if ((s->n + 1) * 2 > s->cap) {
		cap = s->cap ? s->cap * 2 : 256;
		if ((nv = calloc(cap, sizeof(*nv))) == NULL)
			return -1;
		old = s->v;
		for (i = 0; i < s->cap; i++) {
			size_t j;

			if (old[i] == 0)
				continue;
			for (j = (old[i] * 0x9e3779b97f4a7c15ULL) & (cap - 1);
			    nv[j] != 0; j = (j + 1) & (cap - 1))
				;
			nv[j] = old[i];
		}
		free(old);
		s->v = nv;
		s->cap = cap;
	}
	for (i = (ino * 0x9e3779b97f4a7c15ULL) & (s->cap - 1); s->v[i] != 0;
	    i = (i + 1) & (s->cap - 1))
		if (s->v[i] == ino)
			return 0;	/* seen: count it once */
	s->v[i] = ino;
	s->n++;
	return 1;
}

struct walk {
	const struct layer_walk_limits *lim;
	struct layer_usage *u;
	struct linkset	 links;
	dev_t		 dev;
	uint64_t	 start;
};

/* Counts one inode; 1 when it is new, 0 when a link already counted,
 * -1 (ENOMEM). */
static int
count(struct walk *w, const struct stat *sb)
{
	int rc = 1;

	if (!S_ISDIR(sb->st_mode) && sb->st_nlink > 1 &&
	    (rc = linkset_add(&w->links, (uint64_t)sb->st_ino)) != 1)
		return rc;
	w->u->bytes += (uint64_t)sb->st_blocks * 512;
	w->u->inodes++;
	return 1;
}

/* Keeps to files_per_sec: sleeps what the walk is ahead of it. */
static void
pace(struct walk *w)
{
	uint64_t want, took;
	struct timespec ts;

	if (w->lim->files_per_sec == 0 || w->u->entries % PACE_EVERY != 0)
		return;
	want = w->u->entries * 1000000000ULL / w->lim->files_per_sec;
	took = clock_mono_ns() - w->start;
	if (took >= want)
		return;
	ts.tv_sec = (time_t)((want - took) / 1000000000ULL);
	ts.tv_nsec = (long)((want - took) % 1000000000ULL);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	w->u->slept_ns += want - took;
}

/* One directory (fd, ours to close) at depth; -1 only for ENOMEM. */
static int
walk_dir(struct walk *w, int fd, unsigned depth)
{
	struct dirent *de;
	struct stat sb, fsb;
	DIR *d;
	int cfd, rc = 0;

	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		w->u->flags |= LAYER_PARTIAL;
		return 0;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0)
				w->u->flags |= LAYER_PARTIAL;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (w->u->entries >= w->lim->max_entries) {
			w->u->flags |= LAYER_TRUNCATED;
			break;
		}
		w->u->entries++;
		pace(w);
		if (fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == -1) {
			if (errno != ENOENT)	/* gone since: not there */
				w->u->flags |= LAYER_PARTIAL;
			continue;
		}
		/* a mount point inside: another filesystem's, not ours */
		if (sb.st_dev != w->dev)
			continue;
		if ((rc = count(w, &sb)) == -1)
			break;
		rc = 0;
		if (!S_ISDIR(sb.st_mode))
			continue;
		if (depth + 1 >= w->lim->max_depth) {
			w->u->flags |= LAYER_TRUNCATED;
			continue;
		}
		/* replaced by a link since the stat: O_NOFOLLOW refuses it;
		 * replaced by another directory: the inode check does */
		cfd = openat(dirfd(d), de->d_name, DIR_FLAGS);
		if (cfd == -1) {
			if (errno != ENOENT)
				w->u->flags |= LAYER_PARTIAL;
			continue;
		}
		if (fstat(cfd, &fsb) == -1 || fsb.st_dev != sb.st_dev ||
		    fsb.st_ino != sb.st_ino) {
			close(cfd);
			w->u->flags |= LAYER_PARTIAL;
			continue;
		}
		if ((rc = walk_dir(w, cfd, depth + 1)) == -1)
			break;
	}
	closedir(d);
	return rc;
}

int
layer_walk(int dirfd, const struct layer_walk_limits *lim,
    struct layer_usage *out)
{
	struct layer_walk_limits l = { 0, 0, 0 };
	struct walk w;
	struct stat sb;
	int fd, rc, e;

	if (lim != NULL)
		l = *lim;
	if (l.max_depth == 0 || l.max_depth > LAYER_DEPTH_MAX)
		l.max_depth = LAYER_DEPTH_MAX;
	if (l.max_entries == 0)
		l.max_entries = LAYER_ENTRIES_MAX;
	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.lim = &l;
	w.u = out;
	w.start = clock_mono_ns();
	if (fstat(dirfd, &sb) == -1)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	/* our own fd: fdopendir takes it, the caller keeps theirs */
	if ((fd = openat(dirfd, ".", DIR_FLAGS)) == -1)
		return -1;
	w.dev = sb.st_dev;
	out->major = major(sb.st_dev);
	out->minor = minor(sb.st_dev);
	(void)count(&w, &sb);
	rc = walk_dir(&w, fd, 0);
	e = errno;
	free(w.links.v);
	out->walk_ns = clock_mono_ns() - w.start;
	if (rc == -1) {
		errno = e;
		return -1;
	}
	return 0;
}

int
layer_open(const char *root, const char *rel)
{
	char comp[256];
	const char *p = rel, *q;
	size_t n;
	int fd, nfd;

	/* root is configuration (a data root may be a link to another
	 * disk); what is under it is not */
	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	while (*p != '\0') {
		q = strchr(p, '/');
		n = q ? (size_t)(q - p) : strlen(p);
		if (n == 0 || n >= sizeof(comp) ||
		    (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.')) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		nfd = openat(fd, comp, DIR_FLAGS);
		close(fd);
		if (nfd == -1)
			return -1;
		fd = nfd;
		p += n;
		if (*p == '/')
			p++;
	}
	return fd;
}
