/*
 * conform_steps.S - the conformance suite's guest (conform/): it sends
 * whatever requests the host wrote into it before the run, one step at
 * a time, and keeps what came back.  One run per requirement, so that a
 * handler that stops the VM on one request hides no other.
 *
 * conf_steps holds CONF_MAXSTEPS steps of CONF_STEP_SIZE bytes:
 *   +0x000 u64 kind: 0 ends the list, 1 an MSR-protocol request,
 *              2 a GHCB page request
 *   +0x008 u64 the GHCB MSR value for kind 1; for kind 2, 0 means the
 *              page's GPA, anything else is written instead
 *   +0x010 u64 which GHCB page (0 or 1) a kind 2 step uses
 *   +0x018 u64 set to 1 once the VMGEXIT returned to the guest
 *   +0x020 u64 the GHCB MSR after the VMGEXIT
 *   +0x1000    the GHCB page to send (copied into the page first)
 *   +0x2000    the GHCB page as the hypervisor left it
 * conf_ghcb is two GHCB pages.  The guest halts with RAX = the number of
 * steps it completed.  conf_steps is in .data, which _start does not
 * clear, so what the host wrote survives.
 */
#include "sevemu.inc"

.equ CONF_MAXSTEPS,		8
.equ CONF_STEP_SIZE,		0x3000
.equ STEP_KIND,			0x000
.equ STEP_MSR,			0x008
.equ STEP_PAGE,			0x010
.equ STEP_RESUMED,		0x018
.equ STEP_MSR_AFTER,		0x020
.equ STEP_SEND,			0x1000
.equ STEP_BACK,			0x2000
.equ KIND_MSR,			1
.equ KIND_GHCB,			2

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	pushq	%r12
	leaq	conf_steps(%rip), %rbx
	xorl	%r12d, %r12d
.Lnext:
	cmpq	$CONF_MAXSTEPS, %r12
	je	.Ldone
	movq	STEP_KIND(%rbx), %rax
	cmpq	$KIND_MSR, %rax
	je	.Lmsr
	cmpq	$KIND_GHCB, %rax
	je	.Lghcb
	jmp	.Ldone

.Lmsr:
	movq	STEP_MSR(%rbx), %rax
	GHCB_MSR_WRITE
	VMGEXIT
	jmp	.Lafter

.Lghcb:
	/* RDI = the page: conf_ghcb + index * 4 KiB. */
	movq	STEP_PAGE(%rbx), %rdi
	andq	$1, %rdi
	shlq	$12, %rdi
	leaq	conf_ghcb(%rip), %rax
	addq	%rax, %rdi
	movq	%rdi, %r8
	leaq	STEP_SEND(%rbx), %rsi
	movl	$(GHCB_PAGE_SIZE / 8), %ecx
	rep movsq
	movq	STEP_MSR(%rbx), %rax
	testq	%rax, %rax
	cmovzq	%r8, %rax
	GHCB_MSR_WRITE
	VMGEXIT
	movq	STEP_PAGE(%rbx), %rsi
	andq	$1, %rsi
	shlq	$12, %rsi
	leaq	conf_ghcb(%rip), %rax
	addq	%rax, %rsi
	leaq	STEP_BACK(%rbx), %rdi
	movl	$(GHCB_PAGE_SIZE / 8), %ecx
	rep movsq

.Lafter:
	movq	$1, STEP_RESUMED(%rbx)
	GHCB_MSR_READ
	movq	%rax, STEP_MSR_AFTER(%rbx)
	incq	%r12
	addq	$CONF_STEP_SIZE, %rbx
	jmp	.Lnext

.Ldone:
	movq	%r12, %rax
	popq	%r12
	popq	%rbx
	ret
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT conf_ghcb, GHCB_PAGE_SIZE
	.skip	2 * GHCB_PAGE_SIZE
ENDOBJECT conf_ghcb

	.data
OBJECT conf_steps, GHCB_PAGE_SIZE
	.skip	CONF_MAXSTEPS * CONF_STEP_SIZE
ENDOBJECT conf_steps
