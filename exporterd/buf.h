/* A growable byte buffer for building HTTP answers. */
#ifndef EXPORTERD_BUF_H
#define EXPORTERD_BUF_H

#include <stddef.h>

struct buf {
	char	*p;
	size_t	 len, cap;
	int	 oom;		/* an allocation failed: the answer is a 500 */
};

void	buf_add(struct buf *, const void *, size_t);
void	buf_puts(struct buf *, const char *);
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_free(struct buf *);
/* The shortest decimal that reads back as v (Go's Prometheus client's
 * way); returns snprintf's count. */
int	fmt_value(char *, size_t, double);

#endif
