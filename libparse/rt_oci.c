/* OCI runtime spec parsing: the cgroup path runc was given, the CRI
 * plugin's annotations, ctr's labels, the allow-listed environment. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cgname.h"
#include "rt_oci.h"
#include "rtutil.h"

/* Lexical cleaning as Go's filepath.Clean of an absolute path (what runc
 * does to a cgroupfs path): empty and "." components dropped, ".." takes
 * the previous one away. */
static int
clean_abs(const char *p, size_t len, char *out, size_t *outlen)
{
	size_t i = 0, o = 0, s, cl;

	while (i < len) {
		while (i < len && p[i] == '/')
			i++;
		s = i;
		while (i < len && p[i] != '/')
			i++;
		cl = i - s;
		if (cl == 0 || (cl == 1 && p[s] == '.'))
			continue;
		if (cl == 2 && p[s] == '.' && p[s + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;	/* the '/' before it */
			continue;
		}
		if (o + 1 + cl >= CGNAME_MAX)
			return -1;
		out[o++] = '/';
		memcpy(out + o, p + s, cl);
		o += cl;
	}
	*outlen = o;
	out[o] = '\0';
	return 0;
}

/* Appends "/s" to out (at *o); -1 when it does not fit. */
static int
put_comp(char *out, size_t *o, const char *s, size_t sl, const char *s2,
    size_t sl2, const char *s3, size_t sl3)
{
	if (*o + 1 + sl + sl2 + sl3 >= CGNAME_MAX)
		return -1;
	out[(*o)++] = '/';
	memcpy(out + *o, s, sl);
	*o += sl;
	memcpy(out + *o, s2, sl2);
	*o += sl2;
	memcpy(out + *o, s3, sl3);
	*o += sl3;
	out[*o] = '\0';
	return 0;
}

static int
has_suffix(const char *s, size_t len, const char *suf)
{
	size_t sl = strlen(suf);

	return len >= sl && memcmp(s + len - sl, suf, sl) == 0;
}

/* "slice:prefix:name" the way runc's systemd driver places it. */
static int
systemd_path(const char *p, size_t len, char *out, size_t *outlen,
    char *err, size_t errsz)
{
	const char *c1, *c2, *slice, *pre, *name;
	size_t sl, pl, nl, o = 0, i, start;
	static const char def_slice[] = "system.slice";

	c1 = memchr(p, ':', len);
	c2 = c1 != NULL ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - p)) :
	    NULL;
	if (c1 == NULL || c2 == NULL ||
	    memchr(c2 + 1, ':', len - (size_t)(c2 + 1 - p)) != NULL) {
		rt_seterr(err, errsz, "cgroupsPath is neither absolute nor "
		    "slice:prefix:name");
		return -1;
	}
	slice = p;
	sl = (size_t)(c1 - p);
	pre = c1 + 1;
	pl = (size_t)(c2 - pre);
	name = c2 + 1;
	nl = len - (size_t)(name - p);
	if (sl == 0) {
		slice = def_slice;
		sl = sizeof(def_slice) - 1;
	}
	if (memchr(p, '/', len) != NULL || nl == 0) {
		rt_seterr(err, errsz,
		    "systemd cgroupsPath with a '/' or no name");
		return -1;
	}
	/* a slice "a-b-c.slice" is /a.slice/a-b.slice/a-b-c.slice;
	 * "-.slice" is the root */
	if (!has_suffix(slice, sl, ".slice") || sl == 6) {
		rt_seterr(err, errsz, "systemd cgroupsPath: the slice does not "
		    "end in .slice");
		return -1;
	}
	sl -= 6;
	if (!(sl == 1 && slice[0] == '-')) {
		for (i = 0, start = 0; i <= sl; i++) {
			if (i < sl && slice[i] != '-')
				continue;
			if (i == start) {	/* "a--b", "-a", "a-" */
				rt_seterr(err, errsz, "systemd cgroupsPath: "
				    "an empty slice component");
				return -1;
			}
			if (put_comp(out, &o, slice, i, ".slice", 6, "", 0)
			    == -1)
				goto toolong;
			start = i + 1;
		}
	}
	/* the unit: a scope "prefix-name.scope" unless name is a slice */
	if (has_suffix(name, nl, ".slice")) {
		if (put_comp(out, &o, name, nl, "", 0, "", 0) == -1)
			goto toolong;
	} else {
		if (o + 1 + pl + 1 + nl + 6 >= CGNAME_MAX)
			goto toolong;
		out[o++] = '/';
		memcpy(out + o, pre, pl);
		o += pl;
		out[o++] = '-';
		memcpy(out + o, name, nl);
		o += nl;
		memcpy(out + o, ".scope", 6);
		o += 6;
		out[o] = '\0';
	}
	*outlen = o;
	return 0;
toolong:
	rt_seterr(err, errsz, "cgroupsPath too long");
	return -1;
}

int
rt_oci_cgroup(const char *path, size_t len, char *out, size_t *outlen,
    char *err, size_t errsz)
{
	if (len == 0) {
		rt_seterr(err, errsz, "empty cgroupsPath");
		return -1;
	}
	if (memchr(path, '\0', len) != NULL) {
		rt_seterr(err, errsz, "cgroupsPath holds a NUL byte");
		return -1;
	}
	if (path[0] == '/') {
		if (clean_abs(path, len, out, outlen) == -1) {
			rt_seterr(err, errsz, "cgroupsPath too long");
			return -1;
		}
	} else if (systemd_path(path, len, out, outlen, err, errsz) == -1)
		return -1;
	if (*outlen == 0) {
		/* the root cgroup is nobody's container */
		rt_seterr(err, errsz, "cgroupsPath is the root cgroup");
		return -1;
	}
	if (!cgname_valid(out, *outlen)) {
		rt_seterr(err, errsz, "cgroupsPath is not a cgroup name");
		return -1;
	}
	return 0;
}

/* The component of cg that ends at end (exclusive): its start, or -1 when
 * there is none (end at the leading '/'). */
static long
comp_start(const char *cg, size_t end)
{
	size_t s;

	if (end == 0)
		return -1;
	for (s = end; s > 0 && cg[s - 1] != '/'; s--)
		;
	return s == 0 || s == end ? -1 : (long)s;
}

static int
comp_is(const char *cg, long s, size_t end, const char *want)
{
	size_t wl = strlen(want);

	return s >= 0 && end - (size_t)s == wl &&
	    memcmp(cg + s, want, wl) == 0;
}

int
rt_pod_cgroup(const char *cg, size_t len, const char *uid, size_t uidlen,
    size_t *plen)
{
	char want[300];
	size_t pl, ll, wl, i, k;
	long ls, qs, ks;
	static const char *const qos[] = { "", "-burstable", "-besteffort" };

	if (uidlen == 0 || uidlen > 128 || len == 0 || cg[0] != '/' ||
	    memchr(uid, '/', uidlen) != NULL)
		return 0;
	/* the parent is cg[0, pl); its last component cg[ls, pl) */
	for (pl = len; pl > 0 && cg[pl - 1] != '/'; pl--)
		;
	if (pl <= 1)
		return 0;
	pl--;
	if ((ls = comp_start(cg, pl)) == -1)
		return 0;
	ll = pl - (size_t)ls;
	/* cgroupfs: .../kubepods/pod<uid>, .../kubepods/<qos>/pod<uid> */
	if (ll == 3 + uidlen && memcmp(cg + ls, "pod", 3) == 0 &&
	    memcmp(cg + ls + 3, uid, uidlen) == 0) {
		if ((size_t)ls < 2)
			return 0;
		qs = comp_start(cg, (size_t)ls - 1);
		if (comp_is(cg, qs, (size_t)ls - 1, "kubepods")) {
			*plen = pl;
			return 1;
		}
		if (!comp_is(cg, qs, (size_t)ls - 1, "burstable") &&
		    !comp_is(cg, qs, (size_t)ls - 1, "besteffort"))
			return 0;
		if (qs < 2)
			return 0;
		ks = comp_start(cg, (size_t)qs - 1);
		if (!comp_is(cg, ks, (size_t)qs - 1, "kubepods"))
			return 0;
		*plen = pl;
		return 1;
	}
	/* systemd: kubepods[-qos]-pod<uid, '-' as '_'>.slice */
	for (i = 0; i < sizeof(qos) / sizeof(qos[0]); i++) {
		wl = (size_t)snprintf(want, sizeof(want), "kubepods%s-pod",
		    qos[i]);
		for (k = 0; k < uidlen; k++)
			want[wl++] = uid[k] == '-' ? '_' : uid[k];
		memcpy(want + wl, ".slice", 6);
		wl += 6;
		if (ll == wl && memcmp(cg + ls, want, wl) == 0) {
			*plen = pl;
			return 1;
		}
	}
	return 0;
}

static void
set_str(struct cadv_ident *id, enum cadv_ident_str which, struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		(void)ident_set(id, which, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
}

int
rt_oci_parse(const char *json, size_t len, const struct rt_config *cfg,
    struct cadv_ident *id, char *err, size_t errsz)
{
	struct json_object *o, *lx, *cgp, *ann, *proc, *env, *v, *type;
	char cg[CGNAME_MAX];
	size_t cl, i;
	int cri = 0;

	if ((o = rt_json_doc(json, len, RT_OCI_JSON_MAX, json_type_object, NULL,
	    err, errsz)) == NULL)
		return -1;
	if (json_object_object_get_ex(o, "linux", &lx) && lx != NULL) {
		if (!json_object_is_type(lx, json_type_object)) {
			rt_seterr(err, errsz, "linux is not an object");
			goto bad;
		}
		if (json_object_object_get_ex(lx, "cgroupsPath", &cgp) &&
		    cgp != NULL) {
			if (!json_object_is_type(cgp, json_type_string)) {
				rt_seterr(err, errsz,
				    "linux.cgroupsPath is not "
				    "a string");
				goto bad;
			}
			if (rt_oci_cgroup(json_object_get_string(cgp),
			    (size_t)json_object_get_string_len(cgp), cg, &cl,
			    err, errsz) == -1)
				goto bad;
			(void)ident_set(id, CADV_IS_CGROUP, cg, cl);
		}
	}
	if (json_object_object_get_ex(o, "annotations", &ann) && ann != NULL) {
		if (!json_object_is_type(ann, json_type_object)) {
			rt_seterr(err, errsz, "annotations is not an object");
			goto bad;
		}
		if (json_object_object_get_ex(ann, RT_CRI_ANN "container-type",
		    &type) && json_object_is_type(type, json_type_string)) {
			const char *t = json_object_get_string(type);

			cri = 1;
			if (strcmp(t, "sandbox") == 0)
				id->flags |= CADV_IDF_SANDBOX;
		}
		if (cri) {
			static const struct {
				const char	*key;
				enum cadv_ident_str	 s;
			} map[] = {
				{ RT_CRI_ANN "container-name", CADV_IS_CONTAINER_NAME },
				{ RT_CRI_ANN "image-name", CADV_IS_IMAGE },
				{ RT_CRI_ANN "sandbox-id", CADV_IS_SANDBOX_ID },
				{ RT_CRI_ANN "sandbox-name", CADV_IS_POD_NAME },
				{ RT_CRI_ANN "sandbox-namespace",
				    CADV_IS_POD_NAMESPACE },
				{ RT_CRI_ANN "sandbox-uid", CADV_IS_POD_UID },
			};

			for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
				if (json_object_object_get_ex(ann, map[i].key,
				    &v))
					set_str(id, map[i].s, v);
			/* a pod's containers join its sandbox's netns */
			if (!(id->flags & CADV_IDF_SANDBOX) &&
			    json_object_object_get_ex(ann,
			    RT_CRI_ANN "sandbox-id", &v))
				set_str(id, CADV_IS_NETNS_OWNER, v);
		} else {
			json_object_object_foreach(ann, k, av) {
				if (!json_object_is_type(av, json_type_string))
					continue;
				if (ident_add_label(id, k, strlen(k),
				    json_object_get_string(av),
				    (size_t)json_object_get_string_len(av)) ==
				    -1 && errno == ENOSPC)
					break;
			}
		}
	}
	if (json_object_object_get_ex(o, "process", &proc) &&
	    json_object_is_type(proc, json_type_object) &&
	    json_object_object_get_ex(proc, "env", &env) &&
	    json_object_is_type(env, json_type_array))
		rt_add_env(cfg, id, env);
	json_object_put(o);
	return 0;
bad:
	json_object_put(o);
	return -1;
}
