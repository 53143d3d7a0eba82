/*
 * ghcb_unknown_exit.S - a GHCB request with sw_exitcode 0x12345, an exit
 * code no hypervisor knows (exitinfo1 = exitinfo2 = 0, nothing else
 * valid).  The hypervisor must report an error to the guest in
 * sw_exitinfo1 (the GHCB specification's way) or stop the run.
 *
 * Results (global symbols):
 *   ghcb_page   the GHCB (4 KiB, in .ghcb)
 *   resumed     u64  1 if the guest got control back after the VMGEXIT
 *   exitinfo1   u64  sw_exitinfo1 then (non-zero low half: error reported)
 *   exitinfo2   u64  sw_exitinfo2 then
 * Expected: resumed = 1 with exitinfo1[31:0] != 0, or the run stops with
 * an error.  If resumed, halts with RAX = exitinfo1.
 */
#include "sevemu.inc"

.equ UNKNOWN_EXIT, 0x12345

	.text
	.code64

FUNC guest_main
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear
	leaq	ghcb_page(%rip), %rdi
	movl	$UNKNOWN_EXIT, %esi
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
