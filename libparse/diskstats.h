/* The kernel's per-device I/O counters: /proc/diskstats lines (the
 * kernel's Documentation/admin-guide/iostats.rst), as cAdvisor's
 * fs.DiskStats keeps them for the root's filesystems.  Pure parsing of
 * untrusted text: a line that is not the kernel's format is passed over. */
#ifndef CADV_DISKSTATS_H
#define CADV_DISKSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "cadv.h"

/* The counters' names in cAdvisor's v1 FsStats (the JSON API's, cadvctl
 * fs --json's), by enum cadv_ds_counter. */
extern const char *const diskstats_json_names[CADV_DS_COUNT];

/* One line: "major minor name" then at least CADV_DS_COUNT decimal counters
 * (kernels since 4.18 and 5.5 add discard and flush ones: passed over).
 * 0, or -1 when it is not such a line or a number does not fit. */
int	diskstats_line(const char *line, size_t len, struct cadv_disk_stats *);

/* The whole file: want[0..n) carry the devices (major, minor) asked for;
 * each one whose line is in text gets its counters and found[i] = 1.
 * Returns how many were found; *bad counts the lines passed over. */
size_t	diskstats_parse(const char *text, size_t len, struct cadv_disk_stats *want,
	    unsigned char *found, size_t n, size_t *bad);

/* The file read whole into a buffer of the caller's (bounded: a machine
 * with more devices than fit is cut at a line): its length, or -1 with
 * errno set. */
long	diskstats_read(const char *path, char *buf, size_t bufsz);

#endif
