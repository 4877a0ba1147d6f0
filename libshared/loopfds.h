/* The descriptors every daemon's poll loop starts from. */
#ifndef CADV_LOOPFDS_H
#define CADV_LOOPFDS_H

/* Ignores SIGPIPE (a closed peer shows as EPIPE), blocks SIGINT, SIGTERM
 * and, with hup, SIGHUP, and returns a signalfd for them; exits on
 * failure. */
int	loop_signalfd(int hup);
/* A non-blocking monotonic timerfd, not armed; exits on failure. */
int	loop_timerfd(void);

#endif
