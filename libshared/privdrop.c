#include "privdrop.h"

#include <bsd/string.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

int
priv_lookup(const char *name, struct priv_user *u, char *err, size_t errsz)
{
	struct passwd *pw;

	if (name == NULL) {
		name = PRIV_USER_DEFAULT;
		if (getpwnam(name) == NULL)
			name = "nobody";
	}
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(err, errsz, "no user %s", name);
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errsz, "user %s is root: pick an unprivileged one",
		    name);
		return -1;
	}
	strlcpy(u->name, name, sizeof(u->name));
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
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
	return chown(path, u->uid, u->gid);
}

int
priv_chown_store(const char *dir, const struct priv_user *u)
{
	static const char *const files[] = { "", "/data.mdb", "/lock.mdb" };
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", dir, files[i]) >=
		    sizeof(path) || priv_chown(path, u) == -1)
			return -1;
	}
	return 0;
}

static void
clear_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) == -1)
		fatal("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		fatal("clearing ambient capabilities");
}

void
priv_drop(const struct priv_user *u)
{
	uid_t r, e, s;
	int cap;

	if (priv_is_root()) {
		/* the bounding set needs CAP_SETPCAP: before the uid goes */
		for (cap = 0; cap <= 63; cap++)
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
			    errno != EINVAL)
				fatal("dropping capability %d from the bounding "
				    "set", cap);
		if (initgroups(u->name, u->gid) == -1)
			fatal("initgroups %s", u->name);
		if (setresgid(u->gid, u->gid, u->gid) == -1)
			fatal("setresgid %u", (unsigned)u->gid);
		if (setresuid(u->uid, u->uid, u->uid) == -1)
			fatal("setresuid %u", (unsigned)u->uid);
		if (getresuid(&r, &e, &s) == -1 || r != u->uid || e != u->uid ||
		    s != u->uid || setuid(0) != -1)
			fatalx("privileges were not dropped for good");
	}
	clear_caps();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
}
