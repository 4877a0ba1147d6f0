/* What libcadv's public calls (cadv.h) are made of: the handle and the
 * snapshot wrap the store's own (store.h).  Never installed. */
#ifndef CADV_IMPL_H
#define CADV_IMPL_H

#include <lmdb.h>

#include "cadv.h"
#include "store.h"

/* Only what is marked so leaves libcadv.so (the build hides the rest). */
#define CADV_EXPORT	__attribute__((visibility("default")))

struct cadv {
	struct store	*st;
};

struct cadv_txn {
	struct store	*st;
	MDB_txn		*txn;
};

#endif
