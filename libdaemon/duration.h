/* Durations on the command line, as Go prints them: "500ms", "1s", "2m",
 * "1h30m", "24h"; also "ns" and "us". */
#ifndef CADV_DURATION_H
#define CADV_DURATION_H

#include <stdint.h>

/* -1 on anything else (no unit, overflow, negative). */
int	duration_parse(const char *, uint64_t *ns);

#define NS_PER_US	1000ULL
#define NS_PER_MS	1000000ULL
#define NS_PER_SEC	1000000000ULL

#endif
