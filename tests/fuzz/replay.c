/* replay FILE|DIR...: runs a fuzz target's entry point once on each file
 * (a directory: on each file in it), as libFuzzer would on a crash file.
 * Linked with every target in the normal build, so `make check` reruns
 * the seed corpora and the regression inputs under gcc, clang and the
 * sanitizers.  Prints how many inputs ran; a crash is the failure. */
#include <dirent.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t ran;

static void
one(const char *path)
{
	unsigned char *buf;
	struct stat sb;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		err(1, "%s", path);
	if (fstat(fileno(f), &sb) == -1)
		err(1, "%s", path);
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL)
		err(1, "malloc");
	n = fread(buf, 1, (size_t)sb.st_size, f);
	if (ferror(f))
		err(1, "%s", path);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	ran++;
}

int
main(int argc, char **argv)
{
	char path[4096];
	struct dirent *de;
	struct stat sb;
	int i;

	for (i = 1; i < argc; i++) {
		DIR *d;

		if (stat(argv[i], &sb) == -1)
			err(1, "%s", argv[i]);
		if (!S_ISDIR(sb.st_mode)) {
			one(argv[i]);
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			err(1, "%s", argv[i]);
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
			    de->d_name);
			one(path);
		}
		closedir(d);
	}
	printf("%zu inputs\n", ran);
	return 0;
}
