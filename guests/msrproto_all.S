/*
 * msrproto_all.S - the GHCB MSR protocol requests besides CPUID and
 * termination, one after the other:
 *   1. SEV information          0x002 -> 0x001  (63:48 max, 47:32 min
 *                                               protocol, 31:24 C-bit)
 *   2. preferred GHCB GPA       0x010 -> 0x011  (GPA in 63:12)
 *   3. register GHCB GPA        0x012 | GFN of ghcb_page << 12
 *                               -> 0x013 with the same GFN (all ones: refused)
 *   4. hypervisor features      0x080 -> 0x081  (bitmap in 63:12)
 *   5. AP reset hold            0x006 -> 0x007  (63:12 non-zero: released)
 * Each raw response is stored and its code (bits 11:0) checked; then
 * progress is incremented.  A vmm that rejects a request stops the run
 * there: progress says how far the guest got.
 *
 * Results (global symbols):
 *   sev_info, pref_ghcb, reg_response, hv_features, ap_hold
 *                   u64  raw responses (0 if not reached)
 *   reg_request     u64  the registration request sent
 *   reg_ok          u64  1 if reg_response = 0x013 | GFN of ghcb_page << 12
 *   progress        u64  requests answered with the right code (0..5)
 *   bad_response    u64  a response with the wrong code, if any
 *   ghcb_page       the page registered (4 KiB, in .ghcb; not used otherwise)
 * Ends with HLT and RAX = progress (5).  A response with the wrong code
 * ends the guest with termination reason set 1, code 1.
 */
#include "sevemu.inc"

/*
 * One request: RDI = value, expected response code, result symbol.
 * Clobbers RAX, RCX, RDX, RSI, RDI.
 */
.macro REQUEST resp_code, result
	call	ghcb_msr_vmgexit
	movq	%rax, \result(%rip)
	movl	%eax, %ecx
	andl	$GHCB_MSR_INFO_MASK, %ecx
	cmpl	$\resp_code, %ecx
	jne	.Lbad
	incq	progress(%rip)
.endm

	.text
	.code64

FUNC guest_main
	movl	$GHCB_MSR_SEV_INFO_REQ, %edi
	REQUEST	GHCB_MSR_SEV_INFO_RESP, sev_info

	movl	$GHCB_MSR_PREF_GPA_REQ, %edi
	REQUEST	GHCB_MSR_PREF_GPA_RESP, pref_ghcb

	leaq	ghcb_page(%rip), %rdi		/* page aligned: GFN << 12 */
	orq	$GHCB_MSR_REG_GPA_REQ, %rdi
	movq	%rdi, reg_request(%rip)
	REQUEST	GHCB_MSR_REG_GPA_RESP, reg_response
	leaq	ghcb_page(%rip), %rdx
	orq	$GHCB_MSR_REG_GPA_RESP, %rdx
	xorl	%ecx, %ecx
	cmpq	%rdx, reg_response(%rip)
	sete	%cl
	movq	%rcx, reg_ok(%rip)

	movl	$GHCB_MSR_HV_FEAT_REQ, %edi
	REQUEST	GHCB_MSR_HV_FEAT_RESP, hv_features

	movl	$GHCB_MSR_AP_RESET_HOLD_REQ, %edi
	REQUEST	GHCB_MSR_AP_RESET_HOLD_RESP, ap_hold

	movq	progress(%rip), %rax
	ret

.Lbad:
	movq	%rax, bad_response(%rip)
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_BAD_MSR_RESPONSE, %esi
	call	terminate			/* does not return */
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.bss
OBJECT sev_info, 8
	.skip	8
ENDOBJECT sev_info
OBJECT pref_ghcb, 8
	.skip	8
ENDOBJECT pref_ghcb
OBJECT reg_request, 8
	.skip	8
ENDOBJECT reg_request
OBJECT reg_response, 8
	.skip	8
ENDOBJECT reg_response
OBJECT reg_ok, 8
	.skip	8
ENDOBJECT reg_ok
OBJECT hv_features, 8
	.skip	8
ENDOBJECT hv_features
OBJECT ap_hold, 8
	.skip	8
ENDOBJECT ap_hold
OBJECT progress, 8
	.skip	8
ENDOBJECT progress
OBJECT bad_response, 8
	.skip	8
ENDOBJECT bad_response
