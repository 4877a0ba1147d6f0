/* The libmicrohttpd request handler. */
#ifndef EXPORTERD_HTTP_H
#define EXPORTERD_HTTP_H

#include <microhttpd.h>

enum MHD_Result http_handler(void *cls, struct MHD_Connection *,
	    const char *url, const char *method, const char *version,
	    const char *upload, size_t *upload_size, void **state);

#endif
