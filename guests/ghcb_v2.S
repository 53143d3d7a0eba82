/*
 * ghcb_v2.S - the NAE events of GHCB protocol version 2 that no #VC
 * raises, each through a GHCB page that says version 2, in order:
 *   1. hypervisor feature support  0x8000FFFD, 0 / 0
 *                                  -> sw_exitinfo2 = the feature bitmap
 *   2. AP jump table SET           0x80000005, 0 / JUMP_TABLE_GPA
 *   3. AP jump table GET           0x80000005, 1 / 0
 *                                  -> sw_exitinfo2 = the GPA of step 2
 *   4. AP reset hold               0x80000004, 0 / 0
 *                                  -> sw_exitinfo2 != 0: released
 * Then the answers that depend on the input and the version:
 *   5. AP jump table, sub-function 2 (neither SET nor GET): refused,
 *      sw_exitinfo1 2, sw_exitinfo2 5 (invalid input)
 *   6. hypervisor feature support in a page that says version 1, where
 *      the event does not exist: refused, 2 / 6 (invalid event)
 *   7. AP jump table GET in a page that says version 1 (a version 1
 *      event): answered as in step 3
 * The unsupported event (0x8000FFFF) stops the VM: ghcb_unsupported_event.S.
 *
 * Results (global symbols, all u64): for each step, sw_exitinfo1 and
 * sw_exitinfo2 as the hypervisor answered them (0 if not reached):
 *   hv_features_info1/2, jump_set_info1/2, jump_get_info1/2,
 *   reset_hold_info1/2, jump_bad_info1/2, v1_hv_features_info1/2,
 *   v1_jump_get_info1/2
 *   jump_table_gpa  the GPA set in step 2 (JUMP_TABLE_GPA)
 *   steps           steps answered, 0..7
 *   ghcb_page       the GHCB (4 KiB, in .ghcb)
 * Ends with HLT and RAX = steps (7).  A vmm that fails a request stops
 * the run there: steps says how far the guest got.
 */
#include "sevemu.inc"

/* Recognisable, page aligned, in guest RAM (not that the vmm checks). */
.equ JUMP_TABLE_GPA, 0xABC000
.equ AP_JUMP_TABLE_BAD, 2

/*
 * One request: clear ghcb_page, write protocol version \version, send
 * sw_exitcode \code with sw_exitinfo1 \info1 and sw_exitinfo2 \info2,
 * store the answer's sw_exitinfo1 and 2 in \out_info1 and \out_info2.
 * Clobbers RAX, RCX, RDX, RSI, RDI, R8.
 */
.macro STEP version, code, info1, info2, out
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear			/* RAX = the page */
	movw	$\version, GHCB_PROTOCOL_VERSION(%rax)
	movq	%rax, %rdi
	movl	$\code, %esi			/* zero-extended */
	movq	$\info1, %rdx
	movq	$\info2, %rcx
	call	ghcb_nae			/* RAX = sw_exitinfo1 */
	movq	%rax, \out\()_info1(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO2(%rip), %rax
	movq	%rax, \out\()_info2(%rip)
	incq	steps(%rip)
.endm

	.text
	.code64

FUNC guest_main
	STEP	GHCB_VERSION_2, SEV_EXIT_HV_FEATURES, 0, 0, hv_features

	movq	$JUMP_TABLE_GPA, jump_table_gpa(%rip)
	STEP	GHCB_VERSION_2, SEV_EXIT_AP_JUMP_TABLE, AP_JUMP_TABLE_SET, \
		JUMP_TABLE_GPA, jump_set
	STEP	GHCB_VERSION_2, SEV_EXIT_AP_JUMP_TABLE, AP_JUMP_TABLE_GET, 0, \
		jump_get

	STEP	GHCB_VERSION_2, SEV_EXIT_AP_RESET_HOLD, 0, 0, reset_hold

	STEP	GHCB_VERSION_2, SEV_EXIT_AP_JUMP_TABLE, AP_JUMP_TABLE_BAD, 0, \
		jump_bad
	STEP	GHCB_VERSION_USED, SEV_EXIT_HV_FEATURES, 0, 0, v1_hv_features
	STEP	GHCB_VERSION_USED, SEV_EXIT_AP_JUMP_TABLE, AP_JUMP_TABLE_GET, \
		0, v1_jump_get

	movq	steps(%rip), %rax
	ret
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

.macro U64 name
OBJECT \name, 8
	.skip	8
ENDOBJECT \name
.endm

	.bss
	U64	hv_features_info1
	U64	hv_features_info2
	U64	jump_set_info1
	U64	jump_set_info2
	U64	jump_get_info1
	U64	jump_get_info2
	U64	reset_hold_info1
	U64	reset_hold_info2
	U64	jump_bad_info1
	U64	jump_bad_info2
	U64	v1_hv_features_info1
	U64	v1_hv_features_info2
	U64	v1_jump_get_info1
	U64	v1_jump_get_info2
	U64	jump_table_gpa
	U64	steps
