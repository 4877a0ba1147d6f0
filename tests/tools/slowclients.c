/*
 * slowclients: holds many connections to an HTTP server on 127.0.0.1 that
 * send their request's headers a byte at a time and never finish them
 * (reopening any the server closes), while one ordinary client asks for a
 * path every interval and times the whole answer.  Ends by itself after
 * --seconds; exit status 0 when every ordinary request was answered 200
 * within --limit-ms, 1 otherwise, 2 for a usage error, 3 when this
 * process may not have the descriptors it needs.
 */
#include <arpa/inet.h>
#include <bsd/stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TRICKLE_MS	500	/* one header byte per connection this often */
#define PROBE_TIMEOUT_S	5

struct opts {
	int		 port;
	unsigned	 conns;
	unsigned	 seconds;
	unsigned	 every_ms, limit_ms;
	const char	*path;
};

static struct opts o = { 0, 2000, 30, 1000, 1000, "/metrics" };
static volatile int done;

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct sockaddr_in
server(void)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)o.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

/* A slow client: connecting, then its request line and one header
 * started, then a byte of that header every TRICKLE_MS. */
struct slow {
	int		 fd;
	int		 started;	/* the first bytes went out */
};

static int
slow_open(struct slow *s)
{
	struct sockaddr_in sin = server();

	s->started = 0;
	if ((s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if (connect(s->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

static void
slow_close(struct slow *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

struct tally {
	unsigned long	opened, closed_by_server;
};

static void
slow_loop(struct slow *sl, struct pollfd *pf, struct tally *t, uint64_t end)
{
	static const char head[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "X-Slow: ";
	uint64_t next_trickle = now_ms() + TRICKLE_MS;
	char junk[512];
	unsigned i;
	int n;

	while (!done && now_ms() < end) {
		for (i = 0; i < o.conns; i++) {
			if (sl[i].fd == -1 && slow_open(&sl[i]) == 0)
				t->opened++;
			pf[i].fd = sl[i].fd;
			pf[i].events = sl[i].started ? POLLIN : POLLOUT;
			pf[i].revents = 0;
		}
		n = poll(pf, o.conns, 100);
		for (i = 0; n > 0 && i < o.conns; i++) {
			if (pf[i].revents == 0 || sl[i].fd == -1)
				continue;
			if (!sl[i].started && (pf[i].revents & POLLOUT) &&
			    !(pf[i].revents & (POLLERR | POLLHUP))) {
				if (send(sl[i].fd, head, sizeof(head) - 1,
				    MSG_NOSIGNAL) == (ssize_t)sizeof(head) - 1)
					sl[i].started = 1;
				else
					slow_close(&sl[i]);
				continue;
			}
			/* anything from the server is it giving up on us */
			if (recv(sl[i].fd, junk, sizeof(junk), 0) != -1 ||
			    errno != EAGAIN) {
				t->closed_by_server++;
				slow_close(&sl[i]);
			}
		}
		if (now_ms() >= next_trickle) {
			next_trickle += TRICKLE_MS;
			for (i = 0; i < o.conns; i++)
				if (sl[i].fd != -1 && sl[i].started &&
				    send(sl[i].fd, "a", 1, MSG_NOSIGNAL) != 1)
					slow_close(&sl[i]);
		}
	}
}

struct probes {
	unsigned	 n, late, failed;
	uint64_t	 worst_ms;
};

/* One ordinary request, whole answer read; its time or -1 */
static long
probe(int *status)
{
	struct sockaddr_in sin = server();
	struct timeval tv = { PROBE_TIMEOUT_S, 0 };
	char req[512], buf[65536];
	uint64_t t0 = now_ms();
	ssize_t n;
	int fd, first = 1;

	*status = 0;
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n\r\n", o.path);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		if (first) {
			buf[n] = '\0';
			if (sscanf(buf, "HTTP/1.%*d %d", status) != 1)
				*status = 0;
			first = 0;
		}
		if (now_ms() - t0 > (uint64_t)PROBE_TIMEOUT_S * 1000)
			break;
	}
	close(fd);
	if (n < 0)
		return -1;
	return (long)(now_ms() - t0);
}

static void *
probe_loop(void *arg)
{
	struct probes *p = arg;
	uint64_t end = now_ms() + (uint64_t)o.seconds * 1000, next;
	long ms;
	int status;

	/* the slow clients first get their connections in */
	next = now_ms() + 2000;
	while (!done && next < end) {
		while (now_ms() < next)
			usleep(10000);
		next += o.every_ms;
		ms = probe(&status);
		p->n++;
		if (ms < 0 || status != 200) {
			p->failed++;
			printf("probe %u: failed (status %d, %ld ms)\n", p->n,
			    status, ms);
		} else {
			if ((uint64_t)ms > p->worst_ms)
				p->worst_ms = (uint64_t)ms;
			if (ms >= (long)o.limit_ms)
				p->late++;
			printf("probe %u: %ld ms\n", p->n, ms);
		}
		fflush(stdout);
	}
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: slowclients --port PORT [--conns N] "
	    "[--seconds S] [--every-ms MS] [--limit-ms MS] [--path PATH]\n");
	exit(2);
}

static unsigned
num(const char *what, const char *s, long long lo, long long hi)
{
	const char *errstr;
	long long v = strtonum(s, lo, hi, &errstr);

	if (errstr != NULL) {
		fprintf(stderr, "slowclients: %s %s: %s\n", what, s, errstr);
		usage();
	}
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "conns", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "every-ms", required_argument, NULL, 'e' },
		{ "limit-ms", required_argument, NULL, 'l' },
		{ "path", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct probes pr = { 0, 0, 0, 0 };
	struct tally t = { 0, 0 };
	struct rlimit rl;
	struct slow *sl;
	struct pollfd *pf;
	pthread_t th;
	unsigned i;
	int ch;

	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'p': o.port = (int)num("--port", optarg, 1, 65535); break;
		case 'c': o.conns = num("--conns", optarg, 1, 100000); break;
		case 's': o.seconds = num("--seconds", optarg, 3, 3600); break;
		case 'e': o.every_ms = num("--every-ms", optarg, 10, 60000); break;
		case 'l': o.limit_ms = num("--limit-ms", optarg, 1, 60000); break;
		case 'P': o.path = optarg; break;
		default: usage();
		}
	}
	if (o.port == 0 || optind != argc)
		usage();
	/* a descriptor a connection, and some for the rest */
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 3;
	rl.rlim_cur = rl.rlim_max;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur < (rlim_t)o.conns + 64) {
		fprintf(stderr, "slowclients: RLIMIT_NOFILE %llu: %u "
		    "connections need %u\n", (unsigned long long)rl.rlim_cur,
		    o.conns, o.conns + 64);
		return 3;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((sl = calloc(o.conns, sizeof(*sl))) == NULL ||
	    (pf = calloc(o.conns, sizeof(*pf))) == NULL)
		return 3;
	for (i = 0; i < o.conns; i++)
		sl[i].fd = -1;
	if (pthread_create(&th, NULL, probe_loop, &pr) != 0)
		return 3;
	slow_loop(sl, pf, &t, now_ms() + (uint64_t)o.seconds * 1000);
	done = 1;
	pthread_join(th, NULL);
	for (i = 0; i < o.conns; i++)
		slow_close(&sl[i]);
	printf("slow connections: %u held, %lu opened, %lu closed by the "
	    "server\n", o.conns, t.opened, t.closed_by_server);
	printf("ordinary requests: %u, %u failed, %u took %u ms or more, "
	    "the slowest %llu ms\n", pr.n, pr.failed, pr.late, o.limit_ms,
	    (unsigned long long)pr.worst_ms);
	free(sl);
	free(pf);
	return pr.n > 0 && pr.failed == 0 && pr.late == 0 ? 0 : 1;
}
