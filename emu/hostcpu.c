/*
 * hostcpu.c - CPUID and MSRs of the simulated host CPU.
 */
#include <string.h>

#include "hostcpu.h"
#include "seam.h"

struct leaf {
	uint32_t	l_leaf;
	uint32_t	l_subleaf;
	uint32_t	l_regs[4];	/* EAX, EBX, ECX, EDX */
};

/*
 * Modelled on a 3rd generation EPYC (family 19h): SVM with nested
 * paging and decode assists, SME, SEV and SEV-ES, the C-bit at 51.
 */
static const struct leaf epyc[] = {
	{ 0x00000000, 0, { 0x00000010, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x00000001, 0, { 0x00a00f11, 0x00020800, 0x7ef8320b, 0x178bfbff } },
	{ 0x00000007, 0, { 0x00000000, 0x219c97a9, 0x0040068c, 0x00000010 } },
	{ 0x0000000d, 0, { 0x00000207, 0x00000988, 0x00000988, 0x00000000 } },
	{ 0x0000000d, 1, { 0x0000000f, 0x00000348, 0x00001800, 0x00000000 } },
	{ 0x0000000d, 2, { 0x00000100, 0x00000240, 0x00000000, 0x00000000 } },
	{ 0x80000000, 0, { 0x80000023, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x80000001, 0, { 0x00a00f11, 0x40000000, 0x75c237ff, 0x2fd3fbff } },
	{ 0x80000008, 0, { 0x00003030, 0x791ef257, 0x0000307f, 0x00010000 } },
	{ 0x8000000a, 0, { 0x00000001, 0x00008000, 0x00000000, 0x119b9cff } },
	{ 0x8000001f, 0, { 0x0001000b, 0x00000073, 0x000001fd, 0x00000064 } },
};

#define NOVERRIDES	32

static struct leaf overrides[NOVERRIDES];
static int noverrides;

static uint64_t host_efer = 0x0000000000000d01ULL;	/* SCE LME LMA NXE */
static uint64_t host_hsave_pa;
/* The host's TSC is the CPU's modelled clock, plus what WRMSR set. */
static uint64_t host_tsc_adjust;

int
hostcpu_set_cpuid(uint32_t leaf, uint32_t subleaf, const uint32_t regs[4])
{
	int i;

	for (i = 0; i < noverrides; i++)
		if (overrides[i].l_leaf == leaf &&
		    overrides[i].l_subleaf == subleaf)
			break;
	if (i == NOVERRIDES)
		return (-1);
	overrides[i].l_leaf = leaf;
	overrides[i].l_subleaf = subleaf;
	memcpy(overrides[i].l_regs, regs, sizeof(overrides[i].l_regs));
	if (i == noverrides)
		noverrides++;
	return (0);
}

void
hostcpu_reset(void)
{
	noverrides = 0;
}

static const uint32_t *
lookup(uint32_t leaf, uint32_t subleaf)
{
	size_t i;
	int j;

	for (j = 0; j < noverrides; j++)
		if (overrides[j].l_leaf == leaf &&
		    overrides[j].l_subleaf == subleaf)
			return (overrides[j].l_regs);
	for (i = 0; i < sizeof(epyc) / sizeof(epyc[0]); i++)
		if (epyc[i].l_leaf == leaf && epyc[i].l_subleaf == subleaf)
			return (epyc[i].l_regs);
	return (NULL);
}

void
seam_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	const uint32_t *r = lookup(leaf, subleaf);

	/* Leaves with sub-leaves the model does not list read as zero. */
	if (r == NULL && leaf != 0x7 && leaf != 0xd)
		r = lookup(leaf, 0);
	if (r == NULL)
		memset(regs, 0, 4 * sizeof(regs[0]));
	else
		memcpy(regs, r, 4 * sizeof(regs[0]));
}

unsigned int
hostcpu_cbit(void)
{
	uint32_t regs[4];

	seam_cpuid(0x8000001f, 0, regs);
	return (regs[1] & 0x3f);
}

uint64_t
cpu_cbit_mask(void)
{
	unsigned int pos = hostcpu_cbit();

	return (pos >= 12 && pos < 52 ? 1ULL << pos : 0);
}

#define MSR_EFER		0xc0000080U
#define MSR_TSC			0x00000010U
#define MSR_CR_PAT		0x00000277U
#define PAT_POWERON		0x0007040600070406ULL
#define MSR_VM_HSAVE_PA		0xc0010117U

uint64_t
seam_rdmsr(uint32_t msr)
{
	switch (msr) {
	case MSR_EFER:
		return (host_efer);
	case MSR_VM_HSAVE_PA:
		return (host_hsave_pa);
	case MSR_CR_PAT:
		/* The reset value: WB WT UC- UC, twice. */
		return (PAT_POWERON);
	case MSR_TSC:
		return (cpu_cycles() + host_tsc_adjust);
	default:
		return (0);
	}
}

void
seam_wrmsr(uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_EFER:
		host_efer = val;
		break;
	case MSR_VM_HSAVE_PA:
		host_hsave_pa = val;
		break;
	case MSR_TSC:
		host_tsc_adjust = val - cpu_cycles();
		break;
	default:
		break;
	}
}
