/*
 * cpu_state.c - what VMRUN loads into the guest CPU and what #VMEXIT
 * leaves behind for the host to see.
 */
#include <inttypes.h>
#include <string.h>

#include "cpu_internal.h"
#include "physmem.h"
#include "shadow.h"
#include "vmcb.h"

#define NPT_P		(1ULL << 0)
#define NPT_PS		(1ULL << 7)
#define NPT_ADDR	0x000ffffffffff000ULL

#define CR0_PE		(1ULL << 0)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)

/*
 * Under SEV-ES the VMCB's save area holds no guest state; whatever a
 * handler reads from there it did not get from the guest.  A pattern
 * makes such a read stand out in a test.
 */
#define STATE_POISON	0x5e5e5e5e5e5e5e5eULL

static int
add_range(uint64_t gpa, uint64_t hpa, uint64_t len)
{
	struct guestmem *gm = &cpu.gm;
	struct guestmem_range *r;

	if (gm->gm_n > 0) {
		r = &gm->gm_r[gm->gm_n - 1];
		if (r->gr_gpa + r->gr_len == gpa &&
		    r->gr_hpa + r->gr_len == hpa) {
			r->gr_len += len;
			return (0);
		}
	}
	if (gm->gm_n == GUESTMEM_MAXRANGES) {
		cpu_fail(CPU_INVALID, "VMRUN: nested page table maps more "
		    "than %d discontiguous guest ranges", GUESTMEM_MAXRANGES);
		return (-1);
	}
	r = &gm->gm_r[gm->gm_n++];
	r->gr_gpa = gpa;
	r->gr_hpa = hpa;
	r->gr_len = len;
	r->gr_host = NULL;
	return (0);
}

/* Collects the guest RAM the nested page table maps, in GPA order. */
static int
walk_npt(uint64_t table_pa, int level, uint64_t gpa_base)
{
	uint64_t pte, *table, span = 1ULL << (12 + 9 * (level - 1));
	int i;

	table = physmem_ptr(table_pa, 4096);
	if (table == NULL) {
		cpu_fail(CPU_INVALID, "VMRUN: nested page table page 0x%"
		    PRIx64 " is outside host memory", table_pa);
		return (-1);
	}
	for (i = 0; i < 512; i++) {
		pte = table[i];
		if ((pte & NPT_P) == 0)
			continue;
		uint64_t gpa = gpa_base + (uint64_t)i * span;
		if (level == 1 || (level <= 3 && (pte & NPT_PS))) {
			uint64_t hpa = pte & NPT_ADDR & ~(span - 1);

			if (physmem_ptr(hpa, span) == NULL) {
				cpu_fail(CPU_INVALID, "VMRUN: nested page table "
				    "maps GPA 0x%" PRIx64 " to 0x%" PRIx64
				    ", outside host memory", gpa, hpa);
				return (-1);
			}
			if (add_range(gpa, hpa, span) != 0)
				return (-1);
			continue;
		}
		if (walk_npt(pte & NPT_ADDR, level - 1, gpa) != 0)
			return (-1);
	}
	return (0);
}

int
cpu_map_guest(uint64_t n_cr3)
{
	struct guestmem_range *r;
	uc_err err;
	int i;

	err = uc_open(UC_ARCH_X86, UC_MODE_64, &cpu.uc);
	if (err != UC_ERR_OK) {
		cpu.uc = NULL;
		cpu_fail(CPU_INVALID, "unicorn: %s", uc_strerror(err));
		return (-1);
	}
	memset(&cpu.gm, 0, sizeof(cpu.gm));
	if (walk_npt(n_cr3 & NPT_ADDR, 4, 0) != 0)
		return (-1);
	if (cpu.gm.gm_n == 0) {
		cpu_fail(CPU_INVALID, "VMRUN: the nested page table at 0x%"
		    PRIx64 " maps no guest memory", n_cr3);
		return (-1);
	}
	for (i = 0; i < cpu.gm.gm_n; i++) {
		r = &cpu.gm.gm_r[i];
		r->gr_host = physmem_alias(r->gr_hpa, r->gr_len);
		if (r->gr_host == NULL) {
			cpu_fail(CPU_INVALID, "cannot map guest RAM at GPA 0x%"
			    PRIx64, r->gr_gpa);
			return (-1);
		}
		err = uc_mem_map_ptr(cpu.uc, r->gr_gpa, r->gr_len, UC_PROT_ALL,
		    r->gr_host);
		if (err != UC_ERR_OK) {
			cpu_fail(CPU_INVALID, "unicorn: cannot map GPA 0x%"
			    PRIx64 ": %s", r->gr_gpa, uc_strerror(err));
			return (-1);
		}
	}
	return (0);
}

void
cpu_unmap_guest(void)
{
	int i;

	for (i = 0; i < cpu.gm.gm_n; i++)
		if (cpu.gm.gm_r[i].gr_host != NULL)
			physmem_unalias(cpu.gm.gm_r[i].gr_host,
			    cpu.gm.gm_r[i].gr_len);
	memset(&cpu.gm, 0, sizeof(cpu.gm));
}

static void
load_mmr(int reg, const uint8_t *seg)
{
	uc_x86_mmr m;

	memset(&m, 0, sizeof(m));
	m.selector = vmcb_get16(seg, VMSA_SEG_SEL);
	m.limit = vmcb_get32(seg, VMSA_SEG_LIMIT);
	m.base = vmcb_get64(seg, VMSA_SEG_BASE);
	uc_reg_write(cpu.uc, reg, &m);
}

static const struct {
	int		reg;
	unsigned int	off;
} vmsa_gprs[] = {
	{ UC_X86_REG_RAX, VMSA_RAX }, { UC_X86_REG_RBX, VMSA_RBX },
	{ UC_X86_REG_RCX, VMSA_RCX }, { UC_X86_REG_RDX, VMSA_RDX },
	{ UC_X86_REG_RSI, VMSA_RSI }, { UC_X86_REG_RDI, VMSA_RDI },
	{ UC_X86_REG_RBP, VMSA_RBP }, { UC_X86_REG_RSP, VMSA_RSP },
	{ UC_X86_REG_R8, VMSA_R8 }, { UC_X86_REG_R9, VMSA_R8 + 8 },
	{ UC_X86_REG_R10, VMSA_R8 + 16 }, { UC_X86_REG_R11, VMSA_R8 + 24 },
	{ UC_X86_REG_R12, VMSA_R8 + 32 }, { UC_X86_REG_R13, VMSA_R8 + 40 },
	{ UC_X86_REG_R14, VMSA_R8 + 48 }, { UC_X86_REG_R15, VMSA_R8 + 56 },
};

/*
 * Unicorn's 64-bit engine starts in long mode with paging off.  Long
 * mode entry stores the control registers as they are (EFER through
 * WRMSR).
 */
static void
enter_long_mode(const uint8_t *v)
{
	uc_x86_msr m;

	m.rid = MSR_EFER;
	m.value = vmcb_get64(v, VMSA_EFER) | EFER_LMA;
	uc_reg_write(cpu.uc, UC_X86_REG_MSR, &m);
	cpu_set_reg(UC_X86_REG_CR4, vmcb_get64(v, VMSA_CR4));
	cpu.guest_cr3 = vmcb_get64(v, VMSA_CR3);
	cpu_set_reg(UC_X86_REG_CR3, SHADOW_BASE);
	cpu_set_reg(UC_X86_REG_CR0, vmcb_get64(v, VMSA_CR0));
	load_mmr(UC_X86_REG_GDTR, v + VMSA_GDTR);
	cpu_set_reg(UC_X86_REG_CS, vmcb_get16(v, VMSA_CS + VMSA_SEG_SEL));
	cpu_set_reg(UC_X86_REG_SS, vmcb_get16(v, VMSA_SS + VMSA_SEG_SEL));
	cpu_set_reg(UC_X86_REG_DS, vmcb_get16(v, VMSA_DS + VMSA_SEG_SEL));
	cpu_set_reg(UC_X86_REG_ES, vmcb_get16(v, VMSA_ES + VMSA_SEG_SEL));
}

/*
 * Protected mode entry cannot be had through register writes: the
 * emulator leaves long mode only when code clears CR0.PG with paging
 * on.  A few instructions on scratch pages just below 4 GiB, mapped by
 * their own page tables, do that, load the guest's GDT and reload every
 * segment from it, as VMRUN would; then the scratch pages go away.
 */
#define SCRATCH_PA	0xffffc000ULL
#define STUB_PA		0xfffff000ULL

static int
enter_protected_mode(const uint8_t *v)
{
	uint16_t cs = vmcb_get16(v, VMSA_CS + VMSA_SEG_SEL);
	uint16_t ds = vmcb_get16(v, VMSA_DS + VMSA_SEG_SEL);
	uint16_t ss = vmcb_get16(v, VMSA_SS + VMSA_SEG_SEL);
	uint32_t gdt_base = (uint32_t)vmcb_get64(v, VMSA_GDTR + VMSA_SEG_BASE);
	uint16_t gdt_limit = (uint16_t)vmcb_get32(v, VMSA_GDTR +
	    VMSA_SEG_LIMIT);
	uint8_t stub[64];
	size_t n = 0, ljmp_at;
	uc_err err;

#define EMIT(...) do {							\
	const uint8_t b_[] = { __VA_ARGS__ };				\
	memcpy(stub + n, b_, sizeof(b_));				\
	n += sizeof(b_);						\
} while (0)
#define EMIT32(x) do {							\
	uint32_t v_ = (x);						\
	memcpy(stub + n, &v_, 4);					\
	n += 4;								\
} while (0)
	EMIT(0x0f, 0x20, 0xc0);			/* mov %cr0, %rax */
	EMIT(0x25, 0xff, 0xff, 0xff, 0x7f);	/* and $~CR0_PG, %eax */
	EMIT(0x0f, 0x22, 0xc0);			/* mov %rax, %cr0: leaves LMA */
	EMIT(0x31, 0xc0, 0x31, 0xd2);		/* xor eax, eax; xor edx, edx */
	EMIT(0xb9); EMIT32(MSR_EFER);		/* mov $EFER, %ecx */
	EMIT(0x0f, 0x30);			/* wrmsr: EFER = 0 */
	EMIT(0x0f, 0x01, 0x15);			/* lgdt abs32 */
	EMIT32((uint32_t)STUB_PA + 56);
	ljmp_at = n;
	EMIT(0xea); EMIT32(0);			/* ljmp $cs, $after */
	EMIT((uint8_t)cs, (uint8_t)(cs >> 8));
	memcpy(stub + ljmp_at + 1, &(uint32_t){ (uint32_t)STUB_PA +
	    (uint32_t)n }, 4);
	EMIT(0x66, 0xb8, (uint8_t)ds, (uint8_t)(ds >> 8)); /* mov $ds, %ax */
	EMIT(0x8e, 0xd8, 0x8e, 0xc0);		/* mov %ax, %ds; %es */
	EMIT(0x8e, 0xe0, 0x8e, 0xe8);		/* %fs; %gs */
	EMIT(0x66, 0xb8, (uint8_t)ss, (uint8_t)(ss >> 8));
	EMIT(0x8e, 0xd0);			/* mov %ax, %ss */
	size_t end = n;
	memcpy(stub + 56, &gdt_limit, 2);
	memcpy(stub + 58, &gdt_base, 4);
#undef EMIT
#undef EMIT32

	if (guestmem_ptr(&cpu.gm, STUB_PA, 4096) != NULL) {
		cpu_fail(CPU_INVALID, "VMRUN: protected mode entry needs "
		    "guest RAM below 4 GiB");
		return (-1);
	}
	uint64_t tables[3] = {
		(SCRATCH_PA + 0x1000) | 3,		/* PML4[0] */
		(SCRATCH_PA + 0x2000) | 3,		/* PDPT[3] */
		0xffe00000ULL | 0x83,			/* PD[511]: 2 MiB */
	};
	err = uc_mem_map(cpu.uc, SCRATCH_PA, 4 * 4096, UC_PROT_ALL);
	if (err == UC_ERR_OK)
		err = uc_mem_write(cpu.uc, SCRATCH_PA, &tables[0], 8);
	if (err == UC_ERR_OK)
		err = uc_mem_write(cpu.uc, SCRATCH_PA + 0x1000 + 3 * 8,
		    &tables[1], 8);
	if (err == UC_ERR_OK)
		err = uc_mem_write(cpu.uc, SCRATCH_PA + 0x2000 + 511 * 8,
		    &tables[2], 8);
	if (err == UC_ERR_OK)
		err = uc_mem_write(cpu.uc, STUB_PA, stub, sizeof(stub));
	if (err == UC_ERR_OK) {
		cpu_set_reg(UC_X86_REG_CR4, CR4_PAE);
		cpu_set_reg(UC_X86_REG_CR3, SCRATCH_PA);
		cpu_set_reg(UC_X86_REG_CR0, CR0_PE | CR0_PG);
		err = uc_emu_start(cpu.uc, STUB_PA, STUB_PA + end, 0, 0);
	}
	uc_mem_unmap(cpu.uc, SCRATCH_PA, 4 * 4096);
	cpu_set_reg(UC_X86_REG_CR4, vmcb_get64(v, VMSA_CR4));
	cpu.guest_cr3 = vmcb_get64(v, VMSA_CR3);
	cpu_set_reg(UC_X86_REG_CR3, SHADOW_BASE);
	if (err != UC_ERR_OK || cpu_long_mode()) {
		cpu_fail(CPU_INVALID, "VMRUN: cannot enter protected mode with "
		    "CS 0x%x from the GDT at 0x%x: %s", cs, gdt_base,
		    err != UC_ERR_OK ? uc_strerror(err) : "still in long mode");
		return (-1);
	}
	cpu_set_reg(UC_X86_REG_CR0, vmcb_get64(v, VMSA_CR0));
	return (0);
}

int
cpu_load_state(void)
{
	const uint8_t *v = cpu.vmsa;
	uint64_t cr0 = vmcb_get64(v, VMSA_CR0);
	uint64_t cr4 = vmcb_get64(v, VMSA_CR4);
	uint64_t efer = vmcb_get64(v, VMSA_EFER);
	size_t i;

	if ((cr0 & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG) &&
	    (cr4 & CR4_PAE) != 0 && (efer & EFER_LME) != 0)
		enter_long_mode(v);
	else if ((cr0 & (CR0_PE | CR0_PG)) == CR0_PE &&
	    (efer & EFER_LME) == 0) {
		if (enter_protected_mode(v) != 0)
			return (-1);
	} else {
		cpu_fail(CPU_INVALID, "VMRUN: VMSA describes neither long mode "
		    "nor protected mode without paging (cr0 0x%" PRIx64
		    ", cr4 0x%" PRIx64 ", efer 0x%" PRIx64 ")", cr0, cr4,
		    efer);
		return (-1);
	}
	for (i = 0; i < sizeof(vmsa_gprs) / sizeof(vmsa_gprs[0]); i++)
		cpu_set_reg(vmsa_gprs[i].reg, vmcb_get64(v, vmsa_gprs[i].off));
	load_mmr(UC_X86_REG_IDTR, v + VMSA_IDTR);
	if (shadow_build(cpu.guest_cr3, cpu_reg(UC_X86_REG_CR0),
	    cpu_reg(UC_X86_REG_CR4), cpu_msr(MSR_EFER)) != 0)
		return (-1);
	cpu_set_reg(UC_X86_REG_RFLAGS, vmcb_get64(v, VMSA_RFLAGS) | 0x2);
	cpu_set_reg(UC_X86_REG_RIP, vmcb_get64(v, VMSA_RIP));
	return (0);
}

void
cpu_hide_state(void)
{
	static const unsigned int fields[] = {
		VMSA_RAX, VMSA_RSP, VMSA_RIP, VMSA_RFLAGS
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		vmcb_put64(cpu.vmcb, VMCB_SAVE_AREA + fields[i], STATE_POISON);
}
