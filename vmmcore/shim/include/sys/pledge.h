/*
 * sys/pledge.h - pledge(2) promises the vmm checks.
 */
#ifndef _SHIM_SYS_PLEDGE_H_
#define _SHIM_SYS_PLEDGE_H_

#include <sys/types.h>

#define PLEDGE_PROC	0x0000000000001000ULL
#define PLEDGE_VMM	0x0000000040000000ULL

struct proc;

int	pledge_fail(struct proc *, int, uint64_t);

#endif /* _SHIM_SYS_PLEDGE_H_ */
