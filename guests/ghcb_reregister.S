/*
 * ghcb_reregister.S - switch to a second GHCB page after the first one
 * was registered.
 *
 * Page A (ghcb_page_a) is registered by a CPUID leaf 0 request through it.
 * Then the same request goes through page B (ghcb_page_b), a different
 * GPA.  The hypervisor must decline that: the run is expected to stop with
 * an error at the second VMGEXIT.
 *
 * Results (global symbols):
 *   ghcb_page_a, ghcb_page_b   the two GHCB pages (page aligned, in .ghcb)
 *   regs_a                     4 x u64  RAX, RBX, RCX, RDX via page A
 *   regs_b                     4 x u64  same via page B (if it got that far)
 *   first_done                 u64  1 once the request through A succeeded
 *   passed_reregister          u64  1 if the guest got past the request
 *                                   through B (the hypervisor failed)
 *   second_status              u64  ghcb_cpuid's result for page B
 *   ghcb_error                 u64  error code if the request through A failed
 * Ends with HLT and RAX = 1 only if it got past page B.  A failure of the
 * request through A ends the guest with termination reason set 1, code 2.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	leaq	ghcb_page_a(%rip), %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	leaq	regs_a(%rip), %rcx
	call	ghcb_cpuid
	testq	%rax, %rax
	jnz	.Lfailed
	movq	$1, first_done(%rip)

	/* A different page: the hypervisor should stop the run here. */
	leaq	ghcb_page_b(%rip), %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	leaq	regs_b(%rip), %rcx
	call	ghcb_cpuid
	movq	%rax, second_status(%rip)
	movq	$1, passed_reregister(%rip)

	movl	$1, %eax
	ret

.Lfailed:
	movq	%rax, ghcb_error(%rip)
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_GHCB_FAILED, %esi
	call	terminate			/* does not return */
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page_a, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page_a
OBJECT ghcb_page_b, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page_b

	.bss
OBJECT regs_a, 8
	.skip	4 * 8
ENDOBJECT regs_a
OBJECT regs_b, 8
	.skip	4 * 8
ENDOBJECT regs_b
OBJECT first_done, 8
	.skip	8
ENDOBJECT first_done
OBJECT passed_reregister, 8
	.skip	8
ENDOBJECT passed_reregister
OBJECT second_status, 8
	.skip	8
ENDOBJECT second_status
OBJECT ghcb_error, 8
	.skip	8
ENDOBJECT ghcb_error
