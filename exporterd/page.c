/*
 * The web page: exporterd/web/'s files, compiled in (webassets.h).  Every
 * page path ("/", "/containers/...", "/docker/...", "/pods/...") gets the
 * same document, whose script routes by the path and draws from the JSON
 * API; its script and style come from /static/, from this server alone
 * (the Content-Security-Policy says so to the browser too).
 */
#include <string.h>

#include "exporterd.h"
#include "webassets.h"

/* the document always revalidated; the files it names carry their
 * checksum in their URL (scripts/webassets), so kept a day */
#define CACHE_PAGE	"no-cache"
#define CACHE_STATIC	"public, max-age=86400, immutable"

static const struct webasset *
asset(const char *name)
{
	size_t i;

	for (i = 0; i < webassets_n; i++)
		if (strcmp(webassets[i].name, name) == 0)
			return &webassets[i];
	return NULL;
}

int
page_path(const char *path)
{
	static const char *const prefixes[] = {
		"/containers", "/docker", "/pods", "/static/"
	};
	size_t i, n;

	if (strcmp(path, "/") == 0)
		return 1;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(path, prefixes[i], n) == 0 &&
		    (path[n] == '\0' || path[n] == '/' || prefixes[i][n - 1] == '/'))
			return 1;
	}
	return 0;
}

void
page_answer(const char *path, struct answer *a)
{
	const struct webasset *w;
	int file = strncmp(path, "/static/", 8) == 0;

	w = asset(file ? path + 8 : "index.html");
	if (w == NULL || (file && strcmp(w->name, "index.html") == 0)) {
		a->status = 404;
		a->type = "text/plain; charset=utf-8";
		buf_puts(&a->body, "not found\n");
		return;
	}
	a->status = 200;
	a->type = w->type;
	a->cache = file ? CACHE_STATIC : CACHE_PAGE;
	a->csp = 1;
	buf_add(&a->body, w->data, w->len);
}
