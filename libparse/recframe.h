/* Records over a pipe between a daemon's processes (identd's reader and
 * writer): u32 LE payload length, u8 type, then the payload.  The reader
 * side treats every byte as untrusted (the other process parses runtime
 * state and may be subverted): a length over the limit desynchronises the
 * stream, reported and final. */
#ifndef CADV_RECFRAME_H
#define CADV_RECFRAME_H

#include <stddef.h>
#include <stdint.h>

#define RECFRAME_HDR	5
#define RECFRAME_MAX	(256 * 1024)	/* payload */

enum recframe_status { RECFRAME_OK, RECFRAME_MORE, RECFRAME_BAD };

struct recframe_reader {
	unsigned char	*buf;		/* 2 x (RECFRAME_HDR + RECFRAME_MAX) */
	size_t		 off, len, cap;
	const char	*error;		/* with RECFRAME_BAD */
};

struct recframe {
	uint8_t			 type;
	const unsigned char	*data;	/* valid until the next call */
	size_t			 len;
};

/* -1 with errno when the buffer cannot be had. */
int	recframe_reader_init(struct recframe_reader *);
void	recframe_reader_free(struct recframe_reader *);
/* One read(2): >0 bytes, 0 at EOF, -1 with errno (EAGAIN included). */
long	recframe_reader_fill(struct recframe_reader *, int fd);
size_t	recframe_reader_feed(struct recframe_reader *, const void *, size_t);
enum recframe_status recframe_next(struct recframe_reader *,
	    struct recframe *);

/* Writes one frame whole (blocking pipe): 0, or -1 with errno (EMSGSIZE
 * over the limit). */
int	recframe_write(int fd, uint8_t type, const void *data, size_t len);

#endif
