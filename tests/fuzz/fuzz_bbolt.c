/* Fuzz target: the bbolt reader.  The input is a whole file; what loads is
 * walked entirely, every bucket recursively, and each key found is looked
 * up again (a value or a bucket, as the walk said): the load checks the
 * whole snapshot, so neither may fail on what loaded.  Each input runs
 * twice: as it is, and with its meta checksums made right. */
#include <stdlib.h>
#include <string.h>

#include "bbolt.h"
#include "fuzz.h"

struct walk {
	const struct bolt *b;
	const struct bolt_bucket *in;
	size_t	 n;
};

static int
one(void *arg, const void *key, size_t klen, const void *val, size_t vlen,
    const struct bolt_bucket *sub)
{
	struct walk *w = arg, inner;
	struct bolt_bucket again;
	const void *v;
	size_t vl;
	int rc;

	w->n++;
	if (sub == NULL) {
		/* the lookup finds the same bytes the walk did */
		if (bolt_get(w->b, w->in, key, klen, &v, &vl) != BOLT_OK ||
		    v != val || vl != vlen)
			__builtin_trap();
		return 0;
	}
	if (bolt_bucket(w->b, w->in, key, klen, &again) != BOLT_OK ||
	    again.root != sub->root || again.inl != sub->inl)
		__builtin_trap();
	inner.b = w->b;
	inner.in = sub;
	inner.n = 0;
	rc = bolt_each(w->b, sub, one, &inner);
	w->n += inner.n;
	return rc;
}

static void
one_file(const uint8_t *data, size_t size)
{
	struct bolt_bucket root;
	struct bolt *b;
	struct walk w;
	char err[256];
	const void *v;
	size_t vl;

	err[0] = '\0';
	if (bolt_load(&b, data, size, err, sizeof(err)) != BOLT_OK) {
		/* a refusal always says why */
		if (err[0] == '\0')
			__builtin_trap();
		return;
	}
	bolt_root(b, &root);
	w.b = b;
	w.in = &root;
	w.n = 0;
	/* what loaded was checked whole: walking it cannot fail */
	if (bolt_each(b, &root, one, &w) != BOLT_OK)
		__builtin_trap();
	(void)bolt_get(b, &root, "", 0, &v, &vl);
	(void)bolt_bucket(b, &root, "ctr", 3, &root);
	bolt_close(b);
}

/* the meta at off given its right checksum (FNV-1a 64 of 56 bytes) */
static void
resum(uint8_t *p, size_t size, size_t off)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	if (off > size || size - off < 16 + 64)
		return;
	p += off + 16;
	for (i = 0; i < 56; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	memcpy(p + 56, &h, 8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	uint32_t ps;

	one_file(data, size);
	/* again with the metas' checksums made right, so that changes to
	 * their fields (root, high-water mark, freelist, page size) reach
	 * the walk */
	if (size < 16 + 64 || (copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	memcpy(&ps, copy + 16 + 8, 4);
	resum(copy, size, 0);
	if (ps >= 512 && ps <= 65536 && (ps & (ps - 1)) == 0)
		resum(copy, size, ps);
	one_file(copy, size);
	free(copy);
	return 0;
}
