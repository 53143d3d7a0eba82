/*
 * ghcb_fuzz.S - random GHCB requests, for tests/fuzz/fuzz_ghcb.c.
 *
 * A deterministic PRNG (xorshift64*, seeded from fuzz_seed through one
 * splitmix64 step) drives fuzz_iterations requests.  Most are GHCB page
 * requests: the save area, a few qwords of the shared buffer and the
 * control fields are filled with random bits, then, each with a fixed
 * probability, parts are made plausible so that requests get past the
 * first checks and reach the event handlers: a real NAE exit code,
 * event-specific exit information and registers, sw_scratch in the
 * shared buffer, the valid bits the event needs, a protocol version the
 * vmm speaks, usage 0.  About one in 32 is an MSR-protocol request instead,
 * almost always one the vmm knows, one in 32 of them any code at all.
 *
 * The guest never reads an answer except to count it, so no answer can
 * derail it.  Two things are avoided on purpose because they end the
 * run in the runner, not in the vmm: port 0xF4 (the debug-exit port) is
 * never named, and OUT to COM1 is rare.  HLT (0x78) and the MSR-protocol
 * termination request also end the run and are kept rare.
 *
 * One oracle is built in: a request the specification makes the
 * hypervisor refuse whatever the event (usage not 0, sw_exitcode or an
 * exit information word not marked valid, an exit code with bits 63:32
 * set, which no event has) must come back with sw_exitinfo1[31:0] != 0.
 * An answer of success to one is counted in fuzz_silent.
 *
 * Inputs (.data, patched by the driver before the run):
 *   fuzz_seed          u64  PRNG seed (default 1)
 *   fuzz_iterations    u64  requests to make (default 100)
 *   fuzz_proto_max     u64  highest GHCB protocol version to speak (from
 *                           1); default 0: ask the vmm first with an
 *                           SEV information request (0x002)
 *   fuzz_first_iter    u64  the first request's number (default 0)
 *   fuzz_resume_state  u64  if not 0, the PRNG state to go on from (a run
 *                           the vmm stopped goes on in a new VM)
 *   fuzz_nrare_code, fuzz_rare_code[16]   sw_exitcodes to draw only one
 *                           time in 256 (the vmm stopped the VM on them)
 *   fuzz_nrare_msr, fuzz_rare_msr[16]     likewise MSR-protocol codes
 *   fuzz_rare_class    u64  bit k: likewise the exit codes of class k
 *                           (fuzz_cur_class) that are not NAE events
 * Results (global symbols, u64):
 *   fuzz_done          requests answered (the guest got control back)
 *   fuzz_page_requests, fuzz_msr_requests   of those, by kind
 *   fuzz_refused       answers with sw_exitinfo1[31:0] != 0
 *   fuzz_expected      answered requests that had to be refused
 *   fuzz_silent        of those, answered with success
 *   fuzz_silent_iter, fuzz_silent_code, fuzz_silent_usage   the first
 *   fuzz_cur_iter, fuzz_cur_msr, fuzz_cur_code   the request in flight
 *                      (fuzz_cur_msr: GHCB MSR value; fuzz_cur_code:
 *                      sw_exitcode of a page request)
 *   fuzz_proto_min, fuzz_proto_max   the versions spoken
 *   fuzz_sev_info      the SEV information response (if asked)
 *   fuzz_setup_status  ghcb_cpuid's status for the well-formed request
 *                      before the fuzzing, which registers ghcb_page
 *   fuzz_state         the PRNG state (after the request in flight)
 *   fuzz_cur_expect    the rules the request in flight breaks (below)
 *   fuzz_cur_class     how its sw_exitcode was drawn: 0 from the NAE
 *                      table, 1 random, 2 an SVM exit code, 3 0x800000xx,
 *                      4 0x8000FFFx
 *   fuzz_nanswers, fuzz_answers[FUZZ_MAX_ANSWERS]   each answer to a
 *                      request that had to be refused: the rules it
 *                      breaks, sw_exitinfo1, sw_exitinfo2, the valid
 *                      bitmap (5 u64); fuzz_nanswers counts past the end
 *   ghcb_page          the GHCB (4 KiB, in .ghcb)
 * Ends halted with RAX = fuzz_done, unless a request ended the run.
 */
#include "sevemu.inc"

.equ FUZZ_TRIES,		32	/* draws to get past the rare events */
.equ FUZZ_MAX_ANSWERS,		1024
.equ FUZZ_MAX_RARE,		16

/* Not in sevemu.inc: only this guest sends them. */
.equ SVM_EXIT_HLT,		0x78
.equ IOIO_PORT_MASK,		0xFFFF
.equ MMIO_BASE,			0xFED00000	/* the runner's scratch page */
.equ PAT_VALID,			0x0007040600070406

/* Jumps with probability 1/2^k (the PRNG's top k bits all 0). */
.macro ONE_IN_POW2 k, target
	call	fuzz_rand
	shrq	$(64 - \k), %rax
	jz	\target
.endm

/* Jumps with probability 1 - 1/2^k: falls through one time in 2^k. */
.macro UNLESS_ONE_IN_POW2 k, target
	call	fuzz_rand
	shrq	$(64 - \k), %rax
	jnz	\target
.endm

	.text
	.code64

FUNC guest_main
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	call	fuzz_seed_init
	leaq	ghcb_page(%rip), %r12
	call	fuzz_versions

	/*
	 * Register the page with a well-formed request first: a random
	 * MSR-protocol registration later is then declined, instead of
	 * taking the GHCB away from every page request after it.
	 */
	movq	%r12, %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	leaq	fuzz_setup_regs(%rip), %rcx
	call	ghcb_cpuid
	movq	%rax, fuzz_setup_status(%rip)

	movq	fuzz_first_iter(%rip), %r13
1:	cmpq	fuzz_iterations(%rip), %r13
	jae	2f
	movq	%r13, fuzz_cur_iter(%rip)
	call	fuzz_one
	incq	fuzz_done(%rip)
	incq	%r13
	jmp	1b
2:	movq	fuzz_done(%rip), %rax
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	ret
ENDFUNC guest_main

/*
 * The protocol versions to speak: 1 to fuzz_proto_max if the driver set
 * it, else the range the SEV information request (0x002) answers.
 */
FUNC fuzz_versions
	movl	$1, %eax
	movq	%rax, fuzz_proto_min(%rip)
	cmpq	$0, fuzz_proto_max(%rip)
	jne	2f
	movq	%rax, fuzz_proto_max(%rip)
	movl	$GHCB_MSR_SEV_INFO_REQ, %edi
	call	ghcb_msr_vmgexit
	movq	%rax, fuzz_sev_info(%rip)
	movl	%eax, %edx
	andl	$GHCB_MSR_INFO_MASK, %edx
	cmpl	$GHCB_MSR_SEV_INFO_RESP, %edx
	jne	2f
	movq	%rax, %rdx
	shrq	$GHCB_MSR_SEV_INFO_MIN_SHIFT, %rdx
	movzwl	%dx, %edx			/* min */
	shrq	$GHCB_MSR_SEV_INFO_MAX_SHIFT, %rax	/* max */
	testl	%edx, %edx
	jz	2f
	cmpl	%edx, %eax
	jb	2f
	movq	%rdx, fuzz_proto_min(%rip)
	movq	%rax, fuzz_proto_max(%rip)
2:	ret
ENDFUNC fuzz_versions

/* ------------------------------------------------------------ the PRNG */

/*
 * fuzz_state = fuzz_resume_state if set, else splitmix64(fuzz_seed),
 * never 0.  Clobbers RAX, RDX.
 */
FUNC fuzz_seed_init
	movq	fuzz_resume_state(%rip), %rax
	testq	%rax, %rax
	jnz	1f
	movabsq	$0x9E3779B97F4A7C15, %rax
	addq	fuzz_seed(%rip), %rax
	movq	%rax, %rdx
	shrq	$30, %rdx
	xorq	%rdx, %rax
	movabsq	$0xBF58476D1CE4E5B9, %rdx
	imulq	%rdx, %rax
	movq	%rax, %rdx
	shrq	$27, %rdx
	xorq	%rdx, %rax
	movabsq	$0x94D049BB133111EB, %rdx
	imulq	%rdx, %rax
	movq	%rax, %rdx
	shrq	$31, %rdx
	xorq	%rdx, %rax
	jnz	1f
	incq	%rax
1:	movq	%rax, fuzz_state(%rip)
	ret
ENDFUNC fuzz_seed_init

/* RAX = the next xorshift64* output.  Clobbers RDX only. */
FUNC fuzz_rand
	movq	fuzz_state(%rip), %rax
	movq	%rax, %rdx
	shrq	$12, %rdx
	xorq	%rdx, %rax
	movq	%rax, %rdx
	shlq	$25, %rdx
	xorq	%rdx, %rax
	movq	%rax, %rdx
	shrq	$27, %rdx
	xorq	%rdx, %rax
	movq	%rax, fuzz_state(%rip)
	movabsq	$0x2545F4914F6CDD1D, %rdx
	imulq	%rdx, %rax
	ret
ENDFUNC fuzz_rand

/* RAX = uniform in [0, EDI), EDI > 0.  Clobbers RDX. */
FUNC fuzz_below
	call	fuzz_rand
	shrq	$32, %rax
	movl	%edi, %edx
	imulq	%rdx, %rax
	shrq	$32, %rax
	ret
ENDFUNC fuzz_below

/* EAX = 1 if RAX is one of the RDI u64 entries at RSI.  Clobbers RCX. */
FUNC fuzz_in_table
	xorl	%ecx, %ecx
1:	cmpq	%rdi, %rcx
	jae	2f
	cmpq	(%rsi,%rcx,8), %rax
	je	3f
	incq	%rcx
	jmp	1b
2:	xorl	%eax, %eax
	ret
3:	movl	$1, %eax
	ret
ENDFUNC fuzz_in_table

/* RAX = one of the EDI u64 entries at RSI.  Clobbers RDX. */
FUNC fuzz_pick
	call	fuzz_below
	movq	(%rsi,%rax,8), %rax
	ret
ENDFUNC fuzz_pick

/* ------------------------------------------------------- one request */

/*
 * One request.  R12 = the GHCB page, R13 = the iteration; RBX, R14 and
 * R15 are free (guest_main saved them).
 */
FUNC fuzz_one
	ONE_IN_POW2 5, fuzz_msrproto
	jmp	fuzz_page
ENDFUNC fuzz_one

/*
 * An MSR-protocol request: one in 256 a termination request, which
 * ends the run; of the rest, 31 in 32 codes the vmm answers, with
 * random data bits (or the registration of ghcb_page itself), and one
 * in 32 any non-zero code, which a vmm may end the run for (0x100, when
 * drawn, is kept one time in 16).
 */
FUNC fuzz_msrproto
	movq	$FUZZ_TRIES, fuzz_tries(%rip)
1:	call	fuzz_msr_draw
	movq	%rax, %rbx
	decq	fuzz_tries(%rip)
	jz	2f
	andl	$GHCB_MSR_INFO_MASK, %eax
	leaq	fuzz_rare_msr(%rip), %rsi
	movq	fuzz_nrare_msr(%rip), %rdi
	call	fuzz_in_table
	testl	%eax, %eax
	jz	2f
	ONE_IN_POW2 8, 2f			/* a rare one: kept 1 in 256 */
	jmp	1b
2:	movq	%rbx, %rax
	movq	%rax, fuzz_cur_msr(%rip)
	movq	$0, fuzz_cur_code(%rip)
	movq	$0, fuzz_cur_expect(%rip)
	movq	%rax, %rdi
	call	ghcb_msr_vmgexit
	incq	fuzz_msr_requests(%rip)
	ret
ENDFUNC fuzz_msrproto

/* RAX = the GHCB MSR value of an MSR-protocol request.  Clobbers RBX. */
FUNC fuzz_msr_draw
	ONE_IN_POW2 8, .Lmsr_terminate
	ONE_IN_POW2 5, .Lmsr_any
	movl	$8, %edi
	call	fuzz_below
	cmpl	$7, %eax
	je	.Lmsr_own
	leaq	msrproto_codes(%rip), %rdx
	movq	(%rdx,%rax,8), %rbx
	call	fuzz_rand
	andq	$~GHCB_MSR_INFO_MASK, %rax
	orq	%rbx, %rax
	jmp	.Lmsr_send
.Lmsr_own:
	leaq	GHCB_MSR_REG_GPA_REQ(%r12), %rax
	jmp	.Lmsr_send
.Lmsr_terminate:
	call	fuzz_rand			/* any reason, any data */
	andq	$~GHCB_MSR_INFO_MASK, %rax
	orq	$GHCB_MSR_TERM_REQ, %rax
	jmp	.Lmsr_send
.Lmsr_any:
	call	fuzz_rand
	movq	%rax, %rbx
	andl	$GHCB_MSR_INFO_MASK, %eax
	jnz	1f
	orq	$GHCB_MSR_SEV_INFO_RESP, %rbx	/* a response, not a request */
	jmp	2f
1:	cmpl	$GHCB_MSR_TERM_REQ, %eax
	jne	2f
	ONE_IN_POW2 4, 2f
	xorq	$(GHCB_MSR_TERM_REQ ^ GHCB_MSR_SEV_INFO_REQ), %rbx
2:	movq	%rbx, %rax
.Lmsr_send:
	ret
ENDFUNC fuzz_msr_draw

/* A GHCB page request. */
FUNC fuzz_page
	call	fuzz_fill
	call	fuzz_exitcode
	ONE_IN_POW2 2, 1f			/* 1/4: exit info stays random */
	call	fuzz_event
1:	call	fuzz_scratch
	call	fuzz_valid
	call	fuzz_control
	call	fuzz_port_guard
	call	fuzz_expect			/* R15 */
	movl	GHCB_USAGE(%r12), %ebx		/* for fuzz_silent_usage */

	movq	%r15, fuzz_cur_expect(%rip)
	movq	%r12, fuzz_cur_msr(%rip)
	movq	%r14, fuzz_cur_code(%rip)
	movq	%r12, %rdi
	call	ghcb_msr_vmgexit
	incq	fuzz_page_requests(%rip)

	testq	%r15, %r15
	jz	1f
	call	fuzz_record
1:	movl	GHCB_SW_EXITINFO1(%r12), %eax
	testl	%eax, %eax
	jz	.Laccepted
	incq	fuzz_refused(%rip)
	testq	%r15, %r15
	jz	1f
	incq	fuzz_expected(%rip)
1:	ret
.Laccepted:
	testq	%r15, %r15
	jz	1f
	incq	fuzz_expected(%rip)
	cmpq	$0, fuzz_silent(%rip)
	jne	2f
	movq	%r13, fuzz_silent_iter(%rip)
	movq	%r14, fuzz_silent_code(%rip)
	movq	%rbx, fuzz_silent_usage(%rip)
2:	incq	fuzz_silent(%rip)
1:	ret
ENDFUNC fuzz_page

/* The answer to a request that breaks the rules R15, for the driver. */
FUNC fuzz_record
	movq	fuzz_nanswers(%rip), %rax
	incq	fuzz_nanswers(%rip)
	cmpq	$FUZZ_MAX_ANSWERS, %rax
	jae	1f
	imulq	$40, %rax
	leaq	fuzz_answers(%rip), %rcx
	addq	%rax, %rcx
	movq	%r15, (%rcx)
	movq	GHCB_SW_EXITINFO1(%r12), %rax
	movq	%rax, 8(%rcx)
	movq	GHCB_SW_EXITINFO2(%r12), %rax
	movq	%rax, 16(%rcx)
	movq	GHCB_VALID_BITMAP(%r12), %rax
	movq	%rax, 24(%rcx)
	movq	(GHCB_VALID_BITMAP + 8)(%r12), %rax
	movq	%rax, 32(%rcx)
1:	ret
ENDFUNC fuzz_record

/* Random bits: save area, the head of the shared buffer, control. */
FUNC fuzz_fill
	xorl	%esi, %esi
	movl	$GHCB_VALID_BITMAP + 16, %edi	/* the save area ends there */
	call	fuzz_fill_range
	movl	$GHCB_SHARED_BUFFER, %esi
	movl	$GHCB_SHARED_BUFFER + 64, %edi
	call	fuzz_fill_range
	movl	$GHCB_SHARED_BUFFER + GHCB_SHARED_BUFFER_SIZE, %esi
	movl	$GHCB_PAGE_SIZE, %edi
	jmp	fuzz_fill_range
ENDFUNC fuzz_fill

/* Random qwords in page [RSI, RDI).  Clobbers RAX, RDX, RSI. */
FUNC fuzz_fill_range
1:	call	fuzz_rand
	movq	%rax, (%r12,%rsi)
	addq	$8, %rsi
	cmpq	%rdi, %rsi
	jb	1b
	ret
ENDFUNC fuzz_fill_range

/*
 * R14 = sw_exitcode: 31 in 32 from the table of NAE events (HLT, which
 * ends the run, only one in 64 of the times it is drawn); else an SVM
 * exit code, an SEV-specific one, or 64 random bits.
 */
FUNC fuzz_exitcode
	movq	$FUZZ_TRIES, fuzz_tries(%rip)
1:	call	fuzz_exitcode_draw
	decq	fuzz_tries(%rip)
	jz	2f
	movq	%r14, %rax
	leaq	fuzz_rare_code(%rip), %rsi
	movq	fuzz_nrare_code(%rip), %rdi
	call	fuzz_in_table
	testl	%eax, %eax
	jnz	3f
	movq	fuzz_cur_class(%rip), %rax
	btq	%rax, fuzz_rare_class(%rip)
	jnc	2f
3:	ONE_IN_POW2 8, 2f			/* a rare one: kept 1 in 256 */
	jmp	1b
2:	ret
ENDFUNC fuzz_exitcode

/* R14 = one draw of sw_exitcode, stored.  Clobbers RBX. */
FUNC fuzz_exitcode_draw
	movq	$0, fuzz_cur_class(%rip)
	ONE_IN_POW2 5, .Lcode_other
	leaq	nae_codes(%rip), %rsi
	movl	$NAE_CODES, %edi
	call	fuzz_pick
	movq	%rax, %r14
	cmpq	$SVM_EXIT_HLT, %r14
	jne	.Lcode_store
	ONE_IN_POW2 6, .Lcode_store
	movq	$SVM_EXIT_CPUID, %r14
	jmp	.Lcode_store
.Lcode_other:
	movl	$4, %edi
	call	fuzz_below
	movq	%rax, %rbx
	incq	%rax
	movq	%rax, fuzz_cur_class(%rip)
	call	fuzz_rand
	movq	%rax, %r14			/* 0: 64 random bits */
	cmpl	$1, %ebx
	jb	.Lcode_store
	movzbl	%al, %r14d			/* 1: an SVM exit code */
	je	.Lcode_store
	andl	$0x1F, %eax			/* 2, 3: 0x800000xx, 0x8000FFFx */
	movl	$0x80000000, %r14d
	cmpl	$2, %ebx
	je	1f
	movl	$0x8000FFF0, %r14d
	andl	$0xF, %eax
1:	orl	%eax, %r14d
.Lcode_store:
	movq	%r14, GHCB_SW_EXITCODE(%r12)
	ret
ENDFUNC fuzz_exitcode_draw

/* Exit information and registers an event of code R14 would carry. */
FUNC fuzz_event
	movq	$0, GHCB_SW_EXITINFO1(%r12)
	movq	$0, GHCB_SW_EXITINFO2(%r12)
	cmpq	$SVM_EXIT_CPUID, %r14
	je	fuzz_ev_cpuid
	cmpq	$SVM_EXIT_MSR, %r14
	je	fuzz_ev_msr
	cmpq	$SVM_EXIT_IOIO, %r14
	je	fuzz_ev_ioio
	movl	$SEV_EXIT_MMIO_READ, %eax	/* (no imm32 for these) */
	cmpq	%rax, %r14
	je	fuzz_ev_mmio
	incl	%eax				/* SEV_EXIT_MMIO_WRITE */
	cmpq	%rax, %r14
	je	fuzz_ev_mmio
	cmpq	$SVM_EXIT_RDPMC, %r14
	je	fuzz_ev_rdpmc
	cmpq	$SVM_EXIT_WRITE_DR7, %r14
	je	fuzz_ev_dr7_write
	cmpq	$SVM_EXIT_VMMCALL, %r14
	je	fuzz_ev_vmmcall
	ret
ENDFUNC fuzz_event

/* A leaf the vmm has something to say about, a small subleaf, an XCR0. */
FUNC fuzz_ev_cpuid
	ONE_IN_POW2 3, 1f			/* 1/8: random leaf */
	leaq	cpuid_leaves(%rip), %rsi
	movl	$CPUID_LEAVES, %edi
	call	fuzz_pick
	movq	%rax, GHCB_RAX(%r12)
1:	movl	$4, %edi
	call	fuzz_below
	movq	%rax, GHCB_RCX(%r12)
	cmpl	$0xD, GHCB_RAX(%r12)
	jne	2f
	ONE_IN_POW2 2, 2f			/* 1/4: random XCR0 */
	leaq	xcr0_values(%rip), %rsi
	movl	$XCR0_VALUES, %edi
	call	fuzz_pick
	movq	%rax, GHCB_XCR0(%r12)
2:	ret
ENDFUNC fuzz_ev_cpuid

/* RDMSR or WRMSR of an MSR from the list; a valid PAT half the time. */
FUNC fuzz_ev_msr
	call	fuzz_rand
	shrq	$63, %rax
	movq	%rax, GHCB_SW_EXITINFO1(%r12)
	ONE_IN_POW2 3, 1f			/* 1/8: random MSR */
	leaq	msr_numbers(%rip), %rsi
	movl	$MSR_NUMBERS, %edi
	call	fuzz_pick
	movq	%rax, GHCB_RCX(%r12)
	cmpq	$MSR_PAT, %rax
	jne	1f
	ONE_IN_POW2 1, 1f
	movabsq	$PAT_VALID, %rax
	movl	%eax, %edx
	movq	%rdx, GHCB_RAX(%r12)
	shrq	$32, %rax
	movq	%rax, GHCB_RDX(%r12)
1:	ret
ENDFUNC fuzz_ev_msr

/*
 * IN/OUT/INS/OUTS: a port from the list, one operand size (sometimes
 * any combination), one address size, STR and REP a quarter of the
 * time each, and sometimes one more random bit.  A string's element
 * count is 0, small, around the shared buffer's size, or random.
 */
FUNC fuzz_ev_ioio
	leaq	io_ports(%rip), %rsi
	movl	$IO_PORTS, %edi
	call	fuzz_pick
	shlq	$IOIO_PORT_SHIFT, %rax
	movq	%rax, %rbx
	ONE_IN_POW2 1, 1f
	orq	$IOIO_TYPE_IN, %rbx
1:	UNLESS_ONE_IN_POW2 2, 1f
	orq	$IOIO_STR, %rbx
1:	UNLESS_ONE_IN_POW2 2, 1f
	orq	$IOIO_REP, %rbx
1:	ONE_IN_POW2 3, 1f
	leaq	io_sizes(%rip), %rsi
	movl	$3, %edi
	call	fuzz_pick
	orq	%rax, %rbx
	jmp	2f
1:	call	fuzz_rand
	andl	$(IOIO_SZ8 | IOIO_SZ16 | IOIO_SZ32), %eax
	orq	%rax, %rbx
2:	leaq	io_addr_sizes(%rip), %rsi
	movl	$3, %edi
	call	fuzz_pick
	orq	%rax, %rbx
	UNLESS_ONE_IN_POW2 4, 2f
	movl	$64, %edi			/* 1/16: one more random bit */
	call	fuzz_below
	btsq	%rax, %rbx
2:	movq	%rbx, GHCB_SW_EXITINFO1(%r12)

	testq	$IOIO_STR, %rbx
	jz	3f
	movl	$4, %edi
	call	fuzz_below
	testl	%eax, %eax
	jz	3f				/* 0: count 0 */
	cmpl	$3, %eax
	je	4f				/* 3: random count */
	movl	$16, %edi
	cmpl	$1, %eax
	je	5f				/* 1: 1..16 */
	movl	$(GHCB_SHARED_BUFFER_SIZE + 2), %edi	/* 2: 0..0x7F1 */
	call	fuzz_below
	jmp	6f
5:	call	fuzz_below
	incq	%rax
	jmp	6f
4:	call	fuzz_rand
6:	movq	%rax, GHCB_SW_EXITINFO2(%r12)
3:	ret
ENDFUNC fuzz_ev_ioio

/* MMIO around the runner's scratch page, 0 to 9 bytes. */
FUNC fuzz_ev_mmio
	ONE_IN_POW2 3, 1f			/* 1/8: random GPA */
	movl	$(0x1000 + 16), %edi
	call	fuzz_below
	movl	$(MMIO_BASE - 8), %edx
	addq	%rdx, %rax
	movq	%rax, GHCB_SW_EXITINFO1(%r12)
	jmp	2f
1:	call	fuzz_rand
	movq	%rax, GHCB_SW_EXITINFO1(%r12)
2:	ONE_IN_POW2 3, 3f			/* 1/8: random size */
	movl	$10, %edi
	call	fuzz_below
	movq	%rax, GHCB_SW_EXITINFO2(%r12)
	ret
3:	call	fuzz_rand
	movq	%rax, GHCB_SW_EXITINFO2(%r12)
	ret
ENDFUNC fuzz_ev_mmio

/* A counter number around the ones the CPU has. */
FUNC fuzz_ev_rdpmc
	ONE_IN_POW2 2, 1f
	movl	$8, %edi
	call	fuzz_below
	movq	%rax, GHCB_RCX(%r12)
1:	ret
ENDFUNC fuzz_ev_rdpmc

/* Half the time a 32-bit value, which the CPU would take. */
FUNC fuzz_ev_dr7_write
	ONE_IN_POW2 1, 1f
	movl	GHCB_RAX(%r12), %eax
	movq	%rax, GHCB_RAX(%r12)
1:	ret
ENDFUNC fuzz_ev_dr7_write

FUNC fuzz_ev_vmmcall
	movl	$4, %edi
	call	fuzz_below
	movb	%al, GHCB_CPL(%r12)
	ret
ENDFUNC fuzz_ev_vmmcall

/* sw_scratch: the shared buffer's start, somewhere in it, or random. */
FUNC fuzz_scratch
	ONE_IN_POW2 2, 2f
	leaq	GHCB_SHARED_BUFFER(%r12), %rbx
	ONE_IN_POW2 1, 1f
	movl	$GHCB_SHARED_BUFFER_SIZE, %edi
	call	fuzz_below
	addq	%rax, %rbx
1:	movq	%rbx, GHCB_SW_SCRATCH(%r12)
2:	ret
ENDFUNC fuzz_scratch

/*
 * The valid bitmap: seven in eight times every field any event reads is
 * marked valid (on top of the random bits), and then one in eight times
 * one of those is cleared again.
 */
FUNC fuzz_valid
	ONE_IN_POW2 3, 2f
	GHCB_SET_VALID %r12, GHCB_BIT_CPL
	GHCB_SET_VALID %r12, GHCB_BIT_RAX
	GHCB_SET_VALID %r12, GHCB_BIT_RCX
	GHCB_SET_VALID %r12, GHCB_BIT_RDX
	GHCB_SET_VALID %r12, GHCB_BIT_RBX
	GHCB_SET_VALID %r12, GHCB_BIT_SW_EXITCODE
	GHCB_SET_VALID %r12, GHCB_BIT_SW_EXITINFO1
	GHCB_SET_VALID %r12, GHCB_BIT_SW_EXITINFO2
	GHCB_SET_VALID %r12, GHCB_BIT_SW_SCRATCH
	GHCB_SET_VALID %r12, GHCB_BIT_XCR0
	UNLESS_ONE_IN_POW2 3, 2f
	leaq	valid_bits(%rip), %rsi
	movl	$VALID_BITS, %edi
	call	fuzz_pick
	btrq	%rax, GHCB_VALID_BITMAP(%r12)
2:	ret
ENDFUNC fuzz_valid

/*
 * A protocol version the vmm speaks (fuzz_versions) but one time in 1024
 * (a wrong version ends the run); usage 0 but one time in 16 (which the
 * vmm refuses).
 */
FUNC fuzz_control
	ONE_IN_POW2 10, 2f
	movq	fuzz_proto_max(%rip), %rdi
	subq	fuzz_proto_min(%rip), %rdi
	incl	%edi
	call	fuzz_below
	addq	fuzz_proto_min(%rip), %rax
	movw	%ax, GHCB_PROTOCOL_VERSION(%r12)
2:	ONE_IN_POW2 4, 3f
	movl	$GHCB_USAGE_STANDARD, GHCB_USAGE(%r12)
3:	ret
ENDFUNC fuzz_control

/*
 * Whatever produced them, an IOIO request never names port 0xF4 (the
 * runner's debug-exit port would end the run as a verdict), and turns
 * three in four OUTs to COM1 into INs.
 */
FUNC fuzz_port_guard
	cmpl	$SVM_EXIT_IOIO, %r14d
	jne	2f
	movq	GHCB_SW_EXITINFO1(%r12), %rbx
	movq	%rbx, %rax
	shrq	$IOIO_PORT_SHIFT, %rax
	andl	$IOIO_PORT_MASK, %eax
	cmpl	$DEBUG_EXIT_PORT, %eax
	jne	1f
	xorq	$(1 << IOIO_PORT_SHIFT), %rbx	/* 0xF5 */
	jmp	3f
1:	cmpl	$COM1_PORT, %eax
	jne	2f
	testq	$IOIO_TYPE_IN, %rbx
	jnz	2f
	ONE_IN_POW2 2, 2f
	orq	$IOIO_TYPE_IN, %rbx
3:	movq	%rbx, GHCB_SW_EXITINFO1(%r12)
2:	ret
ENDFUNC fuzz_port_guard

/*
 * R15 = the rules by which any hypervisor has to refuse the request as
 * it stands, one bit each (the driver maps them to conform's ids):
 * 1 usage not 0, 2/4/8 sw_exitcode/sw_exitinfo1/sw_exitinfo2 not marked
 * valid, 16 an exit code no event has (bits 63:32 set).
 */
FUNC fuzz_expect
	xorl	%r15d, %r15d
	cmpl	$GHCB_USAGE_STANDARD, GHCB_USAGE(%r12)
	je	1f
	orl	$1, %r15d
1:	GHCB_TEST_VALID %r12, GHCB_BIT_SW_EXITCODE
	jnz	1f
	orl	$2, %r15d
1:	GHCB_TEST_VALID %r12, GHCB_BIT_SW_EXITINFO1
	jnz	1f
	orl	$4, %r15d
1:	GHCB_TEST_VALID %r12, GHCB_BIT_SW_EXITINFO2
	jnz	1f
	orl	$8, %r15d
1:	movq	%r14, %rax
	shrq	$32, %rax
	jz	1f
	orl	$16, %r15d
1:	ret
ENDFUNC fuzz_expect

	.section .rodata
	.balign	8
/* The NAE events of AMD 56421 the vmm serves. */
nae_codes:
	.quad	SVM_EXIT_CPUID, SVM_EXIT_IOIO, SVM_EXIT_MSR, SVM_EXIT_RDTSC
	.quad	SVM_EXIT_RDTSCP, SVM_EXIT_RDPMC, SVM_EXIT_READ_DR7
	.quad	SVM_EXIT_WRITE_DR7, SVM_EXIT_VMMCALL, SVM_EXIT_INVD
	.quad	SVM_EXIT_WBINVD, SVM_EXIT_MONITOR, SVM_EXIT_MWAIT, SVM_EXIT_HLT
	.quad	SEV_EXIT_MMIO_READ, SEV_EXIT_MMIO_WRITE
.equ NAE_CODES, (. - nae_codes) / 8
/* MSR-protocol requests the vmm answers (the eighth draw: register). */
msrproto_codes:
	.quad	GHCB_MSR_SEV_INFO_REQ, GHCB_MSR_CPUID_REQ, GHCB_MSR_CPUID_REQ
	.quad	GHCB_MSR_AP_RESET_HOLD_REQ, GHCB_MSR_PREF_GPA_REQ
	.quad	GHCB_MSR_REG_GPA_REQ, GHCB_MSR_HV_FEAT_REQ
cpuid_leaves:
	.quad	0, 1, 7, 0xD, 0x80000000, 0x80000001, CPUID_LEAF_SEV
	.quad	0x40000000
.equ CPUID_LEAVES, (. - cpuid_leaves) / 8
xcr0_values:
	.quad	1, 3, 7, 2
.equ XCR0_VALUES, (. - xcr0_values) / 8
/* PAT, TSC, EFER, APIC base, TSC_AUX, the GHCB MSR, SEV_STATUS, 0 */
msr_numbers:
	.quad	MSR_PAT, 0x10, MSR_EFER, 0x1B, 0xC0000103, MSR_SEV_GHCB
	.quad	MSR_SEV_STATUS, 0
.equ MSR_NUMBERS, (. - msr_numbers) / 8
/* COM1 LSR, POST, CMOS, PCI config, keyboard, COM1 THR, random-ish */
io_ports:
	.quad	COM1_LSR, 0x80, 0x70, 0x71, 0xCF8, 0x60, COM1_PORT, 0xFFFF
.equ IO_PORTS, (. - io_ports) / 8
io_sizes:
	.quad	IOIO_SZ8, IOIO_SZ16, IOIO_SZ32
io_addr_sizes:
	.quad	IOIO_A16, IOIO_A32, IOIO_A64
valid_bits:
	.quad	GHCB_BIT_CPL, GHCB_BIT_RAX, GHCB_BIT_RCX, GHCB_BIT_RDX
	.quad	GHCB_BIT_RBX, GHCB_BIT_SW_EXITCODE, GHCB_BIT_SW_EXITINFO1
	.quad	GHCB_BIT_SW_EXITINFO2, GHCB_BIT_SW_SCRATCH, GHCB_BIT_XCR0
.equ VALID_BITS, (. - valid_bits) / 8

	.data
OBJECT fuzz_seed, 8
	.quad	1
ENDOBJECT fuzz_seed
OBJECT fuzz_iterations, 8
	.quad	100
ENDOBJECT fuzz_iterations
OBJECT fuzz_proto_max, 8
	.quad	0
ENDOBJECT fuzz_proto_max
OBJECT fuzz_first_iter, 8
	.quad	0
ENDOBJECT fuzz_first_iter
OBJECT fuzz_resume_state, 8
	.quad	0
ENDOBJECT fuzz_resume_state
OBJECT fuzz_nrare_code, 8
	.quad	0
ENDOBJECT fuzz_nrare_code
OBJECT fuzz_rare_code, 8
	.skip	8 * FUZZ_MAX_RARE
ENDOBJECT fuzz_rare_code
OBJECT fuzz_nrare_msr, 8
	.quad	0
ENDOBJECT fuzz_nrare_msr
OBJECT fuzz_rare_class, 8
	.quad	0
ENDOBJECT fuzz_rare_class
OBJECT fuzz_rare_msr, 8
	.skip	8 * FUZZ_MAX_RARE
ENDOBJECT fuzz_rare_msr

	.section .ghcb, "aw", @nobits
OBJECT ghcb_page, GHCB_PAGE_SIZE
	.skip	GHCB_PAGE_SIZE
ENDOBJECT ghcb_page

	.bss
OBJECT fuzz_state, 8
	.skip	8
ENDOBJECT fuzz_state
OBJECT fuzz_setup_regs, 8
	.skip	32
ENDOBJECT fuzz_setup_regs
OBJECT fuzz_proto_min, 8
	.skip	8
ENDOBJECT fuzz_proto_min
OBJECT fuzz_sev_info, 8
	.skip	8
ENDOBJECT fuzz_sev_info
OBJECT fuzz_setup_status, 8
	.skip	8
ENDOBJECT fuzz_setup_status
OBJECT fuzz_done, 8
	.skip	8
ENDOBJECT fuzz_done
OBJECT fuzz_page_requests, 8
	.skip	8
ENDOBJECT fuzz_page_requests
OBJECT fuzz_msr_requests, 8
	.skip	8
ENDOBJECT fuzz_msr_requests
OBJECT fuzz_refused, 8
	.skip	8
ENDOBJECT fuzz_refused
OBJECT fuzz_expected, 8
	.skip	8
ENDOBJECT fuzz_expected
OBJECT fuzz_silent, 8
	.skip	8
ENDOBJECT fuzz_silent
OBJECT fuzz_silent_iter, 8
	.skip	8
ENDOBJECT fuzz_silent_iter
OBJECT fuzz_silent_code, 8
	.skip	8
ENDOBJECT fuzz_silent_code
OBJECT fuzz_silent_usage, 8
	.skip	8
ENDOBJECT fuzz_silent_usage
OBJECT fuzz_cur_iter, 8
	.skip	8
ENDOBJECT fuzz_cur_iter
OBJECT fuzz_cur_msr, 8
	.skip	8
ENDOBJECT fuzz_cur_msr
OBJECT fuzz_cur_code, 8
	.skip	8
ENDOBJECT fuzz_cur_code
OBJECT fuzz_cur_expect, 8
	.skip	8
ENDOBJECT fuzz_cur_expect
OBJECT fuzz_tries, 8
	.skip	8
ENDOBJECT fuzz_tries
OBJECT fuzz_nanswers, 8
	.skip	8
ENDOBJECT fuzz_nanswers
OBJECT fuzz_answers, 8
	.skip	40 * FUZZ_MAX_ANSWERS
ENDOBJECT fuzz_answers
OBJECT fuzz_cur_class, 8
	.skip	8
ENDOBJECT fuzz_cur_class
