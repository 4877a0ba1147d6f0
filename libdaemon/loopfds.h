/* The descriptors every daemon's poll loop starts from. */
#ifndef CADV_LOOPFDS_H
#define CADV_LOOPFDS_H

#include <stdint.h>

/* Ignores SIGPIPE (a closed peer shows as EPIPE), blocks SIGINT, SIGTERM
 * and, with hup, SIGHUP, and returns a signalfd for them; exits on
 * failure. */
int	loop_signalfd(int hup);
/* A non-blocking monotonic timerfd, not armed; exits on failure. */
int	loop_timerfd(void);
/* Fires every ns from now on (0: disarmed); exits on failure. */
void	loop_timer_every(int tfd, uint64_t ns);

#endif
