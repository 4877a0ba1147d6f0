/* /dev/kmsg records (the kernel's Documentation/ABI/testing/dev-kmsg) and
 * the OOM reports in them (its mm/oom_kill.c and mm/memcontrol.c).  Pure
 * parsing over untrusted bytes: cgroup names and process names are chosen
 * by whoever made them and may hold ',', '=', ':', '(' or ')'. */
#ifndef CADV_KMSG_H
#define CADV_KMSG_H

#include <stddef.h>
#include <stdint.h>

#include "cgname.h"

#define KMSG_RECORD_MAX	8192	/* a smaller read buffer loses records */

/* A record's flag: '-' a line of its own (or the head of one still being
 * continued on 5.10+); 'c' and '+' a fragment that continues an earlier
 * record's line ('c' on 5.10+; before, 'c' marked a line's first fragment
 * and '+' the next ones). */
enum kmsg_cont { KMSG_LINE, KMSG_CONT_C, KMSG_CONT_PLUS };

struct kmsg_rec {
	unsigned	 prio;		/* facility << 3 | level */
	uint64_t	 seq;
	uint64_t	 ts_us;		/* since boot */
	enum kmsg_cont	 cont;
	int		 has_caller;	/* CONFIG_PRINTK_CALLER: caller=T<pid>|C<cpu> */
	uint32_t	 caller;	/* the id, bit 31 set for a cpu */
	const char	*text;		/* message, escapes left as they are */
	size_t		 len;
};

/* Splits "prio,seq,ts,flags[,caller=..][,...];text\n[ continuation lines]";
 * -1 if malformed. */
int	kmsg_parse(const char *buf, size_t len, struct kmsg_rec *);
/* Undoes the kernel's \xNN escapes into out (at most outsz-1 bytes, NUL
 * added); returns the length. */
size_t	kmsg_unescape(const char *s, size_t len, char *out, size_t outsz);

/* A path printk may have cut: one printk piece holds at most 1023 bytes
 * (991 before 5.10), and a longer cgroup path is truncated without a mark,
 * leaving the path of another cgroup.  Paths this long are not taken from
 * a report. */
#define OOM_PATH_TRUST	990
/* The bytes of one report line kept while it is assembled: its pieces
 * (two paths, a cpuset name, node lists, the fixed keys) are each at most
 * 1023 bytes. */
#define OOM_TEXT_MAX	12288
#define OOM_LIST_MAX	64	/* a node list kept (nodemask, mems_allowed) */

/* One OOM kill as the kernel reported it. */
struct oom_kill {
	uint64_t	seq;		/* the "Killed process" record */
	uint64_t	ts_us;
	uint32_t	pid;
	int		has_uid;	/* the kill line's UID: (kernels >= 4.20) */
	uint32_t	uid;
	char		comm[64];
	size_t		comm_len;
	/* the killed task's memory cgroup, as the kernel names it (its
	 * hierarchy's root is "/"); task_len 0: not known from the report */
	char		task_memcg[CGNAME_MAX + 1];
	size_t		task_len;
	/* the cgroup whose limit was hit; "/" with global set for a global
	 * OOM; oom_len 0: not known */
	char		oom_memcg[CGNAME_MAX + 1];
	size_t		oom_len;
	int		global;
	/* memory.oom.group: a task killed with its group lies in this cgroup
	 * or below it (its own cgroup is not printed) */
	char		group[CGNAME_MAX + 1];
	size_t		group_len;
	/* the summary could be read more than one way (names holding the
	 * summary's own keys) and the reading that names cgroups only their
	 * namers could have made was taken */
	int		ambiguous;
	/* the summary's other fields, as printed, when it was read */
	int		have_summary;
	char		constraint[32];
	char		nodemask[OOM_LIST_MAX];
	size_t		nodemask_len;
	int		has_cpuset;	/* CONFIG_CPUSETS */
	char		cpuset[256];	/* the allocating task's cpuset name */
	size_t		cpuset_len;
	char		mems_allowed[OOM_LIST_MAX];
	size_t		mems_len;
	uint32_t	summary_uid;
};

enum oom_asm_kind { ASM_NONE, ASM_SUMMARY, ASM_TASK_IN, ASM_STATS, ASM_GROUP };

/* A report line whose fragments are being joined (a line longer than a
 * record, or cut by another cpu's output, continues in 'c'/'+' records). */
struct oom_asm {
	enum oom_asm_kind kind;
	uint64_t	seq;
	int		has_caller;
	uint32_t	caller;
	int		overflow;
	size_t		len;
	char		buf[OOM_TEXT_MAX];
};

/* Joins a report's summary ("oom-kill:..." since 4.19, "Task in X killed
 * as a result of limit of Y" before), its "Memory cgroup stats for X:"
 * line and its memory.oom.group line to the never rate-limited "Killed
 * process" lines that follow. */
struct oom_parser {
	int		have_last;
	uint64_t	last_seq;
	struct oom_asm	a;
	char		u[KMSG_RECORD_MAX];	/* the record, unescaped */
	/* the report under way */
	int		have_summary;		/* 1: oom-kill:, 2: Task in */
	uint64_t	summary_seq;
	uint32_t	summary_pid;		/* 0: the old format, no pid */
	int		has_caller;
	uint32_t	caller;
	size_t		summary_len;
	char		summary[OOM_TEXT_MAX];
	size_t		stats_len;		/* the oom memcg, from the stats */
	uint64_t	stats_seq;
	char		stats[CGNAME_MAX + 1];
	/* after the first kill of a report: memory.oom.group members */
	uint32_t	victim_pid;
	size_t		group_len;
	char		group[CGNAME_MAX + 1];
	size_t		report_oom_len;
	int		report_global;
	char		report_oom[CGNAME_MAX + 1];
};

void	oom_parser_init(struct oom_parser *);
/* Feeds one record (every record, so that a gap in the sequence numbers
 * is seen: what was lost may have belonged to the report); returns 1 and
 * fills *out when it completes a kill. */
int	oom_feed(struct oom_parser *, const struct kmsg_rec *,
	    struct oom_kill *out);
/* The oldest record the parser still needs (for resuming after a restart),
 * or 0 when it holds nothing. */
uint64_t oom_parser_hold(const struct oom_parser *);

/* The summary alone: text is what follows "oom-kill:", unescaped; the
 * kill line's pid, process name and uid (has_uid 0: not printed) anchor
 * its end; stats, if not NULL, is the oom memcg from the report's stats
 * line.  Fills the summary fields of *k and returns 0, or -1 when the text
 * is not a summary of that kill (then only what could be read is set). */
int	oom_summary_parse(const char *text, size_t len, uint32_t pid,
	    const char *comm, size_t comm_len, int has_uid, uint32_t uid,
	    const char *stats, size_t stats_len, struct oom_kill *k);

#endif
