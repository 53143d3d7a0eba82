/*
 * ghcb_missing_valid.S - a CPUID request (sw_exitcode 0x72, leaf 0)
 * through ghcb_page with RAX marked valid but RCX not (RCX = 0 is in the
 * page, its valid bit 97 is clear).  The hypervisor must refuse it: either
 * it stops the run with an error, or it resumes the guest with
 * sw_exitinfo1[31:0] != 0.
 *
 * Results (global symbols):
 *   ghcb_page   the GHCB (4 KiB, in .ghcb)
 *   resumed     u64  1 if the guest got control back after the VMGEXIT
 *   exitinfo1   u64  sw_exitinfo1 then (non-zero low half: error reported)
 *   exitinfo2   u64  sw_exitinfo2 then
 * Expected: the run stops with an error, or resumed = 1 with
 * exitinfo1[31:0] != 0.  If resumed, halts with RAX = exitinfo1.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear
	movq	$0, ghcb_page + GHCB_RAX(%rip)
	movq	$0, ghcb_page + GHCB_RCX(%rip)	/* present, not marked valid */
	leaq	ghcb_page(%rip), %rdi
	GHCB_SET_VALID %rdi, GHCB_BIT_RAX
	movl	$SVM_EXIT_CPUID, %esi
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	call	ghcb_nae

	movq	$1, resumed(%rip)
	movq	%rax, exitinfo1(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO2(%rip), %rdx
	movq	%rdx, exitinfo2(%rip)
	ret
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.bss
OBJECT resumed, 8
	.skip	8
ENDOBJECT resumed
OBJECT exitinfo1, 8
	.skip	8
ENDOBJECT exitinfo1
OBJECT exitinfo2, 8
	.skip	8
ENDOBJECT exitinfo2
