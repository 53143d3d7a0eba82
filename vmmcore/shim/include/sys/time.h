/*
 * sys/time.h - the host's time types plus the kernel's clocks.
 *
 * As with <sys/types.h>, the system header comes first so that libc
 * headers reaching for it through this directory still get theirs.
 */
#ifndef _SHIM_SYS_TIME_H_
#define _SHIM_SYS_TIME_H_

#include_next <sys/time.h>

#include <time.h>

#ifdef _KERNEL
/*
 * The kernel's clocks (shim/kern_tc.c), derived from the machine's
 * deterministic TSC: uptime since boot, and the wall clock time of
 * boot.  No host clock is read, so that runs stay reproducible.
 */
void	nanouptime(struct timespec *);
void	nanoboottime(struct timespec *);

/* Sleep forever: the timeout argument of the *_nsec sleeps. */
#define INFSLP		UINT64_MAX
#endif

#endif /* _SHIM_SYS_TIME_H_ */
