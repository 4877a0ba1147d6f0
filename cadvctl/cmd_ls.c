/* cadvctl ls: the containers in the store, with the identity of those a
 * runtime made (name, image, pod). */
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

/* CADV_CF_UNREADABLE: what collectord was refused (docs/SCHEMA.md) */
#define UNREADABLE_ERROR	"permission denied"

/* A text row, kept until every row is known: the columns are as wide as
 * their widest cell. */
struct ls_row {
	char		 created[RFC3339_LEN];
	char		 state[RFC3339_LEN + 16];
	int		 unreadable;
	int		 has_id;
	struct ctl_cells cells;
	char		*cgroup;	/* escaped */
};

struct ls_ctx {
	struct cadv_txn		*txn;
	int			 all, k8s;
	struct cadv_ident		*id;
	struct json_object	*arr;	/* NULL for text output */
	struct ls_row		*rows;
	size_t			 n, cap, nid;
};

static int
ls_one(const struct cadv_container *c, void *arg)
{
	struct ls_ctx *ctx = arg;
	char deleted[RFC3339_LEN];
	struct ls_row *r;
	size_t sz;
	int rc, has_id;

	if (!ctx->all && c->deleted_ns != 0)
		return 0;
	rc = ctl_container_ident(ctx->txn, c, ctx->id);
	if (rc != 0 && rc != CADV_NOTFOUND)
		return rc;
	has_id = rc == 0;
	if (ctx->arr != NULL) {
		struct json_object *o = jsonfmt_container(c);

		if (c->flags & CADV_CF_UNREADABLE)
			json_object_object_add(o, "error",
			    json_object_new_string(UNREADABLE_ERROR));
		if (has_id)
			json_object_object_add(o, "identity",
			    jsonfmt_ident(ctx->id));
		json_object_array_add(ctx->arr, o);
		return 0;
	}
	if (ctx->n == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 64;
		struct ls_row *nr = reallocarray(ctx->rows, cap, sizeof(*nr));

		if (nr == NULL)
			return ENOMEM;
		ctx->rows = nr;
		ctx->cap = cap;
	}
	sz = CGNAME_ESCAPED_MAX(c->name_len);
	r = &ctx->rows[ctx->n];
	if ((r->cgroup = malloc(sz)) == NULL)
		return ENOMEM;
	ctx->n++;
	cgname_escape(c->name, c->name_len, r->cgroup, sz);
	clock_rfc3339(c->created_ns, r->created, sizeof(r->created));
	if (c->deleted_ns != 0) {
		clock_rfc3339(c->deleted_ns, deleted, sizeof(deleted));
		snprintf(r->state, sizeof(r->state), "deleted %s", deleted);
	} else
		snprintf(r->state, sizeof(r->state), "live");
	r->unreadable = (c->flags & CADV_CF_UNREADABLE) != 0;
	r->has_id = has_id;
	ctl_cells(has_id ? ctx->id : NULL, &r->cells);
	ctx->nid += has_id;
	return 0;
}

static void
print_rows(const struct ls_ctx *ctx)
{
	enum ctl_col cols[COL_COUNT];
	size_t ncol, i, j, w, width[COL_COUNT], statew = 5;
	const struct ls_row *r;

	/* a store without identities lists as it always has */
	if (ctx->nid == 0 && !ctx->k8s) {
		printf("%-30s %-5s CGROUP\n", "CREATED", "STATE");
		for (i = 0; i < ctx->n; i++) {
			r = &ctx->rows[i];
			printf("%-30s %s  ", r->created, r->state);
			/* before the name, which stays last: it holds no
			 * '/', the name starts with one */
			if (r->unreadable)
				printf("unreadable (" UNREADABLE_ERROR ")  ");
			printf("%s\n", r->cgroup);
		}
		return;
	}
	ncol = ctl_cols(ctx->k8s, cols);
	for (j = 0; j < ncol; j++)
		width[j] = strlen(ctl_col_title(cols[j]));
	for (i = 0; i < ctx->n; i++) {
		r = &ctx->rows[i];
		if ((w = strlen(r->state)) > statew)
			statew = w;
		for (j = 0; j < ncol; j++)
			if ((w = ctl_text_cols(r->cells.c[cols[j]])) > width[j])
				width[j] = w;
	}
	printf("%-30s %-*s  ", "CREATED", (int)statew, "STATE");
	for (j = 0; j < ncol; j++)
		ctl_put_cell(ctl_col_title(cols[j]), width[j]);
	printf("CGROUP\n");
	for (i = 0; i < ctx->n; i++) {
		r = &ctx->rows[i];
		printf("%-30s %-*s  ", r->created, (int)statew, r->state);
		for (j = 0; j < ncol; j++)
			ctl_put_cell(r->cells.c[cols[j]], width[j]);
		if (r->unreadable)
			printf("unreadable (" UNREADABLE_ERROR ")  ");
		printf("%s\n", r->cgroup);
	}
}

int
cmd_ls(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "k8s", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct ls_ctx ctx;
	size_t i;
	int ch, json = 0, rc;

	memset(&ctx, 0, sizeof(ctx));
	while ((ch = getopt_long(argc, argv, "ajk", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			ctx.all = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'k':
			ctx.k8s = 1;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cadvctl ls [--all] [--k8s] [--json]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((ctx.id = ctl_ident_alloc()) == NULL)
		return CTL_STORE;
	if ((rc = cadv_begin(ctl->db, &ctx.txn)) != 0) {
		free(ctx.id);
		return ctl_store_error(ctl, "read transaction", rc);
	}
	if (json)
		ctx.arr = json_object_new_array();
	rc = cadv_containers_each(ctx.txn, ls_one, &ctx);
	cadv_end(ctx.txn);
	free(ctx.id);
	if (rc == 0 && json)
		ctl_print_json(ctx.arr);
	else if (rc == 0)
		print_rows(&ctx);
	else
		json_object_put(ctx.arr);
	for (i = 0; i < ctx.n; i++)
		free(ctx.rows[i].cgroup);
	free(ctx.rows);
	if (rc != 0)
		return ctl_store_error(ctl, "listing containers", rc);
	return CTL_OK;
}
