/*
 * conform_steps.S - the conformance suite's guest (conform/): it sends
 * whatever requests the host wrote into it before the run, one step at
 * a time, and keeps what came back.  One run per requirement, so that a
 * handler that stops the VM on one request hides no other.
 *
 * conf_steps holds CONF_MAXSTEPS steps of CONF_STEP_SIZE bytes:
 *   +0x000 u64 kind: 0 ends the list, 1 an MSR-protocol request,
 *              2 a GHCB page request, 3 go to CPL 3 for the steps that
 *              follow, with the GHCB MSR naming page 0 (CPL 3 cannot
 *              write it: GHCB steps there use page 0 as it is named,
 *              MSR steps cannot be made).  The guest's own GDT and page
 *              tables give it user pages.  The step's "GHCB MSR after"
 *              is CS as the guest found it at CPL 3.  (The run still
 *              ends in HLT: sevemu's CPU takes it at any CPL, where a
 *              real one raises #GP.)
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
.equ KIND_CPL3,			3
.equ SEL_UDATA,			0x23		/* GDT 4, RPL 3 */
.equ SEL_UCODE64,		0x2b		/* GDT 5, RPL 3 */
.equ PTE_U,			0x4

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	leaq	conf_steps(%rip), %rbx
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d			/* 1 once at CPL 3 */
.Lnext:
	cmpq	$CONF_MAXSTEPS, %r12
	je	.Ldone
	movq	STEP_KIND(%rbx), %rax
	cmpq	$KIND_MSR, %rax
	je	.Lmsr
	cmpq	$KIND_GHCB, %rax
	je	.Lghcb
	cmpq	$KIND_CPL3, %rax
	je	.Lcpl3
	jmp	.Ldone

.Lcpl3:
	/* Page tables: the low 16 MiB, 2 MiB pages, user pages. */
	leaq	conf_pd(%rip), %rdi
	movl	$(PTE_P | PTE_W | PTE_U | PTE_PS), %eax
	movl	$8, %ecx
1:	movq	%rax, (%rdi)
	addq	$0x200000, %rax
	addq	$8, %rdi
	decl	%ecx
	jnz	1b
	leaq	conf_pd(%rip), %rax
	orq	$(PTE_P | PTE_W | PTE_U), %rax
	movq	%rax, conf_pdpt(%rip)
	leaq	conf_pdpt(%rip), %rax
	orq	$(PTE_P | PTE_W | PTE_U), %rax
	movq	%rax, conf_pml4(%rip)
	leaq	conf_pml4(%rip), %rax
	movq	%rax, %cr3
	lgdt	conf_gdtr(%rip)
	leaq	conf_ghcb(%rip), %rax
	GHCB_MSR_WRITE
	movl	$1, %r13d
	/* To CPL 3 with IRETQ, onto the same stack. */
	movq	%rsp, %rax
	pushq	$SEL_UDATA
	pushq	%rax
	pushq	$0x2
	pushq	$SEL_UCODE64
	leaq	.Lin_user(%rip), %rax
	pushq	%rax
	iretq
.Lin_user:
	xorl	%eax, %eax
	movw	%cs, %ax
	movq	%rax, STEP_MSR_AFTER(%rbx)
	jmp	.Lafter_user

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
	testl	%r13d, %r13d
	jnz	1f
	movq	STEP_MSR(%rbx), %rax
	testq	%rax, %rax
	cmovzq	%r8, %rax
	GHCB_MSR_WRITE
1:	VMGEXIT
	movq	STEP_PAGE(%rbx), %rsi
	andq	$1, %rsi
	shlq	$12, %rsi
	leaq	conf_ghcb(%rip), %rax
	addq	%rax, %rsi
	leaq	STEP_BACK(%rbx), %rdi
	movl	$(GHCB_PAGE_SIZE / 8), %ecx
	rep movsq

.Lafter:
	testl	%r13d, %r13d
	jnz	.Lafter_user
	GHCB_MSR_READ
	movq	%rax, STEP_MSR_AFTER(%rbx)
.Lafter_user:
	movq	$1, STEP_RESUMED(%rbx)
	incq	%r12
	addq	$CONF_STEP_SIZE, %rbx
	jmp	.Lnext

.Ldone:
	movq	%r12, %rax
	popq	%r13
	popq	%r12
	popq	%rbx
	ret
ENDFUNC guest_main

	.data
	.balign	8
conf_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08 code64, DPL 0 */
	.quad	0x00cf92000000ffff		/* 0x10 data, DPL 0 */
	.quad	0x00cf9a000000ffff		/* 0x18 code32, DPL 0 */
	.quad	0x00cff2000000ffff		/* 0x20 data, DPL 3 */
	.quad	0x00affa000000ffff		/* 0x28 code64, DPL 3 */
conf_gdt_end:
	.balign	8
conf_gdtr:
	.word	conf_gdt_end - conf_gdt - 1
	.quad	conf_gdt

	.section .ghcb, "aw", @nobits
	.balign	4096
conf_pml4:
	.skip	4096
conf_pdpt:
	.skip	4096
conf_pd:
	.skip	4096
OBJECT conf_ghcb, GHCB_PAGE_SIZE
	.skip	2 * GHCB_PAGE_SIZE
ENDOBJECT conf_ghcb

	.data
OBJECT conf_steps, GHCB_PAGE_SIZE
	.skip	CONF_MAXSTEPS * CONF_STEP_SIZE
ENDOBJECT conf_steps
