/*
 * ghcb_unsupported_event.S - the guest reports an event it cannot
 * handle: sw_exitcode 0x8000FFFF (unsupported event) through a GHCB page
 * that says protocol version 2, with sw_exitinfo1 0x72 (by OVMF's
 * convention the #VC error code it could not handle: CPUID) and
 * sw_exitinfo2 0x1234.  The hypervisor logs it and stops the VM.
 *
 * Results (global symbols):
 *   ghcb_page   the GHCB (4 KiB, in .ghcb)
 *   resumed     u64  1 if the guest got control back after the VMGEXIT
 *   exitinfo1   u64  sw_exitinfo1 then
 *   exitinfo2   u64  sw_exitinfo2 then
 * Expected: the run stops with an error, the vmm's console naming the
 * event and both values.  If resumed, halts with RAX = exitinfo1.
 */
#include "sevemu.inc"

.equ REPORTED_CODE, SVM_EXIT_CPUID		/* 0x72 */
.equ REPORTED_INFO, 0x1234

	.text
	.code64

FUNC guest_main
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear			/* RAX = the page */
	movw	$GHCB_VERSION_2, GHCB_PROTOCOL_VERSION(%rax)
	movq	%rax, %rdi
	movl	$SEV_EXIT_UNSUPPORTED_EVENT, %esi
	movl	$REPORTED_CODE, %edx
	movl	$REPORTED_INFO, %ecx
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
