#include "privdrop.h"

#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

/* UID:GID[:GID,...]; -1 if spec is not of that form. */
static int
numeric_user(const char *spec, struct priv_user *u)
{
	char buf[256], *p, *tok, *g;
	const char *errstr;
	long long n;
	int field = 0;

	if (strlcpy(buf, spec, sizeof(buf)) >= sizeof(buf) ||
	    strchr(spec, ':') == NULL)
		return -1;
	u->ngroups = 0;
	for (p = buf; (tok = strsep(&p, ":")) != NULL; field++) {
		if (field == 2) {
			/* strsep: an empty group ("1,,2", a trailing ':')
			 * is a mistake, not nothing */
			while ((g = strsep(&tok, ",")) != NULL) {
				n = strtonum(g, 0, UINT32_MAX - 1, &errstr);
				if (errstr != NULL ||
				    u->ngroups == PRIV_GROUPS_MAX)
					return -1;
				u->groups[u->ngroups++] = (gid_t)n;
			}
			continue;
		}
		n = strtonum(tok, 0, UINT32_MAX - 1, &errstr);
		if (errstr != NULL || field > 2)
			return -1;
		if (field == 0)
			u->uid = (uid_t)n;
		else
			u->gid = (gid_t)n;
	}
	if (field < 2)
		return -1;
	snprintf(u->name, sizeof(u->name), "%u", (unsigned)u->uid);
	return 0;
}

int
priv_lookup(const char *spec, const char *dflt, struct priv_user *u,
    char *err, size_t errsz)
{
	struct passwd *pw;
	const char *name = spec;

	memset(u, 0, sizeof(*u));
	u->ngroups = -1;
	if (spec != NULL && strchr(spec, ':') != NULL) {
		if (numeric_user(spec, u) == -1) {
			snprintf(err, errsz, "%s: want a name or "
			    "UID:GID[:GID,...]", spec);
			return -1;
		}
	} else {
		if (name == NULL) {
			name = dflt;
			if (getpwnam(name) == NULL) {
				name = PRIV_USER_FALLBACK;
				u->fallback = 1;
			}
		}
		if ((pw = getpwnam(name)) == NULL) {
			snprintf(err, errsz, "no user %s", name);
			return -1;
		}
		strlcpy(u->name, name, sizeof(u->name));
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
	}
	if (u->uid == 0 || u->gid == 0) {
		snprintf(err, errsz, "%s is root: pick an unprivileged user",
		    spec != NULL ? spec : name);
		return -1;
	}
	return 0;
}

int
priv_is_root(void)
{
	unsigned long a, b, n;
	FILE *fp;
	int full = 0;

	if (geteuid() != 0)
		return 0;
	/* root of a user namespace of its own has no one to become */
	if ((fp = fopen("/proc/self/uid_map", "re")) != NULL) {
		full = fscanf(fp, "%lu %lu %lu", &a, &b, &n) == 3 && a == 0 &&
		    b == 0 && n == 4294967295UL;
		fclose(fp);
	}
	return full;
}

int
priv_chown(const char *path, const struct priv_user *u)
{
	if (!priv_is_root())
		return 0;
	/* the path itself (a socket root just bound), never where a link
	 * planted there would lead */
	return fchownat(AT_FDCWD, path, u->uid, u->gid, AT_SYMLINK_NOFOLLOW);
}

int
priv_chown_store(const char *dir, const struct priv_user *u)
{
	static const char *const files[] = { "data.mdb", "lock.mdb" };
	size_t i;
	int dirfd, rc = 0;

	if (!priv_is_root())
		return 0;
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	/* The directory stays root's, in the user's group (readers are
	 * its members): the user writes the files, and cannot add, remove
	 * or replace an entry. */
	if (fchown(dirfd, 0, u->gid) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < sizeof(files) / sizeof(files[0]); i++)
		if (fchownat(dirfd, files[i], u->uid, u->gid,
		    AT_SYMLINK_NOFOLLOW) == -1 && errno != ENOENT)
			rc = -1;
	close(dirfd);
	return rc;
}

/* Effective and permitted: only cap (< 0: none); no inheritable, no
 * ambient. */
static void
set_caps(int cap)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (cap >= 0)
		data[cap / 32].effective = data[cap / 32].permitted =
		    1u << (cap % 32);
	if (syscall(SYS_capset, &hdr, data) == -1)
		fatal("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		fatal("clearing ambient capabilities");
}

/* keep < 0: nothing kept */
static void
drop(const struct priv_user *u, int keep)
{
	uid_t r, e, s;
	int cap;

	if (priv_is_root()) {
		/* the bounding set needs CAP_SETPCAP: before the uid goes */
		for (cap = 0; cap <= 63; cap++)
			if (cap != keep &&
			    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
			    errno != EINVAL)
				fatal("dropping capability %d from the bounding "
				    "set", cap);
		if (keep >= 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1)
			fatal("PR_SET_KEEPCAPS");
		if (u->ngroups >= 0 ?
		    setgroups((size_t)u->ngroups, u->groups) == -1 :
		    initgroups(u->name, u->gid) == -1)
			fatal("supplementary groups of %s", u->name);
		if (setresgid(u->gid, u->gid, u->gid) == -1)
			fatal("setresgid %u", (unsigned)u->gid);
		if (setresuid(u->uid, u->uid, u->uid) == -1)
			fatal("setresuid %u", (unsigned)u->uid);
		if (getresuid(&r, &e, &s) == -1 || r != u->uid || e != u->uid ||
		    s != u->uid || setuid(0) != -1)
			fatalx("privileges were not dropped for good");
		if (keep >= 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1)
			fatal("PR_SET_KEEPCAPS");
		set_caps(keep);
	} else
		set_caps(-1);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
}

void
priv_drop(const struct priv_user *u)
{
	drop(u, -1);
}

void
priv_drop_keep(const struct priv_user *u, int cap)
{
	drop(u, cap);
}
