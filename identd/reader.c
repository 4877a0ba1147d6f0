/* identd's reader: scans each runtime's state when inotify or a cheap
 * metadata check says it changed, and sends every identity found to the
 * writer.  Runs as cadv-ident with CAP_DAC_READ_SEARCH alone (as root's
 * files must be read), no store, and a seccomp filter without
 * open_by_handle_at or any write open. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "duration.h"
#include "identd.h"
#include "le.h"
#include "log.h"
#include "recframe.h"
#include "schema.h"

#define WATCH_MAX	2048		/* paths a source may name */
#define SETTLE_MS	50		/* quiet time before a rescan */
#define SETTLE_MAX_NS	(250 * NS_PER_MS)	/* rescan despite noise */
#define WATCH_MASK	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
			 IN_MOVED_TO | IN_CLOSE_WRITE | IN_MODIFY | \
			 IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)
#define ENC_MAX		IDENT_ENCODED_MAX

struct rsource {
	int		 dirty;
	uint64_t	 dirty_since;	/* mono ns */
	uint64_t	 sig;		/* of its watch paths' metadata */
};

struct reader {
	const struct identd_conf *conf;
	int		 fd, ifd;
	struct rsource	 src[8];
	int		*wd_src;	/* wd -> source index + 1 */
	size_t		 nwd;
	char		(*paths)[PATH_MAX];
	unsigned char	*enc;
	uint8_t		 cur;		/* the source being scanned */
};

static void
send_or_die(struct reader *r, uint8_t type, const void *p, size_t len)
{
	if (recframe_write(r->fd, type, p, len) == -1) {
		/* the writer is gone: nothing is left to do */
		if (errno == EPIPE)
			_exit(0);
		fatal("writing to identd's writer");
	}
}

static int
sink(void *arg, const struct cadv_ident *id)
{
	struct reader *r = arg;
	size_t n;

	r->enc[0] = r->cur;
	if ((n = ident_encode(id, r->enc + 1, ENC_MAX)) == 0)
		return 0;	/* cannot be: ident.h bounds every part */
	send_or_die(r, MSG_IDENT, r->enc, n + 1);
	return 0;
}

static void
note_wd(struct reader *r, int wd, size_t src)
{
	size_t n;
	int *p;

	if (wd < 0)
		return;
	if ((size_t)wd >= r->nwd) {
		n = (size_t)wd * 2 + 16;
		if ((p = reallocarray(r->wd_src, n, sizeof(*p))) == NULL)
			fatal("reallocarray");
		memset(p + r->nwd, 0, (n - r->nwd) * sizeof(*p));
		r->wd_src = p;
		r->nwd = n;
	}
	r->wd_src[wd] = (int)src + 1;
}

/* Watches what the source names and returns a signature of their
 * metadata: a change in it (a file replaced, a directory's entries
 * changed) means the runtime's state changed. */
static uint64_t
watch_source(struct reader *r, size_t i)
{
	const struct rt_source *s = &rt_sources[i];
	uint64_t h = 1469598103934665603ULL;
	struct stat sb;
	size_t n, k;
	int wd;

	n = s->watch(&r->conf->rt, r->paths, WATCH_MAX);
	for (k = 0; k < n && k < WATCH_MAX; k++) {
		uint64_t v[5] = { 0, 0, 0, 0, 0 };

		r->paths[k][PATH_MAX - 1] = '\0';
		if (stat(r->paths[k], &sb) == 0) {
			v[0] = sb.st_ino;
			v[1] = (uint64_t)sb.st_mtim.tv_sec * NS_PER_SEC +
			    (uint64_t)sb.st_mtim.tv_nsec;
			v[2] = (uint64_t)sb.st_ctim.tv_sec * NS_PER_SEC +
			    (uint64_t)sb.st_ctim.tv_nsec;
			v[3] = (uint64_t)sb.st_size;
			v[4] = 1;
			wd = inotify_add_watch(r->ifd, r->paths[k], WATCH_MASK);
			note_wd(r, wd, i);
		}
		h = (h ^ cgname_hash((const char *)v, sizeof(v))) *
		    1099511628211ULL;
	}
	return h;
}

static void
scan(struct reader *r, size_t i)
{
	const struct rt_source *s = &rt_sources[i];
	unsigned char end[MSG_END_HDR + sizeof(((struct rt_scan_stats *)0)->
	    first_error)];
	struct rt_scan_stats st;
	size_t elen;
	int rc;

	memset(&st, 0, sizeof(st));
	r->cur = (uint8_t)i;
	rc = s->scan(&r->conf->rt, sink, r, &st);
	st.first_error[sizeof(st.first_error) - 1] = '\0';
	elen = strlen(st.first_error);
	end[0] = (uint8_t)i;
	end[1] = rc != 0;
	put32(end + 2, st.found);
	put32(end + 6, st.unreadable);
	put32(end + 10, st.malformed);
	memcpy(end + MSG_END_HDR, st.first_error, elen);
	send_or_die(r, MSG_END, end, MSG_END_HDR + elen);
	r->src[i].dirty = 0;
	/* what the scan found may hold new directories to watch */
	r->src[i].sig = watch_source(r, i);
}

static void
drain_inotify(struct reader *r)
{
	char buf[16384] __attribute__((aligned(__alignof__(
	    struct inotify_event))));
	const struct inotify_event *ev;
	uint64_t now = clock_mono_ns();
	ssize_t n;
	char *p;
	size_t i;

	while ((n = read(r->ifd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				for (i = 0; i < rt_nsources; i++)
					if (!r->src[i].dirty) {
						r->src[i].dirty = 1;
						r->src[i].dirty_since = now;
					}
				continue;
			}
			if (ev->wd < 0 || (size_t)ev->wd >= r->nwd ||
			    r->wd_src[ev->wd] == 0)
				continue;
			i = (size_t)r->wd_src[ev->wd] - 1;
			if (ev->mask & IN_IGNORED)
				r->wd_src[ev->wd] = 0;
			if (!r->src[i].dirty) {
				r->src[i].dirty = 1;
				r->src[i].dirty_since = now;
			}
		}
	}
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		fatal("inotify read");
}

void
reader_main(struct identd_conf *conf, int fd)
{
	struct reader r;
	struct pollfd pfd[2];
	uint64_t next_check, now;
	size_t i;
	int any, timeout;

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	r.fd = fd;
	if (rt_nsources > sizeof(r.src) / sizeof(r.src[0]))
		fatalx("more runtime sources than identd handles");
	if ((r.paths = calloc(WATCH_MAX, sizeof(*r.paths))) == NULL ||
	    (r.enc = malloc(ENC_MAX + 1)) == NULL)
		fatal("malloc");
	if ((r.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		fatal("inotify_init1");
	for (i = 0; i < rt_nsources; i++)
		scan(&r, i);
	next_check = clock_mono_ns() + conf->check_ns;
	for (;;) {
		now = clock_mono_ns();
		any = 0;
		for (i = 0; i < rt_nsources; i++)
			if (r.src[i].dirty) {
				any = 1;
				/* noise that never settles still gets a scan */
				if (now - r.src[i].dirty_since >= SETTLE_MAX_NS)
					scan(&r, i);
			}
		if (now >= next_check) {
			/* what inotify cannot see: a runtime's root made
			 * after we started, a file changed in place under a
			 * directory we do not watch */
			for (i = 0; i < rt_nsources; i++) {
				uint64_t old = r.src[i].sig;

				if (watch_source(&r, i) != old)
					scan(&r, i);
			}
			next_check = clock_mono_ns() + conf->check_ns;
		}
		now = clock_mono_ns();
		timeout = any ? SETTLE_MS : (int)((next_check - now) /
		    NS_PER_MS + 1);
		pfd[0] = (struct pollfd){ r.ifd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ r.fd, 0, 0 };
		if (poll(pfd, 2, timeout) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[1].revents & (POLLERR | POLLHUP))
			_exit(0);	/* the writer is gone */
		if (pfd[0].revents & POLLIN) {
			drain_inotify(&r);
			continue;	/* settle: wait for quiet */
		}
		/* quiet for SETTLE_MS: scan what changed */
		for (i = 0; i < rt_nsources; i++)
			if (r.src[i].dirty)
				scan(&r, i);
	}
}
