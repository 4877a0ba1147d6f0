/* The machine's memory modules by type, as cAdvisor's MachineInfo
 * memory_by_type: the kernel's EDAC per-DIMM sysfs files
 * (Documentation/admin-guide/ras.rst). */
#ifndef CADV_EDAC_H
#define CADV_EDAC_H

#include <json-c/json.h>

/* {"<dimm_mem_type>": {"capacity": bytes, "dimm_count": n}} from
 * SYS/devices/system/edac/mc/mc<N>/dimm<M>/{dimm_mem_type,size}; {} when
 * there is no EDAC (most virtual machines) or, as cAdvisor, when a file
 * of it cannot be read or is not the kernel's format.  NULL only when
 * memory runs out. */
struct json_object *edac_memory_by_type(const char *sys);

#endif
