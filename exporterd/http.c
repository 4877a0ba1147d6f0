/*
 * The HTTP side (libmicrohttpd): GET and HEAD only, one answer per
 * request, each built from one read transaction by metrics.c, api.c or
 * page.c.  Limits (connections, request size, timeouts) are MHD options
 * set in exporterd.c.
 */
#include <string.h>

#include "exporterd.h"
#include "http.h"
#include "log.h"

#define PROM_TYPE	"text/plain; version=0.0.4; charset=utf-8"

static const char *
query(void *req, const char *key)
{
	return MHD_lookup_connection_value(req, MHD_GET_ARGUMENT_KIND, key);
}

static void
text_answer(struct answer *a, unsigned status, const char *s)
{
	a->status = status;
	a->type = "text/plain; charset=utf-8";
	buf_puts(&a->body, s);
}

static void
dispatch(struct exporter *ex, struct MHD_Connection *conn, const char *url,
    struct answer *a)
{
	int rc, needs_store;

	/* the main thread opens the store once collectord has made it */
	needs_store = strcmp(url, "/metrics") == 0 ||
	    strncmp(url, "/api/", 5) == 0;
	if (needs_store && __atomic_load_n(&ex->st, __ATOMIC_ACQUIRE) == NULL) {
		text_answer(a, 503, "no store yet: is collectord running?\n");
		return;
	}
	if (strcmp(url, "/metrics") == 0) {
		if ((rc = metrics_render(ex, &a->body)) != 0) {
			buf_free(&a->body);
			text_answer(a, 503, "store: ");
			buf_puts(&a->body, store_strerror(rc));
			buf_add(&a->body, "\n", 1);
			return;
		}
		a->status = 200;
		a->type = PROM_TYPE;
	} else if (strcmp(url, "/healthz") == 0)
		text_answer(a, 200, "ok");
	else if (strncmp(url, "/api/", 5) == 0)
		api_answer(ex, url, query, conn, a);
	else if (strcmp(url, "/") == 0 || strncmp(url, "/containers", 11) == 0)
		page_answer(url, a);
	else
		text_answer(a, 404, "not found\n");
}

enum MHD_Result
http_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **state)
{
	struct exporter *ex = cls;
	struct MHD_Response *r;
	struct answer a = { 0, NULL, { 0 } };
	static int announced;	/* its address marks a request seen once */
	enum MHD_Result ret;
	int head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;

	(void)version;
	(void)upload;
	/* the first call only announces the request: answer on the second,
	 * so that a body (refused below) is not read into memory first */
	if (*state == NULL) {
		*state = &announced;
		return MHD_YES;
	}
	if (!head && strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
		text_answer(&a, 405, "only GET and HEAD\n");
	} else if (*upload_size != 0) {
		text_answer(&a, 400, "no request body expected\n");
		*upload_size = 0;
	} else
		dispatch(ex, conn, url, &a);
	if (a.body.oom) {
		buf_free(&a.body);
		text_answer(&a, 500, "out of memory\n");
	}
	r = MHD_create_response_from_buffer(a.body.len, a.body.p,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		buf_free(&a.body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a.type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (a.status == 405)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, a.status, r);
	MHD_destroy_response(r);
	return ret;
}
