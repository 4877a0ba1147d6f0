#include "cgname.h"

#include <string.h>

int
cgname_valid(const char *name, size_t len)
{
	size_t i, start;

	if (len == 0 || len > CGNAME_MAX || name[0] != '/')
		return 0;
	if (len == 1)
		return 1;
	if (name[len - 1] == '/')
		return 0;
	start = 1;
	for (i = 1; i <= len; i++) {
		size_t clen;

		if (i < len && name[i] == '\0')
			return 0;
		if (i < len && name[i] != '/')
			continue;
		clen = i - start;
		if (clen == 0)
			return 0;
		if (clen == 1 && name[start] == '.')
			return 0;
		if (clen == 2 && name[start] == '.' && name[start + 1] == '.')
			return 0;
		start = i + 1;
	}
	return 1;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none.
 * Rejects overlongs, surrogates and code points above U+10FFFF. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t need, i;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		need = 3;
		cp = s[0] & 0x0f;
	} else {
		need = 4;
		cp = s[0] & 0x07;
	}
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* C1 controls are as unreadable as C0 ones. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return need;
}

size_t
cgname_escape(const char *name, size_t len, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, o = 0;

#define PUT(c) do { if (o + 1 < outsz) out[o] = (c); o++; } while (0)
	while (i < len) {
		size_t n;

		if (s[i] == '\\') {
			PUT('\\');
			PUT('\\');
			i++;
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			PUT((char)s[i]);
			i++;
		} else if ((n = utf8_seq(s + i, len - i)) > 0) {
			/* i moves on outside PUT, which skips its argument
			 * once out is full */
			for (; n > 0; n--, i++)
				PUT((char)s[i]);
		} else {
			PUT('\\');
			PUT('x');
			PUT(hex[s[i] >> 4]);
			PUT(hex[s[i] & 0xf]);
			i++;
		}
	}
#undef PUT
	if (outsz > 0)
		out[o < outsz ? o : outsz - 1] = '\0';
	return o;
}

void
cgname_fputs(const char *name, size_t len, FILE *fp)
{
	char buf[CGNAME_ESCAPED_MAX(CGNAME_MAX)];

	if (len > CGNAME_MAX)
		len = CGNAME_MAX;
	cgname_escape(name, len, buf, sizeof(buf));
	fputs(buf, fp);
}

int
cgname_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
cgname_unescape(const char *text, size_t len, char *out, size_t *outlen)
{
	size_t off;

	return cgname_unescape_ext(text, len, 0, out, outlen, &off) ==
	    CGNAME_UNESC_OK ? 0 : -1;
}

/* The strict check, on a text that decoded into out: walks out the way
 * cgname_escape does, and the text beside it, so that each escape in the
 * text is held against what cgname_escape writes for its byte there.
 * Whether a byte is written as itself can depend on the bytes after it
 * (UTF-8), hence a second pass. */
static enum cgname_unesc
unescape_canonical(const char *text, const char *out, size_t n,
    size_t *erroff)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t o = 0, t = 0, run;

	while (o < n) {
		if (s[o] == '\\')
			run = 0;
		else if (s[o] >= 0x20 && s[o] < 0x7f)
			run = 1;
		else
			run = utf8_seq(s + o, n - o);
		if (run == 0) {
			/* written escaped: "\\\\" or lower-case "\\xNN"
			 * (the first pass saw that the escape is whole) */
			if (text[t] != '\\') {
				t++;	/* a raw byte: cannot be misread */
			} else if (s[o] == '\\') {
				if (text[t + 1] != '\\')
					goto needless;	/* "\\x5c" */
				t += 2;
			} else {
				if ((text[t + 2] >= 'A' && text[t + 2] <= 'F') ||
				    (text[t + 3] >= 'A' && text[t + 3] <= 'F')) {
					*erroff = t;
					return CGNAME_UNESC_UPPER;
				}
				t += 4;
			}
			o++;
			continue;
		}
		/* written as itself: no escape may stand for it */
		for (; run > 0; run--, o++, t++)
			if (text[t] == '\\')
				goto needless;
	}
	return CGNAME_UNESC_OK;
needless:
	*erroff = t;
	return CGNAME_UNESC_NEEDLESS;
}

enum cgname_unesc
cgname_unescape_ext(const char *text, size_t len, int flags, char *out,
    size_t *outlen, size_t *erroff)
{
	size_t i = 0, o = 0;

	while (i < len) {
		int hi, lo;

		if (text[i] != '\\') {
			out[o++] = text[i++];
			continue;
		}
		*erroff = i;
		if (i + 1 == len)
			return CGNAME_UNESC_TRAILING;
		if (text[i + 1] == '\\') {
			out[o++] = '\\';
			i += 2;
			continue;
		}
		if (text[i + 1] != 'x')
			return CGNAME_UNESC_UNKNOWN;
		if (len - i < 4 || (hi = cgname_hexval(text[i + 2])) < 0 ||
		    (lo = cgname_hexval(text[i + 3])) < 0)
			return CGNAME_UNESC_HEX;
		out[o++] = (char)(hi << 4 | lo);
		i += 4;
	}
	*outlen = o;
	if (flags & CGNAME_UNESC_STRICT)
		return unescape_canonical(text, out, o, erroff);
	return CGNAME_UNESC_OK;
}

const char *
cgname_unesc_str(enum cgname_unesc e)
{
	switch (e) {
	case CGNAME_UNESC_OK:
		return "no error";
	case CGNAME_UNESC_TRAILING:
		return "a backslash ends it (a backslash in a name is \"\\\\\")";
	case CGNAME_UNESC_UNKNOWN:
		return "unknown escape (there are only \"\\\\\" and \"\\xNN\")";
	case CGNAME_UNESC_HEX:
		return "\"\\x\" takes two hex digits";
	case CGNAME_UNESC_UPPER:
		return "cadv writes hex digits in lower case";
	case CGNAME_UNESC_NEEDLESS:
		return "cadv writes this byte as itself, not escaped (a "
		    "backslash in a name is \"\\\\\")";
	}
	return "malformed escape";
}

uint64_t
cgname_hash(const void *name, size_t len)
{
	const unsigned char *s = name;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
cgname_join(const char *parent, size_t plen, const char *child, size_t clen,
    char *out, size_t *outlen)
{
	size_t base = (plen == 1) ? 0 : plen;

	if (clen == 0 || memchr(child, '/', clen) != NULL ||
	    memchr(child, '\0', clen) != NULL)
		return -1;
	if ((clen == 1 && child[0] == '.') ||
	    (clen == 2 && child[0] == '.' && child[1] == '.'))
		return -1;
	if (base + 1 + clen > CGNAME_MAX)
		return -1;
	memmove(out, parent, base);
	out[base] = '/';
	memcpy(out + base + 1, child, clen);
	*outlen = base + 1 + clen;
	return 0;
}

int
cgname_is_under(const char *name, size_t len, const char *prefix, size_t plen)
{
	if (plen == 1 && prefix[0] == '/')
		return 1;
	if (len < plen || memcmp(name, prefix, plen) != 0)
		return 0;
	return len == plen || name[plen] == '/';
}

int
cgname_clean(const char *in, size_t len, char *out, size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '/' && (o == 0 || out[o - 1] == '/'))
			continue;
		if (o == 0) {
			if (o + 1 >= CGNAME_MAX)
				return -1;
			out[o++] = '/';
			if (in[i] == '/')
				continue;
		}
		if (o >= CGNAME_MAX)
			return -1;
		out[o++] = in[i];
	}
	if (o == 0)
		out[o++] = '/';
	else if (o > 1 && out[o - 1] == '/')
		o--;
	*outlen = o;
	return cgname_valid(out, o) ? 0 : -1;
}
