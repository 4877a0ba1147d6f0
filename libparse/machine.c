#include "machine.h"

#include <bsd/string.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "edac.h"
#include "fsinfo.h"
#include "version.h"

#define MAX_CPUS	4096

const struct machine_paths machine_paths_default = {
	"/proc", "/sys", "/etc", "/proc/self/mountinfo", "",
};

/* base/rel into buf, trailing newlines dropped; length or -1. */
static ssize_t
readf(const char *base, const char *rel, char *buf, size_t sz)
{
	char path[PATH_MAX];
	FILE *fp;
	size_t n;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", base, rel) >=
	    sizeof(path) || (fp = fopen(path, "re")) == NULL)
		return -1;
	n = fread(buf, 1, sz - 1, fp);
	fclose(fp);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return (ssize_t)n;
}

static int
read_long(const char *base, const char *rel, long long *v)
{
	char buf[64], *end;

	if (readf(base, rel, buf, sizeof(buf)) <= 0)
		return -1;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return (errno || *end != '\0') ? -1 : 0;
}

/* "0-3,8,10-11" into a bitmap of MAX_CPUS bits; -1 if malformed. */
static int
parse_list(const char *s, unsigned char *bits)
{
	memset(bits, 0, MAX_CPUS / 8);
	while (*s != '\0') {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s || a < 0 || a >= MAX_CPUS)
			return -1;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a || b >= MAX_CPUS)
				return -1;
			s = end;
		}
		for (; a <= b; a++)
			bits[a / 8] |= (unsigned char)(1 << (a % 8));
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return -1;
	}
	return 0;
}

#define BIT(bits, i)	((bits)[(i) / 8] & (1 << ((i) % 8)))

/* A "key : value" line of /proc/cpuinfo or "Key: N kB" of meminfo. */
static const char *
field(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == text || p[-1] == '\n') &&
		    (p[kl] == ' ' || p[kl] == '\t' || p[kl] == ':')) {
			p += kl;
			while (*p == ' ' || *p == '\t' || *p == ':')
				p++;
			return p;
		}
		p += kl;
	}
	return NULL;
}

static uint64_t
meminfo_kb(const char *text, const char *key)
{
	const char *p = field(text, key);

	return p ? strtoull(p, NULL, 10) * 1024 : 0;
}

struct cpu {
	int	online, package, core, node;
};

static void
add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void
add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static struct json_object *
hugepages(const char *dir)
{
	struct json_object *arr = json_object_new_array();
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return arr;
	while ((de = readdir(d)) != NULL) {
		unsigned long long kb;
		long long n;
		char rel[300];
		struct json_object *h;

		if (sscanf(de->d_name, "hugepages-%llukB", &kb) != 1)
			continue;
		snprintf(rel, sizeof(rel), "%s/nr_hugepages", de->d_name);
		if (read_long(dir, rel, &n) == -1 || n < 0)
			n = 0;
		h = json_object_new_object();
		add_u64(h, "page_size", kb);
		add_u64(h, "num_pages", (uint64_t)n);
		json_object_array_add(arr, h);
	}
	closedir(d);
	return arr;
}

/* The caches of one cpu, each with the cpus sharing it. */
static void
cpu_caches(const char *sys, int cpu, struct json_object *core_caches,
    struct json_object *node_caches, const unsigned char *core_threads)
{
	unsigned char shared[MAX_CPUS / 8];
	char rel[128], buf[256];
	int idx;

	for (idx = 0; idx < 16; idx++) {
		struct json_object *c, *dst = core_caches;
		char type[32], key[320];
		long long level, size = 0;
		int i, only_core = 1;
		size_t k;

		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cache/index%d",
		    cpu, idx);
		snprintf(key, sizeof(key), "%s/level", rel);
		if (read_long(sys, key, &level) == -1)
			break;
		snprintf(key, sizeof(key), "%s/type", rel);
		if (readf(sys, key, type, sizeof(type)) <= 0)
			strlcpy(type, "Unified", sizeof(type));
		snprintf(key, sizeof(key), "%s/size", rel);
		if (readf(sys, key, buf, sizeof(buf)) > 0) {
			size = strtoll(buf, NULL, 10);
			if (strchr(buf, 'K'))
				size *= 1024;
			else if (strchr(buf, 'M'))
				size *= 1024 * 1024;
		}
		snprintf(key, sizeof(key), "%s/shared_cpu_list", rel);
		if (readf(sys, key, buf, sizeof(buf)) > 0 &&
		    parse_list(buf, shared) == 0) {
			for (i = 0; i < MAX_CPUS; i++)
				if (BIT(shared, i) && !BIT(core_threads, i))
					only_core = 0;
		}
		/* shared beyond the core's threads: a node (uncore) cache,
		 * listed once per node */
		if (!only_core) {
			dst = node_caches;
			for (k = 0; k < json_object_array_length(dst); k++) {
				struct json_object *o = json_object_array_get_idx(dst, k),
				    *v;

				if (json_object_object_get_ex(o, "level", &v) &&
				    json_object_get_int64(v) == level &&
				    json_object_object_get_ex(o, "type", &v) &&
				    strcmp(json_object_get_string(v), type) == 0)
					break;
			}
			if (k < json_object_array_length(dst))
				continue;
		}
		c = json_object_new_object();
		add_u64(c, "size", (uint64_t)size);
		add_str(c, "type", type);
		add_u64(c, "level", (uint64_t)level);
		json_object_array_add(dst, c);
	}
}

static struct json_object *
topology(const struct machine_paths *p, struct cpu *cpus, int ncpu,
    uint64_t memtotal, int *nphys, int *nsock)
{
	unsigned char threads[MAX_CPUS / 8];
	struct json_object *nodes = json_object_new_array();
	char buf[4096], rel[128];
	int maxnode = 0, n, i, j, pk[MAX_CPUS], npk = 0;

	for (i = 0; i < ncpu; i++)
		if (cpus[i].online && cpus[i].node > maxnode)
			maxnode = cpus[i].node;
	*nphys = 0;
	for (n = 0; n <= maxnode; n++) {
		struct json_object *node, *cores, *ncaches;
		const char *q;
		uint64_t mem = 0;

		for (i = 0; i < ncpu; i++)
			if (cpus[i].online && cpus[i].node == n)
				break;
		if (i == ncpu)
			continue;
		node = json_object_new_object();
		json_object_object_add(node, "node_id", json_object_new_int(n));
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/meminfo", n);
		/* "Node 0 MemTotal:  24105 kB" */
		if (readf(p->sys, rel, buf, sizeof(buf)) > 0 &&
		    (q = strstr(buf, "MemTotal:")) != NULL)
			mem = strtoull(q + 9, NULL, 10) * 1024;
		if (mem == 0 && maxnode == 0)
			mem = memtotal;
		add_u64(node, "memory", mem);
		snprintf(rel, sizeof(rel), "%s/devices/system/node/node%d/hugepages",
		    p->sys, n);
		json_object_object_add(node, "hugepages", hugepages(rel));
		cores = json_object_new_array();
		ncaches = json_object_new_array();
		for (i = 0; i < ncpu; i++) {
			struct json_object *core, *tids, *ccaches;

			if (!cpus[i].online || cpus[i].node != n)
				continue;
			/* the first thread of each (package, core) makes it */
			for (j = 0; j < i; j++)
				if (cpus[j].online && cpus[j].node == n &&
				    cpus[j].package == cpus[i].package &&
				    cpus[j].core == cpus[i].core)
					break;
			if (j < i)
				continue;
			(*nphys)++;
			memset(threads, 0, sizeof(threads));
			core = json_object_new_object();
			json_object_object_add(core, "core_id",
			    json_object_new_int(cpus[i].core));
			json_object_object_add(core, "socket_id",
			    json_object_new_int(cpus[i].package));
			tids = json_object_new_array();
			for (j = i; j < ncpu; j++)
				if (cpus[j].online && cpus[j].node == n &&
				    cpus[j].package == cpus[i].package &&
				    cpus[j].core == cpus[i].core) {
					json_object_array_add(tids,
					    json_object_new_int(j));
					threads[j / 8] |= (unsigned char)(1 << (j % 8));
				}
			json_object_object_add(core, "thread_ids", tids);
			ccaches = json_object_new_array();
			cpu_caches(p->sys, i, ccaches, ncaches, threads);
			json_object_object_add(core, "caches", ccaches);
			json_object_array_add(cores, core);
		}
		json_object_object_add(node, "cores", cores);
		json_object_object_add(node, "caches", ncaches);
		json_object_array_add(nodes, node);
	}
	for (i = 0; i < ncpu; i++) {
		if (!cpus[i].online)
			continue;
		for (j = 0; j < npk; j++)
			if (pk[j] == cpus[i].package)
				break;
		if (j == npk)
			pk[npk++] = cpus[i].package;
	}
	*nsock = npk;
	return nodes;
}

static int
cpus_read(const struct machine_paths *p, struct cpu *cpus)
{
	unsigned char online[MAX_CPUS / 8], nodecpus[MAX_CPUS / 8];
	char buf[4096], rel[128];
	int i, n, ncpu = 0;
	long long v;

	if (readf(p->sys, "devices/system/cpu/online", buf, sizeof(buf)) <= 0 ||
	    parse_list(buf, online) == -1) {
		/* no sysfs list: every cpu /proc/cpuinfo names */
		char *text = malloc(1 << 20);
		const char *q;

		memset(online, 0, sizeof(online));
		if (text != NULL && readf(p->proc, "cpuinfo", text, 1 << 20) > 0)
			for (q = text; (q = field(q, "processor")) != NULL;) {
				long id = strtol(q, NULL, 10);

				if (id >= 0 && id < MAX_CPUS)
					online[id / 8] |= (unsigned char)(1 << (id % 8));
			}
		free(text);
	}
	for (i = 0; i < MAX_CPUS; i++) {
		if (!BIT(online, i))
			continue;
		ncpu = i + 1;
		cpus[i].online = 1;
		snprintf(rel, sizeof(rel),
		    "devices/system/cpu/cpu%d/topology/physical_package_id", i);
		cpus[i].package = read_long(p->sys, rel, &v) == 0 ? (int)v : 0;
		snprintf(rel, sizeof(rel),
		    "devices/system/cpu/cpu%d/topology/core_id", i);
		cpus[i].core = read_long(p->sys, rel, &v) == 0 ? (int)v : i;
		cpus[i].node = 0;
	}
	for (n = 0; n < 1024; n++) {
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/cpulist", n);
		if (readf(p->sys, rel, buf, sizeof(buf)) < 0)
			continue;
		if (parse_list(buf, nodecpus) == -1)
			continue;
		for (i = 0; i < ncpu; i++)
			if (BIT(nodecpus, i))
				cpus[i].node = n;
	}
	return ncpu;
}

static uint64_t
cpu_freq_khz(const struct machine_paths *p, const char *cpuinfo)
{
	const char *q;
	long long v;
	double best = 0;

	if (read_long(p->sys, "devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",
	    &v) == 0 && v > 0)
		return (uint64_t)v;
	for (q = cpuinfo; (q = field(q, "cpu MHz")) != NULL;) {
		double mhz = strtod(q, NULL);

		if (mhz > best)
			best = mhz;
	}
	return (uint64_t)(best * 1000);
}

static struct json_object *
net_devices(const char *sys)
{
	struct json_object *arr = json_object_new_array();
	char dir[PATH_MAX], link[PATH_MAX], full[PATH_MAX + 320], rel[320];
	char buf[128];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/class/net", sys);
	if ((d = opendir(dir)) == NULL)
		return arr;
	while ((de = readdir(d)) != NULL) {
		struct json_object *o;
		long long v;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, de->d_name);
		n = readlink(full, link, sizeof(link) - 1);
		/* cAdvisor leaves out virtual devices (lo, veth, bridges) */
		if (n > 0 && (link[n] = '\0', strstr(link, "/virtual/") != NULL))
			continue;
		o = json_object_new_object();
		add_str(o, "name", de->d_name);
		snprintf(rel, sizeof(rel), "class/net/%s/address", de->d_name);
		add_str(o, "mac_address", readf(sys, rel, buf, sizeof(buf)) > 0 ?
		    buf : "");
		snprintf(rel, sizeof(rel), "class/net/%s/speed", de->d_name);
		add_u64(o, "speed", read_long(sys, rel, &v) == 0 && v > 0 ?
		    (uint64_t)v : 0);
		snprintf(rel, sizeof(rel), "class/net/%s/mtu", de->d_name);
		add_u64(o, "mtu", read_long(sys, rel, &v) == 0 && v > 0 ?
		    (uint64_t)v : 0);
		json_object_array_add(arr, o);
	}
	closedir(d);
	return arr;
}

static struct json_object *
disk_map(const char *sys)
{
	struct json_object *map = json_object_new_object();
	char dir[PATH_MAX], rel[320], buf[256];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/block", sys);
	if ((d = opendir(dir)) == NULL)
		return map;
	while ((de = readdir(d)) != NULL) {
		struct json_object *o;
		unsigned maj, min;
		long long sectors;
		char *l, *r, key[32];

		if (de->d_name[0] == '.' || strncmp(de->d_name, "loop", 4) == 0 ||
		    strncmp(de->d_name, "ram", 3) == 0)
			continue;
		snprintf(rel, sizeof(rel), "block/%s/dev", de->d_name);
		if (readf(sys, rel, buf, sizeof(buf)) <= 0 ||
		    sscanf(buf, "%u:%u", &maj, &min) != 2)
			continue;
		snprintf(rel, sizeof(rel), "block/%s/size", de->d_name);
		if (read_long(sys, rel, &sectors) == -1 || sectors < 0)
			sectors = 0;
		o = json_object_new_object();
		add_str(o, "name", de->d_name);
		add_u64(o, "major", maj);
		add_u64(o, "minor", min);
		add_u64(o, "size", (uint64_t)sectors * 512);	/* 512-byte units */
		snprintf(rel, sizeof(rel), "block/%s/queue/scheduler", de->d_name);
		if (readf(sys, rel, buf, sizeof(buf)) > 0 &&
		    (l = strchr(buf, '[')) != NULL && (r = strchr(l, ']')) != NULL) {
			*r = '\0';
			add_str(o, "scheduler", l + 1);
		} else
			add_str(o, "scheduler", "none");
		snprintf(key, sizeof(key), "%u:%u", maj, min);
		json_object_object_add(map, key, o);
	}
	closedir(d);
	return map;
}

static struct json_object *
filesystems(const char *mountinfo, const char *root)
{
	struct json_object *arr = json_object_new_array();
	struct fs_entry *fs = NULL;
	char err[PATH_MAX + 64];
	size_t n = 0, i;

	if (mountinfo == NULL || fs_list(mountinfo, &fs, &n, err,
	    sizeof(err)) == -1)
		return arr;
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		struct cadv_fs u;
		char at[PATH_MAX];
		/* the host's mount point, seen where the host is mounted */
		int ok = (size_t)snprintf(at, sizeof(at), "%s%s",
		    root != NULL ? root : "", fs[i].mountpoint) < sizeof(at) &&
		    fs_statfs(at, &u) == 0;

		add_str(o, "device", fs[i].device);
		add_str(o, "mountpoint", fs[i].mountpoint);
		add_str(o, "type", fs[i].type);
		add_u64(o, "major", fs[i].major);
		add_u64(o, "minor", fs[i].minor);
		add_u64(o, "capacity", ok ? u.capacity : 0);
		add_u64(o, "inodes", ok ? u.inodes : 0);
		json_object_object_add(o, "has_inodes",
		    json_object_new_boolean(ok && u.inodes > 0));
		json_object_array_add(arr, o);
	}
	free(fs);
	return arr;
}

struct json_object *
machine_info(const struct machine_paths *p)
{
	struct json_object *m = json_object_new_object();
	char *cpuinfo = malloc(1 << 20), buf[4096], hp[PATH_MAX];
	struct cpu *cpus = calloc(MAX_CPUS, sizeof(*cpus));
	uint64_t memtotal = 0, swap = 0;
	int ncpu, nlogical = 0, nphys = 0, nsock = 0, i;
	const char *model;

	if (m == NULL || cpuinfo == NULL || cpus == NULL) {
		free(cpuinfo);
		free(cpus);
		json_object_put(m);
		return NULL;
	}
	if (readf(p->proc, "cpuinfo", cpuinfo, 1 << 20) < 0)
		cpuinfo[0] = '\0';
	if (readf(p->proc, "meminfo", buf, sizeof(buf)) > 0) {
		memtotal = meminfo_kb(buf, "MemTotal");
		swap = meminfo_kb(buf, "SwapTotal");
	}
	ncpu = cpus_read(p, cpus);
	for (i = 0; i < ncpu; i++)
		nlogical += cpus[i].online;
	{
		char when[RFC3339_LEN];

		clock_rfc3339(clock_now_ns(), when, sizeof(when));
		json_object_object_add(m, "timestamp",
		    json_object_new_string(when));
	}
	json_object_object_add(m, "num_cores", json_object_new_int(nlogical));
	{
		struct json_object *topo = topology(p, cpus, ncpu, memtotal,
		    &nphys, &nsock);

		json_object_object_add(m, "num_physical_cores",
		    json_object_new_int(nphys));
		json_object_object_add(m, "num_sockets",
		    json_object_new_int(nsock));
		json_object_object_add(m, "topology", topo);
	}
	model = field(cpuinfo, "model name");
	if (model != NULL) {
		size_t l = strcspn(model, "\n");

		json_object_object_add(m, "cpu_model",
		    json_object_new_string_len(model, (int)l));
	} else
		add_str(m, "cpu_model", "");
	add_u64(m, "cpu_frequency_khz", cpu_freq_khz(p, cpuinfo));
	add_u64(m, "memory_capacity", memtotal);
	add_u64(m, "swap_capacity", swap);
	snprintf(hp, sizeof(hp), "%s/kernel/mm/hugepages", p->sys);
	json_object_object_add(m, "hugepages", hugepages(hp));
	add_str(m, "machine_id", readf(p->etc, "machine-id", buf,
	    sizeof(buf)) > 0 ? buf : "");
	add_str(m, "system_uuid", readf(p->sys, "class/dmi/id/product_uuid", buf,
	    sizeof(buf)) > 0 ? buf : "");
	add_str(m, "boot_id", readf(p->proc, "sys/kernel/random/boot_id", buf,
	    sizeof(buf)) > 0 ? buf : "");
	json_object_object_add(m, "network_devices", net_devices(p->sys));
	json_object_object_add(m, "disk_map", disk_map(p->sys));
	json_object_object_add(m, "filesystems", filesystems(p->mountinfo, p->root));
	json_object_object_add(m, "memory_by_type", edac_memory_by_type(p->sys));
	free(cpuinfo);
	free(cpus);
	return m;
}

struct json_object *
version_info(const struct machine_paths *p)
{
	struct json_object *v = json_object_new_object();
	char buf[4096], os[256] = "";
	const char *q;

	if (v == NULL)
		return NULL;
	add_str(v, "kernel_version", readf(p->proc, "sys/kernel/osrelease", buf,
	    sizeof(buf)) > 0 ? buf : "");
	if (readf(p->etc, "os-release", buf, sizeof(buf)) > 0 &&
	    (q = strstr(buf, "PRETTY_NAME=")) != NULL) {
		size_t l;

		q += 12;
		if (*q == '"')
			q++;
		l = strcspn(q, "\"\n");
		if (l >= sizeof(os))
			l = sizeof(os) - 1;
		memcpy(os, q, l);
		os[l] = '\0';
	}
	add_str(v, "container_os_version", os);
	add_str(v, "docker_version", "");
	add_str(v, "docker_api_version", "");
	add_str(v, "cadvisor_version", CADV_VERSION);
	add_str(v, "cadvisor_revision", cadv_revision);
	return v;
}
