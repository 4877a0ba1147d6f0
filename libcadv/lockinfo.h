/* What lock.mdb says about LMDB's writer mutex: who holds it.  LMDB's
 * lock file is its own business; these are the facts of the one format
 * this reads (magic 0xBEEFC0DE, format 0x00010001: LMDB 0.9 with robust
 * process-shared POSIX mutexes, glibc on a 64-bit Linux), checked before
 * anything is believed.  Pure functions over the file's first bytes. */
#ifndef CADV_LOCKINFO_H
#define CADV_LOCKINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LMDB_MAGIC		0xBEEFC0DEu	/* lock.mdb's, data.mdb's */
#define LOCKINFO_FORMAT		0x00010001u
/* the writers' mutex: the second cache line of the lock file's header */
#define LOCKINFO_WMUTEX		64
/* A robust mutex's lock word is the owner's thread id with the futex
 * flags (waiters, owner died) in its top bits. */
#define LOCKINFO_TID_MASK	0x3fffffffu
#define LOCKINFO_OWNER_DIED	0x40000000u
#define LOCKINFO_SIZE		128	/* bytes read */

/* 1 when buf (LOCKINFO_SIZE bytes) is a lock file of the known format. */
int	lockinfo_known(const unsigned char *buf);
/* The thread holding the writers' mutex, 0 when free; -1 when the format
 * is not the known one. */
pid_t	lockinfo_writer(const unsigned char *buf);

#endif
