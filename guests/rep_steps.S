/*
 * rep_steps.S - REP string instructions, for the exact instruction
 * count (tests/test_cycles.c).  Its own _start, so that every
 * instruction is the guest's: 15 retire before the HLT exit.
 *   lea, lea, mov, rep movsb x5 (the emulator runs it), mov, mov,
 *   rep stosb x2 (the host runs it), xor, rep movsb x0 (counts once),
 *   mov.
 * Results (global symbols):
 *   rep_dst  8 bytes: "abcde**" and a NUL
 */
#include "sevemu.inc"

	.section .text.entry, "ax", @progbits
	.code64

FUNC _start
	leaq	rep_src(%rip), %rsi
	leaq	rep_dst(%rip), %rdi
	movl	$5, %ecx
	rep movsb
	movl	$2, %ecx
	movb	$'*', %al
	rep stosb
	xorl	%ecx, %ecx
	rep movsb
	movb	$0, (%rdi)
	hlt
ENDFUNC _start

	.data
OBJECT rep_src, 8
	.ascii	"abcdefg\0"
ENDOBJECT rep_src
OBJECT rep_dst, 8
	.ascii	"________"
ENDOBJECT rep_dst
