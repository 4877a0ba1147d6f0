/* collectord's state: the roots it samples from, one struct ctr per live
 * container, and what is waiting to be written to the store. */
#ifndef COLLECTORD_COLLECTOR_H
#define COLLECTORD_COLLECTOR_H

#include <bsd/sys/queue.h>
#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame.h"
#include "hmap.h"
#include "machine.h"
#include "mounts.h"
#include "schema.h"
#include "store.h"
#include "percentile.h"
#include "taskstat.h"

#define MAX_ROOTS	32
#define FD_NONE		(-1)	/* the file does not exist for this container */
#define FD_BYPATH	(-2)	/* exists, but no fd to spare: open per read */
/* k->dfd[r]: -1 none, or DFD_BYPATH: the directory exists but has no fd
 * of its own; its files are reached from the root's fd by path */
#define DFD_BYPATH	(-2)
/* descriptors held back for reading by path once the limit is reached */
#define FD_SPARES	64
/* and free beyond the spares again before files are kept open again */
#define FD_ROOM		32
#define CTRL_ANY	CTRL_COUNT	/* ctr_root_for: any controller */

/* The files read every tick, kept open.  One table (ctr.c) gives each its
 * name, cgroup version and controller. */
enum cgfile {
	F1_CPUACCT_USAGE, F1_CPUACCT_STAT, F1_CPUACCT_PERCPU, F1_CPU_STAT,
	F1_MEM_USAGE, F1_MEM_MAX_USAGE, F1_MEM_STAT, F1_MEM_FAILCNT,
	F1_MEM_OOM_CONTROL, F1_MEM_KMEM_USAGE, F1_BLKIO_BYTES, F1_BLKIO_OPS,
	F1_PIDS_CURRENT,
	F2_CPU_STAT, F2_MEM_CURRENT, F2_MEM_PEAK, F2_MEM_STAT, F2_MEM_EVENTS,
	F2_MEM_SWAP_CURRENT, F2_IO_STAT, F2_PIDS_CURRENT, F2_CPU_PRESSURE,
	F2_MEM_PRESSURE, F2_IO_PRESSURE, F2_MEM_EVENTS_LOCAL,
	F_PROCS,
	F_COUNT
};

struct ctr {
	TAILQ_ENTRY(ctr) entry;
	uint64_t	 id;		/* store id; 0 until first written */
	size_t		 len;
	char		*name;
	int		 dfd[MAX_ROOTS];	/* directory per root (DFD_BYPATH) */
	int		 fd[F_COUNT];
	uint8_t		 froot[F_COUNT];	/* root each file was opened in */
	uint32_t	 flags;		/* enum container_flags */
	/* Closed to us (EACCES, EPERM; a delegated owner's chmod): the
	 * container is still listed, flagged CADV_CF_UNREADABLE.  Bit r: its
	 * directory in root r; bit f: kept-open file f; and whether a read
	 * by path was refused in the last spec read or sample. */
	uint32_t	 denied_dirs, denied_files;
	int		 denied_spec, denied_sample;
	int		 denied_now;	/* a read by path was refused */
	int		 denied_said;	/* logged once, not again */
	uint64_t	 created_ns;
	uint64_t	 spec_present, spec[CADV_SP_COUNT];
	char		 mask[256];
	size_t		 mask_len;
	uint64_t	 spec_read_mono;	/* when the spec was last read */
	uint64_t	 added_mono;	/* when ADD came */
	int		 missing;	/* roots without its directory */
	int		 record_dirty;	/* container record to (re)write */
	int		 is_new;	/* ADDed, record not yet written */
	uint64_t	 interval, next_due;	/* dynamic housekeeping, mono */
	unsigned char	*enc;		/* newest encoded sample, then its
					 * diskio record (xlen bytes) */
	size_t		 enclen, xlen, enccap;
	uint64_t	 enc_ts;
	int		 pending;	/* enc to be written this round */
	uint64_t	 phase;		/* spreads periodic work (name hash) */
	/* the last cgroup.procs read by path, and the task count then */
	uint64_t	 procs_n, procs_tasks, procs_mono;
	uint32_t	 procs_first;
	int		 procs_valid;
	uint32_t	 netpid;	/* a process whose netns we read */
	int		 netfd;		/* its /proc/PID/net/dev, or -1 */
	/* kills of the container's own tasks (v1 oom_control, v2
	 * memory.events.local): deltas become events when eventd cannot
	 * read /dev/kmsg */
	uint64_t	 oom_local, oom_prev;
	int		 oom_local_valid, oom_prev_valid;
	/* the summary's minute (libcadv/percentile.h), and the one closed
	 * to be written */
	struct minute_acc minute;
	struct cadv_minute minute_done;
	int		 minute_pending;
	/* task states (tasks.c): the counts of the last refresh, held
	 * until the next; the load averages and when they were taken */
	uint64_t	 tasks_mono, tasks_every;
	uint64_t	 tasks_n[TS_COUNT];
	int		 tasks_valid;
	double		 load, load_d;
	uint64_t	 load_mono;
	int		 load_valid;
	/* the process scan (sample.c): fds and sockets over the
	 * processes, the first one's open-file limit; when it is next due
	 * and the processes it saw */
	uint64_t	 scan_due, scan_nprocs;
	uint32_t	 scan_first;
	uint64_t	 scan_fds, scan_sockets, nofile_soft, nofile_hard;
	int		 scan_fds_valid, nofile_valid;
};

struct deletion {
	uint64_t	 id;
	size_t		 len;
	char		*name;
};

struct collector {
	struct store	*st;
	uint64_t	 shard, nshards;	/* --shard I/N: names hashing to I */
	struct cg_root	 roots[MAX_ROOTS];
	int		 rootfd[MAX_ROOTS];
	int		 nroots;
	struct hmap	 byname;
	TAILQ_HEAD(, ctr) ctrs;
	size_t		 nctrs;
	struct deletion	*dels;		/* DELs waiting for the store */
	size_t		 ndels, capdels;
	int		 sync_pending;	/* SYNC seen: reconcile the store */
	uint64_t	 interval, max_interval, retention;
	uint64_t	 machine_interval, fs_interval;	/* 0: off */
	uint64_t	 machine_due, fs_due;		/* mono */
	long		 clk_tck;
	uint64_t	 boot_ns;
	uint64_t	 host_netns;
	int		 fd_spare[FD_SPARES];	/* /dev/null, until needed */
	int		 fd_out;	/* the limit was reached: keep no more */
	uint64_t	 fd_probe_due;	/* mono: look for free ones again */
	size_t		 dels_since_out;	/* deletions since the limit */
	char		*rbuf;		/* read buffer for one file */
	size_t		 rcap;
	unsigned char	*ebuf;		/* encode buffer */
	struct cadv_sample	 s;		/* scratch sample */
	uint32_t	*pids;		/* a cgroup.procs, for the scan */
	size_t		 pidcap;
	int64_t		 scan_budget;	/* fds the scans may look at, this tick */
	int		 sfd, tfd;	/* signals, the tick */
	uint64_t	 overruns;	/* ticks missed or late, in all */
	/* watcherd's frames on stdin, and the one being handled */
	struct frame_reader fr;
	struct frame	 f;
	/* persist.c's: one round at a time, its scratch kept for the next;
	 * when the store was last cleaned up, last said to be full */
	struct round	*round;
	uint64_t	 last_cleanup, room_said;
	/* nodeinfo.c's: the machine's paths (hostroot.h), looked up once;
	 * /proc/diskstats said to be unreadable once */
	struct machine_paths paths;
	char		 paths_etc[PATH_MAX];
	int		 diskstats_warned;
};

/* ctr.c */
struct ctr *ctr_open(struct collector *, const char *name, size_t len);
void	ctr_close(struct collector *, struct ctr *);
/* Opens directories and files missing so far (a v1 hierarchy may gain
 * the container after its ADD). */
void	ctr_reopen(struct collector *, struct ctr *);
void	ctr_read_spec(struct collector *, struct ctr *);
/* Reads one file into c->rbuf; its length, or -1 when absent or gone. */
ssize_t	ctr_read(struct collector *, struct ctr *, enum cgfile);
/* Reads fd whole from offset 0 into c->rbuf, growing it as needed. */
ssize_t	ctr_pread(struct collector *, int fd);
/* An fd to keep open, or -1: EMFILE once the limit is reached. */
int	ctr_keep_open(struct collector *, int dirfd, const char *path);
/* Holds back FD_SPARES descriptors, given back at the limit. */
void	ctr_spares_init(struct collector *);
/* At the limit, now and then: when descriptors have come free (containers
 * went), holds the spares back again and keeps the files of the
 * containers read by path open again, as far as they go. */
void	ctr_fds_back(struct collector *);
/* Sets or clears CADV_CF_UNREADABLE from what was refused; says so once. */
void	ctr_flags_update(struct collector *, struct ctr *);
/* Opens a file below the container's directory in root r for one read. */
ssize_t	ctr_read_at(struct collector *, struct ctr *, int r,
	    const char *file);
int	ctr_root_for(struct collector *, struct ctr *, enum cg_version,
	    enum cg_ctrl);

/* sample.c */
/* Reads every stat of the container into c->s and encodes it into its
 * enc buffer; returns 1 if it differs from the previous sample. */
int	sample_take(struct collector *, struct ctr *, uint64_t now_ns);
void	sample_v1(struct collector *, struct ctr *, struct cadv_sample *);
/* The io totals over s->blk (bytes, operations or both were read). */
void	sample_io_totals(struct cadv_sample *, int bytes, int ops);
void	sample_v2(struct collector *, struct ctr *, struct cadv_sample *);

/* procfds.c */
enum { PROCFDS_OK, PROCFDS_GONE, PROCFDS_DENIED, PROCFDS_FAILED };
/* The process's open descriptors and sockets; PROCFDS_DENIED when
 * /proc/PID/fd is closed to us, PROCFDS_GONE when the process went,
 * PROCFDS_FAILED on anything else (no descriptor left). */
int	procfds_count(uint32_t pid, uint64_t *fds, uint64_t *sockets);
/* Every tick: what the process scans may cost in it (sample.c). */
void	sample_scan_budget(struct collector *);

/* nodeinfo.c */
int	nodeinfo_write(struct collector *);
int	nodeinfo_sample_fs(struct collector *);

/* the container is this collector's (--shard) */
int	ctr_mine(const struct collector *, const char *name, size_t len);

/* persist.c */
/* Writes what is waiting (new containers, deletions, reconciliation,
 * pending samples) in one transaction; 0 or a store error. */
int	persist(struct collector *, int prune);
void	persist_free(struct collector *);

/* tasks.c */
/* The container's threads by state and its load averages into s, read
 * from /proc at most every TASKS_REFRESH (more seldom for many threads);
 * absent when its thread list or their states cannot be read. */
void	tasks_sample(struct collector *, struct ctr *, struct cadv_sample *);

#endif
