#include "keys.h"

#include <string.h>

#include "log.h"

const char *const keys_cpuacct[CPUACCT_N] = { "system", "user" };
const char *const keys_cpu1[CPU1_N] = {
	"burst_time", "nr_bursts", "nr_periods", "nr_throttled",
	"throttled_time",
};
const char *const keys_oomc[OOMC_N] = { "oom_kill" };
const char *const keys_mem1[M1_N] = {
	"active_file", "cache", "dirty", "inactive_file", "mapped_file",
	"pgfault", "pgmajfault", "rss", "rss_huge", "shmem", "swap",
	"total_active_file", "total_cache", "total_dirty",
	"total_inactive_file", "total_mapped_file", "total_rss",
	"total_rss_huge", "total_shmem", "total_swap",
	"total_workingset_refault_anon", "total_workingset_refault_file",
	"total_writeback", "workingset_refault_anon", "workingset_refault_file",
	"writeback",
};
const char *const keys_cpu2[CPU2_N] = {
	"burst_usec", "nr_bursts", "nr_periods", "nr_throttled", "system_usec",
	"throttled_usec", "usage_usec", "user_usec",
};
const char *const keys_mem2[M2_N] = {
	"active_file", "anon", "anon_thp", "file", "file_dirty", "file_mapped",
	"file_writeback", "inactive_file", "pgfault", "pgmajfault", "pgscan",
	"pgsteal", "shmem", "workingset_refault_anon", "workingset_refault_file",
};
const char *const keys_mev[MEV_N] = { "high", "max", "oom", "oom_kill" };

static void
sorted(const char *const *k, size_t n, const char *what)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (strcmp(k[i - 1], k[i]) >= 0)
			fatalx("key table %s out of order at %s", what, k[i]);
}

void
keys_check(void)
{
	sorted(keys_cpuacct, CPUACCT_N, "cpuacct");
	sorted(keys_cpu1, CPU1_N, "cpu1");
	sorted(keys_oomc, OOMC_N, "oomc");
	sorted(keys_mem1, M1_N, "mem1");
	sorted(keys_cpu2, CPU2_N, "cpu2");
	sorted(keys_mem2, M2_N, "mem2");
	sorted(keys_mev, MEV_N, "mev");
}
