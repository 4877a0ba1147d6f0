#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "unit.h"

/* Feeds records (one per string) and returns the number of kills; the
 * last one in *k. */
static int
feed(const char *const *recs, size_t n, struct oom_kill *k)
{
	static struct oom_parser p;
	static struct oom_kill out;
	struct kmsg_rec r;
	size_t i;
	int kills = 0;

	oom_parser_init(&p);
	for (i = 0; i < n; i++) {
		if (kmsg_parse(recs[i], strlen(recs[i]), &r) == -1)
			continue;
		if (oom_feed(&p, &r, &out) == 1) {
			*k = out;
			kills++;
		}
	}
	return kills;
}

#define N(a) (sizeof(a) / sizeof(a[0]))
#define KILL_TAIL " total-vm:68156kB, anon-rss:32640kB, file-rss:1384kB, " \
	"shmem-rss:0kB, UID:0 pgtables:116kB oom_score_adj:0"

START_TEST(record_fields)
{
	struct kmsg_rec r;
	static const char rec[] = "6,507,2604492911,-,caller=T12;hello\n"
	    " SUBSYSTEM=acpi\n";
	static const char cpu[] = "4,9,1,c,caller=C3;x";
	static const char plus[] = "4,9,1,+;x";

	ck_assert_int_eq(kmsg_parse(rec, strlen(rec), &r), 0);
	ck_assert_uint_eq(r.prio, 6);
	ck_assert_uint_eq(r.seq, 507);
	ck_assert_uint_eq(r.ts_us, 2604492911ULL);
	ck_assert_uint_eq(r.len, 5);
	ck_assert_int_eq(r.cont, KMSG_LINE);
	ck_assert_int_eq(r.has_caller, 1);
	ck_assert_uint_eq(r.caller, 12);
	ck_assert_int_eq(kmsg_parse(cpu, strlen(cpu), &r), 0);
	ck_assert_int_eq(r.cont, KMSG_CONT_C);
	ck_assert_uint_eq(r.caller, 0x80000003u);
	ck_assert_int_eq(kmsg_parse(plus, strlen(plus), &r), 0);
	ck_assert_int_eq(r.cont, KMSG_CONT_PLUS);
	ck_assert_int_eq(r.has_caller, 0);
	ck_assert_int_eq(kmsg_parse("garbage", 7, &r), -1);
	ck_assert_int_eq(kmsg_parse("6,x,1,-;t", 9, &r), -1);
	ck_assert_int_eq(kmsg_parse("6,1,1", 5, &r), -1);
	ck_assert_int_eq(kmsg_parse("6,1,99999999999999999999,-;t", 28, &r), -1);
}
END_TEST

/* as this machine's 6.18 kernel prints it */
START_TEST(current_format)
{
	static const char *const recs[] = {
		"4,1530,7667231432,-;cgtask invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"6,1531,7667232740,-;Memory cgroup stats for /t/oom:",
		"6,1532,7667232741,-;cache 0",
		"6,1533,7667232745,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/t/oom,task_memcg=/t/oom/leaf,task=cgtask,pid=24896,uid=0",
		"3,1534,7667232778,-;Memory cgroup out of memory: Killed process 24896 (cgtask)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_uint_eq(k.pid, 24896);
	ck_assert_str_eq(k.comm, "cgtask");
	ck_assert_str_eq(k.task_memcg, "/t/oom/leaf");
	ck_assert_str_eq(k.oom_memcg, "/t/oom");
	ck_assert_str_eq(k.constraint, "CONSTRAINT_MEMCG");
	ck_assert_str_eq(k.nodemask, "(null)");
	ck_assert_int_eq(k.has_cpuset, 1);
	ck_assert_str_eq(k.cpuset, "/");
	ck_assert_str_eq(k.mems_allowed, "0");
	ck_assert_int_eq(k.global, 0);
	ck_assert_int_eq(k.ambiguous, 0);
	ck_assert_int_eq(k.has_uid, 1);
	ck_assert_uint_eq(k.seq, 1534);
	ck_assert_uint_eq(k.ts_us, 7667232778ULL);
}
END_TEST

START_TEST(global_oom_without_cpusets)
{
	static const char *const recs[] = {
		"6,10,100,-;oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),global_oom,task_memcg=/user.slice,task=hog,pid=77,uid=1000",
		"3,11,101,-;Out of memory: Killed process 77 (hog) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:4kB oom_score_adj:0",
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_str_eq(k.oom_memcg, "/");
	ck_assert_int_eq(k.global, 1);
	ck_assert_int_eq(k.has_cpuset, 0);
	ck_assert_str_eq(k.task_memcg, "/user.slice");
	ck_assert_uint_eq(k.summary_uid, 1000);
}
END_TEST

START_TEST(pre_4_19_format)
{
	static const char *const recs[] = {
		"6,20,200,-;Task in /docker/abc killed as a result of limit of /docker",
		"3,21,201,-;Memory cgroup out of memory: Kill process 99 (java) score 999 or sacrifice child",
		"3,22,202,-;Killed process 99 (java) total-vm:100kB, anon-rss:10kB, file-rss:0kB, shmem-rss:0kB",
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_uint_eq(k.pid, 99);
	ck_assert_int_eq(k.has_uid, 0);
	ck_assert_str_eq(k.task_memcg, "/docker/abc");
	ck_assert_str_eq(k.oom_memcg, "/docker");
}
END_TEST

START_TEST(header_rate_limited_away)
{
	static const char *const recs[] = {
		"3,30,300,-;Memory cgroup out of memory: Killed process 5 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_uint_eq(k.pid, 5);
	ck_assert_uint_eq(k.task_len, 0);	/* unknown, not guessed */
	ck_assert_uint_eq(k.oom_len, 0);
}
END_TEST

START_TEST(odd_process_names_and_escapes)
{
	static const char *const recs[] = {
		"6,40,400,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/a b,task_memcg=/a b/c\\x5cd,task=my (odd) \\x01name,pid=8,uid=0",
		"3,41,401,-;Memory cgroup out of memory: Killed process 8 (my (odd) \\x01name)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_str_eq(k.comm, "my (odd) \001name");
	ck_assert_str_eq(k.oom_memcg, "/a b");
	ck_assert_str_eq(k.task_memcg, "/a b/c\\d");
}
END_TEST

/* issue 17, finding 4: the cgroup name "sp,task_memcg=system.slice,
 * global_oom" made a global OOM and a kill under /system.slice */
START_TEST(attack_cgroup_name)
{
	static const char *const with_stats[] = {
		"4,1,1,-;cgtask invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"6,2,2,-;Memory cgroup stats for /t/sp,task_memcg=system.slice,global_oom:",
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/t/sp,task_memcg=system.slice,global_oom,task_memcg=/t/sp,task_memcg=system.slice,global_oom,task=cgtask,pid=5,uid=0",
		"3,4,4,-;Memory cgroup out of memory: Killed process 5 (cgtask)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(with_stats, N(with_stats), &k), 1);
	ck_assert_int_eq(k.global, 0);
	ck_assert_str_eq(k.oom_memcg, "/t/sp,task_memcg=system.slice,global_oom");
	ck_assert_str_eq(k.task_memcg, "/t/sp,task_memcg=system.slice,global_oom");
	/* the stats line is not needed here: only one split keeps paths */
	ck_assert_int_eq(feed(with_stats + 2, 2, &k), 1);
	ck_assert_int_eq(k.global, 0);
	ck_assert_int_eq(k.ambiguous, 0);
	ck_assert_str_eq(k.task_memcg, "/t/sp,task_memcg=system.slice,global_oom");
}
END_TEST

/* issue 17, finding 4: a process renamed ",task_memcg=/" was counted
 * under / */
START_TEST(attack_process_name)
{
	static const char *const recs[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/t/r,task_memcg=/t/r,task=,task_memcg=/,pid=5,uid=0",
		"3,4,4,-;Memory cgroup out of memory: Killed process 5 (,task_memcg=/)" KILL_TAIL,
	};
	static const char *const parens[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/t/r,task_memcg=/t/r,task=a) total-vm:1,pid=5,uid=0",
		"3,4,4,-;Out of memory: Killed process 5 (a) total-vm:1)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_str_eq(k.comm, ",task_memcg=/");
	ck_assert_str_eq(k.task_memcg, "/t/r");
	ck_assert_str_eq(k.oom_memcg, "/t/r");
	ck_assert_int_eq(feed(parens, N(parens), &k), 1);
	ck_assert_str_eq(k.comm, "a) total-vm:1");
	ck_assert_str_eq(k.task_memcg, "/t/r");
}
END_TEST

/* Names that hold the summary's keys can make it readable two ways: the
 * stats line settles it, else the leftmost reading is taken, which only
 * names cgroups beside the one whose name holds the key. */
START_TEST(ambiguous_split)
{
	static const char sum[] = "6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/a,task_memcg=/a/z,task_memcg=/a,task_memcg=/a/z,task=x,pid=5,uid=0";
	static const char kl[] = "3,4,4,-;Out of memory: Killed process 5 (x)" KILL_TAIL;
	const char *const bare[] = { sum, kl };
	const char *const hinted[] = {
		"6,2,2,-;Memory cgroup stats for /a,task_memcg=/a/z:", sum, kl,
	};
	const char *const truth_left[] = {
		"6,2,2,-;Memory cgroup stats for /a:", sum, kl,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(bare, N(bare), &k), 1);
	ck_assert_int_eq(k.ambiguous, 1);
	ck_assert_str_eq(k.oom_memcg, "/a");
	ck_assert_str_eq(k.task_memcg, "/a/z,task_memcg=/a,task_memcg=/a/z");
	ck_assert_int_eq(feed(hinted, N(hinted), &k), 1);
	ck_assert_int_eq(k.ambiguous, 0);
	ck_assert_str_eq(k.oom_memcg, "/a,task_memcg=/a/z");
	ck_assert_str_eq(k.task_memcg, "/a,task_memcg=/a/z");
	ck_assert_int_eq(feed(truth_left, N(truth_left), &k), 1);
	ck_assert_int_eq(k.ambiguous, 0);
	ck_assert_str_eq(k.oom_memcg, "/a");
}
END_TEST

START_TEST(cpuset_names_and_node_lists)
{
	static const char *const odd[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=0,2-3,cpuset=x,mems_allowed=1,oom_memcg=,mems_allowed=0-1,3,oom_memcg=/c,task_memcg=/c/d,task=t,pid=5,uid=7",
		"3,4,4,-;Out of memory: Killed process 5 (t) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:7 pgtables:4kB oom_score_adj:0",
	};
	static const char *const empty_lists[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_NONE,nodemask=,cpuset=a=b,mems_allowed=,global_oom,task_memcg=/u,task=t,pid=5,uid=7",
		"3,4,4,-;Out of memory: Killed process 5 (t)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(odd, N(odd), &k), 1);
	ck_assert_str_eq(k.constraint, "CONSTRAINT_CPUSET");
	ck_assert_str_eq(k.nodemask, "0,2-3");
	ck_assert_str_eq(k.cpuset, "x,mems_allowed=1,oom_memcg=");
	ck_assert_str_eq(k.mems_allowed, "0-1,3");
	ck_assert_str_eq(k.oom_memcg, "/c");
	ck_assert_str_eq(k.task_memcg, "/c/d");
	/* the kill line's UID:0 differs from uid=7: not this kill's */
	ck_assert_int_eq(feed(empty_lists, N(empty_lists), &k), 1);
	ck_assert_int_eq(k.have_summary, 0);
	ck_assert_uint_eq(k.task_len, 0);
	ck_assert_uint_eq(k.oom_len, 0);
}
END_TEST

START_TEST(global_path_with_tail_keys)
{
	static const char *const recs[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=c,mems_allowed=0,global_oom,task_memcg=/u,task=x,pid=1,uid=2,task=real,pid=5,uid=0",
		"3,4,4,-;Out of memory: Killed process 5 (real)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_int_eq(k.global, 1);
	ck_assert_str_eq(k.cpuset, "c");
	ck_assert_str_eq(k.task_memcg, "/u,task=x,pid=1,uid=2");
}
END_TEST

/* A summary longer than a record continues in 'c' records; another cpu's
 * lines may come between them. */
START_TEST(continued_records)
{
	static const char *const callers[] = {
		"6,3,3,-,caller=T9;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=",
		"6,4,4,-,caller=T7;unrelated line",
		"4,5,5,c,caller=T7;a fragment of its own",
		"4,6,6,c,caller=T9;/long/p",
		"4,7,7,c,caller=T9;,task_memcg=/long/p/q",
		"4,8,8,c,caller=T9;,task=w,pid=5,uid=0",
		"3,9,9,-,caller=T9;Memory cgroup out of memory: Killed process 5 (w)" KILL_TAIL,
	};
	static const char *const nocaller[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=",
		"6,4,4,-;unrelated line",
		"4,5,5,c;/long/p",
		"4,6,6,c;,task_memcg=/long/p/q",
		"4,7,7,c;,task=w,pid=5,uid=0",
		"3,8,8,-;Memory cgroup out of memory: Killed process 5 (w)" KILL_TAIL,
	};
	static const char *const forged[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=",
		"6,4,4,-;unrelated line",
		"4,5,5,c;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice,task_memcg=/system.slice/x",
		"4,6,6,c;,mems_allowed=0,oom_memcg=/t,task_memcg=/t,task=w,pid=5,uid=0",
		"3,7,7,c;Out of memory: Killed process 9 (w)" KILL_TAIL,
		"3,8,8,-;Memory cgroup out of memory: Killed process 5 (w)" KILL_TAIL,
	};
	static const char *const old[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/long/p",
		"6,4,4,+;,task_memcg=/long/p/q,task=w,pid=5,uid=0",
		"3,5,5,-;Memory cgroup out of memory: Killed process 5 (w)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(callers, N(callers), &k), 1);
	ck_assert_str_eq(k.oom_memcg, "/long/p");
	ck_assert_str_eq(k.task_memcg, "/long/p/q");
	/* without caller ids the other line cuts the summary: unknown, not
	 * wrong */
	ck_assert_int_eq(feed(nocaller, N(nocaller), &k), 1);
	ck_assert_uint_eq(k.task_len, 0);
	ck_assert_int_eq(feed(old, N(old), &k), 1);
	ck_assert_str_eq(k.task_memcg, "/long/p/q");
	/* a 'c' record's text is a piece (a cpuset's name, say), never the
	 * start of a summary, a stats line or a kill */
	ck_assert_int_eq(feed(forged, N(forged), &k), 1);
	ck_assert_uint_eq(k.pid, 5);
	ck_assert_uint_eq(k.task_len, 0);
}
END_TEST

/* printk cuts a piece at 1023 bytes without a mark: a path that long may
 * be another cgroup's */
START_TEST(long_paths_not_trusted)
{
	char *p = malloc(OOM_PATH_TRUST + 1), *sum = malloc(4 * OOM_PATH_TRUST);
	const char *recs[2];
	struct oom_kill k;

	p[0] = '/';
	memset(p + 1, 'a', OOM_PATH_TRUST - 1);
	p[OOM_PATH_TRUST] = '\0';
	snprintf(sum, 4 * OOM_PATH_TRUST, "6,3,3,-;oom-kill:constraint="
	    "CONSTRAINT_NONE,nodemask=(null),global_oom,task_memcg=%s,task=x,"
	    "pid=5,uid=0", p);
	recs[0] = sum;
	recs[1] = "3,4,4,-;Out of memory: Killed process 5 (x)" KILL_TAIL;
	ck_assert_int_eq(feed(recs, 2, &k), 1);
	ck_assert_int_eq(k.global, 1);
	ck_assert_uint_eq(k.task_len, 0);
	p[OOM_PATH_TRUST - 1] = '\0';	/* one shorter: trusted */
	snprintf(sum, 4 * OOM_PATH_TRUST, "6,3,3,-;oom-kill:constraint="
	    "CONSTRAINT_NONE,nodemask=(null),global_oom,task_memcg=%s,task=x,"
	    "pid=5,uid=0", p);
	ck_assert_int_eq(feed(recs, 2, &k), 1);
	ck_assert_uint_eq(k.task_len, OOM_PATH_TRUST - 1);
	free(p);
	free(sum);
}
END_TEST

START_TEST(oom_group_members)
{
	static const char *const recs[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/g,task_memcg=/g/a,task=v,pid=5,uid=0",
		"3,4,4,-;Memory cgroup out of memory: Killed process 5 (v)" KILL_TAIL,
		"6,5,5,-;Tasks in /g are going to be killed due to memory.oom.group set",
		"3,6,6,-;Memory cgroup out of memory: Killed process 6 (m)" KILL_TAIL,
		"3,7,7,-;Memory cgroup out of memory: Killed process 5 (v)" KILL_TAIL,
	};
	struct oom_parser *p = malloc(sizeof(*p));
	struct oom_kill *k = malloc(sizeof(*k));
	struct kmsg_rec r;
	int got[3] = { 0 }, n = 0;
	size_t i;

	oom_parser_init(p);
	for (i = 0; i < N(recs); i++) {
		kmsg_parse(recs[i], strlen(recs[i]), &r);
		if (oom_feed(p, &r, k) != 1)
			continue;
		got[n++] = (int)k->pid;
		if (k->pid == 6) {
			ck_assert_uint_eq(k->task_len, 0);
			ck_assert_str_eq(k->group, "/g");
			ck_assert_str_eq(k->oom_memcg, "/g");
		} else
			ck_assert_str_eq(k->task_memcg, "/g/a");
	}
	ck_assert_int_eq(n, 2);		/* 5 is not counted twice */
	ck_assert_int_eq(got[0], 5);
	ck_assert_int_eq(got[1], 6);
	free(p);
	free(k);
}
END_TEST

START_TEST(garbage_truncated_and_spoofed)
{
	static const char *const recs[] = {
		"3,50,500,-;Killed process",
		"3,51,501,-;Killed process abc (x) total-vm:1kB",
		"3,52,502,-;Killed process 12 (",
		"3,53,503,-;Killed process 0 (x) total-vm:1kB",
		"3,54,504,-;Killed process 99999999999 (x) total-vm:1kB",
		/* LOG_USER (prio >= 8): what /dev/kmsg writers can inject */
		"11,55,505,-;Memory cgroup out of memory: Killed process 7 (fake) total-vm:1kB",
		/* a kill line inside another line (a cgroup path in it) */
		"6,56,506,-;Memory cgroup stats for /x: Killed process 1 (y) total-vm:1kB:",
		"6,57,507,-;cgroup: fork rejected in /Out of memory: Killed process 2 (y) total-vm:1kB",
		"6,58,508,-;oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/x,task_memcg=/y,task=z,pid=9,uid=0",
		/* the limit phrase overlapping "Task in " (found by fuzz_kmsg:
		 * the path length went negative) */
		"6,59,509,-;Task in killed as a result of limit of /d",
		"3,60,510,-;Out of memory: Killed process 10 (other) total-vm:1kB",
		"garbage with no header",
	};
	struct oom_kill k;

	/* only the last kill counts; its summary was for another pid */
	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_uint_eq(k.pid, 10);
	ck_assert_uint_eq(k.task_len, 0);
}
END_TEST

/* Records lost between a summary and its kill may be another report's:
 * the summary is not used across a gap. */
START_TEST(gap_drops_the_report)
{
	static const char *const recs[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/a,task_memcg=/a,task=x,pid=5,uid=0",
		"3,9,9,-;Out of memory: Killed process 5 (x)" KILL_TAIL,
	};
	static const char *const other_pid[] = {
		"6,3,3,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/a,task_memcg=/a,task=x,pid=5,uid=0",
		"3,4,4,-;Out of memory: Killed process 6 (x)" KILL_TAIL,
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_uint_eq(k.task_len, 0);
	ck_assert_int_eq(feed(other_pid, N(other_pid), &k), 1);
	ck_assert_uint_eq(k.task_len, 0);
}
END_TEST

START_TEST(resume_point)
{
	struct oom_parser *p = malloc(sizeof(*p));
	struct oom_kill *k = malloc(sizeof(*k));
	struct kmsg_rec r;
	static const char s[] = "6,59,1,-;Memory cgroup stats for /x:";
	static const char a[] = "6,60,1,-;oom-kill:constraint=C,nodemask=(null),oom_memcg=/x,task_memcg=/x,task=t,pid=3,uid=0";
	static const char b[] = "3,61,2,-;Out of memory: Killed process 3 (t) total-vm:1kB";

	oom_parser_init(p);
	ck_assert_uint_eq(oom_parser_hold(p), 0);
	kmsg_parse(s, strlen(s), &r);
	ck_assert_int_eq(oom_feed(p, &r, k), 0);
	ck_assert_uint_eq(oom_parser_hold(p), 59);
	kmsg_parse(a, strlen(a), &r);
	ck_assert_int_eq(oom_feed(p, &r, k), 0);
	ck_assert_uint_eq(oom_parser_hold(p), 59);
	kmsg_parse(b, strlen(b), &r);
	ck_assert_int_eq(oom_feed(p, &r, k), 1);
	ck_assert_str_eq(k->task_memcg, "/x");
	ck_assert_uint_eq(oom_parser_hold(p), 0);
	free(p);
	free(k);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("kmsg");
	TCase *tc = tcase_create("kmsg");

	tcase_add_test(tc, record_fields);
	tcase_add_test(tc, current_format);
	tcase_add_test(tc, global_oom_without_cpusets);
	tcase_add_test(tc, pre_4_19_format);
	tcase_add_test(tc, header_rate_limited_away);
	tcase_add_test(tc, odd_process_names_and_escapes);
	tcase_add_test(tc, attack_cgroup_name);
	tcase_add_test(tc, attack_process_name);
	tcase_add_test(tc, ambiguous_split);
	tcase_add_test(tc, cpuset_names_and_node_lists);
	tcase_add_test(tc, global_path_with_tail_keys);
	tcase_add_test(tc, continued_records);
	tcase_add_test(tc, long_paths_not_trusted);
	tcase_add_test(tc, oom_group_members);
	tcase_add_test(tc, garbage_truncated_and_spoofed);
	tcase_add_test(tc, gap_drops_the_report);
	tcase_add_test(tc, resume_point);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
