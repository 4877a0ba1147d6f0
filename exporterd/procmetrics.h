#ifndef PROCMETRICS_H
#define PROCMETRICS_H

#include "buf.h"
#include "cadv.h"

/* The daemons whose stored process figures exporterd exports: every
 * writer (cadv.h's CADV_WRITERS). */
#define PROC_DAEMONS	CADV_W_COUNT

/* process_cpu_seconds_total, process_max_fds, process_open_fds,
 * process_resident_memory_bytes, process_start_time_seconds and
 * process_virtual_memory_bytes, a series labelled daemon="NAME" each:
 * exporterd's own, then the others' stored figures (others[w] for writer w; one
 * whose present is 0 is left out), timestamped when they were read.  A
 * field nobody could read costs its family. */
void	procmetrics(struct buf *, const struct cadv_process *others);

#endif
