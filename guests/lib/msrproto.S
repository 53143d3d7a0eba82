/*
 * msrproto.S - GHCB MSR protocol helpers (AMD GHCB spec 56421, section 2.3.1).
 *
 * A request is written into the GHCB MSR (0xC0010130), VMGEXIT hands it to
 * the hypervisor, and the answer is read back from the same MSR.
 *
 * Calling convention: System V AMD64.  Arguments in RDI, RSI; result in RAX.
 * These routines clobber only RAX, RCX, RDX, RSI and RDI; RBX, RBP and
 * R8-R15 are left alone.
 */
#include "sevemu.inc"

	.text
	.code64

/*
 * ghcb_msr_vmgexit - GHCB MSR = RDI, VMGEXIT, return the GHCB MSR.
 * in:  RDI = 64-bit value for the GHCB MSR (a request or a GHCB GPA)
 * out: RAX = 64-bit value of the GHCB MSR after the hypervisor resumed us
 * clobbers RCX, RDX
 */
FUNC ghcb_msr_vmgexit
	movq	%rdi, %rax
	GHCB_MSR_WRITE
	VMGEXIT
	GHCB_MSR_READ
	ret
ENDFUNC ghcb_msr_vmgexit

/*
 * msrproto_cpuid - one CPUID register through the MSR protocol.
 * in:  EDI = CPUID function, ESI = register (0 EAX, 1 EBX, 2 ECX, 3 EDX)
 * out: RAX = the raw 64-bit response: code in 11:0 (0x005 expected),
 *      echoed register in 31:30, value in 63:32.  Not checked here.
 */
FUNC msrproto_cpuid
	movl	%edi, %edi			/* zero-extend the function */
	shlq	$GHCB_MSR_CPUID_FUNC_SHIFT, %rdi
	andl	$GHCB_MSR_CPUID_REG_MASK, %esi	/* also zero-extends */
	shlq	$GHCB_MSR_CPUID_REG_SHIFT, %rsi
	orq	%rsi, %rdi
	orq	$GHCB_MSR_CPUID_REQ, %rdi
	jmp	ghcb_msr_vmgexit
ENDFUNC msrproto_cpuid

/*
 * msrproto_term_request - send a termination request and return if the
 * hypervisor resumes the guest anyway (it should not).
 * in:  EDI = reason code set (0..15), ESI = reason code (0..255)
 * out: RAX = GHCB MSR after the unexpected resumption
 */
FUNC msrproto_term_request
	andl	$GHCB_MSR_TERM_SET_MASK, %edi
	shll	$GHCB_MSR_TERM_SET_SHIFT, %edi
	andl	$GHCB_MSR_TERM_CODE_MASK, %esi
	shll	$GHCB_MSR_TERM_CODE_SHIFT, %esi
	orl	%esi, %edi			/* upper half of RDI now zero */
	orl	$GHCB_MSR_TERM_REQ, %edi
	jmp	ghcb_msr_vmgexit
ENDFUNC msrproto_term_request

/*
 * terminate - ask the hypervisor to end the guest; never returns.
 * in:  EDI = reason code set, ESI = reason code
 * If the hypervisor resumes the guest regardless, halt for good.
 */
FUNC terminate
	call	msrproto_term_request
1:	hlt
	jmp	1b
ENDFUNC terminate
