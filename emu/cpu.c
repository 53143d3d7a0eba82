/*
 * cpu.c - a SEV-ES guest CPU on Unicorn: VMRUN, automatic exits, #VC.
 *
 * The guest runs in one long uc_emu_start() on a fiber of its own.
 * Code is decoded with Capstone as the emulator first runs each block,
 * and the instructions a SEV-ES CPU must act on get a hook at their
 * exact address; everything else runs at the emulator's full speed.
 * An automatic exit switches back to the host fiber, where VMRUN
 * returns to the vmm; the next VMRUN switches back into the hook.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "cpu.h"
#include "conformance.h"
#include "cpu_debug.h"
#include "cpu_internal.h"
#include "fiber.h"
#include "guestcheck.h"
#include "hostview.h"
#include "physmem.h"
#include "shadow.h"
#include "seam.h"
#include "trace.h"
#include "vmcb.h"

/* An address the guest can never reach: uc_emu_start runs "forever". */
#define UNTIL_NEVER		0x8000000000000000ULL
#define GUEST_STACK_SIZE	(8UL << 20)

struct cpu cpu;

static void	guest_main(void *);
static void	block_hook(uc_engine *, uint64_t, uint32_t, void *);
static void	site_hook(uc_engine *, uint64_t, uint32_t, void *);
static void	budget_hook(uc_engine *, uint64_t, uint32_t, void *);
static void	intr_hook(uc_engine *, uint32_t, void *);
static bool	invalid_hook(uc_engine *, void *);
static bool	unmapped_hook(uc_engine *, uc_mem_type, uint64_t, int,
		    int64_t, void *);

void
cpu_configure(const struct cpu_config *cc)
{
	cpu.cfg = *cc;
}

enum cpu_state
cpu_state(void)
{
	return (cpu.state);
}

const char *
cpu_diag(void)
{
	return (cpu.diag);
}

uint64_t
cpu_insns(void)
{
	return (cpu.insns);
}

uint64_t
cpu_exits(void)
{
	return (cpu.exits);
}

uint64_t
cpu_ghcb_msr(void)
{
	return (cpu.vmcb != NULL ? vmcb_get64(cpu.vmcb, VMCB_GHCB_GPA) : 0);
}

void *
cpu_guest_ptr(uint64_t gpa, uint64_t len)
{
	return (guestmem_ptr(&cpu.gm, gpa, len));
}

void
cpu_fail(enum cpu_state st, const char *fmt, ...)
{
	va_list ap;

	/* The first reason is the one that explains the rest. */
	if (cpu.diag[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(cpu.diag, sizeof(cpu.diag), fmt, ap);
		va_end(ap);
	}
	cpu.state = st;
	if (cpu.uc != NULL)
		uc_emu_stop(cpu.uc);
}

uint64_t
cpu_reg(int reg)
{
	uint64_t v = 0;

	uc_reg_read(cpu.uc, reg, &v);
	return (v);
}

void
cpu_set_reg(int reg, uint64_t v)
{
	uc_reg_write(cpu.uc, reg, &v);
}

uint64_t
cpu_msr(uint32_t msr)
{
	uc_x86_msr m = { .rid = msr, .value = 0 };

	uc_reg_read(cpu.uc, UC_X86_REG_MSR, &m);
	return (m.value);
}

void
cpu_paging(struct paging *pg)
{
	pg->pg_cr0 = cpu_reg(UC_X86_REG_CR0);
	pg->pg_cr3 = cpu.guest_cr3;
	pg->pg_cr4 = cpu_reg(UC_X86_REG_CR4);
	pg->pg_efer = cpu_msr(MSR_EFER);
	pg->pg_cbit = cpu.cbit;
}

int
cpu_long_mode(void)
{
	return ((cpu_msr(MSR_EFER) & EFER_LMA) != 0);
}

/*
 * 64 in 64-bit mode, 32 in protected and compatibility mode: long mode
 * alone does not say, the L bit of the code segment does.
 */
int
cpu_code_bits(void)
{
	struct paging pg;
	uc_x86_mmr gdtr;
	uint64_t desc, sel;

	if (!cpu_long_mode())
		return (32);
	sel = cpu_reg(UC_X86_REG_CS);
	uc_reg_read(cpu.uc, UC_X86_REG_GDTR, &gdtr);
	cpu_paging(&pg);
	if ((sel & 4) != 0 || (sel | 7) > gdtr.limit ||
	    guestmem_read(&cpu.gm, &pg, gdtr.base + (sel & ~7ULL), &desc,
	    sizeof(desc)) != 0)
		return (64);
	return ((desc >> 53) & 1 ? 64 : 32);
}

int
cpu_regs(struct cpu_regs *r)
{
	if (cpu.uc == NULL)
		return (-1);
	r->rax = cpu_reg(UC_X86_REG_RAX);
	r->rbx = cpu_reg(UC_X86_REG_RBX);
	r->rcx = cpu_reg(UC_X86_REG_RCX);
	r->rdx = cpu_reg(UC_X86_REG_RDX);
	r->rsi = cpu_reg(UC_X86_REG_RSI);
	r->rdi = cpu_reg(UC_X86_REG_RDI);
	r->rbp = cpu_reg(UC_X86_REG_RBP);
	r->rsp = cpu_reg(UC_X86_REG_RSP);
	r->r8 = cpu_reg(UC_X86_REG_R8);
	r->r9 = cpu_reg(UC_X86_REG_R9);
	r->r10 = cpu_reg(UC_X86_REG_R10);
	r->r11 = cpu_reg(UC_X86_REG_R11);
	r->r12 = cpu_reg(UC_X86_REG_R12);
	r->r13 = cpu_reg(UC_X86_REG_R13);
	r->r14 = cpu_reg(UC_X86_REG_R14);
	r->r15 = cpu_reg(UC_X86_REG_R15);
	r->rip = cpu_reg(UC_X86_REG_RIP);
	r->rflags = cpu_reg(UC_X86_REG_RFLAGS);
	r->cr0 = cpu_reg(UC_X86_REG_CR0);
	r->cr3 = cpu.guest_cr3;
	r->cr4 = cpu_reg(UC_X86_REG_CR4);
	r->efer = cpu_msr(MSR_EFER);
	return (0);
}

/*
 * Reads up to 16 bytes of the instruction at a guest linear address,
 * fewer where the code runs into an unmapped page; returns the count.
 */
size_t
cpu_fetch(uint64_t rip, uint8_t code[16])
{
	struct paging pg;
	size_t n;

	cpu_paging(&pg);
	for (n = 16; n > 0; n--)
		if (guestmem_read(&cpu.gm, &pg, rip, code, n) == 0)
			break;
	return (n);
}

/*
 * Text of the instruction at a guest linear address, for traces.
 */
void
cpu_insn_text(uint64_t rip, char *buf, size_t len)
{
	uint8_t code[16];
	size_t n;

	if ((n = cpu_fetch(rip, code)) == 0) {
		snprintf(buf, len, "(unmapped)");
		return;
	}
	decode_text(&cpu.dec, cpu_code_bits(), code, n, rip, buf, len);
}

/* What a VMGEXIT asks for: the MSR-protocol request or the NAE event. */
static void
exit_what(uint64_t code, uint64_t msr, char *buf, size_t len)
{
	const uint8_t *g;
	uint64_t sw;

	if (code != VMEXIT_VMGEXIT)
		snprintf(buf, len, "%s", svm_exit_name(code));
	else if ((msr & 0xfff) != 0)
		snprintf(buf, len, "VMGEXIT msr:%s",
		    msrproto_name(msr & 0xfff));
	else if (msr != 0 && (g = guestmem_ptr(&cpu.gm, msr, 4096)) != NULL) {
		sw = vmcb_get64(g, 0x390);
		snprintf(buf, len, "VMGEXIT ghcb:%s", svm_exit_name(sw));
	} else
		snprintf(buf, len, "VMGEXIT");
}

/* Charges the exit's world switch, and names its row the first time. */
static void
exit_cycles(uint64_t code, uint64_t msr)
{
	struct cycles_row *r;
	const uint8_t *g;
	enum cy_path p;
	uint64_t sub = 0;

	if (code == VMEXIT_VMGEXIT && (msr & 0xfff) != 0) {
		p = CYP_MSRPROTO;
		sub = msr & 0xfff;
	} else if (code == VMEXIT_VMGEXIT) {
		p = CYP_GHCB;
		if (msr != 0 && (g = guestmem_ptr(&cpu.gm, msr, 4096)) != NULL)
			sub = vmcb_get64(g, 0x390);
	} else if (code == VMEXIT_HLT)
		p = CYP_HLT;
	else if (code == VMEXIT_EFER_WRITE_TRAP ||
	    code == VMEXIT_CR0_WRITE_TRAP || code == VMEXIT_CR4_WRITE_TRAP)
		p = CYP_WRITE_TRAP;
	else
		p = CYP_OTHER;
	r = cycles_exit(&cpu.cy, code, sub, p);
	if (r->cr_n == 1 && r->cr_what[0] == '\0')
		exit_what(code, msr, r->cr_what, sizeof(r->cr_what));
}

/*
 * Leaves the guest: the exit goes into the VMCB and VMRUN returns to
 * the vmm.  Returns when the vmm runs the guest again, or with
 * cpu.stopping set when the CPU is being switched off.
 */
void
cpu_vmexit(uint64_t code, uint64_t info1, uint64_t info2, uint64_t rip,
    uint64_t nrip)
{
	struct trace_detail td;
	uint8_t *vmcb = cpu.vmcb;
	char text[64], what[40];
	uint64_t cycles_at;

	vmcb_put64(vmcb, VMCB_EXITCODE, code);
	vmcb_put64(vmcb, VMCB_EXITINFO1, info1);
	vmcb_put64(vmcb, VMCB_EXITINFO2, info2);
	vmcb_put64(vmcb, VMCB_EXITINTINFO, 0);
	vmcb_put64(vmcb, VMCB_NRIP, nrip);
	cpu_hide_state();
	hostview_update(vmcb_get64(vmcb, VMCB_GHCB_GPA));
	cpu.exits++;
	if (cpu.cfg.cc_debug != NULL)
		cpu_debug_exit(cpu.cfg.cc_debug, code, info1, info2, rip);
	if (cpu.exit_regs_kept)
		cpu_regs(&cpu.exit_regs);
	cycles_at = cpu.cy.cy_now;
	exit_cycles(code, vmcb_get64(vmcb, VMCB_GHCB_GPA));
	if (code == VMEXIT_VMGEXIT) {
		guestcheck_exit(vmcb_get64(vmcb, VMCB_GHCB_GPA));
		conformance_exit(vmcb_get64(vmcb, VMCB_GHCB_GPA));
		cpu.conf_armed = 1;
	}
	if (cpu.cfg.cc_trace != NULL) {
		cpu_insn_text(rip, text, sizeof(text));
		exit_what(code, vmcb_get64(vmcb, VMCB_GHCB_GPA), what,
		    sizeof(what));
		trace_exit(cpu.cfg.cc_trace, cpu.exits, cycles_at, rip, text,
		    code, what, vmcb_get64(vmcb, VMCB_GHCB_GPA));
		cpu_trace_detail(code, vmcb_get64(vmcb, VMCB_GHCB_GPA), &td);
		trace_exit_detail(cpu.cfg.cc_trace, &td);
	}
	if (cpu.state != CPU_BUDGET)
		cpu.state = CPU_IN_HOST;
	fiber_switch(&cpu.guest, &cpu.host);
}

/*
 * Resumes the guest at rip, as VMRUN does after an automatic exit.
 * Writing RIP from a hook makes Unicorn leave the current block and
 * continue there, without stopping uc_emu_start().
 */
void
cpu_resume_at(uint64_t rip)
{
	/* The intercepted instruction retired. */
	cpu.insns++;
	cpu.cy.cy_now += cpu.site_cost;
	cpu.site_cost = 0;
	cpu_redirect(rip);
}

void
cpu_redirect(uint64_t rip)
{
	cpu.redirected = 1;
	cpu.cur = NULL;
	if (cpu.stopping) {
		uc_emu_stop(cpu.uc);
		return;
	}
	cpu_set_reg(UC_X86_REG_RIP, rip);
}

uint64_t
cpu_guest_tsc(void)
{
	return (cpu.cy.cy_now + (cpu.vmcb != NULL ?
	    vmcb_get64(cpu.vmcb, VMCB_TSC_OFFSET) : 0));
}

uint64_t
cpu_cycles(void)
{
	return (cpu.cy.cy_now);
}

void
cpu_cycles_report(FILE *f)
{
	if (cpu.cy.cy_model != NULL)
		cycles_report(&cpu.cy, f);
}

void
cpu_cycles_vmd(void)
{
	cycles_vmd(&cpu.cy);
}

static int
power_on(uint64_t vmcb_pa, uint8_t *vmcb)
{
	uint64_t npctl = vmcb_get64(vmcb, VMCB_NP_CTL);
	uint64_t vmsa_pa = vmcb_get64(vmcb, VMCB_VMSA_PA);
	uc_hook h;
	uc_err err;

	if ((npctl & VMCB_NP_ENABLE) == 0 || (npctl & VMCB_SEV_ENABLE) == 0 ||
	    (npctl & VMCB_SEVES_ENABLE) == 0) {
		cpu_fail(CPU_INVALID, "VMRUN: VMCB at 0x%" PRIx64 " does not "
		    "enable nested paging, SEV and SEV-ES (control 0x90 = "
		    "0x%" PRIx64 "); sevemu runs SEV-ES guests only",
		    vmcb_pa, npctl);
		return (-1);
	}
	if (vmcb_get32(vmcb, VMCB_GUEST_ASID) == 0) {
		cpu_fail(CPU_INVALID, "VMRUN: guest ASID 0 in VMCB at "
		    "0x%" PRIx64, vmcb_pa);
		return (-1);
	}
	if ((vmsa_pa & 0xfff) != 0 ||
	    (cpu.vmsa = physmem_ptr(vmsa_pa, 4096)) == NULL) {
		cpu_fail(CPU_INVALID, "VMRUN: VMSA address 0x%" PRIx64
		    " is not a page of host memory", vmsa_pa);
		return (-1);
	}
	cpu.cbit = cpu_cbit_mask();
	if (cpu_map_guest(vmcb_get64(vmcb, VMCB_N_CR3)) != 0 ||
	    shadow_open() != 0 || hostview_open() != 0)
		return (-1);
	if (decoder_open(&cpu.dec) != 0) {
		cpu_fail(CPU_INVALID, "capstone: cannot open the decoder");
		return (-1);
	}
	cpu.dec_open = 1;
	conformance_reset();
	guestcheck_reset();
	cpu.vmcb_pa = vmcb_pa;
	cpu.vmcb = vmcb;
	cpu.budget = cpu.cfg.cc_budget ? cpu.cfg.cc_budget :
	    CPU_DEFAULT_BUDGET;
	cpu.exit_regs_kept = cpu_debug_host_wants_regs();
	cycles_reset(&cpu.cy, &cyclemodel_milan);
	cpu.dr[6] = 0xffff0ff0ULL;
	cpu.dr[7] = 0x400;

	if (cpu_load_state() != 0)
		return (-1);
	err = uc_hook_add(cpu.uc, &h, UC_HOOK_BLOCK, (void *)block_hook,
	    NULL, 1, 0);
	if (err == UC_ERR_OK)
		err = uc_hook_add(cpu.uc, &h, UC_HOOK_INTR, (void *)intr_hook,
		    NULL, 1, 0);
	if (err == UC_ERR_OK)
		err = uc_hook_add(cpu.uc, &h, UC_HOOK_INSN_INVALID,
		    (void *)invalid_hook, NULL, 1, 0);
	if (err == UC_ERR_OK)
		err = uc_hook_add(cpu.uc, &h, UC_HOOK_MEM_UNMAPPED |
		    UC_HOOK_MEM_FETCH_PROT, (void *)unmapped_hook, NULL, 1, 0);
	if (err == UC_ERR_OK && cpu.cfg.cc_debug != NULL &&
	    cpu_debug_attach(cpu.cfg.cc_debug) != 0)
		err = UC_ERR_HOOK;
	if (err != UC_ERR_OK) {
		cpu_fail(CPU_INVALID, "unicorn: cannot add hooks: %s",
		    uc_strerror(err));
		return (-1);
	}
	if (fiber_create(&cpu.guest, GUEST_STACK_SIZE, guest_main, NULL)) {
		cpu_fail(CPU_INVALID, "cannot allocate the CPU's stack");
		return (-1);
	}
	cpu.state = CPU_OFF;
	return (0);
}

int
seam_vmrun(uint64_t vmcb_pa)
{
	uint8_t *vmcb;

	vmcb = (vmcb_pa & 0xfff) ? NULL : physmem_ptr(vmcb_pa, 4096);
	if (vmcb == NULL) {
		cpu_fail(CPU_INVALID, "VMRUN: VMCB address 0x%" PRIx64
		    " is not a page of host memory", vmcb_pa);
		return (-1);
	}
	if (cpu.vmcb == NULL && cpu.state == CPU_OFF &&
	    power_on(vmcb_pa, vmcb) != 0) {
		cpu_off_keep_diag();
		cpu.state = CPU_INVALID;
		vmcb_put64(vmcb, VMCB_EXITCODE, VMEXIT_INVALID);
		return (-1);
	}
	if (cpu.vmcb_pa != vmcb_pa) {
		vmcb_put64(vmcb, VMCB_EXITCODE, VMEXIT_INVALID);
		cpu_fail(cpu.state, "VMRUN: VMCB 0x%" PRIx64 " while the vCPU "
		    "of VMCB 0x%" PRIx64 " is live; sevemu has one vCPU",
		    vmcb_pa, cpu.vmcb_pa);
		return (-1);
	}

	switch (cpu.state) {
	case CPU_INVALID:
		vmcb_put64(vmcb, VMCB_EXITCODE, VMEXIT_INVALID);
		return (-1);
	case CPU_SHUTDOWN:
		vmcb_put64(vmcb, VMCB_EXITCODE, VMEXIT_SHUTDOWN);
		return (0);
	case CPU_BUDGET:
		/* A host interrupt, again and again, until vmd gives up. */
		vmcb_put64(vmcb, VMCB_EXITCODE, VMEXIT_INTR);
		return (0);
	case CPU_IN_HOST:
		cycles_resume(&cpu.cy);
		hostview_report();
		if (cpu.cfg.cc_trace != NULL)
			trace_resume(cpu.cfg.cc_trace,
			    vmcb_get64(vmcb, VMCB_GHCB_GPA));
		if (cpu.conf_armed) {
			cpu.conf_armed = 0;
			conformance_resume(vmcb_get64(vmcb, VMCB_GHCB_GPA));
		}
		/* FALLTHROUGH */
	case CPU_OFF:
		fiber_switch(&cpu.host, &cpu.guest);
		return (0);
	}
	return (-1);
}

static void
guest_main(void *arg)
{
	uint64_t rip, ti, tc;
	uc_err err;

	(void)arg;
	rip = cpu_reg(UC_X86_REG_RIP);
	for (;;) {
		err = uc_emu_start(cpu.uc, rip, UNTIL_NEVER, 0, 0);
		if (!cpu.npf_pending || cpu.stopping ||
		    cpu.state == CPU_SHUTDOWN || cpu.state == CPU_BUDGET)
			break;
		/*
		 * A data access outside guest RAM: MMIO, which a SEV-ES CPU
		 * reflects to the guest as #VC(NPF).  Rare enough to
		 * restart the emulator for.
		 */
		cpu.npf_pending = 0;
		/* RIP is the block's start: find the faulting instruction. */
		if (npf_locate(cpu.cur, cpu.npf_gpa, cpu.npf_write,
		    &rip) != 0) {
			cpu_fail(CPU_SHUTDOWN, "data access to 0x%" PRIx64
			    " outside guest RAM in the block at 0x%" PRIx64
			    ": sevemu cannot tell which instruction made it",
			    cpu.npf_gpa, cpu_reg(UC_X86_REG_RIP));
			break;
		}
		cpu_set_reg(UC_X86_REG_RIP, rip);
		/* The faulting instruction and the rest never ran. */
		cpu_rewind(rip, &ti, &tc);
		intercept_vc(rip, VMEXIT_NPF);
		rip = cpu_reg(UC_X86_REG_RIP);
	}
	if (!cpu.stopping && cpu.state != CPU_BUDGET &&
	    cpu.state != CPU_SHUTDOWN) {
		rip = cpu_reg(UC_X86_REG_RIP);
		cpu_fail(CPU_SHUTDOWN, "emulation stopped at rip 0x%" PRIx64
		    ": %s", rip, uc_strerror(err));
	}
	cpu.guest_done = 1;
	if (!cpu.stopping) {
		vmcb_put64(cpu.vmcb, VMCB_EXITCODE, VMEXIT_SHUTDOWN);
		vmcb_put64(cpu.vmcb, VMCB_EXITINFO1, 0);
		vmcb_put64(cpu.vmcb, VMCB_EXITINFO2, 0);
		cpu.exits++;
	}
	/* Never resumed: VMRUN answers for a dead CPU by itself. */
	for (;;)
		fiber_switch(&cpu.guest, &cpu.host);
}

void
cpu_off(void)
{
	cpu_off_keep_diag();
	cpu.diag[0] = '\0';
}

void
cpu_off_keep_diag(void)
{
	if (cpu.uc != NULL && cpu.guest.f_stack != NULL && !cpu.guest_done &&
	    cpu.state != CPU_OFF) {
		/* Let uc_emu_start() return on the guest's own stack. */
		cpu.stopping = 1;
		fiber_switch(&cpu.host, &cpu.guest);
	}
	fiber_destroy(&cpu.guest);
	hostview_close();
	sites_free();
	if (cpu.uc != NULL)
		uc_close(cpu.uc);
	cpu_unmap_guest();
	shadow_close();
	if (cpu.dec_open)
		decoder_close(&cpu.dec);
	struct cpu_config cfg = cpu.cfg;
	char diag[sizeof(cpu.diag)];
	memcpy(diag, cpu.diag, sizeof(diag));
	memset(&cpu, 0, sizeof(cpu));
	cpu.cfg = cfg;
	memcpy(cpu.diag, diag, sizeof(diag));
}

/*
 * The budget runs out at the start of the instruction at rip, with
 * exactly the budget's instructions retired.
 */
void
cpu_budget_exhausted(uint64_t rip)
{
	char text[64];

	cpu_insn_text(rip, text, sizeof(text));
	snprintf(cpu.diag, sizeof(cpu.diag), "instruction budget of "
	    "%" PRIu64 " exhausted at rip 0x%" PRIx64 " (%s)",
	    cpu.budget, rip, text);
	cpu.state = CPU_BUDGET;
	cpu.redirected = 1;
	if (cpu.cfg.cc_trace != NULL)
		trace_event(cpu.cfg.cc_trace, "%s", cpu.diag);
	cpu_vmexit(VMEXIT_INTR, 0, 0, rip, rip);
	/* Only cpu_off() comes back here. */
	uc_emu_stop(cpu.uc);
}

/*
 * Hooks the instruction of the current block at which the budget runs
 * out, so that the block stops there; the block runs again with it.
 */
static int
arm_budget(struct block *b, uint32_t k)
{
	uint64_t at = b->b_addr + b->b_steps[k].st_off;

	if (cpu.budget_armed && cpu.budget_stop == at)
		return (0);
	if (cpu.budget_armed) {
		uc_hook_del(cpu.uc, cpu.budget_hook);
		uc_ctl_remove_cache(cpu.uc, cpu.budget_stop,
		    cpu.budget_stop + 1);
	}
	cpu.budget_armed = 0;
	if (uc_hook_add(cpu.uc, &cpu.budget_hook, UC_HOOK_CODE,
	    (void *)budget_hook, NULL, at, at) != UC_ERR_OK) {
		cpu_fail(CPU_SHUTDOWN, "cannot hook the instruction at 0x%"
		    PRIx64 " where the budget runs out", at);
		return (-1);
	}
	cpu.budget_armed = 1;
	cpu.budget_stop = at;
	uc_ctl_remove_cache(cpu.uc, b->b_addr, b->b_addr + b->b_size);
	cpu_set_reg(UC_X86_REG_RIP, b->b_addr);
	return (1);
}

/*
 * Block hook: charges the block's instructions and cycles and, the
 * first time a block runs, finds the instructions the CPU must
 * intercept.
 */
static void
block_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct block *b;
	int again;

	(void)uc;
	(void)arg;
	/* A REP string instruction runs as the same block again and again. */
	b = cpu.last;
	again = b != NULL && b->b_addr == addr && b->b_size == (size ? size :
	    1);
	if (!again)
		cpu.last = b = block_lookup(addr, size);
	if (b == NULL) {
		cpu_fail(CPU_SHUTDOWN, "out of memory for the block table");
		return;
	}
	if (b->b_ninsn == BLOCK_UNSEEN && sites_scan(b)) {
		/*
		 * New hooks only reach code translated after them:
		 * drop this block and run it again.
		 */
		cpu.cur = NULL;
		cpu_set_reg(UC_X86_REG_RIP, addr);
		return;
	}
	if (cpu.state == CPU_BUDGET || cpu.stopping)
		return;
	if (cpu.insns + b->b_ninsn > cpu.budget) {
		uint64_t k = cpu.budget - cpu.insns;

		if (k == 0 || b->b_steps == NULL) {
			cpu.cur = NULL;
			cpu_budget_exhausted(addr);
			return;
		}
		if (arm_budget(b, (uint32_t)k) != 0)
			return;
	}
	cpu.cur = b;
	/*
	 * The emulator runs a REP instruction's block once more after the
	 * last iteration, to find the count at zero: that retires nothing.
	 */
	if (again && b->b_rep != 0 &&
	    (cpu_reg(UC_X86_REG_RCX) & b->b_rep) == 0)
		return;
	cpu.insns += b->b_ninsn;
	cpu.cy.cy_now += b->b_cycles;
}

int
cpu_rewind(uint64_t rip, uint64_t *tail_insns, uint64_t *tail_cycles)
{
	struct block *b = cpu.cur;
	uint32_t i;

	*tail_insns = *tail_cycles = 0;
	cpu.site_cost = 0;
	if (b == NULL || block_index(b, rip, &i) != 0)
		return (-1);
	*tail_insns = b->b_ninsn - i;
	*tail_cycles = b->b_cycles - b->b_steps[i].st_cycles;
	cpu.site_cost = b->b_steps[i + 1].st_cycles - b->b_steps[i].st_cycles;
	cpu.insns -= *tail_insns;
	cpu.cy.cy_now -= *tail_cycles;
	/* What remains of the block is charged again if it runs. */
	cpu.cur = NULL;
	return (0);
}

static void
budget_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	uint64_t ti, tc;

	(void)uc;
	(void)size;
	(void)arg;
	if (cpu.stopping || cpu.state == CPU_SHUTDOWN ||
	    cpu.state == CPU_BUDGET || addr != cpu.budget_stop)
		return;
	if (cpu_rewind(addr, &ti, &tc) == 0 && cpu.insns == cpu.budget) {
		cpu_budget_exhausted(addr);
		return;
	}
	cpu.insns += ti;
	cpu.cy.cy_now += tc;
}

static void
site_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct block *b = cpu.cur;
	uint64_t ti, tc;

	(void)uc;
	(void)size;
	(void)arg;
	if (cpu.stopping || cpu.state == CPU_SHUTDOWN ||
	    cpu.state == CPU_BUDGET)
		return;
	cpu_rewind(addr, &ti, &tc);
	if (cpu.insns == cpu.budget && cpu.budget_armed &&
	    cpu.budget_stop == addr) {
		cpu_budget_exhausted(addr);
		return;
	}
	/* A debugger's stop comes first, and the block is left there. */
	if (cpu.cfg.cc_debug != NULL && cpu_debug_insn(cpu.cfg.cc_debug, addr))
		return;
	cpu.redirected = 0;
	intercept(addr);
	if (!cpu.redirected) {
		cpu.insns += ti;
		cpu.cy.cy_now += tc;
		cpu.cur = b;
	}
}

static void
intr_hook(uc_engine *uc, uint32_t intno, void *arg)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", "?", "#TS", "#NP", "#SS", "#GP", "#PF", "?",
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "?", "?",
		"?", "?", "?", "?", "#HV", "#VC", "#SX", "?"
	};
	uint64_t rip = cpu_reg(UC_X86_REG_RIP);

	(void)uc;
	(void)arg;
	if (intno == 14)
		cpu_fail(CPU_SHUTDOWN, "guest took #PF at rip 0x%" PRIx64
		    " (cr2 0x%" PRIx64 "); sevemu delivers only #VC to the "
		    "guest, so this is fatal", rip, cpu_reg(UC_X86_REG_CR2));
	else
		cpu_fail(CPU_SHUTDOWN, "guest took %s (vector %u) at rip 0x%"
		    PRIx64 "; sevemu delivers only #VC to the guest, so this "
		    "is fatal", intno < 32 ? names[intno] : "an interrupt",
		    intno, rip);
}

static bool
invalid_hook(uc_engine *uc, void *arg)
{
	uint64_t rip = cpu_reg(UC_X86_REG_RIP);
	char text[64];

	(void)uc;
	(void)arg;
	cpu_insn_text(rip, text, sizeof(text));
	cpu_fail(CPU_SHUTDOWN, "invalid instruction at rip 0x%" PRIx64
	    " (%s): #UD", rip, text);
	return (false);
}

static bool
unmapped_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
    int64_t value, void *arg)
{
	uint64_t rip = cpu_reg(UC_X86_REG_RIP);
	const char *what;

	(void)uc;
	(void)size;
	(void)value;
	(void)arg;
	switch (type) {
	case UC_MEM_FETCH_UNMAPPED:
	case UC_MEM_FETCH_PROT:
		what = "instruction fetch from";
		break;
	case UC_MEM_READ_UNMAPPED:
	case UC_MEM_WRITE_UNMAPPED:
		if (addr < SHADOW_BASE ||
		    addr >= SHADOW_BASE + SHADOW_PAGES * 4096ULL) {
			cpu.npf_pending = 1;
			cpu.npf_write = type == UC_MEM_WRITE_UNMAPPED;
			cpu.npf_gpa = addr;
			return (false);
		}
		/* FALLTHROUGH */
	default:
		what = "data access to";
		break;
	}
	cpu_fail(CPU_SHUTDOWN, "%s guest physical address 0x%" PRIx64
	    " outside guest RAM at rip 0x%" PRIx64, what, addr, rip);
	return (false);
}

/* The site hook, for cpu_sites.c. */
int
cpu_hook_site(uint64_t addr, uc_hook *h)
{
	return (uc_hook_add(cpu.uc, h, UC_HOOK_CODE, (void *)site_hook, NULL,
	    addr, addr) == UC_ERR_OK ? 0 : -1);
}
