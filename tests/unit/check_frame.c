#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "unit.h"

static const struct {
	const char	*name;
	size_t		 len;
} odd[] = {
	{ "/", 1 },
	{ "/with space/and\ttab", 19 },
	{ "/new\nline", 9 },
	{ "/\x80\xff\xfe high", 9 },
	{ "/quote\"back\\slash", 17 },
};
#define NODD (sizeof(odd) / sizeof(odd[0]))

START_TEST(roundtrip_odd_names)
{
	unsigned char buf[FRAME_MAX];
	struct frame_reader r;
	struct frame f;
	size_t i, n;

	frame_reader_init(&r);
	for (i = 0; i < NODD; i++) {
		n = frame_encode(FRAME_ADD, odd[i].name, odd[i].len, buf,
		    sizeof(buf));
		ck_assert_uint_eq(n, FRAME_HDR + odd[i].len);
		frame_reader_feed(&r, buf, n);
		ck_assert_int_eq(frame_next(&r, &f), FRAME_OK);
		ck_assert_int_eq(f.type, FRAME_ADD);
		ck_assert_uint_eq(f.len, odd[i].len);
		ck_assert_mem_eq(f.name, odd[i].name, f.len);
	}
	ck_assert_int_eq(frame_next(&r, &f), FRAME_MORE);
}
END_TEST

START_TEST(byte_by_byte)
{
	unsigned char buf[3 * FRAME_MAX];
	struct frame_reader r;
	struct frame f;
	size_t n = 0, i, got = 0;

	n += frame_encode(FRAME_ADD, "/a b", 4, buf + n, sizeof(buf) - n);
	n += frame_encode(FRAME_DEL, "/\xff", 2, buf + n, sizeof(buf) - n);
	n += frame_encode(FRAME_SYNC, NULL, 0, buf + n, sizeof(buf) - n);
	frame_reader_init(&r);
	for (i = 0; i < n; i++) {
		frame_reader_feed(&r, buf + i, 1);
		while (frame_next(&r, &f) == FRAME_OK) {
			got++;
			if (got == 2) {
				ck_assert_int_eq(f.type, FRAME_DEL);
				ck_assert_mem_eq(f.name, "/\xff", 2);
			}
			if (got == 3)
				ck_assert_int_eq(f.type, FRAME_SYNC);
		}
	}
	ck_assert_uint_eq(got, 3);
	ck_assert_uint_eq(frame_reader_pending(&r), 0);
}
END_TEST

START_TEST(truncated_frame_stays_pending)
{
	unsigned char buf[FRAME_MAX];
	struct frame_reader r;
	struct frame f;
	size_t n;

	n = frame_encode(FRAME_ADD, "/abc", 4, buf, sizeof(buf));
	frame_reader_init(&r);
	frame_reader_feed(&r, buf, n - 1);
	ck_assert_int_eq(frame_next(&r, &f), FRAME_MORE);
	/* at EOF the caller sees a partial frame and reports truncation */
	ck_assert_uint_eq(frame_reader_pending(&r), n - 1);
}
END_TEST

static enum frame_status
feed_raw(const unsigned char *p, size_t n, const char **why)
{
	struct frame_reader r;
	struct frame f;
	enum frame_status st;

	frame_reader_init(&r);
	frame_reader_feed(&r, p, n);
	st = frame_next(&r, &f);
	*why = r.error;
	/* a bad stream stays bad */
	if (st == FRAME_BAD)
		ck_assert_int_eq(frame_next(&r, &f), FRAME_BAD);
	return st;
}

START_TEST(bad_frames_rejected)
{
	const char *why;
	unsigned char oversize[4] = { FRAME_ADD, 0, 0x01, 0x10 }; /* 4097 */
	unsigned char badtype[5] = { 9, 0, 1, 0, '/' };
	unsigned char reserved[5] = { FRAME_ADD, 1, 1, 0, '/' };
	unsigned char nul[7] = { FRAME_ADD, 0, 3, 0, '/', 0, 'a' };
	unsigned char slashes[7] = { FRAME_DEL, 0, 3, 0, '/', '/', 'a' };
	unsigned char relative[5] = { FRAME_ADD, 0, 1, 0, 'a' };
	unsigned char syncname[5] = { FRAME_SYNC, 0, 1, 0, '/' };
	unsigned char empty[4] = { FRAME_ADD, 0, 0, 0 };

	ck_assert_int_eq(feed_raw(oversize, 4, &why), FRAME_BAD);
	ck_assert_str_eq(why, "name longer than CGNAME_MAX");
	ck_assert_int_eq(feed_raw(badtype, 5, &why), FRAME_BAD);
	ck_assert_str_eq(why, "unknown frame type");
	ck_assert_int_eq(feed_raw(reserved, 5, &why), FRAME_BAD);
	ck_assert_int_eq(feed_raw(nul, 7, &why), FRAME_BAD);
	ck_assert_str_eq(why, "invalid container name");
	ck_assert_int_eq(feed_raw(slashes, 7, &why), FRAME_BAD);
	ck_assert_int_eq(feed_raw(relative, 5, &why), FRAME_BAD);
	ck_assert_int_eq(feed_raw(syncname, 5, &why), FRAME_BAD);
	ck_assert_int_eq(feed_raw(empty, 4, &why), FRAME_BAD);
}
END_TEST

START_TEST(encode_refuses_bad_names)
{
	unsigned char buf[FRAME_MAX];
	char big[CGNAME_MAX + 2];

	ck_assert_uint_eq(frame_encode(FRAME_ADD, "x", 1, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(frame_encode(FRAME_ADD, "/a\0", 3, buf, sizeof(buf)),
	    0);
	ck_assert_uint_eq(frame_encode(FRAME_ADD, "/a", 2, buf, 5), 0);
	memset(big, 'x', sizeof(big));
	big[0] = '/';
	ck_assert_uint_eq(frame_encode(FRAME_ADD, big, CGNAME_MAX, buf,
	    sizeof(buf)), FRAME_HDR + CGNAME_MAX);
	ck_assert_uint_eq(frame_encode(FRAME_ADD, big, CGNAME_MAX + 1, buf,
	    sizeof(buf)), 0);
}
END_TEST

START_TEST(through_a_pipe)
{
	struct frame_writer w;
	struct frame_reader r;
	struct frame f;
	int p[2], i, got = 0;
	char name[32];

	ck_assert_int_eq(pipe(p), 0);
	frame_writer_init(&w, p[1]);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "/n%d/\xc3\xa9 %d", i, i);
		ck_assert_int_eq(frame_writer_add(&w, FRAME_ADD, name,
		    strlen(name)), 0);
		if (i % 50 == 0)
			ck_assert_int_eq(frame_writer_flush(&w), 0);
	}
	ck_assert_int_eq(frame_writer_add(&w, FRAME_SYNC, NULL, 0), 0);
	ck_assert_int_eq(frame_writer_flush(&w), 0);
	close(p[1]);
	frame_reader_init(&r);
	for (;;) {
		enum frame_status st;

		while ((st = frame_next(&r, &f)) == FRAME_OK) {
			if (f.type == FRAME_SYNC)
				break;
			snprintf(name, sizeof(name), "/n%d/\xc3\xa9 %d", got,
			    got);
			ck_assert_uint_eq(f.len, strlen(name));
			ck_assert_mem_eq(f.name, name, f.len);
			got++;
		}
		if (st == FRAME_OK)
			break;
		ck_assert_int_ne(st, FRAME_BAD);
		ck_assert_int_gt(frame_reader_fill(&r, p[0]), 0);
	}
	ck_assert_int_eq(got, 300);
	close(p[0]);
}
END_TEST

START_TEST(write_to_closed_pipe_fails_epipe)
{
	struct frame_writer w;
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	frame_writer_init(&w, p[1]);
	ck_assert_int_eq(frame_writer_add(&w, FRAME_ADD, "/", 1), 0);
	ck_assert_int_eq(frame_writer_flush(&w), -1);
	ck_assert_int_eq(errno, EPIPE);
	close(p[1]);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("frame");

	tcase_add_test(tc, roundtrip_odd_names);
	tcase_add_test(tc, byte_by_byte);
	tcase_add_test(tc, truncated_frame_stays_pending);
	tcase_add_test(tc, bad_frames_rejected);
	tcase_add_test(tc, encode_refuses_bad_names);
	tcase_add_test(tc, through_a_pipe);
	tcase_add_test(tc, write_to_closed_pipe_fails_epipe);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
