#include "schema.h"

#include <string.h>

#define X_DESC(e, path, unit) [e] = { path, unit },
const struct field_desc sample_fields[SF_COUNT] = { SAMPLE_FIELDS(X_DESC) };
const struct field_desc spec_fields[SP_COUNT] = { SPEC_FIELDS(X_DESC) };
#undef X_DESC

static const struct {
	const char *name, *cadvisor;
} ev_names[EV_TYPE_MAX + 1] = {
	[EV_OOM] = { "oom", "oom" },
	[EV_OOM_KILL] = { "oom_kill", "oomKill" },
	[EV_CONTAINER_CREATION] = { "container_creation", "containerCreation" },
	[EV_CONTAINER_DELETION] = { "container_deletion", "containerDeletion" },
};

const char *
event_type_name(enum event_type t)
{
	return (t >= 1 && t <= EV_TYPE_MAX) ? ev_names[t].name : "unknown";
}

const char *
event_type_cadvisor(enum event_type t)
{
	return (t >= 1 && t <= EV_TYPE_MAX) ? ev_names[t].cadvisor : "unknown";
}

int
event_type_parse(const char *s, enum event_type *t)
{
	int i;

	for (i = 1; i <= EV_TYPE_MAX; i++)
		if (strcmp(s, ev_names[i].name) == 0 ||
		    strcmp(s, ev_names[i].cadvisor) == 0) {
			*t = (enum event_type)i;
			return 0;
		}
	return -1;
}

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
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
fs_encode(const struct fs_sample *f, unsigned char out[FS_VALUE_LEN])
{
	put64(out, f->capacity);
	put64(out + 8, f->available);
	put64(out + 16, f->used);
	put64(out + 24, f->inodes);
	put64(out + 32, f->inodes_free);
}

void
fs_decode(const unsigned char in[FS_VALUE_LEN], struct fs_sample *f)
{
	f->capacity = get64(in);
	f->available = get64(in + 8);
	f->used = get64(in + 16);
	f->inodes = get64(in + 24);
	f->inodes_free = get64(in + 32);
}

size_t
sample_encoded_size(const struct sample *s)
{
	return SAMPLE_HDR + 8 * SF_COUNT + 8 * (size_t)s->ncpu +
	    SAMPLE_BLK_SIZE * (size_t)s->nblk + SAMPLE_NET_SIZE * (size_t)s->nnet;
}

size_t
sample_encode(const struct sample *s, unsigned char *out, size_t outsz)
{
	size_t need = sample_encoded_size(s), i;
	unsigned char *p = out;

	if (need > outsz || s->ncpu > SAMPLE_MAX_CPUS ||
	    s->nblk > SAMPLE_MAX_BLK || s->nnet > SAMPLE_MAX_NET)
		return 0;
	put64(p, s->present[0]);
	put64(p + 8, s->present[1]);
	put16(p + 16, SF_COUNT);
	put16(p + 18, s->ncpu);
	put16(p + 20, s->nblk);
	put16(p + 22, s->nnet);
	p += SAMPLE_HDR;
	for (i = 0; i < SF_COUNT; i++, p += 8)
		put64(p, sample_has(s, (enum sample_field)i) ? s->v[i] : 0);
	for (i = 0; i < s->ncpu; i++, p += 8)
		put64(p, s->percpu[i]);
	for (i = 0; i < s->nblk; i++, p += SAMPLE_BLK_SIZE) {
		const struct sample_blk *b = &s->blk[i];

		put32(p, b->major);
		put32(p + 4, b->minor);
		put64(p + 8, b->read_bytes);
		put64(p + 16, b->write_bytes);
		put64(p + 24, b->read_ops);
		put64(p + 32, b->write_ops);
	}
	for (i = 0; i < s->nnet; i++, p += SAMPLE_NET_SIZE) {
		const struct sample_net *n = &s->net[i];

		memcpy(p, n->name, NET_IFNAME_LEN);
		put64(p + 16, n->rx_bytes);
		put64(p + 24, n->rx_packets);
		put64(p + 32, n->rx_errors);
		put64(p + 40, n->rx_dropped);
		put64(p + 48, n->tx_bytes);
		put64(p + 56, n->tx_packets);
		put64(p + 64, n->tx_errors);
		put64(p + 72, n->tx_dropped);
	}
	return need;
}

int
sample_decode(const unsigned char *p, size_t len, struct sample *s,
    const char **why)
{
	size_t i;

	if (len < SAMPLE_HDR) {
		*why = "sample shorter than its header";
		return -1;
	}
	if (get16(p + 16) != SF_COUNT) {
		*why = "sample has another number of scalar fields";
		return -1;
	}
	s->present[0] = get64(p);
	s->present[1] = get64(p + 8);
	s->ncpu = get16(p + 18);
	s->nblk = get16(p + 20);
	s->nnet = get16(p + 22);
	if (s->ncpu > SAMPLE_MAX_CPUS || s->nblk > SAMPLE_MAX_BLK ||
	    s->nnet > SAMPLE_MAX_NET) {
		*why = "sample array count out of range";
		return -1;
	}
	if (len != sample_encoded_size(s)) {
		*why = "sample length does not match its counts";
		return -1;
	}
	if (SF_COUNT <= 64 ? ((SF_COUNT < 64 &&
	    (s->present[0] >> (SF_COUNT % 64)) != 0) || s->present[1] != 0) :
	    (s->present[1] >> (SF_COUNT % 64)) != 0) {
		*why = "sample marks unknown fields present";
		return -1;
	}
	p += SAMPLE_HDR;
	for (i = 0; i < SF_COUNT; i++, p += 8)
		s->v[i] = get64(p);
	for (i = 0; i < s->ncpu; i++, p += 8)
		s->percpu[i] = get64(p);
	for (i = 0; i < s->nblk; i++, p += SAMPLE_BLK_SIZE) {
		struct sample_blk *b = &s->blk[i];

		b->major = get32(p);
		b->minor = get32(p + 4);
		b->read_bytes = get64(p + 8);
		b->write_bytes = get64(p + 16);
		b->read_ops = get64(p + 24);
		b->write_ops = get64(p + 32);
	}
	for (i = 0; i < s->nnet; i++, p += SAMPLE_NET_SIZE) {
		struct sample_net *n = &s->net[i];

		memcpy(n->name, p, NET_IFNAME_LEN);
		n->name[NET_IFNAME_LEN - 1] = '\0';
		n->rx_bytes = get64(p + 16);
		n->rx_packets = get64(p + 24);
		n->rx_errors = get64(p + 32);
		n->rx_dropped = get64(p + 40);
		n->tx_bytes = get64(p + 48);
		n->tx_packets = get64(p + 56);
		n->tx_errors = get64(p + 64);
		n->tx_dropped = get64(p + 72);
	}
	return 0;
}

size_t
container_encode(const struct container *c, unsigned char *out, size_t outsz)
{
	size_t need = CONTAINER_HDR + 8 * SP_COUNT + c->name_len + c->mask_len;
	unsigned char *p = out;
	size_t i;

	if (need > outsz || c->name_len > CGNAME_MAX ||
	    c->mask_len > sizeof(c->cpu_mask))
		return 0;
	memset(p, 0, CONTAINER_HDR);
	put64(p, c->created_ns);
	put64(p + 8, c->deleted_ns);
	put64(p + 16, c->spec_present);
	put32(p + 24, c->flags);
	put16(p + 28, SP_COUNT);
	put16(p + 30, (uint16_t)c->name_len);
	put16(p + 32, (uint16_t)c->mask_len);
	p += CONTAINER_HDR;
	for (i = 0; i < SP_COUNT; i++, p += 8)
		put64(p, spec_has(c, (enum spec_field)i) ? c->spec[i] : 0);
	memcpy(p, c->name, c->name_len);
	memcpy(p + c->name_len, c->cpu_mask, c->mask_len);
	return need;
}

int
container_decode(const unsigned char *p, size_t len, struct container *c,
    const char **why)
{
	size_t i;

	if (len < CONTAINER_HDR) {
		*why = "container record shorter than its header";
		return -1;
	}
	if (get16(p + 28) != SP_COUNT) {
		*why = "container record has another number of spec fields";
		return -1;
	}
	c->created_ns = get64(p);
	c->deleted_ns = get64(p + 8);
	c->spec_present = get64(p + 16);
	c->flags = get32(p + 24);
	c->name_len = get16(p + 30);
	c->mask_len = get16(p + 32);
	if (c->name_len > CGNAME_MAX || c->mask_len >= sizeof(c->cpu_mask)) {
		*why = "container name or cpu mask too long";
		return -1;
	}
	if (len != CONTAINER_HDR + 8 * SP_COUNT + c->name_len + c->mask_len) {
		*why = "container record length does not match its counts";
		return -1;
	}
	if ((c->spec_present >> SP_COUNT) != 0) {
		*why = "container record marks unknown spec fields present";
		return -1;
	}
	p += CONTAINER_HDR;
	for (i = 0; i < SP_COUNT; i++, p += 8)
		c->spec[i] = get64(p);
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
event_encode(const struct event *e, unsigned char *out, size_t outsz)
{
	size_t need = EVENT_HDR + e->container_len + e->victim_len + e->comm_len;
	unsigned char *p = out;

	if (need > outsz || e->container_len > CGNAME_MAX ||
	    e->victim_len > CGNAME_MAX || e->comm_len >= sizeof(e->comm))
		return 0;
	memset(p, 0, EVENT_HDR);
	put64(p, e->ts_ns);
	put32(p + 8, (uint32_t)e->type);
	put32(p + 12, e->flags);
	put32(p + 16, e->pid);
	put16(p + 20, (uint16_t)e->container_len);
	put16(p + 22, (uint16_t)e->victim_len);
	put16(p + 24, (uint16_t)e->comm_len);
	p += EVENT_HDR;
	memcpy(p, e->container, e->container_len);
	p += e->container_len;
	memcpy(p, e->victim, e->victim_len);
	p += e->victim_len;
	memcpy(p, e->comm, e->comm_len);
	return need;
}

int
event_decode(const unsigned char *p, size_t len, struct event *e,
    const char **why)
{
	uint32_t type;

	if (len < EVENT_HDR) {
		*why = "event shorter than its header";
		return -1;
	}
	e->ts_ns = get64(p);
	type = get32(p + 8);
	e->flags = get32(p + 12);
	e->pid = get32(p + 16);
	e->container_len = get16(p + 20);
	e->victim_len = get16(p + 22);
	e->comm_len = get16(p + 24);
	if (type < 1 || type > EV_TYPE_MAX) {
		*why = "event of unknown type";
		return -1;
	}
	e->type = (enum event_type)type;
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
