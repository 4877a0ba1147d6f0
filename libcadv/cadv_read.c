/* The public reads of containers, samples, minutes, identities, layers,
 * documents and filesystems: each the store's own read (store.h and the
 * store*.h beside it) under a snapshot. */
#include <errno.h>
#include <string.h>

#include "cadv_impl.h"
#include "ident.h"
#include "storedisk.h"
#include "storeident.h"
#include "storelayer.h"
#include "storeminute.h"
#include "storeproc.h"

#define TX(t)	(t)->st, (t)->txn

CADV_EXPORT int
cadv_container_find(struct cadv_txn *t, const char *name, size_t len,
    struct cadv_container *c)
{
	return store_container_find(TX(t), name, len, c);
}

CADV_EXPORT int
cadv_container_get(struct cadv_txn *t, uint64_t id, struct cadv_container *c)
{
	return store_container_get(TX(t), id, c);
}

CADV_EXPORT int
cadv_containers_each(struct cadv_txn *t, cadv_container_cb cb, void *arg)
{
	return store_containers_each(TX(t), cb, arg);
}

CADV_EXPORT int
cadv_sample_latest(struct cadv_txn *t, uint64_t id, uint64_t *ts,
    struct cadv_sample *s)
{
	return store_sample_latest(TX(t), id, ts, s);
}

CADV_EXPORT int
cadv_samples_range(struct cadv_txn *t, uint64_t id, uint64_t from,
    uint64_t to, cadv_sample_cb cb, void *arg)
{
	return store_samples_range(TX(t), id, from, to, cb, arg);
}

CADV_EXPORT int
cadv_samples_last(struct cadv_txn *t, uint64_t id, size_t n,
    cadv_sample_cb cb, void *arg)
{
	return store_samples_last(TX(t), id, n, cb, arg);
}

CADV_EXPORT const char *
cadv_sample_field_path(enum cadv_sample_field f)
{
	return (unsigned)f < CADV_SF_COUNT ? sample_fields[f].path : NULL;
}

CADV_EXPORT const char *
cadv_sample_field_unit(enum cadv_sample_field f)
{
	return (unsigned)f < CADV_SF_COUNT ? sample_fields[f].unit : NULL;
}

CADV_EXPORT const char *
cadv_spec_field_path(enum cadv_spec_field f)
{
	return (unsigned)f < CADV_SP_COUNT ? spec_fields[f].path : NULL;
}

CADV_EXPORT const char *
cadv_diskio_counter_name(enum cadv_diskio_counter c)
{
	return (unsigned)c < CADV_DX_COUNT ? diskio_counters[c].path : NULL;
}

CADV_EXPORT int
cadv_minutes_range(struct cadv_txn *t, uint64_t id, uint64_t from,
    uint64_t to, cadv_minute_cb cb, void *arg)
{
	return store_minutes_range(TX(t), id, from, to, cb, arg);
}

CADV_EXPORT int
cadv_ident_find(struct cadv_txn *t, const char *cgroup, size_t len,
    uint64_t at_ns, struct cadv_ident *id)
{
	return store_ident_find(TX(t), cgroup, len, at_ns, id);
}

CADV_EXPORT int
cadv_idents_each(struct cadv_txn *t, cadv_ident_cb cb, void *arg)
{
	return store_idents_each(TX(t), cb, arg);
}

CADV_EXPORT int
cadv_ident_resolve(struct cadv_txn *t, const char *query, size_t len,
    struct cadv_ident *id, size_t *nmatch)
{
	return store_ident_resolve(TX(t), query, len, id, nmatch);
}

CADV_EXPORT int
cadv_ident_matches(struct cadv_txn *t, const char *query, size_t len,
    cadv_ident_cb cb, void *arg)
{
	return store_ident_matches(TX(t), query, len, cb, arg);
}

CADV_EXPORT int
cadv_ident_belongs(const struct cadv_ident *id, const struct cadv_container *c)
{
	return id->gone_ns == 0 || id->gone_ns >= c->created_ns;
}

CADV_EXPORT int
cadv_container_ident(struct cadv_txn *t, const struct cadv_container *c,
    struct cadv_ident *id)
{
	int rc = store_ident_find(TX(t), c->name, c->name_len, 0, id);

	if (rc == 0 && !cadv_ident_belongs(id, c))
		rc = CADV_NOTFOUND;
	return rc;
}

CADV_EXPORT int
cadv_ident_container(struct cadv_txn *t, const struct cadv_ident *id,
    struct cadv_container *c)
{
	const char *cg;
	size_t cl;
	int rc;

	cg = ident_get(id, CADV_IS_CGROUP, &cl);
	if (cl == 0 || cl > CADV_NAME_MAX)
		return CADV_NOTFOUND;
	rc = store_container_find(TX(t), cg, cl, c);
	if (rc == 0 && (c->deleted_ns != 0 || !cadv_ident_belongs(id, c)))
		rc = CADV_NOTFOUND;
	return rc;
}

CADV_EXPORT const char *
cadv_ident_str(const struct cadv_ident *id, enum cadv_ident_str which,
    size_t *len)
{
	size_t n;

	if ((unsigned)which >= CADV_IS_COUNT) {
		if (len != NULL)
			*len = 0;
		return "";
	}
	return ident_get(id, which, len != NULL ? len : &n);
}

CADV_EXPORT const char *
cadv_ident_str_name(enum cadv_ident_str which)
{
	return (unsigned)which < CADV_IS_COUNT ? ident_str_name(which) : NULL;
}

CADV_EXPORT const char *
cadv_ident_label(const struct cadv_ident *id, const char *key)
{
	return ident_label(id, key);
}

static int
kv_at(const struct cadv_ident *id, const struct cadv_ident_kv *kv,
    uint32_t n, size_t i, const char **k, const char **v)
{
	if (i >= n)
		return CADV_NOTFOUND;
	*k = ident_span_str(id, kv[i].k);
	*v = ident_span_str(id, kv[i].v);
	return 0;
}

CADV_EXPORT int
cadv_ident_label_at(const struct cadv_ident *id, size_t i, const char **k,
    const char **v)
{
	return kv_at(id, id->labels, id->nlabels, i, k, v);
}

CADV_EXPORT int
cadv_ident_env_at(const struct cadv_ident *id, size_t i, const char **k,
    const char **v)
{
	return kv_at(id, id->env, id->nenv, i, k, v);
}

CADV_EXPORT const char *
cadv_runtime_name(enum cadv_runtime rt)
{
	return ident_runtime_name(rt);
}

CADV_EXPORT int
cadv_layer_get(struct cadv_txn *t, const char *cgroup, size_t len,
    uint64_t seen_ns, struct cadv_layer *l)
{
	return store_layer_get(TX(t), cgroup, len, seen_ns, l);
}

CADV_EXPORT int
cadv_machine_info(struct cadv_txn *t, const char **json, size_t *len)
{
	const void *p;
	int rc;

	if ((rc = store_meta_get_blob(TX(t), META_MACHINE, &p, len)) == 0)
		*json = p;
	return rc;
}

CADV_EXPORT int
cadv_version_info(struct cadv_txn *t, const char **json, size_t *len)
{
	const void *p;
	int rc;

	if ((rc = store_meta_get_blob(TX(t), META_VERSION, &p, len)) == 0)
		*json = p;
	return rc;
}

CADV_EXPORT int
cadv_interval(struct cadv_txn *t, uint64_t *ns)
{
	return store_meta_get_u64(TX(t), META_INTERVAL, ns);
}

CADV_EXPORT int
cadv_storage_duration(struct cadv_txn *t, uint64_t *ns)
{
	return store_meta_get_u64(TX(t), META_RETENTION, ns);
}

CADV_EXPORT int
cadv_heartbeat(struct cadv_txn *t, enum cadv_writer w, uint64_t *ts)
{
	const char *name = cadv_writer_name(w);

	return name != NULL ? store_heartbeat_get(TX(t), name, ts) : EINVAL;
}

CADV_EXPORT int
cadv_process(struct cadv_txn *t, enum cadv_writer w, struct cadv_process *p)
{
	const char *name = cadv_writer_name(w);

	return name != NULL ? store_process_get(TX(t), name, p) : EINVAL;
}

CADV_EXPORT int
cadv_fs_latest(struct cadv_txn *t, uint32_t major, uint32_t minor,
    uint64_t *ts, struct cadv_fs *fs)
{
	return store_fs_latest(TX(t), major, minor, ts, fs);
}

CADV_EXPORT int
cadv_fs_at(struct cadv_txn *t, uint32_t major, uint32_t minor,
    uint64_t at, uint64_t *ts, struct cadv_fs *fs)
{
	return store_fs_at(TX(t), major, minor, at, ts, fs);
}

CADV_EXPORT int
cadv_diskstats_latest(struct cadv_txn *t, uint32_t major, uint32_t minor,
    uint64_t *ts, struct cadv_disk_stats *d)
{
	return store_diskstats_latest(TX(t), major, minor, ts, d);
}

CADV_EXPORT int
cadv_diskstats_at(struct cadv_txn *t, uint32_t major, uint32_t minor,
    uint64_t at, uint64_t *ts, struct cadv_disk_stats *d)
{
	return store_diskstats_at(TX(t), major, minor, at, ts, d);
}

#define X_WRITER(e, n) [CADV_W_##e] = n,
static const char *const writer_names[CADV_W_COUNT] = {
	CADV_WRITERS(X_WRITER)
};
#undef X_WRITER

CADV_EXPORT const char *
cadv_writer_name(enum cadv_writer w)
{
	return (unsigned)w < CADV_W_COUNT ? writer_names[w] : NULL;
}
