/* What the runtime sources' fuzz targets check of every identity a parser
 * takes: within the ident's bounds, a cgroup that is a cadv name, and a
 * record that encodes and decodes to itself.  Header only: each target is
 * linked alone with replay.o (or libFuzzer). */
#ifndef CADV_RTFUZZ_H
#define CADV_RTFUZZ_H

#include "cgname.h"
#include "ident.h"

static inline void
rt_fuzz_check(const struct cadv_ident *id)
{
	static unsigned char enc[4 * IDENT_ARENA];
	static struct cadv_ident back;
	const char *why, *cg;
	size_t len;

	if (id->used > IDENT_ARENA || id->nlabels > IDENT_KV_MAX ||
	    id->nenv > IDENT_KV_MAX)
		__builtin_trap();
	cg = ident_get(id, CADV_IS_CGROUP, &len);
	if (len != 0 && !cgname_valid(cg, len))
		__builtin_trap();
	if ((len = ident_encode(id, enc, sizeof(enc))) == 0 ||
	    ident_decode(enc, len, &back, &why) == -1 || !ident_same(id, &back))
		__builtin_trap();
}

#endif
