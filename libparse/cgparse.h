/* Parsers for cgroup and proc files (the kernel's admin-guide/
 * cgroup-v1, cgroup-v2.rst; proc(5)).  Pure functions over a buffer that
 * need not be NUL-terminated: every byte is untrusted.  Keyed files are
 * parsed by key, never by line order; unknown keys are ignored. */
#ifndef CADV_CGPARSE_H
#define CADV_CGPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"

/* "123\n" or "max\n" (CADV_UNLIMITED); -1 on anything else. */
int	cgp_u64(const char *buf, size_t len, uint64_t *out);
/* A signed value ("-1\n"). */
int	cgp_i64(const char *buf, size_t len, int64_t *out);

/* Flat keyed file, "key value" per line.  keys must be sorted (strcmp);
 * for each key found, vals[i] is set and bit i of *found.  Returns the
 * number of malformed lines (skipped). */
size_t	cgp_kv(const char *buf, size_t len, const char *const *keys,
	    size_t nkeys, uint64_t *vals, uint64_t *found);

/* Space-separated numbers (cpuacct.usage_percpu; trailing space allowed);
 * -1 on a non-number or more than max values. */
int	cgp_u64_list(const char *buf, size_t len, uint64_t *out, size_t max,
	    size_t *n);

struct cgp_psi {
	uint64_t	avg10, avg60, avg300;	/* ppm: percent x 10000 */
	uint64_t	total_us;
};
/* cpu/memory/io.pressure: sets *has bit 0 for "some", bit 1 for "full". */
int	cgp_psi(const char *buf, size_t len, struct cgp_psi *some,
	    struct cgp_psi *full, unsigned *has);

/* v1 blkio.throttle.io_service_bytes / io_serviced (_recursive): rows
 * "MAJ:MIN Read|Write|Sync|Async|Discard|Total N".  Read goes into
 * read_bytes (ops: read_ops), Write likewise, Sync, Async and Discard into
 * the extras; Total (Sync + Async) is left to readers to add up. */
enum cgp_blk_kind { CGP_BLK_BYTES, CGP_BLK_OPS };
/* Where the block parsers put devices: blk[0..*n) of at most max, and
 * when xio is not NULL each one's extras (schema.h DISKIO_COUNTERS) in
 * xio[i], marking the counters read in *xpresent. */
struct cgp_blk {
	struct cadv_blk	*blk;
	struct cadv_diskio	*xio;
	size_t			 max, *n;
	uint64_t		*xpresent;
};
int	cgp_blkio_v1(const char *buf, size_t len, enum cgp_blk_kind,
	    struct cgp_blk *);
/* v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ..." in any order,
 * extra keys ignored, missing ones left 0. */
int	cgp_iostat_v2(const char *buf, size_t len, struct cgp_blk *);

/* v2 cpu.max "quota period" ("max" quota: CADV_UNLIMITED). */
int	cgp_cpu_max(const char *buf, size_t len, uint64_t *quota,
	    uint64_t *period);
/* v2 cpu.weight (1..10000) to cAdvisor's shares. */
uint64_t cgp_weight_to_shares(uint64_t weight);

/* /proc/PID/net/dev: every interface but lo. */
int	cgp_netdev(const char *buf, size_t len, struct cadv_net *ifs,
	    size_t max, size_t *n);

/* cgroup.procs / tasks: number of lines and the first pid (0 if none). */
size_t	cgp_count_pids(const char *buf, size_t len, uint32_t *first);
/* cgroup.procs: the pids into pids[0..*n); -1 on a line that is not one,
 * or more than max. */
int	cgp_pids(const char *buf, size_t len, uint32_t *pids, size_t max,
	    size_t *n);

/* /proc/PID/limits: the soft and hard value of the row named name ("Max
 * open files"), "unlimited" as CADV_UNLIMITED; -1 when the row is missing
 * or malformed. */
int	cgp_limit(const char *buf, size_t len, const char *name,
	    uint64_t *soft, uint64_t *hard);

#endif
