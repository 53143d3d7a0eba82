/*
 * runaway.S - never halts, never exits: a loop counting its iterations, for
 * testing the runner's instruction budget.
 *
 * Each iteration is three instructions (inc, mov, jmp).  RAX and the
 * global u64 spin_count both hold the number of iterations started.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	xorl	%eax, %eax
FUNC spin
1:	incq	%rax
	movq	%rax, spin_count(%rip)
	jmp	1b
ENDFUNC spin
ENDFUNC guest_main

	.bss
OBJECT spin_count, 8
	.skip	8
ENDOBJECT spin_count
