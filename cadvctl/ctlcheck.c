/* The store's own handle for cmd_check.c, which walks the tables itself
 * until libcadv's cadv_check does; this file goes with that.  The one
 * file of cadvctl besides cmd_check.c that sees libcadv's inside. */
#include "cadv_impl.h"
#include "cadvctl.h"

struct store *
ctl_check_store(struct cadv *db)
{
	return db->st;
}
