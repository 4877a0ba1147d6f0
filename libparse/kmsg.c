#include "kmsg.h"

#include <stdio.h>
#include <string.h>

/*
 * How an OOM report is read without being steered by the names in it.
 *
 * The kernel prints the summary as pieces (pr_info then pr_cont):
 *   oom-kill:constraint=C,nodemask=L [,cpuset=NAME,mems_allowed=L]
 *   (,oom_memcg=PATH | ,global_oom) ,task_memcg=PATH ,task=COMM,pid=N,uid=N
 * C is an upper-case token and L a node list of digits, '-' and ','; NAME
 * (a cgroup's name, "/" for the root), the PATHs and COMM hold any bytes
 * but NUL, and NAME never holds '/'.  So:
 *  - the end is anchored by the "Killed process N (COMM)" line, whose COMM
 *    sits between fixed text and the last ") total-vm:" (nothing after it
 *    holds ')'): the summary must end in exactly ",task=COMM,pid=N,uid=N";
 *  - the start is anchored by the fixed keys and the node lists, and the
 *    cpuset section ends where the first '/' (the first path's) begins,
 *    after ",oom_memcg=" or ",global_oom,task_memcg=";
 *  - what remains, oom_memcg=P1,task_memcg=P2, can only be split where
 *    P2 lies in P1 (the victim is chosen in the memcg that hit its limit).
 *    The report's "Memory cgroup stats for P1:" line (the same dump)
 *    names P1 between fixed text and the record's end, which settles it.
 *    Without it, names that hold ",task_memcg=" can allow several
 *    readings; the leftmost is taken: a wrong split inside P1 falls in a
 *    name made by whoever put ",task_memcg=" in it, so both paths stay
 *    among cgroups that namer could have made, while a split inside P2
 *    could point anywhere.
 * Paths printk may have cut (OOM_PATH_TRUST) and records after a gap in
 * the sequence (what was lost may have been this report's) are not used.
 */

static const char SUMMARY[] = "oom-kill:constraint=";
static const char STATS[] = "Memory cgroup stats for ";
static const char TASK_IN[] = "Task in ";
static const char TASK_IN_SEP[] = " killed as a result of limit of ";
static const char GROUP[] = "Tasks in ";
static const char GROUP_END[] =
    " are going to be killed due to memory.oom.group set";
static const char HEADER[] = " invoked oom-killer: ";
static const char KILLED[] = "Killed process ";
static const char TOTAL_VM[] = ") total-vm:";
static const char TASK_MEMCG[] = ",task_memcg=";

#define LIT(s)	(s), (sizeof(s) - 1)

/* The "Killed process" line's reasons (mm/oom_kill.c, mm/memcontrol.c);
 * before 4.19 the line had none. */
static const char *const reasons[] = {
	"Memory cgroup out of memory: ",
	"Out of memory: ",
	"Out of memory (oom_kill_allocating_task): ",
	"",
};

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int
dec(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;

	*v = 0;
	if (s >= end || !isdig(*s))
		return -1;
	for (; s < end && isdig(*s); s++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	return 0;
}

static int
starts(const char *s, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - s) >= n && memcmp(s, lit, n) == 0;
}

static int
ends(const char *start, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - start) >= n && memcmp(end - n, lit, n) == 0;
}

int
kmsg_parse(const char *buf, size_t len, struct kmsg_rec *r)
{
	const char *p = buf, *end = buf + len, *semi, *nl;
	uint64_t v;

	memset(r, 0, sizeof(*r));
	if ((semi = memchr(buf, ';', len)) == NULL)
		return -1;
	if (dec(&p, semi, &v) == -1 || v > 1023 || p >= semi || *p++ != ',')
		return -1;
	r->prio = (unsigned)v;
	if (dec(&p, semi, &r->seq) == -1 || p >= semi || *p++ != ',')
		return -1;
	if (dec(&p, semi, &r->ts_us) == -1 || p >= semi || *p++ != ',')
		return -1;
	if (p < semi && *p == 'c')
		r->cont = KMSG_CONT_C;
	else if (p < semi && *p == '+')
		r->cont = KMSG_CONT_PLUS;
	/* more comma fields after the flags: caller=T123 or C1 */
	while ((p = memchr(p, ',', (size_t)(semi - p))) != NULL) {
		const char *q = ++p;

		if (starts(q, semi, LIT("caller=")) && semi - q > 8 &&
		    (q[7] == 'T' || q[7] == 'C')) {
			const char *d = q + 8;

			if (dec(&d, semi, &v) == 0 && v <= 0x7fffffff &&
			    (d == semi || *d == ',')) {
				r->has_caller = 1;
				r->caller = (uint32_t)v |
				    (q[7] == 'C' ? 0x80000000u : 0);
			}
		}
	}
	r->text = semi + 1;
	nl = memchr(r->text, '\n', (size_t)(end - r->text));
	r->len = (size_t)((nl ? nl : end) - r->text);
	return 0;
}

size_t
kmsg_unescape(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	if (outsz == 0)
		return 0;
	while (i < len && o + 1 < outsz) {
		int hi, lo;

		if (s[i] == '\\' && len - i >= 4 && s[i + 1] == 'x' &&
		    (hi = cgname_hexval(s[i + 2])) >= 0 && (lo = cgname_hexval(s[i + 3])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 4;
		} else
			out[o++] = s[i++];
	}
	out[o] = '\0';
	return o;
}

/* A cgroup path the report can be trusted with. */
static int
path_ok(const char *s, size_t n)
{
	return n > 0 && n < OOM_PATH_TRUST && cgname_valid(s, n);
}

static void
set_path(char *dst, size_t *dlen, const char *s, size_t n)
{
	memcpy(dst, s, n);
	dst[n] = '\0';
	*dlen = n;
}

/* A node list as %*pbl prints it ("0-3,5", empty, or "(null)" for no
 * mask): a ',' belongs to it only before a digit. */
static const char *
nodelist_end(const char *p, const char *end)
{
	if (starts(p, end, LIT("(null)")))
		return p + 6;
	while (p < end && (isdig(*p) || *p == '-' ||
	    (*p == ',' && p + 1 < end && isdig(p[1]))))
		p++;
	return p;
}

static void
set_list(char *dst, size_t *dlen, const char *s, size_t n)
{
	if (n >= OOM_LIST_MAX)
		n = 0;		/* kept only when whole */
	set_path(dst, dlen, s, n);
}

/* Where ",task=COMM,pid=PID,uid=N" begins, the summary's end; NULL if the
 * text does not end so. */
static const char *
tail_start(const char *start, const char *end, uint32_t pid, const char *comm,
    size_t comm_len, int has_uid, uint32_t uid, uint32_t *suid)
{
	char want[6 + sizeof(((struct oom_kill *)0)->comm) + 5 + 10];
	const char *q = end, *d;
	uint64_t v;
	size_t n;

	while (q > start && isdig(q[-1]))
		q--;
	d = q;
	if (dec(&d, end, &v) == -1 || v > UINT32_MAX || (has_uid && v != uid))
		return NULL;
	*suid = (uint32_t)v;
	if (!ends(start, q, LIT(",uid=")) ||
	    comm_len >= sizeof(((struct oom_kill *)0)->comm))
		return NULL;
	q -= 5;
	memcpy(want, ",task=", 6);
	memcpy(want + 6, comm, comm_len);
	n = 6 + comm_len;
	n += (size_t)snprintf(want + n, sizeof(want) - n, ",pid=%u", pid);
	if (!ends(start, q, want, n))
		return NULL;
	return q - n;
}

/* P2 in P1 as the kernel prints them, before anything is trusted: a
 * path printk cut short still starts with its parent's. */
static int
printed_under(const char *c, size_t cl, const char *p, size_t pl)
{
	if (pl == 0 || cl < pl || p[0] != '/' || memcmp(c, p, pl) != 0)
		return 0;
	return cl == pl || pl == 1 || c[pl] == '/';
}

/* oom_memcg=P1,task_memcg=P2 in [x, xe): the split where P2 lies in P1,
 * the stats line's P1 if it is one of them, else the leftmost.  Every
 * split is weighed, long or not: skipping the true one because printk
 * may have cut it would leave a split to its right, one a name could
 * steer. */
static void
split_memcgs(const char *x, const char *xe, const char *stats,
    size_t stats_len, struct oom_kill *k)
{
	const char *q, *first = NULL, *hinted = NULL, *p2;
	size_t l1, l2;
	int n = 0;

	for (q = x; q < xe && (q = memmem(q, (size_t)(xe - q), LIT(TASK_MEMCG)))
	    != NULL; q++) {
		p2 = q + sizeof(TASK_MEMCG) - 1;
		l1 = (size_t)(q - x);
		l2 = (size_t)(xe - p2);
		if (!printed_under(p2, l2, x, l1))
			continue;
		n++;
		if (first == NULL)
			first = q;
		if (stats != NULL && hinted == NULL && stats_len == l1 &&
		    memcmp(stats, x, l1) == 0)
			hinted = q;
	}
	if (first == NULL)
		return;		/* no reading: both unknown */
	q = hinted != NULL ? hinted : first;
	k->ambiguous = hinted == NULL && n > 1;
	p2 = q + sizeof(TASK_MEMCG) - 1;
	l1 = (size_t)(q - x);
	l2 = (size_t)(xe - p2);
	if (!path_ok(x, l1) || !path_ok(p2, l2))
		return;
	set_path(k->oom_memcg, &k->oom_len, x, l1);
	set_path(k->task_memcg, &k->task_len, p2, l2);
}

int
oom_summary_parse(const char *t, size_t n, uint32_t pid, const char *comm,
    size_t comm_len, int has_uid, uint32_t uid, const char *stats,
    size_t stats_len, struct oom_kill *k)
{
	const char *p = t, *end = t + n, *q, *tail, *cs, *cse, *ma, *mae, *r;

	k->have_summary = 0;
	k->task_len = k->oom_len = 0;
	k->global = k->ambiguous = 0;
	k->constraint[0] = '\0';
	if (!starts(p, end, LIT("constraint=")))
		return -1;
	p += 11;
	for (q = p; q < end && ((*q >= 'A' && *q <= 'Z') || *q == '_'); q++)
		;
	if (q == p || (size_t)(q - p) >= sizeof(k->constraint) ||
	    !starts(q, end, LIT(",nodemask=")))
		return -1;
	memcpy(k->constraint, p, (size_t)(q - p));
	k->constraint[q - p] = '\0';
	p = q + 10;
	q = nodelist_end(p, end);
	set_list(k->nodemask, &k->nodemask_len, p, (size_t)(q - p));
	p = q;
	if ((tail = tail_start(p, end, pid, comm, comm_len, has_uid, uid,
	    &k->summary_uid)) == NULL)
		return -1;

	k->has_cpuset = starts(p, tail, LIT(",cpuset="));
	r = p;
	if (k->has_cpuset) {
		cs = p + 8;
		if (cs < tail && *cs == '/') {
			/* the root cpuset: a name never begins with '/' */
			cse = cs + 1;
			if (!starts(cse, tail, LIT(",mems_allowed=")))
				return -1;
			ma = cse + 14;
			mae = r = nodelist_end(ma, tail);
		} else {
			const char *slash = memchr(cs, '/', (size_t)(tail - cs));

			if (slash == NULL)
				return -1;
			if (ends(cs, slash, LIT(",oom_memcg=")))
				r = slash - 11;
			else if (ends(cs, slash, LIT(",global_oom,task_memcg=")))
				r = slash - 23;
			else
				return -1;
			mae = ma = r;
			while (ma > cs && (isdig(ma[-1]) || ma[-1] == '-' ||
			    ma[-1] == ','))
				ma--;
			if (!ends(cs, ma, LIT(",mems_allowed=")))
				return -1;
			cse = ma - 14;
			if (cse == cs)
				return -1;	/* names are not empty */
		}
		if ((size_t)(cse - cs) < sizeof(k->cpuset))
			set_path(k->cpuset, &k->cpuset_len, cs,
			    (size_t)(cse - cs));
		set_list(k->mems_allowed, &k->mems_len, ma, (size_t)(mae - ma));
	}
	if (starts(r, tail, LIT(",global_oom,task_memcg="))) {
		r += 23;
		k->global = 1;
		set_path(k->oom_memcg, &k->oom_len, "/", 1);
		if (path_ok(r, (size_t)(tail - r)))
			set_path(k->task_memcg, &k->task_len, r,
			    (size_t)(tail - r));
	} else if (starts(r, tail, LIT(",oom_memcg=")))
		split_memcgs(r + 11, tail, stats, stats_len, k);
	else
		return -1;
	k->have_summary = 1;
	return 0;
}

/* Before 4.19: "Task in X killed as a result of limit of Y", X in Y;
 * the leftmost split, as for the summary. */
static void
task_in_parse(const char *t, size_t n, struct oom_kill *k)
{
	const char *end = t + n, *q, *first = NULL, *y = NULL;
	size_t lx = 0, ly = 0;
	int nsplit = 0;

	for (q = t; q < end && (q = memmem(q, (size_t)(end - q),
	    LIT(TASK_IN_SEP))) != NULL; q++) {
		const char *yy = q + sizeof(TASK_IN_SEP) - 1;

		if (!printed_under(t, (size_t)(q - t), yy, (size_t)(end - yy)))
			continue;
		if (nsplit++ == 0) {
			first = q;
			y = yy;
			lx = (size_t)(q - t);
			ly = (size_t)(end - yy);
		}
	}
	if (first == NULL)
		return;
	k->ambiguous = nsplit > 1;
	k->have_summary = 1;
	if (!path_ok(t, lx) || !path_ok(y, ly))
		return;
	set_path(k->task_memcg, &k->task_len, t, lx);
	set_path(k->oom_memcg, &k->oom_len, y, ly);
}

/* "[reason: ]Killed process N (COMM) total-vm:...[, UID:N ...]" */
static int
kill_line(const char *s, size_t n, struct oom_kill *k)
{
	const char *end = s + n, *p = NULL, *open, *close, *q;
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		size_t rl = strlen(reasons[i]);

		if (starts(s, end, reasons[i], rl) &&
		    starts(s + rl, end, LIT(KILLED))) {
			p = s + rl + sizeof(KILLED) - 1;
			break;
		}
	}
	if (p == NULL || dec(&p, end, &v) == -1 || v == 0 || v > INT32_MAX ||
	    !starts(p, end, LIT(" (")))
		return 0;
	open = p + 2;
	/* the last ") total-vm:": nothing the kernel prints after it holds
	 * a ')', whatever the name holds */
	for (close = NULL, q = open; q < end && (q = memmem(q, (size_t)(end - q),
	    LIT(TOTAL_VM))) != NULL; q++)
		close = q;
	if (close == NULL || (size_t)(close - open) >= sizeof(k->comm))
		return 0;	/* an empty name is one (prctl takes "") */
	k->task_len = k->oom_len = k->group_len = 0;
	k->global = k->ambiguous = k->have_summary = k->has_cpuset = 0;
	k->has_uid = 0;
	k->constraint[0] = '\0';
	k->nodemask_len = k->cpuset_len = k->mems_len = 0;
	k->pid = (uint32_t)v;
	k->comm_len = (size_t)(close - open);
	memcpy(k->comm, open, k->comm_len);
	k->comm[k->comm_len] = '\0';
	if ((q = memmem(close, (size_t)(end - close), LIT(", UID:"))) != NULL) {
		q += 6;
		if (dec(&q, end, &v) == 0 && v <= UINT32_MAX) {
			k->has_uid = 1;
			k->uid = (uint32_t)v;
		}
	}
	return 1;
}

static int
same_caller(int has, uint32_t caller, const struct kmsg_rec *r)
{
	return !has || !r->has_caller || caller == r->caller;
}

static void
reset_report(struct oom_parser *p)
{
	p->a.kind = ASM_NONE;
	p->have_summary = 0;
	p->stats_len = 0;
	p->victim_pid = 0;
	p->group_len = 0;
	p->report_oom_len = 0;
	p->report_global = 0;
}

void
oom_parser_init(struct oom_parser *p)
{
	memset(p, 0, sizeof(*p));
}

/* A summary or stats line waiting for its kill is read again after a
 * restart; a group is not (its members' kills may be stored already). */
uint64_t
oom_parser_hold(const struct oom_parser *p)
{
	uint64_t h = 0;

	if (p->a.kind != ASM_NONE && p->a.kind != ASM_GROUP)
		h = p->a.seq;
	if (p->have_summary && (h == 0 || p->summary_seq < h))
		h = p->summary_seq;
	if (p->stats_len > 0 && (h == 0 || p->stats_seq < h))
		h = p->stats_seq;
	return h;
}

static void
asm_start(struct oom_parser *p, enum oom_asm_kind kind,
    const struct kmsg_rec *r, size_t n)
{
	struct oom_asm *a = &p->a;

	a->kind = kind;
	a->seq = r->seq;
	a->has_caller = r->has_caller;
	a->caller = r->caller;
	a->overflow = n > sizeof(a->buf);
	a->len = a->overflow ? 0 : n;
	memcpy(a->buf, p->u, a->len);
}

static void
asm_append(struct oom_parser *p, size_t n)
{
	struct oom_asm *a = &p->a;

	if (a->overflow || n > sizeof(a->buf) - a->len) {
		a->overflow = 1;
		return;
	}
	memcpy(a->buf + a->len, p->u, n);
	a->len += n;
}

/* The summary's pid, read from its end: ",pid=N,uid=N". */
static int
summary_pid(const char *s, size_t n, uint32_t *pid)
{
	const char *end = s + n, *q = end, *d;
	uint64_t v;

	while (q > s && isdig(q[-1]))
		q--;
	if (q == end || !ends(s, q, LIT(",uid=")))
		return -1;
	q -= 5;
	while (q > s && isdig(q[-1]))
		q--;
	d = q;
	if (dec(&d, end, &v) == -1 || v == 0 || v > INT32_MAX ||
	    !ends(s, q, LIT(",pid=")))
		return -1;
	*pid = (uint32_t)v;
	return 0;
}

static void
hold_summary(struct oom_parser *p, const struct oom_asm *a, const char *s,
    size_t n, int kind)
{
	memcpy(p->summary, s, n);
	p->summary_len = n;
	p->have_summary = kind;
	p->summary_seq = a->seq;
	p->has_caller = a->has_caller;
	p->caller = a->caller;
}

static void
asm_close(struct oom_parser *p)
{
	struct oom_asm *a = &p->a;
	const char *s = a->buf, *end = a->buf + a->len;

	if (a->kind == ASM_NONE || a->overflow) {
		a->kind = ASM_NONE;
		return;
	}
	switch (a->kind) {
	case ASM_SUMMARY:
		s += 9;		/* "oom-kill:" */
		if (summary_pid(s, (size_t)(end - s), &p->summary_pid) == 0)
			hold_summary(p, a, s, (size_t)(end - s), 1);
		break;
	case ASM_TASK_IN:
		s += sizeof(TASK_IN) - 1;
		p->summary_pid = 0;
		if (memmem(s, (size_t)(end - s), LIT(TASK_IN_SEP)) != NULL)
			hold_summary(p, a, s, (size_t)(end - s), 2);
		break;
	case ASM_STATS:
		/* the path ends the record: the stats are lines of their own
		 * (old kernels printed them on this line: no hint then); the
		 * first of a report is the oom memcg's */
		s += sizeof(STATS) - 1;
		if (p->stats_len > 0 || end <= s || end[-1] != ':' ||
		    !path_ok(s, (size_t)(end - 1 - s)))
			break;
		set_path(p->stats, &p->stats_len, s, (size_t)(end - 1 - s));
		p->stats_seq = a->seq;
		break;
	case ASM_GROUP:
		s += sizeof(GROUP) - 1;
		if (!ends(s, end, LIT(GROUP_END)))
			break;
		end -= sizeof(GROUP_END) - 1;
		if (path_ok(s, (size_t)(end - s)))
			set_path(p->group, &p->group_len, s, (size_t)(end - s));
		break;
	case ASM_NONE:
		break;
	}
	a->kind = ASM_NONE;
}

static int
feed_kill(struct oom_parser *p, const struct kmsg_rec *r, size_t n,
    struct oom_kill *out)
{
	int mine;

	if (!kill_line(p->u, n, out))
		return 0;
	/* a group member killed again with its group */
	if (p->group_len > 0 && out->pid == p->victim_pid)
		return 0;
	out->seq = r->seq;
	out->ts_us = r->ts_us;
	mine = same_caller(p->has_caller, p->caller, r);
	if (!mine)
		return 1;	/* another task's kill: ours still waits */
	if (p->have_summary &&
	    (p->summary_pid == 0 || p->summary_pid == out->pid)) {
		if (p->have_summary == 1)
			(void)oom_summary_parse(p->summary, p->summary_len,
			    out->pid, out->comm, out->comm_len, out->has_uid,
			    out->uid, p->stats_len ? p->stats : NULL,
			    p->stats_len, out);
		else
			task_in_parse(p->summary, p->summary_len, out);
	} else if (p->group_len > 0) {
		set_path(out->group, &out->group_len, p->group, p->group_len);
		set_path(out->oom_memcg, &out->oom_len, p->report_oom,
		    p->report_oom_len);
		out->global = p->report_global;
		return 1;
	}
	/* the report's first kill (its summary, if any, was this one's or
	 * is of no use now): what was held for it is spent */
	set_path(p->report_oom, &p->report_oom_len, out->oom_memcg,
	    out->oom_len);
	p->report_global = out->global;
	p->victim_pid = out->pid;
	p->have_summary = 0;
	p->stats_len = 0;
	return 1;
}

int
oom_feed(struct oom_parser *p, const struct kmsg_rec *r, struct oom_kill *out)
{
	const char *u = p->u, *h;
	size_t n;
	int gap = p->have_last && r->seq != p->last_seq + 1;

	p->have_last = 1;
	p->last_seq = r->seq;
	if (gap)
		reset_report(p);
	/* Only the kernel writes facility 0; userspace cannot forge it. */
	if (r->prio >= 8)
		return 0;
	n = kmsg_unescape(r->text, r->len, p->u, sizeof(p->u));
	if (p->a.kind != ASM_NONE) {
		int mine = same_caller(p->a.has_caller, p->a.caller, r);

		if (r->cont != KMSG_LINE && mine) {
			asm_append(p, n);
			return 0;
		}
		if (mine)
			asm_close(p);
	}
	/* A line of its own starts whatever we read: a 'c' record is a
	 * piece of another line, whose text may be a name (another cpu's
	 * line can close ours when printk has no caller ids to tell). */
	if (r->cont != KMSG_LINE)
		return 0;
	if (starts(u, u + n, LIT(SUMMARY))) {
		asm_close(p);
		p->have_summary = 0;
		p->group_len = 0;
		p->victim_pid = 0;
		asm_start(p, ASM_SUMMARY, r, n);
		return 0;
	}
	if (starts(u, u + n, LIT(STATS))) {
		asm_close(p);
		p->group_len = 0;
		p->victim_pid = 0;
		asm_start(p, ASM_STATS, r, n);
		return 0;
	}
	/* "COMM invoked oom-killer: ..." opens a report */
	if ((h = memmem(u, n, LIT(HEADER))) != NULL && h - u < 64) {
		reset_report(p);
		return 0;
	}
	if (starts(u, u + n, LIT(TASK_IN))) {
		asm_close(p);
		p->have_summary = 0;
		p->group_len = 0;
		p->victim_pid = 0;
		asm_start(p, ASM_TASK_IN, r, n);
		return 0;
	}
	if (starts(u, u + n, LIT(GROUP))) {
		asm_close(p);
		asm_start(p, ASM_GROUP, r, n);
		return 0;
	}
	return feed_kill(p, r, n, out);
}
