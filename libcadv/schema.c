#include "schema.h"
#include "le.h"

#include <string.h>

#define X_SF(e, path, unit) [CADV_SF_##e] = { path, unit },
#define X_SP(e, path, unit) [CADV_SP_##e] = { path, unit },
#define X_DX(e, path, unit) [CADV_DX_##e] = { path, unit },
#define X_TABLE_NAME(e, name) const char TBL_##e[] = name;
CADV_TABLES(X_TABLE_NAME)
#undef X_TABLE_NAME
#define X_TABLE_NAME(e, name) [CADV_T_##e] = TBL_##e,
const char *const store_table_names[CADV_T_COUNT] = {
	CADV_TABLES(X_TABLE_NAME)
};
#undef X_TABLE_NAME

const struct field_desc sample_fields[CADV_SF_COUNT] = {
	CADV_SAMPLE_FIELDS(X_SF)
};
const struct field_desc spec_fields[CADV_SP_COUNT] = { CADV_SPEC_FIELDS(X_SP) };
const struct field_desc diskio_counters[CADV_DX_COUNT] = {
	CADV_DISKIO_COUNTERS(X_DX)
};
#undef X_SF
#undef X_SP
#undef X_DX

#define X_ROW(name, off, size) { off, size },
const struct layout_row container_header[] = { CONTAINER_HEADER(X_ROW) };
const struct layout_row event_header[] = { EVENT_HEADER(X_ROW) };
const struct layout_row fs_record[] = { FS_RECORD(X_ROW) };
const struct layout_row ident_header[] = { IDENT_HEADER(X_ROW) };
const struct layout_row minute_record[] = { MINUTE_RECORD(X_ROW) };
const struct layout_row diskstats_record[] = { DISKSTATS_RECORD(X_ROW) };
const struct layout_row process_record[] = { PROCESS_RECORD(X_ROW) };
const struct layout_row layer_record[] = { LAYER_RECORD(X_ROW) };
#undef X_ROW
const size_t container_header_rows =
    sizeof(container_header) / sizeof(container_header[0]);
const size_t event_header_rows =
    sizeof(event_header) / sizeof(event_header[0]);
const size_t fs_record_rows = sizeof(fs_record) / sizeof(fs_record[0]);
const size_t ident_header_rows =
    sizeof(ident_header) / sizeof(ident_header[0]);
const size_t minute_record_rows =
    sizeof(minute_record) / sizeof(minute_record[0]);
const size_t diskstats_record_rows =
    sizeof(diskstats_record) / sizeof(diskstats_record[0]);
/* encode and decode walk the counters by index: the rows must be them */
_Static_assert(DISKSTATS_VALUE_LEN == 8 * CADV_DS_COUNT &&
    DSR_WEIGHTED_IO_MS == 8 * CADV_DS_WEIGHTED_IO_MS &&
    DSR_IO_IN_PROGRESS == 8 * CADV_DS_IO_IN_PROGRESS,
    "diskstats record rows are the ds_counter order");
const size_t process_record_rows =
    sizeof(process_record) / sizeof(process_record[0]);
_Static_assert(PR_CPU + 8 * CADV_PF_COUNT == PROCESS_VALUE_LEN &&
    PR_MAX_FDS == PR_CPU + 8 * CADV_PF_MAX_FDS,
    "process record rows are the process_field order");
const size_t layer_record_rows =
    sizeof(layer_record) / sizeof(layer_record[0]);

static const struct {
	const char *name, *cadvisor;
} ev_names[CADV_EV_TYPE_MAX + 1] = {
	[CADV_EV_OOM] = { "oom", "oom" },
	[CADV_EV_OOM_KILL] = { "oom_kill", "oomKill" },
	[CADV_EV_CONTAINER_CREATION] = { "container_creation", "containerCreation" },
	[CADV_EV_CONTAINER_DELETION] = { "container_deletion", "containerDeletion" },
};

const char *
event_type_name(enum cadv_event_type t)
{
	return (t >= 1 && t <= CADV_EV_TYPE_MAX) ? ev_names[t].name : "unknown";
}

const char *
event_type_cadvisor(enum cadv_event_type t)
{
	return (t >= 1 && t <= CADV_EV_TYPE_MAX) ? ev_names[t].cadvisor : "unknown";
}

int
event_type_parse(const char *s, enum cadv_event_type *t)
{
	int i;

	for (i = 1; i <= CADV_EV_TYPE_MAX; i++)
		if (strcmp(s, ev_names[i].name) == 0 ||
		    strcmp(s, ev_names[i].cadvisor) == 0) {
			*t = (enum cadv_event_type)i;
			return 0;
		}
	return -1;
}


void
key_u64(unsigned char out[U64_KEY_LEN], uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		out[i] = (unsigned char)(v >> (56 - 8 * i));
}

uint64_t
key_u64_get(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void
val_u64(unsigned char out[8], uint64_t v)
{
	put64(out, v);
}

uint64_t
val_u64_get(const unsigned char *p)
{
	return get64(p);
}

uint32_t
val_u32_get(const unsigned char *p)
{
	return get32(p);
}

void
key_sample(unsigned char out[SAMPLE_KEY_LEN], uint64_t round, uint64_t id)
{
	key_u64(out, round);
	key_u64(out + 8, id);
}

void
key_fs(unsigned char out[FS_KEY_LEN], uint32_t major, uint32_t minor,
    uint64_t ts)
{
	key_u64(out, (uint64_t)major << 32 | minor);
	key_u64(out + 8, ts);
}

void
key_ident(unsigned char out[IDENT_KEY_LEN], const char *cgroup, size_t len,
    uint64_t seen_ns)
{
	key_u64(out, cgname_hash(cgroup, len));
	key_u64(out + 8, seen_ns);
}

void
key_minute(unsigned char out[MINUTE_KEY_LEN], uint64_t id, uint64_t start_ns)
{
	key_u64(out, id);
	key_u64(out + 8, start_ns);
}

void
minute_encode(const struct cadv_minute *m, unsigned char out[MINUTE_VALUE_LEN])
{
	put16(out + MR_NSAMPLES, m->nsamples > UINT16_MAX ? UINT16_MAX :
	    m->nsamples);
	put16(out + MR_NRATES, m->nrates > UINT16_MAX ? UINT16_MAX :
	    m->nrates);
	put16(out + MR_PERCENT, m->percent > 100 ? 100 : m->percent);
	put16(out + MR_FLAGS, m->flags & (CADV_MF_CPU | CADV_MF_MEMORY));
	put64(out + MR_CPU_MEAN, m->cpu.mean);
	put64(out + MR_CPU_MAX, m->cpu.max);
	put64(out + MR_CPU_FIFTY, m->cpu.fifty);
	put64(out + MR_CPU_NINETY, m->cpu.ninety);
	put64(out + MR_CPU_NINETYFIVE, m->cpu.ninetyfive);
	put64(out + MR_MEM_MEAN, m->memory.mean);
	put64(out + MR_MEM_MAX, m->memory.max);
	put64(out + MR_MEM_FIFTY, m->memory.fifty);
	put64(out + MR_MEM_NINETY, m->memory.ninety);
	put64(out + MR_MEM_NINETYFIVE, m->memory.ninetyfive);
}

int
minute_decode(const unsigned char *in, size_t len, struct cadv_minute *m,
    const char **why)
{
	if (len < MINUTE_VALUE_LEN) {
		*why = "minute record too short";
		return -1;
	}
	m->nsamples = get16(in + MR_NSAMPLES);
	m->nrates = get16(in + MR_NRATES);
	m->percent = get16(in + MR_PERCENT);
	/* flag bits beyond these are additions, passed over */
	m->flags = get16(in + MR_FLAGS) & (CADV_MF_CPU | CADV_MF_MEMORY);
	if (m->percent > 100) {
		*why = "minute percent_complete above 100";
		return -1;
	}
	m->cpu.mean = get64(in + MR_CPU_MEAN);
	m->cpu.max = get64(in + MR_CPU_MAX);
	m->cpu.fifty = get64(in + MR_CPU_FIFTY);
	m->cpu.ninety = get64(in + MR_CPU_NINETY);
	m->cpu.ninetyfive = get64(in + MR_CPU_NINETYFIVE);
	m->memory.mean = get64(in + MR_MEM_MEAN);
	m->memory.max = get64(in + MR_MEM_MAX);
	m->memory.fifty = get64(in + MR_MEM_FIFTY);
	m->memory.ninety = get64(in + MR_MEM_NINETY);
	m->memory.ninetyfive = get64(in + MR_MEM_NINETYFIVE);
	return 0;
}

void
key_diskstats(unsigned char out[DISKSTATS_KEY_LEN], uint32_t major,
    uint32_t minor, uint64_t ts)
{
	key_u64(out, (uint64_t)major << 32 | minor);
	key_u64(out + 8, ts);
}

void
diskstats_encode(const struct cadv_disk_stats *d,
    unsigned char out[DISKSTATS_VALUE_LEN])
{
	size_t i;

	for (i = 0; i < CADV_DS_COUNT; i++)
		put64(out + 8 * i, d->v[i]);
}

int
diskstats_decode(const unsigned char *in, size_t len, struct cadv_disk_stats *d,
    const char **why)
{
	size_t i;

	if (len < DISKSTATS_VALUE_LEN) {
		*why = "diskstats record too short";
		return -1;
	}
	for (i = 0; i < CADV_DS_COUNT; i++)
		d->v[i] = get64(in + 8 * i);
	return 0;
}

void
fs_encode(const struct cadv_fs *f, unsigned char out[FS_VALUE_LEN])
{
	put64(out + FSR_CAPACITY, f->capacity);
	put64(out + FSR_AVAILABLE, f->available);
	put64(out + FSR_USED, f->used);
	put64(out + FSR_INODES, f->inodes);
	put64(out + FSR_INODES_FREE, f->inodes_free);
}

void
fs_decode(const unsigned char in[FS_VALUE_LEN], struct cadv_fs *f)
{
	f->capacity = get64(in + FSR_CAPACITY);
	f->available = get64(in + FSR_AVAILABLE);
	f->used = get64(in + FSR_USED);
	f->inodes = get64(in + FSR_INODES);
	f->inodes_free = get64(in + FSR_INODES_FREE);
}

/* Samples are stored as unsigned LEB128 numbers: most counters of a
 * quiet container are small or zero, and a fixed u64 for each made the
 * samples table seven times larger (SCHEMA.md). */
static size_t
uv_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static unsigned char *
uv_put(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

struct reader {
	const unsigned char	*p, *end;
	const char		*why;
};

/* Only the shortest form is accepted, so that a record has one encoding
 * (fuzz_store re-encodes what decodes and compares the bytes). */
static int
uv_get(struct reader *r, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift;

	for (shift = 0; r->p < r->end; shift += 7) {
		unsigned char b = *r->p++;

		if (shift == 63 && b > 1) {
			r->why = "sample number over 64 bits";
			return -1;
		}
		x |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			if (b == 0 && shift > 0) {
				r->why = "sample number not in its shortest form";
				return -1;
			}
			*v = x;
			return 0;
		}
	}
	r->why = "sample ends inside a number";
	return -1;
}

static int
uv_get_max(struct reader *r, uint64_t max, const char *what, uint64_t *v)
{
	if (uv_get(r, v) != 0)
		return -1;
	if (*v > max) {
		r->why = what;
		return -1;
	}
	return 0;
}

/* One walk serves both: with out == NULL it only counts. */
static size_t
sample_put(const struct cadv_sample *s, unsigned char *out)
{
	unsigned char *p = out;
	size_t n = 0, i;

#define PUT(v) do {							\
	uint64_t v_ = (v);						\
	if (out != NULL)						\
		p = uv_put(p, v_);					\
	else								\
		n += uv_len(v_);					\
} while (0)
	PUT(CADV_SF_COUNT);
	PUT(s->present[0]);
	PUT(s->present[1]);
	PUT(s->ncpu);
	PUT(s->nblk);
	PUT(s->nnet);
	for (i = 0; i < CADV_SF_COUNT; i++)
		if (sample_has(s, (enum cadv_sample_field)i))
			PUT(s->v[i]);
	for (i = 0; i < s->ncpu; i++)
		PUT(s->percpu[i]);
#define PUT_BLK(f)	PUT(b->f);
#define PUT_NET(f)	PUT(nt->f);
	for (i = 0; i < s->nblk; i++) {
		const struct cadv_blk *b = &s->blk[i];

		PUT(b->major);
		PUT(b->minor);
		BLK_COUNTERS(PUT_BLK)
	}
	for (i = 0; i < s->nnet; i++) {
		const struct cadv_net *nt = &s->net[i];
		size_t nl = strnlen(nt->name, NET_IFNAME_LEN - 1);

		if (out != NULL) {
			*p++ = (unsigned char)nl;
			memcpy(p, nt->name, nl);
			p += nl;
		} else
			n += 1 + nl;
		NET_COUNTERS(PUT_NET)
	}
#undef PUT_NET
#undef PUT_BLK
#undef PUT
	return out != NULL ? (size_t)(p - out) : n;
}

size_t
sample_encoded_size(const struct cadv_sample *s)
{
	return sample_put(s, NULL);
}

size_t
sample_encode(const struct cadv_sample *s, unsigned char *out, size_t outsz)
{
	/* within its bounds a sample fits SAMPLE_VALUE_MAX: count only
	 * for a smaller buffer */
	if (s->ncpu > SAMPLE_MAX_CPUS || s->nblk > SAMPLE_MAX_BLK ||
	    s->nnet > SAMPLE_MAX_NET || (outsz < SAMPLE_VALUE_MAX &&
	    sample_put(s, NULL) > outsz))
		return 0;
	return sample_put(s, out);
}

#define GET_BLK(f)	if (uv_get(r, &b->f) != 0) return -1;
#define GET_NET(f)	if (uv_get(r, &n->f) != 0) return -1;

static int
sample_get_blk(struct reader *r, struct cadv_blk *b)
{
	uint64_t ma, mi;

	if (uv_get_max(r, UINT32_MAX, "block device major over 32 bits",
	    &ma) != 0 || uv_get_max(r, UINT32_MAX,
	    "block device minor over 32 bits", &mi) != 0)
		return -1;
	b->major = (uint32_t)ma;
	b->minor = (uint32_t)mi;
	BLK_COUNTERS(GET_BLK)
	return 0;
}

static int
sample_get_net(struct reader *r, struct cadv_net *n)
{
	size_t nl;

	if (r->p == r->end) {
		r->why = "sample ends inside an interface";
		return -1;
	}
	nl = *r->p++;
	if (nl > NET_IFNAME_LEN - 1) {
		r->why = "interface name too long";
		return -1;
	}
	if ((size_t)(r->end - r->p) < nl) {
		r->why = "sample ends inside an interface";
		return -1;
	}
	if (memchr(r->p, '\0', nl) != NULL) {
		r->why = "interface name holds a NUL";
		return -1;
	}
	memset(n->name, 0, sizeof(n->name));
	memcpy(n->name, r->p, nl);
	r->p += nl;
	NET_COUNTERS(GET_NET)
	return 0;
}
#undef GET_NET
#undef GET_BLK

static int
sample_get(struct reader *r, struct cadv_sample *s)
{
	uint64_t nscalar, ncpu, nblk, nnet;
	size_t i;

	if (uv_get(r, &nscalar) != 0)
		return -1;
	if (nscalar < SAMPLE_SCALARS_MIN || nscalar > SAMPLE_SCALARS_MAX) {
		r->why = "sample's number of scalar fields out of range";
		return -1;
	}
	if (uv_get(r, &s->present[0]) != 0 || uv_get(r, &s->present[1]) != 0)
		return -1;
	for (i = nscalar; i < SAMPLE_SCALARS_MAX; i++)
		if ((s->present[i / 64] >> (i % 64)) & 1) {
			r->why = "sample marks fields beyond its count present";
			return -1;
		}
	if (uv_get_max(r, SAMPLE_MAX_CPUS, "sample array count out of range",
	    &ncpu) != 0 || uv_get_max(r, SAMPLE_MAX_BLK,
	    "sample array count out of range", &nblk) != 0 ||
	    uv_get_max(r, SAMPLE_MAX_NET, "sample array count out of range",
	    &nnet) != 0)
		return -1;
	s->ncpu = (uint16_t)ncpu;
	s->nblk = (uint16_t)nblk;
	s->nnet = (uint16_t)nnet;
	for (i = 0; i < nscalar; i++) {
		uint64_t x = 0;

		if (((s->present[i / 64] >> (i % 64)) & 1) &&
		    uv_get(r, &x) != 0)
			return -1;
		/* fields a newer writer added are read past and dropped */
		if (i < CADV_SF_COUNT)
			s->v[i] = x;
	}
	for (i = nscalar; i < CADV_SF_COUNT; i++)
		s->v[i] = 0;
	for (i = CADV_SF_COUNT; i < SAMPLE_SCALARS_MAX; i++)
		s->present[i / 64] &= ~(1ULL << (i % 64));
	for (i = 0; i < s->ncpu; i++)
		if (uv_get(r, &s->percpu[i]) != 0)
			return -1;
	for (i = 0; i < s->nblk; i++)
		if (sample_get_blk(r, &s->blk[i]) != 0)
			return -1;
	for (i = 0; i < s->nnet; i++)
		if (sample_get_net(r, &s->net[i]) != 0)
			return -1;
	if (r->p != r->end) {
		r->why = "sample longer than its counts";
		return -1;
	}
	return 0;
}

int
sample_decode(const unsigned char *p, size_t len, struct cadv_sample *s,
    const char **why)
{
	struct reader r = { p, p + len, NULL };

	if (sample_get(&r, s) == 0)
		return 0;
	*why = r.why;
	return -1;
}

void
process_encode(const struct cadv_process *p,
    unsigned char out[PROCESS_VALUE_LEN])
{
	size_t i;

	put64(out + PR_WRITTEN, p->written_ns);
	put32(out + PR_PID, p->pid);
	put32(out + PR_PRESENT, p->present);
	for (i = 0; i < CADV_PF_COUNT; i++)
		put64(out + PR_CPU + 8 * i, p->v[i]);
}

int
process_decode(const unsigned char *in, size_t len, struct cadv_process *p,
    const char **why)
{
	size_t i;

	if (len < PROCESS_VALUE_LEN) {
		*why = "process record too short";
		return -1;
	}
	p->written_ns = get64(in + PR_WRITTEN);
	p->pid = get32(in + PR_PID);
	/* fields beyond these are a later version's */
	p->present = get32(in + PR_PRESENT) & ((1u << CADV_PF_COUNT) - 1);
	for (i = 0; i < CADV_PF_COUNT; i++)
		p->v[i] = get64(in + PR_CPU + 8 * i);
	return 0;
}

/* diskio: a sample's device extras (SCHEMA.md "diskio"). */
size_t
diskio_encode(const struct cadv_sample *s, unsigned char *out, size_t outsz)
{
	unsigned char *p = out;
	size_t i, c, ndev = 0;

	if (s->xpresent == 0 || outsz < DISKIO_VALUE_MAX)
		return 0;
	for (i = 0; i < s->nblk; i++)
		if (s->xio[i].present != 0)
			ndev++;
	if (ndev == 0)
		return 0;
	p = uv_put(p, CADV_DX_COUNT);
	p = uv_put(p, ndev);
	for (i = 0; i < s->nblk; i++) {
		const struct cadv_diskio *x = &s->xio[i];

		if (x->present == 0)
			continue;
		p = uv_put(p, s->blk[i].major);
		p = uv_put(p, s->blk[i].minor);
		p = uv_put(p, x->present);
		for (c = 0; c < CADV_DX_COUNT; c++)
			if (xio_has(x, (enum cadv_diskio_counter)c))
				p = uv_put(p, x->v[c]);
	}
	return (size_t)(p - out);
}

int
diskio_decode(const unsigned char *in, size_t len, struct cadv_sample *s,
    const char **why)
{
	struct reader r = { in, in + len, NULL };
	uint64_t ncounter, present, ndev, maj, min, x;
	struct cadv_diskio *d;
	size_t i, j, c;

	sample_xio_clear(s);
	if (uv_get(&r, &ncounter) != 0 || uv_get(&r, &ndev) != 0)
		goto bad;
	if (ncounter < DISKIO_COUNTERS_MIN || ncounter > DISKIO_COUNTERS_MAX) {
		r.why = "diskio record's number of counters out of range";
		goto bad;
	}
	if (ndev == 0 || ndev > s->nblk) {
		r.why = "diskio record's devices are not its sample's";
		goto bad;
	}
	for (i = 0; i < ndev; i++) {
		if (uv_get_max(&r, UINT32_MAX, "device number over 32 bits",
		    &maj) != 0 || uv_get_max(&r, UINT32_MAX,
		    "device number over 32 bits", &min) != 0 ||
		    uv_get(&r, &present) != 0)
			goto bad;
		for (j = 0; j < s->nblk; j++)
			if (s->blk[j].major == maj && s->blk[j].minor == min)
				break;
		if (j == s->nblk || s->xio[j].present != 0) {
			r.why = "diskio record's devices are not its sample's";
			goto bad;
		}
		if (present == 0 ||
		    (ncounter < 64 && (present >> ncounter) != 0)) {
			r.why = "diskio device's presence out of range";
			goto bad;
		}
		d = &s->xio[j];
		for (c = 0; c < ncounter; c++) {
			if (((present >> c) & 1) == 0)
				continue;
			if (uv_get(&r, &x) != 0)
				goto bad;
			/* counters a newer writer added are read past */
			if (c < CADV_DX_COUNT)
				d->v[c] = x;
		}
		d->present = present & ((1ULL << CADV_DX_COUNT) - 1);
		s->xpresent |= d->present;
	}
	if (r.p != r.end) {
		r.why = "diskio record longer than its counts";
		goto bad;
	}
	return 0;
bad:
	sample_xio_clear(s);
	*why = r.why;
	return -1;
}

size_t
container_encode(const struct cadv_container *c, unsigned char *out, size_t outsz)
{
	size_t need = CONTAINER_HDR + 8 * CADV_SP_COUNT + c->name_len + c->mask_len;
	unsigned char *p = out;
	size_t i;

	if (need > outsz || c->name_len > CGNAME_MAX ||
	    c->mask_len > sizeof(c->cpu_mask))
		return 0;
	memset(p, 0, CONTAINER_HDR);
	put64(p + CR_CREATED, c->created_ns);
	put64(p + CR_DELETED, c->deleted_ns);
	put64(p + CR_SPEC_PRESENT, c->spec_present);
	put32(p + CR_FLAGS, c->flags);
	put16(p + CR_NSPEC, CADV_SP_COUNT);
	put16(p + CR_NAME_LEN, (uint16_t)c->name_len);
	put16(p + CR_MASK_LEN, (uint16_t)c->mask_len);
	p += CONTAINER_HDR;
	for (i = 0; i < CADV_SP_COUNT; i++, p += 8)
		put64(p, spec_has(c, (enum cadv_spec_field)i) ? c->spec[i] : 0);
	memcpy(p, c->name, c->name_len);
	memcpy(p + c->name_len, c->cpu_mask, c->mask_len);
	return need;
}

int
container_decode(const unsigned char *p, size_t len, struct cadv_container *c,
    const char **why)
{
	size_t i, nspec;

	if (len < CONTAINER_HDR) {
		*why = "container record shorter than its header";
		return -1;
	}
	nspec = get16(p + CR_NSPEC);
	if (nspec < SPEC_FIELDS_MIN || nspec > SPEC_FIELDS_MAX) {
		*why = "container record's number of spec fields out of range";
		return -1;
	}
	c->created_ns = get64(p + CR_CREATED);
	c->deleted_ns = get64(p + CR_DELETED);
	c->spec_present = get64(p + CR_SPEC_PRESENT);
	c->flags = get32(p + CR_FLAGS);
	c->name_len = get16(p + CR_NAME_LEN);
	c->mask_len = get16(p + CR_MASK_LEN);
	if (c->name_len > CGNAME_MAX || c->mask_len >= sizeof(c->cpu_mask)) {
		*why = "container name or cpu mask too long";
		return -1;
	}
	if (len != CONTAINER_HDR + 8 * nspec + c->name_len + c->mask_len) {
		*why = "container record length does not match its counts";
		return -1;
	}
	if (nspec < SPEC_FIELDS_MAX && (c->spec_present >> nspec) != 0) {
		*why = "container record marks fields beyond its count present";
		return -1;
	}
	p += CONTAINER_HDR;
	/* fields a newer writer added are passed over and dropped */
	for (i = 0; i < nspec; i++, p += 8)
		if (i < CADV_SP_COUNT)
			c->spec[i] = get64(p);
	for (i = nspec; i < CADV_SP_COUNT; i++)
		c->spec[i] = 0;
	if (CADV_SP_COUNT < SPEC_FIELDS_MAX)
		c->spec_present &= (1ULL << CADV_SP_COUNT) - 1;
	memcpy(c->name, p, c->name_len);
	c->name[c->name_len] = '\0';
	if (!cgname_valid(c->name, c->name_len)) {
		*why = "container record holds an invalid name";
		return -1;
	}
	memcpy(c->cpu_mask, p + c->name_len, c->mask_len);
	c->cpu_mask[c->mask_len] = '\0';
	return 0;
}

size_t
event_encode(const struct cadv_event *e, unsigned char *out, size_t outsz)
{
	size_t need = EVENT_HDR + e->container_len + e->victim_len + e->comm_len;
	unsigned char *p = out;

	if (need > outsz || e->container_len > CGNAME_MAX ||
	    e->victim_len > CGNAME_MAX || e->comm_len >= sizeof(e->comm))
		return 0;
	memset(p, 0, EVENT_HDR);
	put64(p + EVR_TS, e->ts_ns);
	put32(p + EVR_TYPE, (uint32_t)e->type);
	put32(p + EVR_FLAGS, e->flags);
	put32(p + EVR_PID, e->pid);
	put16(p + EVR_CONTAINER_LEN, (uint16_t)e->container_len);
	put16(p + EVR_VICTIM_LEN, (uint16_t)e->victim_len);
	put16(p + EVR_COMM_LEN, (uint16_t)e->comm_len);
	p += EVENT_HDR;
	memcpy(p, e->container, e->container_len);
	p += e->container_len;
	memcpy(p, e->victim, e->victim_len);
	p += e->victim_len;
	memcpy(p, e->comm, e->comm_len);
	return need;
}

int
event_decode(const unsigned char *p, size_t len, struct cadv_event *e,
    const char **why)
{
	uint32_t type;

	if (len < EVENT_HDR) {
		*why = "event shorter than its header";
		return -1;
	}
	e->ts_ns = get64(p + EVR_TS);
	type = get32(p + EVR_TYPE);
	e->flags = get32(p + EVR_FLAGS);
	e->pid = get32(p + EVR_PID);
	e->container_len = get16(p + EVR_CONTAINER_LEN);
	e->victim_len = get16(p + EVR_VICTIM_LEN);
	e->comm_len = get16(p + EVR_COMM_LEN);
	if (type < 1 || type > CADV_EV_TYPE_MAX) {
		*why = "event of unknown type";
		return -1;
	}
	e->type = (enum cadv_event_type)type;
	if (e->container_len > CGNAME_MAX || e->victim_len > CGNAME_MAX ||
	    e->comm_len >= sizeof(e->comm)) {
		*why = "event string too long";
		return -1;
	}
	if (len != EVENT_HDR + e->container_len + e->victim_len + e->comm_len) {
		*why = "event length does not match its counts";
		return -1;
	}
	p += EVENT_HDR;
	memcpy(e->container, p, e->container_len);
	e->container[e->container_len] = '\0';
	p += e->container_len;
	memcpy(e->victim, p, e->victim_len);
	e->victim[e->victim_len] = '\0';
	p += e->victim_len;
	memcpy(e->comm, p, e->comm_len);
	e->comm[e->comm_len] = '\0';
	return 0;
}
