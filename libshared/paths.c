#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int
fits(int n, size_t sz)
{
	return n >= 0 && (size_t)n < sz ? 0 : -1;
}

int
paths_store(const char *arg, char *buf, size_t sz)
{
	const char *env;

	if (arg != NULL)
		return arg[0] == '\0' ? -1 : fits(snprintf(buf, sz, "%s", arg), sz);
	/* An empty or relative value in the environment is a mistake, not a
	 * request for the current directory. */
	if ((env = getenv(CADV_STORE_ENV)) != NULL && env[0] != '\0')
		return env[0] == '/' ? fits(snprintf(buf, sz, "%s", env), sz) : -1;
	if (geteuid() == 0)
		return fits(snprintf(buf, sz, "%s", CADV_STORE_ROOT), sz);
	if ((env = getenv("XDG_RUNTIME_DIR")) != NULL && env[0] == '/')
		return fits(snprintf(buf, sz, "%s/cadv", env), sz);
	return fits(snprintf(buf, sz, "/tmp/cadv-%u", (unsigned)geteuid()), sz);
}
