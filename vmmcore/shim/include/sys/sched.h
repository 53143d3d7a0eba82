/*
 * sys/sched.h - the per-CPU scheduler state the vmm polls.
 */
#ifndef _SHIM_SYS_SCHED_H_
#define _SHIM_SYS_SCHED_H_

struct schedstate_percpu {
	volatile int	spc_schedflags;
};

#define SPCF_SEENRR		0x0001
#define SPCF_SHOULDYIELD	0x0002	/* give the CPU back */

#endif /* _SHIM_SYS_SCHED_H_ */
