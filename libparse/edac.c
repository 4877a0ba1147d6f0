#include "edac.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define EDAC_DIMMS_MAX	4096		/* modules read at most */
#define EDAC_TYPE_MAX	64		/* the kernel's names are short */
#define EDAC_SIZE_MAX	(1ULL << 40)	/* MiB: a 1 EiB module is wrong */

/* cAdvisor's unanchored mc[0-9]+ and dimm[0-9]+: prefix then a digit
 * somewhere in the name */
static int
named(const char *name, const char *prefix)
{
	const char *at = name;
	size_t n = strlen(prefix);

	while ((at = strstr(at, prefix)) != NULL) {
		if (isdigit((unsigned char)at[n]))
			return 1;
		at++;
	}
	return 0;
}

/* the file's text, blanks around it dropped: its length or -1 */
static int
read_trimmed(const char *path, char *buf, size_t sz)
{
	FILE *fp = fopen(path, "re");
	size_t n, s = 0;

	if (fp == NULL)
		return -1;
	n = fread(buf, 1, sz - 1, fp);
	/* a longer file is not the kernel's */
	if (n == sz - 1 && fgetc(fp) != EOF) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	while (s < n && isspace((unsigned char)buf[s]))
		s++;
	memmove(buf, buf + s, n - s);
	buf[n - s] = '\0';
	return (int)(n - s);
}

static int
size_mib(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > EDAC_SIZE_MAX)
			return -1;
	}
	*v = n;
	return 0;
}

static int
add_dimm(struct json_object *by_type, const char *dir)
{
	char path[PATH_MAX], type[EDAC_TYPE_MAX + 1], size[32];
	struct json_object *t, *o;
	uint64_t mib, cap = 0, count = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/dimm_mem_type", dir) >=
	    sizeof(path) || read_trimmed(path, type, sizeof(type)) == -1)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/size", dir) >=
	    sizeof(path) || read_trimmed(path, size, sizeof(size)) == -1 ||
	    size_mib(size, &mib) == -1)
		return -1;
	if (json_object_object_get_ex(by_type, type, &t)) {
		if (json_object_object_get_ex(t, "capacity", &o))
			cap = json_object_get_uint64(o);
		if (json_object_object_get_ex(t, "dimm_count", &o))
			count = json_object_get_uint64(o);
	} else {
		if ((t = json_object_new_object()) == NULL)
			return -1;
		json_object_object_add(by_type, type, t);
	}
	json_object_object_add(t, "capacity",
	    json_object_new_uint64(cap + mib * 1024 * 1024));
	json_object_object_add(t, "dimm_count",
	    json_object_new_uint64(count + 1));
	return 0;
}

/* every dimm of one controller; -1 at the first that cannot be read */
static int
controller(struct json_object *by_type, const char *mc, size_t *ndimms)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if ((d = opendir(mc)) == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!named(de->d_name, "dimm"))
			continue;
		if (++*ndimms > EDAC_DIMMS_MAX ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", mc,
		    de->d_name) >= sizeof(path))
			rc = -1;
		else
			rc = add_dimm(by_type, path);
	}
	closedir(d);
	return rc;
}

struct json_object *
edac_memory_by_type(const char *sys)
{
	struct json_object *by_type = json_object_new_object();
	char dir[PATH_MAX], mc[PATH_MAX];
	struct dirent *de;
	size_t ndimms = 0;
	DIR *d;
	int rc = 0;

	if (by_type == NULL)
		return NULL;
	snprintf(dir, sizeof(dir), "%s/devices/system/edac/mc", sys);
	if ((d = opendir(dir)) == NULL)
		return by_type;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!named(de->d_name, "mc"))
			continue;
		if ((size_t)snprintf(mc, sizeof(mc), "%s/%s", dir, de->d_name) >=
		    sizeof(mc))
			rc = -1;
		else
			rc = controller(by_type, mc, &ndimms);
	}
	closedir(d);
	if (rc != 0) {
		/* cAdvisor's answer to any error in the walk: none */
		json_object_put(by_type);
		return json_object_new_object();
	}
	return by_type;
}
