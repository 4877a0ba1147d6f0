/* rtscan: runs the runtime sources (libparse/rtsource.h) once and prints
 * each identity found as one JSON line on stdout, then one line a source
 * on stderr with what it found and could not read.  For tests of the
 * sources against live runtimes; identd does the same in a loop. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonfmt.h"
#include "rtsource.h"

#define ENV_MAX	64

static int
print_ident(void *arg, const struct cadv_ident *id)
{
	struct json_object *o = jsonfmt_ident(id);

	(void)arg;
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: rtscan [--host DIR] [--containerd-state DIR] "
	    "[--containerd-root DIR] [--docker-root DIR] [--storage-root DIR] "
	    "[--storage-runroot DIR] [--env NAME]... [--source NAME]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "containerd-state", required_argument, NULL, 's' },
		{ "containerd-root", required_argument, NULL, 'r' },
		{ "docker-root", required_argument, NULL, 'd' },
		{ "storage-root", required_argument, NULL, 'S' },
		{ "storage-runroot", required_argument, NULL, 'R' },
		{ "env", required_argument, NULL, 'e' },
		{ "source", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env[ENV_MAX], *only = NULL;
	struct rt_config cfg;
	struct rt_scan_stats st;
	size_t i, nenv = 0;
	int c, rc, status = 0, ran = 0;

	rt_config_default(&cfg);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': cfg.host = optarg; break;
		case 's': cfg.containerd_state = optarg; break;
		case 'r': cfg.containerd_root = optarg; break;
		case 'd': cfg.docker_root = optarg; break;
		case 'S': cfg.storage_root = optarg; break;
		case 'R': cfg.storage_runroot = optarg; break;
		case 'e':
			if (nenv == ENV_MAX)
				usage();
			env[nenv++] = optarg;
			break;
		case 'o': only = optarg; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	cfg.env_allow = env;
	cfg.nenv_allow = nenv;
	for (i = 0; i < rt_nsources; i++) {
		if (only != NULL && strcmp(only, rt_sources[i].name) != 0)
			continue;
		ran++;
		memset(&st, 0, sizeof(st));
		rc = rt_sources[i].scan(&cfg, print_ident, NULL, &st);
		fprintf(stderr, "rtscan: %s: found %u, unreadable %u, "
		    "malformed %u%s%s%s\n", rt_sources[i].name, st.found,
		    st.unreadable, st.malformed, st.first_error[0] ? " (" : "",
		    st.first_error, st.first_error[0] ? ")" : "");
		if (rc != 0)
			status = 1;
	}
	if (only != NULL && ran == 0) {
		fprintf(stderr, "rtscan: no source named %s\n", only);
		return 2;
	}
	return status;
}
