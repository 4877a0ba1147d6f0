/* Fuzz target: the watcherd -> collectord pipe framing.  The input is fed
 * in pieces (the first byte sets their size) as reads would deliver it. */
#include "frame.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct frame_reader r;
	static struct frame f;
	static unsigned char enc[FRAME_MAX];
	size_t off = 1, step, took;
	enum frame_status st = FRAME_MORE;

	if (size < 1)
		return 0;
	step = (size_t)data[0] + 1;
	frame_reader_init(&r);
	while (off < size && st != FRAME_BAD) {
		took = frame_reader_feed(&r, data + off,
		    size - off < step ? size - off : step);
		off += took;
		while ((st = frame_next(&r, &f)) == FRAME_OK)
			/* what was read must encode again */
			if (frame_encode(f.type, f.name, f.len, enc,
			    sizeof(enc)) == 0)
				__builtin_trap();
		if (took == 0 && st == FRAME_MORE)
			break;	/* full buffer without a frame: cannot be */
	}
	(void)frame_reader_pending(&r);
	return 0;
}
