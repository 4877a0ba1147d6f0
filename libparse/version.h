/* cadv's own version, reported as cAdvisor's cadvisor_version. */
#ifndef CADV_VERSION_H
#define CADV_VERSION_H

#define CADV_VERSION	"0.1.0"
extern const char cadv_revision[];	/* git commit at build time */

#endif
