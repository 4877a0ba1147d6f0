/* cadvctl top: a live table of containers from the store alone, like
 * systemd-cgtop: cpu (percent of one cpu), memory, io rate, tasks, and
 * the identity of those a runtime made (name, image, pod). */
#include <bsd/stdlib.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cadvctl.h"
#include "clock.h"
#include "duration.h"

enum top_sort { SORT_CPU, SORT_MEM, SORT_IO, SORT_NAME };

struct row {
	char		 name[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	double		 cpu;		/* percent of one cpu, -1 unknown */
	double		 io;		/* bytes/s, -1 unknown */
	uint64_t	 mem, tasks;
	int		 has_mem, has_tasks;
	struct ctl_cells cells;
};

struct top {
	struct ctl	*ctl;
	struct cadv_txn	*txn;
	struct row	*rows;
	size_t		 n, cap;
	uint64_t	 ts[2];
	struct cadv_sample	*s[2];
	int		 ns;
	int		 k8s;
	size_t		 nid;		/* rows with an identity */
	struct cadv_ident	*id;
};

static int
keep_sample(uint64_t ts, const struct cadv_sample *s, void *arg)
{
	struct top *t = arg;

	if (t->ns < 2) {
		t->ts[t->ns] = ts;
		*t->s[t->ns] = *s;
		t->ns++;
	}
	return 0;
}

static uint64_t
io_bytes(const struct cadv_sample *s)
{
	return s->v[CADV_SF_IO_READ_BYTES] + s->v[CADV_SF_IO_WRITE_BYTES];
}

static int
add_row(const struct cadv_container *c, void *arg)
{
	struct top *t = arg;
	const struct cadv_sample *a, *b;
	struct row *r;
	double dt;
	int rc;

	if (c->deleted_ns != 0)
		return 0;
	t->ns = 0;
	if ((rc = cadv_samples_last(t->txn, c->id, 2, keep_sample, t)) != 0)
		return rc;
	if (t->ns == 0)
		return 0;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct row *nr = reallocarray(t->rows, cap, sizeof(*nr));

		if (nr == NULL)
			return ENOMEM;
		t->rows = nr;
		t->cap = cap;
	}
	r = &t->rows[t->n++];
	cgname_escape(c->name, c->name_len, r->name, sizeof(r->name));
	rc = ctl_container_ident(t->txn, c, t->id);
	if (rc != 0 && rc != CADV_NOTFOUND)
		return rc;
	ctl_cells(rc == 0 ? t->id : NULL, &r->cells);
	t->nid += rc == 0;
	b = t->s[t->ns - 1];
	a = t->s[0];
	dt = t->ns == 2 ? (double)(t->ts[1] - t->ts[0]) / 1e9 : 0;
	r->cpu = r->io = -1;
	if (dt > 0 && cadv_sample_has(a, CADV_SF_CPU_TOTAL) && cadv_sample_has(b, CADV_SF_CPU_TOTAL) &&
	    b->v[CADV_SF_CPU_TOTAL] >= a->v[CADV_SF_CPU_TOTAL])
		r->cpu = (double)(b->v[CADV_SF_CPU_TOTAL] - a->v[CADV_SF_CPU_TOTAL]) /
		    1e9 / dt * 100;
	if (dt > 0 && cadv_sample_has(a, CADV_SF_IO_READ_BYTES) &&
	    cadv_sample_has(b, CADV_SF_IO_READ_BYTES) && io_bytes(b) >= io_bytes(a))
		r->io = (double)(io_bytes(b) - io_bytes(a)) / dt;
	r->has_mem = cadv_sample_has(b, CADV_SF_MEM_USAGE);
	r->mem = b->v[CADV_SF_MEM_USAGE];
	r->has_tasks = 1;
	if (cadv_sample_has(b, CADV_SF_PIDS_CURRENT))
		r->tasks = b->v[CADV_SF_PIDS_CURRENT];
	else if (cadv_sample_has(b, CADV_SF_PROCESSES))
		r->tasks = b->v[CADV_SF_PROCESSES];
	else
		r->has_tasks = 0;
	return 0;
}

static enum top_sort sort_key;

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	double x = 0, y = 0;

	switch (sort_key) {
	case SORT_CPU:
		x = a->cpu;
		y = b->cpu;
		break;
	case SORT_MEM:
		x = a->has_mem ? (double)a->mem : -1;
		y = b->has_mem ? (double)b->mem : -1;
		break;
	case SORT_IO:
		x = a->io;
		y = b->io;
		break;
	case SORT_NAME:
		return strcmp(a->name, b->name);
	}
	if (x != y)
		return x < y ? 1 : -1;
	return strcmp(a->name, b->name);
}

static void
human(double v, const char *unit, char *buf, size_t sz)
{
	static const char *const pfx[] = { "", "K", "M", "G", "T", "P" };
	int i = 0;

	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	snprintf(buf, sz, i ? "%.1f%s%s" : "%.0f%s%s", v, pfx[i], unit);
}

static int
draw(struct top *t, int tty)
{
	char when[RFC3339_LEN], cpu[16], mem[16], io[16], tasks[24];
	enum ctl_col cols[COL_COUNT];
	size_t i, j, ncol = 0, w, width[COL_COUNT];
	int rc;

	t->n = t->nid = 0;
	if ((rc = cadv_begin(t->ctl->db, &t->txn)) != 0)
		return ctl_store_error(t->ctl, "read transaction", rc);
	rc = cadv_containers_each(t->txn, add_row, t);
	cadv_end(t->txn);
	if (rc != 0)
		return ctl_store_error(t->ctl, "reading containers", rc);
	if (t->n > 0)
		qsort(t->rows, t->n, sizeof(*t->rows), cmp_rows);
	/* identity columns when a runtime made any of them (or asked) */
	if (t->nid > 0 || t->k8s)
		ncol = ctl_cols(t->k8s, cols);
	for (j = 0; j < ncol; j++) {
		width[j] = strlen(ctl_col_title(cols[j]));
		for (i = 0; i < t->n; i++)
			if ((w = ctl_text_cols(t->rows[i].cells.c[cols[j]])) >
			    width[j])
				width[j] = w;
	}
	clock_rfc3339(clock_now_ns(), when, sizeof(when));
	if (tty)
		fputs("\033[H\033[2J", stdout);
	printf("cadv %s  %zu containers  store %s\n", when, t->n,
	    t->ctl->store_dir);
	printf("%8s %10s %10s %7s  ", "CPU%", "MEMORY", "IO/s", "TASKS");
	for (j = 0; j < ncol; j++)
		ctl_put_cell(ctl_col_title(cols[j]), width[j]);
	printf("CGROUP\n");
	for (i = 0; i < t->n; i++) {
		const struct row *r = &t->rows[i];

		if (r->cpu < 0)
			snprintf(cpu, sizeof(cpu), "-");
		else
			snprintf(cpu, sizeof(cpu), "%.1f", r->cpu);
		if (r->has_mem)
			human((double)r->mem, "", mem, sizeof(mem));
		else
			snprintf(mem, sizeof(mem), "-");
		if (r->io < 0)
			snprintf(io, sizeof(io), "-");
		else
			human(r->io, "B", io, sizeof(io));
		if (r->has_tasks)
			snprintf(tasks, sizeof(tasks), "%llu",
			    (unsigned long long)r->tasks);
		else
			snprintf(tasks, sizeof(tasks), "-");
		printf("%8s %10s %10s %7s  ", cpu, mem, io, tasks);
		for (j = 0; j < ncol; j++)
			ctl_put_cell(r->cells.c[cols[j]], width[j]);
		printf("%s\n", r->name);
	}
	if (!tty)
		putchar('\n');
	fflush(stdout);
	return CTL_OK;
}

static struct termios saved_tio;
static int tio_saved;

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
restore_tty(void)
{
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

int
cmd_top(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 'o' },
		{ "k8s", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa;
	struct top t;
	uint64_t interval = 0;
	long long iterations = -1;
	const char *errstr;
	int ch, rc, tty;

	memset(&t, 0, sizeof(t));
	t.ctl = ctl;
	sort_key = SORT_CPU;
	while ((ch = getopt_long(argc, argv, "i:n:o:k", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			t.k8s = 1;
			break;
		case 'i':
			if (duration_parse(optarg, &interval) == -1 ||
			    interval < 100 * NS_PER_MS) {
				fprintf(stderr, "cadvctl: --interval %s: want a "
				    "duration of at least 100ms\n", optarg);
				return CTL_USAGE;
			}
			break;
		case 'n':
			iterations = strtonum(optarg, 1, 1LL << 40, &errstr);
			if (errstr != NULL) {
				fprintf(stderr, "cadvctl: --iterations %s: %s\n",
				    optarg, errstr);
				return CTL_USAGE;
			}
			break;
		case 'o':
			if (strcmp(optarg, "cpu") == 0)
				sort_key = SORT_CPU;
			else if (strcmp(optarg, "memory") == 0)
				sort_key = SORT_MEM;
			else if (strcmp(optarg, "io") == 0)
				sort_key = SORT_IO;
			else if (strcmp(optarg, "name") == 0)
				sort_key = SORT_NAME;
			else {
				fprintf(stderr, "cadvctl: --sort cpu|memory|io|"
				    "name\n");
				return CTL_USAGE;
			}
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: cadvctl top [--interval D] "
		    "[--iterations N] [--sort cpu|memory|io|name] [--k8s]\n");
		return CTL_USAGE;
	}
	if ((rc = ctl_open(ctl)) != CTL_OK)
		return rc;
	if (interval == 0) {
		struct cadv_txn *txn;

		interval = NS_PER_SEC;
		if (cadv_begin(ctl->db, &txn) == 0) {
			if (cadv_interval(txn, &interval) != 0 ||
			    interval < 100 * NS_PER_MS)
				interval = NS_PER_SEC;
			cadv_end(txn);
		}
	}
	if ((t.s[0] = malloc(sizeof(struct cadv_sample))) == NULL ||
	    (t.s[1] = malloc(sizeof(struct cadv_sample))) == NULL ||
	    (t.id = malloc(sizeof(struct cadv_ident))) == NULL) {
		free(t.s[0]);
		free(t.s[1]);
		return CTL_STORE;
	}
	tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	if (tty && tcgetattr(STDIN_FILENO, &saved_tio) == 0) {
		struct termios raw = saved_tio;

		/* keys without Enter, no echo; ^C still a signal */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		tio_saved = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
		atexit(restore_tty);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns */
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	rc = CTL_OK;
	while (iterations != 0 && !stop) {
		struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
		char key;

		if ((rc = draw(&t, tty)) != CTL_OK)
			break;
		if (iterations > 0 && --iterations == 0)
			break;
		if (tty) {
			printf("q: quit  c/m/i/n: sort by cpu/memory/io/name");
			fflush(stdout);
		}
		if (!tty) {
			usleep((useconds_t)(interval / NS_PER_US));
			continue;
		}
		if (poll(&pfd, 1, (int)(interval / NS_PER_MS)) > 0 &&
		    read(STDIN_FILENO, &key, 1) == 1) {
			if (key == 'q' || key == 'Q')
				break;
			sort_key = key == 'm' ? SORT_MEM : key == 'i' ? SORT_IO :
			    key == 'n' ? SORT_NAME : key == 'c' ? SORT_CPU :
			    sort_key;
		}
		if (stop)
			break;
	}
	if (tty)
		putchar('\n');
	restore_tty();
	free(t.rows);
	free(t.s[0]);
	free(t.s[1]);
	free(t.id);
	return rc;
}
