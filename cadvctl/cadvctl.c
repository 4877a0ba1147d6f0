#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <grp.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadvctl.h"
#include "log.h"
#include "paths.h"

static const struct command {
	const char	*name;
	int		(*fn)(struct ctl *, int, char **);
	const char	*usage;
} commands[] = {
	{ "ls", cmd_ls, "ls [--all] [--k8s] [--json]" },
	{ "stats", cmd_stats, "stats [--raw-name] NAME [--count N] [--json]" },
	{ "machine", cmd_machine, "machine [--json]" },
	{ "version", cmd_version, "version [--json]" },
	{ "fs", cmd_fs, "fs [PATH] [--json]" },
	{ "events", cmd_events, "events [--type T,...] [--container NAME] "
	    "[--raw-name] [--subcontainers] [--since T] [--until T] [--max N] "
	    "[--follow] [--json]" },
	{ "health", cmd_health, "health [--json]" },
	{ "get", cmd_get, "get [--raw-name] NAME FIELD" },
	{ "check", cmd_check, "check [--json]" },
	{ "top", cmd_top, "top [--interval D] [--iterations N] "
	    "[--sort cpu|memory|io|name] [--k8s]" },
	{ "idents", cmd_idents, "idents [--k8s] [--json]" },
	{ "summary", cmd_summary, "summary [--raw-name] NAME [--json]" },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: cadvctl [--store DIR] [-d] COMMAND [ARGS]\n"
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  cadvctl %s\n", commands[i].usage);
	fprintf(fp, "NAME: a cgroup path (/...), or a runtime container's "
	    "name, id, id prefix\n  or namespace/pod/container; as cadvctl "
	    "prints it (\\\\ for a backslash,\n  \\xNN for other bytes), "
	    "with --raw-name its bytes as they are\n");
	fprintf(fp, "exit status: 0 ok, 1 not found, 2 usage (an ambiguous "
	    "NAME too), 3 store unavailable\n");
}

/* A damaged data.mdb can fault inside LMDB (a page past the end of the
 * file: SIGBUS; a pointer of a garbled page: SIGSEGV; an assertion of
 * LMDB's: abort).  A reader of it
 * says so and exits 3, never dies of the signal; only the store's pages
 * are read where this can happen. */
static char fault_msg[PATH_MAX + 128];
static size_t fault_len;

static void
on_store_fault(int sig)
{
	static const char bus[] = "SIGBUS)\n", segv[] = "SIGSEGV)\n",
	    abrt[] = "LMDB's own check failed)\n";
	const char *why = sig == SIGBUS ? bus : sig == SIGSEGV ? segv : abrt;

	(void)!write(STDERR_FILENO, fault_msg, fault_len);
	(void)!write(STDERR_FILENO, why, strlen(why));
	_exit(CTL_STORE);
}

static void
fault_guard(const char *dir)
{
	struct sigaction sa;
	int n;

	n = snprintf(fault_msg, sizeof(fault_msg), "cadvctl: %s/data.mdb: "
	    "damaged: reading it faulted (", dir);
	fault_len = n < 0 ? 0 : (size_t)n < sizeof(fault_msg) ? (size_t)n :
	    sizeof(fault_msg) - 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_store_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

/* Root gives up root for the owner of dir, for good; -1 (and still root)
 * when it cannot. */
static int
become_owner(const char *dir)
{
	struct stat sb;
	uid_t r, e, sv;
	int fd;

	if (geteuid() != 0 || (fd = open(dir, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	if (sb.st_uid == 0 || setgroups(0, NULL) == -1 ||
	    setresgid(sb.st_gid, sb.st_gid, sb.st_gid) == -1 ||
	    setresuid(sb.st_uid, sb.st_uid, sb.st_uid) == -1)
		return -1;
	if (getresuid(&r, &e, &sv) == -1 || r != sb.st_uid || e != sb.st_uid ||
	    sv != sb.st_uid) {
		fprintf(stderr, "cadvctl: could not become uid %u\n",
		    (unsigned)sb.st_uid);
		exit(CTL_STORE);
	}
	return 0;
}

int
ctl_open(struct ctl *ctl)
{
	char err[PATH_MAX + 256];
	int rc;

	if ((rc = paths_store(ctl->store_arg, ctl->store_dir,
	    sizeof(ctl->store_dir), err, sizeof(err))) != 0) {
		fprintf(stderr, "cadvctl: %s\n", err);
		return rc == PATHS_USAGE ? CTL_USAGE : CTL_STORE;
	}
	fault_guard(ctl->store_dir);
	rc = cadv_open(ctl->store_dir, &ctl->db, err, sizeof(err));
	/* root reads another user's store as that user, so that nothing
	 * the user put there can steer root's opens */
	if (rc == CADV_FOREIGN && become_owner(ctl->store_dir) == 0)
		rc = cadv_open(ctl->store_dir, &ctl->db, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "cadvctl: %s\n", err);
		return CTL_STORE;
	}
	return CTL_OK;
}

void
ctl_close(struct ctl *ctl)
{
	cadv_close(ctl->db);
	ctl->db = NULL;
}

int
ctl_store_error(struct ctl *ctl, const char *what, int rc)
{
	/* a corruption's sentence names the file, the table and the key */
	if (rc == CADV_CORRUPT)
		fprintf(stderr, "cadvctl: %s: %s\n", what,
		    cadv_error(ctl->db, rc));
	else
		fprintf(stderr, "cadvctl: %s: %s: %s\n", ctl->store_dir, what,
		    cadv_strerror(rc));
	return CTL_STORE;
}

/* The text of a faulty escape for a message: its own characters, a byte
 * that is not printable ASCII as <NN> (hex) so that no control byte
 * reaches the terminal and the form cannot pass for an escape. */
static void
put_escape(const char *s, size_t n, enum cgname_unesc e)
{
	size_t i, want;

	want = e == CGNAME_UNESC_TRAILING ? 1 : e == CGNAME_UNESC_UNKNOWN ? 2 : 4;
	for (i = 0; i < n && i < want; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			fputc(c, stderr);
		else
			fprintf(stderr, "<%02x>", c);
	}
}

int
ctl_raw(const struct ctl *ctl, const char *arg, char *raw, size_t *rlen)
{
	size_t alen = strlen(arg), off;
	enum cgname_unesc e;

	if (alen >= CGNAME_ESCAPED_MAX(CGNAME_MAX)) {
		fprintf(stderr, "cadvctl: a name of %zu bytes is too long (at "
		    "most %d)\n", alen, CGNAME_MAX);
		return CTL_USAGE;
	}
	if (ctl->raw_name) {
		memcpy(raw, arg, alen);
		*rlen = alen;
	} else if ((e = cgname_unescape_ext(arg, alen, CGNAME_UNESC_STRICT,
	    raw, rlen, &off)) != CGNAME_UNESC_OK) {
		fprintf(stderr, "cadvctl: malformed name: \"");
		put_escape(arg + off, alen - off, e);
		fprintf(stderr, "\" at byte %zu: %s; names are read as cadvctl "
		    "prints them, or with --raw-name as they are\n", off + 1,
		    cgname_unesc_str(e));
		return CTL_USAGE;
	}
	return CTL_OK;
}

/* raw as a cgroup path, cleaned as cAdvisor cleans names */
static int
ctl_clean(const char *raw, size_t rlen, char *name, size_t *len)
{
	if (cgname_clean(raw, rlen, name, len) == -1) {
		if (rlen > CGNAME_MAX) {
			fprintf(stderr, "cadvctl: a name of %zu bytes is too "
			    "long (at most %d)\n", rlen, CGNAME_MAX);
			return CTL_USAGE;
		}
		fprintf(stderr, "cadvctl: not a container name: ");
		cgname_fputs(raw, rlen, stderr);
		fputc('\n', stderr);
		return CTL_USAGE;
	}
	return CTL_OK;
}

int
ctl_name(const struct ctl *ctl, const char *arg, char *name, size_t *len)
{
	char raw[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	size_t rlen;
	int rc;

	if ((rc = ctl_raw(ctl, arg, raw, &rlen)) != CTL_OK)
		return rc;
	return ctl_clean(raw, rlen, name, len);
}

struct cadv_ident *
ctl_ident_alloc(void)
{
	struct cadv_ident *id = malloc(sizeof(*id));

	if (id == NULL)
		fprintf(stderr, "cadvctl: out of memory\n");
	return id;
}

int
ctl_target(struct ctl *ctl, struct cadv_txn *txn, const char *arg, char *name,
    size_t *len, struct cadv_ident *out, int *resolved)
{
	char raw[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	struct cadv_ident *id;
	const char *cg;
	size_t rlen, n, cl;
	int rc;

	*resolved = 0;
	if ((rc = ctl_raw(ctl, arg, raw, &rlen)) != CTL_OK)
		return rc;
	/* a path, as always: no runtime name starts with '/' */
	if (rlen == 0 || raw[0] == '/')
		return ctl_clean(raw, rlen, name, len);
	if ((id = out) == NULL && (id = ctl_ident_alloc()) == NULL)
		return CTL_STORE;
	rc = cadv_ident_resolve(txn, raw, rlen, id, &n);
	if (rc == 0) {
		cg = cadv_ident_str(id, CADV_IS_CGROUP, &cl);
		memcpy(name, cg, cl);
		*len = cl;
		*resolved = 1;
		rc = CTL_OK;
	} else if (rc == CADV_AMBIGUOUS) {
		fprintf(stderr, "cadvctl: ");
		cgname_fputs(raw, rlen, stderr);
		fprintf(stderr, " names %zu live containers:\n", n);
		ctl_list_matches(txn, raw, rlen);
		fprintf(stderr, "cadvctl: give its full id, a longer id prefix, "
		    "namespace/pod/container, or its cgroup path\n");
		rc = CTL_USAGE;
	} else if (rc == CADV_NOTFOUND)
		rc = ctl_clean(raw, rlen, name, len);
	else
		rc = ctl_store_error(ctl, "looking up a container's identity",
		    rc);
	if (id != out)
		free(id);
	return rc;
}

int
ctl_container_ident(struct cadv_txn *txn, const struct cadv_container *c,
    struct cadv_ident *id)
{
	int rc;

	/* a deleted container: who it was when it went, not whoever may
	 * have been stored under its name since */
	rc = cadv_ident_find(txn, c->name, c->name_len, c->deleted_ns, id);
	/* nor an earlier container's of the same cgroup name */
	if (rc == 0 && !cadv_ident_belongs(id, c))
		rc = CADV_NOTFOUND;
	return rc;
}

int
ctl_find(struct ctl *ctl, struct cadv_txn *txn, const char *arg,
    struct cadv_container *c, struct cadv_ident *id, int *have_id)
{
	char name[CGNAME_MAX];
	struct cadv_ident *buf = id;
	size_t len;
	int rc, resolved;

	if (have_id != NULL)
		*have_id = 0;
	if (buf == NULL && (buf = ctl_ident_alloc()) == NULL)
		return CTL_STORE;
	if ((rc = ctl_target(ctl, txn, arg, name, &len, buf, &resolved)) !=
	    CTL_OK)
		goto out;
	rc = cadv_container_find(txn, name, len, c);
	if (rc == CADV_NOTFOUND) {
		char raw[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
		size_t rlen = 0, il;
		const char *rt, *cid;

		(void)ctl_raw(ctl, arg, raw, &rlen);	/* it read once */
		if (resolved) {
			rt = cadv_runtime_name(buf->runtime);
			cid = cadv_ident_str(buf, CADV_IS_ID, &il);
			fprintf(stderr, "cadvctl: ");
			cgname_fputs(raw, rlen, stderr);
			fprintf(stderr, " is %s%scontainer ", rt, *rt ? " " : "");
			cgname_fputs(cid, il < 12 ? il : 12, stderr);
			fprintf(stderr, "%s with cgroup ", buf->gone_ns ?
			    " (gone)" : "");
			cgname_fputs(name, len, stderr);
			fprintf(stderr, ", which is not in %s\n",
			    ctl->store_dir);
		} else {
			fprintf(stderr, "cadvctl: no container ");
			cgname_fputs(name, len, stderr);
			fprintf(stderr, " in %s", ctl->store_dir);
			if (rlen > 0 && raw[0] != '/') {
				fprintf(stderr, ", and no runtime container ");
				cgname_fputs(raw, rlen, stderr);
				fprintf(stderr, " (name, id, id prefix or "
				    "namespace/pod/container)");
			}
			fputc('\n', stderr);
		}
		rc = CTL_NOTFOUND;
		goto out;
	}
	if (rc != 0) {
		rc = ctl_store_error(ctl, "looking up a container", rc);
		goto out;
	}
	rc = CTL_OK;
	if (have_id == NULL)
		goto out;
	if (resolved)
		*have_id = 1;
	else if ((rc = ctl_container_ident(txn, c, buf)) == 0)
		*have_id = 1;
	else if (rc == CADV_NOTFOUND)
		rc = CTL_OK;
	else
		rc = ctl_store_error(ctl, "looking up a container's identity",
		    rc);
out:
	if (buf != id)
		free(buf);
	return rc;
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
