/*
 * vc_ist.S - #VC through a gate with an IST index: the CPU must switch
 * to the stack the TSS names, whatever RSP was.  The guest loads its
 * own GDT with a 64-bit TSS whose IST1 is ist_stack_top, points gate 29
 * at IST1, and executes CPUID.
 *
 * Results (global symbols):
 *   cpuid_site      the CPUID that raises the #VC
 *   ist_stack_top   top of the IST1 stack; the frame the CPU pushed
 *                   stays below it: error code at -48, RIP at -40
 *   vendor_ebx      u64  EBX of leaf 0 ("Auth")
 * Expected: halted, RAX = 1; the IST frame holds 0x72 and cpuid_site.
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	/* TSS descriptor (16 bytes) at GDT offset 0x18: limit 0x67, type 9. */
	leaq	tss(%rip), %rax
	movq	%rax, %rdx
	shlq	$16, %rdx
	movabsq	$0x000000ffffff0000, %rcx
	andq	%rcx, %rdx			/* base 23:0 -> bits 39:16 */
	movq	%rax, %rcx
	shrq	$24, %rcx
	andq	$0xff, %rcx
	shlq	$56, %rcx			/* base 31:24 -> bits 63:56 */
	orq	%rcx, %rdx
	movabsq	$0x0000890000000067, %rcx	/* present, 64-bit TSS */
	orq	%rcx, %rdx
	movq	%rdx, gdt + 0x18(%rip)
	movq	%rax, %rdx
	shrq	$32, %rdx
	movq	%rdx, gdt + 0x20(%rip)
	leaq	ist_stack_top(%rip), %rax
	movq	%rax, tss + 0x24(%rip)		/* IST1 */
	lgdt	gdtr(%rip)
	movw	$0x18, %ax
	ltr	%ax

	call	idt_install
	movb	$1, vc_idt + 29 * 16 + 4(%rip)	/* gate 29: IST1 */

	xorl	%eax, %eax
	xorl	%ecx, %ecx
	.globl	cpuid_site
cpuid_site:
	cpuid
	movq	%rbx, vendor_ebx(%rip)
	movl	$1, %eax
	popq	%rbx
	ret
ENDFUNC guest_main

	.data
	.balign	16
gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0, 0				/* 0x18: TSS, filled in */
gdt_end:
gdtr:
	.word	gdt_end - gdt - 1
	.quad	gdt

	.bss
	.balign	16
tss:
	.skip	0x68
OBJECT vendor_ebx, 8
	.skip	8
ENDOBJECT vendor_ebx
	.balign	16
ist_stack:
	.skip	4096
	.globl	ist_stack_top
ist_stack_top:
	.skip	16
