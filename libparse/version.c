#include "version.h"

#ifndef CADV_REVISION
#define CADV_REVISION "unknown"
#endif

const char cadv_revision[] = CADV_REVISION;
