/*
 * mmio_npf.S - a data access outside guest RAM.  On SEV-ES the CPU
 * reflects it to the guest as #VC with the NPF exit code (0x400); this
 * guest's handler (lib/vc.S) has no MMIO decoder, so it records the
 * code and terminates (set 1, code 3).
 *
 * Results (global symbols):
 *   before_mmio  u64  1 just before the access
 *   after_mmio   u64  1 only if the guest ran on past it
 *   mmio_rip     u64  the address of the access, for vc_last_rip
 * Expected: terminated, set 1 code 3; vc_last_code = 0x400.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	call	idt_install
	leaq	mmio_access(%rip), %rax
	movq	%rax, mmio_rip(%rip)
	movq	$1, before_mmio(%rip)
	movl	$0xfed00000, %ecx
	/* Other accesses in the same block, to RAM, before it. */
	pushq	%rcx
	movq	(%rsp), %rdx
	movq	before_mmio(%rip), %rdx
	popq	%rdx
	/* Mid-block: the CPU must still report this instruction. */
mmio_access:
	movq	(%rcx), %rax
	movq	$1, after_mmio(%rip)
	movl	$1, %eax
	popq	%rbx
	ret
ENDFUNC guest_main

	.bss
OBJECT before_mmio, 8
	.skip	8
ENDOBJECT before_mmio
OBJECT after_mmio, 8
	.skip	8
ENDOBJECT after_mmio
OBJECT mmio_rip, 8
	.skip	8
ENDOBJECT mmio_rip
