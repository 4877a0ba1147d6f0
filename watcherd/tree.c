#include "tree.h"

#include <bsd/string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* IN_ONLYDIR: cgroup directories only; IN_DONT_FOLLOW: roots are resolved
 * once, nothing below them is a link.  IN_ATTRIB: a child directory closed
 * to us (its owner's chmod 0700) says so when it opens again. */
#define WATCH_MASK	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
	IN_DELETE_SELF | IN_ATTRIB | IN_ONLYDIR | IN_DONT_FOLLOW)

struct watch {
	int		 wd;		/* the key */
	int		 root;
	struct node	*node;
};

int
tree_init(struct tree *t, tree_emit_fn emit, void *arg)
{
	memset(t, 0, sizeof(*t));
	hmap_init(&t->names);
	hmap_init(&t->watches);
	TAILQ_INIT(&t->nodes);
	t->emit = emit;
	t->arg = arg;
	t->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return t->ifd == -1 ? -1 : 0;
}

int
tree_add_root(struct tree *t, const char *path, char *err, size_t errsz)
{
	char real[PATH_MAX];
	struct stat sb;
	int i;

	if (t->nroots == TREE_MAX_ROOTS) {
		snprintf(err, errsz, "more than %d roots", TREE_MAX_ROOTS);
		return -1;
	}
	if (realpath(path, real) == NULL || stat(real, &sb) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "%s: not a directory", path);
		return -1;
	}
	for (i = 0; i < t->nroots; i++)
		if (strcmp(t->roots[i], real) == 0)
			return 0;
	strlcpy(t->roots[t->nroots++], real, PATH_MAX);
	return 0;
}

static void
emit(struct tree *t, enum frame_type type, const struct node *n)
{
	if (t->output_gone)
		return;
	if (t->emit(type, n->name, n->len, t->arg) == -1)
		t->output_gone = 1;
}

static struct node *
parent_of(struct tree *t, const struct node *n)
{
	const char *slash;
	size_t plen;

	if (n->len == 1)
		return NULL;
	slash = memrchr(n->name, '/', n->len);
	plen = (slash == n->name) ? 1 : (size_t)(slash - n->name);
	return hmap_get(&t->names, n->name, plen);
}

static struct node *
node_get(struct tree *t, const char *name, size_t len)
{
	struct node *n, *p;
	int r;

	if ((n = hmap_get(&t->names, name, len)) != NULL)
		return n;
	if ((n = calloc(1, sizeof(*n) + len + 1)) == NULL)
		fatal("calloc");
	memcpy(n->name, name, len);
	n->len = len;
	for (r = 0; r < TREE_MAX_ROOTS; r++)
		n->wd[r] = -1;
	if (hmap_put(&t->names, n->name, n->len, n) == -1)
		fatal("hmap_put");
	TAILQ_INSERT_TAIL(&t->nodes, n, entry);
	t->nnodes++;
	if ((p = parent_of(t, n)) != NULL)
		p->nchildren++;
	return n;
}

static void
node_free(struct tree *t, struct node *n)
{
	struct node *p;

	if ((p = parent_of(t, n)) != NULL && p->nchildren > 0)
		p->nchildren--;
	hmap_del(&t->names, n->name, n->len);
	TAILQ_REMOVE(&t->nodes, n, entry);
	t->nnodes--;
	free(n);
}

static void
unwatch(struct tree *t, struct node *n, int r)
{
	struct watch *w;
	int wd = n->wd[r];

	if (wd < 0)
		return;
	n->wd[r] = -1;
	if ((w = hmap_get(&t->watches, &wd, sizeof(wd))) != NULL &&
	    w->node == n && w->root == r) {
		hmap_del(&t->watches, &wd, sizeof(wd));
		free(w);
		/* EINVAL when the kernel already dropped it: harmless */
		(void)inotify_rm_watch(t->ifd, wd);
	}
}

static void
watch_set(struct tree *t, struct node *n, int r, int wd)
{
	struct watch *w;

	if (n->wd[r] == wd)
		return;
	if (n->wd[r] >= 0)
		unwatch(t, n, r);	/* the directory was replaced */
	if ((w = hmap_get(&t->watches, &wd, sizeof(wd))) != NULL) {
		/* same inode under a new name (a rename) */
		if (w->node->wd[w->root] == wd)
			w->node->wd[w->root] = -1;
	} else {
		if ((w = calloc(1, sizeof(*w))) == NULL)
			fatal("calloc");
		w->wd = wd;
		if (hmap_put(&t->watches, &w->wd, sizeof(w->wd), w) == -1)
			fatal("hmap_put");
	}
	w->root = r;
	w->node = n;
	n->wd[r] = wd;
}

/* The directory no longer exists in root r. */
static void
drop(struct tree *t, struct node *n, int r)
{
	uint32_t bit = 1u << r;

	if (!(n->in_roots & bit))
		return;
	unwatch(t, n, r);
	if (n->denied & bit) {
		n->denied &= ~bit;
		t->ndenied--;
	}
	n->in_roots &= ~bit;
	if (n->in_roots != 0)
		return;
	emit(t, FRAME_DEL, n);
	node_free(t, n);
}

static void
drop_subtree(struct tree *t, const char *name, size_t len, int r)
{
	struct node *n, *tmp;

	if ((n = hmap_get(&t->names, name, len)) == NULL)
		return;
	if (n->nchildren > 0) {
		/* rare: a rename, or removals we missed; children first */
		TAILQ_FOREACH_SAFE(n, &t->nodes, entry, tmp)
			if (n->len > len && cgname_is_under(n->name, n->len,
			    name, len))
				drop(t, n, r);
		n = hmap_get(&t->names, name, len);
	}
	if (n != NULL)
		drop(t, n, r);
}

static int
build_path(struct tree *t, int r, size_t len)
{
	int n;

	if (len == 1)
		n = snprintf(t->path, sizeof(t->path), "%s", t->roots[r]);
	else
		n = snprintf(t->path, sizeof(t->path), "%s%s", t->roots[r],
		    t->name);
	return n >= 0 && (size_t)n < sizeof(t->path) ? 0 : -1;
}

static unsigned long
read_ulong(const char *path)
{
	unsigned long v = 0;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	if (fscanf(fp, "%lu", &v) != 1)
		v = 0;
	fclose(fp);
	return v;
}

static void
warn_enospc(struct tree *t)
{
	unsigned long sys, ns;
	const char *name = "fs.inotify.max_user_watches";

	if (t->enospc_warned)
		return;
	t->enospc_warned = 1;
	/* Since 5.11 a user namespace may set a lower limit of its own. */
	sys = read_ulong("/proc/sys/fs/inotify/max_user_watches");
	ns = read_ulong("/proc/sys/user/max_inotify_watches");
	if (ns > 0 && (sys == 0 || ns < sys)) {
		sys = ns;
		name = "user.max_inotify_watches";
	}
	log_warnx("inotify watch limit reached (%s = %lu, %zu watches held "
	    "here): cgroups beyond it are found by rescans every %d s; raise "
	    "it, e.g. sysctl %s=%lu", name, sys, t->watches.n,
	    TREE_DEGRADED_RESCAN_S, name, sys > 0 ? sys * 2 : 524288);
}

static int
is_denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* A directory's owner may close it to us (chmod 0700 on a delegated
 * cgroup): its name still comes from its parent's listing, so it is
 * listed (collectord flags it unreadable), but what lies below it cannot
 * be seen.  Said once per directory and hierarchy: an owner who flips the
 * mode in a loop must not flood the log. */
static void
set_denied(struct tree *t, struct node *n, int r, int denied)
{
	uint32_t bit = 1u << r;

	/* names go to log_* raw: it escapes whole messages */
	if (((n->denied & bit) != 0) == denied)
		return;
	if (denied) {
		n->denied |= bit;
		t->ndenied++;
		if (!(n->denied_said & bit))
			log_warnx("cgroup %s in %s: permission denied: listed, "
			    "but the cgroups below it are not seen while it is "
			    "closed to us", n->name, t->roots[r]);
		n->denied_said |= bit;
	} else {
		n->denied &= ~bit;
		t->ndenied--;
		log_debug("cgroup %s in %s: readable again", n->name,
		    t->roots[r]);
	}
}

/* A walk could not list n in root r: the children it had are not gone
 * for that (a watch made while it was open still reports their removal). */
static void
keep_children(struct tree *t, const struct node *n, int r)
{
	uint32_t bit = 1u << r;
	struct node *m;

	if (n->nchildren == 0)
		return;
	TAILQ_FOREACH(m, &t->nodes, entry)
		if ((m->in_roots & bit) && m->len > n->len &&
		    cgname_is_under(m->name, m->len, n->name, n->len))
			m->mark |= bit;
}

/* t->name[0..len) exists (or existed a moment ago) in root r: watch it,
 * then list it, so that children made in between are not missed. */
static void
add_dir(struct tree *t, int r, size_t len)
{
	struct node *n;
	struct dirent *de;
	DIR *d;
	int wd, dfd, werr;
	size_t base;

	if (build_path(t, r, len) == -1) {
		log_warnx("%s%s: path too long to watch", t->roots[r], t->name);
		return;
	}
	wd = inotify_add_watch(t->ifd, t->path, WATCH_MASK);
	werr = errno;
	if (wd == -1) {
		if (werr == ENOENT || werr == ENOTDIR)
			return;		/* gone again already */
		if (werr == ENOSPC)
			warn_enospc(t);
		else if (!is_denied(werr))
			log_warn("inotify_add_watch %s", t->path);
		/* a closed one opens with an IN_ATTRIB on its parent's
		 * watch: no rescans for it */
		if (!is_denied(werr))
			t->unwatched++;
	}
	n = node_get(t, t->name, len);
	if (wd >= 0)
		watch_set(t, n, r, wd);
	n->mark |= 1u << r;
	if (!(n->in_roots & (1u << r))) {
		int was = n->in_roots != 0;

		n->in_roots |= 1u << r;
		if (!was)
			emit(t, FRAME_ADD, n);
	}
	if ((d = opendir(t->path)) == NULL) {
		if (is_denied(errno)) {
			set_denied(t, n, r, 1);
			keep_children(t, n, r);
		} else if (errno != ENOENT)
			log_warn("opendir %s", t->path);
		return;
	}
	/* opened between the two calls: the rescans watch it */
	if (wd == -1 && is_denied(werr))
		t->unwatched++;
	set_denied(t, n, r, 0);
	dfd = dirfd(d);
	base = (len == 1) ? 0 : len;
	while ((de = readdir(d)) != NULL) {
		size_t dlen = strlen(de->d_name);
		struct stat sb;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type != DT_DIR) {
			if (de->d_type != DT_UNKNOWN ||
			    fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) ||
			    !S_ISDIR(sb.st_mode))
				continue;
		}
		if (base + 1 + dlen > CGNAME_MAX) {
			log_warnx("%s: a cgroup below it has a name longer than "
			    "%d bytes", t->roots[r], CGNAME_MAX);
			continue;
		}
		t->name[base] = '/';
		memcpy(t->name + base + 1, de->d_name, dlen);
		t->name[base + 1 + dlen] = '\0';
		add_dir(t, r, base + 1 + dlen);
	}
	closedir(d);
	t->name[len] = '\0';
}

void
tree_scan(struct tree *t)
{
	struct node *n, *tmp;
	int r;

	t->unwatched = 0;
	TAILQ_FOREACH(n, &t->nodes, entry)
		n->mark = 0;
	for (r = 0; r < t->nroots; r++) {
		t->name[0] = '/';
		t->name[1] = '\0';
		add_dir(t, r, 1);
	}
	TAILQ_FOREACH_SAFE(n, &t->nodes, entry, tmp) {
		uint32_t gone = n->in_roots & ~n->mark;

		for (r = 0; gone != 0 && r < t->nroots; r++)
			if (gone & (1u << r)) {
				gone &= ~(1u << r);
				if (n->in_roots == (1u << r)) {
					drop(t, n, r);	/* frees n */
					break;
				}
				drop(t, n, r);
			}
	}
}

int
tree_handle_events(struct tree *t)
{
	char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	struct watch *w;
	int rescan = 0;
	ssize_t n;
	char *p;

	for (;;) {
		n = read(t->ifd, buf, sizeof(buf));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return rescan;
			return -1;
		}
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			size_t plen, clen, base;

			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				rescan = 1;
				continue;
			}
			w = hmap_get(&t->watches, &ev->wd, sizeof(ev->wd));
			if (w == NULL)
				continue;
			if (ev->mask & (IN_IGNORED | IN_DELETE_SELF)) {
				/* a root vanished: the walk will tell */
				if (w->node->len == 1)
					rescan = 1;
				if (ev->mask & IN_IGNORED)
					unwatch(t, w->node, w->root);
				continue;
			}
			if (!(ev->mask & IN_ISDIR) || ev->len == 0)
				continue;
			clen = strnlen(ev->name, ev->len);
			plen = w->node->len;
			base = (plen == 1) ? 0 : plen;
			if (base + 1 + clen > CGNAME_MAX)
				continue;
			memcpy(t->name, w->node->name, base);
			t->name[base] = '/';
			memcpy(t->name + base + 1, ev->name, clen);
			t->name[base + 1 + clen] = '\0';
			if (ev->mask & IN_ATTRIB) {
				struct node *c = hmap_get(&t->names, t->name,
				    base + 1 + clen);
				uint32_t bit = 1u << w->root;

				/* a mode changed: only one closed to us (or
				 * missed) needs looking at again */
				if (c == NULL || !(c->in_roots & bit) ||
				    (c->denied & bit))
					add_dir(t, w->root, base + 1 + clen);
			} else if (ev->mask & (IN_CREATE | IN_MOVED_TO))
				add_dir(t, w->root, base + 1 + clen);
			else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
				drop_subtree(t, t->name, base + 1 + clen,
				    w->root);
		}
	}
}

void
tree_free(struct tree *t)
{
	struct node *n, *tmp;
	size_t i;

	TAILQ_FOREACH_SAFE(n, &t->nodes, entry, tmp)
		free(n);
	for (i = 0; i < t->watches.cap; i++)
		if (t->watches.slots[i].key != NULL)
			free(t->watches.slots[i].val);
	hmap_free(&t->names);
	hmap_free(&t->watches);
	if (t->ifd != -1)
		close(t->ifd);
}
