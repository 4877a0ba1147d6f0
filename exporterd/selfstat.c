/*
 * cadv's own health for Prometheus, as cadvctl health and cadv-health
 * judge it: how old each daemon's heartbeat is and how full the store's
 * map is, so that alerting rules can see a stalled collectord or a store
 * about to fill without a shell on the node.  A heartbeat never written
 * is +Inf rather than absent, so that "age > N" fires for a collectord
 * that never ran as for one that stopped.
 */
#include <string.h>

#include "selfstat.h"

/* the writers whose heartbeat cadvctl health judges (identd's is not
 * there on a host without runtimes) */
static const enum cadv_writer daemons[] = { CADV_W_COLLECTORD, CADV_W_EVENTD };

int
selfstat_read(struct cadv_txn *txn, struct selfstat *s)
{
	size_t i;
	int rc;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		rc = cadv_heartbeat(txn, daemons[i], &s->hb_ns[i]);
		if (rc == CADV_NOTFOUND)
			s->hb_ns[i] = 0;
		else if (rc != 0)
			return rc;
	}
	rc = cadv_interval(txn, &s->interval_ns);
	if (rc == CADV_NOTFOUND) {
		s->interval_ns = 0;
		rc = 0;
	}
	return rc;
}

void
selfstat_metrics(struct buf *out, struct cadv *db, const struct selfstat *s,
    uint64_t now_ns)
{
	struct cadv_usage u;
	const char *name;
	size_t i;

	buf_puts(out, "# HELP cadv_heartbeat_age_seconds Seconds since the "
	    "daemon's last heartbeat in the store (+Inf: never).\n"
	    "# TYPE cadv_heartbeat_age_seconds gauge\n");
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		name = cadv_writer_name(daemons[i]);
		/* a clock stepped back makes a heartbeat "in the future": 0 */
		if (s->hb_ns[i] == 0)
			buf_printf(out, "cadv_heartbeat_age_seconds{daemon=\"%s\"} "
			    "+Inf\n", name);
		else
			buf_printf(out, "cadv_heartbeat_age_seconds{daemon=\"%s\"} "
			    "%.3f\n", name, now_ns > s->hb_ns[i] ?
			    (double)(now_ns - s->hb_ns[i]) / 1e9 : 0.0);
	}
	if (s->interval_ns != 0)
		buf_printf(out, "# HELP cadv_collect_interval_seconds "
		    "collectord's housekeeping interval (its tick) in seconds.\n"
		    "# TYPE cadv_collect_interval_seconds gauge\n"
		    "cadv_collect_interval_seconds %.9g\n",
		    (double)s->interval_ns / 1e9);
	if (cadv_usage(db, &u) != 0 || u.map_size == 0)
		return;
	buf_printf(out, "# HELP cadv_store_map_size_bytes Size of the store's "
	    "LMDB map in bytes.\n# TYPE cadv_store_map_size_bytes gauge\n"
	    "cadv_store_map_size_bytes %zu\n"
	    "# HELP cadv_store_map_used_bytes Bytes of the store's LMDB map up "
	    "to its last page in use.\n# TYPE cadv_store_map_used_bytes gauge\n"
	    "cadv_store_map_used_bytes %zu\n"
	    "# HELP cadv_store_map_used_ratio Fraction of the store's LMDB map "
	    "in use (a full map stops collectord's writes).\n"
	    "# TYPE cadv_store_map_used_ratio gauge\n"
	    "cadv_store_map_used_ratio %.6f\n",
	    u.map_size, u.used, (double)u.used / (double)u.map_size);
}
