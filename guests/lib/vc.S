/*
 * vc.S - a 64-bit #VC (vector 29) handler that serves every NAE event
 * through a GHCB page, in the way an SEV-ES kernel's trap code does.
 *
 * On a #VC the CPU pushes SS, RSP, RFLAGS, CS, RIP (of the faulting
 * instruction) and an error code, the SVM exit code of the event.  The
 * handler saves all GPRs, decodes the instruction at the saved RIP to check
 * that it matches the exit code and to learn its operands and length, does
 * the round trip through ghcb_page (GHCB MSR = its GPA, VMGEXIT), writes
 * the results into the saved registers, steps RIP over the instruction and
 * returns with IRETQ.
 *
 * Events and instructions (prefixes 66, 67, F2, F3, segment overrides and
 * REX are skipped over; 66/67/F3/REX.B are honoured where they matter):
 *   0x72 CPUID 0F A2           in RAX, RCX (+XCR0 for leaf 0xD)  out RAX..RDX
 *   0x7C RDMSR 0F 32           in RCX                      out RAX, RDX
 *        WRMSR 0F 30           in RCX, RAX, RDX
 *   0x7B IN/OUT E4-E7 (imm8), EC-EF (DX): OUT gives RAX, IN returns RAX
 *        INS/OUTS 6C-6F (+F3 REP): data through the shared buffer,
 *        sw_scratch = its GPA, exitinfo2 = count, in chunks of at most
 *        2032 bytes; RSI/RDI/RCX updated here
 *   0x6E RDTSC 0F 31           out RAX, RDX
 *   0x87 RDTSCP 0F 01 F9       out RAX, RCX, RDX
 *   0x6F RDPMC 0F 33           in RCX          out RAX, RDX
 *   0x76 INVD 0F 08, 0x89 WBINVD 0F 09
 *   0x8A MONITOR 0F 01 C8      in RAX, RCX, RDX
 *   0x8B MWAIT 0F 01 C9        in RAX, RCX
 *   0x81 VMMCALL 0F 01 D9      in RAX, CPL     out RAX
 *   0x27 MOV DR7 -> reg 0F 21 /r   out RAX -> the reg
 *   0x37 MOV reg -> DR7 0F 23 /r   in RAX = the reg
 * Only the inputs listed are sent (and marked valid); every output must
 * come back marked valid.
 *
 * On any failure vc_error gets one of VC_ERR_* (sevemu.inc).  Then, unless
 * the guest set vc_continue_on_error (and the instruction was decoded), the
 * handler ends the guest: termination request, reason set 1, code 3.  With
 * vc_continue_on_error the instruction is skipped, its outputs untouched.
 *
 * Results (global symbols):
 *   vc_count              u64  #VCs taken
 *   vc_last_code          u64  error code (exit code) of the latest #VC
 *   vc_last_rip           u64  faulting RIP of the latest #VC
 *   vc_error              u64  latest failure (VC_ERR_*), 0 if none
 *   vc_error_count        u64  failures so far
 *   vc_error_info         u64  sw_exitinfo2 of a hypervisor error
 *   vc_error_info1        u64  sw_exitinfo1 of a hypervisor error
 *   vc_continue_on_error  u64  set by the guest: skip instead of terminate
 *   ghcb_page             the GHCB (4 KiB, in .ghcb, shared)
 *   vc_idt, vc_idtr       the 256-gate IDT idt_install builds, its IDTR
 */
#include "sevemu.inc"

/*
 * The handler's frame, from RSP up: 4 scratch quadwords, the 16 GPRs
 * indexed by register number (slot 4 holds the interrupted RSP), then
 * what the CPU pushed.  160 bytes are allocated, so RSP stays 16-aligned.
 */
.equ VCF_L0,		0
.equ VCF_L1,		8
.equ VCF_L2,		16
.equ VCF_L3,		24
.equ VCF_GPR,		32
.equ VCF_ALLOC,		VCF_GPR + 16 * 8		/* 160 */
.equ VCF_ERR,		VCF_ALLOC
.equ VCF_RIP,		VCF_ALLOC + 8
.equ VCF_CS,		VCF_ALLOC + 16
.equ VCF_RFLAGS,	VCF_ALLOC + 24
.equ VCF_RSP,		VCF_ALLOC + 32
.equ VCF_SS,		VCF_ALLOC + 40

/* Saved register slots (register number * 8 above VCF_GPR). */
.equ R_RAX,		VCF_GPR + 0 * 8
.equ R_RCX,		VCF_GPR + 1 * 8
.equ R_RDX,		VCF_GPR + 2 * 8
.equ R_RBX,		VCF_GPR + 3 * 8
.equ R_RSP,		VCF_GPR + 4 * 8
.equ R_RBP,		VCF_GPR + 5 * 8
.equ R_RSI,		VCF_GPR + 6 * 8
.equ R_RDI,		VCF_GPR + 7 * 8
.equ R_R8,		VCF_GPR + 8 * 8
.equ R_R9,		VCF_GPR + 9 * 8
.equ R_R10,		VCF_GPR + 10 * 8
.equ R_R11,		VCF_GPR + 11 * 8
.equ R_R12,		VCF_GPR + 12 * 8
.equ R_R13,		VCF_GPR + 13 * 8
.equ R_R14,		VCF_GPR + 14 * 8
.equ R_R15,		VCF_GPR + 15 * 8

/* Prefix flags kept in R13 (REX byte in bits 15:8). */
.equ PFX_OPSIZE,	0x1			/* 66 */
.equ PFX_REP,		0x2			/* F3 */
.equ PFX_REPNE,		0x4			/* F2 */
.equ PFX_ADDR,		0x8			/* 67 */
.equ PFX_REX_SHIFT,	8
.equ REX_B,		0x1
.equ MAX_PREFIXES,	14

.equ DR7_RESET,		0x400

/*
 * Register use inside the handler (all callee-saved, so they survive
 * ghcb_clear / ghcb_nae):
 *   RBX frame   RBP opcode address (after the prefixes)   R12 ghcb_page
 *   R13 prefix flags   R14 exit code   R15 instruction length (0: unknown)
 */

/* Length is known: R15 = opcode + n - RIP. */
.macro VC_LEN n
	leaq	\n(%rbp), %r15
	subq	VCF_RIP(%rbx), %r15
.endm

/* The opcode bytes must be b0 b1 [b2]; then the length is known. */
.macro VC_EXPECT b0, b1, b2=-1
	cmpb	$\b0, 0(%rbp)
	jne	.Ldecode_error
	cmpb	$\b1, 1(%rbp)
	jne	.Ldecode_error
	.if \b2 >= 0
	cmpb	$\b2, 2(%rbp)
	jne	.Ldecode_error
	VC_LEN	3
	.else
	VC_LEN	2
	.endif
.endm

/* Start the request in ghcb_page. */
.macro VC_BEGIN
	movq	%r12, %rdi
	call	ghcb_clear
.endm

/* GHCB field = saved register (all 64 bits / low 32 zero-extended). */
.macro VC_GIVE slot, field, bit
	movq	\slot(%rbx), %rax
	movq	%rax, \field(%r12)
	GHCB_SET_VALID %r12, \bit
.endm
.macro VC_GIVE32 slot, field, bit
	movl	\slot(%rbx), %eax
	movq	%rax, \field(%r12)
	GHCB_SET_VALID %r12, \bit
.endm

/* Send it: sw_exitcode = R14; a hypervisor error goes to .Lhv_error. */
.macro VC_NAE info1, info2
	movq	\info1, %rdx
	movq	\info2, %rcx
	movq	%r12, %rdi
	movq	%r14, %rsi
	call	ghcb_nae
	testl	%eax, %eax
	jnz	.Lhv_error
.endm

/* The hypervisor must have marked the field valid. */
.macro VC_REQUIRE bit
	GHCB_TEST_VALID %r12, \bit
	jz	.Lnot_valid
.endm

/* Saved register = GHCB field (low 32 zero-extended / all 64 bits). */
.macro VC_TAKE32 field, slot
	movl	\field(%r12), %eax
	movq	%rax, \slot(%rbx)
.endm
.macro VC_TAKE field, slot
	movq	\field(%r12), %rax
	movq	%rax, \slot(%rbx)
.endm

	.text
	.code64

FUNC vc_handler
	subq	$VCF_ALLOC, %rsp
	movq	%rax, R_RAX(%rsp)
	movq	%rcx, R_RCX(%rsp)
	movq	%rdx, R_RDX(%rsp)
	movq	%rbx, R_RBX(%rsp)
	movq	%rbp, R_RBP(%rsp)
	movq	%rsi, R_RSI(%rsp)
	movq	%rdi, R_RDI(%rsp)
	movq	%r8, R_R8(%rsp)
	movq	%r9, R_R9(%rsp)
	movq	%r10, R_R10(%rsp)
	movq	%r11, R_R11(%rsp)
	movq	%r12, R_R12(%rsp)
	movq	%r13, R_R13(%rsp)
	movq	%r14, R_R14(%rsp)
	movq	%r15, R_R15(%rsp)
	movq	VCF_RSP(%rsp), %rax
	movq	%rax, R_RSP(%rsp)
	cld					/* IRETQ restores the guest's DF */

	movq	%rsp, %rbx
	leaq	ghcb_page(%rip), %r12
	xorl	%r15d, %r15d			/* length not known yet */

	incq	vc_count(%rip)
	movq	VCF_ERR(%rbx), %r14
	movq	%r14, vc_last_code(%rip)
	movq	VCF_RIP(%rbx), %rsi
	movq	%rsi, vc_last_rip(%rip)

	/* Prefixes: RBP walks to the opcode, R13 collects them. */
	xorl	%r13d, %r13d
	movq	%rsi, %rbp
.Lprefix:
	movq	%rbp, %rax
	subq	%rsi, %rax
	cmpq	$MAX_PREFIXES, %rax
	jae	.Ldecode_error
	movzbl	(%rbp), %eax
	cmpb	$0x66, %al
	je	.Lp_opsize
	cmpb	$0xF3, %al
	je	.Lp_rep
	cmpb	$0xF2, %al
	je	.Lp_repne
	cmpb	$0x67, %al
	je	.Lp_addr
	cmpb	$0x26, %al			/* ES */
	je	.Lp_legacy
	cmpb	$0x2E, %al			/* CS */
	je	.Lp_legacy
	cmpb	$0x36, %al			/* SS */
	je	.Lp_legacy
	cmpb	$0x3E, %al			/* DS */
	je	.Lp_legacy
	cmpb	$0x64, %al			/* FS */
	je	.Lp_legacy
	cmpb	$0x65, %al			/* GS */
	je	.Lp_legacy
	movl	%eax, %ecx
	andl	$0xF0, %ecx
	cmpl	$0x40, %ecx
	jne	.Lopcode
	/* REX: keep the last one (it must directly precede the opcode). */
	andl	$~(0xFF << PFX_REX_SHIFT), %r13d
	shll	$PFX_REX_SHIFT, %eax
	orl	%eax, %r13d
	incq	%rbp
	jmp	.Lprefix
.Lp_opsize:
	orl	$PFX_OPSIZE, %r13d
	jmp	.Lp_legacy
.Lp_rep:
	orl	$PFX_REP, %r13d
	jmp	.Lp_legacy
.Lp_repne:
	orl	$PFX_REPNE, %r13d
	jmp	.Lp_legacy
.Lp_addr:
	orl	$PFX_ADDR, %r13d
.Lp_legacy:
	/* A legacy prefix after a REX cancels the REX. */
	andl	$~(0xFF << PFX_REX_SHIFT), %r13d
	incq	%rbp
	jmp	.Lprefix

.Lopcode:
	cmpq	$SVM_EXIT_CPUID, %r14
	je	.Lcpuid
	cmpq	$SVM_EXIT_IOIO, %r14
	je	.Lioio
	cmpq	$SVM_EXIT_MSR, %r14
	je	.Lmsr
	cmpq	$SVM_EXIT_RDTSC, %r14
	je	.Lrdtsc
	cmpq	$SVM_EXIT_RDTSCP, %r14
	je	.Lrdtscp
	cmpq	$SVM_EXIT_RDPMC, %r14
	je	.Lrdpmc
	cmpq	$SVM_EXIT_INVD, %r14
	je	.Linvd
	cmpq	$SVM_EXIT_WBINVD, %r14
	je	.Lwbinvd
	cmpq	$SVM_EXIT_MONITOR, %r14
	je	.Lmonitor
	cmpq	$SVM_EXIT_MWAIT, %r14
	je	.Lmwait
	cmpq	$SVM_EXIT_VMMCALL, %r14
	je	.Lvmmcall
	cmpq	$SVM_EXIT_READ_DR7, %r14
	je	.Ldr7_read
	cmpq	$SVM_EXIT_WRITE_DR7, %r14
	je	.Ldr7_write
	jmp	.Lunsupported

/* ------------------------------------------------------------ CPUID */
.Lcpuid:
	VC_EXPECT 0x0F, 0xA2
	VC_BEGIN
	VC_GIVE32 R_RAX, GHCB_RAX, GHCB_BIT_RAX
	VC_GIVE32 R_RCX, GHCB_RCX, GHCB_BIT_RCX
	cmpl	$0xD, R_RAX(%rbx)
	jne	1f
	/* Leaf 0xD depends on XCR0: XGETBV if the OS enabled it, else x87 only. */
	movl	$1, %eax
	movq	%cr4, %rcx
	testl	$CR4_OSXSAVE, %ecx
	jz	2f
	xorl	%ecx, %ecx
	xgetbv
	shlq	$32, %rdx
	orq	%rdx, %rax
2:	movq	%rax, GHCB_XCR0(%r12)
	GHCB_SET_VALID %r12, GHCB_BIT_XCR0
1:	VC_NAE	$0, $0
	VC_REQUIRE GHCB_BIT_RAX
	VC_REQUIRE GHCB_BIT_RBX
	VC_REQUIRE GHCB_BIT_RCX
	VC_REQUIRE GHCB_BIT_RDX
	VC_TAKE32 GHCB_RAX, R_RAX
	VC_TAKE32 GHCB_RBX, R_RBX
	VC_TAKE32 GHCB_RCX, R_RCX
	VC_TAKE32 GHCB_RDX, R_RDX
	jmp	.Ldone

/* -------------------------------------------------------- RDMSR/WRMSR */
.Lmsr:
	cmpb	$0x0F, 0(%rbp)
	jne	.Ldecode_error
	cmpb	$0x32, 1(%rbp)
	je	.Lrdmsr
	cmpb	$0x30, 1(%rbp)
	jne	.Ldecode_error
	VC_LEN	2
	VC_BEGIN
	VC_GIVE32 R_RCX, GHCB_RCX, GHCB_BIT_RCX
	VC_GIVE32 R_RAX, GHCB_RAX, GHCB_BIT_RAX
	VC_GIVE32 R_RDX, GHCB_RDX, GHCB_BIT_RDX
	VC_NAE	$MSR_EXITINFO1_WRMSR, $0
	jmp	.Ldone
.Lrdmsr:
	VC_LEN	2
	VC_BEGIN
	VC_GIVE32 R_RCX, GHCB_RCX, GHCB_BIT_RCX
	VC_NAE	$MSR_EXITINFO1_RDMSR, $0
	VC_REQUIRE GHCB_BIT_RAX
	VC_REQUIRE GHCB_BIT_RDX
	VC_TAKE32 GHCB_RAX, R_RAX
	VC_TAKE32 GHCB_RDX, R_RDX
	jmp	.Ldone

/* -------------------------------------------------------------- IOIO */
/*
 * L0 = sw_exitinfo1, L1 = operand size in bytes; for strings also
 * L2 = elements left, L3 = elements in this chunk.
 */
.Lioio:
	movzbl	0(%rbp), %eax
	xorl	%ecx, %ecx			/* ECX: exitinfo1 flag bits */
	cmpb	$0x6C, %al
	jb	.Lio_plain
	cmpb	$0x6F, %al
	ja	.Lio_plain
	/* INS 6C/6D, OUTS 6E/6F: port in DX */
	orl	$IOIO_STR, %ecx
	testl	$PFX_REP, %r13d
	jz	1f
	orl	$IOIO_REP, %ecx
1:	cmpb	$0x6E, %al
	jae	.Lio_dx
	orl	$IOIO_TYPE_IN, %ecx
	jmp	.Lio_dx
.Lio_plain:
	cmpb	$0xE4, %al
	jb	.Ldecode_error
	cmpb	$0xE7, %al
	jbe	.Lio_imm
	cmpb	$0xEC, %al
	jb	.Ldecode_error
	cmpb	$0xEF, %al
	ja	.Ldecode_error
	cmpb	$0xEE, %al			/* EC/ED IN, EE/EF OUT */
	jae	.Lio_dx
	orl	$IOIO_TYPE_IN, %ecx
.Lio_dx:
	movzwl	R_RDX(%rbx), %edx		/* port = DX */
	VC_LEN	1
	jmp	.Lio_size
.Lio_imm:
	cmpb	$0xE6, %al			/* E4/E5 IN, E6/E7 OUT */
	jae	1f
	orl	$IOIO_TYPE_IN, %ecx
1:	movzbl	1(%rbp), %edx			/* port = imm8 */
	VC_LEN	2
.Lio_size:
	/* Operand size: even opcode = byte, odd = word (66) or dword. */
	testb	$1, %al
	jnz	1f
	orl	$IOIO_SZ8, %ecx
	movq	$1, VCF_L1(%rbx)
	jmp	2f
1:	testl	$PFX_OPSIZE, %r13d
	jz	1f
	orl	$IOIO_SZ16, %ecx
	movq	$2, VCF_L1(%rbx)
	jmp	2f
1:	orl	$IOIO_SZ32, %ecx
	movq	$4, VCF_L1(%rbx)
2:	/* Address size: 64-bit, or 32-bit with 67. */
	testl	$PFX_ADDR, %r13d
	jz	1f
	orl	$IOIO_A32, %ecx
	jmp	2f
1:	orl	$IOIO_A64, %ecx
2:	shll	$IOIO_PORT_SHIFT, %edx
	orl	%edx, %ecx
	movq	%rcx, VCF_L0(%rbx)
	testl	$IOIO_STR, %ecx
	jnz	.Lio_string

	/* IN/OUT of AL/AX/EAX. */
	VC_BEGIN
	testl	$IOIO_TYPE_IN, VCF_L0(%rbx)
	jnz	1f
	VC_GIVE	R_RAX, GHCB_RAX, GHCB_BIT_RAX
1:	VC_NAE	VCF_L0(%rbx), $0
	testl	$IOIO_TYPE_IN, VCF_L0(%rbx)
	jz	.Ldone
	VC_REQUIRE GHCB_BIT_RAX
	movq	GHCB_RAX(%r12), %rax
	cmpq	$1, VCF_L1(%rbx)
	je	1f
	cmpq	$2, VCF_L1(%rbx)
	je	2f
	movl	%eax, %eax			/* IN EAX zero-extends */
	movq	%rax, R_RAX(%rbx)
	jmp	.Ldone
1:	movb	%al, R_RAX(%rbx)		/* IN AL keeps RAX[63:8] */
	jmp	.Ldone
2:	movw	%ax, R_RAX(%rbx)		/* IN AX keeps RAX[63:16] */
	jmp	.Ldone

	/* INS/OUTS, REP or not: through the shared buffer. */
.Lio_string:
	testl	$RFLAGS_DF, VCF_RFLAGS(%rbx)
	jnz	.Lunsupported
	movq	$1, %rax
	testl	$IOIO_REP, VCF_L0(%rbx)
	jz	1f
	movq	R_RCX(%rbx), %rax
	testl	$PFX_ADDR, %r13d
	jz	1f
	movl	%eax, %eax
1:	movq	%rax, VCF_L2(%rbx)
.Lio_chunk:
	cmpq	$0, VCF_L2(%rbx)
	je	.Ldone				/* (REP with RCX = 0: nothing) */
	/* L3 = min(left, buffer size / operand size) */
	movl	$GHCB_SHARED_BUFFER_SIZE, %eax
	xorl	%edx, %edx
	divq	VCF_L1(%rbx)
	cmpq	VCF_L2(%rbx), %rax
	jbe	1f
	movq	VCF_L2(%rbx), %rax
1:	movq	%rax, VCF_L3(%rbx)

	VC_BEGIN
	leaq	GHCB_SHARED_BUFFER(%r12), %rax
	movq	%rax, GHCB_SW_SCRATCH(%r12)
	GHCB_SET_VALID %r12, GHCB_BIT_SW_SCRATCH
	testl	$IOIO_TYPE_IN, VCF_L0(%rbx)
	jnz	1f
	/* OUTS: guest [RSI] -> buffer */
	movq	R_RSI(%rbx), %rsi
	call	.Lio_addr
	leaq	GHCB_SHARED_BUFFER(%r12), %rdi
	movq	VCF_L3(%rbx), %rcx
	imulq	VCF_L1(%rbx), %rcx
	rep movsb
1:	VC_NAE	VCF_L0(%rbx), VCF_L3(%rbx)
	movq	VCF_L3(%rbx), %rcx
	imulq	VCF_L1(%rbx), %rcx		/* RCX = bytes moved */
	testl	$IOIO_TYPE_IN, VCF_L0(%rbx)
	jz	2f
	/* INS: buffer -> guest [RDI], RDI += bytes */
	movq	R_RDI(%rbx), %rsi
	call	.Lio_addr
	movq	%rsi, %rdi
	leaq	GHCB_SHARED_BUFFER(%r12), %rsi
	movq	%rcx, %rdx
	rep movsb
	movq	R_RDI(%rbx), %rsi
	addq	%rdx, %rsi
	call	.Lio_addr
	movq	%rsi, R_RDI(%rbx)
	jmp	3f
2:	/* OUTS: RSI += bytes */
	movq	R_RSI(%rbx), %rsi
	addq	%rcx, %rsi
	call	.Lio_addr
	movq	%rsi, R_RSI(%rbx)
3:	testl	$IOIO_REP, VCF_L0(%rbx)
	jz	4f
	movq	R_RCX(%rbx), %rsi
	subq	VCF_L3(%rbx), %rsi
	call	.Lio_addr
	movq	%rsi, R_RCX(%rbx)
4:	movq	VCF_L3(%rbx), %rax
	subq	%rax, VCF_L2(%rbx)
	jmp	.Lio_chunk

	/* RSI truncated to 32 bits under a 67 prefix. */
.Lio_addr:
	testl	$PFX_ADDR, %r13d
	jz	1f
	movl	%esi, %esi
1:	ret

/* ----------------------------------------------- RDTSC, RDTSCP, RDPMC */
.Lrdtsc:
	VC_EXPECT 0x0F, 0x31
	VC_BEGIN
	VC_NAE	$0, $0
	VC_REQUIRE GHCB_BIT_RAX
	VC_REQUIRE GHCB_BIT_RDX
	VC_TAKE32 GHCB_RAX, R_RAX
	VC_TAKE32 GHCB_RDX, R_RDX
	jmp	.Ldone

.Lrdtscp:
	VC_EXPECT 0x0F, 0x01, 0xF9
	VC_BEGIN
	VC_NAE	$0, $0
	VC_REQUIRE GHCB_BIT_RAX
	VC_REQUIRE GHCB_BIT_RCX
	VC_REQUIRE GHCB_BIT_RDX
	VC_TAKE32 GHCB_RAX, R_RAX
	VC_TAKE32 GHCB_RCX, R_RCX
	VC_TAKE32 GHCB_RDX, R_RDX
	jmp	.Ldone

.Lrdpmc:
	VC_EXPECT 0x0F, 0x33
	VC_BEGIN
	VC_GIVE32 R_RCX, GHCB_RCX, GHCB_BIT_RCX
	VC_NAE	$0, $0
	VC_REQUIRE GHCB_BIT_RAX
	VC_REQUIRE GHCB_BIT_RDX
	VC_TAKE32 GHCB_RAX, R_RAX
	VC_TAKE32 GHCB_RDX, R_RDX
	jmp	.Ldone

/* ------------------------------------- INVD, WBINVD, MONITOR, MWAIT */
.Linvd:
	VC_EXPECT 0x0F, 0x08
	jmp	.Lno_operands
.Lwbinvd:
	VC_EXPECT 0x0F, 0x09
.Lno_operands:
	VC_BEGIN
	VC_NAE	$0, $0
	jmp	.Ldone

.Lmonitor:
	VC_EXPECT 0x0F, 0x01, 0xC8
	VC_BEGIN
	VC_GIVE	R_RAX, GHCB_RAX, GHCB_BIT_RAX	/* linear address */
	VC_GIVE32 R_RCX, GHCB_RCX, GHCB_BIT_RCX
	VC_GIVE32 R_RDX, GHCB_RDX, GHCB_BIT_RDX
	VC_NAE	$0, $0
	jmp	.Ldone

.Lmwait:
	VC_EXPECT 0x0F, 0x01, 0xC9
	VC_BEGIN
	VC_GIVE32 R_RAX, GHCB_RAX, GHCB_BIT_RAX
	VC_GIVE32 R_RCX, GHCB_RCX, GHCB_BIT_RCX
	VC_NAE	$0, $0
	jmp	.Ldone

/* ------------------------------------------------------------ VMMCALL */
.Lvmmcall:
	VC_EXPECT 0x0F, 0x01, 0xD9
	VC_BEGIN
	VC_GIVE	R_RAX, GHCB_RAX, GHCB_BIT_RAX
	movl	VCF_CS(%rbx), %eax
	andl	$3, %eax			/* CPL = CS.RPL */
	movb	%al, GHCB_CPL(%r12)
	GHCB_SET_VALID %r12, GHCB_BIT_CPL
	VC_NAE	$0, $0
	VC_REQUIRE GHCB_BIT_RAX
	VC_TAKE	GHCB_RAX, R_RAX
	jmp	.Ldone

/* ---------------------------------------------------------------- DR7 */
/* R8 would be clobbered by ghcb_nae: the register number goes in L0. */
.Ldr7_read:
	VC_EXPECT 0x0F, 0x21
	call	.Ldr7_modrm
	VC_BEGIN
	VC_NAE	$0, $0
	VC_REQUIRE GHCB_BIT_RAX
	movq	VCF_L0(%rbx), %rcx
	movq	GHCB_RAX(%r12), %rax
	movq	%rax, VCF_GPR(%rbx,%rcx,8)
	jmp	.Ldone

.Ldr7_write:
	VC_EXPECT 0x0F, 0x23
	call	.Ldr7_modrm
	VC_BEGIN
	movq	VCF_L0(%rbx), %rcx
	movq	VCF_GPR(%rbx,%rcx,8), %rax
	movq	%rax, GHCB_RAX(%r12)
	GHCB_SET_VALID %r12, GHCB_BIT_RAX
	VC_NAE	$0, $0
	jmp	.Ldone

	/* ModRM: mod must be 3, reg 7 (DR7); L0 = rm + 8 * REX.B; len 3. */
.Ldr7_modrm:
	movzbl	2(%rbp), %eax
	movl	%eax, %ecx
	andl	$0xF8, %ecx
	cmpl	$0xF8, %ecx			/* mod 11, reg 111 */
	jne	.Ldecode_error
	andl	$7, %eax
	testl	$(REX_B << PFX_REX_SHIFT), %r13d
	jz	1f
	orl	$8, %eax
1:	movq	%rax, VCF_L0(%rbx)
	VC_LEN	3
	ret

/* -------------------------------------------------------------- exits */
.Lhv_error:
	movq	%rax, vc_error_info1(%rip)
	movq	GHCB_SW_EXITINFO2(%r12), %rax
	movq	%rax, vc_error_info(%rip)
	movl	$VC_ERR_HV, %eax
	jmp	.Lfail
.Lnot_valid:
	movl	$VC_ERR_NOT_VALID, %eax
	jmp	.Lfail
.Ldecode_error:
	xorl	%r15d, %r15d
	movl	$VC_ERR_DECODE, %eax
	jmp	.Lfail
.Lunsupported:
	movl	$VC_ERR_UNSUPPORTED, %eax
.Lfail:
	movq	%rbx, %rsp			/* drop any return addresses */
	movq	%rax, vc_error(%rip)
	incq	vc_error_count(%rip)
	cmpq	$0, vc_continue_on_error(%rip)
	je	.Lterminate
	testq	%r15, %r15			/* cannot skip an unknown length */
	jnz	.Ldone
.Lterminate:
	movl	$TERM_SET_SEVEMU, %edi
	movl	$TERM_VC_FAILED, %esi
	call	terminate			/* does not return */

.Ldone:
	addq	%r15, VCF_RIP(%rbx)
	movq	%rbx, %rsp
	movq	R_RSP(%rsp), %rax		/* (a DR7 read may target RSP) */
	movq	%rax, VCF_RSP(%rsp)
	movq	R_RAX(%rsp), %rax
	movq	R_RCX(%rsp), %rcx
	movq	R_RDX(%rsp), %rdx
	movq	R_RBX(%rsp), %rbx
	movq	R_RBP(%rsp), %rbp
	movq	R_RSI(%rsp), %rsi
	movq	R_RDI(%rsp), %rdi
	movq	R_R8(%rsp), %r8
	movq	R_R9(%rsp), %r9
	movq	R_R10(%rsp), %r10
	movq	R_R11(%rsp), %r11
	movq	R_R12(%rsp), %r12
	movq	R_R13(%rsp), %r13
	movq	R_R14(%rsp), %r14
	movq	R_R15(%rsp), %r15
	addq	$(VCF_ALLOC + 8), %rsp		/* GPRs and the error code */
	iretq
ENDFUNC vc_handler

/*
 * idt_install - a 256-gate IDT whose only present gate is 29: a 64-bit
 * interrupt gate to vc_handler, selector 0x08, IST 0, DPL 0; then LIDT.
 * clobbers RAX, RCX, RDI
 */
FUNC idt_install
	leaq	vc_idt(%rip), %rdi
	xorl	%eax, %eax
	movl	$(256 * 16 / 8), %ecx
	rep stosq

	leaq	vc_idt + VC_VECTOR * 16(%rip), %rdi
	leaq	vc_handler(%rip), %rax
	movw	%ax, 0(%rdi)			/* offset 15:0 */
	movw	$SEL_CODE64, 2(%rdi)
	movb	$0, 4(%rdi)			/* IST 0 */
	movb	$IDT_GATE_INTR64, 5(%rdi)
	shrq	$16, %rax
	movw	%ax, 6(%rdi)			/* offset 31:16 */
	shrq	$16, %rax
	movl	%eax, 8(%rdi)			/* offset 63:32 */
	movl	$0, 12(%rdi)

	movw	$(256 * 16 - 1), vc_idtr(%rip)
	leaq	vc_idt(%rip), %rax
	movq	%rax, vc_idtr + 2(%rip)
	lidt	vc_idtr(%rip)
	ret
ENDFUNC idt_install

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.bss
OBJECT vc_idt, 16
	.skip	256 * 16
ENDOBJECT vc_idt
OBJECT vc_idtr, 16
	.skip	10
ENDOBJECT vc_idtr
OBJECT vc_count, 8
	.skip	8
ENDOBJECT vc_count
OBJECT vc_last_code, 8
	.skip	8
ENDOBJECT vc_last_code
OBJECT vc_last_rip, 8
	.skip	8
ENDOBJECT vc_last_rip
OBJECT vc_error, 8
	.skip	8
ENDOBJECT vc_error
OBJECT vc_error_count, 8
	.skip	8
ENDOBJECT vc_error_count
OBJECT vc_error_info, 8
	.skip	8
ENDOBJECT vc_error_info
OBJECT vc_error_info1, 8
	.skip	8
ENDOBJECT vc_error_info1
OBJECT vc_continue_on_error, 8
	.skip	8
ENDOBJECT vc_continue_on_error
