/* Fuzz target: identd's MSG_LAYER payload (layermsg.h) as the writer
 * decodes it from the layer walker; what decodes must encode to the same
 * bytes, and a layer record (TBL_LAYERS value) as a reader decodes it. */
#include <string.h>

#include "fuzz.h"
#include "layermsg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char enc[LAYERMSG_LEN];
	struct layer_msg m;
	struct cadv_layer r;
	const char *why;

	(void)layer_rec_decode(data, size, &r, &why);
	if (layer_msg_decode(data, size, &m, &why) != 0)
		return 0;
	if (layer_msg_encode(&m, enc, sizeof(enc)) != LAYERMSG_LEN ||
	    memcmp(enc, data, LAYERMSG_HDR) != 0 ||
	    memcmp(enc + LAYERMSG_HDR + LAYER_VALUE_LEN,
	    data + LAYERMSG_HDR + LAYER_VALUE_LEN, LAYERMSG_ID_LEN) != 0)
		__builtin_trap();
	return 0;
}
