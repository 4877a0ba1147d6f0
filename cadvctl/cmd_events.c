/* cadvctl events: history from the store (cadv_events, the one event
 * query); --follow subscribes on eventd's socket (stored history it asks
 * for, then live events).  Each event names its container's identity
 * (eventd joins its own; history is joined here, at the event's time). */
#include <bsd/stdlib.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cadvctl.h"
#include "clock.h"
#include "duration.h"
#include "evclient.h"
#include "jsonfmt.h"

static int
parse_time(const char *opt, const char *s, uint64_t *ns)
{
	uint64_t ago;

	if (clock_parse_rfc3339(s, ns) == 0)
		return 0;
	if (duration_parse(s, &ago) == 0 && ago <= clock_now_ns()) {
		*ns = clock_now_ns() - ago;	/* "10m": ten minutes ago */
		return 0;
	}
	fprintf(stderr, "cadvctl: %s %s: an RFC 3339 time or a duration ago "
	    "(10m)\n", opt, s);
	return -1;
}

/* " key=value" of the identity object c, when present; values are
 * already in cgname_escape's form (jsonfmt_name) */
static void
put_ident_field(struct json_object *c, const char *key, const char *as)
{
	struct json_object *v;

	if (json_object_object_get_ex(c, key, &v) &&
	    json_object_get_string_len(v) > 0)
		printf("  %s=%s", as, json_object_get_string(v));
}

static void
print_text(struct json_object *e)
{
	struct json_object *v, *oom, *c, *del;

	if (json_object_object_get_ex(e, "dropped", &v)) {
		printf("(%s events dropped: this reader was too slow)\n",
		    json_object_get_string(v));
		return;
	}
	printf("%s %-18s %s",
	    json_object_object_get_ex(e, "timestamp", &v) ?
	    json_object_get_string(v) : "?",
	    json_object_object_get_ex(e, "event_type", &v) ?
	    json_object_get_string(v) : "?",
	    json_object_object_get_ex(e, "container_name", &v) ?
	    json_object_get_string(v) : "?");
	if (json_object_object_get_ex(e, "container", &c) &&
	    json_object_is_type(c, json_type_object)) {
		struct json_object *ns, *pod;

		put_ident_field(c, "name", "name");
		put_ident_field(c, "image", "image");
		if (json_object_object_get_ex(c, "pod", &pod)) {
			printf("  pod=");
			if (json_object_object_get_ex(c, "namespace", &ns))
				printf("%s/", json_object_get_string(ns));
			printf("%s", json_object_get_string(pod));
		}
		put_ident_field(c, "container", "container");
	}
	if (json_object_object_get_ex(e, "event_data", &v) &&
	    json_object_object_get_ex(v, "container_deletion", &del) &&
	    json_object_object_get_ex(del, "oom_killed", &oom)) {
		/* only an identity sets oom_killed: the exit code is real */
		struct json_object *code;

		if (json_object_object_get_ex(del, "exit_code", &code))
			printf("  exit %d", json_object_get_int(code));
		if (json_object_get_boolean(oom))
			printf(" (OOM killed)");
	}
	if (json_object_object_get_ex(e, "event_data", &v) &&
	    json_object_object_get_ex(v, "oom", &oom)) {
		struct json_object *pid, *name, *victim, *fc;

		if (json_object_object_get_ex(oom, "from_counter", &fc) &&
		    json_object_get_boolean(fc))
			printf("  (from the oom_kill counter)");
		else if (json_object_object_get_ex(oom, "pid", &pid) &&
		    json_object_object_get_ex(oom, "process_name", &name))
			printf("  pid %s (%s)", json_object_get_string(pid),
			    json_object_get_string(name));
		if (json_object_object_get_ex(oom, "victim_container_name",
		    &victim) && json_object_get_string_len(victim) > 0)
			printf("  limit of %s", json_object_get_string(victim));
	}
	putchar('\n');
}

struct hist {
	struct cadv_txn		*txn;
	struct cadv_ident	*id;
	struct json_object	*arr;
};

/* An event as printed, joined to its container's identity at its time
 * (in the snapshot it was read in). */
static int
hist_fn(const struct cadv_event *e, void *arg)
{
	struct hist *h = arg;
	struct json_object *o = jsonfmt_event(e);
	int rc = CADV_NOTFOUND;

	json_object_array_add(h->arr, o);
	if (e->container_len > 0)
		rc = cadv_ident_find(h->txn, e->container, e->container_len,
		    e->ts_ns, h->id);
	if (rc == 0)
		jsonfmt_event_ident(o, e, h->id);
	return rc == CADV_NOTFOUND ? 0 : rc;
}

static int
history(struct ctl *ctl, struct cadv_event_request *req, int json)
{
	struct hist h = { NULL, NULL, json_object_new_array() };
	size_t i;
	int rc;

	if ((h.id = ctl_ident_alloc()) == NULL) {
		json_object_put(h.arr);
		return CTL_STORE;
	}
	if ((rc = cadv_begin(ctl->db, &h.txn)) != 0) {
		free(h.id);
		json_object_put(h.arr);
		return ctl_store_error(ctl, "read transaction", rc);
	}
	/* the newest max, oldest first (cAdvisor's MaxEventsReturned) */
	rc = cadv_events(h.txn, req, hist_fn, &h);
	cadv_end(h.txn);
	free(h.id);
	if (rc != 0) {
		json_object_put(h.arr);
		return ctl_store_error(ctl, "events", rc);
	}
	if (json)
		ctl_print_json(h.arr);
	else {
		for (i = 0; i < json_object_array_length(h.arr); i++)
			print_text(json_object_array_get_idx(h.arr, i));
		json_object_put(h.arr);
	}
	return CTL_OK;
}

static int
follow(struct ctl *ctl, const char *sock, struct json_object *reqdoc,
    int json)
{
	struct evclient *ec;
	struct json_object *e, *msg;
	char path[PATH_MAX], err[PATH_MAX + 128];
	const char *line;
	size_t len;

	if (sock == NULL) {
		if ((size_t)snprintf(path, sizeof(path), "%s/events.sock",
		    ctl->store_dir) >= sizeof(path)) {
			fprintf(stderr, "cadvctl: store path too long\n");
			return CTL_USAGE;
		}
		sock = path;
	}
	/* its 64 KiB line buffer: not on the stack */
	if ((ec = malloc(sizeof(*ec))) == NULL) {
		fprintf(stderr, "cadvctl: %s\n", strerror(errno));
		return CTL_STORE;
	}
	if (evclient_open(ec, sock, reqdoc, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadvctl: %s\n", err);
		free(ec);
		return CTL_STORE;
	}
	while (evclient_next(ec, &line, &len, &e) == 1) {
		if (e != NULL && json_object_object_get_ex(e, "error", &msg)) {
			fprintf(stderr, "cadvctl: eventd: %s\n",
			    json_object_get_string(msg));
			json_object_put(e);
			evclient_close(ec);
			free(ec);
			return CTL_STORE;
		}
		if (json)
			printf("%.*s\n", (int)len, line);
		else if (e != NULL)
			print_text(e);
		json_object_put(e);
		if (fflush(stdout) == EOF)
			break;
	}
	evclient_close(ec);
	free(ec);
	return CTL_OK;
}

/* --container: a cgroup path, or the cgroup of the runtime container a
 * name, id or namespace/pod/container resolves to (ctl_target).  A name
 * that is neither is taken as a path, as before identities: events
 * outlive their containers, so no record is needed; a note says so. */
static int
events_target(struct ctl *ctl, const char *arg, char *name, size_t *len)
{
	struct cadv_container c;
	struct cadv_txn *txn;
	int rc, resolved;

	if ((rc = cadv_begin(ctl->db, &txn)) != 0)
		return ctl_store_error(ctl, "read transaction", rc);
	rc = ctl_target(ctl, txn, arg, name, len, NULL, &resolved);
	if (rc == CTL_OK && !resolved && arg[0] != '/' &&
	    cadv_container_find(txn, name, *len, &c) == CADV_NOTFOUND) {
		fprintf(stderr, "cadvctl: --container: no runtime container "
		    "has that name, id or namespace/pod/container, and no "
		    "container that cgroup; reading it as the cgroup ");
		cgname_fputs(name, *len, stderr);
		fputc('\n', stderr);
	}
	cadv_end(txn);
	return rc;
}

int
cmd_events(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "container", required_argument, NULL, 'c' },
		{ "subcontainers", no_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "max", required_argument, NULL, 'n' },
		{ "follow", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 'S' },
		CTL_OPT_RAW_NAME,
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *doc = json_object_new_object(), *types = NULL;
	struct cadv_event_request req;
	const char *sock = NULL, *errstr, *container = NULL;
	static char name[CGNAME_MAX], raw[CGNAME_ESCAPED_MAX(CGNAME_MAX)];
	size_t nlen;
	int ch, json = 0, fol = 0, rc;

	cadv_event_request_init(&req);
	while ((ch = getopt_long(argc, argv, "t:c:rs:u:n:fjS:", opts, NULL)) != -1) {
		switch (ch) {
		case 't': {
			char *dup = strdup(optarg), *t, *save = NULL;
			enum cadv_event_type et;

			req.types = 0;
			types = json_object_new_array();
			for (t = strtok_r(dup, ",", &save); t != NULL;
			    t = strtok_r(NULL, ",", &save)) {
				if (cadv_event_type_parse(t, &et) != 0) {
					fprintf(stderr, "cadvctl: unknown event "
					    "type %s (oom, oom_kill, "
					    "container_creation, "
					    "container_deletion)\n", t);
					free(dup);
					rc = CTL_USAGE;
					goto out;
				}
				req.types |= 1u << et;
				json_object_array_add(types,
				    json_object_new_string(cadv_event_type_name(et)));
			}
			free(dup);
			break;
		}
		case 'c':
			/* read once --raw-name, wherever it stands, is known */
			container = optarg;
			break;
		case 'R':
			ctl->raw_name = 1;
			break;
		case 'r':
			req.subcontainers = 1;
			json_object_object_add(doc, "subcontainers",
			    json_object_new_boolean(1));
			break;
		case 's':
		case 'u':
			if (parse_time(ch == 's' ? "--since" : "--until", optarg,
			    ch == 's' ? &req.start_ns : &req.end_ns) == -1) {
				rc = CTL_USAGE;
				goto out;
			}
			json_object_object_add(doc, ch == 's' ? "start_time" :
			    "end_time", jsonfmt_time(ch == 's' ? req.start_ns :
			    req.end_ns));
			break;
		case 'n':
			req.max = strtonum(optarg, -1, INT64_MAX, &errstr);
			if (errstr != NULL) {
				fprintf(stderr, "cadvctl: --max %s: %s (-1 for "
				    "all)\n", optarg, errstr);
				rc = CTL_USAGE;
				goto out;
			}
			json_object_object_add(doc, "max_events",
			    json_object_new_int64(req.max));
			break;
		case 'f':
			fol = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'S':
			sock = optarg;
			break;
		default:
			rc = CTL_USAGE;
			goto out;
		}
	}
	if (optind != argc || (fol && req.end_ns != 0)) {
		fprintf(stderr, "usage: cadvctl events [--type T,...] "
		    "[--container NAME] [--raw-name] [--subcontainers] "
		    "[--since T] [--until T] [--max N] [--follow] [--json]   "
		    "(--follow takes no --until)\n");
		rc = CTL_USAGE;
		goto out;
	}
	/* a malformed name is a usage error before the store is opened */
	if (container != NULL && (rc = ctl_raw(ctl, container, raw, &nlen)) !=
	    CTL_OK)
		goto out;
	if ((rc = ctl_open(ctl)) != CTL_OK)
		goto out;
	if (container != NULL) {
		if ((rc = events_target(ctl, container, name, &nlen)) != CTL_OK)
			goto out;
		memcpy(req.container, name, nlen);
		req.container_len = nlen;
		/* eventd reads names in the printed form */
		json_object_object_add(doc, "container",
		    jsonfmt_name(name, nlen));
	}
	if (types != NULL) {
		json_object_object_add(doc, "types", types);
		types = NULL;
	}
	rc = fol ? follow(ctl, sock, doc, json) : history(ctl, &req, json);
out:
	json_object_put(types);
	json_object_put(doc);
	return rc;
}
