/*
 * machine/cpu.h - the host CPU: one cpu_info, an EPYC-class part whose
 * identity comes from the machine's CPUID (shim/cpu.c fills it in, as
 * identcpu does at boot).
 */
#ifndef _SHIM_MACHINE_CPU_H_
#define _SHIM_MACHINE_CPU_H_

#include <sys/types.h>
#include <sys/device.h>
#include <sys/rwlock.h>
#include <sys/sched.h>

#include <machine/frame.h>
#include <machine/psl.h>
#include <machine/segments.h>

struct device;
struct pmap;
struct proc;
struct vcpu;
struct x86_64_tss;

struct vmx {
	uint64_t	vmx_cr0_fixed0;
	uint64_t	vmx_cr0_fixed1;
	uint64_t	vmx_cr4_fixed0;
	uint64_t	vmx_cr4_fixed1;
	uint32_t	vmx_vmxon_revision;
	uint32_t	vmx_msr_table_size;
	uint32_t	vmx_cr3_tgt_count;
	uint8_t		vmx_has_l1_flush_msr;
	uint64_t	vmx_invept_mode;
};

struct svm {
	uint32_t	svm_max_asid;
	uint8_t		svm_flush_by_asid;
	uint8_t		svm_vmcb_clean;
	uint8_t		svm_decode_assist;
};

union vmm_cpu_cap {
	struct vmx	vcc_vmx;
	struct svm	vcc_svm;
};

/* VMXON's region starts with the VMCS revision the CPU reports. */
struct vmxon_region {
	uint32_t	vr_revision;
};

struct cpu_info {
	struct cpu_info	*ci_self;
	struct device	*ci_dev;
	struct proc	*ci_curproc;
	struct schedstate_percpu ci_schedstate;
	volatile u_int	ci_flags;
	u_int		ci_pflags;		/* CPUPF_*, this CPU only */
	u_int		ci_cpuid;

	uint32_t	ci_feature_flags;	/* CPUID 1 EDX */
	uint32_t	ci_feature_eflags;	/* CPUID 0x80000001 EDX */
	uint32_t	ci_efeature_eax;
	uint32_t	ci_efeature_ecx;
	uint32_t	ci_feature_sefflags_ebx;
	uint32_t	ci_feature_sefflags_ecx;
	uint32_t	ci_feature_sefflags_edx;
	uint32_t	ci_feature_amdspec_ebx;
	uint32_t	ci_feature_amdsev_eax;
	uint32_t	ci_feature_amdsev_ebx;
	uint32_t	ci_feature_amdsev_ecx;
	uint32_t	ci_feature_amdsev_edx;
	uint32_t	ci_pnfeatset;		/* highest extended leaf */
	uint32_t	ci_brand[12];

	void		*ci_gdt;
	struct x86_64_tss *ci_tss;		/* none: never loaded */

	uint32_t	ci_vmm_flags;
#define CI_VMM_VMX	(1 << 0)
#define CI_VMM_SVM	(1 << 1)
#define CI_VMM_RVI	(1 << 2)
#define CI_VMM_EPT	(1 << 3)
#define CI_VMM_DIS	(1 << 4)
	union vmm_cpu_cap ci_vmm_cap;
	/* VMX state: the machine has no VMX, these stay empty. */
	paddr_t		ci_vmxon_region_pa;
	struct vmxon_region *ci_vmxon_region;
	paddr_t		ci_vmcs_pa;
	struct rwlock	ci_vmcs_lock;
	struct pmap	*ci_ept_pmap;
	struct vcpu	*ci_guest_vcpu;	/* last vcpu entered */

	/*
	 * Not in a kernel: what the machine's VMRUN last reported, for the
	 * runner, which wants the hardware's exit code rather than the one
	 * a handler may have rewritten in the VMCB.
	 */
	uint64_t	ci_vmexit_count;
	uint64_t	ci_vmexit_code;
};

#define CPUF_PRIMARY	0x0008
#define CPUF_VMM	0x20000

#define CPUPF_USERXSTATE 0x02		/* the FPU holds curproc's state */

extern struct cpu_info cpu_info_primary;
#define curcpu()	(&cpu_info_primary)

#define CPU_INFO_ITERATOR		int
#define CPU_INFO_FOREACH(cii, ci)					\
	for ((cii) = 0, (ci) = curcpu(); (cii) == 0; (cii)++)
#define CPU_IS_PRIMARY(ci)	((ci)->ci_flags & CPUF_PRIMARY)
#define CPU_BUSY_CYCLE()	__asm volatile("pause" ::: "memory")

extern int cpu_id;
extern char cpu_vendor[];
extern int cpuid_level;
extern int cpu_ebxfeature;
extern int cpu_ecxfeature;
extern int amd64_pos_cbit;
extern int amd64_min_noes_asid;

/* The TSC's rate in Hz (0: unknown), and whether it is invariant. */
extern uint64_t tsc_frequency;
extern int tsc_is_invariant;

#include <machine/cpufunc.h>

#endif /* _SHIM_MACHINE_CPU_H_ */
