/*
 * tsc_measure.S - the guest times itself with the TSC (tests/test_cycles.c).
 *
 * The TSC is the CPU's modelled clock.  The guest reads it with a
 * native RDMSR of MSR 0x10 (the vmm lets it through), around a loop of
 * 10,000 dec/jnz iterations and around one MSR-protocol CPUID round
 * trip, and with RDTSC twice in a row (through #VC when the vmm
 * intercepts it, natively when not).  Every instruction between two
 * reads is listed in the test, which adds up what the model says.
 *
 * Results (global symbols, u64):
 *   loop_cycles    TSC after the loop - TSC before it
 *   exit_cycles    TSC after the round trip - TSC before it
 *   rdtsc_cycles   second RDTSC - first RDTSC
 *   tsc_first      the first TSC read
 */
#include "sevemu.inc"

.equ MSR_TSC,		0x10

	.text
	.code64

/* RDX = the 64-bit value of RDX:RAX. */
.macro JOIN
	shlq	$32, %rdx
	orq	%rax, %rdx
.endm

FUNC guest_main
	pushq	%rbx
	call	idt_install

	movl	$MSR_TSC, %ecx
	movl	$10000, %ebx
	rdmsr
	JOIN
	movq	%rdx, %r8
1:	decl	%ebx
	jnz	1b
	rdmsr
	JOIN
	movq	%r8, tsc_first(%rip)
	subq	%r8, %rdx
	movq	%rdx, loop_cycles(%rip)

	rdmsr
	JOIN
	movq	%rdx, %r8
	movl	$MSR_SEV_GHCB, %ecx
	movl	$0x4, %eax		/* CPUID request, leaf 0, EAX */
	xorl	%edx, %edx
	wrmsr
	VMGEXIT
	movl	$MSR_TSC, %ecx
	rdmsr
	JOIN
	subq	%r8, %rdx
	movq	%rdx, exit_cycles(%rip)

	rdtsc
	JOIN
	movq	%rdx, %r8
	rdtsc
	JOIN
	subq	%r8, %rdx
	movq	%rdx, rdtsc_cycles(%rip)

	xorl	%eax, %eax
	popq	%rbx
	ret
ENDFUNC guest_main

	.data
OBJECT loop_cycles, 8
	.quad	0
ENDOBJECT loop_cycles
OBJECT exit_cycles, 8
	.quad	0
ENDOBJECT exit_cycles
OBJECT rdtsc_cycles, 8
	.quad	0
ENDOBJECT rdtsc_cycles
OBJECT tsc_first, 8
	.quad	0
ENDOBJECT tsc_first
