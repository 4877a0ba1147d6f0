/* cadvctl: the command-line client.  Each command reads the store through
 * short read-only transactions. */
#ifndef CADVCTL_H
#define CADVCTL_H

#include <limits.h>

#include "store.h"

/* Exit codes, documented in cadvctl(1). */
enum ctl_exit {
	CTL_OK = 0,
	CTL_NOTFOUND = 1,	/* the container (or record) does not exist */
	CTL_USAGE = 2,		/* bad arguments */
	CTL_STORE = 3,		/* the store cannot be opened or read */
};

struct ctl {
	const char	*store_arg;	/* --store, or NULL */
	int		 raw_name;	/* --raw-name: NAMEs are bytes as they are */
	char		 store_dir[PATH_MAX];
	struct store	*st;
};

int	ctl_open(struct ctl *);
void	ctl_close(struct ctl *);
/* Reports a store error (with the corruption detail when there is one) and
 * returns CTL_STORE. */
int	ctl_store_error(struct ctl *, const char *what, int rc);
/* The --raw-name option of the commands that take a NAME, for their
 * getopt_long tables. */
#define CTL_OPT_RAW_NAME	{ "raw-name", no_argument, NULL, 'R' }
/* A user's NAME argument as a name: cadvctl's printed form decoded (its
 * bytes as they are with --raw-name), then cleaned as cAdvisor cleans
 * names.  name holds CGNAME_MAX bytes.  CTL_USAGE on failure (message
 * printed). */
int	ctl_name(const struct ctl *, const char *arg, char *name, size_t *len);
/* Resolves a user's container name; CTL_NOTFOUND / CTL_STORE / CTL_USAGE
 * on failure (message printed). */
int	ctl_find(struct ctl *, MDB_txn *, const char *arg, struct container *);
/* Prints a JSON object to stdout, pretty when asked, and frees it. */
struct json_object;
void	ctl_print_json(struct json_object *);

int	cmd_ls(struct ctl *, int argc, char **argv);
int	cmd_stats(struct ctl *, int argc, char **argv);
int	cmd_top(struct ctl *, int argc, char **argv);
int	cmd_machine(struct ctl *, int argc, char **argv);
int	cmd_version(struct ctl *, int argc, char **argv);
int	cmd_fs(struct ctl *, int argc, char **argv);
int	cmd_events(struct ctl *, int argc, char **argv);
int	cmd_health(struct ctl *, int argc, char **argv);
int	cmd_get(struct ctl *, int argc, char **argv);
int	cmd_check(struct ctl *, int argc, char **argv);

#endif
