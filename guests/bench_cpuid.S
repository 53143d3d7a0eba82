/*
 * bench_cpuid.S - the round-trip benchmark (tests/bench/bench_roundtrip.c,
 * scripts/bench): `iterations` MSR-protocol CPUID requests (leaf 0, EAX),
 * nothing else.  The loop body must stay byte for byte the one the bench
 * replays on bare Unicorn:
 *   1: mov $0x4, %eax ; mov $0x0, %edx ; mov $0xc0010130, %ecx
 *      wrmsr ; vmgexit (f3 0f 01 d9) ; rdmsr ; dec %rbx ; jnz 1b
 * The bench patches `iterations` in guest memory before the run.
 *
 * Results (global symbols):
 *   iterations   u64  in .data, default 1000 (must be >= 1)
 * Ends with HLT (lib/start.S) and RAX = the last response's low half
 * (0x005 in bits 11:0).
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	mov	iterations(%rip), %rbx
1:	mov	$0x4, %eax
	mov	$0x0, %edx
	mov	$0xc0010130, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9		/* VMGEXIT, inline on purpose */
	rdmsr
	dec	%rbx
	jnz	1b
	ret
ENDFUNC guest_main

	.data
OBJECT iterations, 8
	.quad	1000
ENDOBJECT iterations
