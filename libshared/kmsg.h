/* /dev/kmsg records (the kernel's Documentation/ABI/testing/dev-kmsg) and
 * the OOM reports in them (its mm/oom_kill.c).  Pure parsing over
 * untrusted bytes. */
#ifndef CADV_KMSG_H
#define CADV_KMSG_H

#include <stddef.h>
#include <stdint.h>

#include "cgname.h"

#define KMSG_RECORD_MAX	8192	/* a smaller read buffer loses records */

struct kmsg_rec {
	unsigned	 prio;		/* facility << 3 | level */
	uint64_t	 seq;
	uint64_t	 ts_us;		/* since boot */
	int		 cont;		/* flags 'c': a continuation fragment */
	const char	*text;		/* message, escapes left as they are */
	size_t		 len;
};

/* Splits "prio,seq,ts,flags[,...];text\n[ continuation lines]"; -1 if
 * malformed. */
int	kmsg_parse(const char *buf, size_t len, struct kmsg_rec *);
/* Undoes the kernel's \xNN escapes into out (at most outsz-1 bytes, NUL
 * added); returns the length. */
size_t	kmsg_unescape(const char *s, size_t len, char *out, size_t outsz);

/* One OOM kill as the kernel reported it. */
struct oom_kill {
	uint64_t	seq;		/* the "Killed process" record */
	uint64_t	ts_us;
	uint32_t	pid;
	char		comm[64];
	size_t		comm_len;
	char		task_memcg[CGNAME_MAX + 1];	/* the killed task's */
	size_t		task_len;	/* 0: unknown (summary rate-limited) */
	char		oom_memcg[CGNAME_MAX + 1];	/* whose limit was hit */
	size_t		oom_len;	/* 0: unknown; "/" for a global OOM */
	char		constraint[32];
};

/* Joins the summary (or the pre-4.19 "Task in X killed as a result of
 * limit of Y") to the never rate-limited "Killed process" line. */
struct oom_parser {
	int		have_summary;
	uint32_t	summary_pid;		/* 0: the old format, no pid */
	uint64_t	summary_seq;
	struct oom_kill	pending;
};

void	oom_parser_init(struct oom_parser *);
/* Feeds one record; returns 1 and fills *out when it completes a kill. */
int	oom_feed(struct oom_parser *, const struct kmsg_rec *,
	    struct oom_kill *out);
/* The oldest record the parser still needs (for resuming after a restart),
 * or 0 when it holds nothing. */
uint64_t oom_parser_hold(const struct oom_parser *);

#endif
