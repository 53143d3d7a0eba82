/*
 * ghcb.S - GHCB page protocol helpers (AMD GHCB spec 56421, section 2.3).
 *
 * Guest RAM is identity-mapped without a C-bit, so a GHCB's virtual address
 * is also its GPA and the page is shared with the hypervisor as it is.
 *
 * Calling convention: System V AMD64.  Clobbers RAX, RCX, RDX, RSI, RDI,
 * R8-R11; preserves RBX, RBP, R12-R15.
 */
#include "sevemu.inc"

	.text
	.code64

/*
 * ghcb_cpuid - execute CPUID through a GHCB page (sw_exitcode 0x72).
 * in:  RDI = GHCB page GPA (4 KiB aligned)
 *      ESI = leaf (guest RAX), EDX = subleaf (guest RCX)
 *      RCX = where to store the results: 4 x u64, RAX, RBX, RCX, RDX
 * out: RAX = GHCB_OK (0) on success, else one of GHCB_ERR_* (sevemu.inc).
 *      The result slots are written only on success.  The GHCB MSR is left
 *      holding the page's GPA.
 */
FUNC ghcb_cpuid
	testl	$(GHCB_PAGE_SIZE - 1), %edi
	jnz	.Lmisaligned

	movq	%rdi, %r8			/* r8  = GHCB page */
	movl	%esi, %r9d			/* r9  = leaf, zero-extended */
	movl	%edx, %r10d			/* r10 = subleaf, zero-extended */
	movq	%rcx, %r11			/* r11 = result slots */

	/* Start from an all-zero page: nothing stale is marked valid. */
	xorl	%eax, %eax
	movl	$(GHCB_PAGE_SIZE / 8), %ecx
	rep stosq				/* RDI = page, walks to its end */

	/* The request: CPUID(leaf, subleaf). */
	movq	%r9, GHCB_RAX(%r8)
	movq	%r10, GHCB_RCX(%r8)
	movq	$SVM_EXIT_CPUID, GHCB_SW_EXITCODE(%r8)
	movq	$0, GHCB_SW_EXITINFO1(%r8)
	movq	$0, GHCB_SW_EXITINFO2(%r8)
	GHCB_SET_VALID %r8, GHCB_BIT_RAX
	GHCB_SET_VALID %r8, GHCB_BIT_RCX
	GHCB_SET_VALID %r8, GHCB_BIT_SW_EXITCODE
	GHCB_SET_VALID %r8, GHCB_BIT_SW_EXITINFO1
	GHCB_SET_VALID %r8, GHCB_BIT_SW_EXITINFO2
	movw	$GHCB_VERSION_USED, GHCB_PROTOCOL_VERSION(%r8)
	movl	$GHCB_USAGE_STANDARD, GHCB_USAGE(%r8)

	/* Hand the page's GPA to the hypervisor. */
	movq	%r8, %rdi
	call	ghcb_msr_vmgexit		/* keeps R8-R11 */

	/* sw_exitinfo1[31:0] != 0 means the hypervisor reports an error. */
	movl	GHCB_SW_EXITINFO1(%r8), %eax
	testl	%eax, %eax
	jnz	.Lhv_error

	/* Each result register must come back marked valid. */
	GHCB_TEST_VALID %r8, GHCB_BIT_RAX
	jz	.Lnot_valid
	GHCB_TEST_VALID %r8, GHCB_BIT_RBX
	jz	.Lnot_valid
	GHCB_TEST_VALID %r8, GHCB_BIT_RCX
	jz	.Lnot_valid
	GHCB_TEST_VALID %r8, GHCB_BIT_RDX
	jz	.Lnot_valid

	movq	GHCB_RAX(%r8), %rax
	movq	%rax, 0(%r11)
	movq	GHCB_RBX(%r8), %rax
	movq	%rax, 8(%r11)
	movq	GHCB_RCX(%r8), %rax
	movq	%rax, 16(%r11)
	movq	GHCB_RDX(%r8), %rax
	movq	%rax, 24(%r11)

	movl	$GHCB_OK, %eax
	ret

.Lhv_error:
	movl	$GHCB_ERR_HV, %eax
	ret
.Lnot_valid:
	movl	$GHCB_ERR_NOT_VALID, %eax
	ret
.Lmisaligned:
	movl	$GHCB_ERR_MISALIGNED, %eax
	ret
ENDFUNC ghcb_cpuid

/*
 * ghcb_clear - start a request: zero the whole page (valid bitmap and
 * shared buffer included), then write protocol version 1 and usage 0.
 * in:  RDI = GHCB page
 * out: RAX = the page
 * clobbers RCX, RDX, RDI (DF must be clear)
 */
FUNC ghcb_clear
	movq	%rdi, %rdx
	xorl	%eax, %eax
	movl	$(GHCB_PAGE_SIZE / 8), %ecx
	rep stosq
	movw	$GHCB_VERSION_USED, GHCB_PROTOCOL_VERSION(%rdx)
	movl	$GHCB_USAGE_STANDARD, GHCB_USAGE(%rdx)
	movq	%rdx, %rax
	ret
ENDFUNC ghcb_clear

/*
 * ghcb_nae - finish and send a request whose input registers (and their
 * valid bits) are already in the page: set sw_exitcode, sw_exitinfo1 and
 * sw_exitinfo2 with their valid bits, GHCB MSR = the page's GPA, VMGEXIT.
 * in:  RDI = GHCB page, RSI = sw_exitcode, RDX = sw_exitinfo1,
 *      RCX = sw_exitinfo2 (all full 64-bit values)
 * out: RAX = sw_exitinfo1 as the hypervisor left it (bits 31:0 zero: ok)
 * clobbers RCX, RDX, RSI, RDI, R8
 */
FUNC ghcb_nae
	movq	%rsi, GHCB_SW_EXITCODE(%rdi)
	movq	%rdx, GHCB_SW_EXITINFO1(%rdi)
	movq	%rcx, GHCB_SW_EXITINFO2(%rdi)
	GHCB_SET_VALID %rdi, GHCB_BIT_SW_EXITCODE
	GHCB_SET_VALID %rdi, GHCB_BIT_SW_EXITINFO1
	GHCB_SET_VALID %rdi, GHCB_BIT_SW_EXITINFO2
	movq	%rdi, %r8
	call	ghcb_msr_vmgexit		/* keeps R8 */
	movq	GHCB_SW_EXITINFO1(%r8), %rax
	ret
ENDFUNC ghcb_nae
