/*
 * Giving memory back after a large answer.  Two kinds stay with the
 * process otherwise: heap that glibc keeps for reuse (in one arena per
 * HTTP thread), and the pages of the store that the answer read, which
 * stay mapped and counted in exporterd's RSS although they are the page
 * cache every reader and the writer share.  malloc_trim returns the
 * first; MADV_DONTNEED on the store's mapping drops our page-table
 * entries for the second without touching the cache (the mapping is
 * shared and read-only: the next read maps the same page again, a minor
 * fault).
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exporterd.h"

/* The read-only shared mappings of data.mdb (LMDB's map of the store),
 * found in /proc/self/maps: nothing else in exporterd is mapped so. */
static void
release_store_pages(void)
{
	FILE *fp;
	char *line = NULL, perms[8];
	size_t cap = 0, n;
	unsigned long lo, hi;

	if ((fp = fopen("/proc/self/maps", "re")) == NULL)
		return;
	while (getline(&line, &cap, fp) > 0) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || strcmp(perms, "r--s") != 0 || n < 9 ||
		    strcmp(line + n - 9, "/data.mdb") != 0 || hi <= lo)
			continue;
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
	free(line);
	fclose(fp);
}

/* Resident pages mapped from files (statm's third field), 0 if unknown */
static unsigned long
file_pages(void)
{
	char buf[128];
	unsigned long size, resident, shared;
	ssize_t n;
	int fd;

	if ((fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3)
		return 0;
	return shared;
}

/* the file pages after the last release: what the libraries take */
static unsigned long floor_pages;

void
trim_memory(void)
{
	malloc_trim(0);
	release_store_pages();
	__atomic_store_n(&floor_pages, file_pages(), __ATOMIC_RELAXED);
}

void
trim_store_pages(unsigned long slack)
{
	unsigned long now = file_pages(), floor;

	floor = __atomic_load_n(&floor_pages, __ATOMIC_RELAXED);
	if (now == 0 || now <= floor + slack)
		return;
	release_store_pages();
	__atomic_store_n(&floor_pages, file_pages(), __ATOMIC_RELAXED);
}
