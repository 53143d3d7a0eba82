/*
 * vc_not_present.S - an IDT whose gate 29 is not present: idt_install
 * (lib/vc.S) builds it, then the guest clears the gate's P bit and
 * executes CPUID.  The CPU cannot deliver the #VC and shuts down.
 *
 * Results (global symbols):
 *   reached       u64  1 just before the CPUID
 *   after_cpuid   u64  1 only if the guest ran on past the CPUID (then
 *                      halted with RAX = 1)
 *   vc_count      u64  (lib/vc.S) stays 0
 * Expected: the run ends "shutdown"; reached = 1, after_cpuid = 0.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	call	idt_install
	andb	$~IDT_GATE_PRESENT, vc_idt + VC_VECTOR * 16 + 5(%rip)
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
