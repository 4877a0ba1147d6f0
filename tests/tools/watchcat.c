/* watchcat: prints what cadv_watch_next returns, one line a call, through
 * cadv.h alone (tests/integration/cadv_watch.sh):
 *   event SEQ TYPE CONTAINER [pid=N comm=C victim=V counter=0|1]
 *   dropped N | timeout | corrupt WHY | refused WHY | end
 *   watchcat [--socket PATH] [--container NAME] [--subcontainers]
 *       [--types T,...] [--max N] [--timeout MS] [--events N]
 * It stops after N events (--events), at a timeout, at the end of the
 * stream or on a refusal; a failure to subscribe exits 1 with the sentence. */
#include <bsd/stdlib.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cadv.h"

static int
types_parse(char *s, uint32_t *types)
{
	enum cadv_event_type t;
	char *tok, *save = NULL;

	*types = 0;
	for (tok = strtok_r(s, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (cadv_event_type_parse(tok, &t) != 0)
			return -1;
		*types |= 1u << t;
	}
	return 0;
}

static void
print_event(const struct cadv_event *e)
{
	printf("event %llu %s %.*s", (unsigned long long)e->seq,
	    cadv_event_type_name(e->type), (int)e->container_len,
	    e->container);
	if (e->type == CADV_EV_OOM_KILL)
		printf(" pid=%u comm=%.*s victim=%.*s counter=%d", e->pid,
		    (int)e->comm_len, e->comm, (int)e->victim_len, e->victim,
		    (e->flags & CADV_EVF_FROM_COUNTER) != 0);
	putchar('\n');
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "container", required_argument, NULL, 'c' },
		{ "subcontainers", no_argument, NULL, 'r' },
		{ "types", required_argument, NULL, 't' },
		{ "max", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "events", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	static struct cadv_event_request r;
	static struct cadv_event e;
	struct cadv_watch *w;
	const char *sock = NULL, *errstr = NULL;
	char err[4096];
	long long timeout = -1, want = -1, seen = 0;
	uint64_t dropped;
	int ch, rc;

	cadv_event_request_init(&r);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'S':
			sock = optarg;
			break;
		case 'c':
			if ((r.container_len = strlen(optarg)) > CADV_NAME_MAX)
				errstr = "too long";
			else
				memcpy(r.container, optarg, r.container_len);
			break;
		case 'r':
			r.subcontainers = 1;
			break;
		case 't':
			if (types_parse(optarg, &r.types) == -1)
				errstr = "unknown type";
			break;
		case 'n':
			r.max = strtonum(optarg, -1, INT64_MAX, &errstr);
			break;
		case 'T':
			timeout = strtonum(optarg, -1, 3600000, &errstr);
			break;
		case 'e':
			want = strtonum(optarg, 1, 1000000, &errstr);
			break;
		default:
			errstr = "unknown option";
		}
		if (errstr != NULL) {
			fprintf(stderr, "watchcat: %s\n", errstr);
			return 2;
		}
	}
	if ((rc = cadv_watch_events(sock, &r, &w, err, sizeof(err))) != 0) {
		fprintf(stderr, "watchcat: %s\n", err);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (want < 0 || seen < want) {
		dropped = 0;
		rc = cadv_watch_next(w, (int)timeout, &e, &dropped);
		if (dropped != 0)
			printf("dropped %llu\n", (unsigned long long)dropped);
		if (rc == 0) {
			print_event(&e);
			seen++;
		} else if (rc == ETIMEDOUT) {
			printf("timeout\n");
			break;
		} else if (rc == CADV_CORRUPT)
			printf("corrupt %s\n", cadv_watch_error(w));
		else if (rc == ECONNABORTED) {
			printf("refused %s\n", cadv_watch_error(w));
			break;
		} else {
			printf("end%s%s\n", rc == CADV_NOTFOUND ? "" : " ",
			    rc == CADV_NOTFOUND ? "" : cadv_strerror(rc));
			break;
		}
	}
	cadv_watch_close(w);
	return 0;
}
