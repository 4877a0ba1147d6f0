/* Shared main for the check suites: runs one suite and prints the
 * per-suite line that tests/run adds up. */
#ifndef CADV_UNIT_H
#define CADV_UNIT_H

#include <check.h>

int	unit_run(Suite *);
/* A fresh directory under $TMPDIR for one test; removed by unit_rmtree. */
char	*unit_tmpdir(void);
void	unit_rmtree(const char *);
/* Path of a fixture file: $CADV_FIXTURES/rel, else tests/fixtures/rel. */
const char *unit_fixture(const char *rel);

#endif
