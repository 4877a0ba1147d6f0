/*
 * A container's processes as cAdvisor's v2.ProcessInfo: what cAdvisor
 * reads from `ps -e -o user,pid,ppid,stime,pcpu,pmem,rss,vsz,stat,time,
 * comm,psr,cgroup`, from /proc/PID/stat, status and cgroup instead (every
 * one of them readable by any user).  fd_count counts /proc/PID/fd, which
 * only the process's own user (or root) may read: 0 otherwise, as
 * cAdvisor's is outside the host's namespaces.  All input is the
 * kernel's, still bounded and checked: a process that ends while it is
 * read is left out.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jsonfmt.h"
#include "hostroot.h"
#include "ps.h"

struct machine {
	const char	*proc;
	double		 uptime;	/* s */
	uint64_t	 boot;		/* s since the epoch */
	uint64_t	 memtotal;	/* bytes */
	long		 hz, page;
	char		*passwd;	/* /etc/passwd, NUL-terminated */
	time_t		 now;
};

/* path's first sz - 1 bytes, NUL-terminated; -1 when it cannot be read */
static ssize_t
readf(const char *path, char *buf, size_t sz)
{
	ssize_t n, got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((size_t)got < sz - 1 &&
	    (n = read(fd, buf + got, sz - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

static void
machine_read(struct machine *m)
{
	char buf[4096], *p;

	m->hz = sysconf(_SC_CLK_TCK);
	m->page = sysconf(_SC_PAGESIZE);
	if (m->hz <= 0)
		m->hz = 100;
	if (m->page <= 0)
		m->page = 4096;
	m->now = time(NULL);
	snprintf(buf, sizeof(buf), "%s/uptime", m->proc);
	if (readf(buf, buf, sizeof(buf)) > 0)
		m->uptime = strtod(buf, NULL);
	snprintf(buf, sizeof(buf), "%s/stat", m->proc);
	if (readf(buf, buf, sizeof(buf)) > 0 && (p = strstr(buf, "btime ")))
		m->boot = strtoull(p + 6, NULL, 10);
	snprintf(buf, sizeof(buf), "%s/meminfo", m->proc);
	if (readf(buf, buf, sizeof(buf)) > 0 &&
	    (p = strstr(buf, "MemTotal:")) != NULL)
		m->memtotal = strtoull(p + 9, NULL, 10) * 1024;
	/* the host's users, in a container (hostroot.h) */
	if ((m->passwd = malloc(1 << 16)) != NULL &&
	    (hostroot_path("/etc/passwd", buf, sizeof(buf)) == -1 ||
	    readf(buf, m->passwd, 1 << 16) < 0))
		m->passwd[0] = '\0';
}

/* uid's name from /etc/passwd (NSS would want sockets the sandbox has
 * not), else the number, as ps prints it */
static void
user_name(const struct machine *m, unsigned long uid, char *out, size_t sz)
{
	const char *l = m->passwd, *c1, *c2, *c3, *nl;
	char *end;

	snprintf(out, sz, "%lu", uid);
	while (l != NULL && *l != '\0') {
		nl = strchr(l, '\n');
		c1 = memchr(l, ':', nl ? (size_t)(nl - l) : strlen(l));
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		c3 = c2 ? c2 + 1 : NULL;
		if (c1 != NULL && c3 != NULL && (nl == NULL || c3 < nl) &&
		    strtoul(c3, &end, 10) == uid && end != c3 && *end == ':' &&
		    (size_t)(c1 - l) < sz) {
			memcpy(out, l, (size_t)(c1 - l));
			out[c1 - l] = '\0';
			return;
		}
		l = nl ? nl + 1 : NULL;
	}
}

/* ps's STIME: HH:MM today, MonDD this year, else the year */
static void
stime(const struct machine *m, uint64_t start, char *out, size_t sz)
{
	time_t t = (time_t)start;
	struct tm st, nt;

	localtime_r(&t, &st);
	localtime_r(&m->now, &nt);
	if (st.tm_year == nt.tm_year && st.tm_yday == nt.tm_yday)
		strftime(out, sz, "%H:%M", &st);
	else if (st.tm_year == nt.tm_year)
		strftime(out, sz, "%b%d", &st);
	else
		strftime(out, sz, "%Y", &st);
}

/* ps's TIME: [DD-]HH:MM:SS of CPU time */
static void
cputime(uint64_t s, char *out, size_t sz)
{
	if (s >= 86400)
		snprintf(out, sz, "%llu-%02llu:%02llu:%02llu",
		    (unsigned long long)(s / 86400),
		    (unsigned long long)(s % 86400 / 3600),
		    (unsigned long long)(s % 3600 / 60),
		    (unsigned long long)(s % 60));
	else
		snprintf(out, sz, "%02llu:%02llu:%02llu",
		    (unsigned long long)(s / 3600),
		    (unsigned long long)(s % 3600 / 60),
		    (unsigned long long)(s % 60));
}

static int
fd_count(const char *proc, long pid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%ld/fd", proc, pid);
	if ((dir = opendir(path)) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

/* /proc/PID/cgroup's path: the unified line's, else the first */
static void
cgroup_of(const char *proc, long pid, char *out, size_t sz)
{
	char path[64], buf[4096], *l, *c, *nl;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%ld/cgroup", proc, pid);
	if (readf(path, buf, sizeof(buf)) <= 0)
		return;
	for (l = buf; l != NULL && *l != '\0'; l = nl ? nl + 1 : NULL) {
		if ((nl = strchr(l, '\n')) != NULL)
			*nl = '\0';
		if ((c = strchr(l, ':')) == NULL || (c = strchr(c + 1, ':')) ==
		    NULL)
			continue;
		if (out[0] == '\0' || strncmp(l, "0::", 3) == 0)
			snprintf(out, sz, "%s", c + 1);
	}
}

static struct json_object *
pct(double v)
{
	char buf[32];

	if (!(v >= 0) || v > 1e9)
		v = 0;
	snprintf(buf, sizeof(buf), "%.1f", v);
	return json_object_new_double_s(v, buf);
}

/* One process, or NULL when it is gone (or its files make no sense) */
static struct json_object *
process(const struct machine *m, long pid, const char *cg)
{
	char path[64], buf[4096], status[4096], user[64], st[32], tm[32],
	    stat_s[8], cgpath[PATH_MAX], *open_p, *close_p, *f[40], *p, *save;
	unsigned long long utime, stime_t, start, vsize, rss, ticks;
	struct json_object *o;
	double elapsed, cpu;
	unsigned long uid = 0;
	size_t nf = 0, k = 0;
	char comm[64];

	snprintf(path, sizeof(path), "%s/%ld/stat", m->proc, pid);
	if (readf(path, buf, sizeof(buf)) <= 0 ||
	    (open_p = strchr(buf, '(')) == NULL ||
	    (close_p = strrchr(buf, ')')) == NULL || close_p < open_p)
		return NULL;
	snprintf(comm, sizeof(comm), "%.*s", (int)(close_p - open_p - 1),
	    open_p + 1);
	for (p = strtok_r(close_p + 1, " \n", &save); p != NULL && nf < 40;
	    p = strtok_r(NULL, " \n", &save))
		f[nf++] = p;
	/* after the comm: state, ppid, pgrp, session, tty, tpgid, flags,
	 * 4 fault counts, utime, stime, 4 more, nice (16), threads (17),
	 * itrealvalue, starttime (19), vsize, rss, ..., processor (36) */
	if (nf < 37)
		return NULL;
	utime = strtoull(f[11], NULL, 10);
	stime_t = strtoull(f[12], NULL, 10);
	start = strtoull(f[19], NULL, 10);
	vsize = strtoull(f[20], NULL, 10);
	rss = strtoull(f[21], NULL, 10) * (unsigned long long)m->page;
	snprintf(path, sizeof(path), "%s/%ld/status", m->proc, pid);
	if (readf(path, status, sizeof(status)) > 0 &&
	    (p = strstr(status, "\nUid:")) != NULL)
		uid = strtoul(p + 5, NULL, 10);
	user_name(m, uid, user, sizeof(user));
	stime(m, m->boot + start / (unsigned long long)m->hz, st, sizeof(st));
	ticks = utime + stime_t;
	cputime(ticks / (unsigned long long)m->hz, tm, sizeof(tm));
	elapsed = m->uptime - (double)start / (double)m->hz;
	cpu = elapsed > 0 ? (double)ticks / (double)m->hz / elapsed * 100 : 0;
	/* ps's STAT: the state, then s (session leader), l (threads),
	 * + (foreground), < and N (nice) */
	stat_s[k++] = f[0][0];
	if (strtol(f[16], NULL, 10) < 0)
		stat_s[k++] = '<';
	else if (strtol(f[16], NULL, 10) > 0)
		stat_s[k++] = 'N';
	if (strtol(f[3], NULL, 10) == pid)
		stat_s[k++] = 's';
	if (strtol(f[17], NULL, 10) > 1)
		stat_s[k++] = 'l';
	if (strcmp(f[5], f[2]) == 0)
		stat_s[k++] = '+';
	stat_s[k] = '\0';
	if (cg != NULL)
		snprintf(cgpath, sizeof(cgpath), "%s", cg);
	else
		cgroup_of(m->proc, pid, cgpath, sizeof(cgpath));

	o = json_object_new_object();
	json_object_object_add(o, "user", json_object_new_string(user));
	json_object_object_add(o, "pid", json_object_new_int64(pid));
	json_object_object_add(o, "parent_pid",
	    json_object_new_int64(strtol(f[1], NULL, 10)));
	json_object_object_add(o, "start_time", json_object_new_string(st));
	json_object_object_add(o, "percent_cpu", pct(cpu));
	json_object_object_add(o, "percent_mem", pct(m->memtotal ?
	    (double)rss / (double)m->memtotal * 100 : 0));
	json_object_object_add(o, "rss", json_object_new_uint64(rss));
	json_object_object_add(o, "virtual_size",
	    json_object_new_uint64(vsize));
	json_object_object_add(o, "status", json_object_new_string(stat_s));
	json_object_object_add(o, "running_time", json_object_new_string(tm));
	json_object_object_add(o, "cgroup_path",
	    jsonfmt_name(cgpath, strlen(cgpath)));
	json_object_object_add(o, "cmd", jsonfmt_name(comm, strlen(comm)));
	json_object_object_add(o, "fd_count",
	    json_object_new_int(fd_count(m->proc, pid)));
	json_object_object_add(o, "psr",
	    json_object_new_int64(strtol(f[36], NULL, 10)));
	return o;
}

static int
add(struct json_object *arr, const struct machine *m, long pid,
    const char *cg)
{
	struct json_object *o;

	if (json_object_array_length(arr) >= PS_MAX)
		return -1;
	if ((o = process(m, pid, cg)) != NULL)
		json_object_array_add(arr, o);
	return 0;
}

struct json_object *
ps_list(const char *proc, const char *cgroot, const char *name, size_t len,
    int v2, char *err, size_t errsz)
{
	/* where the cgroup may be: v2's tree (beside v1's, or alone), v1's
	 * hierarchies; the container's own kind first */
	static const char *const dirs[] = { "/unified", "", "/pids",
	    "/memory", "/cpu,cpuacct", "/cpuacct", "/cpu", "/systemd",
	    "/unified", "" };
	size_t ndirs = sizeof(dirs) / sizeof(dirs[0]);
	struct machine m = { .proc = proc };
	struct json_object *arr;
	char path[PATH_MAX], *buf = NULL, *l, *nl, *end;
	struct dirent *d;
	DIR *dir;
	size_t i;
	long pid;
	ssize_t n = -1;

	if (len == 0 || memchr(name, '\0', len) != NULL || len > PATH_MAX / 2 ||
	    strstr(name, "/..") != NULL) {
		snprintf(err, errsz, "not a cgroup name");
		return NULL;
	}
	machine_read(&m);
	arr = json_object_new_array();
	if (len == 1 && name[0] == '/') {
		/* the root: every process, as cAdvisor lists for it */
		if ((dir = opendir(proc)) == NULL) {
			snprintf(err, errsz, "%s: %s", proc, strerror(errno));
			goto fail;
		}
		while ((d = readdir(dir)) != NULL) {
			pid = strtol(d->d_name, &end, 10);
			if (*end == '\0' && pid > 0 && add(arr, &m, pid, NULL))
				break;
		}
		closedir(dir);
		free(m.passwd);
		return arr;
	}
	if ((buf = malloc(1 << 20)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	for (i = v2 ? 0 : 2; n < 0 && i < (v2 ? ndirs - 2 : ndirs); i++) {
		snprintf(path, sizeof(path), "%s%s%.*s/cgroup.procs", cgroot,
		    dirs[i], (int)len, name);
		n = readf(path, buf, 1 << 20);
	}
	if (n < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto fail;
	}
	for (l = buf; l != NULL && *l != '\0'; l = nl ? nl + 1 : NULL) {
		if ((nl = strchr(l, '\n')) != NULL)
			*nl = '\0';
		pid = strtol(l, &end, 10);
		if (end != l && *end == '\0' && pid > 0) {
			char cg[PATH_MAX];

			snprintf(cg, sizeof(cg), "%.*s", (int)len, name);
			if (add(arr, &m, pid, cg))
				break;
		}
	}
	free(buf);
	free(m.passwd);
	return arr;
fail:
	free(buf);
	free(m.passwd);
	json_object_put(arr);
	return NULL;
}
