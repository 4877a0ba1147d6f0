/*
 * The web page's files (exporterd/web/), compiled in by scripts/webassets
 * at build time: exporterd needs no file at run time.
 */
#ifndef CADV_WEBASSETS_H
#define CADV_WEBASSETS_H

#include <stddef.h>

struct webasset {
	const char		*name;	/* "app.js" */
	const char		*type;	/* its Content-Type */
	const unsigned char	*data;
	size_t			 len;
};

extern const struct webasset webassets[];
extern const size_t webassets_n;

#endif
