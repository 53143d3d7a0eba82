/*
 * highhalf.S - a guest that, like a kernel, is linked high and loaded
 * low: it starts at its physical address in the runner's identity
 * map, maps the top 2 GiB onto the first GiB, moves CR3 so the CPU
 * takes the new mapping, jumps to its linked address and halts there.
 *
 * Results (global symbols):
 *   high_marker   u64  0x600dcafe, written through the high mapping
 *   high_start_va u64  _start's address as seen from up there
 */
#include "sevemu.inc"

.equ RUNNER_PML4,	0x2000
.equ RUNNER_PD0,	0x4000		/* the runner's PD for GiB 0 */
.equ PTE_PW,		0x3

	.section .text.entry, "ax"
	.code64
	.globl	_start
_start:
	/* Running at the physical address: RIP-relative gives physical. */
	leaq	high_pdpt(%rip), %rdx
	movq	$(RUNNER_PD0 | PTE_PW), %rax
	movq	%rax, 510 * 8(%rdx)		/* 0xffffffff80000000 */
	orq	$PTE_PW, %rdx
	movq	%rdx, RUNNER_PML4 + 511 * 8
	movq	%cr3, %rax
	movq	%rax, %cr3
	movabsq	$high_entry, %rax
	jmpq	*%rax

high_entry:
	movabsq	$high_marker, %rdx
	movq	$0x600dcafe, (%rdx)
	leaq	_start(%rip), %rax
	movabsq	$high_start_va, %rdx
	movq	%rax, (%rdx)
	.globl	high_halt
high_halt:
	hlt
	jmp	high_halt

	.data
	.balign	4096
high_pdpt:
	.zero	4096
	.globl	high_marker, high_start_va
high_marker:
	.quad	0
high_start_va:
	.quad	0
