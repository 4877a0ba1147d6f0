/* Fuzz target: subscription requests on eventd's socket (JSON). */
#include "evreq.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cadv_event_request r;
	const char *err;

	(void)ev_request_json((const char *)data, size, &r, &err);
	return 0;
}
