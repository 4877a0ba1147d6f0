/* cadvctl: the command-line client.  Each command reads the store through
 * libcadv (cadv.h) alone, in short snapshots. */
#ifndef CADVCTL_H
#define CADVCTL_H

#include <limits.h>

#include "cadv.h"
#include "cgname.h"

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
	struct cadv	*db;
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
/* A user's NAME argument as bytes: cadvctl's printed form decoded (as
 * they are with --raw-name), not cleaned.  raw holds
 * CGNAME_ESCAPED_MAX(CGNAME_MAX) bytes.  CTL_USAGE (printed) when it is
 * malformed. */
int	ctl_raw(const struct ctl *, const char *arg, char *raw, size_t *len);
/* A user's container argument (of stats, get, events --container): a
 * cgroup path when it starts with '/' (as ctl_name reads it); else what
 * cadv_ident_resolve takes (a runtime name, an id or a unique id prefix
 * of 3 bytes or more, namespace/pod/container), read in the same printed
 * form; failing that, a cgroup path again, cleaned as cAdvisor cleans
 * names ("system.slice" is "/system.slice", as before identities).
 * Sets the cgroup name (CGNAME_MAX bytes) and, when an identity named
 * it, *id (may be NULL) and *resolved.  Several live containers matching
 * is CTL_USAGE (each one listed), CTL_STORE on a store error; messages
 * printed. */
int	ctl_target(struct ctl *, struct cadv_txn *, const char *arg, char *name,
	    size_t *len, struct cadv_ident *id, int *resolved);
/* Resolves a user's container argument (ctl_target) to its container
 * record; CTL_NOTFOUND / CTL_STORE / CTL_USAGE on failure (message
 * printed).  With id non-NULL, *have_id says whether *id holds the
 * container's identity: the one the argument resolved through, else the
 * newest of its cgroup (at its deletion for a deleted container). */
int	ctl_find(struct ctl *, struct cadv_txn *, const char *arg, struct cadv_container *,
	    struct cadv_ident *id, int *have_id);
/* The identity of a container record as every listing joins it: the
 * newest of its cgroup, or for a deleted one the newest at its deletion
 * time (cadv_ident_find).  0, CADV_NOTFOUND, or a store error. */
int	ctl_container_ident(struct cadv_txn *, const struct cadv_container *,
	    struct cadv_ident *);
struct cadv_ident *ctl_ident_alloc(void);	/* NULL: out of memory (printed) */
/* After CADV_AMBIGUOUS: lists on stderr the live containers that the
 * query matched at the step cadv_ident_resolve stopped at. */
void	ctl_list_matches(struct cadv_txn *, const char *q, size_t len);

/* Identity columns for text tables.  A cell is an identity string in
 * cgname_escape's form (no control byte reaches the terminal), "-" when
 * empty, cut to CTL_CELL_COLS columns with "..." at the end. */
#define CTL_CELL_COLS	48
#define CTL_CELL_SZ	(CTL_CELL_COLS * 4 + 4)
enum ctl_col {
	COL_NAME, COL_IMAGE, COL_POD,			/* default */
	COL_NAMESPACE, COL_PODNAME, COL_CONTAINER,	/* --k8s */
	COL_COUNT
};
struct ctl_cells {
	char	c[COL_COUNT][CTL_CELL_SZ];
};
/* The columns a table shows: NAME IMAGE POD, or with k8s NAMESPACE POD
 * CONTAINER IMAGE; n of them in order into cols. */
size_t	ctl_cols(int k8s, enum ctl_col cols[COL_COUNT]);
const char *ctl_col_title(enum ctl_col);
/* Fills every cell from id ("-" throughout when id is NULL). */
void	ctl_cells(const struct cadv_ident *, struct ctl_cells *);
/* One cell from bytes (what ctl_cells does to each string). */
void	ctl_cell(const char *s, size_t len, char *out);
/* The terminal columns an escaped text takes (a UTF-8 sequence is one). */
size_t	ctl_text_cols(const char *);
/* Prints s left-aligned in width columns, then two spaces. */
void	ctl_put_cell(const char *s, size_t width);
/* An identity as "  identity KEY VALUE" lines (stats), escaped. */
void	ctl_print_ident(const struct cadv_ident *);
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
int	cmd_idents(struct ctl *, int argc, char **argv);
int	cmd_summary(struct ctl *, int argc, char **argv);

#endif
