/* A hash map from byte strings to pointers (open addressing, linear
 * probing, backward-shift deletion).  Keys are not copied: the caller keeps
 * each key's bytes alive while it is in the map, typically inside the
 * value. */
#ifndef CADV_HMAP_H
#define CADV_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	const void	*key;		/* NULL: empty */
	size_t		 len;
	uint64_t	 hash;
	void		*val;
};

struct hmap {
	struct hmap_slot *slots;
	size_t		  cap;		/* power of two, or 0 */
	size_t		  n;
};

void	hmap_init(struct hmap *);
void	hmap_free(struct hmap *);
void	*hmap_get(const struct hmap *, const void *key, size_t len);
/* Inserts or replaces; -1 on allocation failure. */
int	hmap_put(struct hmap *, const void *key, size_t len, void *val);
/* Removes and returns the value, NULL if absent. */
void	*hmap_del(struct hmap *, const void *key, size_t len);

#endif
