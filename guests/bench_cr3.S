/*
 * bench_cr3.S - the CR3 benchmark (scripts/bench): `iterations` times a
 * MOV to CR3 (the same tables again, which makes the CPU rebuild its
 * shadow tables) followed by an MSR-protocol CPUID round trip, the exit
 * after which the host's view of guest memory must be up to date.  The
 * bench patches `iterations` and runs it with 16 MiB and 3 GiB of RAM.
 *
 * Results (global symbols):
 *   iterations   u64  in .data, default 1000 (must be >= 1)
 * Ends with HLT.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	movq	iterations(%rip), %rbx
1:	movq	%cr3, %rax
	movq	%rax, %cr3
	movl	$0x4, %eax
	xorl	%edx, %edx
	movl	$MSR_SEV_GHCB, %ecx
	wrmsr
	VMGEXIT
	rdmsr
	decq	%rbx
	jnz	1b
	popq	%rbx
	ret
ENDFUNC guest_main

	.data
OBJECT iterations, 8
	.quad	1000
ENDOBJECT iterations
