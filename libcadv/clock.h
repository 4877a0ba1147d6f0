/* Time as cadv stores it: u64 nanoseconds since the Unix epoch. */
#ifndef CADV_CLOCK_H
#define CADV_CLOCK_H

#include <stddef.h>
#include <stdint.h>

uint64_t clock_now_ns(void);		/* CLOCK_REALTIME */
uint64_t clock_mono_ns(void);		/* CLOCK_MONOTONIC */

#define RFC3339_LEN	40
/* "2026-11-26T21:06:26.123456789Z" (UTC, nanoseconds). */
void	clock_rfc3339(uint64_t ns, char *buf, size_t sz);
/* Accepts RFC 3339 with optional fraction and Z or +hh:mm; -1 if not. */
int	clock_parse_rfc3339(const char *, uint64_t *ns);

#endif
