/* framecat: reads watcherd's frames on stdin and prints them as text, one
 * per line ("ADD <escaped name>", "DEL ...", "SYNC"), flushing each line.
 * --count N: exit after N frames, closing the pipe on the writer.
 * Exits 1 on a bad or truncated frame. */
#include <bsd/stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"

int
main(int argc, char **argv)
{
	static struct frame_reader r;
	static struct frame f;
	long long count = -1;
	const char *errstr;
	enum frame_status st;
	long n;

	if (argc == 3 && strcmp(argv[1], "--count") == 0) {
		count = strtonum(argv[2], 1, 1LL << 40, &errstr);
		if (errstr != NULL) {
			fprintf(stderr, "framecat: --count %s: %s\n", argv[2],
			    errstr);
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: framecat [--count N]\n");
		return 2;
	}
	frame_reader_init(&r);
	for (;;) {
		while ((st = frame_next(&r, &f)) == FRAME_OK) {
			if (f.type == FRAME_SYNC)
				printf("SYNC\n");
			else {
				printf("%s ", frame_type_name(f.type));
				cgname_fputs(f.name, f.len, stdout);
				putchar('\n');
			}
			fflush(stdout);
			if (count > 0 && --count == 0)
				return 0;
		}
		if (st == FRAME_BAD) {
			fprintf(stderr, "framecat: bad frame: %s\n", r.error);
			return 1;
		}
		if ((n = frame_reader_fill(&r, STDIN_FILENO)) == -1) {
			perror("framecat: read");
			return 1;
		}
		if (n == 0) {
			if (frame_reader_pending(&r) > 0) {
				fprintf(stderr, "framecat: truncated frame\n");
				return 1;
			}
			return 0;
		}
	}
}
