/*
 * exporterd: Prometheus /metrics, cAdvisor's JSON API and a web page,
 * from the store, read-only.  Binds its socket, opens the store and reads
 * its password, certificate and key files, drops privileges and enters
 * its seccomp filter, and only then starts the HTTP threads, which
 * inherit both.
 */
#include <arpa/inet.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "clock.h"
#include "conns.h"
#include "daemon.h"
#include "exporterd.h"
#include "hosts.h"
#include "http.h"
#include "hostroot.h"
#include "log.h"
#include "loopfds.h"
#include "paths.h"
#include "unixsock.h"

#define LISTEN_DEFAULT		"127.0.0.1:8080"	/* cAdvisor's port */
#define SLOTS			512	/* connections served at once */
#define HEADER_DEADLINE_MS	2000	/* for a request's line and headers */
#define CONNECTION_TIMEOUT_S	10	/* silence that ends a connection */
#define REQUEST_MEMORY		(32 * 1024)	/* headers and URL, at most */
#define HTTP_THREADS		2
#define LISTEN_BACKLOG		4096
#define FILE_MAX		(1024 * 1024)	/* htpasswd, certificate, key */
#define MMAP_THRESHOLD		(64 * 1024)
#define STATS_EVERY_NS		(60 * 1000000000ULL)

struct tls {
	char	*cert, *key;		/* PEM, NUL-terminated */
	size_t	 certlen, keylen;
};

static void
usage(void)
{
	fprintf(stderr, "usage: exporterd [-d] [--store DIR] "
	    "[--listen ADDR:PORT | --listen unix:PATH]\n"
	    "                 [--disable-metrics GROUP,...] "
	    "[--allowed-hosts NAME,...]\n"
	    "                 [--http-auth-file FILE] [--http-auth-realm REALM]\n"
	    "                 [--tls-cert FILE --tls-key FILE] "
	    "[--labels cadvisor|kubelet]\n"
	    "                 [--store-container-labels true|false] "
	    "[--whitelisted-container-labels KEY,...]\n"
	    "                 [--env-metadata-whitelist NAME,...] "
	    DAEMON_USAGE "\n");
	exit(2);
}

/* A whole file, at most FILE_MAX bytes, NUL-terminated; exits on failure.
 * Read as root before the drop: a file only root may read is the usual
 * place for a key. */
static char *
read_file(const char *what, const char *path, size_t *lenp)
{
	struct stat sb;
	size_t len = 0;
	ssize_t n;
	char *p;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		fatal("%s %s", what, path);
	if (fstat(fd, &sb) == -1)
		fatal("%s %s: fstat", what, path);
	if (!S_ISREG(sb.st_mode))
		fatalx("%s %s: not a regular file", what, path);
	if ((p = malloc(FILE_MAX + 1)) == NULL)
		fatal("malloc");
	while ((n = read(fd, p + len, FILE_MAX + 1 - len)) > 0)
		if ((len += (size_t)n) > FILE_MAX)
			fatalx("%s %s: larger than %d bytes", what, path,
			    FILE_MAX);
	if (n == -1)
		fatal("%s %s: read", what, path);
	close(fd);
	p[len] = '\0';
	*lenp = len;
	return p;
}

static void
wipe(char *p, size_t len)
{
	if (p != NULL)
		freezero(p, len + 1);
}

/* The soft descriptor limit raised to the hard one: each slot is a
 * socket; returns the slots it allows. */
static unsigned
descriptors(void)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return SLOTS;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	/* a slot, one cut and not yet closed, and 64 for everything else */
	want = (rlim_t)SLOTS * 2 + 64;
	if (rl.rlim_cur >= want)
		return SLOTS;
	if (rl.rlim_cur < 128 + 64)
		fatalx("RLIMIT_NOFILE is %llu: exporterd needs 192 descriptors "
		    "at least", (unsigned long long)rl.rlim_cur);
	log_warnx("RLIMIT_NOFILE is %llu: %llu connections at once, not %d",
	    (unsigned long long)rl.rlim_cur,
	    (unsigned long long)(rl.rlim_cur - 64) / 2, SLOTS);
	return (unsigned)((rl.rlim_cur - 64) / 2);
}

static unsigned
parse_groups(const char *arg)
{
	char *copy, *tok, *p;
	unsigned mask = 0;
	int i;

	if ((copy = strdup(arg)) == NULL)
		fatal("strdup");
	for (p = copy; (tok = strsep(&p, ",")) != NULL;) {
		if (*tok == '\0')
			continue;
		for (i = 0; i < G_NGROUPS; i++)
			if (strcmp(tok, metric_group_names[i]) == 0)
				break;
		if (i == G_NGROUPS) {
			log_warnx("--disable-metrics: unknown group %s (cpu, "
			    "percpu, memory, diskIO, disk, network, process, "
			    "oom_event, pressure, cpuLoad)", tok);
			usage();
		}
		mask |= 1u << i;
	}
	free(copy);
	return mask;
}

static int
parse_bool(const char *opt, const char *arg)
{
	if (strcmp(arg, "true") == 0)
		return 1;
	if (strcmp(arg, "false") == 0)
		return 0;
	log_warnx("%s %s: true or false", opt, arg);
	usage();
	return 0;
}

static void
parse_names(const char *opt, struct namelist *nl, const char *arg)
{
	char err[256];

	if (namelist_parse(nl, arg, err, sizeof(err)) == -1) {
		log_warnx("%s %s: %s", opt, arg, err);
		usage();
	}
}

/* ADDR:PORT ([v6]:PORT too) or unix:PATH; a bound, listening socket.
 * addr gets the address (no brackets), "" for a unix socket. */
static int
listen_on(const char *spec, char *unix_path, size_t upsz, char *addr,
    size_t addrsz)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	char host[256], err[PATH_MAX + 128];
	const char *colon, *errstr;
	socklen_t len;
	long long port;
	int fd, one = 1;

	unix_path[0] = '\0';
	addr[0] = '\0';
	if (strncmp(spec, "unix:", 5) == 0) {
		if ((fd = unixsock_listen(spec + 5, LISTEN_BACKLOG, err,
		    sizeof(err))) == -1)
			fatalx("--listen %s", err);
		strlcpy(unix_path, spec + 5, upsz);
		return fd;
	}
	memset(&ss, 0, sizeof(ss));
	if ((colon = strrchr(spec, ':')) == NULL ||
	    (size_t)(colon - spec) >= sizeof(host))
		fatalx("--listen %s: want ADDR:PORT or unix:PATH", spec);
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	port = strtonum(colon + 1, 1, 65535, &errstr);
	if (errstr != NULL)
		fatalx("--listen %s: port %s", spec, errstr);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
			fatalx("--listen %s: not an IPv6 address", spec);
		strlcpy(addr, host + 1, addrsz);
		len = sizeof(*in6);
	} else {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &in4->sin_addr) != 1)
			fatalx("--listen %s: not an IPv4 address", spec);
		strlcpy(addr, host, addrsz);
		len = sizeof(*in4);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		fatal("socket");
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		fatal("--listen %s: bind", spec);
	if (listen(fd, LISTEN_BACKLOG) == -1)
		fatal("listen");
	return fd;
}

/* The socket's group is the store's (its readers'), so that who may read
 * the store may ask exporterd and nobody else: mode 0660, owner the user
 * exporterd becomes.  As root only; the store's group, else the user's. */
static void
socket_owner(const char *path, const char *store, const struct daemon_ctx *dc)
{
	struct stat sb;
	gid_t gid = dc->pu.gid;

	if (!priv_is_root())
		return;
	if (stat(store, &sb) == 0)
		gid = sb.st_gid;
	/* a socket just made: lstat checks nothing replaced it meanwhile */
	if (lstat(path, &sb) == -1 || !S_ISSOCK(sb.st_mode))
		fatalx("--listen %s: no longer a socket", path);
	if (fchownat(AT_FDCWD, path, dc->pu.uid, gid, AT_SYMLINK_NOFOLLOW) == -1)
		fatal("chown %s", path);
}

/* libmicrohttpd's messages are about single connections (a client that
 * went away mid-request, one cut by conns.c): debug, or an attack's
 * thousands of connections would flood the log */
static void mhd_log(void *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	if (log_getlevel() < LOG_LVL_DEBUG)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_debug("libmicrohttpd: %s", msg);
}

static int
start_tls(struct MHD_OptionItem *o, const struct tls *t)
{
	if (t->cert == NULL)
		return 0;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		fatalx("--tls-cert: this libmicrohttpd was built without TLS");
	o[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, t->cert };
	o[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, t->key };
	return 2;
}

static struct MHD_Daemon *
start_http(struct exporter *ex, int lfd, unsigned slots, const struct tls *t)
{
	struct MHD_OptionItem o[16];
	size_t n = 0;

	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_SOCKET, lfd, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE,
	    HTTP_THREADS, NULL };
	/* conns.c keeps to slots; libmicrohttpd's own limit (split between
	 * its threads, and counting connections cut but not yet closed)
	 * must never be what refuses a connection */
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
	    (intptr_t)slots * 2 * HTTP_THREADS, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT,
	    CONNECTION_TIMEOUT_S, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    REQUEST_MEMORY, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION,
	    (intptr_t)conns_notify, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED,
	    (intptr_t)http_completed, NULL };
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_EXTERNAL_LOGGER,
	    (intptr_t)mhd_log, NULL };
	n += (size_t)start_tls(o + n, t);
	o[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	/* suspend and resume: a stream of events waits for the next */
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
	    (t->cert ? MHD_USE_TLS : 0),
	    0, NULL, NULL, http_handler, ex, MHD_OPTION_ARRAY, o,
	    MHD_OPTION_END);
}

static void
log_conns(uint64_t *last_ns)
{
	struct conns_stats cs;
	uint64_t now = clock_mono_ns();

	if (now - *last_ns < STATS_EVERY_NS)
		return;
	*last_ns = now;
	conns_take_stats(&cs);
	if (cs.late || cs.evicted)
		log_warnx("in the last minute: %llu connections cut for not "
		    "sending a request's headers within %d ms, %llu to make "
		    "room for new ones",
		    (unsigned long long)cs.late, HEADER_DEADLINE_MS,
		    (unsigned long long)cs.evicted);
}

/* exporterd's life: its options, what it opens as root, then the loop */
struct exporterd {
	struct exporter		 ex;
	struct hostcheck	 hosts;
	struct auth		 auth;
	struct daemon_ctx	 dc;
	struct tls		 tls;
	const char		*store_arg, *listen_arg, *hosts_arg;
	const char		*auth_arg, *realm, *cert_arg, *key_arg;
	const char		*host_root;
	char			 dir[PATH_MAX], unix_path[PATH_MAX];
	char			 addr[INET6_ADDRSTRLEN + 2];
	struct cadv		*st;		/* NULL until there is a store */
	struct MHD_Daemon	*mhd;
	unsigned		 slots;
	int			 lfd, sfd, efd;
	int			 said_eacces;
	uint64_t		 stats_ns;
};

static void
parse_options(struct exporterd *e, int argc, char **argv)
{
	enum {
		OPT_ALLOWED_HOSTS = 0x200, OPT_AUTH_FILE, OPT_AUTH_REALM,
		OPT_TLS_CERT, OPT_TLS_KEY, OPT_LABELS, OPT_STORE_LABELS,
		OPT_LABEL_ALLOW, OPT_ENV_ALLOW, OPT_HOST_ROOT,
	};
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "disable-metrics", required_argument, NULL, 'D' },
		{ "allowed-hosts", required_argument, NULL, OPT_ALLOWED_HOSTS },
		{ "http-auth-file", required_argument, NULL, OPT_AUTH_FILE },
		{ "http-auth-realm", required_argument, NULL, OPT_AUTH_REALM },
		{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
		{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
		{ "labels", required_argument, NULL, OPT_LABELS },
		{ "store-container-labels", required_argument, NULL,
		    OPT_STORE_LABELS },
		{ "whitelisted-container-labels", required_argument, NULL,
		    OPT_LABEL_ALLOW },
		{ "env-metadata-whitelist", required_argument, NULL,
		    OPT_ENV_ALLOW },
		{ "host-root", required_argument, NULL, OPT_HOST_ROOT },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct exporter *ex = &e->ex;
	char err[PATH_MAX + 256];
	int ch;

	e->listen_arg = LISTEN_DEFAULT;
	e->realm = AUTH_REALM_DEFAULT;
	e->host_root = getenv(HOSTROOT_ENV);
	ex->store_labels = 1;
	while ((ch = getopt_long(argc, argv, "s:l:D:dU:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			e->store_arg = optarg;
			break;
		case 'l':
			e->listen_arg = optarg;
			break;
		case 'D':
			ex->disabled = parse_groups(optarg);
			break;
		case OPT_ALLOWED_HOSTS:
			e->hosts_arg = optarg;
			break;
		case OPT_AUTH_FILE:
			e->auth_arg = optarg;
			break;
		case OPT_AUTH_REALM:
			e->realm = optarg;
			break;
		case OPT_TLS_CERT:
			e->cert_arg = optarg;
			break;
		case OPT_TLS_KEY:
			e->key_arg = optarg;
			break;
		case OPT_LABELS:
			if (strcmp(optarg, "cadvisor") == 0)
				ex->label_mode = LABELS_CADVISOR;
			else if (strcmp(optarg, "kubelet") == 0)
				ex->label_mode = LABELS_KUBELET;
			else {
				log_warnx("--labels %s: cadvisor or kubelet",
				    optarg);
				usage();
			}
			break;
		case OPT_STORE_LABELS:
			ex->store_labels = parse_bool(
			    "--store-container-labels", optarg);
			break;
		case OPT_LABEL_ALLOW:
			parse_names("--whitelisted-container-labels",
			    &ex->label_allow, optarg);
			break;
		case OPT_ENV_ALLOW:
			parse_names("--env-metadata-whitelist", &ex->env_allow,
			    optarg);
			break;
		case OPT_HOST_ROOT:
			e->host_root = optarg;
			break;
		default:
			if (!daemon_option(&e->dc, ch, optarg))
				usage();
		}
	}
	if (optind != argc)
		usage();
	if (hostroot_set(e->host_root, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (ex->store_labels && ex->label_allow.n > 0)
		log_warnx("--whitelisted-container-labels has no effect "
		    "without --store-container-labels=false");
	if ((e->cert_arg == NULL) != (e->key_arg == NULL)) {
		log_warnx("--tls-cert and --tls-key go together");
		usage();
	}
}

/* The store (if there is one yet), the password file, the TLS key, the
 * listening socket: what only root may open or read, before the drop. */
static void
open_privileged(struct exporterd *e)
{
	char err[PATH_MAX + 256], *text;
	size_t len;
	int rc;

	if (paths_store(e->store_arg, e->dir, sizeof(e->dir), err,
	    sizeof(err)) != 0)
		fatalx("%s", err);
	/* no store yet (exporterd started first): answer 503 until it is */
	if ((rc = cadv_open(e->dir, &e->st, err, sizeof(err))) != 0 &&
	    rc != CADV_NOSTORE && rc != CADV_UPGRADING)
		fatalx("%s", err);
	if (rc == CADV_NOSTORE)
		log_warnx("%s: waiting for collectord to make the store",
		    e->dir);
	else if (rc == CADV_UPGRADING)
		log_warnx("%s; waiting", err);
	__atomic_store_n(&e->ex.st, e->st, __ATOMIC_RELEASE);
	e->ex.hosts = &e->hosts;
	if (e->auth_arg != NULL) {
		text = read_file("--http-auth-file", e->auth_arg, &len);
		if (auth_init(&e->auth, text, len, e->realm, err,
		    sizeof(err)) == -1)
			fatalx("--http-auth-file %s: %s", e->auth_arg, err);
		wipe(text, len);
		e->ex.auth = &e->auth;
		log_info("%s: %zu users; every path but /healthz asks for one",
		    e->auth_arg, e->auth.users.n);
	}
	if (e->cert_arg != NULL) {
		e->tls.cert = read_file("--tls-cert", e->cert_arg,
		    &e->tls.certlen);
		e->tls.key = read_file("--tls-key", e->key_arg,
		    &e->tls.keylen);
	}
	e->lfd = listen_on(e->listen_arg, e->unix_path, sizeof(e->unix_path),
	    e->addr, sizeof(e->addr));
	if (hostcheck_init(&e->hosts, e->unix_path[0] ? NULL : e->addr,
	    e->hosts_arg, err, sizeof(err)) == -1)
		fatalx("--allowed-hosts: %s", err);
	if (e->unix_path[0])
		socket_owner(e->unix_path, e->dir, &e->dc);
	else if (e->ex.auth && e->tls.cert == NULL &&
	    strcmp(e->addr, "127.0.0.1") && strcmp(e->addr, "::1"))
		log_warnx("passwords travel in clear text to %s: add --tls-cert "
		    "and --tls-key", e->listen_arg);
	e->slots = descriptors();
	e->sfd = loop_signalfd(0);
	if ((e->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		fatal("eventfd");
	conns_init(e->slots, HEADER_DEADLINE_MS, e->efd);
}

/* Drops to exporterd's user, a reader of the store (its files stay the
 * writers'), under the SANDBOX_EXPORTERD system calls; then serves. */
static void
confine(struct exporterd *e)
{
	/* freed answers go back to the system at once, not to a heap that
	 * keeps them (an explicit threshold stops glibc raising it) */
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
	daemon_drop(&e->dc, NULL, NULL, SANDBOX_EXPORTERD);
	if (e->st != NULL)
		sandbox_reader_ready(!e->dc.no_seccomp);
	e->mhd = start_http(&e->ex, e->lfd, e->slots, &e->tls);
	if (e->mhd == NULL)
		fatalx("cannot start the HTTP server on %s%s", e->listen_arg,
		    e->tls.cert ? " (are the certificate and key PEM, and a "
		    "pair?)" : "");
	/* libmicrohttpd has made its own copies */
	wipe(e->tls.key, e->tls.keylen);
	wipe(e->tls.cert, e->tls.certlen);
	log_info("store %s, listening on %s%s", e->dir, e->listen_arg,
	    e->tls.cert ? " (TLS)" : "");
}

/* A store that was not there at start-up, once collectord has made it. */
static void
await_store(struct exporterd *e)
{
	char err[PATH_MAX + 256];
	int rc;

	if ((rc = cadv_open(e->dir, &e->st, err, sizeof(err))) == 0) {
		log_info("%s: the store is there now", e->dir);
		sandbox_reader_ready(!e->dc.no_seccomp);
		__atomic_store_n(&e->ex.st, e->st, __ATOMIC_RELEASE);
	} else if (rc == EACCES) {
		/* a root writer makes the files before handing them to its
		 * user: wait, and say so once */
		if (!e->said_eacces++)
			log_warnx("%s; waiting", err);
	} else if (rc != CADV_NOSTORE && rc != CADV_UPGRADING)
		fatalx("%s", err);
}

/* libmicrohttpd's threads answer; this loop reaps idle connections and
 * waits for a signal, which it returns. */
static uint32_t
run(struct exporterd *e)
{
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	uint64_t wake;
	int timeout;

	e->stats_ns = clock_mono_ns();
	pfd[0] = (struct pollfd){ e->sfd, POLLIN, 0 };
	pfd[1] = (struct pollfd){ e->efd, POLLIN, 0 };
	for (;;) {
		if (e->st == NULL)
			await_store(e);
		timeout = conns_reap();
		log_conns(&e->stats_ns);
		if (e->st == NULL && (timeout == -1 || timeout > 1000))
			timeout = 1000;
		if (poll(pfd, 2, timeout) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[1].revents & POLLIN)
			(void)!read(e->efd, &wake, sizeof(wake));
		if ((pfd[0].revents & POLLIN) &&
		    read(e->sfd, &si, sizeof(si)) == sizeof(si))
			return si.ssi_signo;
	}
}

static void
finish(struct exporterd *e)
{
	http_stop();
	MHD_stop_daemon(e->mhd);
	if (e->unix_path[0])
		(void)unlink(e->unix_path);
	cadv_close(e->st);
	if (e->ex.auth != NULL)
		auth_free(&e->auth);
	free(e);
}

int
main(int argc, char **argv)
{
	struct exporterd *e;

	log_init("exporterd", 0);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		fatal("calloc");
	parse_options(e, argc, argv);
	daemon_start(&e->dc);
	open_privileged(e);
	confine(e);
	log_info("exiting on signal %u", run(e));
	finish(e);
	return 0;
}
