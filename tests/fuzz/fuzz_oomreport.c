/* Fuzz target: OOM reports as the kernel writes them, read back.  The
 * input chooses the fields (cgroup paths, a cpuset name and a process
 * name made of bytes and of the summary's own keys: ",task_memcg=",
 * ",global_oom", ") total-vm:"...; node lists, pid, uid, a global or a
 * memcg OOM, with or without cpusets and the stats line); the target
 * prints them as mm/oom_kill.c and mm/memcontrol.c do, in printk's
 * pieces (each cut at 1023 bytes, a line continued in 'c' records when a
 * piece does not fit the 1024-byte record, another caller's records in
 * between), escaped as /dev/kmsg escapes them, feeds the records to the
 * parser and aborts unless it returns every field: the process, the pid,
 * the uid, the summary's keys and, for the cgroups, the kernel's paths
 * (or nothing where a path is too long to trust), or, where names that
 * hold ",task_memcg=" make the summary readable several ways and no stats
 * line settles it, the leftmost reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgname.h"
#include "fuzz.h"
#include "kmsg.h"

#define PIECE_MAX	1023	/* printk cuts a piece to this */
#define RECORD_MAX	1024	/* what a record's text may grow to */
#define PATH_GEN_MAX	3000

struct src {
	const uint8_t	*p, *end;
};

static unsigned
byte(struct src *s)
{
	return s->p < s->end ? *s->p++ : 0;
}

static unsigned
pick(struct src *s, unsigned n)
{
	return n ? byte(s) % n : 0;
}

static const char *const tok[] = {
	"a", "b", "z", ",", "=", ":", " ", "(", ")", "\\", "\n", "\x1b",
	"\x7f", "\xff", "0", "-", ".", "..",
	",task_memcg=", ",oom_memcg=", ",global_oom", ",task=", ",pid=7",
	",uid=0", ",cpuset=", ",mems_allowed=0", ",nodemask=(null)",
	"oom-kill:constraint=", ") total-vm:", "Killed process 1 (x)",
	"\\x2c", "0-1,3", ",task_memcg=/", "Memory cgroup stats for ",
};

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_oomreport: %s\n", what);
	abort();
}

/* A cgroup name or process name: tokens and raw bytes, never '/' or NUL,
 * at most max bytes; names are not "." or "..". */
static size_t
gen_name(struct src *s, char *out, size_t max, int is_cgroup)
{
	unsigned n = 1 + pick(s, 5);
	size_t len = 0, i;

	for (i = 0; i < n; i++) {
		const char *t;
		char raw[2] = { 0, 0 };
		size_t tl;

		if (pick(s, 4) == 0) {
			raw[0] = (char)byte(s);
			if (raw[0] == '/' || raw[0] == '\0')
				raw[0] = 'q';
			t = raw;
		} else
			t = tok[pick(s, sizeof(tok) / sizeof(tok[0]))];
		tl = strlen(t);
		if (len + tl > max)
			tl = max - len;
		memcpy(out + len, t, tl);
		len += tl;
	}
	for (i = 0; is_cgroup && i < len; i++)
		if (out[i] == '/')
			out[i] = ':';	/* a process name may hold '/' */
	if (is_cgroup && (len == 0 || (len == 1 && out[0] == '.') ||
	    (len == 2 && out[0] == '.' && out[1] == '.')))
		out[len++] = 'x';
	return len;
}

static size_t
gen_components(struct src *s, char *p, size_t len, unsigned n)
{
	unsigned i;

	for (i = 0; i < n && len + 1 + 64 < PATH_GEN_MAX; i++) {
		p[len++] = '/';
		if (pick(s, 16) == 0) {
			/* around the lengths printk cuts and we distrust */
			size_t l = 300 + (size_t)byte(s) * 4;

			if (len + l >= PATH_GEN_MAX)
				l = PATH_GEN_MAX - len - 1;
			memset(p + len, 'a', l);
			len += l;
		} else
			len += gen_name(s, p + len, 60, 1);
	}
	return len;
}

static size_t
gen_list(struct src *s, char *out)
{
	unsigned n = pick(s, 4), i;
	size_t len = 0;

	if (pick(s, 3) == 0)
		return (size_t)sprintf(out, "(null)");
	for (i = 0; i < n; i++) {
		unsigned a = pick(s, 64);

		len += (size_t)sprintf(out + len, "%s%u", i ? "," : "", a);
		if (pick(s, 2))
			len += (size_t)sprintf(out + len, "-%u", a + 1 + pick(s, 8));
	}
	return len;
}

/* printk, as far as the parser can tell: records of at most 1024 bytes,
 * a piece continuing a line appended to its caller's open record when it
 * fits, else a 'c' record of its own */
struct printk {
	struct oom_parser *p;
	struct oom_kill	*k;
	int		 kills;
	int		 callers;
	uint64_t	 seq;
	int		 open;
	unsigned	 prio;
	char		 flag;
	uint32_t	 caller;
	size_t		 len;
	char		 text[RECORD_MAX];
	char		 line[KMSG_RECORD_MAX];
};

static void
flush(struct printk *pk)
{
	struct kmsg_rec r;
	size_t i, n;

	if (!pk->open)
		return;
	pk->open = 0;
	n = (size_t)sprintf(pk->line, "%u,%llu,%llu,%c", pk->prio,
	    (unsigned long long)pk->seq, (unsigned long long)pk->seq * 10,
	    pk->flag);
	pk->seq++;
	if (pk->callers)
		n += (size_t)sprintf(pk->line + n, ",caller=T%u", pk->caller);
	pk->line[n++] = ';';
	for (i = 0; i < pk->len; i++) {
		unsigned char c = (unsigned char)pk->text[i];

		if (c < ' ' || c >= 127 || c == '\\')
			n += (size_t)sprintf(pk->line + n, "\\x%02x", c);
		else
			pk->line[n++] = (char)c;
	}
	pk->line[n++] = '\n';
	if (getenv("FUZZ_OOMREPORT_SHOW") != NULL)	/* to see a crash's */
		fprintf(stderr, "%.*s", (int)n, pk->line);
	if (kmsg_parse(pk->line, n, &r) == -1)
		fail("kmsg_parse refused a record the kernel would write");
	pk->kills += oom_feed(pk->p, &r, pk->k);
}

static void
piece(struct printk *pk, int cont, unsigned prio, uint32_t caller,
    const char *s, size_t n)
{
	if (n > PIECE_MAX)
		n = PIECE_MAX;
	if (cont && pk->open && pk->caller == caller &&
	    pk->len + n + 1 <= RECORD_MAX) {
		memcpy(pk->text + pk->len, s, n);
		pk->len += n;
		return;
	}
	flush(pk);
	pk->open = 1;
	pk->prio = cont ? 4 : prio;
	pk->flag = cont ? 'c' : '-';
	pk->caller = caller;
	memcpy(pk->text, s, n);
	pk->len = n;
}

/* Another cpu's line, between the pieces of ours. */
static void
foreign(struct src *s, struct printk *pk)
{
	if (pk->callers && pick(s, 6) == 0)
		piece(pk, 0, 6, 99, "rcu: something else", 19);
}

static int
trusted(const char *p, size_t n)
{
	return n > 0 && n < OOM_PATH_TRUST && cgname_valid(p, n);
}

static size_t
printed(size_t n)
{
	return n > PIECE_MAX ? PIECE_MAX : n;
}

static int
printed_under(const char *c, size_t cl, const char *p, size_t pl)
{
	if (pl == 0 || cl < pl || p[0] != '/' || memcmp(c, p, pl) != 0)
		return 0;
	return cl == pl || pl == 1 || c[pl] == '/';
}

static void
expect_path(const char *what, const char *got, size_t glen, const char *want,
    size_t wlen)
{
	if (glen != wlen || memcmp(got, want, wlen) != 0)
		fail(what);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const constraints[] = { "CONSTRAINT_NONE",
	    "CONSTRAINT_CPUSET", "CONSTRAINT_MEMORY_POLICY", "CONSTRAINT_MEMCG" };
	static struct oom_parser parser;
	static struct oom_kill kill;
	static struct printk pk;
	static char p1[PATH_GEN_MAX], p2[PATH_GEN_MAX], x[2 * PATH_GEN_MAX];
	static char buf[2 * PATH_GEN_MAX];
	char nodemask[128], mems[128], cpuset[64], comm[16];
	struct src s = { data, data + size };
	size_t l1, l2, nml, mml, csl, cml, n, xl, j, want1 = 0, want2 = 0;
	const char *constraint;
	int global, cpusets, stats, found = 0;
	unsigned pid, uid;
	uint32_t me;

	memset(&pk, 0, sizeof(pk));
	pk.p = &parser;
	pk.k = &kill;
	pk.seq = 1 + byte(&s);
	pk.callers = pick(&s, 2);
	me = 1 + pick(&s, 90);	/* the other cpu's is 99 */
	oom_parser_init(&parser);

	constraint = constraints[pick(&s, 4)];
	nml = gen_list(&s, nodemask);
	cpusets = pick(&s, 4) != 0;
	csl = pick(&s, 5) == 0 ? (cpuset[0] = '/', 1) :
	    gen_name(&s, cpuset, sizeof(cpuset), 1);
	mml = gen_list(&s, mems);
	if (strcmp(mems, "(null)") == 0)
		mml = (size_t)sprintf(mems, "0");	/* a task's mask is real */
	global = pick(&s, 4) == 0;
	l1 = pick(&s, 8) == 0 ? (p1[0] = '/', 1) :
	    gen_components(&s, p1, 0, 1 + pick(&s, 3));
	l2 = gen_components(&s, (memcpy(p2, p1, l1), p2), l1 == 1 ? 0 : l1,
	    pick(&s, 3));
	if (l2 == 0)
		p2[l2++] = '/';
	cml = gen_name(&s, comm, 15, 0) % 16;
	pid = 1 + ((unsigned)byte(&s) << 8 | byte(&s));
	uid = (unsigned)byte(&s) << 8 | byte(&s);
	stats = !global && pick(&s, 2);

	/* the dump (rate-limited together), then the kill */
	n = (size_t)snprintf(buf, sizeof(buf), "%.*s invoked oom-killer: "
	    "gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", (int)cml,
	    comm);
	piece(&pk, 0, 4, me, buf, n);
	flush(&pk);
	if (stats) {
		piece(&pk, 0, 6, me, "Memory cgroup stats for ", 24);
		foreign(&s, &pk);
		piece(&pk, 1, 6, me, p1, l1);
		piece(&pk, 1, 6, me, ":", 1);
		piece(&pk, 0, 6, me, "anon 0", 6);
		flush(&pk);
	}
	n = (size_t)snprintf(buf, sizeof(buf), "oom-kill:constraint=%s,"
	    "nodemask=%.*s", constraint, (int)nml, nodemask);
	piece(&pk, 0, 6, me, buf, n);
	if (cpusets) {
		piece(&pk, 1, 6, me, ",cpuset=", 8);
		foreign(&s, &pk);
		piece(&pk, 1, 6, me, cpuset, csl);
		n = (size_t)snprintf(buf, sizeof(buf), ",mems_allowed=%.*s",
		    (int)mml, mems);
		piece(&pk, 1, 6, me, buf, n);
	}
	foreign(&s, &pk);
	if (global)
		piece(&pk, 1, 6, me, ",global_oom", 11);
	else {
		piece(&pk, 1, 6, me, ",oom_memcg=", 11);
		piece(&pk, 1, 6, me, p1, l1);
	}
	foreign(&s, &pk);
	piece(&pk, 1, 6, me, ",task_memcg=", 12);
	piece(&pk, 1, 6, me, p2, l2);
	foreign(&s, &pk);
	memcpy(buf, ",task=", 6);
	memcpy(buf + 6, comm, cml);
	n = 6 + cml + (size_t)sprintf(buf + 6 + cml, ",pid=%u,uid=%u", pid, uid);
	piece(&pk, 1, 6, me, buf, n);
	flush(&pk);
	foreign(&s, &pk);
	n = (size_t)sprintf(buf, "%s: Killed process %u (",
	    global ? "Out of memory" : "Memory cgroup out of memory", pid);
	memcpy(buf + n, comm, cml);
	n += cml;
	n += (size_t)sprintf(buf + n, ") total-vm:68156kB, anon-rss:32640kB, "
	    "file-rss:1384kB, shmem-rss:0kB, UID:%u pgtables:116kB "
	    "oom_score_adj:0", uid);
	piece(&pk, 0, 3, me, buf, n);
	flush(&pk);

	if (pk.kills != 1)
		fail("not one kill");
	if (kill.pid != pid || kill.comm_len != cml ||
	    memcmp(kill.comm, comm, cml) != 0)
		fail("the kill's pid or process name");
	if (!kill.has_uid || kill.uid != uid)
		fail("the kill's uid");
	if (!kill.have_summary)
		fail("the summary was not read");
	if (strcmp(kill.constraint, constraint) != 0 ||
	    kill.nodemask_len != nml || memcmp(kill.nodemask, nodemask, nml) ||
	    kill.summary_uid != uid)
		fail("constraint, nodemask or uid");
	if (kill.has_cpuset != cpusets || (cpusets && (kill.cpuset_len != csl ||
	    memcmp(kill.cpuset, cpuset, csl) || kill.mems_len != mml ||
	    memcmp(kill.mems_allowed, mems, mml))))
		fail("cpuset or mems_allowed");
	if (kill.global != global)
		fail("global");

	/* the paths as printed: cut at a piece's length */
	l1 = printed(l1);
	l2 = printed(l2);
	if (global) {
		expect_path("oom_memcg of a global OOM", kill.oom_memcg,
		    kill.oom_len, "/", 1);
		if (trusted(p2, l2))
			expect_path("task_memcg", kill.task_memcg,
			    kill.task_len, p2, l2);
		else if (kill.task_len != 0)
			fail("an untrusted task_memcg was taken");
		return 0;
	}
	/* which split is expected: the stats line's, else the leftmost */
	memcpy(x, p1, l1);
	memcpy(x + l1, ",task_memcg=", 12);
	memcpy(x + l1 + 12, p2, l2);
	xl = l1 + 12 + l2;
	if (stats && trusted(p1, l1)) {
		want1 = l1;
		found = 1;
	} else {
		for (j = 0; j + 12 <= xl && !found; j++)
			if (memcmp(x + j, ",task_memcg=", 12) == 0 &&
			    printed_under(x + j + 12, xl - j - 12, x, j)) {
				want1 = j;
				found = 1;
			}
		/* the leftmost is the truth unless P1 itself holds the key */
		if (!found || (want1 != l1 &&
		    memmem(p1, l1, ",task_memcg=", 12) == NULL))
			fail("the kernel's own split is not the leftmost");
	}
	want2 = xl - want1 - 12;
	if (trusted(x, want1) && trusted(x + want1 + 12, want2)) {
		expect_path("oom_memcg", kill.oom_memcg, kill.oom_len, x, want1);
		expect_path("task_memcg", kill.task_memcg, kill.task_len,
		    x + want1 + 12, want2);
	} else if (kill.oom_len != 0 || kill.task_len != 0)
		fail("an untrusted path was taken");
	return 0;
}
