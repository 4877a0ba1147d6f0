/* Identities in cadvctl's text output: the NAME, IMAGE and POD cells (or
 * --k8s NAMESPACE, POD, CONTAINER) of ls, top and idents, and the
 * containers an ambiguous name matched.  Identity strings are a
 * runtime's bytes: every one goes out through cgname_escape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "clock.h"

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
	char esc[CGNAME_ESCAPED_MAX(CADV_IDENT_STR_MAX)];
	size_t n, i, o, cols, t;

	if (len == 0) {
		strcpy(out, "-");
		return;
	}
	if (len > CADV_IDENT_STR_MAX)
		len = CADV_IDENT_STR_MAX;
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
ctl_cells(const struct cadv_ident *id, struct ctl_cells *cl)
{
	char pod[2 * CADV_IDENT_STR_MAX + 1];
	const char *name, *cid, *ns, *p;
	size_t nl, il, nsl, pl;
	int i;

	if (id == NULL) {
		for (i = 0; i < COL_COUNT; i++)
			strcpy(cl->c[i], "-");
		return;
	}
	name = cadv_ident_str(id, CADV_IS_NAME, &nl);
	cid = cadv_ident_str(id, CADV_IS_ID, &il);
	/* containerd's name is its id: short, as an id is shown (and a
	 * prefix that long resolves) */
	if (nl > ID_SHORT && nl == il && memcmp(name, cid, nl) == 0)
		nl = ID_SHORT;
	ctl_cell(name, nl, cl->c[COL_NAME]);
	name = cadv_ident_str(id, CADV_IS_IMAGE, &nl);
	ctl_cell(name, nl, cl->c[COL_IMAGE]);
	ns = cadv_ident_str(id, CADV_IS_POD_NAMESPACE, &nsl);
	p = cadv_ident_str(id, CADV_IS_POD_NAME, &pl);
	ctl_cell(ns, nsl, cl->c[COL_NAMESPACE]);
	ctl_cell(p, pl, cl->c[COL_PODNAME]);
	name = cadv_ident_str(id, CADV_IS_CONTAINER_NAME, &nl);
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

/* ---- what an ambiguous name matched (cadv_ident_matches) ---- */
struct listing {
	size_t		 shown, more;
};

static int
list_cb(const struct cadv_ident *id, void *arg)
{
	struct listing *m = arg;
	struct ctl_cells *cl;
	const char *cg, *cid;
	size_t cl_len, il;

	if (m->shown == MATCHES_SHOWN) {
		m->more++;
		return 0;
	}
	if ((cl = malloc(sizeof(*cl))) == NULL)
		return 0;
	m->shown++;
	ctl_cells(id, cl);
	cid = cadv_ident_str(id, CADV_IS_ID, &il);
	cg = cadv_ident_str(id, CADV_IS_CGROUP, &cl_len);
	fprintf(stderr, "  %s ", *cadv_runtime_name(id->runtime) ?
	    cadv_runtime_name(id->runtime) : "-");
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
ctl_list_matches(struct cadv_txn *txn, const char *q, size_t len)
{
	struct listing m = { 0, 0 };

	if (cadv_ident_matches(txn, q, len, list_cb, &m) != 0)
		return;
	if (m.more > 0)
		fprintf(stderr, "  and %zu more\n", m.more);
}

/* its labels or env (cadv_ident_label_at / cadv_ident_env_at) */
static void
put_kvs(const char *what, const struct cadv_ident *id,
    int (*at)(const struct cadv_ident *, size_t, const char **,
    const char **))
{
	const char *k, *v;
	size_t i;

	for (i = 0; at(id, i, &k, &v) == 0; i++) {
		printf("  identity %s ", what);
		cgname_fputs(k, strlen(k), stdout);
		putchar('=');
		cgname_fputs(v, strlen(v), stdout);
		putchar('\n');
	}
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
ctl_print_ident(const struct cadv_ident *id)
{
	const char *s;
	size_t len;
	uint32_t i;

	printf("  identity runtime %s\n", *cadv_runtime_name(id->runtime) ?
	    cadv_runtime_name(id->runtime) : "unknown");
	for (i = 0; i < CADV_IS_COUNT; i++) {
		if (i == CADV_IS_CGROUP)
			continue;	/* the container's name, above */
		s = cadv_ident_str(id, (enum cadv_ident_str)i, &len);
		if (len == 0)
			continue;
		printf("  identity %s ", cadv_ident_str_name((enum cadv_ident_str)i));
		cgname_fputs(s, len, stdout);
		putchar('\n');
	}
	put_kvs("label", id, cadv_ident_label_at);
	put_kvs("env", id, cadv_ident_env_at);
	if (id->flags & CADV_IDF_SANDBOX)
		printf("  identity sandbox (the pod's pause container)\n");
	if (id->flags & CADV_IDF_POD)
		printf("  identity pod cgroup\n");
	put_time("created", id->created_ns);
	put_time("started", id->started_ns);
	if (id->flags & CADV_IDF_EXITED) {
		put_time("finished", id->finished_ns);
		printf("  identity exit_code %d%s\n", (int)id->exit_code,
		    id->flags & CADV_IDF_OOM_KILLED ? " (OOM killed)" : "");
	} else if (id->flags & CADV_IDF_OOM_KILLED)
		printf("  identity oom_killed\n");
	if (id->restart_count != 0)
		printf("  identity restart_count %u\n",
		    (unsigned)id->restart_count);
	if (id->pid != 0)
		printf("  identity pid %u\n", (unsigned)id->pid);
	put_time("first_stored", id->seen_ns);
	put_time("gone", id->gone_ns);
}
