/* Fuzz target: docker's config.v2.json and hostconfig.json parsers, and
 * its time parser, over the same input.  What a parser takes must be a
 * valid identity: docker's id, and a record that encodes and decodes to
 * itself. */
#include <string.h>

#include "fuzz.h"
#include "rt_docker.h"
#include "rtfuzz.h"
#include "rtutil.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = { "FOO", "K*" };
	static struct cadv_ident id;
	struct rt_config cfg;
	char err[256];
	const char *s;
	uint64_t ns;
	size_t len;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 2;
	if (rt_docker_parse_config((const char *)data, size, &cfg, &id, err,
	    sizeof(err)) == 0) {
		s = ident_get(&id, CADV_IS_ID, &len);
		if (len != 64 || id.runtime != CADV_RT_DOCKER)
			__builtin_trap();
		if (!rt_is_id(s, len))
			__builtin_trap();
		rt_fuzz_check(&id);
		if (rt_docker_parse_hostconfig((const char *)data, size, &cfg,
		    &id, err, sizeof(err)) == 0 &&
		    ident_get(&id, CADV_IS_NETNS_OWNER, &len) != NULL && len != 0 &&
		    len != 64)
			__builtin_trap();
		rt_fuzz_check(&id);
	} else if (err[0] == '\0')
		__builtin_trap();	/* a refusal says why */
	ident_init(&id);
	if (rt_docker_parse_hostconfig((const char *)data, size, &cfg, &id,
	    err, sizeof(err)) == -1 && err[0] == '\0')
		__builtin_trap();
	(void)rt_time((const char *)data, size, &ns);
	return 0;
}
