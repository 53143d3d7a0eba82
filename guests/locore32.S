/*
 * locore32.S - an SEV-ES kernel's first instructions, the way OpenBSD's
 * locore0 runs them: entered in 32-bit protected mode with paging off
 * (run with --entry protected), it has to serve its own #VCs before it
 * can even read the CPU vendor, builds page tables with the C-bit on
 * private memory, and enters long mode.  The image is still ELF64; its
 * entry point _start (here, not lib/start.S) is 32-bit code.
 *
 * 32-bit part (.text.entry, .code32):
 *   own GDT (0x08 64-bit code, 0x10 data, 0x18 32-bit code) and stack;
 *   zero .bss; IDT with an 8-byte interrupt gate 29 -> vc32_handler, which
 *   serves CPUID through the MSR protocol (4 requests: EAX..EDX), reads of
 *   DR7 as 0x400 (its reset value) and ignores DR7 writes, stepping over
 *   the instruction; anything else ends the guest (set 1, code 3)   [stage 1]
 *   CPUID 0 -> vendor                                               [stage 2]
 *   CPUID 0x8000001F -> sev_eax, sev_ebx; MOV DR7->EAX, MOV EAX->DR7;
 *   RDMSR SEV_STATUS (passed through) -> sev_status;
 *   page tables for the first 16 MiB: PML4 -> PDPT -> PD, 2 MiB pages
 *   for 2..16 MiB, a 4 KiB page table for the first 2 MiB; the C-bit
 *   (position from sev_ebx[5:0]) in every entry except the GHCB page's PTE
 *   (shared); CR4.PAE, CR3, EFER.LME (WRMSR, write trap), CR0.PG (write
 *   trap)                                                           [stage 3]
 *   far jump to 0x08.
 * 64-bit part: install the lib/vc.S IDT                            [stage 4]
 *   register ghcb_page with MSR-protocol request 0x012 -> reg_response;
 *   CPUID 0x8000001F through #VC and the GHCB page -> sev_ebx64    [stage 5]
 *   "L64\n" to COM1 through #VC                                    [stage 6]
 *   HLT with RAX = 6.
 *
 * Results (global symbols):
 *   stage          u64  how far it got (above)
 *   vendor         13 bytes  CPUID 0 EBX, EDX, ECX, NUL-terminated
 *   sev_eax, sev_ebx  u32  CPUID 0x8000001F EAX, EBX (32-bit, MSR protocol)
 *   dr7_read32     u32  EAX after MOV DR7->EAX (EAX preset to 0x12345678;
 *                       0x400 when intercepted, the real DR7 otherwise)
 *   sev_status     u64  MSR 0xC0010131 (must be 3)
 *   cbit_mask      u64  1 << C-bit position (0 if the position is 0)
 *   vc32_count     u64  #VCs taken in 32-bit mode
 *   vc32_last_code u64  the latest one's error code
 *   vc32_error     u64  VC_ERR_* of a 32-bit #VC failure
 *   vc32_bad_response u64  a malformed MSR-protocol CPUID response
 *   reg_response   u64  answer to the GHCB registration (expected
 *                       0x013 | address of ghcb_page)
 *   sev_ebx64      u32  CPUID 0x8000001F EBX through the GHCB page
 *   locore_pml4, locore_pdpt, locore_pd, locore_pt  the page tables
 *   plus everything of lib/vc.S (vc_count, vc_error, ghcb_page, ...)
 * Failures: a 32-bit #VC failure terminates with set 1, code 3; the GHCB
 * page outside the first 2 MiB or a refused registration with set 1,
 * code 4; a 64-bit #VC failure as lib/vc.S does (set 1, code 3).
 */
#include "sevemu.inc"

.equ LOCORE_STACK_SIZE,	0x4000
.equ IDT32_GATES,	32
.equ MAP_2M,		0x200000
.equ MAP_PDES,		8			/* 8 x 2 MiB = 16 MiB */
.equ DR7_RESET,		0x400

/* pushal frame of vc32_handler */
.equ F32_EDI,		0
.equ F32_ESI,		4
.equ F32_EBP,		8
.equ F32_ESP,		12
.equ F32_EBX,		16
.equ F32_EDX,		20
.equ F32_ECX,		24
.equ F32_EAX,		28
.equ F32_ERR,		32
.equ F32_EIP,		36

	.section .text.entry, "ax", @progbits
	.code32

FUNC _start
	cli
	cld
	lgdt	locore_gdt_desc
	ljmp	$SEL_CODE32, $1f
1:	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Zero .bss and .ghcb (no stack in use yet). */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$locore_stack_top, %esp

	/* 32-bit IDT: gate 29 only. */
	movl	$idt32 + VC_VECTOR * 8, %edi
	movl	$vc32_handler, %eax
	movw	%ax, 0(%edi)
	movw	$SEL_CODE32, 2(%edi)
	movb	$0, 4(%edi)
	movb	$IDT_GATE_INTR32, 5(%edi)
	shrl	$16, %eax
	movw	%ax, 6(%edi)
	lidt	idt32_desc
	movl	$1, stage

	/* The vendor: CPUID 0 through #VC. */
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%ebx, vendor + 0
	movl	%edx, vendor + 4
	movl	%ecx, vendor + 8
	movl	$2, stage

	movl	$CPUID_LEAF_SEV, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%eax, sev_eax
	movl	%ebx, sev_ebx

	movl	$0x12345678, %eax
	movl	%dr7, %eax
	movl	%eax, dr7_read32
	movl	%eax, %dr7

	movl	$MSR_SEV_STATUS, %ecx
	rdmsr
	movl	%eax, sev_status + 0
	movl	%edx, sev_status + 4

	/* C-bit mask in EBP (low half) : ESI (high half). */
	xorl	%ebp, %ebp
	xorl	%esi, %esi
	movl	sev_ebx, %ecx
	andl	$CPUID_SEV_CBIT_MASK, %ecx
	jz	2f
	cmpl	$32, %ecx
	jae	1f
	movl	$1, %ebp
	shll	%cl, %ebp
	jmp	2f
1:	subl	$32, %ecx
	movl	$1, %esi
	shll	%cl, %esi
2:	movl	%ebp, cbit_mask + 0
	movl	%esi, cbit_mask + 4

	/* The GHCB page must be in the 4 KiB-mapped first 2 MiB. */
	movl	$ghcb_page, %eax
	cmpl	$MAP_2M, %eax
	jae	.Llayout

	/* PML4[0] -> PDPT, PDPT[0] -> PD, PD[0] -> PT: private tables. */
	movl	$locore_pdpt + PTE_P + PTE_W, %eax
	movl	%eax, locore_pml4 + 0
	movl	%esi, locore_pml4 + 4
	orl	%ebp, locore_pml4 + 0
	movl	$locore_pd + PTE_P + PTE_W, %eax
	movl	%eax, locore_pdpt + 0
	movl	%esi, locore_pdpt + 4
	orl	%ebp, locore_pdpt + 0
	movl	$locore_pt + PTE_P + PTE_W, %eax
	movl	%eax, locore_pd + 0
	movl	%esi, locore_pd + 4
	orl	%ebp, locore_pd + 0

	/* PD[1..7]: 2 MiB pages, private. */
	movl	$1, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$PTE_P + PTE_W + PTE_PS, %eax
	orl	%ebp, %eax
	movl	%eax, locore_pd(,%ecx,8)
	movl	%esi, locore_pd + 4(,%ecx,8)
	incl	%ecx
	cmpl	$MAP_PDES, %ecx
	jb	1b

	/* PT[0..511]: 4 KiB pages, private except the GHCB page. */
	movl	$ghcb_page, %edx
	shrl	$12, %edx			/* EDX = GHCB page number */
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	orl	$PTE_P + PTE_W, %eax
	cmpl	%edx, %ecx
	je	2f
	orl	%ebp, %eax
	movl	%esi, locore_pt + 4(,%ecx,8)
2:	movl	%eax, locore_pt(,%ecx,8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	1b

	/* Long mode: PAE, CR3, EFER.LME, then paging. */
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$locore_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	movl	$3, stage
	ljmp	$SEL_CODE64, $long_entry

.Llayout:
	movl	$(TERM_LOCORE_FAILED << GHCB_MSR_TERM_CODE_SHIFT), %eax
	jmp	term32
ENDFUNC _start

/*
 * term32 - termination request through the MSR protocol, reason set 1,
 * code in EAX[23:16]; never returns.
 */
FUNC term32
	orl	$(TERM_SET_SEVEMU << GHCB_MSR_TERM_SET_SHIFT) | GHCB_MSR_TERM_REQ, %eax
	xorl	%edx, %edx
	movl	$MSR_SEV_GHCB, %ecx
	wrmsr
	VMGEXIT
1:	hlt
	jmp	1b
ENDFUNC term32

/*
 * vc32_handler - #VC in 32-bit protected mode.  Frame: pushal, then the
 * error code, EIP, CS, EFLAGS the CPU pushed.
 */
FUNC vc32_handler
	pushal
	addl	$1, vc32_count + 0
	adcl	$0, vc32_count + 4
	movl	F32_ERR(%esp), %eax
	movl	%eax, vc32_last_code
	movl	F32_EIP(%esp), %esi
	cmpl	$SVM_EXIT_CPUID, %eax
	je	.Lvc32_cpuid
	cmpl	$SVM_EXIT_READ_DR7, %eax
	je	.Lvc32_dr7_read
	cmpl	$SVM_EXIT_WRITE_DR7, %eax
	je	.Lvc32_dr7_write
	movl	$VC_ERR_UNSUPPORTED, %eax
	jmp	.Lvc32_fail

.Lvc32_cpuid:
	cmpw	$0xA20F, (%esi)			/* 0F A2 */
	jne	.Lvc32_decode
	movl	F32_EAX(%esp), %ebx		/* EBX = leaf */
	xorl	%edi, %edi
	call	cpuid_msr32
	movl	%eax, F32_EAX(%esp)
	movl	$GHCB_CPUID_EBX, %edi
	call	cpuid_msr32
	movl	%eax, F32_EBX(%esp)
	movl	$GHCB_CPUID_ECX, %edi
	call	cpuid_msr32
	movl	%eax, F32_ECX(%esp)
	movl	$GHCB_CPUID_EDX, %edi
	call	cpuid_msr32
	movl	%eax, F32_EDX(%esp)
	addl	$2, F32_EIP(%esp)
	jmp	.Lvc32_done

.Lvc32_dr7_read:
	cmpw	$0x210F, (%esi)			/* 0F 21 /r */
	jne	.Lvc32_decode
	call	dr7_modrm32			/* ECX = register number */
	negl	%ecx				/* pushal slot: EAX - 4 * n */
	movl	$DR7_RESET, F32_EAX(%esp,%ecx,4)
	addl	$3, F32_EIP(%esp)
	jmp	.Lvc32_done

.Lvc32_dr7_write:
	cmpw	$0x230F, (%esi)			/* 0F 23 /r */
	jne	.Lvc32_decode
	call	dr7_modrm32
	addl	$3, F32_EIP(%esp)

.Lvc32_done:
	popal
	addl	$4, %esp			/* error code */
	iret

.Lvc32_decode:
	movl	$VC_ERR_DECODE, %eax
.Lvc32_fail:
	movl	%eax, vc32_error
	movl	$(TERM_VC_FAILED << GHCB_MSR_TERM_CODE_SHIFT), %eax
	jmp	term32
ENDFUNC vc32_handler

/* ModRM of a MOV DR at ESI: mod 3, reg 7 (DR7); ECX = r/m.  Else fail. */
FUNC dr7_modrm32
	movzbl	2(%esi), %ecx
	movl	%ecx, %eax
	andl	$0xF8, %eax
	cmpl	$0xF8, %eax
	jne	1f
	andl	$7, %ecx
	ret
1:	jmp	.Lvc32_decode			/* ends the guest: no return */
ENDFUNC dr7_modrm32

/*
 * cpuid_msr32 - one CPUID register through the MSR protocol.
 * in:  EBX = function, EDI = register (0..3)
 * out: EAX = the value; a malformed response ends the guest.
 * clobbers ECX, EDX
 */
FUNC cpuid_msr32
	movl	%edi, %eax
	shll	$GHCB_MSR_CPUID_REG_SHIFT, %eax
	orl	$GHCB_MSR_CPUID_REQ, %eax
	movl	%ebx, %edx
	movl	$MSR_SEV_GHCB, %ecx
	wrmsr
	VMGEXIT
	rdmsr
	movl	%eax, %ecx
	andl	$GHCB_MSR_INFO_MASK, %ecx
	cmpl	$GHCB_MSR_CPUID_RESP, %ecx
	jne	1f
	movl	%eax, %ecx
	shrl	$GHCB_MSR_CPUID_REG_SHIFT, %ecx
	cmpl	%edi, %ecx
	jne	1f
	movl	%edx, %eax
	ret
1:	movl	%eax, vc32_bad_response + 0
	movl	%edx, vc32_bad_response + 4
	movl	$(TERM_VC_FAILED << GHCB_MSR_TERM_CODE_SHIFT), %eax
	movl	$VC_ERR_MSR_PROTOCOL, vc32_error
	jmp	term32
ENDFUNC cpuid_msr32

/* ------------------------------------------------------- 64-bit part */

	.text
	.code64

FUNC long_entry
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	leaq	locore_stack_top(%rip), %rsp
	movq	$4, stage(%rip)
	call	idt_install

	/* Register the GHCB page (MSR protocol 0x012, GFN in 63:12). */
	leaq	ghcb_page(%rip), %rdi
	orq	$GHCB_MSR_REG_GPA_REQ, %rdi
	call	ghcb_msr_vmgexit
	movq	%rax, reg_response(%rip)
	leaq	ghcb_page(%rip), %rdx
	orq	$GHCB_MSR_REG_GPA_RESP, %rdx
	cmpq	%rdx, %rax
	jne	.Lrefused

	/* CPUID through #VC and the GHCB page. */
	movl	$CPUID_LEAF_SEV, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%ebx, sev_ebx64(%rip)
	movq	$5, stage(%rip)

	leaq	l64_msg(%rip), %rsi
	movw	$COM1_PORT, %dx
1:	movb	(%rsi), %al
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	incq	%rsi
	jmp	1b
2:	movq	$6, stage(%rip)
	movq	stage(%rip), %rax
3:	hlt
	jmp	3b

.Lrefused:
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_LOCORE_FAILED, %esi
	call	terminate			/* does not return */
ENDFUNC long_entry

	.section .rodata
OBJECT l64_msg, 1
	.asciz	"L64\n"
ENDOBJECT l64_msg

	.data
OBJECT locore_gdt, 16
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: flat data */
	.quad	0x00cf9a000000ffff		/* 0x18: flat 32-bit code */
ENDOBJECT locore_gdt
OBJECT locore_gdt_desc, 8
	.word	4 * 8 - 1
	.quad	locore_gdt
ENDOBJECT locore_gdt_desc
OBJECT idt32_desc, 8
	.word	IDT32_GATES * 8 - 1
	.long	idt32
ENDOBJECT idt32_desc

	.bss
OBJECT locore_pml4, 4096
	.skip	4096
ENDOBJECT locore_pml4
OBJECT locore_pdpt, 4096
	.skip	4096
ENDOBJECT locore_pdpt
OBJECT locore_pd, 4096
	.skip	4096
ENDOBJECT locore_pd
OBJECT locore_pt, 4096
	.skip	4096
ENDOBJECT locore_pt
OBJECT idt32, 8
	.skip	IDT32_GATES * 8
ENDOBJECT idt32
OBJECT locore_stack, 16
	.skip	LOCORE_STACK_SIZE
ENDOBJECT locore_stack
	.globl	locore_stack_top
locore_stack_top:
OBJECT stage, 8
	.skip	8
ENDOBJECT stage
OBJECT vendor, 1
	.skip	13
ENDOBJECT vendor
OBJECT sev_eax, 4
	.skip	4
ENDOBJECT sev_eax
OBJECT sev_ebx, 4
	.skip	4
ENDOBJECT sev_ebx
OBJECT sev_ebx64, 4
	.skip	4
ENDOBJECT sev_ebx64
OBJECT dr7_read32, 4
	.skip	4
ENDOBJECT dr7_read32
OBJECT sev_status, 8
	.skip	8
ENDOBJECT sev_status
OBJECT cbit_mask, 8
	.skip	8
ENDOBJECT cbit_mask
OBJECT vc32_count, 8
	.skip	8
ENDOBJECT vc32_count
OBJECT vc32_last_code, 8
	.skip	8
ENDOBJECT vc32_last_code
OBJECT vc32_error, 8
	.skip	8
ENDOBJECT vc32_error
OBJECT vc32_bad_response, 8
	.skip	8
ENDOBJECT vc32_bad_response
OBJECT reg_response, 8
	.skip	8
ENDOBJECT reg_response
