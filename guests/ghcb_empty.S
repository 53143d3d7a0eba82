/*
 * ghcb_empty.S - a VMGEXIT with a GHCB page that is all zeroes: no
 * valid bits, no exit code, protocol version 0, as a guest that has
 * registered its GHCB but not filled it might hand over.  The
 * hypervisor must not end the VM for it: the specification has a
 * malformed request answered in the GHCB (sw_exitinfo1 = 2, here with
 * reason 4, missing input, since not even sw_exitcode is valid).
 *
 * Results (global symbols):
 *   ghcb_page   the GHCB (4 KiB, in .ghcb)
 *   resumed     u64  1 if the guest got control back after the VMGEXIT
 *   exitinfo1   u64  sw_exitinfo1 then
 *   exitinfo2   u64  sw_exitinfo2 then
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_msr_vmgexit
	movq	$1, resumed(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO1(%rip), %rax
	movq	%rax, exitinfo1(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO2(%rip), %rax
	movq	%rax, exitinfo2(%rip)
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
