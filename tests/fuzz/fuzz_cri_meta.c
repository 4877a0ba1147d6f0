/* Fuzz target: what the containerd source takes from meta.db values
 * (rt_containerd.h): the first byte picks a protobuf Any holding the CRI
 * plugin's container or sandbox metadata JSON, or a Go binary time. */
#include "fuzz.h"
#include "rt_containerd.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cadv_ident id;
	static const char *const allow[] = { "*" };
	struct rt_config cfg;
	const void *v;
	size_t vl;
	uint64_t ns;
	char err[256];

	if (size < 1)
		return 0;
	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 1;
	switch (data[0] % 3) {
	case 0:
	case 1:
		if (rt_pb_any_value(data + 1, size - 1, &v, &vl) == -1)
			break;
		if ((const uint8_t *)v < data + 1 ||
		    (const uint8_t *)v + vl > data + size)
			__builtin_trap();
		ident_init(&id);
		if (rt_cri_meta_parse(v, vl, data[0] % 3, &cfg, &id, err,
		    sizeof(err)) == -1 && err[0] == '\0')
			__builtin_trap();
		break;
	default:
		if (rt_go_time(data + 1, size - 1, &ns) == 0 && ns == 0)
			__builtin_trap();
		break;
	}
	return 0;
}
