/* Fuzz target: docker's config.v2.json and hostconfig.json parsers, and
 * its time parser, over the same input.  What a parser takes must be a
 * valid identity: docker's id, and a record that encodes and decodes to
 * itself. */
#include <string.h>

#include "fuzz.h"
#include "rt_docker.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = { "FOO", "K*" };
	static struct ident id, back;
	static unsigned char enc[4 * IDENT_ARENA];
	struct rt_config cfg;
	char err[256];
	const char *why, *s;
	uint64_t ns;
	size_t len, i;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 2;
	if (rt_docker_parse_config((const char *)data, size, &cfg, &id, err,
	    sizeof(err)) == 0) {
		s = ident_get(&id, IS_ID, &len);
		if (len != 64 || id.runtime != RT_DOCKER)
			__builtin_trap();
		for (i = 0; i < len; i++)
			if (!((s[i] >= '0' && s[i] <= '9') ||
			    (s[i] >= 'a' && s[i] <= 'f')))
				__builtin_trap();
		if (id.used > IDENT_ARENA || id.nlabels > IDENT_KV_MAX ||
		    id.nenv > IDENT_KV_MAX)
			__builtin_trap();
		if (rt_docker_parse_hostconfig((const char *)data, size, &cfg,
		    &id, err, sizeof(err)) == 0 &&
		    ident_get(&id, IS_NETNS_OWNER, &len) != NULL && len != 0 &&
		    len != 64)
			__builtin_trap();
		if ((len = ident_encode(&id, enc, sizeof(enc))) == 0 ||
		    ident_decode(enc, len, &back, &why) == -1 ||
		    !ident_same(&id, &back))
			__builtin_trap();
	} else if (err[0] == '\0')
		__builtin_trap();	/* a refusal says why */
	ident_init(&id);
	if (rt_docker_parse_hostconfig((const char *)data, size, &cfg, &id,
	    err, sizeof(err)) == -1 && err[0] == '\0')
		__builtin_trap();
	(void)rt_docker_time((const char *)data, size, &ns);
	return 0;
}
