#include <string.h>

#include "kmsg.h"
#include "unit.h"

/* Feeds records (one per string) and returns the number of kills; the
 * last one in *k. */
static int
feed(const char *const *recs, size_t n, struct oom_kill *k)
{
	struct oom_parser p;
	struct kmsg_rec r;
	size_t i;
	int kills = 0;

	oom_parser_init(&p);
	for (i = 0; i < n; i++) {
		if (kmsg_parse(recs[i], strlen(recs[i]), &r) == -1)
			continue;
		kills += oom_feed(&p, &r, k);
	}
	return kills;
}

#define N(a) (sizeof(a) / sizeof(a[0]))

START_TEST(record_fields)
{
	struct kmsg_rec r;
	static const char rec[] = "6,507,2604492911,-,caller=T12;hello\n"
	    " SUBSYSTEM=acpi\n";

	ck_assert_int_eq(kmsg_parse(rec, strlen(rec), &r), 0);
	ck_assert_uint_eq(r.prio, 6);
	ck_assert_uint_eq(r.seq, 507);
	ck_assert_uint_eq(r.ts_us, 2604492911ULL);
	ck_assert_uint_eq(r.len, 5);
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
		"6,1608,7667232745,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/t/oom,task_memcg=/t/oom/leaf,task=cgtask,pid=24896,uid=0",
		"3,1609,7667232778,-;Memory cgroup out of memory: Killed process 24896 (cgtask) total-vm:68156kB, anon-rss:32640kB, file-rss:1384kB, shmem-rss:0kB, UID:0 pgtables:116kB oom_score_adj:0",
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_uint_eq(k.pid, 24896);
	ck_assert_str_eq(k.comm, "cgtask");
	ck_assert_str_eq(k.task_memcg, "/t/oom/leaf");
	ck_assert_str_eq(k.oom_memcg, "/t/oom");
	ck_assert_str_eq(k.constraint, "CONSTRAINT_MEMCG");
	ck_assert_uint_eq(k.seq, 1609);
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
	ck_assert_str_eq(k.task_memcg, "/user.slice");
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
		"6,40,400,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),oom_memcg=/a b,task_memcg=/a b/c\\x5cd,task=x,pid=8,uid=0",
		"3,41,401,-;Memory cgroup out of memory: Killed process 8 (my (odd) \\x01name) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
	};
	struct oom_kill k;

	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_str_eq(k.comm, "my (odd) \001name");
	ck_assert_str_eq(k.oom_memcg, "/a b");
	ck_assert_str_eq(k.task_memcg, "/a b/c\\d");
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
		"6,56,506,-;oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/x,task_memcg=/y,task=z,pid=9,uid=0",
		/* the limit phrase overlapping "Task in " (found by fuzz_kmsg:
		 * the path length went negative) */
		"6,58,508,-;Task in killed as a result of limit of /d",
		"3,57,507,-;Out of memory: Killed process 10 (other) total-vm:1kB",
		"garbage with no header",
	};
	struct oom_kill k;

	/* only the last kill counts; its summary was for another pid */
	ck_assert_int_eq(feed(recs, N(recs), &k), 1);
	ck_assert_uint_eq(k.pid, 10);
	ck_assert_uint_eq(k.task_len, 0);
}
END_TEST

START_TEST(resume_point)
{
	struct oom_parser p;
	struct kmsg_rec r;
	struct oom_kill k;
	static const char a[] = "6,60,1,-;oom-kill:constraint=C,oom_memcg=/x,task_memcg=/x,task=t,pid=3,uid=0";
	static const char b[] = "3,61,2,-;Out of memory: Killed process 3 (t) total-vm:1kB";

	oom_parser_init(&p);
	ck_assert_uint_eq(oom_parser_hold(&p), 0);
	kmsg_parse(a, strlen(a), &r);
	ck_assert_int_eq(oom_feed(&p, &r, &k), 0);
	ck_assert_uint_eq(oom_parser_hold(&p), 60);
	kmsg_parse(b, strlen(b), &r);
	ck_assert_int_eq(oom_feed(&p, &r, &k), 1);
	ck_assert_uint_eq(oom_parser_hold(&p), 0);
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
	tcase_add_test(tc, garbage_truncated_and_spoofed);
	tcase_add_test(tc, resume_point);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
