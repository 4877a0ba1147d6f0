#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
grow(struct buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
buf_add(struct buf *b, const void *s, size_t n)
{
	if (grow(b, n) == -1)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	*b = (struct buf){ 0 };
}

/* The shortest decimal that reads back as v, as Go's Prometheus client
 * prints it (562.228, not %.17g's 562.22800000000007); integers, most
 * values, take one snprintf. */
int
fmt_value(char *out, size_t outsz, double v)
{
	int prec, n;

	if (v > -9e15 && v < 9e15 && v == (double)(int64_t)v)
		return snprintf(out, outsz, "%lld", (long long)v);
	for (prec = 15; prec < 17; prec++) {
		n = snprintf(out, outsz, "%.*g", prec, v);
		if (n > 0 && (size_t)n < outsz && strtod(out, NULL) == v)
			return n;
	}
	return snprintf(out, outsz, "%.17g", v);
}
