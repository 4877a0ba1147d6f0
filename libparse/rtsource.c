/* The table of runtime sources and what they share. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rt_containerd.h"
#include "rt_cstorage.h"
#include "rt_docker.h"
#include "rtsource.h"

const struct rt_source rt_sources[] = {
	{ "docker", rt_docker_scan, rt_docker_watch },
	{ "containerd", rt_containerd_scan, rt_containerd_watch },
	{ "podman", rt_podman_scan, rt_podman_watch },
	{ "crio", rt_crio_scan, rt_crio_watch },
	{ NULL, NULL, NULL },	/* sources add themselves above this line */
};
const size_t rt_nsources = sizeof(rt_sources) / sizeof(rt_sources[0]) - 1;

void
rt_config_default(struct rt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = "";
	cfg->containerd_state = "/run/containerd";
	cfg->containerd_root = "/var/lib/containerd";
	cfg->docker_root = "/var/lib/docker";
	cfg->storage_root = "/var/lib/containers/storage";
	cfg->storage_runroot = "/run/containers/storage";
}

int
rt_path(const struct rt_config *cfg, const char *path, char *out,
    size_t outsz)
{
	const char *host = cfg->host != NULL ? cfg->host : "";
	size_t hl = strlen(host);
	int n;

	/* "/host" + "/run/..." without a doubled slash */
	while (hl > 0 && host[hl - 1] == '/')
		hl--;
	n = snprintf(out, outsz, "%.*s%s", (int)hl, host, path);
	if (n < 0 || (size_t)n >= outsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
rt_env_allowed(const struct rt_config *cfg, const char *name, size_t len)
{
	size_t i, pl;

	for (i = 0; i < cfg->nenv_allow; i++) {
		const char *p = cfg->env_allow[i];

		pl = strlen(p);
		if (pl > 0 && p[pl - 1] == '*') {
			if (len >= pl - 1 && memcmp(name, p, pl - 1) == 0)
				return 1;
		} else if (pl == len && memcmp(name, p, len) == 0)
			return 1;
	}
	return 0;
}
