#include "diskstats.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

const char *const diskstats_json_names[CADV_DS_COUNT] = {
	[CADV_DS_READS] = "reads_completed", [CADV_DS_READS_MERGED] = "reads_merged",
	[CADV_DS_SECTORS_READ] = "sectors_read", [CADV_DS_READ_MS] = "read_time",
	[CADV_DS_WRITES] = "writes_completed", [CADV_DS_WRITES_MERGED] = "writes_merged",
	[CADV_DS_SECTORS_WRITTEN] = "sectors_written", [CADV_DS_WRITE_MS] = "write_time",
	[CADV_DS_IO_IN_PROGRESS] = "io_in_progress", [CADV_DS_IO_MS] = "io_time",
	[CADV_DS_WEIGHTED_IO_MS] = "weighted_io_time",
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* the next field of [*p, end): its start and length, 0 at the end */
static size_t
field(const char **p, const char *end, const char **start)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	*start = s;
	while (s < end && !is_space(*s))
		s++;
	*p = s;
	return (size_t)(s - *start);
}

static int
number(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
diskstats_line(const char *line, size_t len, struct cadv_disk_stats *d)
{
	const char *p = line, *end = line + len, *s;
	uint64_t v;
	size_t n, i;

	if ((n = field(&p, end, &s)) == 0 || number(s, n, UINT32_MAX, &v))
		return -1;
	d->major = (uint32_t)v;
	if ((n = field(&p, end, &s)) == 0 || number(s, n, UINT32_MAX, &v))
		return -1;
	d->minor = (uint32_t)v;
	/* the name: anything but blanks (the kernel's disk name) */
	if (field(&p, end, &s) == 0)
		return -1;
	for (i = 0; i < CADV_DS_COUNT; i++) {
		if ((n = field(&p, end, &s)) == 0 ||
		    number(s, n, UINT64_MAX, &d->v[i]))
			return -1;
	}
	return 0;
}

size_t
diskstats_parse(const char *text, size_t len, struct cadv_disk_stats *want,
    unsigned char *found, size_t n, size_t *bad)
{
	const char *p = text, *end = text + len, *nl;
	struct cadv_disk_stats d;
	size_t i, nfound = 0;

	*bad = 0;
	memset(found, 0, n);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (diskstats_line(p, (size_t)(nl - p), &d) == -1) {
			if (nl > p)
				(*bad)++;
			p = nl + 1;
			continue;
		}
		p = nl + 1;
		/* a device listed twice keeps its first line */
		for (i = 0; i < n; i++)
			if (!found[i] && want[i].major == d.major &&
			    want[i].minor == d.minor) {
				memcpy(want[i].v, d.v, sizeof(d.v));
				found[i] = 1;
				nfound++;
			}
	}
	return nfound;
}

long
diskstats_read(const char *path, char *buf, size_t bufsz)
{
	size_t len = 0;
	ssize_t r;
	int fd, saved;

	if (bufsz == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (len < bufsz) {
		if ((r = read(fd, buf + len, bufsz - len)) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	/* full: keep whole lines only */
	if (len == bufsz)
		while (len > 0 && buf[len - 1] != '\n')
			len--;
	return (long)len;
}
