/*
 * ghcb_scratch_outside.S - string I/O requests whose sw_scratch does not
 * point at usable shared memory.  Both are an OUTSB of 4 bytes to COM1
 * (sw_exitcode 0x7B, exitinfo1 = 0x3F8 << 16 | A64 | SZ8 | STR = 0x3F80214,
 * exitinfo2 = 4, sw_scratch valid; RAX = 0 is marked valid too, although
 * string I/O does not need it, so that a hypervisor that wants RAX for
 * any OUT still gets to the scratch check):
 *   1. sw_scratch = ghcb_page + 0x100: inside the GHCB page but outside
 *      its shared buffer (0x800..0xFF0)
 *   2. sw_scratch = 0x7FFF0000000: outside guest RAM
 * The hypervisor must refuse each: stop the run with an error, or resume
 * the guest with sw_exitinfo1[31:0] != 0.  Nothing may reach COM1.
 *
 * Results (global symbols):
 *   ghcb_page          the GHCB (4 KiB, in .ghcb)
 *   first_resumed      u64  1 if the guest got control back after request 1
 *   first_exitinfo1, first_exitinfo2    u64  sw_exitinfo1/2 then
 *   second_resumed     u64  likewise for request 2
 *   second_exitinfo1, second_exitinfo2  u64
 * Expected: the run stops with an error at request 1 (first_resumed = 0),
 * or both are refused (exitinfo1[31:0] != 0 each).  If both resume,
 * halts with RAX = 2.
 */
#include "sevemu.inc"

.equ SCRATCH_IN_SAVE_AREA,	0x100
.equ SCRATCH_OUTSIDE_RAM,	0x7FFF0000000
.equ OUTSB_COM1_INFO1,		(COM1_PORT << IOIO_PORT_SHIFT) | IOIO_A64 | IOIO_SZ8 | IOIO_STR
.equ OUTSB_COUNT,		4

	.text
	.code64

FUNC guest_main
	pushq	%rbx

	/* 1: inside the page, outside the shared buffer. */
	leaq	ghcb_page + SCRATCH_IN_SAVE_AREA(%rip), %rbx
	call	outsb_request
	movq	$1, first_resumed(%rip)
	movq	%rax, first_exitinfo1(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO2(%rip), %rdx
	movq	%rdx, first_exitinfo2(%rip)

	/* 2: outside guest RAM. */
	movabsq	$SCRATCH_OUTSIDE_RAM, %rbx
	call	outsb_request
	movq	$1, second_resumed(%rip)
	movq	%rax, second_exitinfo1(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO2(%rip), %rdx
	movq	%rdx, second_exitinfo2(%rip)

	movl	$2, %eax
	popq	%rbx
	ret
ENDFUNC guest_main

/* OUTSB request with sw_scratch = RBX; RAX = sw_exitinfo1 afterwards. */
FUNC outsb_request
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear
	leaq	ghcb_page(%rip), %rdi
	movq	%rbx, GHCB_SW_SCRATCH(%rdi)
	GHCB_SET_VALID %rdi, GHCB_BIT_SW_SCRATCH
	movq	$0, GHCB_RAX(%rdi)
	GHCB_SET_VALID %rdi, GHCB_BIT_RAX
	movl	$SVM_EXIT_IOIO, %esi
	movl	$OUTSB_COM1_INFO1, %edx
	movl	$OUTSB_COUNT, %ecx
	jmp	ghcb_nae
ENDFUNC outsb_request

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.bss
OBJECT first_resumed, 8
	.skip	8
ENDOBJECT first_resumed
OBJECT first_exitinfo1, 8
	.skip	8
ENDOBJECT first_exitinfo1
OBJECT first_exitinfo2, 8
	.skip	8
ENDOBJECT first_exitinfo2
OBJECT second_resumed, 8
	.skip	8
ENDOBJECT second_resumed
OBJECT second_exitinfo1, 8
	.skip	8
ENDOBJECT second_exitinfo1
OBJECT second_exitinfo2, 8
	.skip	8
ENDOBJECT second_exitinfo2
