/*
 * The HTTP side (libmicrohttpd): GET and HEAD, and POST for the API (as
 * cAdvisor's v1 client sends its ContainerInfoRequest), one answer per
 * request, built by metrics.c, api.c or page.c.  Only an API request's
 * body is read, up to API_BODY_MAX bytes.  An answer with a source
 * (exporterd.h) is sent as the client reads it: libmicrohttpd asks for
 * the next bytes when the socket can take them, and a piece is made only
 * then.  Limits (connections, request size, timeouts) are MHD options set
 * in exporterd.c; conns.c holds the slots.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "cgname.h"
#include "conns.h"
#include "exporterd.h"
#include "hosts.h"
#include "http.h"
#include "log.h"

#define PROM_TYPE	"text/plain; version=0.0.4; charset=utf-8"
/* the page loads and talks to nothing but this server, and no other
 * site may frame it */
#define PAGE_CSP	"default-src 'self'; object-src 'none'; base-uri 'none'; " \
			"frame-ancestors 'none'; form-action 'self'"
/* an answer bigger than this gives its memory back once sent */
#define TRIM_AFTER	(256 * 1024)

/* An API request's body, read before it is answered (the request's state
 * while it comes; announced_marker marks a request without one) */
struct upload {
	size_t	 len;
	int	 unwanted;	/* not an API request's: refused */
	int	 over;		/* longer than API_BODY_MAX: refused */
	char	 b[API_BODY_MAX + 1];
};

/* its address marks a request seen once, without a body */
static int announced_marker;

/* A request's state, from its headers to its answer's last byte */
struct reply {
	struct buf	 b;		/* bytes to send */
	size_t		 off;		/* of them sent */
	struct source	*src;		/* the rest, or NULL */
	int		 ended;		/* src gave its last piece */
	uint64_t	 sent;
	struct MHD_Connection *conn;
	struct reply	*next_waiting;	/* on the waiting list */
	int		 waiting;	/* suspended until the next tick */
};

/*
 * A source with nothing now (SOURCE_WAIT: a stream of events) suspends
 * its connection, which libmicrohttpd then leaves alone (no timeout, no
 * busy loop); the resumer thread resumes every waiting connection each
 * WAIT_TICK, and its source is asked again.
 */
#define WAIT_TICK_MS	250
static pthread_mutex_t waiting_mu = PTHREAD_MUTEX_INITIALIZER;
static struct reply *waiting_head;
static pthread_once_t resumer_once = PTHREAD_ONCE_INIT;
static pthread_t resumer_thread;
static int resumer_started;
static int stopping;		/* http_stop: no connection waits again */

static void *
resumer(void *arg)
{
	struct timespec tick = { 0, WAIT_TICK_MS * 1000000L };
	struct reply *r;

	(void)arg;
	for (;;) {
		nanosleep(&tick, NULL);
		pthread_mutex_lock(&waiting_mu);
		if (stopping) {
			pthread_mutex_unlock(&waiting_mu);
			break;
		}
		while ((r = waiting_head) != NULL) {
			waiting_head = r->next_waiting;
			r->next_waiting = NULL;
			r->waiting = 0;
			MHD_resume_connection(r->conn);
		}
		pthread_mutex_unlock(&waiting_mu);
	}
	return NULL;
}

void
http_stop(void)
{
	struct reply *r;

	pthread_mutex_lock(&waiting_mu);
	stopping = 1;
	while ((r = waiting_head) != NULL) {
		waiting_head = r->next_waiting;
		r->next_waiting = NULL;
		r->waiting = 0;
		MHD_resume_connection(r->conn);
	}
	pthread_mutex_unlock(&waiting_mu);
	/* it sees stopping at its next tick and ends */
	if (__atomic_load_n(&resumer_started, __ATOMIC_ACQUIRE))
		pthread_join(resumer_thread, NULL);
}

static void
start_resumer(void)
{
	if (pthread_create(&resumer_thread, NULL, resumer, NULL) == 0)
		__atomic_store_n(&resumer_started, 1, __ATOMIC_RELEASE);
}

/* 0 when the connection waits for the next tick */
static int
wait_tick(struct reply *r)
{
	pthread_once(&resumer_once, start_resumer);
	if (!__atomic_load_n(&resumer_started, __ATOMIC_ACQUIRE) ||
	    r->conn == NULL)
		return -1;
	pthread_mutex_lock(&waiting_mu);
	if (stopping) {
		pthread_mutex_unlock(&waiting_mu);
		return -1;
	}
	MHD_suspend_connection(r->conn);
	r->waiting = 1;
	r->next_waiting = waiting_head;
	waiting_head = r;
	pthread_mutex_unlock(&waiting_mu);
	return 0;
}

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
    const struct upload *up, struct answer *a)
{
	int rc, needs_store, kubelet;

	/* the kubelet's /metrics/cadvisor: the same series with its labels
	 * (id name image container pod namespace), whatever --labels says,
	 * so that one exporterd serves both kinds of dashboard */
	kubelet = strcmp(url, "/metrics/cadvisor") == 0;
	/* the main thread opens the store once collectord has made it */
	needs_store = strcmp(url, "/metrics") == 0 || kubelet ||
	    strncmp(url, "/api/", 5) == 0;
	if (needs_store && __atomic_load_n(&ex->st, __ATOMIC_ACQUIRE) == NULL) {
		text_answer(a, 503, "no store yet: is collectord running?\n");
		return;
	}
	if (strcmp(url, "/metrics") == 0 || kubelet) {
		if ((rc = metrics_answer(ex, kubelet ? LABELS_KUBELET :
		    ex->label_mode, a)) != 0) {
			buf_free(&a->body);
			text_answer(a, rc == ENOMEM ? 500 : 503, "store: ");
			buf_puts(&a->body, cadv_strerror(rc));
			buf_add(&a->body, "\n", 1);
			return;
		}
		a->type = PROM_TYPE;
	} else if (strcmp(url, "/healthz") == 0)
		text_answer(a, 200, "ok");
	else if (strncmp(url, "/api/", 5) == 0)
		api_answer(ex, url, query, conn, up ? up->b : NULL,
		    up ? up->len : 0, a);
	else if (page_path(url))
		page_answer(url, a);
	else
		text_answer(a, 404, "not found\n");
}

static ssize_t
reply_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct reply *r = cls;
	size_t n;
	int rc;

	(void)pos;
	while (r->off == r->b.len) {
		if (r->src == NULL || r->ended)
			return MHD_CONTENT_READER_END_OF_STREAM;
		r->b.len = 0;
		r->off = 0;
		rc = r->src->fill(r->src, &r->b);
		if (rc == SOURCE_WAIT && !r->b.oom && r->b.len == 0) {
			if (wait_tick(r) == 0)
				return 0;
			rc = SOURCE_END;	/* no way to wait: the end */
		}
		if (r->b.oom || (rc != 0 && rc != SOURCE_END &&
		    rc != SOURCE_WAIT)) {
			/* too late for a status: cutting the connection
			 * tells the client the answer is incomplete */
			log_warnx("an answer cut after %llu bytes: %s",
			    (unsigned long long)r->sent, r->b.oom ?
			    "out of memory" : cadv_strerror(rc));
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		r->ended = rc == SOURCE_END;
		trim_store_pages(TRIM_WALKING);
	}
	n = r->b.len - r->off;
	if (n > max)
		n = max;
	memcpy(out, r->b.p + r->off, n);
	r->off += n;
	r->sent += n;
	return (ssize_t)n;
}

static void
reply_free(void *cls)
{
	struct reply *r = cls, **pp;
	int big = r->b.cap > TRIM_AFTER || r->src != NULL;

	/* never while suspended, but at the daemon's end perhaps */
	pthread_mutex_lock(&waiting_mu);
	for (pp = &waiting_head; *pp != NULL; pp = &(*pp)->next_waiting)
		if (*pp == r) {
			*pp = r->next_waiting;
			break;
		}
	pthread_mutex_unlock(&waiting_mu);
	if (r->src != NULL)
		r->src->release(r->src);
	buf_free(&r->b);
	free(r);
	if (big)
		trim_memory();
}

static struct MHD_Response *
response(struct MHD_Connection *conn, struct answer *a)
{
	struct MHD_Response *resp;
	struct reply *r;
	uint64_t size;

	if (a->src == NULL && a->body.len <= TRIM_AFTER)
		return MHD_create_response_from_buffer(a->body.len, a->body.p,
		    MHD_RESPMEM_MUST_FREE);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->b = a->body;
	r->src = a->src;
	r->conn = conn;
	size = a->src ? a->src->size : a->body.len;
	resp = MHD_create_response_from_callback(size == UINT64_MAX ?
	    MHD_SIZE_UNKNOWN : size, PIECE_SIZE, reply_read, r, reply_free);
	if (resp == NULL) {
		free(r);
		return NULL;
	}
	/* the reply owns them now */
	a->body = (struct buf){ 0 };
	a->src = NULL;
	return resp;
}

static enum MHD_Result
queue_text(struct MHD_Connection *conn, unsigned status, const char *text,
    const char *hname, const char *hval)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (hname != NULL)
		MHD_add_response_header(r, hname, hval);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
count_host(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	(void)value;
	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		(*(unsigned *)cls)++;
	return MHD_YES;
}

/* 421 for a Host this server does not answer to (hosts.h) */
static enum MHD_Result
misdirected(struct MHD_Connection *conn, const char *host)
{
	char esc[CGNAME_ESCAPED_MAX(128)], msg[1024];

	if (host != NULL)
		cgname_escape(host, strnlen(host, 128), esc, sizeof(esc));
	snprintf(msg, sizeof(msg), "421 Misdirected Request: this server does "
	    "not answer to the host %s%s%s (a page of another site may be "
	    "reading it through DNS rebinding; exporterd --allowed-hosts NAME "
	    "lets a name in)\n", host ? "\"" : "", host ? esc :
	    "(none; HTTP/1.1 needs one)", host ? "\"" : "");
	return queue_text(conn, 421, msg, NULL, NULL);
}

/* 401 or 429 for a request that may not be answered (auth.h) */
static enum MHD_Result
unauthorized(struct MHD_Connection *conn, const struct auth *au,
    enum auth_verdict v)
{
	char chal[256];

	if (v == AUTH_BUSY)
		return queue_text(conn, 429, "429 Too Many Requests: too many "
		    "passwords to check this second; retry later\n",
		    MHD_HTTP_HEADER_RETRY_AFTER, "1");
	snprintf(chal, sizeof(chal), "Basic realm=\"%s\", charset=\"UTF-8\"",
	    au->realm);
	return queue_text(conn, 401, "401 Unauthorized: a user and password "
	    "are wanted (HTTP basic authentication)\n",
	    MHD_HTTP_HEADER_WWW_AUTHENTICATE, chal);
}

static void
answer_free(struct answer *a)
{
	if (a->src != NULL)
		a->src->release(a->src);
	a->src = NULL;
	buf_free(&a->body);
}

enum MHD_Result
http_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **state)
{
	struct exporter *ex = cls;
	struct MHD_Response *r;
	struct answer a = { 0, NULL, { 0 }, NULL, NULL, 0 };
	struct upload *up = NULL;
	enum auth_verdict v;
	enum MHD_Result ret;
	const char *host;
	unsigned nhost;
	size_t body;
	int head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
	int api = strncmp(url, "/api/", 5) == 0;
	int post = api && strcmp(method, MHD_HTTP_METHOD_POST) == 0;

	/* the first call only announces the request: answer on the second,
	 * so that a body is not read before the checks below (and one not
	 * wanted is refused) */
	if (*state == NULL) {
		*state = &announced_marker;
		conns_request(conn);
		return MHD_YES;
	}
	/* A body comes in pieces before the call that answers: kept for
	 * an API request, up to API_BODY_MAX bytes, else passed over (an
	 * answer may not be queued while it comes) and refused at the end */
	if (*state != &announced_marker)
		up = *state;
	if ((body = *upload_size) != 0) {
		*upload_size = 0;
		if (up == NULL) {
			if ((up = malloc(sizeof(*up))) == NULL)
				return MHD_NO;
			up->len = 0;
			up->unwanted = up->over = 0;
			*state = up;
		}
		if (!api || (!get && !post))
			up->unwanted = 1;
		else if (body > API_BODY_MAX - up->len)
			up->over = 1;
		if (!up->unwanted && !up->over) {
			memcpy(up->b + up->len, upload, body);
			up->len += body;
			up->b[up->len] = '\0';
		}
		return MHD_YES;
	}
	host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	nhost = 0;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_host, &nhost);
	if (nhost > 1)
		return queue_text(conn, 400, "400 Bad Request: more than one "
		    "Host header\n", NULL, NULL);
	if (!hostcheck_ok(ex->hosts, host,
	    strcmp(version, MHD_HTTP_VERSION_1_0) == 0))
		return misdirected(conn, host);
	if (ex->auth != NULL && strcmp(url, "/healthz") != 0 &&
	    (v = auth_check(ex->auth, MHD_lookup_connection_value(conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))) != AUTH_OK)
		return unauthorized(conn, ex->auth, v);
	if (!head && !get && !post)
		text_answer(&a, 405, api ? "only GET, HEAD and POST\n" :
		    "only GET and HEAD\n");
	else if (up != NULL && up->unwanted)
		text_answer(&a, 400, "no request body expected\n");
	else if (up != NULL && up->over)
		json_error(&a, 413, "a request body holds a "
		    "ContainerInfoRequest, a few hundred bytes at most");
	else
		dispatch(ex, conn, url, up, &a);
	if (a.body.oom) {
		answer_free(&a);
		text_answer(&a, 500, "out of memory\n");
	}
	if ((r = response(conn, &a)) == NULL) {
		answer_free(&a);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a.type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (a.cache != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
		    a.cache);
	if (a.csp)
		MHD_add_response_header(r, "Content-Security-Policy", PAGE_CSP);
	if (a.status == 405)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, api ?
		    "GET, HEAD, POST" : "GET, HEAD");
	ret = MHD_queue_response(conn, a.status, r);
	MHD_destroy_response(r);
	return ret;
}

void
http_completed(void *cls, struct MHD_Connection *conn, void **state,
    enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)code;
	/* an API request's body (the static marker otherwise) */
	if (state != NULL && *state != NULL && *state != &announced_marker)
		free(*state);
	conns_answered(conn);
	trim_store_pages(TRIM_DONE);
}
