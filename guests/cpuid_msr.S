/*
 * cpuid_msr.S - CPUID through the GHCB MSR protocol, the way an SEV-ES
 * kernel's early boot code (locore) has to do it before it has a GHCB.
 *
 * Reads EAX, EBX, ECX and EDX of leaves 0x0, 0x1, 0x80000000 and 0x8000001F
 * (16 requests, leaf-major, register-minor) and checks every response.
 *
 * Results (global symbols):
 *   cpuid_raw       16 x u64  raw response MSR values, in request order
 *   cpuid_vals      16 x u32  the values (response bits 63:32)
 *   vendor          13 bytes  EBX, EDX, ECX of leaf 0, NUL-terminated
 *   response_count  u32       responses received and accepted
 *   bad_response    u64       the offending response, if one was malformed
 * Ends with HLT and RAX = 16.  A malformed response (code != 0x005 or wrong
 * echoed register) ends the guest with termination reason set 1, code 1.
 */
#include "sevemu.inc"

.equ NLEAVES,	4
.equ NREQ,	NLEAVES * 4

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	pushq	%r12

	xorl	%r12d, %r12d			/* r12 = request index 0..15 */
.Lnext:
	/* EDI = leaves[index / 4], ESI = index % 4 */
	movl	%r12d, %eax
	shrl	$2, %eax
	leaq	leaves(%rip), %rdx
	movl	(%rdx,%rax,4), %edi
	movl	%r12d, %esi
	andl	$3, %esi
	call	msrproto_cpuid			/* RAX = raw response */

	leaq	cpuid_raw(%rip), %rdx
	movq	%rax, (%rdx,%r12,8)

	/* Response code must be 0x005 ... */
	movl	%eax, %ecx
	andl	$GHCB_MSR_INFO_MASK, %ecx
	cmpl	$GHCB_MSR_CPUID_RESP, %ecx
	jne	.Lbad
	/* ... and bits 31:30 must echo the register asked for. */
	movl	%eax, %ecx
	shrl	$GHCB_MSR_CPUID_REG_SHIFT, %ecx
	movl	%r12d, %ebx
	andl	$3, %ebx
	cmpl	%ebx, %ecx
	jne	.Lbad

	shrq	$32, %rax			/* the register's value */
	leaq	cpuid_vals(%rip), %rdx
	movl	%eax, (%rdx,%r12,4)

	incl	%r12d
	movl	%r12d, response_count(%rip)
	cmpl	$NREQ, %r12d
	jb	.Lnext

	/* Vendor string: leaf 0 EBX, EDX, ECX = cpuid_vals[1], [3], [2]. */
	leaq	cpuid_vals(%rip), %rdx
	leaq	vendor(%rip), %rdi
	movl	4(%rdx), %eax
	movl	%eax, 0(%rdi)
	movl	12(%rdx), %eax
	movl	%eax, 4(%rdi)
	movl	8(%rdx), %eax
	movl	%eax, 8(%rdi)
	movb	$0, 12(%rdi)

	movl	%r12d, %eax			/* RAX = 16 */
	popq	%r12
	popq	%rbx
	ret

.Lbad:
	movq	%rax, bad_response(%rip)
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_BAD_MSR_RESPONSE, %esi
	call	terminate			/* does not return */
ENDFUNC guest_main

	.section .rodata
OBJECT leaves, 4
	.long	0x00000000, 0x00000001, 0x80000000, 0x8000001F
ENDOBJECT leaves

	.bss
OBJECT cpuid_raw, 8
	.skip	NREQ * 8
ENDOBJECT cpuid_raw
OBJECT cpuid_vals, 4
	.skip	NREQ * 4
ENDOBJECT cpuid_vals
OBJECT vendor, 1
	.skip	13
ENDOBJECT vendor
OBJECT response_count, 4
	.skip	4
ENDOBJECT response_count
OBJECT bad_response, 8
	.skip	8
ENDOBJECT bad_response
