/* Fuzz target: the CRI plugin's container status file (rt_containerd.h),
 * JSON written by containerd. */
#include "fuzz.h"
#include "rt_containerd.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cadv_ident id;
	char err[256];

	ident_init(&id);
	if (rt_cri_status_parse((const char *)data, size, &id, err,
	    sizeof(err)) == 0) {
		/* an exit comes with its time; OOM only with an exit */
		if ((id.flags & CADV_IDF_OOM_KILLED) && !(id.flags & CADV_IDF_EXITED))
			__builtin_trap();
		if ((id.flags & CADV_IDF_EXITED) && id.finished_ns == 0)
			__builtin_trap();
	} else if (err[0] == '\0')
		__builtin_trap();
	return 0;
}
