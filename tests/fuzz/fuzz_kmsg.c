/* Fuzz target: /dev/kmsg records and the OOM report parser.  The input is
 * a run of records separated by NUL bytes, as successive read(2)s of
 * /dev/kmsg return them, fed through one parser. */
#include <string.h>

#include "fuzz.h"
#include "kmsg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct oom_parser p;
	static struct oom_kill k;
	static char out[1024];
	const char *s = (const char *)data, *end = s + size, *z;
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
	return 0;
}
