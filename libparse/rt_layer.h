/* Where each container's writable layer is, from its runtime's state:
 * docker's overlay2 (image/overlay2/layerdb/mounts/<id>/mount-id names
 * overlay2/<mount-id>/diff), podman's and CRI-O's containers/storage
 * (containers.json's "layer": overlay/<layer>/diff, or vfs/dir/<layer>).
 * A layer is told as a directory from the configuration (dir) and a path
 * under it built from ids checked to be 64 hex digits (rel), for
 * layer_open(): nothing read from runtime state is a path. */
#ifndef CADV_RT_LAYER_H
#define CADV_RT_LAYER_H

#include "rtsource.h"

/* id: the container's runtime id; a non-zero return stops the list and
 * is returned. */
typedef int (*rt_layer_sink)(void *arg, const char *id, const char *dir,
	    const char *rel);

/* The layers of the containers source (rt_sources[].name) has now;
 * 0 (with what could not be read counted in st), or the sink's return.
 * A source without writable layers of its own (containerd) has none. */
int	rt_layers(const char *source, const struct rt_config *,
	    rt_layer_sink, void *arg, struct rt_scan_stats *st);

#endif
