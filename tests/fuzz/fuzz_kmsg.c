/* Fuzz target: /dev/kmsg records and the OOM report parser.  The input is
 * a run of records separated by NUL bytes, as successive read(2)s of
 * /dev/kmsg return them, fed through one parser; then the whole input is
 * read as a summary on its own, ending in a kill of process "x", pid 5,
 * its first line taken for the stats line's path. */
#include <string.h>

#include "fuzz.h"
#include "kmsg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct oom_parser p;
	static struct oom_kill k;
	static char out[1024];
	const char *s = (const char *)data, *end = s + size, *z, *nl;
	struct kmsg_rec r;

	oom_parser_init(&p);
	while (s < end) {
		if ((z = memchr(s, '\0', (size_t)(end - s))) == NULL)
			z = end;
		if (kmsg_parse(s, (size_t)(z - s), &r) == 0) {
			(void)kmsg_unescape(r.text, r.len, out, sizeof(out));
			(void)oom_feed(&p, &r, &k);
			(void)oom_parser_hold(&p);
		}
		s = z + 1;
	}
	s = (const char *)data;
	nl = memchr(s, '\n', size);
	(void)oom_summary_parse(s, size, 5, "x", 1, size & 1, 0, s,
	    nl ? (size_t)(nl - s) : 0, &k);
	return 0;
}
