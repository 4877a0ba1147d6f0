/* cadvctl idents: every identity the store keeps, the runtime's gone
 * containers included (their exit code and OOM kill), oldest first. */
#include <bsd/stdlib.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "clock.h"
#include "jsonfmt.h"

#define ID_SHORT	12

struct id_row {
	uint64_t		 seen_ns;
	size_t			 keyorder;	/* ties keep key order */
	struct json_object	*json;		/* --json */
	/* text */
	char			 seen[RFC3339_LEN], gone[RFC3339_LEN];
	char			 exit[32];
	const char		*runtime;
	char			 id[CTL_CELL_SZ];
	struct ctl_cells	 cells;
	char			*cgroup;	/* escaped */
};

struct id_ctx {
	int		 json;
	struct id_row	*rows;
	size_t		 n, cap;
};

static int
id_one(const struct cadv_ident *id, void *arg)
{
	struct id_ctx *ctx = arg;
	struct id_row *r;
	const char *s;
	size_t len;

	if (ctx->n == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 64;
		struct id_row *nr = reallocarray(ctx->rows, cap, sizeof(*nr));

		if (nr == NULL)
			return ENOMEM;
		ctx->rows = nr;
		ctx->cap = cap;
	}
	r = &ctx->rows[ctx->n];
	memset(r, 0, sizeof(*r));
	r->seen_ns = id->seen_ns;
	r->keyorder = ctx->n;
	if (ctx->json) {
		r->json = jsonfmt_ident(id);
		json_object_object_add(r->json, "first_stored",
		    jsonfmt_time(id->seen_ns));
		json_object_object_add(r->json, "first_stored_ns",
		    json_object_new_uint64(id->seen_ns));
		if (id->gone_ns != 0) {
			json_object_object_add(r->json, "gone",
			    jsonfmt_time(id->gone_ns));
			json_object_object_add(r->json, "gone_ns",
			    json_object_new_uint64(id->gone_ns));
		}
		ctx->n++;
		return 0;
	}
	s = cadv_ident_str(id, CADV_IS_CGROUP, &len);
	if ((r->cgroup = malloc(CGNAME_ESCAPED_MAX(len))) == NULL)
		return ENOMEM;
	ctx->n++;
	cgname_escape(s, len, r->cgroup, CGNAME_ESCAPED_MAX(len));
	clock_rfc3339(id->seen_ns, r->seen, sizeof(r->seen));
	if (id->gone_ns != 0)
		clock_rfc3339(id->gone_ns, r->gone, sizeof(r->gone));
	else
		strcpy(r->gone, "-");
	if (id->flags & CADV_IDF_EXITED)
		snprintf(r->exit, sizeof(r->exit), "%d%s", (int)id->exit_code,
		    id->flags & CADV_IDF_OOM_KILLED ? " oom" : "");
	else
		strcpy(r->exit, id->flags & CADV_IDF_OOM_KILLED ? "oom" : "-");
	r->runtime = *cadv_runtime_name(id->runtime) ?
	    cadv_runtime_name(id->runtime) : "-";
	s = cadv_ident_str(id, CADV_IS_ID, &len);
	ctl_cell(s, len < ID_SHORT ? len : ID_SHORT, r->id);
	ctl_cells(id, &r->cells);
	return 0;
}

static int
by_seen(const void *pa, const void *pb)
{
	const struct id_row *a = pa, *b = pb;

	if (a->seen_ns != b->seen_ns)
		return a->seen_ns < b->seen_ns ? -1 : 1;
	return a->keyorder < b->keyorder ? -1 : a->keyorder > b->keyorder;
}

static void
print_text(const struct id_ctx *ctx, int k8s)
{
	enum ctl_col cols[COL_COUNT];
	size_t ncol, i, j, w, width[COL_COUNT], rtw = 7, idw = 2, exw = 4;
	size_t gonew = 4;
	const struct id_row *r;

	ncol = ctl_cols(k8s, cols);
	for (j = 0; j < ncol; j++)
		width[j] = strlen(ctl_col_title(cols[j]));
	for (i = 0; i < ctx->n; i++) {
		r = &ctx->rows[i];
		if ((w = strlen(r->runtime)) > rtw)
			rtw = w;
		if ((w = ctl_text_cols(r->id)) > idw)
			idw = w;
		if ((w = strlen(r->exit)) > exw)
			exw = w;
		if ((w = strlen(r->gone)) > gonew)
			gonew = w;
		for (j = 0; j < ncol; j++)
			if ((w = ctl_text_cols(r->cells.c[cols[j]])) > width[j])
				width[j] = w;
	}
	printf("%-30s  %-*s  %-*s  %-*s  ", "FIRST_STORED", (int)gonew, "GONE",
	    (int)rtw, "RUNTIME", (int)idw, "ID");
	for (j = 0; j < ncol; j++)
		ctl_put_cell(ctl_col_title(cols[j]), width[j]);
	printf("%-*s  CGROUP\n", (int)exw, "EXIT");
	for (i = 0; i < ctx->n; i++) {
		r = &ctx->rows[i];
		printf("%-30s  %-*s  %-*s  ", r->seen, (int)gonew, r->gone,
		    (int)rtw, r->runtime);
		ctl_put_cell(r->id, idw);
		for (j = 0; j < ncol; j++)
			ctl_put_cell(r->cells.c[cols[j]], width[j]);
		printf("%-*s  %s\n", (int)exw, r->exit, r->cgroup);
	}
}

int
cmd_idents(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "k8s", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct id_ctx ctx;
	struct cadv_txn *txn;
	size_t i;
	int ch, k8s = 0, rc;

	memset(&ctx, 0, sizeof(ctx));
	while ((ch = getopt_long(argc, argv, "jk", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			ctx.json = 1;
			break;
		case 'k':
			k8s = 1;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cadvctl idents [--k8s] [--json]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((rc = cadv_begin(ctl->db, &txn)) != 0)
		return ctl_store_error(ctl, "read transaction", rc);
	rc = cadv_idents_each(txn, id_one, &ctx);
	cadv_end(txn);
	if (rc == 0) {
		/* key order is hash order: time order reads better */
		if (ctx.n > 0)
			qsort(ctx.rows, ctx.n, sizeof(*ctx.rows), by_seen);
		if (ctx.json) {
			struct json_object *arr = json_object_new_array();

			for (i = 0; i < ctx.n; i++) {
				json_object_array_add(arr, ctx.rows[i].json);
				ctx.rows[i].json = NULL;
			}
			ctl_print_json(arr);
		} else
			print_text(&ctx, k8s);
	}
	for (i = 0; i < ctx.n; i++) {
		json_object_put(ctx.rows[i].json);
		free(ctx.rows[i].cgroup);
	}
	free(ctx.rows);
	if (rc != 0)
		return ctl_store_error(ctl, "listing identities", rc);
	return CTL_OK;
}
