/* identd's MSG_LAYER (docs/PROTOCOL.md): one container's writable layer
 * measured, from the process that walks layers to the writer.  The
 * writer decodes it as untrusted (the walker reads container files). */
#ifndef CADV_LAYERMSG_H
#define CADV_LAYERMSG_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "storelayer.h"

#define LAYERMSG_HDR	4
#define LAYERMSG_ID_LEN	64	/* docker, podman, CRI-O: 64 hex digits */
#define LAYERMSG_LEN	(LAYERMSG_HDR + LAYER_VALUE_LEN + LAYERMSG_ID_LEN)

struct layer_msg {
	uint8_t		 source;	/* rt_sources[] index */
	char		 id[LAYERMSG_ID_LEN + 1];	/* runtime's id */
	struct cadv_layer rec;
};

/* 0 when out is too small, else LAYERMSG_LEN. */
size_t	layer_msg_encode(const struct layer_msg *, unsigned char *, size_t);
/* 0, or -1 with *why: a length that is not the message's, a reserved
 * byte set, an id that is not 64 lowercase hex digits. */
int	layer_msg_decode(const unsigned char *, size_t, struct layer_msg *,
	    const char **why);

#endif
