/*
 * vc_no_idt.S - CPUID with no IDT at all (the runner leaves the IDTR limit
 * at 0).  The CPU cannot deliver the #VC and shuts down.
 *
 * Results (global symbols):
 *   reached       u64  1 just before the CPUID
 *   after_cpuid   u64  1 only if the guest ran on past the CPUID (then
 *                      halted with RAX = 1)
 * Expected: the run ends "shutdown"; reached = 1, after_cpuid = 0.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	movq	$1, reached(%rip)
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	cpuid
	movq	$1, after_cpuid(%rip)
	movl	$1, %eax
	popq	%rbx
	ret
ENDFUNC guest_main

	.bss
OBJECT reached, 8
	.skip	8
ENDOBJECT reached
OBJECT after_cpuid, 8
	.skip	8
ENDOBJECT after_cpuid
