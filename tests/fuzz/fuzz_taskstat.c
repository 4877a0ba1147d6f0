/* Fuzz target: the task state parsers (taskstat.h).  The first byte
 * picks one: /proc/TID/stat's state letter, or a thread list walked to
 * its end; the rest is the file's contents. */
#include "fuzz.h"
#include "taskstat.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf, *p;
	uint32_t tid;
	size_t len, n = 0;
	char letter;

	if (size < 1)
		return 0;
	buf = (const char *)data + 1;
	len = size - 1;
	if (data[0] & 1) {
		p = buf;
		while (taskstat_next_tid(&p, buf + len, &tid) == 1)
			if (p < buf || p > buf + len || ++n > len)
				__builtin_trap();	/* the cursor must advance */
	} else if (taskstat_letter(buf, len, &letter) == 0)
		(void)taskstat_classify(letter);
	return 0;
}
