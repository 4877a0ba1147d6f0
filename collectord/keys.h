/* Key tables for cgp_kv(): sorted (strcmp), with an enum per table giving
 * each key's index.  keys_check() verifies the order at start-up. */
#ifndef COLLECTORD_KEYS_H
#define COLLECTORD_KEYS_H

#include <stddef.h>

enum { CPUACCT_SYSTEM, CPUACCT_USER, CPUACCT_N };
enum {
	CPU1_BURST_TIME, CPU1_NR_BURSTS, CPU1_NR_PERIODS, CPU1_NR_THROTTLED,
	CPU1_THROTTLED_TIME, CPU1_N
};
enum { OOMC_OOM_KILL, OOMC_N };
enum {
	M1_ACTIVE_FILE, M1_CACHE, M1_DIRTY, M1_INACTIVE_FILE, M1_MAPPED_FILE,
	M1_PGFAULT, M1_PGMAJFAULT, M1_RSS, M1_RSS_HUGE, M1_SHMEM, M1_SWAP,
	M1_TOTAL_ACTIVE_FILE, M1_TOTAL_CACHE, M1_TOTAL_DIRTY,
	M1_TOTAL_INACTIVE_FILE, M1_TOTAL_MAPPED_FILE, M1_TOTAL_RSS,
	M1_TOTAL_RSS_HUGE, M1_TOTAL_SHMEM, M1_TOTAL_SWAP,
	M1_TOTAL_WS_REFAULT_ANON, M1_TOTAL_WS_REFAULT_FILE, M1_TOTAL_WRITEBACK,
	M1_WS_REFAULT_ANON, M1_WS_REFAULT_FILE, M1_WRITEBACK, M1_N
};
enum {
	CPU2_BURST_USEC, CPU2_NR_BURSTS, CPU2_NR_PERIODS, CPU2_NR_THROTTLED,
	CPU2_SYSTEM_USEC, CPU2_THROTTLED_USEC, CPU2_USAGE_USEC, CPU2_USER_USEC,
	CPU2_N
};
enum {
	M2_ACTIVE_FILE, M2_ANON, M2_ANON_THP, M2_FILE, M2_FILE_DIRTY,
	M2_FILE_MAPPED, M2_FILE_WRITEBACK, M2_INACTIVE_FILE, M2_PGFAULT,
	M2_PGMAJFAULT, M2_PGSCAN, M2_PGSTEAL, M2_SHMEM, M2_WS_REFAULT_ANON,
	M2_WS_REFAULT_FILE, M2_N
};
enum { MEV_HIGH, MEV_MAX, MEV_OOM, MEV_OOM_KILL, MEV_N };

extern const char *const keys_cpuacct[CPUACCT_N];
extern const char *const keys_cpu1[CPU1_N];
extern const char *const keys_oomc[OOMC_N];
extern const char *const keys_mem1[M1_N];
extern const char *const keys_cpu2[CPU2_N];
extern const char *const keys_mem2[M2_N];
extern const char *const keys_mev[MEV_N];

/* Exits if a table is out of order (a programming error). */
void	keys_check(void);

#endif
