/* Identities in cadvctl's text output: the NAME, IMAGE and POD cells (or
 * --k8s NAMESPACE, POD, CONTAINER) of ls, top and idents, and the
 * containers an ambiguous name matched.  Identity strings are a
 * runtime's bytes: every one goes out through cgname_escape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "clock.h"
#include "ident.h"
#include "storeident.h"

#define ID_SHORT	12	/* an id in a column, as docker ps */
#define MATCHES_SHOWN	20

static const char *const titles[COL_COUNT] = {
	[COL_NAME] = "NAME", [COL_IMAGE] = "IMAGE", [COL_POD] = "POD",
	[COL_NAMESPACE] = "NAMESPACE", [COL_PODNAME] = "POD",
	[COL_CONTAINER] = "CONTAINER",
};

size_t
ctl_cols(int k8s, enum ctl_col cols[COL_COUNT])
{
	size_t n = 0;

	if (k8s) {
		cols[n++] = COL_NAMESPACE;
		cols[n++] = COL_PODNAME;
		cols[n++] = COL_CONTAINER;
		cols[n++] = COL_IMAGE;
	} else {
		cols[n++] = COL_NAME;
		cols[n++] = COL_IMAGE;
		cols[n++] = COL_POD;
	}
	return n;
}

const char *
ctl_col_title(enum ctl_col c)
{
	return (unsigned)c < COL_COUNT ? titles[c] : "";
}

/* The bytes of one token of escaped text at s (n bytes left): "\\\\",
 * "\\xNN", or one UTF-8 sequence (cgname_escape writes only valid ones;
 * bounded by n all the same). */
static size_t
tok_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t l;

	if (c == '\\')
		l = n > 1 && s[1] == 'x' ? 4 : 2;
	else if (c < 0x80)
		l = 1;
	else if (c >= 0xf0)
		l = 4;
	else if (c >= 0xe0)
		l = 3;
	else
		l = 2;
	return l < n ? l : n;
}

size_t
ctl_text_cols(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void
ctl_cell(const char *s, size_t len, char *out)
{
	static char esc[CGNAME_ESCAPED_MAX(IDENT_STR_MAX)];
	size_t n, i, o, cols, t;

	if (len == 0) {
		strcpy(out, "-");
		return;
	}
	if (len > IDENT_STR_MAX)
		len = IDENT_STR_MAX;
	n = cgname_escape(s, len, esc, sizeof(esc));
	if (n >= sizeof(esc))
		n = sizeof(esc) - 1;
	esc[n] = '\0';
	if (ctl_text_cols(esc) <= CTL_CELL_COLS && n < CTL_CELL_SZ) {
		memcpy(out, esc, n + 1);
		return;
	}
	/* whole tokens only: a cut escape would read as another byte */
	for (i = o = cols = 0; i < n && cols < CTL_CELL_COLS - 3; cols++) {
		t = tok_len(esc + i, n - i);
		memcpy(out + o, esc + i, t);
		o += t;
		i += t;
	}
	memcpy(out + o, "...", 4);
}

void
ctl_put_cell(const char *s, size_t width)
{
	size_t c = ctl_text_cols(s);

	fputs(s, stdout);
	for (; c < width; c++)
		putchar(' ');
	fputs("  ", stdout);
}

void
ctl_cells(const struct ident *id, struct ctl_cells *cl)
{
	static char pod[2 * IDENT_STR_MAX + 1];
	const char *name, *cid, *ns, *p;
	size_t nl, il, nsl, pl;
	int i;

	if (id == NULL) {
		for (i = 0; i < COL_COUNT; i++)
			strcpy(cl->c[i], "-");
		return;
	}
	name = ident_get(id, IS_NAME, &nl);
	cid = ident_get(id, IS_ID, &il);
	/* containerd's name is its id: short, as an id is shown (and a
	 * prefix that long resolves) */
	if (nl > ID_SHORT && nl == il && memcmp(name, cid, nl) == 0)
		nl = ID_SHORT;
	ctl_cell(name, nl, cl->c[COL_NAME]);
	name = ident_get(id, IS_IMAGE, &nl);
	ctl_cell(name, nl, cl->c[COL_IMAGE]);
	ns = ident_get(id, IS_POD_NAMESPACE, &nsl);
	p = ident_get(id, IS_POD_NAME, &pl);
	ctl_cell(ns, nsl, cl->c[COL_NAMESPACE]);
	ctl_cell(p, pl, cl->c[COL_PODNAME]);
	name = ident_get(id, IS_CONTAINER_NAME, &nl);
	ctl_cell(name, nl, cl->c[COL_CONTAINER]);
	if (pl == 0)
		ctl_cell("", 0, cl->c[COL_POD]);
	else if (nsl == 0)
		ctl_cell(p, pl, cl->c[COL_POD]);
	else {
		memcpy(pod, ns, nsl);
		pod[nsl] = '/';
		memcpy(pod + nsl + 1, p, pl);
		ctl_cell(pod, nsl + 1 + pl, cl->c[COL_POD]);
	}
}

/* ---- what an ambiguous name matched ----
 * store_ident_resolve's steps again (storeident.h): an id, a name,
 * namespace/pod/container, an id prefix of 3 bytes or more; it stops at
 * the first step anything matches, and that step is ambiguous when it
 * matched several live containers. */
enum step { BY_ID, BY_NAME, BY_K8S, BY_PREFIX, STEPS };

struct matches {
	const char	*q, *ns, *pod, *ctr;
	size_t		 len, nsl, podl, ctrl;
	int		 any[STEPS];
	int		 step;		/* second pass: the one listed */
	size_t		 shown, more;
};

static int
str_is(const struct ident *id, enum ident_str s, const char *p, size_t len)
{
	size_t l;
	const char *v = ident_get(id, s, &l);

	return l == len && memcmp(v, p, len) == 0;
}

static int
step_matches(const struct matches *m, const struct ident *id, int step)
{
	size_t l;
	const char *v;

	switch (step) {
	case BY_ID:
		return str_is(id, IS_ID, m->q, m->len);
	case BY_NAME:
		return str_is(id, IS_NAME, m->q, m->len);
	case BY_K8S:
		return m->ns != NULL && !(id->flags & IDF_SANDBOX) &&
		    str_is(id, IS_POD_NAMESPACE, m->ns, m->nsl) &&
		    str_is(id, IS_POD_NAME, m->pod, m->podl) &&
		    str_is(id, IS_CONTAINER_NAME, m->ctr, m->ctrl);
	case BY_PREFIX:
		v = ident_get(id, IS_ID, &l);
		return m->len >= 3 && l > m->len &&
		    memcmp(v, m->q, m->len) == 0;
	}
	return 0;
}

static int
count_cb(const struct ident *id, void *arg)
{
	struct matches *m = arg;
	int s;

	for (s = 0; s < STEPS; s++)
		if (step_matches(m, id, s))
			m->any[s] = 1;
	return 0;
}

static int
list_cb(const struct ident *id, void *arg)
{
	struct matches *m = arg;
	struct ctl_cells *cl;
	const char *cg, *cid;
	size_t cl_len, il;

	if (id->gone_ns != 0 || !step_matches(m, id, m->step))
		return 0;
	if (m->shown == MATCHES_SHOWN) {
		m->more++;
		return 0;
	}
	if ((cl = malloc(sizeof(*cl))) == NULL)
		return 0;
	m->shown++;
	ctl_cells(id, cl);
	cid = ident_get(id, IS_ID, &il);
	cg = ident_get(id, IS_CGROUP, &cl_len);
	fprintf(stderr, "  %s ", *ident_runtime_name(id->runtime) ?
	    ident_runtime_name(id->runtime) : "-");
	cgname_fputs(cid, il < ID_SHORT ? il : ID_SHORT, stderr);
	fprintf(stderr, "  name %s", cl->c[COL_NAME]);
	if (strcmp(cl->c[COL_POD], "-") != 0)
		fprintf(stderr, "  pod %s  container %s", cl->c[COL_POD],
		    cl->c[COL_CONTAINER]);
	fprintf(stderr, "  cgroup ");
	cgname_fputs(cg, cl_len, stderr);
	fputc('\n', stderr);
	free(cl);
	return 0;
}

void
ctl_list_matches(struct ctl *ctl, MDB_txn *txn, const char *q, size_t len)
{
	struct matches m;
	const char *s1, *s2, *end = q + len;

	memset(&m, 0, sizeof(m));
	m.q = q;
	m.len = len;
	if ((s1 = memchr(q, '/', len)) != NULL && s1 != q &&
	    (s2 = memchr(s1 + 1, '/', (size_t)(end - s1 - 1))) != NULL &&
	    s2 > s1 + 1 && s2 + 1 < end &&
	    memchr(s2 + 1, '/', (size_t)(end - s2 - 1)) == NULL) {
		m.ns = q;
		m.nsl = (size_t)(s1 - q);
		m.pod = s1 + 1;
		m.podl = (size_t)(s2 - s1 - 1);
		m.ctr = s2 + 1;
		m.ctrl = (size_t)(end - s2 - 1);
	}
	if (store_idents_each(ctl->st, txn, count_cb, &m) != 0)
		return;
	for (m.step = 0; m.step < STEPS && !m.any[m.step]; m.step++)
		;
	if (m.step == STEPS ||
	    store_idents_each(ctl->st, txn, list_cb, &m) != 0)
		return;
	if (m.more > 0)
		fprintf(stderr, "  and %zu more\n", m.more);
}

static void
put_kv(const char *what, const struct ident *id, const struct ident_kv *kv)
{
	printf("  identity %s ", what);
	cgname_fputs(ident_span_str(id, kv->k), kv->k.len, stdout);
	putchar('=');
	cgname_fputs(ident_span_str(id, kv->v), kv->v.len, stdout);
	putchar('\n');
}

static void
put_time(const char *what, uint64_t ns)
{
	char when[RFC3339_LEN];

	if (ns == 0)
		return;
	clock_rfc3339(ns, when, sizeof(when));
	printf("  identity %s %s\n", what, when);
}

void
ctl_print_ident(const struct ident *id)
{
	const char *s;
	size_t len;
	uint32_t i;

	printf("  identity runtime %s\n", *ident_runtime_name(id->runtime) ?
	    ident_runtime_name(id->runtime) : "unknown");
	for (i = 0; i < IS_COUNT; i++) {
		if (i == IS_CGROUP)
			continue;	/* the container's name, above */
		s = ident_get(id, (enum ident_str)i, &len);
		if (len == 0)
			continue;
		printf("  identity %s ", ident_str_name((enum ident_str)i));
		cgname_fputs(s, len, stdout);
		putchar('\n');
	}
	for (i = 0; i < id->nlabels; i++)
		put_kv("label", id, &id->labels[i]);
	for (i = 0; i < id->nenv; i++)
		put_kv("env", id, &id->env[i]);
	if (id->flags & IDF_SANDBOX)
		printf("  identity sandbox (the pod's pause container)\n");
	if (id->flags & IDF_POD)
		printf("  identity pod cgroup\n");
	put_time("created", id->created_ns);
	put_time("started", id->started_ns);
	if (id->flags & IDF_EXITED) {
		put_time("finished", id->finished_ns);
		printf("  identity exit_code %d%s\n", (int)id->exit_code,
		    id->flags & IDF_OOM_KILLED ? " (OOM killed)" : "");
	} else if (id->flags & IDF_OOM_KILLED)
		printf("  identity oom_killed\n");
	if (id->restart_count != 0)
		printf("  identity restart_count %u\n",
		    (unsigned)id->restart_count);
	if (id->pid != 0)
		printf("  identity pid %u\n", (unsigned)id->pid);
	put_time("first_stored", id->seen_ns);
	put_time("gone", id->gone_ns);
}
