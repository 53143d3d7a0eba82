/*
 * cpu.c - the host CPU as the kernel knows it: one cpu_info, filled
 * from the machine's CPUID the way identcpu does at boot, and the
 * host's control registers.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/user.h>

#include <uvm/uvm_extern.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/fpu.h>
#include <machine/pmap.h>
#include <machine/segments.h>
#include <machine/specialreg.h>

#include "shim.h"

#define SHIM_MAX_ASID	0xFFF	/* the vmm's ASID bitmap holds 4096 */

struct cpu_info cpu_info_primary;

int cpu_id;
char cpu_vendor[16];
int cpuid_level;
int cpu_ebxfeature;
int cpu_ecxfeature;
int amd64_pos_cbit;
int amd64_min_noes_asid;
uint64_t xsave_mask;

/* vmd's thread, the only one, and its address space (uvm_map.c). */
static struct process process0 = { .ps_pid = 1, .ps_vmspace = &vmspace0 };
static struct user user0;
static struct proc proc0 = { .p_p = &process0, .p_addr = &user0,
	.p_vmspace = &vmspace0 };

/* The host's descriptor table, which VMRUN's host state would name. */
static uint64_t gdt_store[howmany(GDT_SIZE, sizeof(uint64_t))];

/* The host kernel's control registers: long mode, paging, XSAVE. */
static u_long host_cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
static u_long host_cr4 = CR4_PAE | CR4_OSXSAVE;
static uint64_t host_xcr0 = XFEATURE_X87;

/* identcpu: what the kernel learns about its CPU at boot. */
void
shim_cpu_boot(void)
{
	struct cpu_info *ci = &cpu_info_primary;
	uint32_t eax, ebx, ecx, edx, *brand;
	int i;

	memset(ci, 0, sizeof(*ci));
	ci->ci_self = ci;
	ci->ci_flags = CPUF_PRIMARY;
	ci->ci_curproc = &proc0;
	ci->ci_gdt = gdt_store;

	CPUID(0, eax, ebx, ecx, edx);
	cpuid_level = eax;
	memcpy(&cpu_vendor[0], &ebx, 4);
	memcpy(&cpu_vendor[4], &edx, 4);
	memcpy(&cpu_vendor[8], &ecx, 4);
	cpu_vendor[12] = '\0';

	CPUID(1, eax, ebx, ecx, edx);
	cpu_id = eax;
	cpu_ebxfeature = ebx;
	cpu_ecxfeature = ecx;
	ci->ci_feature_flags = edx;

	if (cpuid_level >= 7) {
		CPUID_LEAF(7, 0, eax, ebx, ecx, edx);
		ci->ci_feature_sefflags_ebx = ebx;
		ci->ci_feature_sefflags_ecx = ecx;
		ci->ci_feature_sefflags_edx = edx;
	}

	xsave_mask = 0;
	if ((cpu_ecxfeature & CPUIDECX_XSAVE) && cpuid_level >= 0xd) {
		CPUID_LEAF(0xd, 0, eax, ebx, ecx, edx);
		xsave_mask = eax & (XFEATURE_X87 | XFEATURE_SSE |
		    XFEATURE_AVX);
	}

	CPUID(0x80000000, eax, ebx, ecx, edx);
	ci->ci_pnfeatset = eax;
	if (ci->ci_pnfeatset >= 0x80000001) {
		CPUID(0x80000001, eax, ebx, ecx, edx);
		ci->ci_efeature_eax = eax;
		ci->ci_efeature_ecx = ecx;
		ci->ci_feature_eflags = edx;
	}
	if (ci->ci_pnfeatset >= 0x80000004) {
		brand = ci->ci_brand;
		for (i = 0; i < 3; i++, brand += 4)
			CPUID(0x80000002 + i, brand[0], brand[1], brand[2],
			    brand[3]);
	}
	if (ci->ci_pnfeatset >= 0x80000008) {
		CPUID(0x80000008, eax, ebx, ecx, edx);
		ci->ci_feature_amdspec_ebx = ebx;
	}

	if ((ci->ci_efeature_ecx & CPUIDECX_SVM) &&
	    ci->ci_pnfeatset >= CPUID_AMD_SVM_CAP) {
		ci->ci_vmm_flags |= CI_VMM_SVM;
		CPUID(CPUID_AMD_SVM_CAP, eax, ebx, ecx, edx);
		ci->ci_vmm_cap.vcc_svm.svm_max_asid = ebx > SHIM_MAX_ASID ?
		    SHIM_MAX_ASID : ebx;
		if (edx & AMD_SVM_FLUSH_BY_ASID_CAP)
			ci->ci_vmm_cap.vcc_svm.svm_flush_by_asid = 1;
		if (edx & AMD_SVM_VMCB_CLEAN_CAP)
			ci->ci_vmm_cap.vcc_svm.svm_vmcb_clean = 1;
		if (edx & AMD_SVM_DECODE_ASSIST_CAP)
			ci->ci_vmm_cap.vcc_svm.svm_decode_assist = 1;
		if (edx & AMD_SVM_NESTED_PAGING_CAP)
			ci->ci_vmm_flags |= CI_VMM_RVI;
	}

	amd64_pos_cbit = 0;
	amd64_min_noes_asid = 0;
	if (ci->ci_pnfeatset >= CPUID_AMD_SEV_CAP) {
		CPUID(CPUID_AMD_SEV_CAP, eax, ebx, ecx, edx);
		ci->ci_feature_amdsev_eax = eax;
		ci->ci_feature_amdsev_ebx = ebx;
		ci->ci_feature_amdsev_ecx = ecx;
		ci->ci_feature_amdsev_edx = edx;
		amd64_pos_cbit = ebx & 0x3f;
		amd64_min_noes_asid = edx;
	}
}

void
setregion(struct region_descriptor *rd, void *base, uint16_t limit)
{
	rd->rd_limit = limit;
	rd->rd_base = (uint64_t)(vaddr_t)base;
}

u_long
rcr0(void)
{
	return (host_cr0);
}

u_long
rcr2(void)
{
	return (0);
}

u_long
rcr3(void)
{
	return (kernel_pmap_store.pm_pdirpa);
}

u_long
rcr4(void)
{
	return (host_cr4);
}

void
lcr4(u_long cr4)
{
	host_cr4 = cr4;
}

uint64_t
xgetbv(uint32_t reg)
{
	return (reg == 0 ? host_xcr0 : 0);
}

void
xsetbv(uint32_t reg, uint64_t val)
{
	if (reg == 0)
		host_xcr0 = val;
}
