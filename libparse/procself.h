/* This process's own figures, as the Prometheus client libraries give
 * every exporter in process_*: cpu time, memory, start time and
 * descriptors, from /proc/self.  Daemons store theirs (storeproc.h) so
 * that exporterd can export them beside its own. */
#ifndef CADV_PROCSELF_H
#define CADV_PROCSELF_H

#include "cadv.h"

/* Fills what it can read into *p (p->present marks it) and returns 0, or
 * -1 when nothing could be read.  The boot time is read once and kept
 * (a sandboxed caller reads it before its filter, with procself_init). */
int	procself_read(struct cadv_process *p);
void	procself_init(void);

#endif
