/*
 * nae_all.S - every NAE event once, each raised the natural way: the guest
 * executes the instruction, the CPU delivers #VC, lib/vc.S serves it
 * through ghcb_page.  MMIO has no #VC in sevemu, so those two requests are
 * made directly.  The handler runs with vc_continue_on_error set: a failed
 * event is recorded and skipped, and the guest goes on to the end.
 *
 * Events, in order; bit n of nae_errors (the handler reported a failure
 * for it, or an MMIO request came back with sw_exitinfo1[31:0] != 0) and
 * of nae_vc_mask (the event raised at least one #VC):
 *    0 CPUID 0            1 CPUID 1            2 CPUID 0x80000000
 *    3 CPUID 0x8000001F   4 CPUID 0xD/0 (XCR0 sent)
 *    5 RDMSR SEV_STATUS (passed through: no #VC expected)
 *    6 WRMSR PAT          7 RDMSR PAT
 *    8 RDTSC              9 RDTSC             10 RDTSCP
 *   11 RDPMC (ECX = 0)   12 MOV DR7->RAX      13 MOV RAX->DR7 (0x401)
 *   14 MOV DR7->R9       15 VMMCALL (RAX = 0) 16 INVD
 *   17 WBINVD            18 MONITOR           19 MWAIT
 *   20 OUT 'O' (DX=0x3F8)  21 OUT 'K'         22 OUT '\n'
 *   23 IN AL, DX=0x3FD   24 OUT AX, 0x80 (imm8, 66)  25 IN AX, 0x80
 *   26 OUT EAX, DX=0x80  27 IN EAX, DX=0x80  28 REP OUTSB "nae_all ok\n"
 *   29 MMIO read (GHCB) 30 MMIO write (GHCB)
 * RDTSC, RDPMC, INVD, WBINVD and DR7 may not be intercepted; then they
 * execute natively and their nae_vc_mask bit stays clear.
 *
 * Results (global symbols):
 *   cpuid_vc[16]    u32  CPUID through #VC, leaves 0, 1, 0x80000000,
 *                        0x8000001F; EAX, EBX, ECX, EDX each
 *   cpuid_msr[16]   u32  the same through the MSR protocol
 *   cpuid_msr_bad   u64  bit i: MSR-protocol response i was malformed
 *   cpuid_agree     u64  1 if cpuid_vc == cpuid_msr for leaves 0,
 *                        0x80000000, 0x8000001F (leaf 1 not compared)
 *   cpuid_d[4]      u32  CPUID 0xD subleaf 0 (EAX..EDX)
 *   sev_status      u64  MSR 0xC0010131 (expected 3)
 *   pat_written, pat_read  u64
 *   tsc0, tsc1      u64  EDX:EAX of the two RDTSCs
 *   tscp            u64  EDX:EAX of RDTSCP;   tscp_aux u64  its RCX
 *   pmc0            u64  EDX:EAX of RDPMC 0
 *   dr7_initial     u64  first DR7 read (RAX preset to all-ones)
 *   dr7_after       u64  DR7 read after writing 0x401 (R9 preset to ones)
 *   vmmcall_rax     u64  RAX after VMMCALL with RAX = 0
 *   com1_lsr        u64  byte read from 0x3FD (expected 0x60)
 *   in16            u64  RAX after IN AX with RAX = 0x1122334455667788
 *                        (expected 0x112233445566FFFF: port 0x80 floats)
 *   in32            u64  RAX after IN EAX, same preset (0xFFFFFFFF)
 *   outsb_rcx       u64  RCX after REP OUTSB (expected 0)
 *   outsb_advance   u64  RSI advance by REP OUTSB (expected 11)
 *   mmio_status     u64  sw_exitinfo1 after the MMIO read of 8 bytes at
 *                        0xFED00000
 *   mmio_read_value u64  the 8 bytes read (left 0 on error)
 *   mmio_write_status u64  sw_exitinfo1 after writing 8 bytes
 *                        (0x5A5A5A5A5A5A5A5A) to 0xFED00000
 *   nae_errors, nae_vc_mask  u64  bitmasks as above
 * COM1 output: "OK\nnae_all ok\n".  Ends with HLT, RAX = vc_count.
 */
#include "sevemu.inc"

.equ NLEAVES,		4
.equ NREQ,		NLEAVES * 4
.equ PAT_TEST_VALUE,	0x0005040600010406	/* valid types, not the reset value */
.equ DR7_TEST_VALUE,	0x401
.equ IN_PRESET,		0x1122334455667788
.equ PORT_UNUSED,	0x80
.equ MMIO_GPA,		0xFED00000
.equ MMIO_WRITE_VALUE,	0x5A5A5A5A5A5A5A5A

/* Around each event: clear vc_error, remember vc_count in R15. */
.macro EV_BEGIN
	movq	$0, vc_error(%rip)
	movq	vc_count(%rip), %r15
.endm

/* Record the event's bit (in register \reg) in nae_errors / nae_vc_mask. */
.macro EV_END_REG reg
	cmpq	$0, vc_error(%rip)
	je	8f
	btsq	\reg, nae_errors(%rip)
8:	cmpq	vc_count(%rip), %r15
	je	9f
	btsq	\reg, nae_vc_mask(%rip)
9:
.endm

.macro EV_END bit
	movl	$\bit, %r14d
	EV_END_REG %r14
.endm

/* RAX = EDX:EAX */
.macro EDX_EAX
	shlq	$32, %rdx
	movl	%eax, %eax
	orq	%rdx, %rax
.endm

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15

	movq	$1, vc_continue_on_error(%rip)
	call	idt_install

	/* CPUID through the MSR protocol, before any GHCB is in use. */
	xorl	%r12d, %r12d
1:	movl	%r12d, %eax
	shrl	$2, %eax
	leaq	nae_leaves(%rip), %rdx
	movl	(%rdx,%rax,4), %edi
	movl	%r12d, %esi
	andl	$3, %esi
	call	msrproto_cpuid
	movl	%eax, %ecx
	andl	$GHCB_MSR_INFO_MASK, %ecx
	cmpl	$GHCB_MSR_CPUID_RESP, %ecx
	jne	2f
	movl	%eax, %ecx
	shrl	$GHCB_MSR_CPUID_REG_SHIFT, %ecx
	movl	%r12d, %edx
	andl	$3, %edx
	cmpl	%edx, %ecx
	je	3f
2:	btsq	%r12, cpuid_msr_bad(%rip)
	xorl	%eax, %eax
3:	shrq	$32, %rax
	leaq	cpuid_msr(%rip), %rdx
	movl	%eax, (%rdx,%r12,4)
	incl	%r12d
	cmpl	$NREQ, %r12d
	jb	1b

	/* Events 0-3: the same leaves through #VC. */
	xorl	%r12d, %r12d
1:	EV_BEGIN
	leaq	nae_leaves(%rip), %rdx
	movl	(%rdx,%r12,4), %eax
	xorl	%ecx, %ecx
	cpuid
	leaq	cpuid_vc(%rip), %rdi
	leaq	(%rdi,%r12,8), %rdi		/* 16 bytes per leaf */
	leaq	(%rdi,%r12,8), %rdi
	movl	%eax, 0(%rdi)
	movl	%ebx, 4(%rdi)
	movl	%ecx, 8(%rdi)
	movl	%edx, 12(%rdi)
	EV_END_REG %r12
	incl	%r12d
	cmpl	$NLEAVES, %r12d
	jb	1b

	/* Event 4: leaf 0xD subleaf 0 (the handler sends XCR0). */
	EV_BEGIN
	movl	$0xD, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%eax, cpuid_d + 0(%rip)
	movl	%ebx, cpuid_d + 4(%rip)
	movl	%ecx, cpuid_d + 8(%rip)
	movl	%edx, cpuid_d + 12(%rip)
	EV_END	4

	/* cpuid_agree: leaves 0 (words 0-3), 0x80000000 (8-11), 0x8000001F (12-15). */
	leaq	cpuid_vc(%rip), %rsi
	leaq	cpuid_msr(%rip), %rdi
	xorl	%eax, %eax
	cmpq	$0, cpuid_msr_bad(%rip)
	jne	2f
	movl	$0, %ecx
1:	cmpl	$4, %ecx			/* skip leaf 1 */
	jne	3f
	movl	$8, %ecx
3:	movl	(%rsi,%rcx,4), %edx
	cmpl	(%rdi,%rcx,4), %edx
	jne	2f
	incl	%ecx
	cmpl	$NREQ, %ecx
	jb	1b
	movl	$1, %eax
2:	movq	%rax, cpuid_agree(%rip)

	/* Event 5: SEV_STATUS, passed through. */
	EV_BEGIN
	movl	$MSR_SEV_STATUS, %ecx
	rdmsr
	EDX_EAX
	movq	%rax, sev_status(%rip)
	EV_END	5

	/* Events 6, 7: WRMSR then RDMSR of PAT. */
	movabsq	$PAT_TEST_VALUE, %rax
	movq	%rax, pat_written(%rip)
	EV_BEGIN
	movq	%rax, %rdx
	shrq	$32, %rdx
	movl	$MSR_PAT, %ecx
	wrmsr
	EV_END	6
	EV_BEGIN
	movl	$MSR_PAT, %ecx
	rdmsr
	EDX_EAX
	movq	%rax, pat_read(%rip)
	EV_END	7

	/* Events 8, 9: RDTSC twice. */
	EV_BEGIN
	rdtsc
	EDX_EAX
	movq	%rax, tsc0(%rip)
	EV_END	8
	EV_BEGIN
	rdtsc
	EDX_EAX
	movq	%rax, tsc1(%rip)
	EV_END	9

	/* Event 10: RDTSCP. */
	EV_BEGIN
	movq	$-1, %rcx
	rdtscp
	movq	%rcx, tscp_aux(%rip)
	EDX_EAX
	movq	%rax, tscp(%rip)
	EV_END	10

	/* Event 11: RDPMC counter 0. */
	EV_BEGIN
	xorl	%ecx, %ecx
	rdpmc
	EDX_EAX
	movq	%rax, pmc0(%rip)
	EV_END	11

	/* Events 12-14: DR7 read, write 0x401, read back into R9 (REX.B). */
	EV_BEGIN
	movq	$-1, %rax
	movq	%dr7, %rax
	movq	%rax, dr7_initial(%rip)
	EV_END	12
	EV_BEGIN
	movl	$DR7_TEST_VALUE, %eax
	movq	%rax, %dr7
	EV_END	13
	EV_BEGIN
	movq	$-1, %r9
	movq	%dr7, %r9
	movq	%r9, dr7_after(%rip)
	EV_END	14

	/* Event 15: VMMCALL with RAX = 0. */
	EV_BEGIN
	xorl	%eax, %eax
	vmmcall
	movq	%rax, vmmcall_rax(%rip)
	EV_END	15

	/* Events 16, 17: INVD, WBINVD. */
	EV_BEGIN
	invd
	EV_END	16
	EV_BEGIN
	wbinvd
	EV_END	17

	/* Events 18, 19: MONITOR on a variable, MWAIT. */
	EV_BEGIN
	leaq	monitor_var(%rip), %rax
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	monitor	%rax, %ecx, %edx
	EV_END	18
	EV_BEGIN
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	mwait	%eax, %ecx
	EV_END	19

	/* Events 20-22: "OK\n" to COM1, a byte at a time, port in DX. */
	movw	$COM1_PORT, %dx
	EV_BEGIN
	movb	$'O', %al
	outb	%al, %dx
	EV_END	20
	EV_BEGIN
	movb	$'K', %al
	outb	%al, %dx
	EV_END	21
	EV_BEGIN
	movb	$'\n', %al
	outb	%al, %dx
	EV_END	22

	/* Event 23: COM1 line status. */
	EV_BEGIN
	movw	$COM1_LSR, %dx
	xorl	%eax, %eax
	inb	%dx, %al
	movzbl	%al, %eax
	movq	%rax, com1_lsr(%rip)
	EV_END	23

	/* Events 24-27: 16-bit (imm8 port) and 32-bit (DX) to port 0x80. */
	EV_BEGIN
	movw	$0xBEEF, %ax
	outw	%ax, $PORT_UNUSED
	EV_END	24
	EV_BEGIN
	movabsq	$IN_PRESET, %rax
	inw	$PORT_UNUSED, %ax
	movq	%rax, in16(%rip)
	EV_END	25
	EV_BEGIN
	movw	$PORT_UNUSED, %dx
	movl	$0xCAFEF00D, %eax
	outl	%eax, %dx
	EV_END	26
	EV_BEGIN
	movabsq	$IN_PRESET, %rax
	movw	$PORT_UNUSED, %dx
	inl	%dx, %eax
	movq	%rax, in32(%rip)
	EV_END	27

	/* Event 28: REP OUTSB through the shared buffer. */
	EV_BEGIN
	leaq	outsb_msg(%rip), %rsi
	movq	%rsi, %rbx
	movl	$outsb_len, %ecx
	movw	$COM1_PORT, %dx
	rep outsb
	movq	%rcx, outsb_rcx(%rip)
	subq	%rbx, %rsi
	movq	%rsi, outsb_advance(%rip)
	EV_END	28

	/* Event 29: MMIO read, 8 bytes at MMIO_GPA, into the shared buffer. */
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear
	leaq	ghcb_page + GHCB_SHARED_BUFFER(%rip), %rax
	movq	%rax, ghcb_page + GHCB_SW_SCRATCH(%rip)
	leaq	ghcb_page(%rip), %rdi
	GHCB_SET_VALID %rdi, GHCB_BIT_SW_SCRATCH
	movl	$SEV_EXIT_MMIO_READ, %esi
	movl	$MMIO_GPA, %edx
	movl	$8, %ecx
	call	ghcb_nae
	movq	%rax, mmio_status(%rip)
	testl	%eax, %eax
	jz	1f
	btsq	$29, nae_errors(%rip)
	jmp	2f
1:	movq	ghcb_page + GHCB_SHARED_BUFFER(%rip), %rax
	movq	%rax, mmio_read_value(%rip)
2:
	/* Event 30: MMIO write of 8 bytes. */
	leaq	ghcb_page(%rip), %rdi
	call	ghcb_clear
	movabsq	$MMIO_WRITE_VALUE, %rax
	movq	%rax, ghcb_page + GHCB_SHARED_BUFFER(%rip)
	leaq	ghcb_page + GHCB_SHARED_BUFFER(%rip), %rax
	movq	%rax, ghcb_page + GHCB_SW_SCRATCH(%rip)
	leaq	ghcb_page(%rip), %rdi
	GHCB_SET_VALID %rdi, GHCB_BIT_SW_SCRATCH
	movl	$SEV_EXIT_MMIO_WRITE, %esi
	movl	$MMIO_GPA, %edx
	movl	$8, %ecx
	call	ghcb_nae
	movq	%rax, mmio_write_status(%rip)
	testl	%eax, %eax
	jz	1f
	btsq	$30, nae_errors(%rip)
1:
	movq	vc_count(%rip), %rax
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
ENDFUNC guest_main

	.section .rodata
OBJECT nae_leaves, 4
	.long	0x00000000, 0x00000001, 0x80000000, 0x8000001F
ENDOBJECT nae_leaves
OBJECT outsb_msg, 1
	.ascii	"nae_all ok\n"
ENDOBJECT outsb_msg
	.equ	outsb_len, . - outsb_msg

	.bss
OBJECT cpuid_vc, 4
	.skip	NREQ * 4
ENDOBJECT cpuid_vc
OBJECT cpuid_msr, 4
	.skip	NREQ * 4
ENDOBJECT cpuid_msr
OBJECT cpuid_d, 4
	.skip	4 * 4
ENDOBJECT cpuid_d
OBJECT cpuid_msr_bad, 8
	.skip	8
ENDOBJECT cpuid_msr_bad
OBJECT cpuid_agree, 8
	.skip	8
ENDOBJECT cpuid_agree
OBJECT sev_status, 8
	.skip	8
ENDOBJECT sev_status
OBJECT pat_written, 8
	.skip	8
ENDOBJECT pat_written
OBJECT pat_read, 8
	.skip	8
ENDOBJECT pat_read
OBJECT tsc0, 8
	.skip	8
ENDOBJECT tsc0
OBJECT tsc1, 8
	.skip	8
ENDOBJECT tsc1
OBJECT tscp, 8
	.skip	8
ENDOBJECT tscp
OBJECT tscp_aux, 8
	.skip	8
ENDOBJECT tscp_aux
OBJECT pmc0, 8
	.skip	8
ENDOBJECT pmc0
OBJECT dr7_initial, 8
	.skip	8
ENDOBJECT dr7_initial
OBJECT dr7_after, 8
	.skip	8
ENDOBJECT dr7_after
OBJECT vmmcall_rax, 8
	.skip	8
ENDOBJECT vmmcall_rax
OBJECT monitor_var, 8
	.skip	8
ENDOBJECT monitor_var
OBJECT com1_lsr, 8
	.skip	8
ENDOBJECT com1_lsr
OBJECT in16, 8
	.skip	8
ENDOBJECT in16
OBJECT in32, 8
	.skip	8
ENDOBJECT in32
OBJECT outsb_rcx, 8
	.skip	8
ENDOBJECT outsb_rcx
OBJECT outsb_advance, 8
	.skip	8
ENDOBJECT outsb_advance
OBJECT mmio_status, 8
	.skip	8
ENDOBJECT mmio_status
OBJECT mmio_read_value, 8
	.skip	8
ENDOBJECT mmio_read_value
OBJECT mmio_write_status, 8
	.skip	8
ENDOBJECT mmio_write_status
OBJECT nae_errors, 8
	.skip	8
ENDOBJECT nae_errors
OBJECT nae_vc_mask, 8
	.skip	8
ENDOBJECT nae_vc_mask
