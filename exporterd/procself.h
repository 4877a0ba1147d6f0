#ifndef PROCSELF_H
#define PROCSELF_H

#include "buf.h"

/* process_cpu_seconds_total, process_max_fds, process_open_fds,
 * process_resident_memory_bytes, process_start_time_seconds and
 * process_virtual_memory_bytes of this process, HELP and TYPE included;
 * a family whose file cannot be read is left out. */
void	procself_metrics(struct buf *);

#endif
