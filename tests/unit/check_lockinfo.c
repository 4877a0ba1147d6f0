#include <string.h>

#include "lockinfo.h"
#include "unit.h"

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* lock.mdb's header as LMDB 0.9 writes it (seen on this machine: od of a
 * live store's lock.mdb with a writer inside a transaction) */
START_TEST(writer_of_a_lock_file)
{
	unsigned char b[LOCKINFO_SIZE];

	memset(b, 0, sizeof(b));
	put32(b, LMDB_MAGIC);
	put32(b + 4, LOCKINFO_FORMAT);
	ck_assert(lockinfo_known(b));
	ck_assert_int_eq(lockinfo_writer(b), 0);		/* free */
	put32(b + LOCKINFO_WMUTEX, 17894);
	ck_assert_int_eq(lockinfo_writer(b), 17894);		/* held */
	put32(b + LOCKINFO_WMUTEX, 0x80000000u | 17894);
	ck_assert_int_eq(lockinfo_writer(b), 17894);		/* and waited for */
	put32(b + LOCKINFO_WMUTEX, LOCKINFO_OWNER_DIED | 17894);
	ck_assert_int_eq(lockinfo_writer(b), 0);		/* its owner died */
	put32(b + 4, LOCKINFO_FORMAT + 1);			/* another LMDB */
	ck_assert(!lockinfo_known(b));
	ck_assert_int_eq(lockinfo_writer(b), -1);
	put32(b + 4, LOCKINFO_FORMAT);
	put32(b, 0);						/* not LMDB's */
	ck_assert_int_eq(lockinfo_writer(b), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lockinfo");
	TCase *tc = tcase_create("lockinfo");

	tcase_add_test(tc, writer_of_a_lock_file);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
