/* What the runtime sources share (rtutil.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtutil.h"

void
rt_seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

void
rt_note(struct rt_scan_stats *st, unsigned *counter, const char *fmt, ...)
{
	va_list ap;

	(*counter)++;
	if (st->first_error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(st->first_error, sizeof(st->first_error), fmt, ap);
	va_end(ap);
}

int
rt_is_id(const char *s, size_t len)
{
	size_t i;

	if (len != RT_ID_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* ---- files ---- */

int
rt_read_at(int dirfd, const char *path, size_t max, char **buf, size_t *len)
{
	struct stat sb;
	char *b = NULL;
	size_t cap, n = 0;
	ssize_t r;
	int fd, e;

	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO planted in the file's place cannot hang us */
	if ((fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK | O_NOCTTY)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((uint64_t)sb.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	/* one byte more than it says: a file growing past max is seen */
	cap = (size_t)sb.st_size + 1;
	if ((b = malloc(cap)) == NULL) {
		errno = ENOMEM;
		goto fail;
	}
	for (;;) {
		if (n == cap) {
			char *nb;

			if (cap > max) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if ((nb = realloc(b, cap)) == NULL) {
				errno = ENOMEM;
				goto fail;
			}
			b = nb;
		}
		if ((r = read(fd, b + n, cap - n)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		errno = EFBIG;
		goto fail;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
fail:
	e = errno;
	free(b);
	close(fd);
	errno = e;
	return -1;
}

const char *
rt_read_why(int e)
{
	switch (e) {
	case EFBIG:
		return "too large";
	case EINVAL:
		return "not a regular file";
	case ELOOP:
		return "a symbolic link";
	default:
		return strerror(e);
	}
}

/* ---- times ---- */

static int
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil, in 400-year eras). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
rt_time(const char *s, size_t len, uint64_t *ns)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, dim;
	uint64_t frac = 0, scale = 1000000000ULL;
	int64_t secs;
	size_t i = 19;

	*ns = 0;
	/* "2006-01-02T15:04:05[.999999999](Z|+07:00)" */
	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || digits(s, 4, &y) == -1 ||
	    digits(s + 5, 2, &mo) == -1 || digits(s + 8, 2, &d) == -1 ||
	    digits(s + 11, 2, &h) == -1 || digits(s + 14, 2, &mi) == -1 ||
	    digits(s + 17, 2, &sec) == -1)
		return -1;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && y % 4 == 0 &&
	    (y % 100 != 0 || y % 400 == 0));
	if (d < 1 || d > dim)
		return -1;
	if (s[i] == '.') {
		if (++i >= len || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (scale > 1) {	/* finer digits: dropped (Go) */
				scale /= 10;
				frac += (uint64_t)(s[i] - '0') * scale;
			}
	}
	if (i >= len)
		return -1;
	if (s[i] == 'Z')
		i++;
	else if (s[i] == '+' || s[i] == '-') {
		if (len - i < 6 || s[i + 3] != ':' ||
		    digits(s + i + 1, 2, &oh) == -1 ||
		    digits(s + i + 4, 2, &om) == -1 || oh > 23 || om > 59)
			return -1;
		if (s[i] == '-') {
			oh = -oh;
			om = -om;
		}
		i += 6;
	} else
		return -1;
	if (i != len)
		return -1;
	secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - (oh * 3600 + om * 60);
	if (secs < 0)
		return 0;	/* Go's zero time, and anything that early */
	if ((uint64_t)secs > (UINT64_MAX - frac) / 1000000000ULL)
		return -1;
	*ns = (uint64_t)secs * 1000000000ULL + frac;
	return 0;
}

/* ---- JSON ---- */

struct json_object *
rt_json_doc(const char *json, size_t len, size_t max, enum json_type t,
    const char *what, char *err, size_t errsz)
{
	const char *pre = what != NULL ? what : "", *sep = what != NULL ?
	    ": " : "";
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error e;
	size_t end;

	if (len > max || len > INT_MAX) {
		rt_seterr(err, errsz, "%s%slarger than %zu bytes", pre, sep,
		    max);
		return NULL;
	}
	/* JSON has no raw NUL; json-c would stop at one */
	if (len == 0 || memchr(json, '\0', len) != NULL) {
		rt_seterr(err, errsz, "%s%s%s", pre, sep, len == 0 ? "empty" :
		    "holds a NUL byte");
		return NULL;
	}
	if ((tok = json_tokener_new()) == NULL) {
		rt_seterr(err, errsz, "%s%sout of memory", pre, sep);
		return NULL;
	}
	o = json_tokener_parse_ex(tok, json, (int)len);
	e = json_tokener_get_error(tok);
	if (o == NULL || e != json_tokener_success) {
		rt_seterr(err, errsz, "%s%snot JSON (%s)", pre, sep,
		    e == json_tokener_continue ? "truncated" :
		    json_tokener_error_desc(e));
		json_object_put(o);
		json_tokener_free(tok);
		return NULL;
	}
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (; end < len; end++)
		if (json[end] != ' ' && json[end] != '\n' &&
		    json[end] != '\t' && json[end] != '\r') {
			rt_seterr(err, errsz, "%s%sbytes after the document",
			    pre, sep);
			json_object_put(o);
			return NULL;
		}
	if (!json_object_is_type(o, t)) {
		rt_seterr(err, errsz, "%s%snot a JSON %s", pre, sep,
		    t == json_type_array ? "array" : "object");
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
rt_json_field(struct json_object *o, const char *key, enum json_type t,
    struct json_object **v, char *err, size_t errsz)
{
	static const char *const names[] = {
		[json_type_null] = "null", [json_type_boolean] = "a boolean",
		[json_type_double] = "a number", [json_type_int] = "an integer",
		[json_type_object] = "an object", [json_type_array] = "an array",
		[json_type_string] = "a string",
	};

	*v = NULL;
	if (o == NULL || !json_object_object_get_ex(o, key, v) || *v == NULL)
		return 0;
	if (!json_object_is_type(*v, t)) {
		rt_seterr(err, errsz, "%s is not %s", key,
		    (unsigned)t < sizeof(names) / sizeof(names[0]) ?
		    names[t] : "of its type");
		*v = NULL;
		return -1;
	}
	return 1;
}

int
rt_json_time(struct json_object *o, const char *key, uint64_t *ns,
    char *err, size_t errsz)
{
	struct json_object *v;
	int rc;

	*ns = 0;
	if ((rc = rt_json_field(o, key, json_type_string, &v, err,
	    errsz)) != 1)
		return rc;
	if (rt_time(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), ns) == -1) {
		rt_seterr(err, errsz, "%s is not an RFC 3339 time", key);
		return -1;
	}
	return 1;
}

int
rt_ident_set(struct cadv_ident *id, enum cadv_ident_str which, const char *key,
    const char *s, size_t len, char *err, size_t errsz)
{
	if (ident_set(id, which, s, len) == -1) {
		rt_seterr(err, errsz, "%s %s", key, errno == EINVAL ?
		    "holds a NUL or is too long" : "does not fit");
		return -1;
	}
	return 0;
}

void
rt_add_env(const struct rt_config *cfg, struct cadv_ident *id,
    struct json_object *env)
{
	struct json_object *v;
	const char *s, *eq;
	size_t i, n, sl;

	if (cfg == NULL || cfg->nenv_allow == 0)
		return;
	n = json_object_array_length(env);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(env, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		s = json_object_get_string(v);
		sl = (size_t)json_object_get_string_len(v);
		if ((eq = memchr(s, '=', sl)) == NULL || eq == s ||
		    !rt_env_allowed(cfg, s, (size_t)(eq - s)))
			continue;	/* "NAME" alone sets nothing */
		if (ident_add_env(id, s, (size_t)(eq - s), eq + 1,
		    sl - (size_t)(eq + 1 - s)) == -1 && errno == ENOSPC)
			break;
	}
}

/* ---- watch lists ---- */

size_t
rt_watch_add(char paths[][PATH_MAX], size_t n, size_t max, const char *a,
    const char *b)
{
	int len;

	if (n >= max)
		return n;
	len = snprintf(paths[n], PATH_MAX, "%s%s", a, b);
	return len < 0 || len >= PATH_MAX ? n : n + 1;
}
