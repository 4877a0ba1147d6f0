/* Fuzz target: podman's records (rt_cstorage.h) over the same input:
 * containers.json, a container's bolt config and state, a pod's config or
 * state, a bundle's config.json, and the time parser.  What a parser takes
 * must make a valid identity: podman's 64-hex id, a cgroup that is a cadv
 * name, a record that encodes and decodes to itself. */
#include <string.h>

#include "fuzz.h"
#include "rt_cstorage.h"
#include "rtfuzz.h"
#include "rtutil.h"

static int
entry(void *arg, const struct rt_cs_entry *e)
{
	(void)arg;
	if (strlen(e->id) != RT_CS_ID_LEN || e->name == NULL ||
	    e->image_name == NULL || e->pod_id == NULL)
		__builtin_trap();
	(void)strlen(e->name);
	(void)strlen(e->image_name);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = { "FOO", "K*" };
	static struct cadv_ident id;
	static struct rt_podman_pod pod;
	struct rt_podman_ctr ctr;
	struct rt_config cfg;
	const char *s = (const char *)data;
	char err[256];
	unsigned nbad;
	uint64_t ns;
	size_t len;
	int live, rc;

	rt_config_default(&cfg);
	cfg.env_allow = allow;
	cfg.nenv_allow = 2;
	err[0] = '\0';
	if (rt_cs_parse_containers(s, size, entry, NULL, &nbad, err,
	    sizeof(err)) == -1 && err[0] == '\0')
		__builtin_trap();	/* a refusal says why */
	err[0] = '\0';
	if (rt_podman_parse_config(s, size, &cfg, &id, &ctr, err,
	    sizeof(err)) == 0) {
		ident_get(&id, CADV_IS_ID, &len);
		if (len != RT_CS_ID_LEN || id.runtime != CADV_RT_PODMAN ||
		    (ctr.pod[0] != '\0' && strlen(ctr.pod) != RT_CS_ID_LEN))
			__builtin_trap();
		err[0] = '\0';
		if (rt_podman_parse_state(s, size, &id, &live, err,
		    sizeof(err)) == -1 && err[0] == '\0')
			__builtin_trap();
		rc = rt_podman_parse_bundle(s, size, &cfg, &id, err,
		    sizeof(err));
		if (rc < -1 || rc > 1)
			__builtin_trap();
		rt_fuzz_check(&id);
	} else if (err[0] == '\0')
		__builtin_trap();
	ident_init(&id);
	err[0] = '\0';
	if (rt_podman_parse_state(s, size, &id, &live, err, sizeof(err)) ==
	    0) {
		if (live && (id.flags & CADV_IDF_EXITED))
			__builtin_trap();
		rt_fuzz_check(&id);
	} else if (err[0] == '\0')
		__builtin_trap();
	memset(&pod, 0, sizeof(pod));
	err[0] = '\0';
	if (rt_podman_parse_pod(s, size, &pod, err, sizeof(err)) == 0) {
		if ((pod.id[0] && strlen(pod.id) != RT_CS_ID_LEN) ||
		    (pod.cgroup[0] && !cgname_valid(pod.cgroup,
		    strlen(pod.cgroup))))
			__builtin_trap();
	} else if (err[0] == '\0')
		__builtin_trap();
	ident_init(&id);
	err[0] = '\0';
	if ((rc = rt_podman_parse_bundle(s, size, &cfg, &id, err,
	    sizeof(err))) >= 0)
		rt_fuzz_check(&id);
	else if (err[0] == '\0')
		__builtin_trap();
	(void)rt_time(s, size, &ns);
	return 0;
}
