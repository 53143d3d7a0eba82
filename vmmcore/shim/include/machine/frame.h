/*
 * machine/frame.h - the trap frame, which the guest half of the GHCB
 * code fills from.  The host half never looks at it.
 */
#ifndef _SHIM_MACHINE_FRAME_H_
#define _SHIM_MACHINE_FRAME_H_

#include <sys/types.h>

#include <machine/fpu.h>

struct trapframe {
	int64_t	tf_rdi, tf_rsi, tf_rdx, tf_rcx, tf_r8, tf_r9, tf_r10;
	int64_t	tf_r11, tf_r12, tf_r13, tf_r14, tf_r15, tf_err, tf_rbx;
	int64_t	tf_rax, tf_trapno, tf_rbp, tf_rip, tf_cs, tf_rflags;
	int64_t	tf_rsp, tf_ss;
};

#endif /* _SHIM_MACHINE_FRAME_H_ */
