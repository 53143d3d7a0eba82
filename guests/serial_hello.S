/*
 * serial_hello.S - "hello from the guest\n" on COM1 through #VC: for each
 * character, poll the line status register (IN AL, DX = 0x3FD) until the
 * transmitter is empty (at most 1000 polls), then OUT AL, DX = 0x3F8.
 * Then verdict 0 to the debug-exit port (OUT AL, imm8 0xF4), which ends
 * the run.  All port accesses are #VCs served by lib/vc.S.
 *
 * Results (global symbols):
 *   chars_sent   u64  characters written to COM1 (21)
 *   after_exit   u64  1 only if the guest ran on past the debug exit (then
 *                     halted with RAX = 1)
 *   plus lib/vc.S's (vc_count: 2 per character + 1, with an idle UART)
 * Expected: COM1 output "hello from the guest\n"; the run ends "exited"
 * with verdict 0 (sevemu exit status 0).
 */
#include "sevemu.inc"

.equ MAX_POLLS,	1000

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	call	idt_install

	leaq	hello_msg(%rip), %rbx
.Lnext:
	movzbl	(%rbx), %eax
	testb	%al, %al
	jz	.Ldone
	movl	$MAX_POLLS, %ecx
	movw	$COM1_LSR, %dx
1:	inb	%dx, %al
	testb	$COM1_LSR_THRE, %al
	jnz	2f
	decl	%ecx
	jnz	1b
2:	movb	(%rbx), %al
	movw	$COM1_PORT, %dx
	outb	%al, %dx
	incq	chars_sent(%rip)
	incq	%rbx
	jmp	.Lnext

.Ldone:
	xorl	%eax, %eax			/* verdict 0: success */
	outb	%al, $DEBUG_EXIT_PORT
	movq	$1, after_exit(%rip)
	movl	$1, %eax
	popq	%rbx
	ret
ENDFUNC guest_main

	.section .rodata
OBJECT hello_msg, 1
	.asciz	"hello from the guest\n"
ENDOBJECT hello_msg

	.bss
OBJECT chars_sent, 8
	.skip	8
ENDOBJECT chars_sent
OBJECT after_exit, 8
	.skip	8
ENDOBJECT after_exit
