/*
 * stage2_vc.S - the #VC gate of stage 2: builds a struct trapframe as
 * the kernel's trap entry does (offsets from the tree's assym.h), calls
 * the kernel's own vctrap(frame, 0, NULL, NULL) and returns to the
 * instruction after the one that raised #VC, with the registers vctrap
 * synced in from the GHCB.
 */
#include "assym.h"
#include <machine/asm.h>
#include <machine/trap.h>

	.text
	.globl	sevemu_vctrap
sevemu_vctrap:
	/*
	 * The CPU pushed the error code (the exit code) above the iretq
	 * frame: err, rip, cs, rflags, rsp, ss.  The trapframe goes below.
	 */
	subq	$FRAMESIZE, %rsp
	movq	%rax, TF_RAX(%rsp)
	movq	%rbx, TF_RBX(%rsp)
	movq	%rcx, TF_RCX(%rsp)
	movq	%rdx, TF_RDX(%rsp)
	movq	%rsi, TF_RSI(%rsp)
	movq	%rdi, TF_RDI(%rsp)
	movq	%rbp, TF_RBP(%rsp)
	movq	%r8, TF_R8(%rsp)
	movq	%r9, TF_R9(%rsp)
	movq	%r10, TF_R10(%rsp)
	movq	%r11, TF_R11(%rsp)
	movq	%r12, TF_R12(%rsp)
	movq	%r13, TF_R13(%rsp)
	movq	%r14, TF_R14(%rsp)
	movq	%r15, TF_R15(%rsp)
	movq	FRAMESIZE(%rsp), %rax
	movq	%rax, TF_ERR(%rsp)
	movq	FRAMESIZE+8(%rsp), %rax
	movq	%rax, TF_RIP(%rsp)
	movq	FRAMESIZE+16(%rsp), %rax
	movq	%rax, TF_CS(%rsp)
	movq	FRAMESIZE+24(%rsp), %rax
	movq	%rax, TF_RFLAGS(%rsp)
	movq	FRAMESIZE+32(%rsp), %rax
	movq	%rax, TF_RSP(%rsp)
	movq	FRAMESIZE+40(%rsp), %rax
	movq	%rax, TF_SS(%rsp)
	movq	$T_VC, TF_TRAPNO(%rsp)

	movq	%rsp, %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	incl	sevemu_vc_count(%rip)
	call	vctrap
	testl	%eax, %eax
	jz	sevemu_vc_refused

	/* vctrap moved tf_rip past the instruction. */
	movq	TF_RIP(%rsp), %rax
	movq	%rax, FRAMESIZE+8(%rsp)
	movq	TF_RAX(%rsp), %rax
	movq	TF_RBX(%rsp), %rbx
	movq	TF_RCX(%rsp), %rcx
	movq	TF_RDX(%rsp), %rdx
	movq	TF_RSI(%rsp), %rsi
	movq	TF_RDI(%rsp), %rdi
	movq	TF_RBP(%rsp), %rbp
	movq	TF_R8(%rsp), %r8
	movq	TF_R9(%rsp), %r9
	movq	TF_R10(%rsp), %r10
	movq	TF_R11(%rsp), %r11
	movq	TF_R12(%rsp), %r12
	movq	TF_R13(%rsp), %r13
	movq	TF_R14(%rsp), %r14
	movq	TF_R15(%rsp), %r15
	addq	$FRAMESIZE+8, %rsp
	iretq

sevemu_vc_refused:
	movq	%rsp, %rdi
	call	sevemu_vc_failed
1:	hlt
	jmp	1b
