/*
 * ghcb_before_register.S - VMGEXIT with the GHCB MSR = 0: no GHCB has
 * been registered or used, and 0 is no MSR-protocol request either (code
 * 0x000 is "GHCB GPA", here GPA 0, the runner's reserved memory).  The
 * hypervisor must refuse it.
 *
 * Results (global symbols):
 *   resumed     u64  1 if the guest got control back after the VMGEXIT
 *   after       u64  the GHCB MSR then
 * Expected: the run stops with an error.  If resumed, halts with
 * RAX = after.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	xorl	%edi, %edi
	call	ghcb_msr_vmgexit
	movq	$1, resumed(%rip)
	movq	%rax, after(%rip)
	ret
ENDFUNC guest_main

	.bss
OBJECT resumed, 8
	.skip	8
ENDOBJECT resumed
OBJECT after, 8
	.skip	8
ENDOBJECT after
