/* Fuzz target: an OCI runtime spec as a runtime wrote it (rt_oci.h), the
 * cgroup path alone, and the pod cgroup test over what it gave. */
#include <string.h>

#include "fuzz.h"
#include "rt_oci.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cadv_ident id;
	static const char *const allow[] = { "*" };	/* every variable */
	static char cg[CGNAME_MAX];
	struct rt_config cfg;
	const char *s, *uid;
	char err[256];
	size_t len, ul, pl;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 1;
	ident_init(&id);
	if (rt_oci_parse((const char *)data, size, &cfg, &id, err,
	    sizeof(err)) == 0) {
		s = ident_get(&id, CADV_IS_CGROUP, &len);
		if (len > 0 && !cgname_valid(s, len))
			__builtin_trap();
		uid = ident_get(&id, CADV_IS_POD_UID, &ul);
		if (rt_pod_cgroup(s, len, uid, ul, &pl) &&
		    (pl == 0 || pl >= len || s[pl] != '/'))
			__builtin_trap();
	} else if (err[0] == '\0')
		__builtin_trap();	/* refused without a word */
	if (size <= CGNAME_MAX + 64 && rt_oci_cgroup((const char *)data, size,
	    cg, &len, err, sizeof(err)) == 0 &&
	    (len >= CGNAME_MAX || !cgname_valid(cg, len)))
		__builtin_trap();
	return 0;
}
