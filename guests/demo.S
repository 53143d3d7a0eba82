/*
 * demo.S - the README demo: find out, as an SEV-ES guest, whose CPU this is
 * and what SEV features it reports, using both ways a guest can talk to
 * the hypervisor.
 *
 *   1. MSR protocol: vendor string (leaf 0 EBX, EDX, ECX), highest extended
 *      leaf (0x80000000 EAX), SEV features (0x8000001F EAX) and the C-bit
 *      position (0x8000001F EBX[5:0]).
 *   2. GHCB page: leaf 0x8000001F again, through demo_ghcb, and compare.
 *
 * Results (global symbols):
 *   vendor           13 bytes NUL-terminated vendor string
 *   max_ext_leaf     u32  0x80000000 EAX
 *   sev_features     u32  0x8000001F EAX via the MSR protocol (0 if the
 *                         leaf does not exist; then step 2 is skipped)
 *   cbit_position    u32  0x8000001F EBX[5:0]
 *   demo_ghcb        the GHCB page (page aligned, in .ghcb)
 *   ghcb_sev_regs    4 x u64  RAX, RBX, RCX, RDX of 0x8000001F via the page
 *   protocols_agree  u32  1 if both ways returned the same EAX and EBX
 *   bad_response     u64  a malformed MSR-protocol response, if any
 *   ghcb_error       u64  ghcb_cpuid's error code, if the page request failed
 * Ends with HLT and RAX = sev_features.  Failures terminate with reason set
 * 1, code 1 (bad MSR-protocol response) or code 2 (GHCB request failed).
 */
#include "sevemu.inc"

.equ LEAF_VENDOR,	0x00000000
.equ LEAF_MAX_EXT,	0x80000000
.equ LEAF_SEV,		0x8000001F

	.text
	.code64

FUNC guest_main
	/* 1. MSR protocol */
	movl	$LEAF_VENDOR, %edi
	movl	$GHCB_CPUID_EBX, %esi
	call	cpuid_value
	movl	%eax, vendor + 0(%rip)
	movl	$LEAF_VENDOR, %edi
	movl	$GHCB_CPUID_EDX, %esi
	call	cpuid_value
	movl	%eax, vendor + 4(%rip)
	movl	$LEAF_VENDOR, %edi
	movl	$GHCB_CPUID_ECX, %esi
	call	cpuid_value
	movl	%eax, vendor + 8(%rip)
	movb	$0, vendor + 12(%rip)

	movl	$LEAF_MAX_EXT, %edi
	movl	$GHCB_CPUID_EAX, %esi
	call	cpuid_value
	movl	%eax, max_ext_leaf(%rip)
	cmpl	$LEAF_SEV, %eax
	jb	.Ldone				/* no SEV leaf: nothing more to ask */

	movl	$LEAF_SEV, %edi
	movl	$GHCB_CPUID_EAX, %esi
	call	cpuid_value
	movl	%eax, sev_features(%rip)
	movl	$LEAF_SEV, %edi
	movl	$GHCB_CPUID_EBX, %esi
	call	cpuid_value
	andl	$0x3F, %eax
	movl	%eax, cbit_position(%rip)

	/* 2. The same leaf through a GHCB page. */
	leaq	demo_ghcb(%rip), %rdi
	movl	$LEAF_SEV, %esi
	xorl	%edx, %edx
	leaq	ghcb_sev_regs(%rip), %rcx
	call	ghcb_cpuid
	testq	%rax, %rax
	jnz	.Lghcb_failed

	/* Agree if EAX matches and EBX[5:0] matches the C-bit position. */
	movl	ghcb_sev_regs + 0(%rip), %eax
	cmpl	sev_features(%rip), %eax
	jne	.Ldone
	movl	ghcb_sev_regs + 8(%rip), %eax
	andl	$0x3F, %eax
	cmpl	cbit_position(%rip), %eax
	jne	.Ldone
	movl	$1, protocols_agree(%rip)

.Ldone:
	movl	sev_features(%rip), %eax
	ret

.Lghcb_failed:
	movq	%rax, ghcb_error(%rip)
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_GHCB_FAILED, %esi
	call	terminate			/* does not return */
ENDFUNC guest_main

/*
 * cpuid_value - one CPUID register via the MSR protocol, checked.
 * in:  EDI = function, ESI = register (0..3)
 * out: EAX = the value.  A malformed response is stored in bad_response
 *      and ends the guest (reason set 1, code 1).
 */
FUNC cpuid_value
	pushq	%rbx
	movl	%esi, %ebx
	andl	$GHCB_MSR_CPUID_REG_MASK, %ebx
	call	msrproto_cpuid
	movl	%eax, %ecx
	andl	$GHCB_MSR_INFO_MASK, %ecx
	cmpl	$GHCB_MSR_CPUID_RESP, %ecx
	jne	1f
	movl	%eax, %ecx
	shrl	$GHCB_MSR_CPUID_REG_SHIFT, %ecx
	cmpl	%ebx, %ecx
	jne	1f
	shrq	$32, %rax
	popq	%rbx
	ret
1:	movq	%rax, bad_response(%rip)
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_BAD_MSR_RESPONSE, %esi
	call	terminate			/* does not return */
ENDFUNC cpuid_value

	.section .ghcb, "aw", @nobits
OBJECT demo_ghcb, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT demo_ghcb

	.bss
OBJECT ghcb_sev_regs, 8
	.skip	4 * 8
ENDOBJECT ghcb_sev_regs
OBJECT bad_response, 8
	.skip	8
ENDOBJECT bad_response
OBJECT ghcb_error, 8
	.skip	8
ENDOBJECT ghcb_error
OBJECT max_ext_leaf, 4
	.skip	4
ENDOBJECT max_ext_leaf
OBJECT sev_features, 4
	.skip	4
ENDOBJECT sev_features
OBJECT cbit_position, 4
	.skip	4
ENDOBJECT cbit_position
OBJECT protocols_agree, 4
	.skip	4
ENDOBJECT protocols_agree
OBJECT vendor, 1
	.skip	13
ENDOBJECT vendor
