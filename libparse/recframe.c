/* Typed, length-prefixed records over a pipe (recframe.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "le.h"
#include "recframe.h"

#define CAP	(2 * (RECFRAME_HDR + RECFRAME_MAX))

int
recframe_reader_init(struct recframe_reader *r)
{
	memset(r, 0, sizeof(*r));
	if ((r->buf = malloc(CAP)) == NULL)
		return -1;
	r->cap = CAP;
	return 0;
}

void
recframe_reader_free(struct recframe_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

static void
compact(struct recframe_reader *r)
{
	if (r->off == 0)
		return;
	memmove(r->buf, r->buf + r->off, r->len - r->off);
	r->len -= r->off;
	r->off = 0;
}

long
recframe_reader_fill(struct recframe_reader *r, int fd)
{
	ssize_t n;

	compact(r);
	if (r->len == r->cap) {
		errno = ENOBUFS;
		return -1;
	}
	n = read(fd, r->buf + r->len, r->cap - r->len);
	if (n > 0)
		r->len += (size_t)n;
	return (long)n;
}

size_t
recframe_reader_feed(struct recframe_reader *r, const void *p, size_t n)
{
	compact(r);
	if (n > r->cap - r->len)
		n = r->cap - r->len;
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return n;
}

enum recframe_status
recframe_next(struct recframe_reader *r, struct recframe *f)
{
	size_t avail = r->len - r->off, plen;
	const unsigned char *p = r->buf + r->off;

	if (r->error != NULL)
		return RECFRAME_BAD;
	if (avail < RECFRAME_HDR)
		return RECFRAME_MORE;
	plen = get32(p);
	if (plen > RECFRAME_MAX) {
		r->error = "a record longer than the limit";
		return RECFRAME_BAD;
	}
	if (avail - RECFRAME_HDR < plen)
		return RECFRAME_MORE;
	f->type = p[4];
	f->data = p + RECFRAME_HDR;
	f->len = plen;
	r->off += RECFRAME_HDR + plen;
	return RECFRAME_OK;
}

int
recframe_write(int fd, uint8_t type, const void *data, size_t len)
{
	unsigned char hdr[RECFRAME_HDR];
	struct iovec iov[2];
	size_t left;
	ssize_t n;
	int i = 0;

	if (len > RECFRAME_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	put32(hdr, (uint32_t)len);
	hdr[4] = type;
	iov[0] = (struct iovec){ hdr, sizeof(hdr) };
	iov[1] = (struct iovec){ (void *)(uintptr_t)data, len };
	left = sizeof(hdr) + len;
	while (left > 0) {
		if ((n = writev(fd, iov + i, 2 - i)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		left -= (size_t)n;
		while (i < 2 && (size_t)n >= iov[i].iov_len) {
			n -= (ssize_t)iov[i].iov_len;
			i++;
		}
		if (i < 2) {
			iov[i].iov_base = (char *)iov[i].iov_base + n;
			iov[i].iov_len -= (size_t)n;
		}
	}
	return 0;
}
