/* Fuzz target: store values as a reader finds them (schema.h decoders).
 * The first byte picks the record type.  What decodes must encode to a
 * value that decodes to the same record. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "schema.h"

enum which { V_SAMPLE, V_CONTAINER, V_EVENT, V_FS, V_DISKIO, V_COUNT };

static unsigned char buf[SAMPLE_VALUE_MAX + CONTAINER_VALUE_MAX];

static void
sample(const uint8_t *p, size_t len)
{
	static struct cadv_sample a, b;
	const char *why;
	size_t n;

	if (sample_decode(p, len, &a, &why) != 0)
		return;
	n = sample_encode(&a, buf, sizeof(buf));
	if (n == 0 || sample_decode(buf, n, &b, &why) != 0 ||
	    a.ncpu != b.ncpu || a.nblk != b.nblk || a.nnet != b.nnet ||
	    memcmp(a.present, b.present, sizeof(a.present)) != 0 ||
	    memcmp(a.v, b.v, sizeof(a.v)) != 0 ||
	    memcmp(a.percpu, b.percpu, a.ncpu * sizeof(a.percpu[0])) != 0)
		__builtin_trap();
	/* one encoding per record: with just the fields this reader knows
	 * (a newer writer's are dropped), the bytes come back as they were */
	if (p[0] == CADV_SF_COUNT && (n != len || memcmp(buf, p, n) != 0))
		__builtin_trap();
}

static void
container(const uint8_t *p, size_t len)
{
	static struct cadv_container a, b;
	const char *why;
	size_t n;

	if (container_decode(p, len, &a, &why) != 0)
		return;
	n = container_encode(&a, buf, sizeof(buf));
	if (n == 0 || container_decode(buf, n, &b, &why) != 0 ||
	    a.name_len != b.name_len || memcmp(a.name, b.name, a.name_len))
		__builtin_trap();
}

static void
event(const uint8_t *p, size_t len)
{
	static struct cadv_event a, b;
	const char *why;
	size_t n;

	if (event_decode(p, len, &a, &why) != 0)
		return;
	n = event_encode(&a, buf, sizeof(buf));
	if (n != len || event_decode(buf, n, &b, &why) != 0 ||
	    a.type != b.type || a.ts_ns != b.ts_ns)
		__builtin_trap();
}

/* A diskio record against a sample of up to 8 devices 8:0..8:7 (the
 * first byte says how many), as a reader decodes it. */
static void
diskio(const uint8_t *p, size_t len)
{
	static struct cadv_sample a, b;
	const char *why;
	size_t n, i;

	if (len < 1)
		return;
	sample_clear(&a);
	a.nblk = p[0] % 9;
	for (i = 0; i < a.nblk; i++) {
		a.blk[i].major = 8;
		a.blk[i].minor = (uint32_t)i;
	}
	b = a;
	if (diskio_decode(p + 1, len - 1, &a, &why) != 0)
		return;
	n = diskio_encode(&a, buf, sizeof(buf));
	/* a newer writer's counters alone: nothing this reader keeps */
	if (a.xpresent == 0) {
		if (n != 0)
			__builtin_trap();
		return;
	}
	if (n == 0 || diskio_decode(buf, n, &b, &why) != 0 ||
	    a.xpresent != b.xpresent)
		__builtin_trap();
	for (i = 0; i < a.nblk; i++)
		if (a.xio[i].present != b.xio[i].present ||
		    memcmp(a.xio[i].v, b.xio[i].v, sizeof(a.xio[i].v)) != 0)
			__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cadv_fs f;

	if (size < 1)
		return 0;
	switch ((enum which)(data[0] % V_COUNT)) {
	case V_SAMPLE:
		sample(data + 1, size - 1);
		break;
	case V_CONTAINER:
		container(data + 1, size - 1);
		break;
	case V_EVENT:
		event(data + 1, size - 1);
		break;
	case V_DISKIO:
		diskio(data + 1, size - 1);
		break;
	case V_FS:
	case V_COUNT:
		if (size - 1 == FS_VALUE_LEN)
			fs_decode(data + 1, &f);
		break;
	}
	return 0;
}
