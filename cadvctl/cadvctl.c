#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadvctl.h"
#include "log.h"
#include "paths.h"

static const struct command {
	const char	*name;
	int		(*fn)(struct ctl *, int, char **);
	const char	*usage;
} commands[] = {
	{ "ls", cmd_ls, "ls [--all] [--json]" },
	{ "stats", cmd_stats, "stats NAME [--count N] [--json]" },
	{ "machine", cmd_machine, "machine [--json]" },
	{ "version", cmd_version, "version [--json]" },
	{ "fs", cmd_fs, "fs [PATH] [--json]" },
	{ "events", cmd_events, "events [--type T,...] [--container NAME] "
	    "[--subcontainers] [--since T] [--until T] [--max N] [--follow] "
	    "[--json]" },
	{ "health", cmd_health, "health [--json]" },
	{ "get", cmd_get, "get NAME FIELD" },
	{ "check", cmd_check, "check [--json]" },
	{ "top", cmd_top, "top [--interval D] [--iterations N] "
	    "[--sort cpu|memory|io|name]" },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: cadvctl [--store DIR] [-d] COMMAND [ARGS]\n"
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  cadvctl %s\n", commands[i].usage);
	fprintf(fp, "exit status: 0 ok, 1 not found, 2 usage, "
	    "3 store unavailable\n");
}

int
ctl_open(struct ctl *ctl)
{
	char err[PATH_MAX + 256];
	int rc;

	if (paths_store(ctl->store_arg, ctl->store_dir,
	    sizeof(ctl->store_dir)) == -1) {
		fprintf(stderr, "cadvctl: no usable store path (check --store "
		    "and $%s: it must be an absolute path)\n", CADV_STORE_ENV);
		return CTL_USAGE;
	}
	if ((rc = store_open(&ctl->st, ctl->store_dir, STORE_RDONLY, err,
	    sizeof(err))) != 0) {
		fprintf(stderr, "cadvctl: %s\n", err);
		return CTL_STORE;
	}
	return CTL_OK;
}

void
ctl_close(struct ctl *ctl)
{
	store_close(ctl->st);
	ctl->st = NULL;
}

int
ctl_store_error(struct ctl *ctl, const char *what, int rc)
{
	if (rc == STORE_CORRUPT)
		fprintf(stderr, "cadvctl: %s: %s\n", what,
		    store_corruption(ctl->st));
	else
		fprintf(stderr, "cadvctl: %s: %s: %s\n", ctl->store_dir, what,
		    store_strerror(rc));
	return CTL_STORE;
}

int
ctl_find(struct ctl *ctl, MDB_txn *txn, const char *arg, struct container *c)
{
	char name[CGNAME_MAX];
	size_t len;
	int rc;

	if (cgname_clean(arg, strlen(arg), name, &len) == -1) {
		fprintf(stderr, "cadvctl: not a container name: ");
		cgname_fputs(arg, strlen(arg), stderr);
		fputc('\n', stderr);
		return CTL_USAGE;
	}
	rc = store_container_find(ctl->st, txn, name, len, c);
	if (rc == MDB_NOTFOUND) {
		fprintf(stderr, "cadvctl: no container ");
		cgname_fputs(name, len, stderr);
		fprintf(stderr, " in %s\n", ctl->store_dir);
		return CTL_NOTFOUND;
	}
	if (rc != 0)
		return ctl_store_error(ctl, "looking up a container", rc);
	return CTL_OK;
}

void
ctl_print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl;
	size_t i;
	int ch, debug = 0;

	memset(&ctl, 0, sizeof(ctl));
	/* '+': stop at the command; its own options follow it. */
	while ((ch = getopt_long(argc, argv, "+s:dh", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			ctl.store_arg = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'h':
			usage(stdout);
			return CTL_OK;
		default:
			usage(stderr);
			return CTL_USAGE;
		}
	}
	log_init("cadvctl", debug);
	if (optind >= argc) {
		usage(stderr);
		return CTL_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int rc;

			argc -= optind;
			argv += optind;
			optind = 0;	/* reset getopt for the command */
			rc = commands[i].fn(&ctl, argc, argv);
			ctl_close(&ctl);
			if (fflush(stdout) == EOF || ferror(stdout)) {
				perror("cadvctl: stdout");
				return rc == CTL_OK ? CTL_STORE : rc;
			}
			return rc;
		}
	}
	fprintf(stderr, "cadvctl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return CTL_USAGE;
}
