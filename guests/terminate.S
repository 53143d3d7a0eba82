/*
 * terminate.S - a guest that asks to be terminated: MSR-protocol request
 * 0x100 with reason code set 1, reason code 0x2A (GHCB MSR = 0x2A1100).
 * The hypervisor should end the run as a guest termination.
 *
 * Results (global symbols):
 *   request   u64  the value written to the GHCB MSR
 *   after     u64  the GHCB MSR after VMGEXIT, if the guest was resumed
 *   resumed   u64  1 if the guest was resumed (it should not be)
 * Ends, only if resumed, with HLT and RAX = 1.
 */
#include "sevemu.inc"

.equ TERM_REQ, GHCB_MSR_TERM_REQ | (TERM_SET_SEVEMU << GHCB_MSR_TERM_SET_SHIFT) | (TERM_TEST_CODE << GHCB_MSR_TERM_CODE_SHIFT)

	.text
	.code64

FUNC guest_main
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_TEST_CODE, %esi
	call	msrproto_term_request		/* builds the same value as TERM_REQ */
	movq	%rax, after(%rip)
	movq	$1, resumed(%rip)
	movl	$1, %eax
	ret
ENDFUNC guest_main

	.data
OBJECT request, 8
	.quad	TERM_REQ
ENDOBJECT request

	.bss
OBJECT after, 8
	.skip	8
ENDOBJECT after
OBJECT resumed, 8
	.skip	8
ENDOBJECT resumed
