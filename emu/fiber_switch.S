/*
 * fiber_swap(void **save_sp, void *load_sp): callee-saved registers go
 * on the current stack, the stack pointer into *save_sp; then the other
 * stack is loaded and its registers popped.  A new stack is laid out by
 * fiber_create() so that the first swap "returns" into fiber_start.
 */
	.text
	.globl	fiber_swap
	.type	fiber_swap, @function
fiber_swap:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	fiber_swap, .-fiber_swap

/* First entry on a new stack: r12 = function, r13 = argument. */
	.globl	fiber_trampoline
	.type	fiber_trampoline, @function
fiber_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r13, %rdi
	callq	*%r12
	ud2
	.cfi_endproc
	.size	fiber_trampoline, .-fiber_trampoline

	.section .note.GNU-stack,"",@progbits
