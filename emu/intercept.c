/*
 * intercept.c - what a SEV-ES CPU does at each instruction the
 * hypervisor may see: the GHCB MSR without an exit, VMGEXIT and HLT as
 * automatic exits, write traps after EFER/CR0/CR4 writes, and #VC for
 * everything the intercept vectors and permission maps select.
 */
#include <inttypes.h>
#include <string.h>

#include "cpu_internal.h"
#include "physmem.h"
#include "trace.h"
#include "vmcb.h"

/* SVM exit codes of the events #VC reports (its error code). */
#define SVM_EXIT_READ_DR7	0x027
#define SVM_EXIT_WRITE_DR7	0x037
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

/* Reads up to 16 bytes of the instruction at rip; returns the count. */
static size_t
fetch(uint64_t rip, uint8_t *code)
{
	struct paging pg;
	size_t n;

	cpu_paging(&pg);
	for (n = 16; n > 0; n--)
		if (guestmem_read(&cpu.gm, &pg, rip, code, n) == 0)
			return (n);
	return (0);
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
	    c[i] == 0x67 || (cpu_long_mode() && (c[i] & 0xf0) == 0x40))) {
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
	n = fetch(rip, code);
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

	cpu_paging(&pg);
	if (cpu.cfg.cc_trace != NULL) {
		char text[64];

		cpu_insn_text(rip, text, sizeof(text));
		trace_vc(cpu.cfg.cc_trace, rip, text, code);
	}
	uc_reg_read(cpu.uc, UC_X86_REG_IDTR, &idtr);
	if ((uint64_t)idtr.limit + 1 < (VC_VECTOR + 1) * gsize) {
		cpu_fail(CPU_SHUTDOWN, "#VC (exit code 0x%" PRIx64 ") at rip "
		    "0x%" PRIx64 " with no IDT entry for vector 29 (IDT limit "
		    "0x%x): shutdown", code, rip, idtr.limit);
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
	cpu_resume_at(target);
	return;
badstack:
	cpu_fail(CPU_SHUTDOWN, "#VC at rip 0x%" PRIx64 ": cannot push the "
	    "exception frame at 0x%" PRIx64 ": shutdown", rip, rsp);
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

/* Which control register a MOV to CRn writes. */
static int
cr_number(uint64_t rip)
{
	uint8_t c[16];
	size_t n = fetch(rip, c), i = 0;
	int rexr = 0;

	while (i < n && (c[i] == 0x66 || c[i] == 0xf0 ||
	    (cpu_long_mode() && (c[i] & 0xf0) == 0x40))) {
		if ((c[i] & 0xf0) == 0x40)
			rexr = (c[i] & 0x4) != 0;
		i++;
	}
	if (i + 2 >= n || c[i] != 0x0f || c[i + 1] != 0x22)
		return (-1);
	return (((c[i + 2] >> 3) & 7) + (rexr ? 8 : 0));
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
	if (msr == MSR_EFER && (misc2() & VMCB_I2_EFER_TRAP)) {
		cpu.trap_pending = 1;
		cpu.trap_code = VMEXIT_EFER_WRITE_TRAP;
		cpu.trap_rip = rip + s->s_len;
	}
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
	{ SITE_DR7_READ, 3, VMCB_IDR_READ(7), SVM_EXIT_READ_DR7 },
	{ SITE_DR7_WRITE, 3, VMCB_IDR_WRITE(7), SVM_EXIT_WRITE_DR7 },
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
		else if (s->s_kind == SITE_RDTSC) {
			/* The emulator's TSC is the host clock; ours counts. */
			cpu_set_reg(UC_X86_REG_RAX, cpu.insns & 0xffffffffULL);
			cpu_set_reg(UC_X86_REG_RDX, cpu.insns >> 32);
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
	int cr;

	if (s == NULL)
		return;
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
	case SITE_CR_WRITE:
		cr = cr_number(rip);
		if (cr == 0 && (misc2() & VMCB_I2_CR0_TRAP)) {
			cpu.trap_pending = 1;
			cpu.trap_code = VMEXIT_CR0_WRITE_TRAP;
			cpu.trap_rip = rip + s->s_len;
		} else if (cr == 4 && (misc2() & VMCB_I2_CR4_TRAP)) {
			cpu.trap_pending = 1;
			cpu.trap_code = VMEXIT_CR4_WRITE_TRAP;
			cpu.trap_rip = rip + s->s_len;
		}
		break;
	default:
		vc_site(s, rip);
		break;
	}
}
