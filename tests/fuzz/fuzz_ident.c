/* Fuzz target: a stored identity (TBL_IDENTS value) as any reader decodes
 * it; what decodes must encode again and decode to the same. */
#include <stdlib.h>

#include "fuzz.h"
#include "ident.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cadv_ident a, b;
	static unsigned char enc[1 << 20];
	const char *why;
	size_t n;

	if (ident_decode(data, size, &a, &why) != 0)
		return 0;
	n = ident_encode(&a, enc, sizeof(enc));
	if (n == 0 || ident_decode(enc, n, &b, &why) != 0 ||
	    !ident_same(&a, &b))
		__builtin_trap();
	return 0;
}
