#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "edac.h"
#include "machine.h"
#include "unit.h"

static struct json_object *
load(const char *name)
{
	static char proc[4096], sys[4096], etc[4096];
	struct machine_paths p;
	struct json_object *m;

	snprintf(proc, sizeof(proc), "%s", unit_fixture(name));
	strcat(proc, "/proc");
	snprintf(sys, sizeof(sys), "%s/sys", unit_fixture(name));
	snprintf(etc, sizeof(etc), "%s/etc", unit_fixture(name));
	p.proc = proc;
	p.sys = sys;
	p.etc = etc;
	p.mountinfo = NULL;
	m = machine_info(&p);
	ck_assert_ptr_nonnull(m);
	return m;
}

static struct json_object *
get(struct json_object *o, const char *path)
{
	char key[64];
	const char *dot;

	while (o != NULL && *path != '\0') {
		size_t n;

		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		memcpy(key, path, n);
		key[n] = '\0';
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(key));
		else if (!json_object_object_get_ex(o, key, &o))
			o = NULL;
		path += n + (dot ? 1 : 0);
	}
	ck_assert_msg(o != NULL, "no %s", path);
	return o;
}

#define NUM(o, p)	json_object_get_uint64(get((o), (p)))
#define STR(o, p)	json_object_get_string(get((o), (p)))
#define LEN(o, p)	json_object_array_length(get((o), (p)))

START_TEST(two_socket_numa_with_hyperthreads)
{
	struct json_object *m = load("machine/numa2");

	ck_assert_uint_eq(NUM(m, "num_cores"), 8);
	ck_assert_uint_eq(NUM(m, "num_physical_cores"), 4);
	ck_assert_uint_eq(NUM(m, "num_sockets"), 2);
	ck_assert_uint_eq(NUM(m, "cpu_frequency_khz"), 3500000);
	ck_assert_str_eq(STR(m, "cpu_model"),
	    "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz");
	ck_assert_uint_eq(NUM(m, "memory_capacity"), 32384000ULL * 1024);
	ck_assert_uint_eq(NUM(m, "swap_capacity"), 2097148ULL * 1024);
	ck_assert_uint_eq(LEN(m, "topology"), 2);
	ck_assert_uint_eq(NUM(m, "topology.0.memory"), 16384000ULL * 1024);
	ck_assert_uint_eq(NUM(m, "topology.1.memory"), 16000000ULL * 1024);
	ck_assert_uint_eq(NUM(m, "topology.1.node_id"), 1);
	ck_assert_uint_eq(LEN(m, "topology.0.cores"), 2);
	ck_assert_uint_eq(NUM(m, "topology.0.cores.1.core_id"), 1);
	ck_assert_uint_eq(NUM(m, "topology.1.cores.0.socket_id"), 1);
	ck_assert_uint_eq(LEN(m, "topology.0.cores.0.thread_ids"), 2);
	ck_assert_uint_eq(NUM(m, "topology.0.cores.0.thread_ids.0"), 0);
	ck_assert_uint_eq(NUM(m, "topology.0.cores.0.thread_ids.1"), 4);
	ck_assert_uint_eq(NUM(m, "topology.1.cores.1.thread_ids.1"), 7);
	/* L1d, L1i, L2 per core; L3 once per node */
	ck_assert_uint_eq(LEN(m, "topology.0.cores.0.caches"), 3);
	ck_assert_uint_eq(NUM(m, "topology.0.cores.0.caches.2.size"), 1 << 20);
	ck_assert_str_eq(STR(m, "topology.0.cores.0.caches.1.type"),
	    "Instruction");
	ck_assert_uint_eq(LEN(m, "topology.1.caches"), 1);
	ck_assert_uint_eq(NUM(m, "topology.1.caches.0.level"), 3);
	ck_assert_uint_eq(NUM(m, "topology.1.caches.0.size"), 16ULL << 20);
	ck_assert_uint_eq(NUM(m, "topology.0.hugepages.0.num_pages"), 16);
	ck_assert_str_eq(STR(m, "machine_id"), "0123456789abcdef0123456789abcdef");
	ck_assert_str_eq(STR(m, "boot_id"), "0b7c1a0c-6ab4-4ac5-8f35-5d8d1f5bd6f1");
	ck_assert_str_eq(STR(m, "system_uuid"),
	    "4c4c4544-0042-3510-8052-b4c04f4e3732");
	/* loop devices are left out */
	ck_assert_uint_eq(json_object_object_length(get(m, "disk_map")), 2);
	ck_assert_uint_eq(NUM(m, "disk_map.8:0.size"), 1953525168ULL * 512);
	ck_assert_str_eq(STR(m, "disk_map.8:0.scheduler"), "bfq");
	ck_assert_str_eq(STR(m, "disk_map.259:0.scheduler"), "none");
	/* EDAC: mc0 dimm0, dimm1 and mc1 dimm0 registered (16 + 16 + 32
	 * GiB), mc1 dimm6 unbuffered 8 GiB; csrow0, power, mc_name passed
	 * over */
	ck_assert_uint_eq(json_object_object_length(get(m, "memory_by_type")),
	    2);
	ck_assert_uint_eq(NUM(m, "memory_by_type.Registered-DDR4.dimm_count"),
	    3);
	ck_assert_uint_eq(NUM(m, "memory_by_type.Registered-DDR4.capacity"),
	    64ULL << 30);
	ck_assert_uint_eq(NUM(m, "memory_by_type.Unbuffered-DDR4.dimm_count"),
	    1);
	ck_assert_uint_eq(NUM(m, "memory_by_type.Unbuffered-DDR4.capacity"),
	    8ULL << 30);
	json_object_put(m);
}
END_TEST

static void
put_file(const char *dir, const char *rel, const char *text)
{
	char path[4096], *slash;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = path + strlen(dir) + 1; (slash = strchr(slash, '/')) !=
	    NULL; slash++) {
		*slash = '\0';
		(void)mkdir(path, 0755);
		*slash = '/';
	}
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

/* a module whose size is not a number, or whose type cannot be read:
 * none at all, as cAdvisor answers any error of the walk */
START_TEST(edac_bad_files_give_none)
{
	static const char *const bad[] = { "-1\n", "16384 MB\n", "\n",
	    "99999999999999999999\n" };
	char *dir = unit_tmpdir();
	struct json_object *m;
	size_t i;

	put_file(dir, "devices/system/edac/mc/mc0/dimm0/dimm_mem_type",
	    "Registered-DDR4\n");
	put_file(dir, "devices/system/edac/mc/mc0/dimm0/size", "16384\n");
	m = edac_memory_by_type(dir);
	ck_assert_uint_eq(json_object_object_length(m), 1);
	json_object_put(m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_file(dir, "devices/system/edac/mc/mc0/dimm1/dimm_mem_type",
		    "Registered-DDR4\n");
		put_file(dir, "devices/system/edac/mc/mc0/dimm1/size", bad[i]);
		m = edac_memory_by_type(dir);
		ck_assert_msg(json_object_object_length(m) == 0,
		    "size \"%s\" counted", bad[i]);
		json_object_put(m);
	}
	put_file(dir, "devices/system/edac/mc/mc0/dimm1/size", "8192\n");
	put_file(dir, "devices/system/edac/mc/mc0/dimm2/size", "8192\n");
	m = edac_memory_by_type(dir);
	ck_assert_uint_eq(json_object_object_length(m), 0);
	json_object_put(m);
	unit_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(no_cpufreq_no_numa)
{
	struct json_object *m = load("machine/nofreq");

	ck_assert_uint_eq(NUM(m, "num_cores"), 2);
	ck_assert_uint_eq(NUM(m, "num_physical_cores"), 2);
	ck_assert_uint_eq(NUM(m, "num_sockets"), 1);
	/* the highest "cpu MHz" of /proc/cpuinfo */
	ck_assert_uint_eq(NUM(m, "cpu_frequency_khz"), 2600500);
	ck_assert_uint_eq(LEN(m, "topology"), 1);
	/* no node directory: one node with all the memory */
	ck_assert_uint_eq(NUM(m, "topology.0.memory"), 2048000ULL * 1024);
	ck_assert_uint_eq(LEN(m, "topology.0.cores"), 2);
	ck_assert_str_eq(STR(m, "machine_id"), "");
	ck_assert_uint_eq(LEN(m, "network_devices"), 0);
	/* no EDAC (a virtual machine): none */
	ck_assert_uint_eq(json_object_object_length(get(m, "memory_by_type")),
	    0);
	json_object_put(m);
}
END_TEST

START_TEST(version_from_fixture)
{
	struct machine_paths p;
	struct json_object *v;
	static char proc[4096], etc[4096];

	snprintf(proc, sizeof(proc), "%s/proc", unit_fixture("machine/numa2"));
	snprintf(etc, sizeof(etc), "%s/etc", unit_fixture("machine/numa2"));
	p.proc = proc;
	p.etc = etc;
	p.sys = "/nonexistent";
	p.mountinfo = NULL;
	v = version_info(&p);
	ck_assert_str_eq(STR(v, "kernel_version"), "5.15.0-91-generic");
	ck_assert_str_eq(STR(v, "container_os_version"), "Ubuntu 22.04.3 LTS");
	ck_assert_str_eq(STR(v, "cadvisor_version"), "0.1.0");
	json_object_put(v);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("machine");
	TCase *tc = tcase_create("machine");

	tcase_add_test(tc, two_socket_numa_with_hyperthreads);
	tcase_add_test(tc, no_cpufreq_no_numa);
	tcase_add_test(tc, version_from_fixture);
	tcase_add_test(tc, edac_bad_files_give_none);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
