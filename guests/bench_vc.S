/*
 * bench_vc.S - the #VC benchmark (scripts/bench): `iterations` CPUIDs
 * executed natively, each a #VC that lib/vc.S turns into a GHCB CPUID
 * request, a VMGEXIT and an IRETQ.  The bench patches `iterations`.
 *
 * Results (global symbols):
 *   iterations   u64  in .data, default 1000 (must be >= 1)
 * Ends with HLT and RAX = vc_count.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	pushq	%r12
	call	idt_install
	movq	iterations(%rip), %r12
1:	xorl	%eax, %eax
	xorl	%ecx, %ecx
	cpuid
	decq	%r12
	jnz	1b
	movq	vc_count(%rip), %rax
	popq	%r12
	popq	%rbx
	ret
ENDFUNC guest_main

	.data
OBJECT iterations, 8
	.quad	1000
ENDOBJECT iterations
