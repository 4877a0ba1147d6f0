/* Fuzz target: CRI-O's records (rt_cstorage.h) over the same input: a
 * bundle's config.json with its io.kubernetes.cri-o.* annotations (JSON
 * inside JSON strings among them), state.json, and containers.json with
 * CRI-O's metadata.  What a parser takes must make a valid identity: a
 * 64-hex id and sandbox id, a cgroup that is a cadv name, a record that
 * encodes and decodes to itself. */
#include <string.h>

#include "fuzz.h"
#include "rt_cstorage.h"
#include "rtfuzz.h"

static int
entry(void *arg, const struct rt_cs_entry *e)
{
	(void)arg;
	if (strlen(e->id) != RT_CS_ID_LEN || (e->crio_pod && !e->crio))
		__builtin_trap();
	(void)strlen(e->pod_name);
	(void)strlen(e->meta_name);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = { "API_*", "HOSTNAME" };
	static struct cadv_ident id;
	struct rt_config cfg;
	const char *s = (const char *)data;
	char err[256];
	unsigned nbad;
	size_t len;
	int live, rc;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 2;
	err[0] = '\0';
	rc = rt_crio_parse_config(s, size, &cfg, &id, err, sizeof(err));
	if (rc == 0) {
		ident_get(&id, CADV_IS_ID, &len);
		if (len != RT_CS_ID_LEN || id.runtime != CADV_RT_CRIO)
			__builtin_trap();
		ident_get(&id, CADV_IS_SANDBOX_ID, &len);
		if (len != RT_CS_ID_LEN)
			__builtin_trap();
		ident_get(&id, CADV_IS_NETNS_OWNER, &len);
		if ((id.flags & CADV_IDF_SANDBOX) ? len != 0 : len != RT_CS_ID_LEN)
			__builtin_trap();
		rt_fuzz_check(&id);
		err[0] = '\0';
		if (rt_crio_parse_state(s, size, &id, &live, err,
		    sizeof(err)) == 0)
			rt_fuzz_check(&id);
		else if (err[0] == '\0')
			__builtin_trap();
	} else if (rc == -1 && err[0] == '\0')
		__builtin_trap();	/* a refusal says why */
	else if (rc != -1 && rc != 1)
		__builtin_trap();
	ident_init(&id);
	err[0] = '\0';
	if (rt_crio_parse_state(s, size, &id, &live, err, sizeof(err)) == 0) {
		if (live && (id.flags & (CADV_IDF_EXITED | CADV_IDF_OOM_KILLED)))
			__builtin_trap();
		rt_fuzz_check(&id);
	} else if (err[0] == '\0')
		__builtin_trap();
	err[0] = '\0';
	if (rt_cs_parse_containers(s, size, entry, NULL, &nbad, err,
	    sizeof(err)) == -1 && err[0] == '\0')
		__builtin_trap();
	return 0;
}
