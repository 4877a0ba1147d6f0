/* cadvctl ls: the containers in the store. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cadvctl.h"
#include "clock.h"
#include "jsonfmt.h"

/* CF_UNREADABLE: what collectord was refused (docs/SCHEMA.md) */
#define UNREADABLE_ERROR	"permission denied"

struct ls_ctx {
	int			 all;
	struct json_object	*arr;	/* NULL for text output */
};

static int
ls_one(const struct container *c, void *arg)
{
	struct ls_ctx *ctx = arg;
	char created[RFC3339_LEN], deleted[RFC3339_LEN];

	if (!ctx->all && c->deleted_ns != 0)
		return 0;
	if (ctx->arr != NULL) {
		struct json_object *o = jsonfmt_container(c);

		if (c->flags & CF_UNREADABLE)
			json_object_object_add(o, "error",
			    json_object_new_string(UNREADABLE_ERROR));
		json_object_array_add(ctx->arr, o);
		return 0;
	}
	clock_rfc3339(c->created_ns, created, sizeof(created));
	if (c->deleted_ns != 0) {
		clock_rfc3339(c->deleted_ns, deleted, sizeof(deleted));
		printf("%-30s deleted %s  ", created, deleted);
	} else
		printf("%-30s live  ", created);
	/* before the name, which stays last: it holds no '/', the name
	 * starts with one */
	if (c->flags & CF_UNREADABLE)
		printf("unreadable (" UNREADABLE_ERROR ")  ");
	cgname_fputs(c->name, c->name_len, stdout);
	putchar('\n');
	return 0;
}

int
cmd_ls(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct ls_ctx ctx = { 0, NULL };
	MDB_txn *txn;
	int ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "aj", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			ctx.all = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cadvctl ls [--all] [--json]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((rc = store_read_begin(ctl->st, &txn)) != 0)
		return ctl_store_error(ctl, "read transaction", rc);
	if (json)
		ctx.arr = json_object_new_array();
	else
		printf("%-30s %-5s NAME\n", "CREATED", "STATE");
	rc = store_containers_each(ctl->st, txn, ls_one, &ctx);
	store_read_end(txn);
	if (rc != 0) {
		json_object_put(ctx.arr);
		return ctl_store_error(ctl, "listing containers", rc);
	}
	if (json)
		ctl_print_json(ctx.arr);
	return CTL_OK;
}
