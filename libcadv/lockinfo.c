#include "lockinfo.h"

#include "schema.h"

int
lockinfo_known(const unsigned char *buf)
{
	return val_u32_get(buf) == LMDB_MAGIC && val_u32_get(buf + 4) == LOCKINFO_FORMAT;
}

pid_t
lockinfo_writer(const unsigned char *buf)
{
	uint32_t word;

	if (!lockinfo_known(buf))
		return -1;
	word = val_u32_get(buf + LOCKINFO_WMUTEX);
	/* a dead owner's mutex goes to the next writer */
	if (word & LOCKINFO_OWNER_DIED)
		return 0;
	return (pid_t)(word & LOCKINFO_TID_MASK);
}
