/* identd: the identity of every container a runtime made (docker,
 * containerd, podman, CRI-O), from the runtime's own state, into the
 * store.  Two processes (identd(8)): the reader parses runtime state with
 * nothing but CAP_DAC_READ_SEARCH and no access to the store; the writer
 * holds the store and no capability, and trusts nothing the reader says
 * beyond what a record can hold. */
#ifndef CADV_IDENTD_H
#define CADV_IDENTD_H

#include <stdint.h>

#include "ident.h"
#include "rtsource.h"

/* reader -> writer records (recframe.h types) */
enum identd_msg {
	MSG_IDENT = 1,	/* u8 source, then an ident's stored form */
	MSG_END = 2,	/* u8 source, u8 failed, u32 found, u32 unreadable,
			 * u32 malformed, then the first error's text */
	MSG_LAYER = 3,	/* a writable layer measured (layermsg.h), on the
			 * layer walker's pipe */
};
#define MSG_END_HDR	14

#define IDENTD_ENV_MAX	64	/* --env names */

struct identd_conf {
	struct rt_config rt;
	const char	*env[IDENTD_ENV_MAX];
	uint64_t	 check_ns;	/* --check-interval */
	int		 no_seccomp;
	uint64_t	 layer_ns;	/* --layer-interval, 0 off */
	uint64_t	 layer_budget;	/* --layer-budget, entries/s */
};

/* The reader's process: never returns.  fd is the pipe to the writer. */
void	reader_main(struct identd_conf *, int fd)
	    __attribute__((noreturn));

/* The layer walker's process (identd/layer.c): never returns. */
void	layer_main(struct identd_conf *, int fd) __attribute__((noreturn));

struct store;
/* The writer's loop over the reader's records (fd) and the layer
 * walker's (lfd, -1 none); returns at a signal. */
int	writer_loop(struct store *, int fd, int lfd, int sfd, int tfd);

/* The runtime a source reports, by its name. */
enum cadv_runtime identd_source_runtime(const char *name);

#endif
