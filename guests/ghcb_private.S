/*
 * ghcb_private.S - a GHCB the guest maps private.  The guest takes the
 * C-bit position from CPUID 0x8000001F EBX[5:0] (MSR protocol), builds its
 * own identity map of the first 16 MiB (a 4 KiB page table for the first
 * 2 MiB, 2 MiB pages above, no C-bit anywhere) except that the PTE of
 * ghcb_page has the C-bit set, loads CR3 and sends a CPUID leaf 0 request
 * through ghcb_page (ghcb_cpuid, lib/ghcb.S).  On SEV-ES hardware the
 * hypervisor would read ciphertext: the request must fail ("GHCB in
 * private memory").
 *
 * Results (global symbols):
 *   ghcb_page       the GHCB (4 KiB, in .ghcb)
 *   cbit_pos        u64  the C-bit position used
 *   cbit_mask       u64  1 << cbit_pos
 *   ghcb_pte        u64  the GHCB page's PTE as written (C-bit set)
 *   tables_loaded   u64  1 once CR3 points at the new tables
 *   resumed         u64  1 if the guest got control back from the request
 *   ghcb_status     u64  ghcb_cpuid's result then (0 ok, 1 hypervisor
 *                        error, 2 registers not valid)
 *   exitinfo1, exitinfo2  u64  sw_exitinfo1/2 then
 *   regs            4 x u64  RAX..RDX if the request (wrongly) succeeded
 *   bad_response    u64  a malformed MSR-protocol response (then
 *                        termination, set 1, code 1)
 * Expected: the run stops with an error, or resumed = 1 with
 * ghcb_status = 1.  If resumed, halts with RAX = ghcb_status.  A GHCB
 * page beyond 2 MiB ends the guest with set 1, code 4.
 */
#include "sevemu.inc"

.equ MAP_2M,		0x200000
.equ MAP_PDES,		8

	.text
	.code64

FUNC guest_main
	pushq	%rbx

	/* C-bit position: CPUID 0x8000001F EBX through the MSR protocol. */
	movl	$CPUID_LEAF_SEV, %edi
	movl	$GHCB_CPUID_EBX, %esi
	call	msrproto_cpuid
	movl	%eax, %ecx
	andl	$GHCB_MSR_INFO_MASK, %ecx
	cmpl	$GHCB_MSR_CPUID_RESP, %ecx
	jne	.Lbad
	shrq	$32, %rax
	andl	$CPUID_SEV_CBIT_MASK, %eax
	movq	%rax, cbit_pos(%rip)
	movl	%eax, %ecx
	movl	$1, %ebx
	shlq	%cl, %rbx			/* RBX = C-bit mask */
	movq	%rbx, cbit_mask(%rip)

	leaq	ghcb_page(%rip), %rax
	cmpq	$MAP_2M, %rax
	jae	.Llayout

	/* PML4[0] -> PDPT[0] -> PD; PD[0] -> PT; PD[1..7] 2 MiB pages. */
	leaq	priv_pdpt + PTE_P + PTE_W(%rip), %rax
	movq	%rax, priv_pml4(%rip)
	leaq	priv_pd + PTE_P + PTE_W(%rip), %rax
	movq	%rax, priv_pdpt(%rip)
	leaq	priv_pt + PTE_P + PTE_W(%rip), %rax
	movq	%rax, priv_pd(%rip)
	leaq	priv_pd(%rip), %rdi
	movl	$1, %ecx
1:	movq	%rcx, %rax
	shlq	$21, %rax
	orq	$PTE_P + PTE_W + PTE_PS, %rax
	movq	%rax, (%rdi,%rcx,8)
	incl	%ecx
	cmpl	$MAP_PDES, %ecx
	jb	1b
	leaq	priv_pt(%rip), %rdi
	xorl	%ecx, %ecx
1:	movq	%rcx, %rax
	shlq	$12, %rax
	orq	$PTE_P + PTE_W, %rax
	movq	%rax, (%rdi,%rcx,8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	1b

	/* The GHCB page private. */
	leaq	ghcb_page(%rip), %rax
	shrq	$12, %rax
	orq	%rbx, (%rdi,%rax,8)
	movq	(%rdi,%rax,8), %rdx
	movq	%rdx, ghcb_pte(%rip)

	leaq	priv_pml4(%rip), %rax
	movq	%rax, %cr3
	movq	$1, tables_loaded(%rip)

	leaq	ghcb_page(%rip), %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	leaq	regs(%rip), %rcx
	call	ghcb_cpuid
	movq	$1, resumed(%rip)
	movq	%rax, ghcb_status(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO1(%rip), %rdx
	movq	%rdx, exitinfo1(%rip)
	movq	ghcb_page + GHCB_SW_EXITINFO2(%rip), %rdx
	movq	%rdx, exitinfo2(%rip)
	popq	%rbx
	ret

.Lbad:
	movq	%rax, bad_response(%rip)
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_BAD_MSR_RESPONSE, %esi
	call	terminate			/* does not return */
.Llayout:
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_LOCORE_FAILED, %esi
	call	terminate			/* does not return */
ENDFUNC guest_main

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.bss
OBJECT priv_pml4, 4096
	.skip	4096
ENDOBJECT priv_pml4
OBJECT priv_pdpt, 4096
	.skip	4096
ENDOBJECT priv_pdpt
OBJECT priv_pd, 4096
	.skip	4096
ENDOBJECT priv_pd
OBJECT priv_pt, 4096
	.skip	4096
ENDOBJECT priv_pt
OBJECT cbit_pos, 8
	.skip	8
ENDOBJECT cbit_pos
OBJECT cbit_mask, 8
	.skip	8
ENDOBJECT cbit_mask
OBJECT ghcb_pte, 8
	.skip	8
ENDOBJECT ghcb_pte
OBJECT tables_loaded, 8
	.skip	8
ENDOBJECT tables_loaded
OBJECT resumed, 8
	.skip	8
ENDOBJECT resumed
OBJECT ghcb_status, 8
	.skip	8
ENDOBJECT ghcb_status
OBJECT exitinfo1, 8
	.skip	8
ENDOBJECT exitinfo1
OBJECT exitinfo2, 8
	.skip	8
ENDOBJECT exitinfo2
OBJECT regs, 8
	.skip	4 * 8
ENDOBJECT regs
OBJECT bad_response, 8
	.skip	8
ENDOBJECT bad_response
