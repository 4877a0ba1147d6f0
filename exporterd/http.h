/* The libmicrohttpd request handler. */
#ifndef EXPORTERD_HTTP_H
#define EXPORTERD_HTTP_H

#include <microhttpd.h>

enum MHD_Result http_handler(void *cls, struct MHD_Connection *,
	    const char *url, const char *method, const char *version,
	    const char *upload, size_t *upload_size, void **state);
/* Before MHD_stop_daemon: connections waiting for a stream's next events
 * are resumed and none waits again (their streams end) */
void	http_stop(void);
/* MHD_OPTION_NOTIFY_COMPLETED: the answer is out (or the request died) */
void	http_completed(void *cls, struct MHD_Connection *, void **state,
	    enum MHD_RequestTerminationCode);

#endif
