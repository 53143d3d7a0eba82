/*
 * msr_unsupported.S - an MSR-protocol request with a code no hypervisor
 * knows (0x0FF), carrying 0x1234 in bits 63:12 so it is easy to spot in a
 * trace.  The hypervisor should stop the run with an error.
 *
 * Results (global symbols):
 *   request   u64  the value written to the GHCB MSR (0x00000000012340FF)
 *   after     u64  the GHCB MSR after VMGEXIT, if the guest was resumed
 *   resumed   u64  1 if the guest was resumed
 * Ends, only if resumed, with HLT and RAX = the MSR value read back.
 */
#include "sevemu.inc"

.equ UNSUPPORTED_CODE,	0x0FF
.equ UNSUPPORTED_DATA,	0x1234
.equ UNSUPPORTED_REQ,	(UNSUPPORTED_DATA << GHCB_MSR_DATA_SHIFT) | UNSUPPORTED_CODE

	.text
	.code64

FUNC guest_main
	movq	request(%rip), %rdi
	call	ghcb_msr_vmgexit
	movq	%rax, after(%rip)
	movq	$1, resumed(%rip)
	ret					/* RAX = MSR value */
ENDFUNC guest_main

	.data
OBJECT request, 8
	.quad	UNSUPPORTED_REQ
ENDOBJECT request

	.bss
OBJECT after, 8
	.skip	8
ENDOBJECT after
OBJECT resumed, 8
	.skip	8
ENDOBJECT resumed
