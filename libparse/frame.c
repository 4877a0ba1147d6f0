#include "frame.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void
frame_reader_init(struct frame_reader *r)
{
	r->off = r->len = 0;
	r->error = NULL;
}

static void
compact(struct frame_reader *r)
{
	if (r->off == 0)
		return;
	memmove(r->buf, r->buf + r->off, r->len - r->off);
	r->len -= r->off;
	r->off = 0;
}

long
frame_reader_fill(struct frame_reader *r, int fd)
{
	ssize_t n;

	compact(r);
	if (r->len == sizeof(r->buf)) {
		errno = ENOBUFS;
		return -1;
	}
	do {
		n = read(fd, r->buf + r->len, sizeof(r->buf) - r->len);
	} while (n == -1 && errno == EINTR);
	if (n > 0)
		r->len += (size_t)n;
	return n;
}

size_t
frame_reader_feed(struct frame_reader *r, const void *p, size_t n)
{
	compact(r);
	if (n > sizeof(r->buf) - r->len)
		n = sizeof(r->buf) - r->len;
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return n;
}

size_t
frame_reader_pending(const struct frame_reader *r)
{
	return r->len - r->off;
}

enum frame_status
frame_next(struct frame_reader *r, struct frame *f)
{
	const unsigned char *p = r->buf + r->off;
	size_t avail = r->len - r->off, nlen;

	if (r->error != NULL)
		return FRAME_BAD;
	if (avail < FRAME_HDR)
		return FRAME_MORE;
	nlen = (size_t)p[2] | (size_t)p[3] << 8;
	if (p[0] < FRAME_ADD || p[0] > FRAME_SYNC) {
		r->error = "unknown frame type";
		return FRAME_BAD;
	}
	if (p[1] != 0) {
		r->error = "reserved byte not zero";
		return FRAME_BAD;
	}
	if (nlen > CGNAME_MAX) {
		r->error = "name longer than CGNAME_MAX";
		return FRAME_BAD;
	}
	if (p[0] == FRAME_SYNC && nlen != 0) {
		r->error = "SYNC frame with a name";
		return FRAME_BAD;
	}
	if (avail < FRAME_HDR + nlen)
		return FRAME_MORE;
	if (p[0] != FRAME_SYNC && !cgname_valid((const char *)p + FRAME_HDR,
	    nlen)) {
		r->error = "invalid container name";
		return FRAME_BAD;
	}
	f->type = p[0];
	f->len = nlen;
	memcpy(f->name, p + FRAME_HDR, nlen);
	f->name[nlen] = '\0';
	r->off += FRAME_HDR + nlen;
	return FRAME_OK;
}

size_t
frame_encode(enum frame_type type, const char *name, size_t len,
    unsigned char *out, size_t outsz)
{
	if (type == FRAME_SYNC)
		len = 0;
	else if (!cgname_valid(name, len))
		return 0;
	if (type < FRAME_ADD || type > FRAME_SYNC || outsz < FRAME_HDR + len)
		return 0;
	out[0] = (unsigned char)type;
	out[1] = 0;
	out[2] = (unsigned char)(len & 0xff);
	out[3] = (unsigned char)(len >> 8);
	if (len > 0)
		memcpy(out + FRAME_HDR, name, len);
	return FRAME_HDR + len;
}

void
frame_writer_init(struct frame_writer *w, int fd)
{
	w->fd = fd;
	w->len = 0;
}

int
frame_writer_flush(struct frame_writer *w)
{
	size_t off = 0;

	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += (size_t)n;
	}
	w->len = 0;
	return 0;
}

int
frame_writer_add(struct frame_writer *w, enum frame_type type,
    const char *name, size_t len)
{
	size_t n;

	if (sizeof(w->buf) - w->len < FRAME_MAX && frame_writer_flush(w) == -1)
		return -1;
	n = frame_encode(type, name, len, w->buf + w->len,
	    sizeof(w->buf) - w->len);
	if (n == 0) {
		errno = EINVAL;
		return -1;
	}
	w->len += n;
	return 0;
}

const char *
frame_type_name(enum frame_type t)
{
	switch (t) {
	case FRAME_ADD:
		return "ADD";
	case FRAME_DEL:
		return "DEL";
	case FRAME_SYNC:
		return "SYNC";
	}
	return "?";
}
