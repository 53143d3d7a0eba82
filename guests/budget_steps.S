/*
 * budget_steps.S - counts its own instructions, for the exact budget.
 *
 * Its own _start, so that the runner's first instruction is the guest's
 * first: two setup instructions, then a loop of three (inc, a native
 * RDMSR of the GHCB MSR, which the CPU serves at an intercept site, and
 * jmp).  Stopped after N instructions, RBX holds the number of incs
 * done: (N - 2 + 2) / 3, that is N / 3.
 */
#include "sevemu.inc"

	.section .text.entry, "ax", @progbits
	.code64

FUNC _start
	movl	$MSR_SEV_GHCB, %ecx
	xorl	%ebx, %ebx
FUNC steps_loop
1:	incq	%rbx
	rdmsr
	jmp	1b
ENDFUNC steps_loop
ENDFUNC _start
