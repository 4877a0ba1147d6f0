/* Where things live, one rule for every program: --store DIR, else
 * $CADV_STORE, else /run/cadv for root and $XDG_RUNTIME_DIR/cadv or
 * /tmp/cadv-$UID for anyone else. */
#ifndef CADV_PATHS_H
#define CADV_PATHS_H

#include <stddef.h>

#define CADV_STORE_ENV		"CADV_STORE"
#define CADV_STORE_ROOT		"/run/cadv"

/* Fills buf with the store directory; arg is the --store value or NULL.
 * -1 if the result does not fit or an environment value is unusable. */
int	paths_store(const char *arg, char *buf, size_t bufsz);

#endif
