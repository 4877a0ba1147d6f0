/* Framing of the watcherd -> collectord pipe (docs/PROTOCOL.md):
 *   u8 type, u8 reserved (0), u16 little-endian name length, name bytes.
 * A bad frame desynchronises the stream: the reader reports it and stops. */
#ifndef CADV_FRAME_H
#define CADV_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "cgname.h"

enum frame_type {
	FRAME_ADD = 1,		/* name exists (in at least one hierarchy) */
	FRAME_DEL = 2,		/* name has left every hierarchy */
	FRAME_SYNC = 3,		/* every live name has been sent since start */
};

#define FRAME_HDR	4
#define FRAME_MAX	(FRAME_HDR + CGNAME_MAX)

struct frame {
	enum frame_type	type;
	size_t		len;
	char		name[CGNAME_MAX + 1];	/* NUL added for logging only */
};

enum frame_status { FRAME_OK, FRAME_MORE, FRAME_BAD };

struct frame_reader {
	unsigned char	buf[2 * FRAME_MAX];
	size_t		off, len;
	const char	*error;		/* set with FRAME_BAD */
};

void	frame_reader_init(struct frame_reader *);
/* One read(2) into the buffer: >0 bytes, 0 at EOF, -1 with errno. */
long	frame_reader_fill(struct frame_reader *, int fd);
/* Feed bytes from elsewhere (tests, fuzzers); returns bytes taken. */
size_t	frame_reader_feed(struct frame_reader *, const void *, size_t);
enum frame_status frame_next(struct frame_reader *, struct frame *);
/* Bytes of an incomplete frame still buffered: at EOF, a truncated frame. */
size_t	frame_reader_pending(const struct frame_reader *);

/* Encodes one frame; returns its size, 0 if the name is invalid or out is
 * too small. */
size_t	frame_encode(enum frame_type, const char *name, size_t len,
	    unsigned char *out, size_t outsz);

struct frame_writer {
	int		fd;
	unsigned char	buf[16 * FRAME_MAX];
	size_t		len;
};

void	frame_writer_init(struct frame_writer *, int fd);
/* Queue a frame (flushing when full); -1 with errno on write failure. */
int	frame_writer_add(struct frame_writer *, enum frame_type,
	    const char *name, size_t len);
int	frame_writer_flush(struct frame_writer *);

const char *frame_type_name(enum frame_type);

#endif
