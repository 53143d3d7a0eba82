/*
 * rdpmc_bound.S - RDPMC through the GHCB of the last counter the CPU
 * has (5 of 6) and of the one past it (6).  The vmm reads 0 for the
 * first and raises #GP for the second, as the CPU would.
 *
 * Results (global symbols):
 *   ghcb_page     the GHCB (4 KiB, in .ghcb)
 *   last_info1    u64  sw_exitinfo1 of RDPMC 5 (0: served)
 *   last_rax      u64  RAX it returned
 *   last_rdx      u64  RDX it returned
 *   past_info1    u64  sw_exitinfo1 of RDPMC 6 (1: an exception)
 *   past_info2    u64  sw_exitinfo2 then (the event: #GP, error code 0)
 */
#include "sevemu.inc"

	.text
	.code64

/* RDPMC of counter ESI through the GHCB: RAX = sw_exitinfo1. */
FUNC rdpmc_ghcb
	pushq	%rsi
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear
	popq	%rsi
	leaq	ghcb_page(%rip), %rdi
	movq	%rsi, GHCB_RCX(%rdi)
	GHCB_SET_VALID %rdi, GHCB_BIT_RCX
	movl	$SVM_EXIT_RDPMC, %esi
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	call	ghcb_nae
	ret
ENDFUNC rdpmc_ghcb

FUNC guest_main
	movl	$5, %esi
	call	rdpmc_ghcb
	movq	%rax, last_info1(%rip)
	movq	ghcb_page + GHCB_RAX(%rip), %rax
	movq	%rax, last_rax(%rip)
	movq	ghcb_page + GHCB_RDX(%rip), %rax
	movq	%rax, last_rdx(%rip)

	movl	$6, %esi
	call	rdpmc_ghcb
	movq	%rax, past_info1(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO2(%rip), %rax
	movq	%rax, past_info2(%rip)
	ret
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.data
OBJECT last_info1, 8
	.quad	-1
ENDOBJECT last_info1
OBJECT last_rax, 8
	.quad	-1
ENDOBJECT last_rax
OBJECT last_rdx, 8
	.quad	-1
ENDOBJECT last_rdx
OBJECT past_info1, 8
	.quad	-1
ENDOBJECT past_info1
OBJECT past_info2, 8
	.quad	-1
ENDOBJECT past_info2
