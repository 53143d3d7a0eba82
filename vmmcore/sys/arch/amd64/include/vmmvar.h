/*
 * vmmvar.h - the amd64 side of the vmm(4) interface: exit codes, the
 * structures vmd(8) exchanges with the kernel, and the SVM hardware
 * structures (VMCB, VMSA) with the per-vcpu state.
 *
 * Names, values and layouts follow OpenBSD's vmmvar.h so that a real
 * one can replace this file; only what sevemu's vmm uses is here.
 */
#ifndef _MACHINE_VMMVAR_H_
#define _MACHINE_VMMVAR_H_

#include <sys/types.h>

#define VMM_HV_SIGNATURE	"OpenBSDVMM58"

/* vrp_exit_reason values that are not hardware exit codes. */
#define VM_EXIT_TERMINATED			0xFFFE
#define VM_EXIT_NONE				0xFFFF

/* SVM exit codes (AMD64 APM vol. 2, appendix C). */
#define SVM_VMEXIT_DR7_READ			0x27
#define SVM_VMEXIT_DR7_WRITE			0x37
#define SVM_VMEXIT_INTR				0x60
#define SVM_VMEXIT_NMI				0x61
#define SVM_VMEXIT_SMI				0x62
#define SVM_VMEXIT_INIT				0x63
#define SVM_VMEXIT_VINTR			0x64
#define SVM_VMEXIT_RDTSC			0x6E
#define SVM_VMEXIT_RDPMC			0x6F
#define SVM_VMEXIT_PUSHF			0x70
#define SVM_VMEXIT_POPF				0x71
#define SVM_VMEXIT_CPUID			0x72
#define SVM_VMEXIT_RSM				0x73
#define SVM_VMEXIT_IRET				0x74
#define SVM_VMEXIT_SWINT			0x75
#define SVM_VMEXIT_INVD				0x76
#define SVM_VMEXIT_PAUSE			0x77
#define SVM_VMEXIT_HLT				0x78
#define SVM_VMEXIT_INVLPG			0x79
#define SVM_VMEXIT_INVLPGA			0x7A
#define SVM_VMEXIT_IOIO				0x7B
#define SVM_VMEXIT_MSR				0x7C
#define SVM_VMEXIT_TASK_SWITCH			0x7D
#define SVM_VMEXIT_FERR_FREEZE			0x7E
#define SVM_VMEXIT_SHUTDOWN			0x7F
#define SVM_VMEXIT_VMRUN			0x80
#define SVM_VMEXIT_VMMCALL			0x81
#define SVM_VMEXIT_VMLOAD			0x82
#define SVM_VMEXIT_VMSAVE			0x83
#define SVM_VMEXIT_STGI				0x84
#define SVM_VMEXIT_CLGI				0x85
#define SVM_VMEXIT_SKINIT			0x86
#define SVM_VMEXIT_RDTSCP			0x87
#define SVM_VMEXIT_ICEBP			0x88
#define SVM_VMEXIT_WBINVD			0x89
#define SVM_VMEXIT_MONITOR			0x8A
#define SVM_VMEXIT_MWAIT			0x8B
#define SVM_VMEXIT_MWAIT_CONDITIONAL		0x8C
#define SVM_VMEXIT_XSETBV			0x8D
#define SVM_VMEXIT_EFER_WRITE_TRAP		0x8F
#define SVM_VMEXIT_CR0_WRITE_TRAP		0x90
#define SVM_VMEXIT_CR3_WRITE_TRAP		0x93
#define SVM_VMEXIT_CR4_WRITE_TRAP		0x94
#define SVM_VMEXIT_CR8_WRITE_TRAP		0x98
#define SVM_VMEXIT_NPF				0x400
#define SVM_AVIC_INCOMPLETE_IPI			0x401
#define SVM_AVIC_NOACCEL			0x402
#define SVM_VMEXIT_VMGEXIT			0x403
#define SVM_VMEXIT_INVALID			-1

/* Exit codes only a GHCB carries (sw_exitcode). */
#define SEV_VMGEXIT_MMIO_READ			0x80000001
#define SEV_VMGEXIT_MMIO_WRITE			0x80000002
#define SEV_VMGEXIT_AP_RESET_HOLD		0x80000004
#define SEV_VMGEXIT_AP_JUMP_TABLE		0x80000005
#define SEV_VMGEXIT_HV_FEATURES			0x8000FFFD
#define SEV_VMGEXIT_UNSUPPORTED_EVENT		0x8000FFFF

/* Exceptions the vmm raises in a guest. */
#define VMM_EX_UD	6	/* invalid opcode #UD */
#define VMM_EX_GP	13	/* general protection #GP */

enum {
	VEI_DIR_OUT,
	VEI_DIR_IN
};

enum {
	VEE_FAULT_INVALID = 0,
	VEE_FAULT_HANDLED,
	VEE_FAULT_MMIO_ASSIST,
	VEE_FAULT_PROTECT,
};

struct vmm_softc_md {
	uint32_t		nr_rvi_cpus;
	uint32_t		nr_ept_cpus;
	uint8_t			pkru_enabled;
};

/* A port access vmd has to carry out. */
struct vm_exit_inout {
	uint8_t			vei_size;	/* 1, 2 or 4 bytes */
	uint8_t			vei_dir;	/* VEI_DIR_IN or VEI_DIR_OUT */
	uint8_t			vei_rep;
	uint8_t			vei_string;
	uint8_t			vei_encoding;
	uint16_t		vei_port;
	uint32_t		vei_data;	/* OUT: value; IN: vmd's */
	uint8_t			vei_insn_len;
};

/* A nested page fault vmd has to resolve. */
struct vm_exit_eptviolation {
	uint8_t		vee_fault_type;
	uint8_t		vee_insn_info;
#define VEE_LEN_VALID		0x1
#define VEE_BYTES_VALID		0x2
	uint8_t		vee_insn_len;
	uint8_t		vee_insn_bytes[15];
};

/*
 * An MMIO access an SEV-ES guest asked for through its GHCB: vmd sees
 * an NPF exit with fault type VEE_FAULT_MMIO_ASSIST, as for an MMIO
 * fault it has to emulate, but the access itself is spelled out.  For
 * a read vmd puts the value in vem_data.  (sevemu.)
 */
struct vm_exit_mmio {
	uint8_t		vem_fault_type;	/* as vee_fault_type */
	uint8_t		vem_dir;	/* VEI_DIR_IN: a read */
	uint8_t		vem_size;	/* 1 to 8 bytes */
	uint64_t	vem_gpa;
	uint64_t	vem_data;	/* little endian, vem_size bytes */
};
#define VM_EXIT_HAS_MMIO	1	/* struct vm_exit has vem */

struct vcpu_inject_event {
	uint8_t		vie_vector;
	uint32_t	vie_errorcode;
	uint8_t		vie_type;
#define VCPU_INJECT_NONE	0
#define VCPU_INJECT_INTR	1
#define VCPU_INJECT_EX		2
#define VCPU_INJECT_NMI		3
};

/* vsi_ar is in VMX access-rights format: type/S/DPL/P, then AVL/L/D/G. */
struct vcpu_segment_info {
	uint16_t	vsi_sel;
	uint32_t	vsi_limit;
	uint32_t	vsi_ar;
	uint64_t	vsi_base;
};

#define VCPU_REGS_RAX		0
#define VCPU_REGS_RCX		1
#define VCPU_REGS_RDX		2
#define VCPU_REGS_RBX		3
#define VCPU_REGS_RSP		4
#define VCPU_REGS_RBP		5
#define VCPU_REGS_RSI		6
#define VCPU_REGS_RDI		7
#define VCPU_REGS_R8		8
#define VCPU_REGS_R9		9
#define VCPU_REGS_R10		10
#define VCPU_REGS_R11		11
#define VCPU_REGS_R12		12
#define VCPU_REGS_R13		13
#define VCPU_REGS_R14		14
#define VCPU_REGS_R15		15
#define VCPU_REGS_RIP		16
#define VCPU_REGS_RFLAGS	17
#define VCPU_REGS_NGPRS		(VCPU_REGS_RFLAGS + 1)

#define VCPU_REGS_CR0		0
#define VCPU_REGS_CR2		1
#define VCPU_REGS_CR3		2
#define VCPU_REGS_CR4		3
#define VCPU_REGS_CR8		4
#define VCPU_REGS_XCR0		5
#define VCPU_REGS_PDPTE0	6
#define VCPU_REGS_PDPTE1	7
#define VCPU_REGS_PDPTE2	8
#define VCPU_REGS_PDPTE3	9
#define VCPU_REGS_NCRS		(VCPU_REGS_PDPTE3 + 1)

#define VCPU_REGS_ES		0
#define VCPU_REGS_CS		1
#define VCPU_REGS_SS		2
#define VCPU_REGS_DS		3
#define VCPU_REGS_FS		4
#define VCPU_REGS_GS		5
#define VCPU_REGS_LDTR		6
#define VCPU_REGS_TR		7
#define VCPU_REGS_NSREGS	(VCPU_REGS_TR + 1)

#define VCPU_REGS_EFER		0
#define VCPU_REGS_STAR		1
#define VCPU_REGS_LSTAR		2
#define VCPU_REGS_CSTAR		3
#define VCPU_REGS_SFMASK	4
#define VCPU_REGS_KGSBASE	5
#define VCPU_REGS_MISC_ENABLE	6
#define VCPU_REGS_NMSRS		(VCPU_REGS_MISC_ENABLE + 1)

#define VCPU_REGS_DR0		0
#define VCPU_REGS_DR1		1
#define VCPU_REGS_DR2		2
#define VCPU_REGS_DR3		3
#define VCPU_REGS_DR6		4
#define VCPU_REGS_DR7		5
#define VCPU_REGS_NDRS		(VCPU_REGS_DR7 + 1)

struct vcpu_reg_state {
	uint64_t			vrs_gprs[VCPU_REGS_NGPRS];
	uint64_t			vrs_crs[VCPU_REGS_NCRS];
	uint64_t			vrs_msrs[VCPU_REGS_NMSRS];
	uint64_t			vrs_drs[VCPU_REGS_NDRS];
	struct vcpu_segment_info	vrs_sregs[VCPU_REGS_NSREGS];
	struct vcpu_segment_info	vrs_gdtr;
	struct vcpu_segment_info	vrs_idtr;
};

/* What vmd gets back from a run, and hands in on the next one. */
struct vm_exit {
	union {
		struct vm_exit_inout		vei;
		struct vm_exit_eptviolation	vee;
		struct vm_exit_mmio		vem;
	};
	struct vcpu_reg_state		vrs;
	int				cpl;
};

struct vm_intr_params {
	uint32_t		vip_vm_id;
	uint32_t		vip_vcpu_id;
	uint16_t		vip_intr;
};

#define VM_RWREGS_GPRS	0x1
#define VM_RWREGS_SREGS	0x2
#define VM_RWREGS_CRS	0x4
#define VM_RWREGS_MSRS	0x8
#define VM_RWREGS_DRS	0x10
#define VM_RWREGS_ALL	(VM_RWREGS_GPRS | VM_RWREGS_SREGS | VM_RWREGS_CRS | \
    VM_RWREGS_MSRS | VM_RWREGS_DRS)

struct vm_rwregs_params {
	uint32_t		vrwp_vm_id;
	uint32_t		vrwp_vcpu_id;
	uint64_t		vrwp_mask;
	struct vcpu_reg_state	vrwp_regs;
};

/*
 * CPUID filtering: the host's features minus what a guest must not
 * see (virtualization, monitoring, power and debug machinery, features
 * the vmm does not virtualize).  *_MASK with ~ are exclude lists, the
 * others include lists.
 */
#define VMM_CPUIDECX_MASK ~(CPUIDECX_EST | CPUIDECX_TM2 | CPUIDECX_MWAIT | \
    CPUIDECX_PDCM | CPUIDECX_VMX | CPUIDECX_DTES64 | CPUIDECX_DSCPL | \
    CPUIDECX_SMX | CPUIDECX_CNXTID | CPUIDECX_SDBG | CPUIDECX_XTPR | \
    CPUIDECX_PCID | CPUIDECX_DCA | CPUIDECX_X2APIC | CPUIDECX_DEADLINE)
#define VMM_ECPUIDECX_MASK ~(CPUIDECX_SVM | CPUIDECX_MWAITX)
#define VMM_CPUIDEDX_MASK ~(CPUID_ACPI | CPUID_TM | CPUID_HTT | CPUID_DS | \
    CPUID_APIC | CPUID_PSN | CPUID_SS | CPUID_PBE | CPUID_MTRR | \
    CPUID_MCE | CPUID_MCA)
#define VMM_AMDSPEC_EBX_MASK ~(CPUIDEBX_IBPB | CPUIDEBX_IBRS | \
    CPUIDEBX_STIBP | CPUIDEBX_IBRS_ALWAYSON | CPUIDEBX_STIBP_ALWAYSON | \
    CPUIDEBX_IBRS_PREF | CPUIDEBX_SSBD | CPUIDEBX_VIRT_SSBD | \
    CPUIDEBX_SSBD_NOTREQ)
#define VMM_APMI_EDX_INCLUDE_MASK (CPUIDEDX_ITSC)
#define VMM_SEFF0EBX_MASK ~(SEFF0EBX_TSC_ADJUST | SEFF0EBX_SGX | \
    SEFF0EBX_HLE | SEFF0EBX_INVPCID | SEFF0EBX_RTM | SEFF0EBX_PQM | \
    SEFF0EBX_MPX | SEFF0EBX_PCOMMIT | SEFF0EBX_PT | SEFF0EBX_AVX512F | \
    SEFF0EBX_AVX512DQ | SEFF0EBX_AVX512IFMA | SEFF0EBX_AVX512PF | \
    SEFF0EBX_AVX512ER | SEFF0EBX_AVX512CD | SEFF0EBX_AVX512BW | \
    SEFF0EBX_AVX512VL)
#define VMM_SEFF0ECX_MASK (SEFF0ECX_UMIP)
#define VMM_SEFF0EDX_MASK (SEFF0EDX_MD_CLEAR)
#define VMM_FEAT_EFLAGS_MASK ~(CPUID_RDTSCP)
#define VMM_CPUID4_CACHE_TOPOLOGY_MASK	0x3FF

#ifdef _KERNEL

#include <sys/queue.h>
#include <sys/rwlock.h>

#include <machine/param.h>
#include <machine/fpu.h>

/* MSR permission map: two bits (read, write) per MSR. */
#define SVM_MSRIDX(m)			((m) / 4)
#define SVM_MSRBIT_R(m)			(1 << (((m) % 4) * 2))
#define SVM_MSRBIT_W(m)			(1 << (((m) % 4) * 2 + 1))

enum {
	VMM_MODE_UNKNOWN,
	VMM_MODE_EPT,
	VMM_MODE_RVI
};

struct vm;
struct vm_create_params;
struct vm_run_params;
struct region_descriptor;
struct cpu_info;
struct device;
struct proc;

struct vmcb_segment {
	uint16_t			vs_sel;		/* 000h */
	uint16_t			vs_attr;	/* 002h */
	uint32_t			vs_lim;		/* 004h */
	uint64_t			vs_base;	/* 008h */
};

/* v_np_enable bits. */
#define SVM_ENABLE_NP		(1ULL << 0)
#define SVM_ENABLE_SEV		(1ULL << 1)
#define SVM_SEVES_ENABLE	(1ULL << 2)

/* v_intr_shadow: the guest's RFLAGS.IF, all SEV-ES lets the host see. */
#define SMV_GUEST_INTR_MASK	(1ULL << 1)

#define SVM_LBRVIRT_ENABLE	(1ULL << 0)

/* The VMCB page: control area, then the state save area at 0x400. */
struct vmcb {
	union {
		struct {
			uint32_t	v_cr_rw;		/* 000h */
			uint32_t	v_dr_rw;		/* 004h */
			uint32_t	v_excp;			/* 008h */
			uint32_t	v_intercept1;		/* 00Ch */
			uint32_t	v_intercept2;		/* 010h */
			uint8_t		v_pad1[0x28];		/* 014h */
			uint16_t	v_pause_thr;		/* 03Ch */
			uint16_t	v_pause_ct;		/* 03Eh */
			uint64_t	v_iopm_pa;		/* 040h */
			uint64_t	v_msrpm_pa;		/* 048h */
			uint64_t	v_tsc_offset;		/* 050h */
			uint32_t	v_asid;			/* 058h */
			uint8_t		v_tlb_control;		/* 05Ch */
			uint8_t		v_pad2[0x3];		/* 05Dh */
			uint8_t		v_tpr;			/* 060h */
			uint8_t		v_irq;			/* 061h */
			uint8_t		v_intr_misc;		/* 062h */
			uint8_t		v_intr_masking;		/* 063h */
			uint8_t		v_intr_vector;		/* 064h */
			uint8_t		v_pad3[0x3];		/* 065h */
			uint64_t	v_intr_shadow;		/* 068h */
			uint64_t	v_exitcode;		/* 070h */
			uint64_t	v_exitinfo1;		/* 078h */
			uint64_t	v_exitinfo2;		/* 080h */
			uint64_t	v_exitintinfo;		/* 088h */
			uint64_t	v_np_enable;		/* 090h */
			uint64_t	v_avic_apic_bar;	/* 098h */
			uint64_t	v_ghcb_gpa;		/* 0A0h */
			uint64_t	v_eventinj;		/* 0A8h */
			uint64_t	v_n_cr3;		/* 0B0h */
			uint64_t	v_lbr_virt_enable;	/* 0B8h */
			uint64_t	v_vmcb_clean_bits;	/* 0C0h */
			uint64_t	v_nrip;			/* 0C8h */
			uint8_t		v_n_bytes_fetched;	/* 0D0h */
			uint8_t		v_guest_ins_bytes[0xf];	/* 0D1h */
			uint64_t	v_avic_apic_back_page;	/* 0E0h */
			uint64_t	v_pad5;			/* 0E8h */
			uint64_t	v_avic_logical_table;	/* 0F0h */
			uint64_t	v_avic_phys;		/* 0F8h */
			uint64_t	v_pad12;		/* 100h */
			uint64_t	v_vmsa_pa;		/* 108h */
		};
		uint8_t			vmcb_control[0x400];
	};

	/* Offsets below are from the start of the save area. */
	union {
		struct {
			struct vmcb_segment	v_es;		/* 000h */
			struct vmcb_segment	v_cs;		/* 010h */
			struct vmcb_segment	v_ss;		/* 020h */
			struct vmcb_segment	v_ds;		/* 030h */
			struct vmcb_segment	v_fs;		/* 040h */
			struct vmcb_segment	v_gs;		/* 050h */
			struct vmcb_segment	v_gdtr;		/* 060h */
			struct vmcb_segment	v_ldtr;		/* 070h */
			struct vmcb_segment	v_idtr;		/* 080h */
			struct vmcb_segment	v_tr;		/* 090h */
			uint8_t			v_pad6[0x2B];	/* 0A0h */
			uint8_t			v_cpl;		/* 0CBh */
			uint32_t		v_pad7;		/* 0CCh */
			uint64_t		v_efer;		/* 0D0h */
			uint8_t			v_pad8[0x70];	/* 0D8h */
			uint64_t		v_cr4;		/* 148h */
			uint64_t		v_cr3;		/* 150h */
			uint64_t		v_cr0;		/* 158h */
			uint64_t		v_dr7;		/* 160h */
			uint64_t		v_dr6;		/* 168h */
			uint64_t		v_rflags;	/* 170h */
			uint64_t		v_rip;		/* 178h */
			uint64_t		v_pad9[0xB];	/* 180h */
			uint64_t		v_rsp;		/* 1D8h */
			uint64_t		v_pad10[0x3];	/* 1E0h */
			uint64_t		v_rax;		/* 1F8h */
			uint64_t		v_star;		/* 200h */
			uint64_t		v_lstar;	/* 208h */
			uint64_t		v_cstar;	/* 210h */
			uint64_t		v_sfmask;	/* 218h */
			uint64_t		v_kgsbase;	/* 220h */
			uint64_t		v_sysenter_cs;	/* 228h */
			uint64_t		v_sysenter_esp;	/* 230h */
			uint64_t		v_sysenter_eip;	/* 238h */
			uint64_t		v_cr2;		/* 240h */
			uint64_t		v_pad11[0x4];	/* 248h */
			uint64_t		v_g_pat;	/* 268h */
			uint64_t		v_dbgctl;	/* 270h */
			uint64_t		v_br_from;	/* 278h */
			uint64_t		v_br_to;	/* 280h */
			uint64_t		v_lastexcpfrom;	/* 288h */
			uint64_t		v_lastexcpto;	/* 290h */
		};
		uint8_t				vmcb_layout[PAGE_SIZE - 0x400];
	};
};

/*
 * The VM save area of an SEV-ES guest: the guest's whole register
 * state, in a page of its own that the host only writes before launch.
 */
struct vmsa {
	struct vmcb_segment	v_es;		/* 000h */
	struct vmcb_segment	v_cs;		/* 010h */
	struct vmcb_segment	v_ss;		/* 020h */
	struct vmcb_segment	v_ds;		/* 030h */
	struct vmcb_segment	v_fs;		/* 040h */
	struct vmcb_segment	v_gs;		/* 050h */
	struct vmcb_segment	v_gdtr;		/* 060h */
	struct vmcb_segment	v_ldtr;		/* 070h */
	struct vmcb_segment	v_idtr;		/* 080h */
	struct vmcb_segment	v_tr;		/* 090h */
	uint64_t		v_pl0_ssp;	/* 0A0h */
	uint64_t		v_pl1_ssp;	/* 0A8h */
	uint64_t		v_pl2_ssp;	/* 0B0h */
	uint64_t		v_pl3_ssp;	/* 0B8h */
	uint64_t		v_u_cet;	/* 0C0h */
	uint8_t			v_pad1[0x2];	/* 0C8h */
	uint8_t			v_vmpl;		/* 0CAh */
	uint8_t			v_cpl;		/* 0CBh */
	uint8_t			v_pad2[0x4];	/* 0CCh */
	uint64_t		v_efer;		/* 0D0h */
	uint8_t			v_pad3[0x68];	/* 0D8h */
	uint64_t		v_xss;		/* 140h */
	uint64_t		v_cr4;		/* 148h */
	uint64_t		v_cr3;		/* 150h */
	uint64_t		v_cr0;		/* 158h */
	uint64_t		v_dr7;		/* 160h */
	uint64_t		v_dr6;		/* 168h */
	uint64_t		v_rflags;	/* 170h */
	uint64_t		v_rip;		/* 178h */
	uint64_t		v_dr0;		/* 180h */
	uint64_t		v_dr1;		/* 188h */
	uint64_t		v_dr2;		/* 190h */
	uint64_t		v_dr3;		/* 198h */
	uint64_t		v_dr0_addr_msk;	/* 1A0h */
	uint64_t		v_dr1_addr_msk;	/* 1A8h */
	uint64_t		v_dr2_addr_msk;	/* 1B0h */
	uint64_t		v_dr3_addr_msk;	/* 1B8h */
	uint8_t			v_pad4[0x18];	/* 1C0h */
	uint64_t		v_rsp;		/* 1D8h */
	uint64_t		v_s_cet;	/* 1E0h */
	uint64_t		v_ssp;		/* 1E8h */
	uint64_t		v_isst_addr;	/* 1F0h */
	uint64_t		v_rax;		/* 1F8h */
	uint64_t		v_star;		/* 200h */
	uint64_t		v_lstar;	/* 208h */
	uint64_t		v_cstar;	/* 210h */
	uint64_t		v_sfmask;	/* 218h */
	uint64_t		v_kgsbase;	/* 220h */
	uint64_t		v_sysenter_cs;	/* 228h */
	uint64_t		v_sysenter_esp;	/* 230h */
	uint64_t		v_sysenter_eip;	/* 238h */
	uint64_t		v_cr2;		/* 240h */
	uint8_t			v_pad5[0x20];	/* 248h */
	uint64_t		v_g_pat;	/* 268h */
	uint64_t		v_dbgctl;	/* 270h */
	uint64_t		v_br_from;	/* 278h */
	uint64_t		v_br_to;	/* 280h */
	uint64_t		v_lastexcpfrom;	/* 288h */
	uint64_t		v_lastexcpto;	/* 290h */
	uint8_t			v_pad6[0x48];	/* 298h */
	uint8_t			v_pad7[0x8];	/* 2E0h */
	uint32_t		v_pkru;		/* 2E8h */
	uint32_t		v_tsc_aux;	/* 2ECh */
	uint64_t		v_gst_tsc_scale;/* 2F0h */
	uint64_t		v_gst_tsc_off;	/* 2F8h */
	uint64_t		v_reg_prot_nce;	/* 300h */
	uint64_t		v_rcx;		/* 308h */
	uint64_t		v_rdx;		/* 310h */
	uint64_t		v_rbx;		/* 318h */
	uint64_t		v_pad8;		/* 320h */
	uint64_t		v_rbp;		/* 328h */
	uint64_t		v_rsi;		/* 330h */
	uint64_t		v_rdi;		/* 338h */
	uint64_t		v_r8;		/* 340h */
	uint64_t		v_r9;		/* 348h */
	uint64_t		v_r10;		/* 350h */
	uint64_t		v_r11;		/* 358h */
	uint64_t		v_r12;		/* 360h */
	uint64_t		v_r13;		/* 368h */
	uint64_t		v_r14;		/* 370h */
	uint64_t		v_r15;		/* 378h */
	uint8_t			v_pad9[0x10];	/* 380h */
	uint64_t		v_gst_exitinfo1;/* 390h */
	uint64_t		v_gst_exitinfo2;/* 398h */
	uint64_t		v_gst_exitiinfo;/* 3A0h */
	uint64_t		v_gst_nrip;	/* 3A8h */
	uint64_t		v_sev_features;	/* 3B0h */
	uint64_t		v_intr_ctrl;	/* 3B8h */
	uint64_t		v_gst_exitcode;	/* 3C0h */
	uint64_t		v_virtual_tom;	/* 3C8h */
	uint64_t		v_tlb_id;	/* 3D0h */
	uint64_t		v_pcup_id;	/* 3D8h */
	uint64_t		v_eventinj;	/* 3E0h */
	uint64_t		v_xcr0;		/* 3E8h */
	uint8_t			v_pad10[0x10];	/* 3F0h */
	uint64_t		v_x87_dp;	/* 400h */
	uint32_t		v_mxcsr;	/* 408h */
	uint16_t		v_x87_ftw;	/* 40Ch */
	uint16_t		v_x87_fsw;	/* 40Eh */
	uint16_t		v_x87_fcw;	/* 410h */
	uint16_t		v_x87_fop;	/* 412h */
	uint16_t		v_x87_ds;	/* 414h */
	uint16_t		v_x87_cs;	/* 416h */
	uint64_t		v_x87_rip;	/* 418h */
	uint8_t			v_fp_x87[0x50];	/* 420h */
	uint8_t			v_fp_xmm[0x100];/* 470h */
	uint8_t			v_fp_ymm[0x100];/* 570h */
	uint8_t			v_lbr_st[0x100];/* 670h */
	uint64_t		v_lbr_select;	/* 770h */
	uint64_t		v_ibs_fetch_ctl;/* 778h */
	uint64_t		v_ibs_fetch_la;	/* 780h */
	uint64_t		v_ibs_op_ctl;	/* 788h */
	uint64_t		v_ibs_op_rip;	/* 790h */
	uint64_t		v_ibs_op_data;	/* 798h */
	uint64_t		v_ibs_op_data2;	/* 7A0h */
	uint64_t		v_ibs_op_data3;	/* 7A8h */
	uint64_t		v_ibs_dc_la;	/* 7B0h */
	uint64_t		v_ibstgt_rip;	/* 7B8h */
	uint64_t		v_ic_ibs_xtd_ct;/* 7C0h */
};

/*
 * Under SEV-ES, VMRUN keeps the host's state in the VMSA layout, 0x400
 * bytes into the host save area page.
 */
#define SVM_HSA_OFFSET			0x400

struct vmx_invvpid_descriptor {
	uint64_t	vid_vpid;
	uint64_t	vid_addr;
};

struct vmx_invept_descriptor {
	uint64_t	vid_eptp;
	uint64_t	vid_reserved;
};

/*
 * Guest registers the hardware does not keep in the VMCB.  The world
 * switch code addresses these by offset: keep the layout.
 */
struct vcpu_gueststate {
	uint64_t	vg_rsi;			/* 0x00 */
	uint64_t	vg_rax;			/* 0x08 */
	uint64_t	vg_rbx;			/* 0x10 */
	uint64_t	vg_rcx;			/* 0x18 */
	uint64_t	vg_rdx;			/* 0x20 */
	uint64_t	vg_rdi;			/* 0x28 */
	uint64_t	vg_rbp;			/* 0x30 */
	uint64_t	vg_r8;			/* 0x38 */
	uint64_t	vg_r9;			/* 0x40 */
	uint64_t	vg_r10;			/* 0x48 */
	uint64_t	vg_r11;			/* 0x50 */
	uint64_t	vg_r12;			/* 0x58 */
	uint64_t	vg_r13;			/* 0x60 */
	uint64_t	vg_r14;			/* 0x68 */
	uint64_t	vg_r15;			/* 0x70 */
	uint64_t	vg_cr2;			/* 0x78 */
	uint64_t	vg_rip;			/* 0x80 */
	uint32_t	vg_exit_reason;		/* 0x88 */
	uint64_t	vg_rflags;		/* 0x90 */
	uint64_t	vg_xcr0;		/* 0x98 */
	uint64_t	vg_dr0;			/* 0xa0 */
	uint64_t	vg_dr1;			/* 0xa8 */
	uint64_t	vg_dr2;			/* 0xb0 */
	uint64_t	vg_dr3;			/* 0xb8 */
	uint64_t	vg_dr6;			/* 0xc0 */
};

/*
 * A virtual CPU.  Only the SVM members are here: sevemu's vmm drives
 * AMD SVM alone.  Pages are kept as a kernel VA (direct map) and the
 * host physical address the hardware is given.
 */
struct vcpu {
	struct savefpu vc_g_fpu;		/* first: 64-byte aligned */

	vaddr_t vc_control_va;			/* VMCB */
	paddr_t vc_control_pa;

	vaddr_t vc_vlapic_va;
	uint64_t vc_vlapic_pa;

	vaddr_t vc_msr_bitmap_va;		/* MSR permission map */
	uint64_t vc_msr_bitmap_pa;

	struct vm *vc_parent;
	uint32_t vc_id;
	uint16_t vc_vpid;			/* the ASID under SVM */
	u_int vc_state;
	SLIST_ENTRY(vcpu) vc_vcpu_link;

	uint8_t vc_virt_mode;

	struct rwlock vc_lock;

	struct cpu_info *vc_curcpu;
	struct cpu_info *vc_last_pcpu;
	struct vm_exit vc_exit;

	uint16_t vc_intr;
	uint8_t vc_irqready;

	uint8_t vc_fpuinited;

	uint64_t vc_h_xcr0;

	struct vcpu_gueststate vc_gueststate;
	struct vcpu_inject_event vc_inject;

	uint32_t vc_pvclock_version;
	paddr_t vc_pvclock_system_gpa;
	uint32_t vc_pvclock_system_tsc_mul;

	uint64_t vc_shadow_pat;

	uint32_t vc_pkru;

	vaddr_t vc_svm_hsa_va;			/* host save area */
	paddr_t vc_svm_hsa_pa;
	vaddr_t vc_svm_vmsa_va;			/* SEV-ES guest save area */
	paddr_t vc_svm_vmsa_pa;
	vaddr_t vc_svm_ghcb_va;			/* direct map of the GHCB */
	paddr_t vc_svm_ghcb_pa;			/* the GHCB's GPA */
	vaddr_t vc_svm_ioio_va;			/* I/O permission map */
	paddr_t vc_svm_ioio_pa;
	int vc_sev;
	int vc_seves;

	/*
	 * SEV-ES string I/O through the GHCB: vmd moves one element per
	 * exit, from or to the request's scratch area.  (sevemu.)
	 */
	vaddr_t vc_svm_scratch_va;		/* direct map of the area */
	uint32_t vc_svm_str_count;		/* elements requested */
	uint32_t vc_svm_str_done;		/* elements vmd has moved */

	/*
	 * The GHCB request in hand: the protocol version its page
	 * speaks, and the sw_exitinfo2 of a success answer for the
	 * events that return one.  (sevemu.)
	 */
	uint16_t vc_svm_ghcb_version;
	uint8_t vc_svm_ghcb_unversioned;	/* version 0 noted */
	uint64_t vc_svm_ghcb_info2;
};

SLIST_HEAD(vcpu_head, vcpu);

/* The world switch and VMX instructions (vmm_support.S in a kernel). */
void	vmm_dispatch_intr(vaddr_t);
int	vmxon(uint64_t *);
int	vmxoff(void);
int	vmclear(paddr_t *);
int	vmptrld(paddr_t *);
int	vmptrst(paddr_t *);
int	vmwrite(uint64_t, uint64_t);
int	vmread(uint64_t, uint64_t *);
int	invvpid(uint64_t, struct vmx_invvpid_descriptor *);
int	invept(uint64_t, struct vmx_invept_descriptor *);
int	vmx_enter_guest(paddr_t *, struct vcpu_gueststate *, int, uint8_t);
int	svm_enter_guest(uint64_t, struct vcpu_gueststate *,
    struct region_descriptor *);
int	svm_seves_enter_guest(uint64_t, vaddr_t, struct region_descriptor *);

void	start_vmm_on_cpu(struct cpu_info *);
void	stop_vmm_on_cpu(struct cpu_info *);
void	vmm_attach_machdep(struct device *, struct device *, void *);
int	vmm_start(void);
int	vmm_stop(void);
int	vm_impl_init(struct vm *, struct proc *);
void	vm_impl_deinit(struct vm *);
int	vcpu_init(struct vcpu *, struct vm_create_params *);
void	vcpu_deinit(struct vcpu *);
int	vcpu_reset_regs(struct vcpu *, struct vcpu_reg_state *);
int	svm_get_vmsa_pa(uint32_t, uint32_t, uint64_t *);

#endif /* _KERNEL */

#endif /* _MACHINE_VMMVAR_H_ */
