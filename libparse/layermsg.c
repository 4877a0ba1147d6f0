/* identd's MSG_LAYER payload (layermsg.h, PROTOCOL.md). */
#include <string.h>

#include "le.h"
#include "layermsg.h"

size_t
layer_msg_encode(const struct layer_msg *m, unsigned char *out, size_t sz)
{
	if (sz < LAYERMSG_LEN || strlen(m->id) != LAYERMSG_ID_LEN)
		return 0;
	out[0] = m->source;
	out[1] = 0;
	put16(out + 2, LAYERMSG_ID_LEN);
	(void)layer_rec_encode(&m->rec, out + LAYERMSG_HDR, LAYER_VALUE_LEN);
	memcpy(out + LAYERMSG_HDR + LAYER_VALUE_LEN, m->id, LAYERMSG_ID_LEN);
	return LAYERMSG_LEN;
}

int
layer_msg_decode(const unsigned char *p, size_t len, struct layer_msg *m,
    const char **why)
{
	const unsigned char *id;
	size_t i;

	if (len != LAYERMSG_LEN || get16(p + 2) != LAYERMSG_ID_LEN) {
		*why = "not the length of a layer message";
		return -1;
	}
	if (p[1] != 0) {
		*why = "a reserved byte is set";
		return -1;
	}
	id = p + LAYERMSG_HDR + LAYER_VALUE_LEN;
	for (i = 0; i < LAYERMSG_ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'f'))) {
			*why = "an id that is not 64 hex digits";
			return -1;
		}
	m->source = p[0];
	memcpy(m->id, id, LAYERMSG_ID_LEN);
	m->id[LAYERMSG_ID_LEN] = '\0';
	return layer_rec_decode(p + LAYERMSG_HDR, LAYER_VALUE_LEN, &m->rec,
	    why);
}
