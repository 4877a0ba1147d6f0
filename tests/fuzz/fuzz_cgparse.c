/* Fuzz target: the cgroup and proc file parsers (cgparse.h), v1 and v2,
 * and /proc/PID/limits.
 * The first byte picks the parser, the rest is the file's contents. */
#include <string.h>

#include "cgparse.h"
#include "fuzz.h"

/* sorted, as cgp_kv requires: a v1 memory.stat subset and v2 cpu.stat */
static const char *const kv_keys[] = {
	"active_anon", "cache", "hierarchical_memory_limit", "inactive_file",
	"mapped_file", "nr_periods", "nr_throttled", "pgfault", "rss",
	"system_usec", "throttled_usec", "usage_usec", "user_usec",
};
#define NKEYS (sizeof(kv_keys) / sizeof(kv_keys[0]))
#define NPIDS 64

enum which {
	P_U64, P_I64, P_KV, P_LIST, P_PSI, P_BLKIO_BYTES, P_BLKIO_OPS,
	P_IOSTAT, P_CPU_MAX, P_NETDEV, P_PIDS, P_LIMITS, P_COUNT
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cadv_blk blk[SAMPLE_MAX_BLK];
	static struct cadv_diskio xio[SAMPLE_MAX_BLK];
	static struct cadv_net net[SAMPLE_MAX_NET];
	uint64_t xpresent = 0;
	static uint64_t list[SAMPLE_MAX_CPUS];
	static uint32_t pids[NPIDS];
	uint64_t vals[NKEYS], found = 0, u, q, p;
	struct cgp_psi some, full;
	const char *buf;
	unsigned has;
	uint32_t first;
	int64_t i;
	size_t n, len;
	struct cgp_blk d = { blk, xio, SAMPLE_MAX_BLK, &n, &xpresent };

	if (size < 1)
		return 0;
	buf = (const char *)data + 1;
	len = size - 1;
	switch ((enum which)(data[0] % P_COUNT)) {
	case P_U64:
		(void)cgp_u64(buf, len, &u);
		break;
	case P_I64:
		(void)cgp_i64(buf, len, &i);
		break;
	case P_KV:
		(void)cgp_kv(buf, len, kv_keys, NKEYS, vals, &found);
		break;
	case P_LIST:
		(void)cgp_u64_list(buf, len, list, SAMPLE_MAX_CPUS, &n);
		break;
	case P_PSI:
		(void)cgp_psi(buf, len, &some, &full, &has);
		break;
	case P_BLKIO_BYTES:
	case P_BLKIO_OPS:
		n = 0;
		(void)cgp_blkio_v1(buf, len, data[0] % P_COUNT == P_BLKIO_OPS ?
		    CGP_BLK_OPS : CGP_BLK_BYTES, &d);
		break;
	case P_IOSTAT:
		n = 0;
		(void)cgp_iostat_v2(buf, len, &d);
		break;
	case P_CPU_MAX:
		(void)cgp_cpu_max(buf, len, &q, &p);
		break;
	case P_NETDEV:
		(void)cgp_netdev(buf, len, net, SAMPLE_MAX_NET, &n);
		break;
	case P_PIDS:
	case P_COUNT:
		(void)cgp_count_pids(buf, len, &first);
		(void)cgp_pids(buf, len, pids, NPIDS, &n);
		break;
	case P_LIMITS:
		(void)cgp_limit(buf, len, "Max open files", &q, &p);
		break;
	}
	return 0;
}
