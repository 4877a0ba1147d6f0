/* layerdu DIR [ENTRIES/S]: identd's layer walk (layerwalk.h) over DIR, at
 * that budget (default unbounded), as one line: bytes, inodes, entries,
 * flags, the walk's time and its rate; what layer_fs.sh and the README's
 * cost figures use.  Exit 1 when DIR cannot be walked. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layerwalk.h"

int
main(int argc, char **argv)
{
	struct layer_walk_limits l = { 0, 0, 0 };
	struct layer_usage u;
	double s;
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: layerdu DIR [ENTRIES/S]\n");
		return 2;
	}
	if (argc == 3)
		l.files_per_sec = strtoull(argv[2], NULL, 10);
	if ((fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) == -1 ||
	    layer_walk(fd, &l, &u) == -1) {
		fprintf(stderr, "layerdu: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	s = (double)u.walk_ns / 1e9;
	printf("bytes %llu inodes %llu entries %llu flags %u ms %.1f "
	    "slept_ms %.1f entries/s %.0f dev %u:%u\n",
	    (unsigned long long)u.bytes, (unsigned long long)u.inodes,
	    (unsigned long long)u.entries, u.flags, s * 1e3,
	    (double)u.slept_ns / 1e6, s > 0 ? (double)u.entries / s : 0,
	    u.major, u.minor);
	return 0;
}
