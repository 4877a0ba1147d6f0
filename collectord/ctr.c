/* One container's directories and kept-open files, and its spec. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgname.h"
#include "cgparse.h"
#include "clock.h"
#include "collector.h"
#include "duration.h"
#include "log.h"


static const struct {
	const char	*name;
	enum cg_version	 version;
	enum cg_ctrl	 ctrl;
} files[F_COUNT] = {
	[F1_CPUACCT_USAGE] = { "cpuacct.usage", CG_V1, CTRL_CPUACCT },
	[F1_CPUACCT_STAT] = { "cpuacct.stat", CG_V1, CTRL_CPUACCT },
	[F1_CPUACCT_PERCPU] = { "cpuacct.usage_percpu", CG_V1, CTRL_CPUACCT },
	[F1_CPU_STAT] = { "cpu.stat", CG_V1, CTRL_CPU },
	[F1_MEM_USAGE] = { "memory.usage_in_bytes", CG_V1, CTRL_MEMORY },
	[F1_MEM_MAX_USAGE] = { "memory.max_usage_in_bytes", CG_V1, CTRL_MEMORY },
	[F1_MEM_STAT] = { "memory.stat", CG_V1, CTRL_MEMORY },
	[F1_MEM_FAILCNT] = { "memory.failcnt", CG_V1, CTRL_MEMORY },
	[F1_MEM_OOM_CONTROL] = { "memory.oom_control", CG_V1, CTRL_MEMORY },
	[F1_MEM_KMEM_USAGE] = { "memory.kmem.usage_in_bytes", CG_V1, CTRL_MEMORY },
	[F1_BLKIO_BYTES] = { "blkio.throttle.io_service_bytes_recursive", CG_V1,
	    CTRL_BLKIO },
	[F1_BLKIO_OPS] = { "blkio.throttle.io_serviced_recursive", CG_V1,
	    CTRL_BLKIO },
	[F1_PIDS_CURRENT] = { "pids.current", CG_V1, CTRL_PIDS },
	[F2_CPU_STAT] = { "cpu.stat", CG_V2, CTRL_ANY },
	[F2_MEM_CURRENT] = { "memory.current", CG_V2, CTRL_ANY },
	[F2_MEM_PEAK] = { "memory.peak", CG_V2, CTRL_ANY },
	[F2_MEM_STAT] = { "memory.stat", CG_V2, CTRL_ANY },
	[F2_MEM_EVENTS] = { "memory.events", CG_V2, CTRL_ANY },
	[F2_MEM_SWAP_CURRENT] = { "memory.swap.current", CG_V2, CTRL_ANY },
	[F2_IO_STAT] = { "io.stat", CG_V2, CTRL_ANY },
	[F2_PIDS_CURRENT] = { "pids.current", CG_V2, CTRL_ANY },
	[F2_CPU_PRESSURE] = { "cpu.pressure", CG_V2, CTRL_ANY },
	[F2_MEM_PRESSURE] = { "memory.pressure", CG_V2, CTRL_ANY },
	[F2_IO_PRESSURE] = { "io.pressure", CG_V2, CTRL_ANY },
	[F2_MEM_EVENTS_LOCAL] = { "memory.events.local", CG_V2, CTRL_ANY },
	[F_PROCS] = { "cgroup.procs", 0, CTRL_ANY },
};

int
ctr_root_for(struct collector *c, struct ctr *k, enum cg_version v,
    enum cg_ctrl ctrl)
{
	int r;

	for (r = 0; r < c->nroots; r++) {
		if (k->dfd[r] == -1)
			continue;
		if (v != 0 && c->roots[r].version != v)
			continue;
		if (ctrl != CTRL_ANY && !(c->roots[r].ctrls & CTRL_BIT(ctrl)))
			continue;
		return r;
	}
	return -1;
}

int
ctr_mine(const struct collector *c, const char *name, size_t len)
{
	return c->nshards <= 1 || cgname_hash(name, len) % c->nshards ==
	    c->shard;
}

#define FD_PROBE_EVERY	(10 * NS_PER_SEC)

static int	at(struct collector *, struct ctr *, int, const char *, char *,
		    size_t, const char **);

static int
is_denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* A descriptor that costs nothing but its slot; no path, so nothing the
 * sandbox or a namespace could refuse. */
static int
spare_open(struct collector *c)
{
	return fcntl(c->rootfd[0], F_DUPFD_CLOEXEC, 0);
}

void
ctr_spares_init(struct collector *c)
{
	int i;

	for (i = 0; i < FD_SPARES; i++)
		c->fd_spare[i] = spare_open(c);
}

/* At the descriptor limit the spares are given back, so that reading by
 * path (an fd for a moment) still works, and nothing more is kept open:
 * the containers from then on are read by path, at about four times the
 * cost (README, collectord(8)), until ctr_fds_back finds room again. */
static void
fds_out(struct collector *c)
{
	int i, saved = errno;

	if (c->fd_out)
		return;
	c->fd_out = 1;
	c->dels_since_out = 0;
	c->fd_probe_due = clock_mono_ns() + FD_PROBE_EVERY;
	for (i = 0; i < FD_SPARES; i++)
		if (c->fd_spare[i] >= 0) {
			close(c->fd_spare[i]);
			c->fd_spare[i] = -1;
		}
	log_warnx("out of file descriptors at %zu containers: reading the "
	    "files of new ones by path until descriptors come free (raise "
	    "RLIMIT_NOFILE, e.g. LimitNOFILE=)", c->nctrs);
	errno = saved;
}

/* The spares and FD_ROOM more open: descriptors are free again. */
static int
fds_free(struct collector *c)
{
	int room[FD_ROOM], i, n, ok = 1;

	for (i = 0; i < FD_SPARES && ok; i++)
		ok = (c->fd_spare[i] = spare_open(c)) >= 0;
	for (n = 0; n < FD_ROOM && ok; n++)
		ok = (room[n] = spare_open(c)) >= 0;
	while (n-- > 0)
		if (room[n] >= 0)
			close(room[n]);
	if (ok)
		return 1;
	for (i = 0; i < FD_SPARES; i++)
		if (c->fd_spare[i] >= 0) {
			close(c->fd_spare[i]);
			c->fd_spare[i] = -1;
		}
	return 0;
}

/* A container read by path gets its directories and files kept open
 * again; stops where the limit stops it. */
static void
keep_again(struct collector *c, struct ctr *k)
{
	const char *rel = (k->len == 1) ? "." : k->name + 1;
	char buf[PATH_MAX];
	const char *path;
	int r, i, fd, dirfd;

	for (r = 0; r < c->nroots && !c->fd_out; r++) {
		if (k->dfd[r] != DFD_BYPATH)
			continue;
		fd = openat(c->rootfd[r], rel, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0)
			k->dfd[r] = fd;
		else if (errno == EMFILE || errno == ENFILE)
			fds_out(c);
		/* else gone or closed to us: by path it stays, and its
		 * reads tell */
	}
	for (i = 0; i < F_COUNT && !c->fd_out; i++) {
		r = k->froot[i];
		if (k->fd[i] != FD_BYPATH || (i == F_PROCS &&
		    c->roots[r].version == CG_V1) || k->dfd[r] == -1 ||
		    (dirfd = at(c, k, r, files[i].name, buf, sizeof(buf),
		    &path)) < 0)
			continue;
		if ((fd = ctr_keep_open(c, dirfd, path)) >= 0)
			k->fd[i] = fd;
	}
	if (k->netfd == FD_BYPATH && !c->fd_out) {
		k->netfd = -1;		/* opened again at the next sample */
		k->netpid = 0;
	}
}

void
ctr_fds_back(struct collector *c)
{
	uint64_t mono = clock_mono_ns();
	struct ctr *k;

	/* only deletions give descriptors back, and a look costs ~100
	 * calls: after one, at most every FD_PROBE_EVERY */
	if (!c->fd_out || c->dels_since_out == 0 || mono < c->fd_probe_due)
		return;
	c->fd_probe_due = mono + FD_PROBE_EVERY;
	if (!fds_free(c))
		return;
	c->fd_out = 0;
	c->dels_since_out = 0;
	log_info("file descriptors free again at %zu containers: keeping "
	    "files open again", c->nctrs);
	TAILQ_FOREACH(k, &c->ctrs, entry) {
		if (c->fd_out)
			break;
		keep_again(c, k);
	}
}

int
ctr_keep_open(struct collector *c, int dirfd, const char *path)
{
	int fd;

	if (c->fd_out) {
		errno = EMFILE;
		return -1;
	}
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 && (errno == EMFILE || errno == ENFILE)) {
		fds_out(c);
		errno = EMFILE;
	}
	return fd;
}

/* The fd and path to reach file of k in root r: its directory's fd, or
 * the root's with the container's path in front (DFD_BYPATH). */
static int
at(struct collector *c, struct ctr *k, int r, const char *file, char *buf,
    size_t bufsz, const char **path)
{
	if (k->dfd[r] >= 0) {
		*path = file;
		return k->dfd[r];
	}
	if ((size_t)snprintf(buf, bufsz, "%s/%s", k->len == 1 ? "." :
	    k->name + 1, file) >= bufsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	*path = buf;
	return c->rootfd[r];
}

static void
open_file(struct collector *c, struct ctr *k, enum cgfile f)
{
	int r = ctr_root_for(c, k, files[f].version, files[f].ctrl), fd, dirfd;
	char buf[PATH_MAX];
	const char *path;

	k->denied_files &= ~(1u << f);
	if (r < 0 || (dirfd = at(c, k, r, files[f].name, buf, sizeof(buf),
	    &path)) < 0)
		return;
	/* v1 cgroup.procs is served from a pid list the kernel caches per
	 * cgroup and reuses for an open file until 1 s after its last read:
	 * read every second through one fd, it never refreshes.  A fresh
	 * open always loads a new list. */
	if (f == F_PROCS && c->roots[r].version == CG_V1) {
		if (faccessat(dirfd, path, F_OK, 0) == 0) {
			k->fd[f] = FD_BYPATH;
			k->froot[f] = (uint8_t)r;
		}
		return;
	}
	if ((fd = ctr_keep_open(c, dirfd, path)) == -1) {
		if (errno == EMFILE && faccessat(dirfd, path, F_OK, 0) == 0) {
			k->fd[f] = FD_BYPATH;
			k->froot[f] = (uint8_t)r;
		} else if (is_denied(errno))
			k->denied_files |= 1u << f;
		return;
	}
	k->fd[f] = fd;
	k->froot[f] = (uint8_t)r;
}

static void
open_dirs(struct collector *c, struct ctr *k)
{
	const char *rel = (k->len == 1) ? "." : k->name + 1;
	int r;

	k->missing = 0;
	for (r = 0; r < c->nroots; r++) {
		uint32_t bit = 1u << r;
		int err = 0;

		if (k->dfd[r] != -1)
			continue;
		k->denied_dirs &= ~bit;
		if (!c->fd_out) {
			k->dfd[r] = openat(c->rootfd[r], rel, O_RDONLY |
			    O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			err = errno;
		}
		if (k->dfd[r] == -1 && (c->fd_out || err == EMFILE ||
		    err == ENFILE)) {
			struct stat sb;

			fds_out(c);
			/* by path its files need only search permission */
			if (fstatat(c->rootfd[r], rel, &sb,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode) &&
			    faccessat(c->rootfd[r], rel, X_OK, 0) == 0)
				k->dfd[r] = DFD_BYPATH;
			else
				err = errno;
		}
		if (k->dfd[r] == -1 && is_denied(err))
			k->denied_dirs |= bit;
		if (k->dfd[r] == -1)
			k->missing++;
		if ((k->dfd[r] != -1 || (k->denied_dirs & bit)) &&
		    c->roots[r].version == CG_V2)
			k->flags |= CADV_CF_V2;
	}
}

/* cAdvisor's CreationTime: the oldest mtime of the directories and of
 * cgroup.clone_children (v1) / cgroup.events (v2), not before boot. */
static uint64_t
creation_time(struct collector *c, struct ctr *k)
{
	uint64_t best = UINT64_MAX;
	struct stat sb;
	int r;

	for (r = 0; r < c->nroots; r++) {
		char buf[PATH_MAX];
		const char *marker, *path;
		int dirfd;

		/* closed to us: the directory's own mtime, seen from its
		 * parent, still dates it */
		if (k->dfd[r] == -1 && (k->denied_dirs & (1u << r)) &&
		    fstatat(c->rootfd[r], k->len == 1 ? "." : k->name + 1, &sb,
		    AT_SYMLINK_NOFOLLOW) == 0) {
			uint64_t t = (uint64_t)sb.st_mtim.tv_sec * 1000000000ULL +
			    (uint64_t)sb.st_mtim.tv_nsec;
			if (t < best)
				best = t;
		}
		if (k->dfd[r] == -1)
			continue;
		marker = c->roots[r].version == CG_V2 ? "cgroup.events" :
		    "cgroup.clone_children";
		if ((dirfd = at(c, k, r, ".", buf, sizeof(buf), &path)) >= 0 &&
		    fstatat(dirfd, path, &sb, 0) == 0) {
			uint64_t t = (uint64_t)sb.st_mtim.tv_sec * 1000000000ULL +
			    (uint64_t)sb.st_mtim.tv_nsec;
			if (t < best)
				best = t;
		}
		if ((dirfd = at(c, k, r, marker, buf, sizeof(buf), &path)) >=
		    0 && fstatat(dirfd, path, &sb, 0) == 0) {
			uint64_t t = (uint64_t)sb.st_mtim.tv_sec * 1000000000ULL +
			    (uint64_t)sb.st_mtim.tv_nsec;
			if (t < best)
				best = t;
		}
	}
	if (best == UINT64_MAX)
		best = clock_now_ns();
	return best < c->boot_ns ? c->boot_ns : best;
}

struct ctr *
ctr_open(struct collector *c, const char *name, size_t len)
{
	struct ctr *k;
	int i;

	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->name = malloc(len + 1)) == NULL)
		fatal("calloc");
	memcpy(k->name, name, len);
	k->name[len] = '\0';
	k->len = len;
	k->netfd = -1;
	for (i = 0; i < MAX_ROOTS; i++)
		k->dfd[i] = -1;
	for (i = 0; i < F_COUNT; i++)
		k->fd[i] = FD_NONE;
	open_dirs(c, k);
	if (ctr_root_for(c, k, 0, CTRL_ANY) < 0 && k->denied_dirs == 0) {
		/* gone before we got here: nothing to follow */
		free(k->name);
		free(k);
		return NULL;
	}
	for (i = 0; i < F_COUNT; i++)
		open_file(c, k, (enum cgfile)i);
	k->created_ns = creation_time(c, k);
	ctr_read_spec(c, k);
	k->interval = c->interval;
	k->added_mono = clock_mono_ns();
	return k;
}

void
ctr_reopen(struct collector *c, struct ctr *k)
{
	int i;

	open_dirs(c, k);
	for (i = 0; i < F_COUNT; i++)
		if (k->fd[i] == FD_NONE)
			open_file(c, k, (enum cgfile)i);
}

void
ctr_close(struct collector *c, struct ctr *k)
{
	int i;

	(void)c;
	for (i = 0; i < F_COUNT; i++)
		if (k->fd[i] >= 0)
			close(k->fd[i]);
	for (i = 0; i < MAX_ROOTS; i++)
		if (k->dfd[i] >= 0)
			close(k->dfd[i]);
	if (k->netfd >= 0)
		close(k->netfd);
	free(k->enc);
	minute_acc_free(&k->minute);
	free(k->name);
	free(k);
}

/* Reads fd from offset 0 in one pread (kernfs regenerates the content
 * there), growing the buffer until the whole file fits. */
ssize_t
ctr_pread(struct collector *c, int fd)
{
	ssize_t n;

	for (;;) {
		n = pread(fd, c->rbuf, c->rcap, 0);
		if (n < 0 || (size_t)n < c->rcap)
			return n;
		if (c->rcap >= (1u << 24)) {
			errno = EFBIG;
			return -1;
		}
		c->rcap *= 2;
		if ((c->rbuf = realloc(c->rbuf, c->rcap)) == NULL)
			fatal("realloc");
	}
}

ssize_t
ctr_read_at(struct collector *c, struct ctr *k, int r, const char *file)
{
	char buf[PATH_MAX];
	const char *path;
	ssize_t n;
	int fd, dirfd;

	if (r < 0 || k->dfd[r] == -1 ||
	    (dirfd = at(c, k, r, file, buf, sizeof(buf), &path)) < 0)
		return -1;
	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (is_denied(errno))
			k->denied_now = 1;
		return -1;
	}
	n = ctr_pread(c, fd);
	close(fd);
	return n;
}

/* ENODEV: the directory in root r was removed under us.  Drop it and its
 * files, so that a directory made again under the name is opened anew;
 * if every root lost it, its DEL follows. */
static void
forget_root(struct ctr *k, int r)
{
	int i;

	for (i = 0; i < F_COUNT; i++)
		if (k->froot[i] == r && k->fd[i] != FD_NONE) {
			if (k->fd[i] >= 0)
				close(k->fd[i]);
			k->fd[i] = FD_NONE;
		}
	if (k->dfd[r] != -1) {
		if (k->dfd[r] >= 0)
			close(k->dfd[r]);
		k->dfd[r] = -1;
		k->missing++;
	}
}

ssize_t
ctr_read(struct collector *c, struct ctr *k, enum cgfile f)
{
	ssize_t n;

	if (k->fd[f] == FD_NONE)
		return -1;
	if (k->fd[f] == FD_BYPATH)
		return ctr_read_at(c, k, k->froot[f], files[f].name);
	n = ctr_pread(c, k->fd[f]);
	if (n < 0) {
		if (errno == ENODEV)
			forget_root(k, k->froot[f]);
		else {
			log_debug("%s: read %s: %s", k->name, files[f].name,
			    strerror(errno));
			close(k->fd[f]);
			k->fd[f] = FD_NONE;
		}
	}
	return n;
}

static int
read_u64_at(struct collector *c, struct ctr *k, int r, const char *file,
    uint64_t *v)
{
	ssize_t n = ctr_read_at(c, k, r, file);

	return n < 0 ? -1 : cgp_u64(c->rbuf, (size_t)n, v);
}

/* v1 hierarchies report "no limit" as PAGE_COUNTER_MAX in bytes; one
 * spelling of unlimited in the store, whatever the version. */
static uint64_t
v1_limit(uint64_t v)
{
	return v >= (1ULL << 62) ? CADV_UNLIMITED : v;
}

static void
spec_put(struct ctr *k, enum cadv_spec_field f, uint64_t v)
{
	k->spec[f] = v;
	k->spec_present |= 1ULL << f;
}

void
ctr_read_spec(struct collector *c, struct ctr *k)
{
	uint64_t old_present = k->spec_present, old[CADV_SP_COUNT], v, q, p;
	char old_mask[sizeof(k->mask)];
	size_t old_mask_len = k->mask_len;
	ssize_t n;
	int r;

	memcpy(old, k->spec, sizeof(old));
	memcpy(old_mask, k->mask, sizeof(old_mask));
	k->denied_now = 0;
	k->spec_present = 0;
	memset(k->spec, 0, sizeof(k->spec));
	k->mask_len = 0;

	if ((r = ctr_root_for(c, k, CG_V2, CTRL_ANY)) >= 0) {
		if (read_u64_at(c, k, r, "memory.max", &v) == 0)
			spec_put(k, CADV_SP_MEM_LIMIT, v);
		if (read_u64_at(c, k, r, "memory.swap.max", &v) == 0)
			spec_put(k, CADV_SP_MEM_SWAP_LIMIT, v);
		if (read_u64_at(c, k, r, "memory.min", &v) == 0)
			spec_put(k, CADV_SP_MEM_RESERVATION, v);
		if (read_u64_at(c, k, r, "cpu.weight", &v) == 0)
			spec_put(k, CADV_SP_CPU_SHARES, cgp_weight_to_shares(v));
		if ((n = ctr_read_at(c, k, r, "cpu.max")) >= 0 &&
		    cgp_cpu_max(c->rbuf, (size_t)n, &q, &p) == 0) {
			spec_put(k, CADV_SP_CPU_QUOTA, q);
			spec_put(k, CADV_SP_CPU_PERIOD, p);
		}
		if (read_u64_at(c, k, r, "pids.max", &v) == 0)
			spec_put(k, CADV_SP_PIDS_LIMIT, v);
		n = ctr_read_at(c, k, r, "cpuset.cpus.effective");
	} else
		n = -1;
	if ((r = ctr_root_for(c, k, CG_V1, CTRL_MEMORY)) >= 0) {
		if (read_u64_at(c, k, r, "memory.limit_in_bytes", &v) == 0)
			spec_put(k, CADV_SP_MEM_LIMIT, v1_limit(v));
		if (read_u64_at(c, k, r, "memory.memsw.limit_in_bytes", &v) == 0)
			spec_put(k, CADV_SP_MEM_SWAP_LIMIT, v1_limit(v));
		if (read_u64_at(c, k, r, "memory.soft_limit_in_bytes", &v) == 0)
			spec_put(k, CADV_SP_MEM_RESERVATION, v1_limit(v));
	}
	if ((r = ctr_root_for(c, k, CG_V1, CTRL_CPU)) >= 0) {
		int64_t quota;
		ssize_t m;

		if (read_u64_at(c, k, r, "cpu.shares", &v) == 0)
			spec_put(k, CADV_SP_CPU_SHARES, v);
		if ((m = ctr_read_at(c, k, r, "cpu.cfs_quota_us")) >= 0 &&
		    cgp_i64(c->rbuf, (size_t)m, &quota) == 0)
			spec_put(k, CADV_SP_CPU_QUOTA, quota < 0 ? CADV_UNLIMITED :
			    (uint64_t)quota);
		if (read_u64_at(c, k, r, "cpu.cfs_period_us", &v) == 0)
			spec_put(k, CADV_SP_CPU_PERIOD, v);
	}
	if ((r = ctr_root_for(c, k, CG_V1, CTRL_PIDS)) >= 0 &&
	    read_u64_at(c, k, r, "pids.max", &v) == 0)
		spec_put(k, CADV_SP_PIDS_LIMIT, v);
	if (n < 0 && (r = ctr_root_for(c, k, CG_V1, CTRL_CPUSET)) >= 0)
		n = ctr_read_at(c, k, r, "cpuset.cpus");
	if (n > 0) {
		size_t l = (size_t)n;

		while (l > 0 && (c->rbuf[l - 1] == '\n' || c->rbuf[l - 1] == ' '))
			l--;
		if (l < sizeof(k->mask)) {
			memcpy(k->mask, c->rbuf, l);
			k->mask[l] = '\0';
			k->mask_len = l;
		}
	}
	k->spec_read_mono = clock_mono_ns();
	k->denied_spec = k->denied_now;
	if (old_present != k->spec_present ||
	    memcmp(old, k->spec, sizeof(old)) != 0 ||
	    old_mask_len != k->mask_len ||
	    memcmp(old_mask, k->mask, k->mask_len) != 0)
		k->record_dirty = 1;
}

void
ctr_flags_update(struct collector *c, struct ctr *k)
{
	uint32_t want = k->flags & ~(uint32_t)CADV_CF_UNREADABLE;

	if (k->denied_dirs || k->denied_files || k->denied_spec ||
	    k->denied_sample)
		want |= CADV_CF_UNREADABLE;
	if (want == k->flags)
		return;
	k->flags = want;
	k->record_dirty = 1;
	/* the name raw: log_* escapes whole messages; once a container, so
	 * that an owner flipping its mode cannot flood the log */
	if ((want & CADV_CF_UNREADABLE) && !k->denied_said) {
		k->denied_said = 1;
		log_warnx("container %s: permission denied reading its cgroup "
		    "%s: listed as unreadable, its stats %s", k->name,
		    k->denied_dirs ? "directory" : "files",
		    ctr_root_for(c, k, 0, CTRL_ANY) >= 0 ? "partial" : "absent");
	} else
		log_debug("container %s: %s", k->name, (want & CADV_CF_UNREADABLE) ?
		    "unreadable again" : "readable again");
}
