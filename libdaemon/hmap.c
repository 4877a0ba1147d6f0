#include "hmap.h"

#include <stdlib.h>
#include <string.h>

#include "cgname.h"

#define HMAP_MIN	16

void
hmap_init(struct hmap *m)
{
	m->slots = NULL;
	m->cap = m->n = 0;
}

void
hmap_free(struct hmap *m)
{
	free(m->slots);
	hmap_init(m);
}

static struct hmap_slot *
find(const struct hmap *m, const void *key, size_t len, uint64_t h)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct hmap_slot *s = &m->slots[i];

		if (s->key == NULL)
			return NULL;
		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
			return s;
	}
}

void *
hmap_get(const struct hmap *m, const void *key, size_t len)
{
	struct hmap_slot *s = find(m, key, len, cgname_hash(key, len));

	return s ? s->val : NULL;
}

static void
insert(struct hmap_slot *slots, size_t cap, const struct hmap_slot *src)
{
	size_t i;

	for (i = src->hash & (cap - 1); slots[i].key != NULL;
	    i = (i + 1) & (cap - 1))
		;
	slots[i] = *src;
}

static int
grow(struct hmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : HMAP_MIN, i;
	struct hmap_slot *slots;

	if ((slots = calloc(cap, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			insert(slots, cap, &m->slots[i]);
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int
hmap_put(struct hmap *m, const void *key, size_t len, void *val)
{
	struct hmap_slot s = { key, len, cgname_hash(key, len), val }, *old;

	if ((old = find(m, key, len, s.hash)) != NULL) {
		*old = s;
		return 0;
	}
	/* keep the load factor under 3/4 */
	if ((m->n + 1) * 4 > m->cap * 3 && grow(m) == -1)
		return -1;
	insert(m->slots, m->cap, &s);
	m->n++;
	return 0;
}

void *
hmap_del(struct hmap *m, const void *key, size_t len)
{
	struct hmap_slot *s = find(m, key, len, cgname_hash(key, len));
	size_t i, j, home;
	void *val;

	if (s == NULL)
		return NULL;
	val = s->val;
	i = (size_t)(s - m->slots);
	/* Backward shift: pull later members of the probe run into the hole
	 * unless that would move them before their home slot. */
	for (j = (i + 1) & (m->cap - 1); m->slots[j].key != NULL;
	    j = (j + 1) & (m->cap - 1)) {
		home = m->slots[j].hash & (m->cap - 1);
		if (((j - home) & (m->cap - 1)) >= ((j - i) & (m->cap - 1))) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].key = NULL;
	m->n--;
	return val;
}
