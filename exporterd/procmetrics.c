/*
 * The process_* families the Prometheus client libraries give every
 * exporter (cAdvisor's through client_golang): exporterd's own, from
 * /proc/self, and each other daemon's as it stored them with its
 * heartbeat (libcadv/storeproc.c).  cadv is several processes: every
 * series says whose it is in a label `daemon`, exporterd's too, so that a
 * family's series share their label names and sum to cadv's whole.
 */
#include <stdint.h>
#include <string.h>

#include "procmetrics.h"
#include "procself.h"

static const struct {
	const char		*name, *type, *help;
	enum cadv_process_field	 f;
	double			 scale;
} fams[] = {
	{ "process_cpu_seconds_total", "counter",
	    "Total user and system CPU time spent in seconds.", CADV_PF_CPU, 1e-9 },
	{ "process_max_fds", "gauge",
	    "Maximum number of open file descriptors.", CADV_PF_MAX_FDS, 1 },
	{ "process_open_fds", "gauge",
	    "Number of open file descriptors.", CADV_PF_OPEN_FDS, 1 },
	{ "process_resident_memory_bytes", "gauge",
	    "Resident memory size in bytes.", CADV_PF_RSS, 1 },
	{ "process_start_time_seconds", "gauge",
	    "Start time of the process since unix epoch in seconds.",
	    CADV_PF_START, 1e-9 },
	{ "process_virtual_memory_bytes", "gauge",
	    "Virtual memory size in bytes.", CADV_PF_VSIZE, 1 },
};

static int
has(const struct cadv_process *p, enum cadv_process_field f)
{
	return (p->present >> f) & 1;
}

static double
value(const struct cadv_process *p, enum cadv_process_field f, double scale)
{
	/* client_golang's -1 for no limit */
	if (f == CADV_PF_MAX_FDS && p->v[f] == CADV_UNLIMITED)
		return -1;
	return (double)p->v[f] * scale;
}

void
procmetrics(struct buf *out, const struct cadv_process *others)
{
	struct cadv_process self;
	char val[64];
	size_t i, d;
	int any;

	(void)procself_read(&self);
	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		any = has(&self, fams[i].f);
		for (d = 0; d < PROC_DAEMONS; d++)
			any |= has(&others[d], fams[i].f);
		if (!any)
			continue;
		buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", fams[i].name,
		    fams[i].help, fams[i].name, fams[i].type);
		if (has(&self, fams[i].f)) {
			fmt_value(val, sizeof(val), value(&self, fams[i].f,
			    fams[i].scale));
			buf_printf(out, "%s{daemon=\"exporterd\"} %s\n",
			    fams[i].name, val);
		}
		for (d = 0; d < PROC_DAEMONS; d++) {
			if (!has(&others[d], fams[i].f))
				continue;
			fmt_value(val, sizeof(val), value(&others[d],
			    fams[i].f, fams[i].scale));
			buf_printf(out, "%s{daemon=\"%s\"} %s %llu\n",
			    fams[i].name,
			    cadv_writer_name((enum cadv_writer)d), val,
			    (unsigned long long)(others[d].written_ns /
			    1000000));
		}
	}
}
