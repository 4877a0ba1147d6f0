/* cadvctl stats NAME: a container's identity and newest samples. */
#include <bsd/stdlib.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "clock.h"
#include "jsonfmt.h"

#define STATS_COUNT_DEFAULT	10
/* CADV_CF_UNREADABLE: what collectord was refused (docs/SCHEMA.md) */
#define UNREADABLE_ERROR	"permission denied"
#define STATS_COUNT_MAX		1000000

/* What the text output needs while the samples stream past. */
struct stats_ctx {
	struct json_object	*arr;		/* JSON output */
	struct cadv_sample		*last;		/* text output: the newest */
	uint64_t		 last_ts;
	size_t			 n;
};

static int
stats_one(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	struct stats_ctx *ctx = arg;
	char when[RFC3339_LEN], cpu[24] = "-", mem[24] = "-";

	ctx->n++;
	if (ctx->arr != NULL) {
		json_object_array_add(ctx->arr, jsonfmt_sample(ts, s));
		return 0;
	}
	if (ctx->n == 1)
		printf("  %-30s %20s %20s\n", "TIMESTAMP", "CPU_TOTAL_NS",
		    "MEMORY_USAGE");
	clock_rfc3339(ts, when, sizeof(when));
	if (cadv_sample_has(s, CADV_SF_CPU_TOTAL))
		snprintf(cpu, sizeof(cpu), "%llu",
		    (unsigned long long)s->v[CADV_SF_CPU_TOTAL]);
	if (cadv_sample_has(s, CADV_SF_MEM_USAGE))
		snprintf(mem, sizeof(mem), "%llu",
		    (unsigned long long)s->v[CADV_SF_MEM_USAGE]);
	printf("  %-30s %20s %20s\n", when, cpu, mem);
	*ctx->last = *s;
	ctx->last_ts = ts;
	return 0;
}

static void
print_sample_text(uint64_t ts, const struct cadv_sample *s)
{
	char when[RFC3339_LEN];
	size_t i;

	clock_rfc3339(ts, when, sizeof(when));
	printf("sample %s\n", when);
	for (i = 0; i < CADV_SF_COUNT; i++)
		if (cadv_sample_has(s, (enum cadv_sample_field)i))
			printf("  %-28s %20llu %s\n", cadv_sample_field_path(
			    (enum cadv_sample_field)i), (unsigned long long)s->v[i],
			    cadv_sample_field_unit((enum cadv_sample_field)i));
	for (i = 0; i < s->ncpu; i++)
		printf("  cpu.usage.per_cpu_usage[%zu]%*s %20llu ns\n", i,
		    i < 10 ? 2 : i < 100 ? 1 : 0, "",
		    (unsigned long long)s->percpu[i]);
	for (i = 0; i < s->nblk; i++)
		printf("  diskio %u:%u read_bytes %llu write_bytes %llu "
		    "read_ops %llu write_ops %llu\n", s->blk[i].major,
		    s->blk[i].minor, (unsigned long long)s->blk[i].read_bytes,
		    (unsigned long long)s->blk[i].write_bytes,
		    (unsigned long long)s->blk[i].read_ops,
		    (unsigned long long)s->blk[i].write_ops);
	for (i = 0; i < s->nnet; i++) {
		const struct cadv_net *n = &s->net[i];

		printf("  network ");
		cgname_fputs(n->name, strnlen(n->name, CADV_IFNAME_LEN), stdout);
		printf(" rx_bytes %llu rx_packets %llu rx_errors %llu "
		    "rx_dropped %llu tx_bytes %llu tx_packets %llu "
		    "tx_errors %llu tx_dropped %llu\n",
		    (unsigned long long)n->rx_bytes,
		    (unsigned long long)n->rx_packets,
		    (unsigned long long)n->rx_errors,
		    (unsigned long long)n->rx_dropped,
		    (unsigned long long)n->tx_bytes,
		    (unsigned long long)n->tx_packets,
		    (unsigned long long)n->tx_errors,
		    (unsigned long long)n->tx_dropped);
	}
}

static void
print_header(const struct cadv_container *c, const struct cadv_ident *id)
{
#define X_UNIT(e, path, unit) [CADV_SP_##e] = unit,
	static const char *const spec_units[CADV_SP_COUNT] = {
		CADV_SPEC_FIELDS(X_UNIT)
	};
#undef X_UNIT
	char when[RFC3339_LEN];
	const char *path;
	size_t i;

	cgname_fputs(c->name, c->name_len, stdout);
	clock_rfc3339(c->created_ns, when, sizeof(when));
	printf("  id %llu, %s, created %s\n", (unsigned long long)c->id,
	    c->deleted_ns ? "deleted" : "live", when);
	if (c->flags & CADV_CF_UNREADABLE)
		printf("  unreadable (" UNREADABLE_ERROR "): collectord could "
		    "not read its cgroup; stats absent or partial\n");
	if (id != NULL)
		ctl_print_ident(id);
	for (i = 0; i < CADV_SP_COUNT; i++) {
		if (!cadv_spec_has(c, (enum cadv_spec_field)i))
			continue;
		path = cadv_spec_field_path((enum cadv_spec_field)i);
		if (c->spec[i] == CADV_UNLIMITED)
			printf("  spec %-22s %20s\n", path, "max");
		else
			printf("  spec %-22s %20llu %s\n", path,
			    (unsigned long long)c->spec[i], spec_units[i]);
	}
	if (c->mask_len > 0)
		printf("  spec %-22s %20s\n", "cpu.mask", c->cpu_mask);
	printf("recent samples:\n");
}

int
cmd_stats(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		CTL_OPT_RAW_NAME,
		{ NULL, 0, NULL, 0 },
	};
	struct cadv_container c;
	struct cadv_ident *id = NULL;
	struct stats_ctx ctx = { NULL, NULL, 0, 0 };
	size_t count = STATS_COUNT_DEFAULT;
	struct cadv_txn *txn;
	const char *errstr;
	int ch, json = 0, rc, have_id;

	while ((ch = getopt_long(argc, argv, "n:j", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			count = (size_t)strtonum(optarg, 1, STATS_COUNT_MAX,
			    &errstr);
			if (errstr != NULL) {
				fprintf(stderr, "cadvctl: --count %s: %s (1 to "
				    "%d)\n", optarg, errstr, STATS_COUNT_MAX);
				return CTL_USAGE;
			}
			break;
		case 'j':
			json = 1;
			break;
		case 'R':
			ctl->raw_name = 1;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: cadvctl stats [--raw-name] NAME "
		    "[--count N] [--json]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if ((!json && (ctx.last = malloc(sizeof(*ctx.last))) == NULL) ||
	    (id = malloc(sizeof(*id))) == NULL) {
		fprintf(stderr, "cadvctl: out of memory\n");
		rc = CTL_STORE;
		goto out;
	}
	if ((rc = cadv_begin(ctl->db, &txn)) != 0) {
		rc = ctl_store_error(ctl, "read transaction", rc);
		goto out;
	}
	if ((rc = ctl_find(ctl, txn, argv[optind], &c, id, &have_id)) !=
	    CTL_OK) {
		cadv_end(txn);
		goto out;
	}
	if (json)
		ctx.arr = json_object_new_array();
	else
		print_header(&c, have_id ? id : NULL);
	rc = cadv_samples_last(txn, c.id, count, stats_one, &ctx);
	cadv_end(txn);
	if (rc != 0) {
		json_object_put(ctx.arr);
		rc = ctl_store_error(ctl, "reading samples", rc);
		goto out;
	}
	if (json) {
		struct json_object *o = jsonfmt_container(&c);

		if (c.flags & CADV_CF_UNREADABLE)
			json_object_object_add(o, "error",
			    json_object_new_string(UNREADABLE_ERROR));
		if (have_id)
			json_object_object_add(o, "identity",
			    jsonfmt_ident(id));
		json_object_object_add(o, "stats", ctx.arr);
		ctl_print_json(o);
	} else if (ctx.n == 0)
		printf("  none\n");
	else
		print_sample_text(ctx.last_ts, ctx.last);
	rc = CTL_OK;
out:
	free(ctx.last);
	free(id);
	return rc;
}
