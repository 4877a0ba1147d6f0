/* Fuzz target: /proc/diskstats, whole files (diskstats_parse, asking for
 * the devices of the first bytes) and the first line alone
 * (diskstats_line), as collectord reads them. */
#include <string.h>

#include "diskstats.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	struct cadv_disk_stats want[4], one;
	unsigned char found[4];
	size_t i, bad;

	memset(want, 0, sizeof(want));
	for (i = 0; i < 4 && i < size; i++) {
		want[i].major = data[i] % 16;
		want[i].minor = data[i] / 16;
	}
	(void)diskstats_parse(s, size, want, found, 4, &bad);
	nl = memchr(s, '\n', size);
	(void)diskstats_line(s, nl ? (size_t)(nl - s) : size, &one);
	return 0;
}
