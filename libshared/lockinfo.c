#include "lockinfo.h"

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
lockinfo_known(const unsigned char *buf)
{
	return le32(buf) == LOCKINFO_MAGIC && le32(buf + 4) == LOCKINFO_FORMAT;
}

pid_t
lockinfo_writer(const unsigned char *buf)
{
	uint32_t word;

	if (!lockinfo_known(buf))
		return -1;
	word = le32(buf + LOCKINFO_WMUTEX);
	/* a dead owner's mutex goes to the next writer */
	if (word & LOCKINFO_OWNER_DIED)
		return 0;
	return (pid_t)(word & LOCKINFO_TID_MASK);
}
