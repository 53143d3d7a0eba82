/*
 * intercept.c - what a SEV-ES CPU does at each instruction the
 * hypervisor may see: the GHCB MSR without an exit, VMGEXIT and HLT as
 * automatic exits, write traps after EFER/CR0/CR4 writes, and #VC for
 * everything the intercept vectors and permission maps select.
 */
#include <inttypes.h>
#include <string.h>

#include "cpu_debug.h"
#include "cpu_internal.h"
#include "physmem.h"
#include "shadow.h"
#include "trace.h"
#include "vmcb.h"

/* SVM exit codes of the events #VC reports (its error code). */
#define SVM_EXIT_READ_DR0	0x020
#define SVM_EXIT_WRITE_DR0	0x030
#define SVM_EXIT_RDTSC		0x06e
#define SVM_EXIT_RDPMC		0x06f
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_RDTSCP		0x087
#define SVM_EXIT_WBINVD		0x089
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b

#define MSR_TSC			0x00000010U
#define MSR_TSC_AUX		0xc0000103U

#define VC_VECTOR		29
#define RFLAGS_TF		(1ULL << 8)
#define RFLAGS_IF		(1ULL << 9)
#define RFLAGS_NT		(1ULL << 14)
#define RFLAGS_RF		(1ULL << 16)

static uint32_t
misc1(void)
{
	return (vmcb_get32(cpu.vmcb, VMCB_INTERCEPT_MISC1));
}

static uint32_t
misc2(void)
{
	return (vmcb_get32(cpu.vmcb, VMCB_INTERCEPT_MISC2));
}

/*
 * Is this MSR access intercepted by the MSR permission map?  MSRs
 * outside the three ranges the map covers always are.
 */
static int
msr_intercepted(uint32_t msr, int write)
{
	uint64_t base = vmcb_get64(cpu.vmcb, VMCB_MSRPM_BASE_PA);
	uint32_t off, bit;
	uint8_t *pm;

	if ((misc1() & VMCB_I1_MSR) == 0)
		return (0);
	if (msr <= 0x1fff)
		off = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		off = 0x800;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		off = 0x1000;
	else
		return (1);
	if ((pm = physmem_ptr(base, 8192)) == NULL)
		return (1);
	bit = (msr & 0x1fff) * 2 + (write ? 1 : 0);
	return ((pm[off + bit / 8] >> (bit % 8)) & 1);
}

/*
 * Port and size of an IN/OUT/INS/OUTS; port -1 when it comes from DX.
 */
static int
io_decode(const uint8_t *c, size_t n, int *port, int *size)
{
	size_t i = 0;
	int opsize16 = 0;

	while (i < n && (c[i] == 0x66 || c[i] == 0xf3 || c[i] == 0xf2 ||
	    c[i] == 0x67 || (cpu_code_bits() == 64 && (c[i] & 0xf0) == 0x40))) {
		if (c[i] == 0x66)
			opsize16 = 1;
		i++;
	}
	if (i >= n)
		return (-1);
	*port = -1;
	switch (c[i]) {
	case 0xe4: case 0xe6:
		*size = 1;
		break;
	case 0xe5: case 0xe7:
		*size = opsize16 ? 2 : 4;
		break;
	case 0xec: case 0xee: case 0x6c: case 0x6e:
		*size = 1;
		return (0);
	case 0xed: case 0xef: case 0x6d: case 0x6f:
		*size = opsize16 ? 2 : 4;
		return (0);
	default:
		return (-1);
	}
	if (i + 1 >= n)
		return (-1);
	*port = c[i + 1];
	return (0);
}

static int
io_intercepted(uint64_t rip)
{
	uint64_t base = vmcb_get64(cpu.vmcb, VMCB_IOPM_BASE_PA);
	uint8_t code[16], *pm;
	int port, size, i;
	size_t n;

	if ((misc1() & VMCB_I1_IOIO) == 0)
		return (0);
	n = cpu_fetch(rip, code);
	if (io_decode(code, n, &port, &size) != 0)
		return (1);
	if (port < 0)
		port = (int)(cpu_reg(UC_X86_REG_RDX) & 0xffff);
	if ((pm = physmem_ptr(base, 3 * 4096)) == NULL)
		return (1);
	for (i = 0; i < size; i++) {
		int p = port + i;

		if ((pm[p / 8] >> (p % 8)) & 1)
			return (1);
	}
	return (0);
}

/*
 * Delivers #VC through the guest's IDT with the exit code as error
 * code and the faulting instruction as the saved RIP.  A CPU that
 * cannot deliver it shuts down, as a triple fault would.
 */
static void
raise_vc(uint64_t rip, uint64_t code)
{
	struct paging pg;
	uc_x86_mmr idtr, tr;
	uint8_t gate[16];
	uint64_t rsp, rflags, target, frame[6];
	uint16_t sel, cs;
	int ist, type, lm = cpu_long_mode();
	unsigned int gsize = lm ? 16 : 8;

	char text[64];

	cpu_paging(&pg);
	if (cpu.cfg.cc_trace != NULL) {
		cpu_insn_text(rip, text, sizeof(text));
		trace_vc(cpu.cfg.cc_trace, rip, text, code);
	}
	uc_reg_read(cpu.uc, UC_X86_REG_IDTR, &idtr);
	if ((uint64_t)idtr.limit + 1 < (VC_VECTOR + 1) * gsize) {
		cpu_insn_text(rip, text, sizeof(text));
		cpu_fail(CPU_SHUTDOWN, "#VC (exit code 0x%" PRIx64 ", %s) at "
		    "rip 0x%" PRIx64 " with no IDT entry for vector 29 (IDT "
		    "limit 0x%x): shutdown", code, text, rip, idtr.limit);
		return;
	}
	if (guestmem_read(&cpu.gm, &pg, idtr.base + VC_VECTOR * gsize, gate,
	    gsize) != 0) {
		cpu_fail(CPU_SHUTDOWN, "#VC at rip 0x%" PRIx64 ": IDT entry 29 "
		    "at 0x%" PRIx64 " is not mapped: shutdown", rip,
		    idtr.base + VC_VECTOR * gsize);
		return;
	}
	type = gate[5] & 0x0f;
	if ((gate[5] & 0x80) == 0 || (type != 0xe && type != 0xf)) {
		cpu_fail(CPU_SHUTDOWN, "#VC at rip 0x%" PRIx64 ": IDT entry 29 "
		    "is %s: shutdown", rip, (gate[5] & 0x80) == 0 ?
		    "not present" : "not an interrupt or trap gate");
		return;
	}
	sel = (uint16_t)(gate[2] | gate[3] << 8);
	target = (uint64_t)gate[0] | (uint64_t)gate[1] << 8 |
	    (uint64_t)gate[6] << 16 | (uint64_t)gate[7] << 24;
	rsp = cpu_reg(UC_X86_REG_RSP);
	rflags = cpu_reg(UC_X86_REG_RFLAGS);
	cs = (uint16_t)cpu_reg(UC_X86_REG_CS);

	if (lm) {
		uint32_t hi;

		memcpy(&hi, gate + 8, 4);
		target |= (uint64_t)hi << 32;
		ist = gate[4] & 7;
		if (ist != 0 || (cs & 3) != 0) {
			/* The stack comes from the TSS: IST n or RSP0. */
			uint64_t off = ist ? 0x24 + (uint64_t)(ist - 1) * 8 : 4;

			uc_reg_read(cpu.uc, UC_X86_REG_TR, &tr);
			if (guestmem_read(&cpu.gm, &pg, tr.base + off, &rsp,
			    8) != 0) {
				cpu_fail(CPU_SHUTDOWN, "#VC at rip 0x%" PRIx64
				    ": TSS stack pointer at 0x%" PRIx64 " is "
				    "not mapped: shutdown", rip, tr.base + off);
				return;
			}
		}
		rsp &= ~0xfULL;
		frame[5] = cpu_reg(UC_X86_REG_SS);
		frame[4] = cpu_reg(UC_X86_REG_RSP);
		frame[3] = rflags;
		frame[2] = cs;
		frame[1] = rip;
		frame[0] = code;
		rsp -= sizeof(frame);
		if (guestmem_write(&cpu.gm, &pg, rsp, frame,
		    sizeof(frame)) != 0)
			goto badstack;
	} else {
		uint32_t f32[4] = { (uint32_t)code, (uint32_t)rip, cs,
		    (uint32_t)rflags };

		rsp = (rsp - sizeof(f32)) & 0xffffffffULL;
		if (guestmem_write(&cpu.gm, &pg, rsp, f32, sizeof(f32)) != 0)
			goto badstack;
	}
	rflags &= ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF);
	if (type == 0xe)
		rflags &= ~RFLAGS_IF;
	cpu_set_reg(UC_X86_REG_RSP, rsp);
	cpu_set_reg(UC_X86_REG_RFLAGS, rflags);
	cpu_set_reg(UC_X86_REG_CS, sel);
	if (cpu.cfg.cc_debug != NULL)
		cpu_debug_vc(cpu.cfg.cc_debug, code);
	cycles_vc(&cpu.cy);
	cpu_redirect(target);
	return;
badstack:
	cpu_fail(CPU_SHUTDOWN, "#VC at rip 0x%" PRIx64 ": cannot push the "
	    "exception frame at 0x%" PRIx64 ": shutdown", rip, rsp);
}

void
intercept_vc(uint64_t rip, uint64_t code)
{
	raise_vc(rip, code);
}

/* An automatic exit; the guest goes on at nrip when it is resumed. */
static void
automatic_exit(uint64_t code, uint64_t info1, uint64_t rip, uint64_t nrip)
{
	cpu_vmexit(code, info1, 0, rip, nrip);
	cpu_resume_at(nrip);
}

/* Emits a write trap that became due at this instruction. */
static void
write_trap(uint64_t rip)
{
	uint64_t val;

	cpu.trap_pending = 0;
	switch (cpu.trap_code) {
	case VMEXIT_CR0_WRITE_TRAP:
		val = cpu_reg(UC_X86_REG_CR0);
		break;
	case VMEXIT_CR4_WRITE_TRAP:
		val = cpu_reg(UC_X86_REG_CR4);
		break;
	default:
		val = cpu_msr(MSR_EFER);
		break;
	}
	cpu_vmexit(cpu.trap_code, val, 0, rip, rip);
}

static const int gpr_regs[16] = {
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
	UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
	UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_R10, UC_X86_REG_R11,
	UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
};

/*
 * MOV to or from a debug register.  The emulator's own debug
 * registers drive its breakpoint machinery, so the guest gets a
 * shadow set: intercepted accesses raise #VC, the others are done
 * here.
 */
static void
do_dr(struct site *s, uint64_t rip)
{
	uint8_t c[16];
	size_t n = cpu_fetch(rip, c), i = 0;
	int rex = 0, lm = cpu_code_bits() == 64, dr, gpr, write;
	uint32_t bit;

	while (i < n && lm && (c[i] & 0xf0) == 0x40)
		rex = c[i++];
	if (i + 2 >= n || c[i] != 0x0f || (c[i + 1] != 0x21 &&
	    c[i + 1] != 0x23) || (rex & 0x4)) {
		cpu_fail(CPU_SHUTDOWN, "mov to or from a debug register at rip "
		    "0x%" PRIx64 " that sevemu cannot decode", rip);
		return;
	}
	write = c[i + 1] == 0x23;
	dr = (c[i + 2] >> 3) & 7;
	gpr = (c[i + 2] & 7) + ((rex & 0x1) ? 8 : 0);
	bit = write ? VMCB_IDR_WRITE(dr) : VMCB_IDR_READ(dr);
	if (vmcb_get32(cpu.vmcb, VMCB_INTERCEPT_DR) & bit) {
		raise_vc(rip, (write ? SVM_EXIT_WRITE_DR0 : SVM_EXIT_READ_DR0) +
		    (uint64_t)dr);
		return;
	}
	if (write) {
		cpu.dr[dr] = cpu_reg(gpr_regs[gpr]);
		if (!lm)
			cpu.dr[dr] &= 0xffffffffULL;
	} else
		cpu_set_reg(gpr_regs[gpr], cpu.dr[dr]);
	cpu_resume_at(rip + s->s_len);
}

/*
 * Control register and general register of a MOV to or from CRn
 * (0F 22 /r or 0F 20 /r).
 */
static int
cr_decode(uint64_t rip, int *cr, int *gpr)
{
	uint8_t c[16];
	size_t n = cpu_fetch(rip, c), i = 0;
	int rex = 0;

	while (i < n && (c[i] == 0x66 || c[i] == 0xf0 ||
	    (cpu_code_bits() == 64 && (c[i] & 0xf0) == 0x40))) {
		if ((c[i] & 0xf0) == 0x40)
			rex = c[i];
		i++;
	}
	if (i + 2 >= n || c[i] != 0x0f || (c[i + 1] != 0x22 &&
	    c[i + 1] != 0x20))
		return (-1);
	*cr = ((c[i + 2] >> 3) & 7) + ((rex & 0x4) ? 8 : 0);
	*gpr = (c[i + 2] & 7) + ((rex & 0x1) ? 8 : 0);
	return (0);
}

/* Rebuilds the shadow tables for the paging state about to be in force. */
static int
resync(uint64_t cr0, uint64_t cr4)
{
	return (shadow_build(cpu.guest_cr3, cr0, cr4, cpu_msr(MSR_EFER)));
}

static void
arm_trap(uint64_t code, uint64_t rip)
{
	cpu.trap_pending = 1;
	cpu.trap_code = code;
	cpu.trap_rip = rip;
}

/*
 * MOV to CR0, CR3 or CR4.  The write itself is the emulator's; the CPU
 * keeps the shadow tables in step and arms the write trap SEV-ES
 * reports once the write has retired.
 */
static void
do_cr_write(struct site *s, uint64_t rip)
{
	uint64_t val, next = rip + s->s_len;
	int cr, gpr;

	if (cr_decode(rip, &cr, &gpr) != 0)
		return;
	val = cpu_reg(gpr_regs[gpr]);
	if (cpu_code_bits() != 64)
		val &= 0xffffffffULL;
	switch (cr) {
	case 0:
		if (resync(val, cpu_reg(UC_X86_REG_CR4)) != 0)
			return;
		if (misc2() & VMCB_I2_CR0_TRAP)
			arm_trap(VMEXIT_CR0_WRITE_TRAP, next);
		break;
	case 3:
		/* Unicorn loads the shadow; the guest's value comes back. */
		cpu.guest_cr3 = val;
		if (resync(cpu_reg(UC_X86_REG_CR0), cpu_reg(UC_X86_REG_CR4)))
			return;
		cpu_set_reg(gpr_regs[gpr], SHADOW_BASE);
		cpu.restore_pending = 1;
		cpu.restore_rip = next;
		cpu.restore_reg = gpr_regs[gpr];
		cpu.restore_val = val;
		break;
	case 4:
		if (resync(cpu_reg(UC_X86_REG_CR0), val) != 0)
			return;
		if (misc2() & VMCB_I2_CR4_TRAP)
			arm_trap(VMEXIT_CR4_WRITE_TRAP, next);
		break;
	}
}

/* MOV from CR3 reads the guest's value, not the shadow's. */
static void
do_cr_read(struct site *s, uint64_t rip)
{
	int cr, gpr;

	if (cr_decode(rip, &cr, &gpr) != 0 || cr != 3)
		return;
	cpu_set_reg(gpr_regs[gpr], cpu_code_bits() == 64 ? cpu.guest_cr3 :
	    cpu.guest_cr3 & 0xffffffffULL);
	cpu_resume_at(rip + s->s_len);
}

static void
do_rdmsr(struct site *s, uint64_t rip)
{
	uint32_t msr = (uint32_t)cpu_reg(UC_X86_REG_RCX);
	uint64_t val;

	if (msr == MSR_SEV_GHCB) {
		/* The GHCB MSR lives in the VMCB and never exits. */
		val = vmcb_get64(cpu.vmcb, VMCB_GHCB_GPA);
	} else if (msr_intercepted(msr, 0)) {
		raise_vc(rip, SVM_EXIT_MSR);
		return;
	} else if (msr == MSR_TSC) {
		val = cpu_guest_tsc();
	} else if (msr == MSR_SEV_STATUS) {
		uint64_t np = vmcb_get64(cpu.vmcb, VMCB_NP_CTL);

		val = ((np & VMCB_SEV_ENABLE) ? 1 : 0) |
		    ((np & VMCB_SEVES_ENABLE) ? 2 : 0);
	} else
		return;		/* the emulator's own RDMSR */
	cpu_set_reg(UC_X86_REG_RAX, val & 0xffffffffULL);
	cpu_set_reg(UC_X86_REG_RDX, val >> 32);
	cpu_resume_at(rip + s->s_len);
}

static void
do_wrmsr(struct site *s, uint64_t rip)
{
	uint32_t msr = (uint32_t)cpu_reg(UC_X86_REG_RCX);
	uint64_t val = (cpu_reg(UC_X86_REG_RAX) & 0xffffffffULL) |
	    cpu_reg(UC_X86_REG_RDX) << 32;

	if (msr == MSR_SEV_GHCB) {
		vmcb_put64(cpu.vmcb, VMCB_GHCB_GPA, val);
		cpu_resume_at(rip + s->s_len);
		return;
	}
	if (msr_intercepted(msr, 1)) {
		raise_vc(rip, SVM_EXIT_MSR);
		return;
	}
	if (msr == MSR_EFER && (misc2() & VMCB_I2_EFER_TRAP))
		arm_trap(VMEXIT_EFER_WRITE_TRAP, rip + s->s_len);
}

/* Sites that raise #VC when their intercept bit is set. */
static const struct {
	uint8_t		kind;
	uint8_t		word;		/* 1: MISC1, 2: MISC2, 3: DR */
	uint32_t	bit;
	uint32_t	code;
} vc_sites[] = {
	{ SITE_CPUID, 1, VMCB_I1_CPUID, SVM_EXIT_CPUID },
	{ SITE_RDTSC, 1, VMCB_I1_RDTSC, SVM_EXIT_RDTSC },
	{ SITE_RDPMC, 1, VMCB_I1_RDPMC, SVM_EXIT_RDPMC },
	{ SITE_INVD, 1, VMCB_I1_INVD, SVM_EXIT_INVD },
	{ SITE_RDTSCP, 2, VMCB_I2_RDTSCP, SVM_EXIT_RDTSCP },
	{ SITE_WBINVD, 2, VMCB_I2_WBINVD, SVM_EXIT_WBINVD },
	{ SITE_MONITOR, 2, VMCB_I2_MONITOR, SVM_EXIT_MONITOR },
	{ SITE_MWAIT, 2, VMCB_I2_MWAIT, SVM_EXIT_MWAIT },
	{ SITE_VMMCALL, 2, VMCB_I2_VMMCALL, SVM_EXIT_VMMCALL },
};

static int
vc_site(struct site *s, uint64_t rip)
{
	uint32_t word;
	size_t i;

	for (i = 0; i < sizeof(vc_sites) / sizeof(vc_sites[0]); i++) {
		if (vc_sites[i].kind != s->s_kind)
			continue;
		switch (vc_sites[i].word) {
		case 1:
			word = misc1();
			break;
		case 2:
			word = misc2();
			break;
		default:
			word = vmcb_get32(cpu.vmcb, VMCB_INTERCEPT_DR);
			break;
		}
		if (word & vc_sites[i].bit)
			raise_vc(rip, vc_sites[i].code);
		else if (s->s_kind == SITE_RDTSC ||
		    s->s_kind == SITE_RDTSCP) {
			/* The emulator's TSC is the host's; ours is modelled. */
			uint64_t tsc = cpu_guest_tsc();

			cpu_set_reg(UC_X86_REG_RAX, tsc & 0xffffffffULL);
			cpu_set_reg(UC_X86_REG_RDX, tsc >> 32);
			if (s->s_kind == SITE_RDTSCP)
				cpu_set_reg(UC_X86_REG_RCX,
				    cpu_msr(MSR_TSC_AUX) & 0xffffffffULL);
			cpu_resume_at(rip + s->s_len);
		} else if (s->s_kind == SITE_RDPMC) {
			/* No counters are modelled: they all read zero. */
			cpu_set_reg(UC_X86_REG_RAX, 0);
			cpu_set_reg(UC_X86_REG_RDX, 0);
			cpu_resume_at(rip + s->s_len);
		}
		return (1);
	}
	return (0);
}

void
intercept(uint64_t rip)
{
	struct site *s = site_find(rip);

	if (s == NULL)
		return;
	if (s->s_trap_point && cpu.restore_pending && cpu.restore_rip == rip) {
		cpu.restore_pending = 0;
		cpu_set_reg(cpu.restore_reg, cpu.restore_val);
	}
	if (s->s_trap_point && cpu.trap_pending && cpu.trap_rip == rip) {
		write_trap(rip);
		if (cpu.stopping) {
			uc_emu_stop(cpu.uc);
			return;
		}
	}
	switch (s->s_kind) {
	case SITE_NONE:
		break;
	case SITE_VMGEXIT:
		automatic_exit(VMEXIT_VMGEXIT, 0, rip, rip + s->s_len);
		break;
	case SITE_HLT:
		if (misc1() & VMCB_I1_HLT)
			automatic_exit(VMEXIT_HLT, 0, rip, rip + s->s_len);
		else
			cpu_fail(CPU_SHUTDOWN, "HLT at rip 0x%" PRIx64 " is not "
			    "intercepted and nothing can wake the CPU", rip);
		break;
	case SITE_RDMSR:
		do_rdmsr(s, rip);
		break;
	case SITE_WRMSR:
		do_wrmsr(s, rip);
		break;
	case SITE_IOIO:
		if (io_intercepted(rip))
			raise_vc(rip, SVM_EXIT_IOIO);
		break;
	case SITE_DR_READ:
	case SITE_DR_WRITE:
		do_dr(s, rip);
		break;
	case SITE_CR_WRITE:
		do_cr_write(s, rip);
		break;
	case SITE_CR_READ:
		do_cr_read(s, rip);
		break;
	case SITE_INVLPG:
		resync(cpu_reg(UC_X86_REG_CR0), cpu_reg(UC_X86_REG_CR4));
		break;
	case SITE_IRET:
		/* Only the cycle model cares: a #VC handler may be done. */
		cycles_iret(&cpu.cy);
		break;
	case SITE_REP_STOS:
		rep_stos(rip);
		break;
	default:
		vc_site(s, rip);
		break;
	}
}
