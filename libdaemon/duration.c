#include "duration.h"

#include <ctype.h>
#include <string.h>

static const struct {
	const char	*unit;
	uint64_t	 ns;
} units[] = {
	{ "ns", 1 }, { "us", NS_PER_US }, { "ms", NS_PER_MS },
	{ "s", NS_PER_SEC }, { "m", 60 * NS_PER_SEC }, { "h", 3600 * NS_PER_SEC },
};

int
duration_parse(const char *s, uint64_t *out)
{
	uint64_t total = 0;

	if (s == NULL || *s == '\0')
		return -1;
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	while (*s != '\0') {
		uint64_t n = 0, mult = 0;
		size_t i, best = 0;

		if (!isdigit((unsigned char)*s))
			return -1;
		for (; isdigit((unsigned char)*s); s++) {
			if (n > (UINT64_MAX - 9) / 10)
				return -1;
			n = n * 10 + (uint64_t)(*s - '0');
		}
		/* longest unit that matches: "ms" before "m" */
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].unit);

			if (strncmp(s, units[i].unit, l) == 0 && l > best &&
			    !isalpha((unsigned char)s[l])) {
				best = l;
				mult = units[i].ns;
			}
		}
		if (best == 0)
			return -1;
		s += best;
		if (n != 0 && mult > UINT64_MAX / n)
			return -1;
		if (total > UINT64_MAX - n * mult)
			return -1;
		total += n * mult;
	}
	*out = total;
	return 0;
}
