/*
 * ghcb_register.S - CPUID through a GHCB page.
 *
 * The first request registers the page (ghcb_page) with the hypervisor:
 * CPUID leaf 0, subleaf 0 (sw_exitcode 0x72, exitinfo1 = exitinfo2 = 0,
 * RAX = RCX = 0 marked valid).  The second request reuses the same page for
 * leaf 0x8000001F.
 *
 * Results (global symbols):
 *   ghcb_page         the 4 KiB GHCB (page aligned, in .ghcb)
 *   ghcb_cpuid_regs   4 x u64  RAX, RBX, RCX, RDX of leaf 0
 *   vendor            13 bytes EBX, EDX, ECX of leaf 0, NUL-terminated
 *   ghcb_msr_after    u64      GHCB MSR read right after the first request
 *                              (expected: the address of ghcb_page)
 *   ghcb_sev_regs     4 x u64  RAX, RBX, RCX, RDX of leaf 0x8000001F
 *   ghcb_error        u64      ghcb_cpuid's error code if a request failed
 * Ends with HLT and RAX = 0.  A failed request (hypervisor error in
 * sw_exitinfo1, or result registers not marked valid) ends the guest with
 * termination reason set 1, code 2.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	/* CPUID 0 through the page; this also registers it. */
	leaq	ghcb_page(%rip), %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	leaq	ghcb_cpuid_regs(%rip), %rcx
	call	ghcb_cpuid
	testq	%rax, %rax
	jnz	.Lfailed

	GHCB_MSR_READ
	movq	%rax, ghcb_msr_after(%rip)

	/* Vendor string from the returned RBX, RDX, RCX (low halves). */
	leaq	ghcb_cpuid_regs(%rip), %rdx
	leaq	vendor(%rip), %rdi
	movl	8(%rdx), %eax			/* RBX */
	movl	%eax, 0(%rdi)
	movl	24(%rdx), %eax			/* RDX */
	movl	%eax, 4(%rdi)
	movl	16(%rdx), %eax			/* RCX */
	movl	%eax, 8(%rdi)
	movb	$0, 12(%rdi)

	/* Same page again: the SEV feature leaf. */
	leaq	ghcb_page(%rip), %rdi
	movl	$0x8000001F, %esi
	xorl	%edx, %edx
	leaq	ghcb_sev_regs(%rip), %rcx
	call	ghcb_cpuid
	testq	%rax, %rax
	jnz	.Lfailed

	xorl	%eax, %eax
	ret

.Lfailed:
	movq	%rax, ghcb_error(%rip)
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_GHCB_FAILED, %esi
	call	terminate			/* does not return */
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.bss
OBJECT ghcb_cpuid_regs, 8
	.skip	4 * 8
ENDOBJECT ghcb_cpuid_regs
OBJECT ghcb_sev_regs, 8
	.skip	4 * 8
ENDOBJECT ghcb_sev_regs
OBJECT ghcb_msr_after, 8
	.skip	8
ENDOBJECT ghcb_msr_after
OBJECT ghcb_error, 8
	.skip	8
ENDOBJECT ghcb_error
OBJECT vendor, 1
	.skip	13
ENDOBJECT vendor
