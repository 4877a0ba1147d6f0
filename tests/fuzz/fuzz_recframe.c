/* Fuzz target: identd's reader -> writer records (recframe.h), fed in
 * pieces (the first byte sets their size) as reads deliver them; each
 * MSG_IDENT payload is decoded as the writer decodes it, and each
 * MSG_LAYER one (the layer walker's pipe). */
#include "fuzz.h"
#include "ident.h"
#include "layermsg.h"
#include "recframe.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct recframe_reader r;
	static struct cadv_ident id;
	struct layer_msg lm;
	struct recframe f;
	enum recframe_status st = RECFRAME_MORE;
	size_t off = 1, step, took;
	const char *why;

	if (size < 1)
		return 0;
	if (r.buf == NULL && recframe_reader_init(&r) == -1)
		return 0;
	r.off = r.len = 0;
	r.error = NULL;
	step = (size_t)data[0] * 64 + 1;
	while (off < size && st != RECFRAME_BAD) {
		took = recframe_reader_feed(&r, data + off,
		    size - off < step ? size - off : step);
		off += took;
		while ((st = recframe_next(&r, &f)) == RECFRAME_OK) {
			if (f.type == 1 && f.len > 1)
				(void)ident_decode(f.data + 1, f.len - 1, &id,
				    &why);
			if (f.type == 3)
				(void)layer_msg_decode(f.data, f.len, &lm,
				    &why);
		}
		if (took == 0 && st == RECFRAME_MORE)
			break;
	}
	return 0;
}
