/*
 * sys/proc.h - processes and threads.  The shim runs everything in one
 * thread, the one vmd would run the vcpu in: curproc.
 */
#ifndef _SHIM_SYS_PROC_H_
#define _SHIM_SYS_PROC_H_

#include <sys/types.h>
#include <sys/user.h>

#include <machine/cpu.h>

struct vmspace;

struct process {
	pid_t		 ps_pid;
	uint64_t	 ps_pledge;
	struct vmspace	*ps_vmspace;	/* address space */
};

struct proc {
	struct process	*p_p;
	struct vmspace	*p_vmspace;	/* the same, for this thread */
	struct user	*p_addr;
	uint64_t	 p_pledge;
	int		 p_siglist;	/* pending signals */
};

#define curproc		(curcpu()->ci_curproc)

#endif /* _SHIM_SYS_PROC_H_ */
