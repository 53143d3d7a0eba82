/*
 * rep_stos.S - REP STOS cases the host does itself or hands back to the
 * emulator part way (tests/test_cycles.c): downwards (DF=1), across a
 * page boundary, and with an element that straddles one.
 *
 * Results (global symbols):
 *   stos_down    4 u64: 0, then 3 x 0x1122334455667788
 *   stos_pages   8 KiB, page aligned: 0xa5 at bytes 4088-4103 (four
 *                dwords across the boundary), then 0x5a at bytes
 *                4094-4101 (two dwords from 2 bytes before it), so
 *                4088-4093 0xa5, 4094-4101 0x5a, 4102-4103 0xa5
 *   stos_rcx, stos_rdi  RCX and RDI after the last case
 */
#include "sevemu.inc"

	.text
	.code64

FUNC guest_main
	/* Downwards: the last three of four quadwords. */
	std
	leaq	stos_down+24(%rip), %rdi
	movq	$0x1122334455667788, %rax
	movl	$3, %ecx
	rep stosq
	cld
	/* Upwards across the page boundary, 4 dwords from 8 before it. */
	leaq	stos_pages+4088(%rip), %rdi
	movl	$0xa5a5a5a5, %eax
	movl	$4, %ecx
	rep stosl
	/* A dword across the boundary: 2 bytes each side, then one more. */
	leaq	stos_pages+4094+2048(%rip), %rdi
	subq	$2048, %rdi
	movl	$0x5a5a5a5a, %eax
	movl	$2, %ecx
	rep stosl
	movq	%rcx, stos_rcx(%rip)
	movq	%rdi, stos_rdi(%rip)
	xorl	%eax, %eax
	ret
ENDFUNC guest_main

	.bss
	.balign	4096
OBJECT stos_pages, 8192
	.skip	8192
ENDOBJECT stos_pages
OBJECT stos_down, 32
	.skip	32
ENDOBJECT stos_down
OBJECT stos_rcx, 8
	.skip	8
ENDOBJECT stos_rcx
OBJECT stos_rdi, 8
	.skip	8
ENDOBJECT stos_rdi
