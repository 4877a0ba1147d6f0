/* The writable layers of the runtimes' containers (rt_layer.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt_cstorage.h"
#include "rt_layer.h"
#include "rtutil.h"

#define MOUNTS		"/image/overlay2/layerdb/mounts"
#define MOUNT_ID_MAX	256

/* docker (overlay2): one directory per container under layerdb/mounts,
 * named by its id, whose mount-id file names its layer. */
static int
docker_layers(const struct rt_config *cfg, rt_layer_sink sink, void *arg,
    struct rt_scan_stats *st)
{
	char path[PATH_MAX], dir[PATH_MAX], rel[RT_ID_LEN + 8], file[128];
	struct dirent *de;
	char *buf;
	size_t len;
	DIR *d;
	int fd, rc = 0, n;

	n = snprintf(path, sizeof(path), "%s%s", cfg->docker_root, MOUNTS);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    rt_path(cfg, path, dir, sizeof(dir)) == -1)
		return 0;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			rt_note(st, &st->unreadable, "docker: %s: %s", dir,
			    strerror(errno));
		return 0;	/* no overlay2 docker here */
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	n = snprintf(path, sizeof(path), "%s/overlay2", cfg->docker_root);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    rt_path(cfg, path, dir, sizeof(dir)) == -1) {
		closedir(d);
		return 0;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!rt_is_id(de->d_name, strlen(de->d_name)))
			continue;
		snprintf(file, sizeof(file), "%s/mount-id", de->d_name);
		if (rt_read_at(fd, file, MOUNT_ID_MAX, &buf, &len) == -1) {
			if (errno != ENOENT)
				rt_note(st, &st->unreadable, "docker: %s: %s",
				    file, rt_read_why(errno));
			continue;
		}
		/* the layer's directory name: docker's are 64 hex digits */
		if (!rt_is_id(buf, len)) {
			rt_note(st, &st->malformed, "docker: %s: not a "
			    "layer id", file);
			free(buf);
			continue;
		}
		snprintf(rel, sizeof(rel), "%.*s/diff", RT_ID_LEN, buf);
		free(buf);
		rc = sink(arg, de->d_name, dir, rel);
	}
	closedir(d);
	return rc;
}

int
rt_layers(const char *source, const struct rt_config *cfg,
    rt_layer_sink sink, void *arg, struct rt_scan_stats *st)
{
	if (strcmp(source, "docker") == 0)
		return docker_layers(cfg, sink, arg, st);
	if (strcmp(source, "podman") == 0)
		return rt_cs_layers(cfg, 0, sink, arg, st);
	if (strcmp(source, "crio") == 0)
		return rt_cs_layers(cfg, 1, sink, arg, st);
	return 0;
}
