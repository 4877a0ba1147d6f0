/* /proc/diskstats: the parser on lines of real kernels (this machine's,
 * and the 11- and 15-counter formats of older ones), the stored record,
 * and the diskstats table in a real LMDB store, with and without it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskstats.h"
#include "storedisk.h"
#include "unit.h"
#include "storewrite.h"

static int
parse_str(const char *s, struct cadv_disk_stats *d)
{
	return diskstats_line(s, strlen(s), d);
}

START_TEST(line_of_this_kernel)
{
	/* 17 counters (5.5 and later: discards, flushes), captured here */
	static const char l[] = " 254       0 vda 1158288 55989 28602810 "
	    "3642242 1215303 588407 57004368 560179 0 265456 4316414 854350 "
	    "115 46035944 93811 195373 20180";
	struct cadv_disk_stats d;

	ck_assert_int_eq(parse_str(l, &d), 0);
	ck_assert_uint_eq(d.major, 254);
	ck_assert_uint_eq(d.minor, 0);
	ck_assert_uint_eq(d.v[CADV_DS_READS], 1158288);
	ck_assert_uint_eq(d.v[CADV_DS_READS_MERGED], 55989);
	ck_assert_uint_eq(d.v[CADV_DS_SECTORS_READ], 28602810);
	ck_assert_uint_eq(d.v[CADV_DS_READ_MS], 3642242);
	ck_assert_uint_eq(d.v[CADV_DS_WRITES], 1215303);
	ck_assert_uint_eq(d.v[CADV_DS_WRITES_MERGED], 588407);
	ck_assert_uint_eq(d.v[CADV_DS_SECTORS_WRITTEN], 57004368);
	ck_assert_uint_eq(d.v[CADV_DS_WRITE_MS], 560179);
	ck_assert_uint_eq(d.v[CADV_DS_IO_IN_PROGRESS], 0);
	ck_assert_uint_eq(d.v[CADV_DS_IO_MS], 265456);
	ck_assert_uint_eq(d.v[CADV_DS_WEIGHTED_IO_MS], 4316414);
}
END_TEST

START_TEST(lines_of_older_kernels)
{
	/* 11 counters (before 4.18), 15 (4.18 to 5.4: discards) */
	static const char l11[] = "   8       1 sda1 40 0 280 223 7 0 22 108 "
	    "0 330 330\n";
	static const char l15[] = " 259       1 nvme0n1p1 1702 0 75130 1094 "
	    "2 0 2 0 0 1208 1094 0 0 0 0";
	struct cadv_disk_stats d;

	ck_assert_int_eq(diskstats_line(l11, strlen(l11) - 1, &d), 0);
	ck_assert_uint_eq(d.major, 8);
	ck_assert_uint_eq(d.minor, 1);
	ck_assert_uint_eq(d.v[CADV_DS_SECTORS_READ], 280);
	ck_assert_uint_eq(d.v[CADV_DS_WEIGHTED_IO_MS], 330);
	ck_assert_int_eq(parse_str(l15, &d), 0);
	ck_assert_uint_eq(d.major, 259);
	ck_assert_uint_eq(d.v[CADV_DS_READS], 1702);
	ck_assert_uint_eq(d.v[CADV_DS_IO_MS], 1208);
}
END_TEST

START_TEST(bad_lines)
{
	static const char *const bad[] = {
		"",
		"   ",
		"8 1",
		"8 1 sda1",
		"8 1 sda1 40 0 280 223 7 0 22 108 0 330",	/* 10 */
		"8 1 sda1 40 0 280 223 7 0 22 108 0 330 -1",
		"8 1 sda1 40 0 280 223 7 0 22 108 0 330 3x0",
		"8 1 sda1 40 0 280 223 7 0 22 108 0 330 18446744073709551616",
		/* 21 digits: longer than any u64 */
		"8 1 sda1 40 0 280 223 7 0 22 108 0 330 000000000000000000001",
		"4294967296 1 sda1 40 0 280 223 7 0 22 108 0 330 330",
		"x 1 sda1 40 0 280 223 7 0 22 108 0 330 330",
		"8 +1 sda1 40 0 280 223 7 0 22 108 0 330 330",
	};
	struct cadv_disk_stats d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_str(bad[i], &d) == -1, "accepted \"%s\"",
		    bad[i]);
	/* the largest counter fits */
	ck_assert_int_eq(parse_str("8 1 sda1 40 0 280 223 7 0 22 108 0 330 "
	    "18446744073709551615", &d), 0);
	ck_assert_uint_eq(d.v[CADV_DS_WEIGHTED_IO_MS], UINT64_MAX);
}
END_TEST

static char *
slurp(const char *path, size_t *len)
{
	static char buf[1 << 16];
	long n = diskstats_read(path, buf, sizeof(buf) - 1);

	ck_assert_msg(n >= 0, "%s", path);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

START_TEST(whole_file)
{
	/* this machine's /proc/diskstats as captured for the fixture */
	struct cadv_disk_stats want[3] = { { 254, 0, { 0 } }, { 7, 3, { 0 } },
	    { 8, 0, { 0 } } };
	unsigned char found[3];
	size_t len, bad;
	char *text = slurp(unit_fixture("diskstats/virtio-6.x.txt"), &len);

	ck_assert_uint_eq(diskstats_parse(text, len, want, found, 3, &bad),
	    2);
	ck_assert_uint_eq(bad, 0);
	ck_assert(found[0] && found[1] && !found[2]);
	ck_assert_uint_eq(want[0].v[CADV_DS_READS], 1161667);
	ck_assert_uint_eq(want[0].v[CADV_DS_WEIGHTED_IO_MS], 4321144);
	ck_assert_uint_eq(want[1].v[CADV_DS_READS], 0);
	/* a bad line among good ones is passed over and counted; a last
	 * line without its newline is read */
	text = "garbage\n8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n\n"
	    "254 0 vda 9 9 9 9 9 9 9 9 9 9 12";
	ck_assert_uint_eq(diskstats_parse(text, strlen(text), want, found, 3,
	    &bad), 2);
	ck_assert_uint_eq(bad, 1);
	ck_assert(found[0] && !found[1] && found[2]);
	ck_assert_uint_eq(want[2].v[CADV_DS_WEIGHTED_IO_MS], 11);
	ck_assert_uint_eq(want[0].v[CADV_DS_WEIGHTED_IO_MS], 12);
	ck_assert_uint_eq(diskstats_parse("", 0, want, found, 3, &bad), 0);
}
END_TEST

START_TEST(live_proc_diskstats)
{
	/* the real file: every line is the kernel's format */
	struct cadv_disk_stats d = { 0, 0, { 0 } };
	unsigned char found;
	size_t len, bad;
	char *text = slurp("/proc/diskstats", &len);

	(void)diskstats_parse(text, len, &d, &found, 1, &bad);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(diskstats_read("/nonexistent/diskstats", text, 8), -1);
}
END_TEST

START_TEST(read_keeps_whole_lines)
{
	char buf[64];
	long n = diskstats_read(unit_fixture("diskstats/virtio-6.x.txt"), buf,
	    sizeof(buf));

	ck_assert(n > 0 && n < (long)sizeof(buf));
	ck_assert_int_eq(buf[n - 1], '\n');
}
END_TEST

START_TEST(record_round_trip)
{
	struct cadv_disk_stats d = { 1, 2, { 0 } }, e;
	unsigned char b[DISKSTATS_VALUE_LEN + 8];
	const char *why;
	size_t i;

	for (i = 0; i < CADV_DS_COUNT; i++)
		d.v[i] = 0x0102030405060708ULL * (i + 1);
	diskstats_encode(&d, b);
	/* little-endian at the documented offsets */
	ck_assert_uint_eq(diskstats_record_rows, CADV_DS_COUNT);
	for (i = 0; i < CADV_DS_COUNT; i++) {
		ck_assert_uint_eq(diskstats_record[i].offset, 8 * i);
		ck_assert_uint_eq(b[8 * i], (unsigned char)d.v[i]);
	}
	ck_assert_int_eq(diskstats_decode(b, DISKSTATS_VALUE_LEN, &e, &why), 0);
	ck_assert_mem_eq(e.v, d.v, sizeof(d.v));
	/* a newer writer's longer record reads; a shorter one does not */
	memset(b + DISKSTATS_VALUE_LEN, 0xff, 8);
	ck_assert_int_eq(diskstats_decode(b, sizeof(b), &e, &why), 0);
	ck_assert_mem_eq(e.v, d.v, sizeof(d.v));
	ck_assert_int_eq(diskstats_decode(b, DISKSTATS_VALUE_LEN - 1, &e,
	    &why), -1);
}
END_TEST

struct put {
	size_t	n;
	struct cadv_disk_stats d[4];
	uint64_t ts[4];
};

static int
put_fn(struct store *st, MDB_txn *txn, void *arg)
{
	struct put *p = arg;
	size_t i;
	int rc;

	for (i = 0; i < p->n; i++)
		if ((rc = store_diskstats_put(st, txn, p->ts[i],
		    &p->d[i])) != 0)
			return rc;
	return 0;
}

static size_t pruned;

static int
prune_fn(struct store *st, MDB_txn *txn, void *arg)
{
	return store_diskstats_prune(st, txn, *(uint64_t *)arg, &pruned);
}

static int
drop_fn(struct store *st, MDB_txn *txn, void *arg)
{
	(void)arg;
	return mdb_drop(txn, store_dbi(st, CADV_T_DISKSTATS), 1);
}

START_TEST(store_put_latest_prune)
{
	char err[256], *dir = unit_tmpdir();
	struct store *st;
	struct put p = { 4, { { 8, 1, { 1 } }, { 8, 1, { 2 } },
	    { 8, 2, { 3 } }, { 9, 0, { 4 } } }, { 100, 200, 150, 50 } };
	struct cadv_disk_stats d;
	uint64_t ts, before = 120;
	MDB_txn *txn;

	ck_assert_int_eq(store_open(&st, dir, err, sizeof(err)), 0);
	ck_assert(store_has(st, CADV_T_DISKSTATS));
	ck_assert_int_eq(store_write(st, put_fn, &p), 0);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_diskstats_latest(st, txn, 8, 1, &ts, &d), 0);
	ck_assert_uint_eq(ts, 200);
	ck_assert_uint_eq(d.v[0], 2);
	ck_assert_uint_eq(d.major, 8);
	ck_assert_uint_eq(d.minor, 1);
	ck_assert_int_eq(store_diskstats_at(st, txn, 8, 1, 199, &ts, &d), 0);
	ck_assert_uint_eq(ts, 100);
	ck_assert_int_eq(store_diskstats_at(st, txn, 8, 1, 99, &ts, &d),
	    MDB_NOTFOUND);
	ck_assert_int_eq(store_diskstats_latest(st, txn, 9, 0, &ts, &d), 0);
	ck_assert_uint_eq(d.v[0], 4);
	ck_assert_int_eq(store_diskstats_latest(st, txn, 8, 3, &ts, &d),
	    MDB_NOTFOUND);
	ck_assert_int_eq(store_diskstats_latest(st, txn, UINT32_MAX,
	    UINT32_MAX, &ts, &d), MDB_NOTFOUND);
	store_read_end(txn);
	ck_assert_int_eq(store_write(st, prune_fn, &before), 0);
	ck_assert_uint_eq(pruned, 2);
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_diskstats_latest(st, txn, 8, 1, &ts, &d), 0);
	ck_assert_uint_eq(ts, 200);
	ck_assert_int_eq(store_diskstats_latest(st, txn, 9, 0, &ts, &d),
	    MDB_NOTFOUND);
	store_read_end(txn);

	/* a store of before the table: a reader has none and finds nothing */
	ck_assert_int_eq(store_write(st, drop_fn, NULL), 0);
	store_close(st);
	ck_assert_int_eq(store_open_read(&st, dir, err,
	    sizeof(err)), 0);
	ck_assert(!store_has(st, CADV_T_DISKSTATS));
	ck_assert_int_eq(store_read_begin(st, &txn), 0);
	ck_assert_int_eq(store_diskstats_latest(st, txn, 8, 1, &ts, &d),
	    MDB_NOTFOUND);
	ck_assert_int_eq(store_diskstats_prune(st, txn, 1000, &pruned), 0);
	store_read_end(txn);
	store_close(st);
	/* a writer creates it again */
	ck_assert_int_eq(store_open(&st, dir, err, sizeof(err)), 0);
	ck_assert(store_has(st, CADV_T_DISKSTATS));
	store_close(st);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("diskstats");
	TCase *tc = tcase_create("diskstats");

	tcase_add_test(tc, line_of_this_kernel);
	tcase_add_test(tc, lines_of_older_kernels);
	tcase_add_test(tc, bad_lines);
	tcase_add_test(tc, whole_file);
	tcase_add_test(tc, live_proc_diskstats);
	tcase_add_test(tc, read_keeps_whole_lines);
	tcase_add_test(tc, record_round_trip);
	tcase_add_test(tc, store_put_latest_prune);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
