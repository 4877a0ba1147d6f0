#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "unit.h"

START_TEST(put_get_del_many)
{
	static char keys[5000][16];
	struct hmap m;
	size_t i;

	hmap_init(&m);
	for (i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "/k%zu", i);
		ck_assert_int_eq(hmap_put(&m, keys[i], strlen(keys[i]), keys[i]), 0);
	}
	ck_assert_uint_eq(m.n, 5000);
	/* delete every third, then check every key against a model */
	for (i = 0; i < 5000; i += 3)
		ck_assert_ptr_eq(hmap_del(&m, keys[i], strlen(keys[i])), keys[i]);
	for (i = 0; i < 5000; i++) {
		void *v = hmap_get(&m, keys[i], strlen(keys[i]));

		if (i % 3 == 0)
			ck_assert_ptr_null(v);
		else
			ck_assert_ptr_eq(v, keys[i]);
	}
	ck_assert_ptr_null(hmap_del(&m, "/absent", 7));
	ck_assert_int_eq(hmap_put(&m, keys[1], strlen(keys[1]), NULL), 0);
	ck_assert_ptr_null(hmap_get(&m, keys[1], strlen(keys[1])));
	ck_assert_uint_eq(m.n, 5000 - 1667);
	hmap_free(&m);
}
END_TEST

START_TEST(binary_keys)
{
	struct hmap m;
	char a[3] = { '/', 0, 1 }, b[3] = { '/', 0, 2 };
	int x, y;

	hmap_init(&m);
	ck_assert_ptr_null(hmap_get(&m, a, 3));
	hmap_put(&m, a, 3, &x);
	hmap_put(&m, b, 3, &y);
	ck_assert_ptr_eq(hmap_get(&m, a, 3), &x);
	ck_assert_ptr_eq(hmap_get(&m, b, 3), &y);
	ck_assert_ptr_null(hmap_get(&m, a, 2));
	hmap_free(&m);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("hmap");
	TCase *tc = tcase_create("hmap");

	tcase_add_test(tc, put_get_del_many);
	tcase_add_test(tc, binary_keys);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
