#include "kmsg.h"

#include <string.h>

static int
dec(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;

	*v = 0;
	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	return 0;
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
	/* flags, then possibly more comma fields (caller=T123) */
	r->cont = (p < semi && *p == 'c');
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

void
oom_parser_init(struct oom_parser *p)
{
	memset(p, 0, sizeof(*p));
}

uint64_t
oom_parser_hold(const struct oom_parser *p)
{
	return p->have_summary ? p->summary_seq : 0;
}

static const char *
find(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle));
}

/* A memcg path from a field value: unescaped, cleaned to a valid name. */
static size_t
memcg(const char *v, size_t vlen, char *out)
{
	char raw[CGNAME_MAX + 1];
	size_t n = kmsg_unescape(v, vlen, raw, sizeof(raw)), olen;

	if (cgname_clean(raw, n, out, &olen) == -1)
		return 0;
	out[olen] = '\0';
	return olen;
}

/* "oom-kill:constraint=C,nodemask=M[,cpuset=..],oom_memcg=P,task_memcg=P,
 * task=COMM,pid=N,uid=N", or global_oom instead of oom_memcg: split on ','
 * as key=value pairs, any order.  Paths with ',' are not told apart; the
 * kernel prints them as they are. */
static void
summary(struct oom_parser *p, const char *s, size_t len, uint64_t seq)
{
	struct oom_kill *k = &p->pending;
	const char *end = s + len, *f = s;

	memset(k, 0, sizeof(*k));
	p->summary_pid = 0;
	while (f < end) {
		const char *comma = memchr(f, ',', (size_t)(end - f));
		const char *fe = comma ? comma : end, *eq;
		uint64_t v;

		eq = memchr(f, '=', (size_t)(fe - f));
		if (eq == NULL) {
			if ((size_t)(fe - f) == 10 && memcmp(f, "global_oom", 10) == 0) {
				k->oom_memcg[0] = '/';
				k->oom_memcg[1] = '\0';
				k->oom_len = 1;
			}
		} else {
			size_t kl = (size_t)(eq - f), vl = (size_t)(fe - eq - 1);
			const char *val = eq + 1;

			if (kl == 9 && memcmp(f, "oom_memcg", 9) == 0)
				k->oom_len = memcg(val, vl, k->oom_memcg);
			else if (kl == 10 && memcmp(f, "task_memcg", 10) == 0)
				k->task_len = memcg(val, vl, k->task_memcg);
			else if (kl == 10 && memcmp(f, "constraint", 10) == 0 &&
			    vl < sizeof(k->constraint)) {
				memcpy(k->constraint, val, vl);
				k->constraint[vl] = '\0';
			} else if (kl == 3 && memcmp(f, "pid", 3) == 0) {
				const char *q = val;

				if (dec(&q, fe, &v) == 0 && q == fe && v <= UINT32_MAX)
					p->summary_pid = (uint32_t)v;
			}
		}
		f = comma ? comma + 1 : end;
	}
	p->have_summary = 1;
	p->summary_seq = seq;
}

/* Pre-4.19: "Task in /a killed as a result of limit of /b" */
static void
old_summary(struct oom_parser *p, const char *s, size_t len, uint64_t seq)
{
	static const char mid[] = " killed as a result of limit of ";
	const char *t = find(s, len, "Task in "), *m;
	struct oom_kill *k = &p->pending;

	if (t == NULL)
		return;
	t += 8;		/* the path begins after "Task in ", never before */
	if ((m = find(t, (size_t)(s + len - t), mid)) == NULL)
		return;
	memset(k, 0, sizeof(*k));
	k->task_len = memcg(t, (size_t)(m - t), k->task_memcg);
	m += sizeof(mid) - 1;
	k->oom_len = memcg(m, (size_t)(s + len - m), k->oom_memcg);
	p->summary_pid = 0;
	p->have_summary = 1;
	p->summary_seq = seq;
}

int
oom_feed(struct oom_parser *p, const struct kmsg_rec *r, struct oom_kill *out)
{
	const char *s = r->text, *end = r->text + r->len, *k, *q, *open, *close;
	uint64_t pid;

	/* Only the kernel writes facility 0; userspace cannot forge it. */
	if (r->prio >= 8)
		return 0;
	if ((k = find(s, r->len, "oom-kill:")) != NULL) {
		k += 9;
		summary(p, k, (size_t)(end - k), r->seq);
		return 0;
	}
	if (find(s, r->len, " killed as a result of limit of ") != NULL) {
		old_summary(p, s, r->len, r->seq);
		return 0;
	}
	/* "Killed process N (comm) total-vm:..." with or without a reason
	 * before it; never "Kill process" (a different, older line) */
	if ((k = find(s, r->len, "Killed process ")) == NULL)
		return 0;
	q = k + 15;
	if (dec(&q, end, &pid) == -1 || pid == 0 || pid > UINT32_MAX ||
	    q + 2 > end || q[0] != ' ' || q[1] != '(')
		return 0;
	open = q + 2;
	/* the name may hold spaces and parentheses: up to the ')' that
	 * precedes " total-vm:", else the last ')' */
	if ((close = find(open, (size_t)(end - open), ") total-vm:")) == NULL) {
		for (close = end; close > open && close[-1] != ')'; close--)
			;
		if (close == open)
			return 0;
		close--;
	}
	if (p->have_summary && (p->summary_pid == 0 || p->summary_pid == pid))
		*out = p->pending;
	else
		memset(out, 0, sizeof(*out));
	p->have_summary = 0;
	out->seq = r->seq;
	out->ts_us = r->ts_us;
	out->pid = (uint32_t)pid;
	out->comm_len = kmsg_unescape(open, (size_t)(close - open), out->comm,
	    sizeof(out->comm));
	return 1;
}
