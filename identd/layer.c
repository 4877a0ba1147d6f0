/* identd's layer walker: measures each container's writable layer (du and
 * find, as cAdvisor's fsHandler) in the background and sends the figures
 * to the writer on a pipe of its own.  A process apart from the reader so
 * that a long walk never delays an identity (the reader answers inotify
 * within its settle time whatever the layers hold), with the reader's
 * user, capability and seccomp filter: it opens container files and
 * nothing else.  Every round walks each layer at most --layer-budget
 * entries a second; the next round starts --layer-interval after the last
 * began, or four times the round's length after it ended when that is
 * later (slow disks, many containers: at most a fifth of the time
 * walking).  Between rounds, every --check-interval, a container first
 * listed less than NEW_NS ago is walked again: a new container has its
 * measure in seconds (cAdvisor measures at once), including one listed
 * before the writer had its identity, whose measure was dropped (a
 * container created but not started: its identity comes with its
 * cgroup).  The first round waits one --check-interval, for the reader's
 * first scans to be stored; the containers there at start count as new
 * too (walked a few times more in the first NEW_NS, within the budget). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "hmap.h"
#include "duration.h"
#include "identd.h"
#include "layermsg.h"
#include "layerwalk.h"
#include "log.h"
#include "recframe.h"
#include "rt_layer.h"

#define BACKOFF		4	/* rest x the round's own length */
#define LONG_WALK_NS	NS_PER_SEC	/* a walk worth a line */
#define NEW_NS		(30 * NS_PER_SEC)	/* walked at every check */
#define LISTED_MAX	65536	/* containers remembered */

/* A container the walker listed: since when, and in which round. */
struct listed {
	char		 key[1 + LAYERMSG_ID_LEN];	/* source, id */
	uint64_t	 first_ns;
	uint64_t	 round;
};

struct walker {
	const struct identd_conf *conf;
	int		 fd;
	uint8_t		 src;
	int		 full;		/* a round (else a check) */
	uint64_t	 round, now;
	struct hmap	 listed;	/* key -> struct listed */
	struct layer_walk_limits lim;
	uint64_t	 long_ns;	/* cAdvisor's longOp: doubles */
	size_t		 walked;
	uint64_t	 entries;
};

/* 1 when this pass walks the container: every one in a round, a new
 * one at a check. */
static int
wanted(struct walker *w, const char *id)
{
	char key[1 + LAYERMSG_ID_LEN];
	struct listed *l;

	if (strlen(id) != LAYERMSG_ID_LEN)
		return 0;
	key[0] = (char)w->src;
	memcpy(key + 1, id, LAYERMSG_ID_LEN);
	if ((l = hmap_get(&w->listed, key, sizeof(key))) == NULL) {
		if (w->listed.n >= LISTED_MAX ||
		    (l = malloc(sizeof(*l))) == NULL)
			return w->full;
		memcpy(l->key, key, sizeof(key));
		l->first_ns = w->now;
		if (hmap_put(&w->listed, l->key, sizeof(l->key), l) == -1) {
			free(l);
			return w->full;
		}
	}
	l->round = w->round;
	return w->full || w->now - l->first_ns < NEW_NS;
}

/* After a round: forget the containers it did not list. */
static void
forget(struct walker *w)
{
	struct listed **gone, *l;
	size_t i, n = 0;

	if ((gone = calloc(w->listed.n + 1, sizeof(*gone))) == NULL)
		return;
	for (i = 0; i < w->listed.cap; i++) {
		l = w->listed.slots[i].val;
		if (w->listed.slots[i].key != NULL && l->round != w->round)
			gone[n++] = l;
	}
	for (i = 0; i < n; i++) {
		(void)hmap_del(&w->listed, gone[i]->key, sizeof(gone[i]->key));
		free(gone[i]);
	}
	free(gone);
}

static int
one_layer(void *arg, const char *id, const char *dir, const char *rel)
{
	struct walker *w = arg;
	unsigned char buf[LAYERMSG_LEN];
	struct layer_usage u;
	struct layer_msg m;
	int fd;

	if (!wanted(w, id))
		return 0;
	/* the layer is gone (the container was removed since the list was
	 * read), or not a directory: nothing to measure */
	if ((fd = layer_open(dir, rel)) == -1)
		return 0;
	if (layer_walk(fd, &w->lim, &u) == -1) {
		close(fd);
		return 0;
	}
	close(fd);
	w->walked++;
	w->entries += u.entries;
	if (u.walk_ns - u.slept_ns > w->long_ns) {
		log_info("layer of %.12s: %llu entries took %llu ms", id,
		    (unsigned long long)u.entries,
		    (unsigned long long)(u.walk_ns / NS_PER_MS));
		w->long_ns *= 2;
	}
	memset(&m, 0, sizeof(m));
	m.source = w->src;
	snprintf(m.id, sizeof(m.id), "%s", id);
	m.rec.bytes = u.bytes;
	m.rec.inodes = u.inodes;
	m.rec.major = u.major;
	m.rec.minor = u.minor;
	m.rec.walk_ns = u.walk_ns;
	m.rec.flags = u.flags;
	if (layer_msg_encode(&m, buf, sizeof(buf)) == 0)
		return 0;	/* not a 64-digit id: rt_layer checks them */
	if (recframe_write(w->fd, MSG_LAYER, buf, sizeof(buf)) == -1) {
		if (errno == EPIPE)
			_exit(0);	/* the writer is gone */
		fatal("writing to identd's writer");
	}
	return 0;
}

/* Until the next check, or the round when it comes first; the pipe
 * reports the writer gone meanwhile. */
static void
rest_until(int fd, uint64_t next_round, uint64_t check_ns)
{
	struct pollfd pfd;
	uint64_t now = clock_mono_ns(), rest;
	int rc;

	rest = next_round > now ? next_round - now : 0;
	if (rest > check_ns)
		rest = check_ns;
	pfd = (struct pollfd){ fd, 0, 0 };
	do {
		rc = poll(&pfd, 1, (int)(rest / NS_PER_MS + 1));
	} while (rc == -1 && errno == EINTR);
	if (rc > 0 && (pfd.revents & (POLLERR | POLLHUP)))
		_exit(0);
}

void
layer_main(struct identd_conf *conf, int fd)
{
	struct walker w;
	struct rt_scan_stats st;
	uint64_t start, took, next_round;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.conf = conf;
	w.fd = fd;
	w.lim.files_per_sec = conf->layer_budget;
	w.long_ns = LONG_WALK_NS;
	hmap_init(&w.listed);
	next_round = clock_mono_ns() + conf->check_ns;
	for (;;) {
		rest_until(fd, next_round, conf->check_ns);
		start = w.now = clock_mono_ns();
		w.full = start >= next_round;
		w.round += w.full;
		if (w.round == 0)
			continue;	/* the first round has not come */
		w.walked = 0;
		w.entries = 0;
		for (i = 0; i < rt_nsources; i++) {
			memset(&st, 0, sizeof(st));
			w.src = (uint8_t)i;
			(void)rt_layers(rt_sources[i].name, &conf->rt, one_layer,
			    &w, &st);
		}
		took = clock_mono_ns() - start;
		if (w.full) {
			forget(&w);
			next_round = start + conf->layer_ns;
			if (next_round < start + took + BACKOFF * took)
				next_round = start + took + BACKOFF * took;
		}
		if (w.full || w.walked > 0)
			log_debug("layers: %s: %zu walked, %llu entries in %llu "
			    "ms", w.full ? "round" : "new ones", w.walked,
			    (unsigned long long)w.entries,
			    (unsigned long long)(took / NS_PER_MS));
	}
}
