/* Label values and names for /metrics, option name lists, and the
 * interfaces cAdvisor skips (labels.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"

size_t
label_value(char *out, size_t outsz, const char *v, size_t len)
{
	char tmp[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	size_t i, o = 0, n, w;
	unsigned char c;

	if (outsz == 0)
		return 0;
	if (len > CGNAME_MAX)
		len = CGNAME_MAX;
	n = cgname_escape(v, len, tmp, sizeof(tmp));
	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	for (i = 0; i < n; i += w) {
		/* tmp is valid UTF-8: a lead byte says how long its
		 * character is, and a cut falls between characters */
		c = (unsigned char)tmp[i];
		w = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (w > n - i)
			break;
		if (c == '\\' || c == '"') {
			if (o + 2 >= outsz)
				break;
			out[o++] = '\\';
			out[o++] = (char)c;
			continue;
		}
		if (o + w >= outsz)
			break;
		memcpy(out + o, tmp + i, w);
		o += w;
	}
	out[o] = '\0';
	return o;
}

/* The length of the UTF-8 character at s (at most n bytes), 0 when the
 * bytes there are not one: overlong forms, surrogates and values past
 * U+10FFFF are not. */
static size_t
utf8_char(const unsigned char *s, size_t n)
{
	size_t need, k;

	if (s[0] < 0x80)
		return 1;
	need = s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ?
	    3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (need == 0 || need > n)
		return 0;
	for (k = 1; k < need; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	if ((need == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) ||
	    (s[0] == 0xed && s[1] >= 0xa0))) ||
	    (need == 4 && ((s[0] == 0xf0 && s[1] < 0x90) ||
	    (s[0] == 0xf4 && s[1] >= 0x90))))
		return 0;
	return need;
}

static int
name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

size_t
label_name(const char *prefix, const char *key, size_t klen, char *out,
    size_t outsz)
{
	const unsigned char *k = (const unsigned char *)key;
	size_t o = 0, i, w;

	if (outsz == 0)
		return 0;
	for (; *prefix != '\0' && o + 1 < outsz; prefix++)
		out[o++] = *prefix;
	for (i = 0; i < klen && o + 1 < outsz; i += w) {
		/* Go's regexp replaces a character (a rune, or one byte of
		 * invalid UTF-8) at a time */
		if ((w = utf8_char(k + i, klen - i)) == 0)
			w = 1;
		out[o++] = w == 1 && name_char(k[i]) ? (char)k[i] : '_';
	}
	out[o] = '\0';
	return o;
}

int
namelist_parse(struct namelist *nl, const char *arg, char *err, size_t errsz)
{
	const char *p = arg, *end, *s, *e;
	char **v;

	for (; *p != '\0'; p = *end ? end + 1 : end) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		for (s = p; s < end && *s == ' '; s++)
			;
		for (e = end; e > s && e[-1] == ' '; e--)
			;
		if (s == e)
			continue;
		if (e - s == 1 && *s == '*') {
			snprintf(err, errsz, "\"*\" alone would take every "
			    "name: list them, or PREFIX*");
			return -1;
		}
		if ((v = reallocarray(nl->v, nl->n + 1, sizeof(*v))) == NULL ||
		    (nl->v = v, v[nl->n] = strndup(s, (size_t)(e - s))) == NULL) {
			snprintf(err, errsz, "%s", strerror(errno));
			return -1;
		}
		nl->n++;
	}
	return 0;
}

int
namelist_has(const struct namelist *nl, const char *s, size_t len)
{
	size_t i, pl;

	for (i = 0; i < nl->n; i++) {
		pl = strlen(nl->v[i]);
		if (pl > 0 && nl->v[i][pl - 1] == '*') {
			if (len >= pl - 1 && memcmp(s, nl->v[i], pl - 1) == 0)
				return 1;
		} else if (pl == len && memcmp(s, nl->v[i], len) == 0)
			return 1;
	}
	return 0;
}

void
namelist_free(struct namelist *nl)
{
	size_t i;

	for (i = 0; i < nl->n; i++)
		free(nl->v[i]);
	free(nl->v);
	nl->v = NULL;
	nl->n = 0;
}

int
iface_ignored(const char *name, size_t len)
{
	static const char *const prefixes[] = { "lo", "veth", "docker",
	    "nerdctl" };
	size_t i, j, pl;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		pl = strlen(prefixes[i]);
		if (len < pl)
			continue;
		for (j = 0; j < pl; j++)
			if ((name[j] | 0x20) != prefixes[i][j])
				break;
		if (j == pl)
			return 1;
	}
	return 0;
}
