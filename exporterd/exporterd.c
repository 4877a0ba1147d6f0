/*
 * exporterd: Prometheus /metrics, cAdvisor's JSON API and a web page,
 * from the store, read-only.  Binds its socket and opens the store, drops
 * privileges and enters its seccomp filter, and only then starts the HTTP
 * threads, which inherit both.
 */
#include <arpa/inet.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon.h"
#include "exporterd.h"
#include "http.h"
#include "log.h"
#include "loopfds.h"
#include "paths.h"
#include "unixsock.h"

#define LISTEN_DEFAULT		"127.0.0.1:8080"	/* cAdvisor's port */
#define MAX_CONNECTIONS		512
#define CONNECTION_TIMEOUT_S	10
#define REQUEST_MEMORY		(32 * 1024)	/* headers and URL, at most */
#define HTTP_THREADS		2

static void
usage(void)
{
	fprintf(stderr, "usage: exporterd [-d] [--store DIR] "
	    "[--listen ADDR:PORT | --listen unix:PATH]\n"
	    "                 [--disable-metrics GROUP,...] " DAEMON_USAGE "\n");
	exit(2);
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
			    "percpu, memory, diskIO, network, process, "
			    "oom_event, pressure)", tok);
			usage();
		}
		mask |= 1u << i;
	}
	free(copy);
	return mask;
}

/* ADDR:PORT ([v6]:PORT too) or unix:PATH; a bound, listening socket */
static int
listen_on(const char *spec, char *unix_path, size_t upsz)
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
	if (strncmp(spec, "unix:", 5) == 0) {
		if ((fd = unixsock_listen(spec + 5, 128, err, sizeof(err))) == -1)
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
		len = sizeof(*in6);
	} else {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &in4->sin_addr) != 1)
			fatalx("--listen %s: not an IPv4 address", spec);
		len = sizeof(*in4);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1)
		fatal("socket");
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		fatal("--listen %s: bind", spec);
	if (listen(fd, 128) == -1)
		fatal("listen");
	return fd;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "disable-metrics", required_argument, NULL, 'D' },
		DAEMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static struct exporter ex;
	struct daemon_ctx dc = { 0 };
	struct store *st = NULL;
	struct MHD_Daemon *mhd;
	struct signalfd_siginfo si;
	struct pollfd pfd;
	const char *store_arg = NULL, *listen_arg = LISTEN_DEFAULT;
	char dir[PATH_MAX], err[PATH_MAX + 256], unix_path[PATH_MAX];
	int ch, lfd, sfd, rc, said_eacces = 0;

	log_init("exporterd", 0);
	while ((ch = getopt_long(argc, argv, "s:l:D:dU:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			store_arg = optarg;
			break;
		case 'l':
			listen_arg = optarg;
			break;
		case 'D':
			ex.disabled = parse_groups(optarg);
			break;
		default:
			if (!daemon_option(&dc, ch, optarg))
				usage();
		}
	}
	if (optind != argc)
		usage();
	daemon_start(&dc);
	if (paths_store(store_arg, dir, sizeof(dir), err, sizeof(err)) != 0)
		fatalx("%s", err);
	/* no store yet (exporterd started first): answer 503 until it is */
	if ((rc = store_open(&st, dir, STORE_RDONLY, err, sizeof(err))) != 0 &&
	    rc != STORE_NOSTORE && rc != STORE_UPGRADING)
		fatalx("%s", err);
	if (rc == STORE_NOSTORE)
		log_warnx("%s: waiting for collectord to make the store", dir);
	else if (rc == STORE_UPGRADING)
		log_warnx("%s; waiting", err);
	__atomic_store_n(&ex.st, st, __ATOMIC_RELEASE);
	lfd = listen_on(listen_arg, unix_path, sizeof(unix_path));
	sfd = loop_signalfd(0);
	/* a reader of the store: its files stay the writers' */
	daemon_drop(&dc, NULL, unix_path[0] ? unix_path : NULL,
	    SANDBOX_EXPORTERD);
	if (st != NULL)
		sandbox_reader_ready(!dc.no_seccomp);

	mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, http_handler, &ex,
	    MHD_OPTION_LISTEN_SOCKET, lfd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)HTTP_THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
	    MHD_OPTION_END);
	if (mhd == NULL)
		fatalx("cannot start the HTTP server on %s", listen_arg);
	log_info("store %s, listening on %s", dir, listen_arg);

	pfd = (struct pollfd){ sfd, POLLIN, 0 };
	for (;;) {
		if (st == NULL && (rc = store_open(&st, dir, STORE_RDONLY, err,
		    sizeof(err))) == 0) {
			log_info("%s: the store is there now", dir);
			sandbox_reader_ready(!dc.no_seccomp);
			__atomic_store_n(&ex.st, st, __ATOMIC_RELEASE);
		} else if (st == NULL && rc == EACCES) {
			/* a root writer makes the files before handing them
			 * to its user: wait, and say so once */
			if (!said_eacces++)
				log_warnx("%s; waiting", err);
		} else if (st == NULL && rc != STORE_NOSTORE &&
		    rc != STORE_UPGRADING)
			fatalx("%s", err);
		if (poll(&pfd, 1, st == NULL ? 1000 : -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if ((pfd.revents & POLLIN) &&
		    read(sfd, &si, sizeof(si)) == sizeof(si))
			break;
	}
	log_info("exiting on signal %u", si.ssi_signo);
	MHD_stop_daemon(mhd);
	if (unix_path[0])
		(void)unlink(unix_path);
	store_close(st);
	return 0;
}
