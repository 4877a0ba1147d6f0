/* identd's writer: turns each scan the reader sends into store changes.
 * An identity is stored when its cgroup first shows, rewritten when the
 * runtime's record of it changes, and marked gone when the runtime drops
 * it (its exit code merged in when the runtime still has the stopped
 * container).  Gone records stay while an event may name their cgroup
 * (SCHEMA.md "idents"). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clock.h"
#include "duration.h"
#include "identd.h"
#include "le.h"
#include "log.h"
#include "layermsg.h"
#include "recframe.h"
#include "storeident.h"
#include "storelayer.h"
#include "storeproc.h"
#include "storewrite.h"

#define GONE_KEEP_NS	(600 * NS_PER_SEC)	/* late exit codes merge */
#define PRUNE_EVERY_NS	(60 * NS_PER_SEC)
#define BEAT_EVERY_NS	(5 * NS_PER_SEC)
#define EVENT_SLACK_NS	(60 * NS_PER_SEC)
#define BATCH_MAX	65536		/* identities one scan may send */

/* What the writer knows of a stored identity: enough to match a scan's
 * records against it without reading the store. */
struct known {
	unsigned char	*enc;		/* its stored form */
	size_t		 len;
	enum cadv_runtime runtime;
	uint64_t	 seen_ns, gone_ns;
	char		*cg, *id;	/* copies, for matching */
	size_t		 cglen, idlen;
	int		 reported;	/* in the scan being applied */
};

struct batch_rec {
	unsigned char	*enc;
	size_t		 len;
};

struct writer {
	struct store	*st;
	struct known	*k;
	size_t		 nk, capk;
	struct batch_rec *b;
	size_t		 nb, capb;
	int		 src;		/* of the batch, -1 none */
	struct cadv_ident	*x, *y;		/* scratch */
	unsigned char	*enc;
	int		 unreadable_said[8];
	uint64_t	 now;
	size_t		 stored, changed, gone;
	struct layer_batch *lb;		/* the layer walker's measures */
};

enum cadv_runtime
identd_source_runtime(const char *name)
{
	static const struct {
		const char *name;
		enum cadv_runtime rt;
	} map[] = {
		{ "docker", CADV_RT_DOCKER }, { "containerd", CADV_RT_CONTAINERD },
		{ "podman", CADV_RT_PODMAN }, { "crio", CADV_RT_CRIO },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, name) == 0)
			return map[i].rt;
	return CADV_RT_UNKNOWN;
}

static void
decode_known(const struct known *k, struct cadv_ident *id)
{
	const char *why;

	/* our own bytes: they decoded once already */
	if (ident_decode(k->enc, k->len, id, &why) == -1)
		fatalx("identd: a record of ours does not decode: %s", why);
}

static int
known_is(const struct known *k, enum cadv_ident_str s, const struct cadv_ident *id)
{
	size_t len;
	const char *p = ident_get(id, s, &len);

	if (s == CADV_IS_CGROUP)
		return k->cglen == len && memcmp(k->cg, p, len) == 0;
	return k->idlen == len && memcmp(k->id, p, len) == 0;
}

static void
known_free(struct known *k)
{
	free(k->enc);
	free(k->cg);
	free(k->id);
}

static int
known_set(struct writer *w, struct known *k, const struct cadv_ident *id)
{
	size_t n = ident_encode(id, w->enc, IDENT_ENCODED_MAX), cl, il;
	const char *cg = ident_get(id, CADV_IS_CGROUP, &cl);
	const char *ip = ident_get(id, CADV_IS_ID, &il);
	unsigned char *p;
	char *c, *i;

	if (n == 0 || (p = malloc(n)) == NULL)
		return ENOMEM;
	if ((c = strndup(cg, cl)) == NULL || (i = strndup(ip, il)) == NULL) {
		free(p);
		return ENOMEM;
	}
	memcpy(p, w->enc, n);
	known_free(k);
	k->enc = p;
	k->len = n;
	k->cg = c;
	k->cglen = cl;
	k->id = i;
	k->idlen = il;
	k->runtime = id->runtime;
	k->seen_ns = id->seen_ns;
	k->gone_ns = id->gone_ns;
	return 0;
}

static struct known *
known_add(struct writer *w, const struct cadv_ident *id)
{
	struct known *k;
	size_t n;

	if (w->nk == w->capk) {
		n = w->capk ? w->capk * 2 : 64;
		if ((k = reallocarray(w->k, n, sizeof(*k))) == NULL)
			return NULL;
		w->k = k;
		w->capk = n;
	}
	k = &w->k[w->nk];
	memset(k, 0, sizeof(*k));
	if (known_set(w, k, id) != 0)
		return NULL;
	w->nk++;
	return k;
}

static void
log_ident(const char *what, const struct cadv_ident *id)
{
	char name[CGNAME_ESCAPED_MAX(256)], cg[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	size_t nl, cl;
	const char *n = ident_get(id, CADV_IS_NAME, &nl);
	const char *c = ident_get(id, CADV_IS_CGROUP, &cl);

	if (nl == 0)	/* a pod's cgroup: its pod's name */
		n = ident_get(id, CADV_IS_POD_NAME, &nl);

	cgname_escape(n, nl > 256 ? 256 : nl, name, sizeof(name));
	cgname_escape(c, cl, cg, sizeof(cg));
	log_info("%s %s %s %s on %s", what, ident_runtime_name(id->runtime),
	    (id->flags & CADV_IDF_POD) ? "pod" : "container", name, cg);
}

/* A stopped container the runtime still has: its exit merged into the
 * record of the same runtime and id, which goes if it had not. */
/* A record of its own for what the scan reported, first stored now. */
static int
store_new(struct writer *w, MDB_txn *txn, struct cadv_ident *rep, uint64_t gone,
    const char *what)
{
	struct known *k;
	int rc;

	rep->seen_ns = w->now;
	rep->gone_ns = gone;
	if ((rc = store_ident_put(w->st, txn, rep)) != 0)
		return rc;
	if ((k = known_add(w, rep)) == NULL)
		return ENOMEM;
	k->reported = 1;
	w->stored++;
	log_ident(what, rep);
	return 0;
}

/* The newest record of the runtime's container id in memory, else (a
 * stopped container the runtime keeps, forgotten here after
 * GONE_KEEP_NS) in the store under the cgroup it names. */
static struct known *
find_by_id(struct writer *w, MDB_txn *txn, const struct cadv_ident *rep)
{
	struct known *k, *best = NULL;
	size_t i, cl;
	const char *cg;

	for (i = 0; i < w->nk; i++) {
		k = &w->k[i];
		if (k->runtime == rep->runtime && known_is(k, CADV_IS_ID, rep) &&
		    (best == NULL || k->seen_ns > best->seen_ns))
			best = k;
	}
	if (best != NULL)
		return best;
	cg = ident_get(rep, CADV_IS_CGROUP, &cl);
	if (cl == 0 || store_ident_find(w->st, txn, cg, cl, 0, w->y) != 0 ||
	    w->y->runtime != rep->runtime || w->y->s[CADV_IS_ID].len == 0 ||
	    strcmp(ident_get(w->y, CADV_IS_ID, NULL), ident_get(rep, CADV_IS_ID, NULL))
	    != 0)
		return NULL;
	return known_add(w, w->y);
}

/* A stopped container the runtime still has: its exit merged into the
 * record of the same runtime and id, which goes if it had not.  One that
 * came and went between two scans is stored now, gone at once, when the
 * runtime still names its cgroup: its events are joined to it. */
static int
merge_exit(struct writer *w, MDB_txn *txn, struct cadv_ident *rep)
{
	struct known *k;
	size_t cl;
	int rc;

	if ((k = find_by_id(w, txn, rep)) == NULL) {
		(void)ident_get(rep, CADV_IS_CGROUP, &cl);
		if (cl == 0 || !(rep->flags & CADV_IDF_EXITED))
			return 0;	/* nothing to join it to */
		return store_new(w, txn, rep, w->now,
		    "stopped before it was seen:");
	}
	decode_known(k, w->y);
	k->reported = 1;
	if (k->gone_ns != 0 && (w->y->flags & CADV_IDF_EXITED) &&
	    (rep->flags & CADV_IDF_EXITED) == 0)
		return 0;
	if ((rep->flags & (CADV_IDF_EXITED | CADV_IDF_OOM_KILLED)) ==
	    (w->y->flags & (CADV_IDF_EXITED | CADV_IDF_OOM_KILLED)) &&
	    rep->exit_code == w->y->exit_code &&
	    rep->finished_ns == w->y->finished_ns && k->gone_ns != 0)
		return 0;
	w->y->flags = (w->y->flags & ~(uint32_t)(CADV_IDF_EXITED |
	    CADV_IDF_OOM_KILLED)) | (rep->flags & (CADV_IDF_EXITED | CADV_IDF_OOM_KILLED));
	w->y->exit_code = rep->exit_code;
	w->y->finished_ns = rep->finished_ns;
	if (w->y->gone_ns == 0)
		w->y->gone_ns = w->now;
	log_ident((w->y->flags & CADV_IDF_OOM_KILLED) ? "stopped (OOM killed):" :
	    "stopped:", w->y);
	if ((rc = store_ident_put(w->st, txn, w->y)) != 0 ||
	    (rc = known_set(w, k, w->y)) != 0)
		return rc;
	w->changed++;
	return 0;
}

static int
gone(struct writer *w, MDB_txn *txn, struct known *k)
{
	int rc;

	decode_known(k, w->y);
	w->y->gone_ns = w->now;
	if ((rc = store_ident_put(w->st, txn, w->y)) != 0)
		return rc;
	w->gone++;
	log_ident("gone:", w->y);
	return known_set(w, k, w->y);
}

static int
apply_one(struct writer *w, MDB_txn *txn, struct cadv_ident *rep)
{
	struct known *k = NULL;
	size_t i, cl;
	int rc;

	/* a stopped container: its cgroup, if named, is gone */
	(void)ident_get(rep, CADV_IS_CGROUP, &cl);
	if (cl == 0 || (rep->flags & CADV_IDF_EXITED))
		return merge_exit(w, txn, rep);
	for (i = 0; i < w->nk; i++)
		if (w->k[i].gone_ns == 0 && known_is(&w->k[i], CADV_IS_CGROUP, rep)) {
			k = &w->k[i];
			break;
		}
	if (k != NULL && k->runtime == rep->runtime &&
	    known_is(k, CADV_IS_ID, rep)) {
		k->reported = 1;
		decode_known(k, w->y);
		rep->seen_ns = k->seen_ns;
		rep->gone_ns = 0;
		if (ident_same(rep, w->y))
			return 0;
		if ((rc = store_ident_put(w->st, txn, rep)) != 0)
			return rc;
		w->changed++;
		log_ident("changed:", rep);
		return known_set(w, k, rep);
	}
	/* another container on that cgroup now: the old one went */
	if (k != NULL && (rc = gone(w, txn, k)) != 0)
		return rc;
	return store_new(w, txn, rep, 0, "new:");
}

static int
apply_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct writer *w = arg;
	enum cadv_runtime rt = identd_source_runtime(rt_sources[w->src].name);
	const char *why;
	size_t i;
	int rc;

	(void)st;
	w->stored = w->changed = w->gone = 0;
	for (i = 0; i < w->nk; i++)
		w->k[i].reported = 0;
	for (i = 0; i < w->nb; i++) {
		if (ident_decode(w->b[i].enc, w->b[i].len, w->x, &why) == -1) {
			log_warnx("identd reader sent a bad record: %s", why);
			continue;
		}
		if ((rc = apply_one(w, txn, w->x)) != 0)
			return rc;
	}
	for (i = 0; i < w->nk; i++)
		if (w->k[i].runtime == rt && w->k[i].gone_ns == 0 &&
		    !w->k[i].reported && (rc = gone(w, txn, &w->k[i])) != 0)
			return rc;
	return 0;
}

static void
batch_clear(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->nb; i++)
		free(w->b[i].enc);
	w->nb = 0;
}

static void
batch_add(struct writer *w, const unsigned char *p, size_t len)
{
	struct batch_rec *b;
	size_t n;

	if (w->nb == BATCH_MAX)
		return;
	if (w->nb == w->capb) {
		n = w->capb ? w->capb * 2 : 64;
		if ((b = reallocarray(w->b, n, sizeof(*b))) == NULL)
			fatal("reallocarray");
		w->b = b;
		w->capb = n;
	}
	if ((w->b[w->nb].enc = malloc(len)) == NULL)
		fatal("malloc");
	memcpy(w->b[w->nb].enc, p, len);
	w->b[w->nb].len = len;
	w->nb++;
}

static void
end_of_scan(struct writer *w, const unsigned char *p, size_t len)
{
	unsigned src = p[0], failed = p[1];
	uint32_t found = get32(p + 2), unreadable = get32(p + 6),
	    malformed = get32(p + 10);
	char err[256];
	size_t el = len - MSG_END_HDR;
	int rc;

	if (el >= sizeof(err))
		el = sizeof(err) - 1;
	cgname_escape((const char *)p + MSG_END_HDR, el, err, sizeof(err));
	if (unreadable > 0 && !w->unreadable_said[src]) {
		log_warnx("%s: %u entr%s of its state could not be read (%s): "
		    "those containers have no name, image or labels",
		    rt_sources[src].name, unreadable, unreadable == 1 ? "y" :
		    "ies", err);
		w->unreadable_said[src] = 1;
	} else if (unreadable == 0 && w->unreadable_said[src]) {
		log_info("%s: its state is readable again",
		    rt_sources[src].name);
		w->unreadable_said[src] = 0;
	}
	if (malformed > 0)
		log_debug("%s: %u malformed record%s (%s)",
		    rt_sources[src].name, malformed, malformed == 1 ? "" : "s",
		    err);
	if (failed) {
		/* a scan that stopped part way proves nothing gone */
		log_warnx("%s: scan failed (%s): keeping what is stored",
		    rt_sources[src].name, err);
		batch_clear(w);
		return;
	}
	w->src = (int)src;
	w->now = clock_now_ns();
	if ((rc = store_write(w->st, apply_fn, w)) != 0)
		log_warnx("storing %s identities: %s", rt_sources[src].name,
		    store_error(w->st, rc));
	else
		log_debug("%s: %u found; %zu new, %zu changed, %zu gone",
		    rt_sources[src].name, found, w->stored, w->changed,
		    w->gone);
	batch_clear(w);
}

static int
load_cb(const struct cadv_ident *id, void *arg)
{
	struct writer *w = arg;

	if (id->gone_ns != 0 && id->gone_ns + GONE_KEEP_NS < clock_now_ns())
		return 0;
	return known_add(w, id) == NULL ? ENOMEM : 0;
}

struct prune {
	struct writer	*w;
	size_t		 n;
};

static int
oldest_event(const struct cadv_event *e, void *arg)
{
	*(uint64_t *)arg = e->ts_ns;
	return 1;		/* the first is the oldest */
}

/* Gone records go once neither samples nor events can name them. */
static int
prune_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct prune *p = arg;
	uint64_t now = clock_now_ns(), retention = 0, first = 0, before;
	int rc;

	if ((rc = store_heartbeat_put(st, txn,
	    cadv_writer_name(CADV_W_IDENTD), now)) != 0 ||
	    (rc = store_process_note(st, txn,
	    cadv_writer_name(CADV_W_IDENTD), now)) != 0)
		return rc;
	if ((rc = store_meta_get_u64(st, txn, META_RETENTION, &retention)) != 0
	    && rc != MDB_NOTFOUND)
		return rc;
	if (retention == 0)
		retention = 120 * NS_PER_SEC;
	before = now > retention ? now - retention : 0;
	rc = store_events_each(st, txn, 0, oldest_event, &first);
	if (rc != 0 && rc != 1)
		return rc;
	if (first != 0) {
		first = first > EVENT_SLACK_NS ? first - EVENT_SLACK_NS : 0;
		if (first < before)
			before = first;
	}
	return store_idents_prune(st, txn, before, &p->n);
}

static void
forget_gone(struct writer *w)
{
	uint64_t now = clock_now_ns();
	size_t i, j;

	for (i = j = 0; i < w->nk; i++) {
		if (w->k[i].gone_ns != 0 && w->k[i].gone_ns + GONE_KEEP_NS < now) {
			known_free(&w->k[i]);
			continue;
		}
		w->k[j++] = w->k[i];
	}
	w->nk = j;
}

#define LAYER_BATCH	4096	/* measures stored in one transaction */

struct layer_batch {
	struct writer	*w;
	struct layer_msg m[LAYER_BATCH];
	size_t		 n;
};

/* Each measure under the identity of the live container of its runtime
 * and id (none yet: dropped, the walker measures a new container again
 * at its next check). */
static int
layer_put_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct layer_batch *b = arg;
	struct writer *w = b->w;
	struct layer_msg *m;
	enum cadv_runtime rt;
	struct known *k;
	size_t i, j;
	int rc;

	for (j = 0; j < b->n; j++) {
		m = &b->m[j];
		rt = identd_source_runtime(rt_sources[m->source].name);
		for (i = 0; i < w->nk; i++) {
			k = &w->k[i];
			if (k->gone_ns != 0 || k->runtime != rt ||
			    k->idlen != LAYERMSG_ID_LEN || k->cglen == 0 ||
			    memcmp(k->id, m->id, LAYERMSG_ID_LEN) != 0)
				continue;
			m->rec.measured_ns = clock_now_ns();
			if ((rc = store_layer_put(st, txn, k->cg, k->cglen,
			    k->seen_ns, &m->rec)) != 0)
				return rc;
			break;
		}
	}
	return 0;
}

static void
layer_flush(struct layer_batch *b)
{
	int rc;

	if (b->n > 0 && (rc = store_write(b->w->st, layer_put_fn, b)) != 0)
		log_warnx("storing layer measures: %s",
		    store_error(b->w->st, rc));
	b->n = 0;
}

/* The layer walker's records; -1 when it is gone. */
static int
layer_records(struct writer *w, struct recframe_reader *lfr, int lfd)
{
	struct layer_batch *b = w->lb;
	struct recframe f;
	enum recframe_status fs;
	const char *why;
	long n;

	n = recframe_reader_fill(lfr, lfd);
	if (n == 0) {
		log_warnx("identd's layer walker exited: no more layer "
		    "measures");
		return -1;
	}
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		log_warn("reading from identd's layer walker");
		return -1;
	}
	b->w = w;
	while ((fs = recframe_next(lfr, &f)) == RECFRAME_OK) {
		if (f.type != MSG_LAYER)
			fatalx("identd's layer walker sent a record of type "
			    "%u", f.type);
		if (layer_msg_decode(f.data, f.len, &b->m[b->n], &why) == -1)
			fatalx("identd's layer walker sent a bad record: %s",
			    why);
		if (b->m[b->n].source >= rt_nsources)
			fatalx("identd's layer walker sent a record of no "
			    "source");
		if (++b->n == LAYER_BATCH)
			layer_flush(b);
	}
	if (fs == RECFRAME_BAD)
		fatalx("identd's layer walker: %s", lfr->error);
	layer_flush(b);
	return 0;
}

static void
writer_free(struct writer *w, struct recframe_reader *fr)
{
	size_t i;

	batch_clear(w);
	for (i = 0; i < w->nk; i++)
		known_free(&w->k[i]);
	free(w->k);
	free(w->b);
	free(w->x);
	free(w->y);
	free(w->enc);
	free(w->lb);
	recframe_reader_free(fr);
	memset(w, 0, sizeof(*w));
}

int
writer_loop(struct store *st, int fd, int lfd, int sfd, int tfd)
{
	struct writer w;
	struct recframe_reader fr, lfr;
	struct recframe f;
	struct pollfd pfd[4];
	enum recframe_status fs;
	MDB_txn *txn;
	uint64_t last_prune = 0, ticks;
	struct prune pr;
	int rc;

	memset(&w, 0, sizeof(w));
	w.st = st;
	w.src = -1;
	if ((w.x = malloc(sizeof(*w.x))) == NULL ||
	    (w.lb = calloc(1, sizeof(*w.lb))) == NULL ||
	    (w.y = malloc(sizeof(*w.y))) == NULL ||
	    (w.enc = malloc(IDENT_ENCODED_MAX)) == NULL ||
	    recframe_reader_init(&fr) == -1 ||
	    recframe_reader_init(&lfr) == -1)
		fatal("malloc");
	if ((rc = store_read_begin(st, &txn)) != 0)
		fatalx("%s", store_error(st, rc));
	rc = store_idents_each(st, txn, load_cb, &w);
	store_read_end(txn);
	if (rc != 0)
		fatalx("reading stored identities: %s", store_error(st, rc));
	log_info("%zu identities known from the store", w.nk);
	for (;;) {
		pfd[0] = (struct pollfd){ fd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ sfd, POLLIN, 0 };
		pfd[2] = (struct pollfd){ tfd, POLLIN, 0 };
		pfd[3] = (struct pollfd){ lfd, POLLIN, 0 };
		if (poll(pfd, 4, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				log_info("exiting on signal %u", si.ssi_signo);
				recframe_reader_free(&lfr);
				writer_free(&w, &fr);
				return 0;
			}
		}
		if (pfd[2].revents & POLLIN &&
		    read(tfd, &ticks, sizeof(ticks)) > 0) {
			pr.w = &w;
			pr.n = 0;
			if ((rc = store_write(st, prune_fn, &pr)) != 0)
				log_warnx("heartbeat: %s", store_error(st, rc));
			else if (pr.n > 0)
				log_debug("pruned %zu gone identities", pr.n);
			if (clock_mono_ns() - last_prune >= PRUNE_EVERY_NS) {
				last_prune = clock_mono_ns();
				forget_gone(&w);
			}
		}
		/* a walker that went costs the measures, not identities */
		if (lfd != -1 && (pfd[3].revents & (POLLIN | POLLHUP |
		    POLLERR)) && layer_records(&w, &lfr, lfd) == -1) {
			close(lfd);
			lfd = -1;
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		rc = (int)recframe_reader_fill(&fr, fd);
		if (rc == 0)
			fatalx("identd's reader exited");
		if (rc < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fatal("reading from identd's reader");
		}
		while ((fs = recframe_next(&fr, &f)) == RECFRAME_OK) {
			if (f.len < 1 || f.data[0] >= rt_nsources)
				fatalx("identd's reader sent a record of no "
				    "source");
			if (f.type == MSG_IDENT)
				batch_add(&w, f.data + 1, f.len - 1);
			else if (f.type == MSG_END && f.len >= MSG_END_HDR)
				end_of_scan(&w, f.data, f.len);
			else
				fatalx("identd's reader sent a record of type "
				    "%u", f.type);
		}
		if (fs == RECFRAME_BAD)
			fatalx("identd's reader: %s", fr.error);
	}
}
