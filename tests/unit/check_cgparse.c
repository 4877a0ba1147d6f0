#include <string.h>

#include "cgparse.h"
#include "unit.h"

#define S(x) (x), (sizeof(x) - 1)

START_TEST(single_values)
{
	uint64_t v;
	int64_t i;

	ck_assert_int_eq(cgp_u64(S("4096\n"), &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(cgp_u64(S("max\n"), &v), 0);
	ck_assert_uint_eq(v, CADV_UNLIMITED);
	ck_assert_int_eq(cgp_u64(S("18446744073709551615"), &v), 0);
	ck_assert_int_eq(cgp_u64(S("18446744073709551616"), &v), -1);
	ck_assert_int_eq(cgp_u64(S(""), &v), -1);
	ck_assert_int_eq(cgp_u64(S("12abc"), &v), -1);
	ck_assert_int_eq(cgp_u64(S("-1"), &v), -1);
	ck_assert_int_eq(cgp_u64(S("maximum"), &v), -1);
	ck_assert_int_eq(cgp_i64(S("-1\n"), &i), 0);
	ck_assert_int_eq(i, -1);
	ck_assert_int_eq(cgp_i64(S("100000\n"), &i), 0);
	ck_assert_int_eq(i, 100000);
	ck_assert_int_eq(cgp_i64(S("--1"), &i), -1);
}
END_TEST

START_TEST(keyed_any_order_unknown_and_garbage)
{
	static const char *const keys[] = { "anon", "file", "pgfault" };
	uint64_t vals[3] = { 0 }, found = 0;
	static const char buf[] = "zzz 1\nfile 20\nnospace\npgfault x\n"
	    "anon 10\nfilefile 7\nfil 3\nanon_thp 9\n\n";

	ck_assert_uint_eq(cgp_kv(S(buf), keys, 3, vals, &found), 2);
	ck_assert_uint_eq(found, 3);	/* anon, file; pgfault malformed */
	ck_assert_uint_eq(vals[0], 10);
	ck_assert_uint_eq(vals[1], 20);
	/* no trailing newline, value overflow */
	found = 0;
	cgp_kv(S("anon 5"), keys, 3, vals, &found);
	ck_assert_uint_eq(vals[0], 5);
	found = 0;
	cgp_kv(S("anon 99999999999999999999\n"), keys, 3, vals, &found);
	ck_assert_uint_eq(found, 0);
	/* a NUL inside a key is a byte like any other (found by
	 * fuzz_cgparse: the comparison read past the key table's string) */
	found = 0;
	cgp_kv("file\0xyz 4\nfile 6\n", 18, keys, 3, vals, &found);
	ck_assert_uint_eq(found, 2);
	ck_assert_uint_eq(vals[1], 6);
}
END_TEST

START_TEST(percpu_lists)
{
	uint64_t v[4];
	size_t n;

	ck_assert_int_eq(cgp_u64_list(S("8157025927 0 \n"), v, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(v[0], 8157025927ULL);
	ck_assert_int_eq(cgp_u64_list(S("1 2 3 4 5"), v, 4, &n), -1);
	ck_assert_int_eq(cgp_u64_list(S("1 x"), v, 4, &n), -1);
	ck_assert_int_eq(cgp_u64_list(S("\n"), v, 4, &n), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(pressure)
{
	struct cgp_psi some, full;
	unsigned has;

	ck_assert_int_eq(cgp_psi(S("some avg10=0.22 avg60=0.17 avg300=1.11 "
	    "total=58761459\nfull avg10=100.00 avg60=0.5 avg300=0 total=0\n"),
	    &some, &full, &has), 0);
	ck_assert_uint_eq(has, 3);
	ck_assert_uint_eq(some.avg10, 2200);
	ck_assert_uint_eq(some.avg60, 1700);
	ck_assert_uint_eq(some.avg300, 11100);
	ck_assert_uint_eq(some.total_us, 58761459);
	ck_assert_uint_eq(full.avg10, 1000000);
	ck_assert_uint_eq(full.avg60, 5000);
	/* irq.pressure style: full only; a missing field spoils a line */
	ck_assert_int_eq(cgp_psi(S("full avg10=1.00 avg60=0.00 avg300=0.00 "
	    "total=5\nsome avg10=1.00 total=3\n"), &some, &full, &has), 0);
	ck_assert_uint_eq(has, 2);
	ck_assert_int_eq(cgp_psi(S("some avg10=abc avg60=0 avg300=0 total=1\n"),
	    &some, &full, &has), -1);
	ck_assert_int_eq(cgp_psi(S("some avg10=101.00 avg60=0 avg300=0 "
	    "total=1\n"), &some, &full, &has), -1);
	ck_assert_int_eq(cgp_psi(S(""), &some, &full, &has), -1);
}
END_TEST

START_TEST(blkio_v1_rows)
{
	struct cadv_blk b[2];
	struct cadv_diskio x[2];
	uint64_t xp = 0;
	size_t n = 0;
	struct cgp_blk d = { b, x, 2, &n, &xp }, plain = { b, NULL, 2, &n, &xp };

	/* this machine's blkio.throttle.io_service_bytes_recursive */
	ck_assert_int_eq(cgp_blkio_v1(S("254:0 Read 13157662720\n254:0 Write "
	    "26619162624\n254:0 Sync 45658390528\n254:0 Async 17252716544\n"
	    "254:0 Discard 23134281728\n254:0 Total 62911107072\n"
	    "Total 62911107072\n"), CGP_BLK_BYTES, &d), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(b[0].read_bytes, 13157662720ULL);
	ck_assert_uint_eq(b[0].write_bytes, 26619162624ULL);
	ck_assert_uint_eq(x[0].v[CADV_DX_SYNC_BYTES], 45658390528ULL);
	ck_assert_uint_eq(x[0].v[CADV_DX_ASYNC_BYTES], 17252716544ULL);
	ck_assert_uint_eq(x[0].v[CADV_DX_DISCARD_BYTES], 23134281728ULL);
	ck_assert_uint_eq(xp, (1ULL << CADV_DX_SYNC_BYTES) | (1ULL << CADV_DX_ASYNC_BYTES) |
	    (1ULL << CADV_DX_DISCARD_BYTES));
	ck_assert_int_eq(cgp_blkio_v1(S("254:0 Read 5\n254:0 Write 6\n"
	    "254:0 Sync 7\n254:0 Async 4\n254:0 Discard 0\n"),
	    CGP_BLK_OPS, &d), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(b[0].read_ops, 5);
	ck_assert_uint_eq(b[0].read_bytes, 13157662720ULL);
	ck_assert_uint_eq(x[0].v[CADV_DX_SYNC_OPS], 7);
	ck_assert_uint_eq(x[0].v[CADV_DX_ASYNC_OPS], 4);
	ck_assert(xp & (1ULL << CADV_DX_DISCARD_OPS));
	/* without room for extras, only the four */
	n = 0;
	ck_assert_int_eq(cgp_blkio_v1(S("8:0 Read 1\n8:0 Sync 1\n"),
	    CGP_BLK_BYTES, &plain), 0);
	ck_assert_uint_eq(n, 1);
	/* >= 6.10 without a throttle rule */
	n = 0;
	ck_assert_int_eq(cgp_blkio_v1(S("Total 0\n"), CGP_BLK_BYTES, &d), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(cgp_blkio_v1(S("1:1 Read 1\n2:2 Read 2\n3:3 Read 3\n"),
	    CGP_BLK_BYTES, &d), -1);	/* more devices than room */
	n = 0;
	ck_assert_int_eq(cgp_blkio_v1(S("9:9 Read x\n"), CGP_BLK_BYTES, &d), -1);
	n = 0;
	ck_assert_int_eq(cgp_blkio_v1(S("9:9 Sync x\n"), CGP_BLK_BYTES, &d), -1);
}
END_TEST

START_TEST(iostat_v2_rows)
{
	struct cadv_blk b[4];
	struct cadv_diskio x[4];
	uint64_t xp = 0;
	size_t n = 0;
	struct cgp_blk d = { b, x, 4, &n, &xp };

	/* the kernel's io.stat, with the io cost controller's fields (us) */
	ck_assert_int_eq(cgp_iostat_v2(S("8:16 wbytes=314773504 rbytes=1459200 "
	    "wios=353 rios=192 dbytes=4096 dios=1\n254:0 rbytes=1 "
	    "cost.vrate=100.00 cost.usage=9 cost.wait=2 cost.indebt=3 "
	    "cost.indelay=4\n8:0\n"), &d), 0);
	ck_assert_uint_eq(n, 2);	/* the bare line counts nothing */
	ck_assert_uint_eq(b[0].major, 8);
	ck_assert_uint_eq(b[0].minor, 16);
	ck_assert_uint_eq(b[0].read_bytes, 1459200);
	ck_assert_uint_eq(b[0].write_ops, 353);
	ck_assert_uint_eq(x[0].v[CADV_DX_DISCARD_BYTES], 4096);
	ck_assert_uint_eq(x[0].v[CADV_DX_DISCARD_OPS], 1);
	ck_assert_uint_eq(b[1].read_bytes, 1);
	ck_assert_uint_eq(b[1].write_bytes, 0);
	ck_assert_uint_eq(x[1].v[CADV_DX_COST_USAGE], 9000);
	ck_assert_uint_eq(x[1].v[CADV_DX_COST_WAIT], 2000);
	ck_assert_uint_eq(x[1].v[CADV_DX_COST_INDEBT], 3000);
	ck_assert_uint_eq(x[1].v[CADV_DX_COST_INDELAY], 4000);
	ck_assert(!(xp & (1ULL << CADV_DX_SYNC_BYTES)));
	n = 0;
	ck_assert_int_eq(cgp_iostat_v2(S("garbage\n"), &d), -1);
	n = 0;
	ck_assert_int_eq(cgp_iostat_v2(S("8:0 rbytes=-4\n"), &d), -1);
	n = 0;
	ck_assert_int_eq(cgp_iostat_v2(S("8:0 cost.usage=99999999999999999999\n"),
	    &d), -1);
	n = 0;
	ck_assert_int_eq(cgp_iostat_v2(S("8:0 cost.usage=18446744073709552\n"),
	    &d), -1);	/* fits in us, not in ns */
}
END_TEST

START_TEST(cpu_max_and_weight)
{
	uint64_t q, p;

	ck_assert_int_eq(cgp_cpu_max(S("max 100000\n"), &q, &p), 0);
	ck_assert_uint_eq(q, CADV_UNLIMITED);
	ck_assert_uint_eq(p, 100000);
	ck_assert_int_eq(cgp_cpu_max(S("50000 100000"), &q, &p), 0);
	ck_assert_uint_eq(q, 50000);
	ck_assert_int_eq(cgp_cpu_max(S("50000"), &q, &p), -1);
	ck_assert_int_eq(cgp_cpu_max(S("1 max"), &q, &p), -1);
	/* cAdvisor's mapping */
	ck_assert_uint_eq(cgp_weight_to_shares(1), 2);
	ck_assert_uint_eq(cgp_weight_to_shares(100), 2597);
	ck_assert_uint_eq(cgp_weight_to_shares(10000), 262144);
}
END_TEST

START_TEST(netdev)
{
	struct cadv_net ifs[2];
	size_t n;
	static const char buf[] =
	    "Inter-|   Receive                                                |  Transmit\n"
	    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
	    "    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n"
	    "  eth0: 1234567    8910    1    2    0     0          0         0   765432     123    3    4    0     0       0          0\n";

	ck_assert_int_eq(cgp_netdev(S(buf), ifs, 2, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(ifs[0].name, "eth0");
	ck_assert_uint_eq(ifs[0].rx_bytes, 1234567);
	ck_assert_uint_eq(ifs[0].rx_dropped, 2);
	ck_assert_uint_eq(ifs[0].tx_bytes, 765432);
	ck_assert_uint_eq(ifs[0].tx_dropped, 4);
	ck_assert_int_eq(cgp_netdev(S("eth0: 1 2 3\n"), ifs, 2, &n), -1);
	ck_assert_int_eq(cgp_netdev(S("averyveryverylongname0: 1\n"), ifs, 2,
	    &n), -1);
}
END_TEST

START_TEST(pids)
{
	uint32_t first;

	ck_assert_uint_eq(cgp_count_pids(S("12\n34\n12\n"), &first), 3);
	ck_assert_uint_eq(first, 12);
	ck_assert_uint_eq(cgp_count_pids(S(""), &first), 0);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(cgp_count_pids(S("x\n5\n"), &first), 2);
	ck_assert_uint_eq(first, 0);
}
END_TEST

/* /proc/self/limits as this machine's kernel writes it (prlimit
 * --nofile=1024:4096 cat /proc/self/limits) */
static const char limits[] =
	    "Limit                     Soft Limit           Hard Limit           Units     \n"
	    "Max cpu time              unlimited            unlimited            seconds   \n"
	    "Max file size             unlimited            unlimited            bytes     \n"
	    "Max data size             unlimited            unlimited            bytes     \n"
	    "Max stack size            8388608              unlimited            bytes     \n"
	    "Max core file size        0                    unlimited            bytes     \n"
	    "Max resident set          unlimited            unlimited            bytes     \n"
	    "Max processes             96365                96365                processes \n"
	    "Max open files            1024                 4096                 files     \n"
	    "Max locked memory         8388608              8388608              bytes     \n"
	    "Max address space         unlimited            unlimited            bytes     \n"
	    "Max file locks            unlimited            unlimited            locks     \n"
	    "Max pending signals       96365                96365                signals   \n"
	    "Max msgqueue size         819200               819200               bytes     \n"
	    "Max nice priority         0                    0                    \n"
	    "Max realtime priority     0                    0                    \n"
	    "Max realtime timeout      unlimited            unlimited            us        \n";

START_TEST(proc_limits)
{
	uint64_t s = 7, h = 7;

	ck_assert_int_eq(cgp_limit(S(limits), "Max open files", &s, &h), 0);
	ck_assert_uint_eq(s, 1024);
	ck_assert_uint_eq(h, 4096);
	ck_assert_int_eq(cgp_limit(S(limits), "Max stack size", &s, &h), 0);
	ck_assert_uint_eq(s, 8388608);
	ck_assert_uint_eq(h, CADV_UNLIMITED);
	/* no units column */
	ck_assert_int_eq(cgp_limit(S(limits), "Max nice priority", &s, &h), 0);
	ck_assert_uint_eq(s, 0);
	ck_assert_uint_eq(h, 0);
	/* a prefix of a name is not the name */
	ck_assert_int_eq(cgp_limit(S(limits), "Max file", &s, &h), -1);
	ck_assert_int_eq(cgp_limit(S(limits), "Max realtime", &s, &h), -1);
	ck_assert_int_eq(cgp_limit(S(""), "Max open files", &s, &h), -1);
	/* cut short, garbage, overflow, no newline at the end */
	ck_assert_int_eq(cgp_limit(S("Max open files  1024\n"),
	    "Max open files", &s, &h), -1);
	ck_assert_int_eq(cgp_limit(S("Max open files  1024  x\n"),
	    "Max open files", &s, &h), -1);
	ck_assert_int_eq(cgp_limit(S("Max open files  1024  40x96 files\n"),
	    "Max open files", &s, &h), -1);
	ck_assert_int_eq(cgp_limit(S("Max open files  99999999999999999999  "
	    "1\n"), "Max open files", &s, &h), -1);
	ck_assert_int_eq(cgp_limit(S("Max open files  unlimited  5"),
	    "Max open files", &s, &h), 0);
	ck_assert_uint_eq(s, CADV_UNLIMITED);
	ck_assert_uint_eq(h, 5);
}
END_TEST

START_TEST(pid_lists)
{
	uint32_t p[3];
	size_t n;

	ck_assert_int_eq(cgp_pids(S("12\n34\n\n56\n"), p, 3, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(p[0], 12);
	ck_assert_uint_eq(p[2], 56);
	ck_assert_int_eq(cgp_pids(S(""), p, 3, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(cgp_pids(S("1\n2\n3\n4\n"), p, 3, &n), -1);
	ck_assert_int_eq(cgp_pids(S("1\nx\n"), p, 3, &n), -1);
	ck_assert_int_eq(cgp_pids(S("0\n"), p, 3, &n), -1);
	ck_assert_int_eq(cgp_pids(S("4294967296\n"), p, 3, &n), -1);
	ck_assert_int_eq(cgp_pids(S("7 \n"), p, 3, &n), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cgparse");
	TCase *tc = tcase_create("cgparse");

	tcase_add_test(tc, single_values);
	tcase_add_test(tc, keyed_any_order_unknown_and_garbage);
	tcase_add_test(tc, percpu_lists);
	tcase_add_test(tc, pressure);
	tcase_add_test(tc, blkio_v1_rows);
	tcase_add_test(tc, iostat_v2_rows);
	tcase_add_test(tc, cpu_max_and_weight);
	tcase_add_test(tc, netdev);
	tcase_add_test(tc, pids);
	tcase_add_test(tc, proc_limits);
	tcase_add_test(tc, pid_lists);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
