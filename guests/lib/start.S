/*
 * start.S - common entry point of every sevemu guest.
 *
 * The runner enters _start in 64-bit mode, CPL0, with a scratch stack at
 * 0x80000.  _start gives the guest its own stack in .bss, calls the
 * guest's guest_main and halts with guest_main's return value in RAX,
 * which the test harness reads after the run ends as "halted".
 */
#include "sevemu.inc"

.equ GUEST_STACK_SIZE, 0x4000

	.section .text.entry, "ax", @progbits
	.code64

FUNC _start
	cld

	/*
	 * Zero .bss (this includes the GHCB pages and the stack below).
	 * A loader should already have zero-filled it; doing it here keeps
	 * the guests' results independent of that.  Nothing is on the new
	 * stack yet, and the runner's stack at 0x80000 is outside .bss.
	 */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb

	leaq	guest_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	call	guest_main

	/* RAX still holds guest_main's result for the harness. */
FUNC guest_halt
	hlt
	jmp	guest_halt		/* the run is over; never run on */
ENDFUNC guest_halt
ENDFUNC _start

	.bss
OBJECT guest_stack, 16
	.skip	GUEST_STACK_SIZE
ENDOBJECT guest_stack
	.globl	guest_stack_top
guest_stack_top:
