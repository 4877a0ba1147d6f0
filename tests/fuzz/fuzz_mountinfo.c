/* Fuzz target: /proc/self/mountinfo, whole files (cg_mounts_parse) and
 * single lines (mountinfo_line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mounts.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_mounts m;
	struct mnt one;
	char err[256], *line;
	size_t idx[64];
	FILE *f;

	if (size == 0)
		return 0;
	if ((f = fmemopen((void *)(uintptr_t)data, size, "r")) != NULL) {
		memset(&m, 0, sizeof(m));
		if (cg_mounts_parse(f, &m, err, sizeof(err)) == 0) {
			(void)cg_mounts_roots(&m, idx, 64);
			cg_mounts_free(&m);
		}
		fclose(f);
	}
	/* one line, NUL-terminated as the reader hands it over */
	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	(void)mountinfo_line(line, &one);
	free(line);
	return 0;
}
