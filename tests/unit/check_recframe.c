#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recframe.h"
#include "unit.h"

START_TEST(through_a_pipe_in_pieces)
{
	static unsigned char big[RECFRAME_MAX];
	struct recframe_reader r;
	struct recframe f;
	int p[2], n = 0;
	pid_t pid;

	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		/* bigger than a pipe's buffer: written whole anyway */
		if (recframe_write(p[1], 1, big, sizeof(big)) == -1 ||
		    recframe_write(p[1], 2, "end", 3) == -1 ||
		    recframe_write(p[1], 3, NULL, 0) == -1)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(recframe_reader_init(&r), 0);
	for (;;) {
		enum recframe_status st;
		long got = recframe_reader_fill(&r, p[0]);

		ck_assert_int_ge(got, 0);
		while ((st = recframe_next(&r, &f)) == RECFRAME_OK) {
			n++;
			if (f.type == 1) {
				ck_assert_uint_eq(f.len, sizeof(big));
				ck_assert_int_eq(f.data[f.len - 1], 'x');
			} else if (f.type == 2)
				ck_assert_mem_eq(f.data, "end", 3);
			else
				ck_assert_uint_eq(f.len, 0);
		}
		ck_assert_int_ne(st, RECFRAME_BAD);
		if (got == 0)
			break;
	}
	ck_assert_int_eq(n, 3);
	recframe_reader_free(&r);
	close(p[0]);
}
END_TEST

START_TEST(oversized_is_final)
{
	unsigned char hdr[5] = { 0xff, 0xff, 0xff, 0x7f, 1 };
	struct recframe_reader r;
	struct recframe f;

	ck_assert_int_eq(recframe_write(-1, 1, "", RECFRAME_MAX + 1), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(recframe_reader_init(&r), 0);
	recframe_reader_feed(&r, hdr, sizeof(hdr));
	ck_assert_int_eq(recframe_next(&r, &f), RECFRAME_BAD);
	ck_assert_ptr_nonnull(r.error);
	/* and stays so */
	ck_assert_int_eq(recframe_next(&r, &f), RECFRAME_BAD);
	recframe_reader_free(&r);
}
END_TEST

START_TEST(partial_waits)
{
	unsigned char rec[8] = { 3, 0, 0, 0, 9, 'a', 'b', 'c' };
	struct recframe_reader r;
	struct recframe f;
	size_t i;

	ck_assert_int_eq(recframe_reader_init(&r), 0);
	for (i = 0; i < sizeof(rec) - 1; i++) {
		recframe_reader_feed(&r, rec + i, 1);
		ck_assert_int_eq(recframe_next(&r, &f), RECFRAME_MORE);
	}
	recframe_reader_feed(&r, rec + i, 1);
	ck_assert_int_eq(recframe_next(&r, &f), RECFRAME_OK);
	ck_assert_int_eq(f.type, 9);
	ck_assert_mem_eq(f.data, "abc", 3);
	recframe_reader_free(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("recframe");
	TCase *tc = tcase_create("recframe");

	signal(SIGPIPE, SIG_IGN);
	tcase_add_test(tc, through_a_pipe_in_pieces);
	tcase_add_test(tc, oversized_is_final);
	tcase_add_test(tc, partial_waits);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
