/*
 * vmm_machdep.c - the amd64 part of vmm(4) for AMD SVM with SEV-ES:
 * vcpu setup, the run loop and the exit handlers, including the GHCB
 * protocol (AMD GHCB specification 56421) an SEV-ES guest talks to its
 * hypervisor through.
 *
 * The functions have the names and shapes of OpenBSD's, so that this
 * file and the real one are interchangeable above the shim.  Where the
 * behaviour differs it is said at the function: requests OpenBSD
 * silently ignores are declined here with an error, and an RDMSR
 * through the GHCB returns its result.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/device.h>
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/user.h>
#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/refcnt.h>
#include <sys/rwlock.h>
#include <sys/pledge.h>
#include <sys/memrange.h>
#include <sys/tracepoint.h>

#include <uvm/uvm_extern.h>

#include <machine/fpu.h>
#include <machine/pmap.h>
#include <machine/biosvar.h>
#include <machine/segments.h>
#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/specialreg.h>
#include <machine/ghcb.h>
#include <machine/vmmvar.h>

#include <dev/isa/isareg.h>
#include <dev/pv/pvreg.h>

#include <dev/vmm/vmm.h>

/* SVM IOIO exit information (exitinfo1), APM vol. 2, 15.10.2. */
#define SVM_IOIO_IN		0x00000001
#define SVM_IOIO_STR		0x00000004
#define SVM_IOIO_REP		0x00000008
#define SVM_IOIO_SZ8		0x00000010
#define SVM_IOIO_SZ16		0x00000020
#define SVM_IOIO_SZ32		0x00000040
#define SVM_IOIO_PORT_SHIFT	16

/* GHCB MSR protocol fields around the request code in bits 11:0. */
#define MSR_PROTO_CODE(v)	((v) & 0xfffULL)
#define MSR_PROTO_CPUID_REG(v)	(((v) >> 30) & 0x3)
#define MSR_PROTO_CPUID_FN(v)	((uint32_t)((v) >> 32))
#define MSR_PROTO_TERM_SET(v)	(((v) >> 12) & 0xf)
#define MSR_PROTO_TERM_CODE(v)	(((v) >> 16) & 0xff)

/* The highest extended CPUID leaf vmm_handle_cpuid answers for. */
#define VMM_CPUID_EXT_MAX	0x8000001f

int	vcpu_readregs_svm(struct vcpu *, uint64_t, struct vcpu_reg_state *);
int	vcpu_writeregs_svm(struct vcpu *, uint64_t, struct vcpu_reg_state *);
int	vcpu_reset_regs_svm(struct vcpu *, struct vcpu_reg_state *);
int	vcpu_svm_init_vmsa(struct vcpu *, struct vcpu_reg_state *);
int	vcpu_init_svm(struct vcpu *, struct vm_create_params *);
void	vcpu_deinit_svm(struct vcpu *);
int	vcpu_run_svm(struct vcpu *, struct vm_run_params *);
void	svm_setmsrbr(struct vcpu *, uint32_t);
void	svm_setmsrbw(struct vcpu *, uint32_t);
void	svm_setmsrbrw(struct vcpu *, uint32_t);
void	svm_set_clean(struct vcpu *, uint32_t);
void	svm_set_dirty(struct vcpu *, uint32_t);
int	svm_get_iflag(struct vcpu *, uint64_t);
int	svm_handle_exit(struct vcpu *);
int	svm_handle_hlt(struct vcpu *);
int	svm_handle_efercr(struct vcpu *, uint64_t);
int	svm_handle_vmgexit(struct vcpu *);
int	svm_vmgexit_sync_host(struct vcpu *);
int	svm_vmgexit_sync_guest(struct vcpu *);
int	svm_handle_inout(struct vcpu *);
int	svm_handle_msr(struct vcpu *);
int	vmm_handle_cpuid(struct vcpu *);
int	vmm_pat_is_valid(uint64_t);
int	vmm_alloc_vpid_vcpu(uint16_t *, struct vcpu *);
int	vmm_alloc_asid(uint16_t *, struct vcpu *);
void	vmm_free_vpid(uint16_t);

static int svm_vmgexit_msr_protocol(struct vcpu *);
static const char *svm_ghcb_missing(uint8_t *, uint8_t *);

const char *vmm_hv_signature = VMM_HV_SIGNATURE;

/* Permission maps are read by the CPU: physically contiguous pages. */
const struct kmem_pa_mode vmm_kp_contig = {
	.kp_constraint = &no_constraint,
	.kp_maxseg = 1,
	.kp_align = 4096,
	.kp_zero = 1,
};

/* The GHCB fields a request may have to provide, for error messages. */
static const struct {
	int		 gf_off;
	const char	*gf_name;
} ghcb_fields[] = {
	{ GHCB_SW_EXITCODE,	"sw_exitcode" },
	{ GHCB_SW_EXITINFO1,	"sw_exitinfo1" },
	{ GHCB_SW_EXITINFO2,	"sw_exitinfo2" },
	{ GHCB_SW_SCRATCH,	"sw_scratch" },
	{ GHCB_RAX,		"RAX" },
	{ GHCB_RBX,		"RBX" },
	{ GHCB_RCX,		"RCX" },
	{ GHCB_RDX,		"RDX" },
	{ GHCB_XCR0,		"XCR0" },
	{ GHCB_XSS,		"XSS" },
};

void
vmm_attach_machdep(struct device *parent, struct device *self, void *aux)
{
	struct vmm_softc *sc = (struct vmm_softc *)self;
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;

	sc->sc_md.nr_rvi_cpus = 0;
	sc->sc_md.nr_ept_cpus = 0;
	CPU_INFO_FOREACH(cii, ci) {
		if (ci->ci_vmm_flags & CI_VMM_RVI)
			sc->sc_md.nr_rvi_cpus++;
		if (ci->ci_vmm_flags & CI_VMM_EPT)
			sc->sc_md.nr_ept_cpus++;
	}
	sc->sc_md.pkru_enabled = 0;

	/* Only SVM with nested paging: this vmm has no VMX side. */
	if (sc->sc_md.nr_rvi_cpus) {
		sc->mode = VMM_MODE_RVI;
		sc->max_vpid = curcpu()->ci_vmm_cap.vcc_svm.svm_max_asid;
	} else {
		printf("%s: the CPU has no SVM with nested paging\n",
		    __func__);
		sc->mode = VMM_MODE_UNKNOWN;
		sc->max_vpid = 0;
	}

	memset(&sc->vpids, 0, sizeof(sc->vpids));
	rw_init(&sc->vpid_lock, "vpid");
}

/* Turns SVM on (EFER.SVME) on the CPU; a no-op if already on. */
int
vmm_start(void)
{
	struct cpu_info *self = curcpu();
	int rv = 0;

	rw_enter_write(&vmm_softc->sc_slock);
	if (!(self->ci_flags & CPUF_VMM)) {
		start_vmm_on_cpu(self);
		if (!(self->ci_flags & CPUF_VMM)) {
			printf("%s: cannot enable SVM on the CPU\n", __func__);
			rv = EIO;
		}
	}
	rw_exit_write(&vmm_softc->sc_slock);

	return (rv);
}

int
vmm_stop(void)
{
	struct cpu_info *self = curcpu();

	rw_enter_write(&vmm_softc->sc_slock);
	if (self->ci_flags & CPUF_VMM)
		stop_vmm_on_cpu(self);
	rw_exit_write(&vmm_softc->sc_slock);

	return (0);
}

void
start_vmm_on_cpu(struct cpu_info *ci)
{
	uint64_t msr;

	if ((ci->ci_vmm_flags & CI_VMM_SVM) == 0)
		return;

	msr = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, msr | EFER_SVME);
	atomic_setbits_int(&ci->ci_flags, CPUF_VMM);
}

void
stop_vmm_on_cpu(struct cpu_info *ci)
{
	uint64_t msr;

	if (!(ci->ci_flags & CPUF_VMM))
		return;

	msr = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, msr & ~EFER_SVME);
	atomic_clearbits_int(&ci->ci_flags, CPUF_VMM);
}

int
vm_impl_init(struct vm *vm, struct proc *p)
{
	if (vmm_softc->mode != VMM_MODE_RVI) {
		printf("%s: vmm mode %d is not SVM/RVI\n", __func__,
		    vmm_softc->mode);
		return (ENODEV);
	}

	pmap_convert(vm->vm_pmap, PMAP_TYPE_RVI);

	return (0);
}

void
vm_impl_deinit(struct vm *vm)
{
}

/*
 * Copies the vcpu's registers out for vmd.  Under SEV-ES the VMCB's
 * save area holds only what the host wrote there: the guest's real
 * registers are in the encrypted VMSA.
 */
int
vcpu_readregs_svm(struct vcpu *vcpu, uint64_t regmask,
    struct vcpu_reg_state *vrs)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	struct vmcb_segment *segs[VCPU_REGS_NSREGS] = {
		&vmcb->v_es, &vmcb->v_cs, &vmcb->v_ss, &vmcb->v_ds,
		&vmcb->v_fs, &vmcb->v_gs, &vmcb->v_ldtr, &vmcb->v_tr
	};
	uint64_t *gprs = vrs->vrs_gprs;
	int i;

	if (regmask & VM_RWREGS_GPRS) {
		gprs[VCPU_REGS_RAX] = vmcb->v_rax;
		gprs[VCPU_REGS_RBX] = vg->vg_rbx;
		gprs[VCPU_REGS_RCX] = vg->vg_rcx;
		gprs[VCPU_REGS_RDX] = vg->vg_rdx;
		gprs[VCPU_REGS_RSI] = vg->vg_rsi;
		gprs[VCPU_REGS_RDI] = vg->vg_rdi;
		gprs[VCPU_REGS_R8] = vg->vg_r8;
		gprs[VCPU_REGS_R9] = vg->vg_r9;
		gprs[VCPU_REGS_R10] = vg->vg_r10;
		gprs[VCPU_REGS_R11] = vg->vg_r11;
		gprs[VCPU_REGS_R12] = vg->vg_r12;
		gprs[VCPU_REGS_R13] = vg->vg_r13;
		gprs[VCPU_REGS_R14] = vg->vg_r14;
		gprs[VCPU_REGS_R15] = vg->vg_r15;
		gprs[VCPU_REGS_RBP] = vg->vg_rbp;
		gprs[VCPU_REGS_RIP] = vmcb->v_rip;
		gprs[VCPU_REGS_RSP] = vmcb->v_rsp;
		gprs[VCPU_REGS_RFLAGS] = vmcb->v_rflags;
	}

	if (regmask & VM_RWREGS_SREGS) {
		/* SVM packs AVL/L/D/G into bits 11:8, VMX keeps 15:12. */
		for (i = 0; i < VCPU_REGS_NSREGS; i++) {
			vrs->vrs_sregs[i].vsi_sel = segs[i]->vs_sel;
			vrs->vrs_sregs[i].vsi_limit = segs[i]->vs_lim;
			vrs->vrs_sregs[i].vsi_ar = (segs[i]->vs_attr & 0xff) |
			    ((segs[i]->vs_attr << 4) & 0xf000);
			vrs->vrs_sregs[i].vsi_base = segs[i]->vs_base;
		}
		vrs->vrs_gdtr.vsi_limit = vmcb->v_gdtr.vs_lim;
		vrs->vrs_gdtr.vsi_base = vmcb->v_gdtr.vs_base;
		vrs->vrs_idtr.vsi_limit = vmcb->v_idtr.vs_lim;
		vrs->vrs_idtr.vsi_base = vmcb->v_idtr.vs_base;
	}

	if (regmask & VM_RWREGS_CRS) {
		vrs->vrs_crs[VCPU_REGS_CR0] = vmcb->v_cr0;
		vrs->vrs_crs[VCPU_REGS_CR2] = vg->vg_cr2;
		vrs->vrs_crs[VCPU_REGS_CR3] = vmcb->v_cr3;
		vrs->vrs_crs[VCPU_REGS_CR4] = vmcb->v_cr4;
		vrs->vrs_crs[VCPU_REGS_XCR0] = vg->vg_xcr0;
	}

	if (regmask & VM_RWREGS_MSRS) {
		vrs->vrs_msrs[VCPU_REGS_EFER] = vmcb->v_efer;
		vrs->vrs_msrs[VCPU_REGS_STAR] = vmcb->v_star;
		vrs->vrs_msrs[VCPU_REGS_LSTAR] = vmcb->v_lstar;
		vrs->vrs_msrs[VCPU_REGS_CSTAR] = vmcb->v_cstar;
		vrs->vrs_msrs[VCPU_REGS_SFMASK] = vmcb->v_sfmask;
		vrs->vrs_msrs[VCPU_REGS_KGSBASE] = vmcb->v_kgsbase;
	}

	if (regmask & VM_RWREGS_DRS) {
		vrs->vrs_drs[VCPU_REGS_DR0] = vg->vg_dr0;
		vrs->vrs_drs[VCPU_REGS_DR1] = vg->vg_dr1;
		vrs->vrs_drs[VCPU_REGS_DR2] = vg->vg_dr2;
		vrs->vrs_drs[VCPU_REGS_DR3] = vg->vg_dr3;
		vrs->vrs_drs[VCPU_REGS_DR6] = vmcb->v_dr6;
		vrs->vrs_drs[VCPU_REGS_DR7] = vmcb->v_dr7;
	}

	return (0);
}

/* Loads vmd's register state into the VMCB and the vcpu. */
int
vcpu_writeregs_svm(struct vcpu *vcpu, uint64_t regmask,
    struct vcpu_reg_state *vrs)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	struct vmcb_segment *segs[VCPU_REGS_NSREGS] = {
		&vmcb->v_es, &vmcb->v_cs, &vmcb->v_ss, &vmcb->v_ds,
		&vmcb->v_fs, &vmcb->v_gs, &vmcb->v_ldtr, &vmcb->v_tr
	};
	uint64_t *gprs = vrs->vrs_gprs;
	uint32_t ar;
	int i;

	if (regmask & VM_RWREGS_GPRS) {
		vg->vg_rax = gprs[VCPU_REGS_RAX];
		vg->vg_rbx = gprs[VCPU_REGS_RBX];
		vg->vg_rcx = gprs[VCPU_REGS_RCX];
		vg->vg_rdx = gprs[VCPU_REGS_RDX];
		vg->vg_rsi = gprs[VCPU_REGS_RSI];
		vg->vg_rdi = gprs[VCPU_REGS_RDI];
		vg->vg_r8 = gprs[VCPU_REGS_R8];
		vg->vg_r9 = gprs[VCPU_REGS_R9];
		vg->vg_r10 = gprs[VCPU_REGS_R10];
		vg->vg_r11 = gprs[VCPU_REGS_R11];
		vg->vg_r12 = gprs[VCPU_REGS_R12];
		vg->vg_r13 = gprs[VCPU_REGS_R13];
		vg->vg_r14 = gprs[VCPU_REGS_R14];
		vg->vg_r15 = gprs[VCPU_REGS_R15];
		vg->vg_rbp = gprs[VCPU_REGS_RBP];
		vg->vg_rip = gprs[VCPU_REGS_RIP];

		vmcb->v_rax = gprs[VCPU_REGS_RAX];
		vmcb->v_rip = gprs[VCPU_REGS_RIP];
		vmcb->v_rsp = gprs[VCPU_REGS_RSP];
		vmcb->v_rflags = gprs[VCPU_REGS_RFLAGS];
	}

	if (regmask & VM_RWREGS_SREGS) {
		for (i = 0; i < VCPU_REGS_NSREGS; i++) {
			ar = vrs->vrs_sregs[i].vsi_ar;
			segs[i]->vs_sel = vrs->vrs_sregs[i].vsi_sel;
			segs[i]->vs_lim = vrs->vrs_sregs[i].vsi_limit;
			segs[i]->vs_attr = (ar & 0xff) | ((ar >> 4) & 0xf00);
			segs[i]->vs_base = vrs->vrs_sregs[i].vsi_base;
		}
		vmcb->v_gdtr.vs_lim = vrs->vrs_gdtr.vsi_limit;
		vmcb->v_gdtr.vs_base = vrs->vrs_gdtr.vsi_base;
		vmcb->v_idtr.vs_lim = vrs->vrs_idtr.vsi_limit;
		vmcb->v_idtr.vs_base = vrs->vrs_idtr.vsi_base;
	}

	if (regmask & VM_RWREGS_CRS) {
		vmcb->v_cr0 = vrs->vrs_crs[VCPU_REGS_CR0];
		vmcb->v_cr3 = vrs->vrs_crs[VCPU_REGS_CR3];
		vmcb->v_cr4 = vrs->vrs_crs[VCPU_REGS_CR4];
		vg->vg_cr2 = vrs->vrs_crs[VCPU_REGS_CR2];
		vg->vg_xcr0 = vrs->vrs_crs[VCPU_REGS_XCR0];
	}

	if (regmask & VM_RWREGS_MSRS) {
		/* OR: SVME, set by the caller, must stay set. */
		vmcb->v_efer |= vrs->vrs_msrs[VCPU_REGS_EFER];
		vmcb->v_star = vrs->vrs_msrs[VCPU_REGS_STAR];
		vmcb->v_lstar = vrs->vrs_msrs[VCPU_REGS_LSTAR];
		vmcb->v_cstar = vrs->vrs_msrs[VCPU_REGS_CSTAR];
		vmcb->v_sfmask = vrs->vrs_msrs[VCPU_REGS_SFMASK];
		vmcb->v_kgsbase = vrs->vrs_msrs[VCPU_REGS_KGSBASE];
	}

	if (regmask & VM_RWREGS_DRS) {
		vg->vg_dr0 = vrs->vrs_drs[VCPU_REGS_DR0];
		vg->vg_dr1 = vrs->vrs_drs[VCPU_REGS_DR1];
		vg->vg_dr2 = vrs->vrs_drs[VCPU_REGS_DR2];
		vg->vg_dr3 = vrs->vrs_drs[VCPU_REGS_DR3];
		vmcb->v_dr6 = vrs->vrs_drs[VCPU_REGS_DR6];
		vmcb->v_dr7 = vrs->vrs_drs[VCPU_REGS_DR7];
	}

	return (0);
}

int
vcpu_reset_regs(struct vcpu *vcpu, struct vcpu_reg_state *vrs)
{
	if (vmm_softc->mode != VMM_MODE_RVI) {
		printf("%s: vmm mode %d is not SVM/RVI\n", __func__,
		    vmm_softc->mode);
		return (ENODEV);
	}

	return (vcpu_reset_regs_svm(vcpu, vrs));
}

/*
 * Sets up the VMCB for a fresh vcpu: what to intercept, the permission
 * maps, nested paging and SEV-ES, then the initial registers.
 */
int
vcpu_reset_regs_svm(struct vcpu *vcpu, struct vcpu_reg_state *vrs)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	int ret;

	/*
	 * Everything that lets the guest reach the host's hardware or its
	 * own virtualization exits.  INTR exits are what give the host its
	 * CPU back.
	 */
	vmcb->v_intercept1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI |
	    SVM_INTERCEPT_CPUID | SVM_INTERCEPT_HLT | SVM_INTERCEPT_INOUT |
	    SVM_INTERCEPT_MSR | SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_INVLPGA;
	vmcb->v_intercept2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
	    SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI |
	    SVM_INTERCEPT_CLGI | SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_ICEBP |
	    SVM_INTERCEPT_MWAIT_UNCOND | SVM_INTERCEPT_MONITOR |
	    SVM_INTERCEPT_MWAIT_COND | SVM_INTERCEPT_RDTSCP;

	/* The host cannot load an SEV-ES guest's XCR0: XSETBV is its own. */
	if (xsave_mask && !vcpu->vc_seves)
		vmcb->v_intercept2 |= SVM_INTERCEPT_XSETBV;

	/*
	 * An SEV-ES guest's EFER/CR0/CR4 writes cannot be intercepted
	 * before they happen; the traps after them keep the VMCB's copy
	 * current.
	 */
	if (vcpu->vc_seves) {
		vmcb->v_intercept2 |= SVM_INTERCEPT_EFER_WRITE;
		vmcb->v_intercept2 |= SVM_INTERCEPT_CR0_WRITE_POST;
		vmcb->v_intercept2 |= SVM_INTERCEPT_CR4_WRITE_POST;
	}

	/* Every port exits. */
	memset((uint8_t *)vcpu->vc_svm_ioio_va, 0xFF, 3 * PAGE_SIZE);
	vmcb->v_iopm_pa = (uint64_t)vcpu->vc_svm_ioio_pa;

	/* Every MSR exits, but those harmless to share. */
	memset((uint8_t *)vcpu->vc_msr_bitmap_va, 0xFF, 2 * PAGE_SIZE);
	vmcb->v_msrpm_pa = (uint64_t)vcpu->vc_msr_bitmap_pa;
	svm_setmsrbrw(vcpu, MSR_IA32_FEATURE_CONTROL);
	svm_setmsrbrw(vcpu, MSR_SYSENTER_CS);
	svm_setmsrbrw(vcpu, MSR_SYSENTER_ESP);
	svm_setmsrbrw(vcpu, MSR_SYSENTER_EIP);
	svm_setmsrbrw(vcpu, MSR_STAR);
	svm_setmsrbrw(vcpu, MSR_LSTAR);
	svm_setmsrbrw(vcpu, MSR_CSTAR);
	svm_setmsrbrw(vcpu, MSR_SFMASK);
	svm_setmsrbrw(vcpu, MSR_FSBASE);
	svm_setmsrbrw(vcpu, MSR_GSBASE);
	svm_setmsrbrw(vcpu, MSR_KERNELGSBASE);
	svm_setmsrbrw(vcpu, MSR_SEV_STATUS);

	if (vcpu->vc_seves) {
		/*
		 * The guest names its GHCB through MSR_SEV_GHCB, and owns
		 * EFER (the host only sees the writes, see above).
		 */
		svm_setmsrbrw(vcpu, MSR_SEV_GHCB);
		svm_setmsrbr(vcpu, MSR_XSS);
		svm_setmsrbrw(vcpu, MSR_EFER);
	} else {
		/* Read-only, so that SVME stays set. */
		svm_setmsrbr(vcpu, MSR_EFER);
	}

	svm_setmsrbr(vcpu, MSR_TSC);
	svm_setmsrbr(vcpu, MSR_HWCR);
	svm_setmsrbr(vcpu, MSR_PSTATEDEF(0));

	vmcb->v_asid = vcpu->vc_vpid;
	vmcb->v_tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	vmcb->v_intr_masking = 1;
	vmcb->v_g_pat = PATENTRY(0, PAT_WB) | PATENTRY(1, PAT_WC) |
	    PATENTRY(2, PAT_UCMINUS) | PATENTRY(3, PAT_UC) |
	    PATENTRY(4, PAT_WB) | PATENTRY(5, PAT_WC) |
	    PATENTRY(6, PAT_UCMINUS) | PATENTRY(7, PAT_UC);

	vmcb->v_np_enable = SVM_ENABLE_NP;
	vmcb->v_n_cr3 = vcpu->vc_parent->vm_pmap->pm_pdirpa;

	if (vcpu->vc_sev)
		vmcb->v_np_enable |= SVM_ENABLE_SEV;

	if (vcpu->vc_seves) {
		vmcb->v_np_enable |= SVM_SEVES_ENABLE;
		vmcb->v_lbr_virt_enable |= SVM_LBRVIRT_ENABLE;
		vmcb->v_vmsa_pa = vcpu->vc_svm_vmsa_pa;
	}

	/* VMRUN refuses a guest EFER without SVME. */
	vmcb->v_efer |= EFER_SVME;

	if ((ret = vcpu_writeregs_svm(vcpu, VM_RWREGS_ALL, vrs)) != 0)
		return (ret);

	vcpu->vc_gueststate.vg_xcr0 = XFEATURE_X87 & xsave_mask;

	return (vcpu_svm_init_vmsa(vcpu, vrs));
}

/*
 * Seeds an SEV-ES guest's VMSA: the save area just built in the VMCB
 * (the two share a layout), the general registers, which the VMCB has
 * no room for, and a power-on FPU.
 */
int
vcpu_svm_init_vmsa(struct vcpu *vcpu, struct vcpu_reg_state *vrs)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	uint64_t *gprs = vrs->vrs_gprs;
	struct vmsa *vmsa;

	if (!vcpu->vc_seves)
		return (0);

	vmsa = (struct vmsa *)vcpu->vc_svm_vmsa_va;
	memcpy(vmsa, &vmcb->vmcb_layout, sizeof(vmcb->vmcb_layout));

	vmsa->v_rax = gprs[VCPU_REGS_RAX];
	vmsa->v_rbx = gprs[VCPU_REGS_RBX];
	vmsa->v_rcx = gprs[VCPU_REGS_RCX];
	vmsa->v_rdx = gprs[VCPU_REGS_RDX];
	vmsa->v_rsp = gprs[VCPU_REGS_RSP];
	vmsa->v_rbp = gprs[VCPU_REGS_RBP];
	vmsa->v_rsi = gprs[VCPU_REGS_RSI];
	vmsa->v_rdi = gprs[VCPU_REGS_RDI];
	vmsa->v_r8 = gprs[VCPU_REGS_R8];
	vmsa->v_r9 = gprs[VCPU_REGS_R9];
	vmsa->v_r10 = gprs[VCPU_REGS_R10];
	vmsa->v_r11 = gprs[VCPU_REGS_R11];
	vmsa->v_r12 = gprs[VCPU_REGS_R12];
	vmsa->v_r13 = gprs[VCPU_REGS_R13];
	vmsa->v_r14 = gprs[VCPU_REGS_R14];
	vmsa->v_r15 = gprs[VCPU_REGS_R15];
	vmsa->v_rip = gprs[VCPU_REGS_RIP];

	vmsa->v_xcr0 = vcpu->vc_gueststate.vg_xcr0;
	vmsa->v_x87_fcw = __INITIAL_NPXCW__;
	vmsa->v_mxcsr = __INITIAL_MXCSR__;

	return (0);
}

/*
 * The MSR permission map has three 2 KB regions, for MSRs 0-0x1fff,
 * 0xc0000000-0xc0001fff and 0xc0010000-0xc0011fff, with a read and a
 * write bit per MSR; a clear bit lets the access through.  Returns the
 * byte index and the MSR's number within its region, or -1.
 */
static int
svm_msrpm_slot(uint32_t msr, uint32_t *rel)
{
	if (msr <= 0x1fff) {
		*rel = msr;
		return (SVM_MSRIDX(*rel));
	} else if (msr >= 0xc0000000 && msr <= 0xc0001fff) {
		*rel = msr - 0xc0000000;
		return (SVM_MSRIDX(*rel) + 0x800);
	} else if (msr >= 0xc0010000 && msr <= 0xc0011fff) {
		*rel = msr - 0xc0010000;
		return (SVM_MSRIDX(*rel) + 0x1000);
	}
	return (-1);
}

void
svm_setmsrbr(struct vcpu *vcpu, uint32_t msr)
{
	uint8_t *msrs = (uint8_t *)vcpu->vc_msr_bitmap_va;
	uint32_t rel;
	int idx;

	if ((idx = svm_msrpm_slot(msr, &rel)) < 0) {
		printf("%s: MSR 0x%x has no permission bit\n", __func__, msr);
		return;
	}
	msrs[idx] &= ~(SVM_MSRBIT_R(rel));
}

void
svm_setmsrbw(struct vcpu *vcpu, uint32_t msr)
{
	uint8_t *msrs = (uint8_t *)vcpu->vc_msr_bitmap_va;
	uint32_t rel;
	int idx;

	if ((idx = svm_msrpm_slot(msr, &rel)) < 0) {
		printf("%s: MSR 0x%x has no permission bit\n", __func__, msr);
		return;
	}
	msrs[idx] &= ~(SVM_MSRBIT_W(rel));
}

void
svm_setmsrbrw(struct vcpu *vcpu, uint32_t msr)
{
	svm_setmsrbr(vcpu, msr);
	svm_setmsrbw(vcpu, msr);
}

/* VMCB clean bits tell a CPU which cached VMCB state it may keep. */
void
svm_set_clean(struct vcpu *vcpu, uint32_t value)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;

	if (!curcpu()->ci_vmm_cap.vcc_svm.svm_vmcb_clean)
		return;
	vmcb->v_vmcb_clean_bits |= value;
}

void
svm_set_dirty(struct vcpu *vcpu, uint32_t value)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;

	if (!curcpu()->ci_vmm_cap.vcc_svm.svm_vmcb_clean)
		return;
	vmcb->v_vmcb_clean_bits &= ~value;
}

/*
 * Allocates the pages the CPU needs for a vcpu: VMCB, host save area,
 * the permission maps and, for SEV-ES, the VMSA.  The GHCB is guest
 * memory and is found when the guest names it.
 */
int
vcpu_init_svm(struct vcpu *vcpu, struct vm_create_params *vcp)
{
	int ret = 0;

	vcpu->vc_sev = vcp->vcp_sev;
	vcpu->vc_seves = vcp->vcp_seves;

	if (vmm_alloc_asid(&vcpu->vc_vpid, vcpu))
		return (ENOMEM);

	vcpu->vc_control_va = (vaddr_t)km_alloc(PAGE_SIZE, &kv_page, &kp_zero,
	    &kd_waitok);
	if (!vcpu->vc_control_va ||
	    !pmap_extract(pmap_kernel(), vcpu->vc_control_va,
	    &vcpu->vc_control_pa)) {
		printf("%s: no memory for the VMCB\n", __func__);
		ret = ENOMEM;
		goto exit;
	}

	vcpu->vc_msr_bitmap_va = (vaddr_t)km_alloc(2 * PAGE_SIZE, &kv_any,
	    &vmm_kp_contig, &kd_waitok);
	if (!vcpu->vc_msr_bitmap_va ||
	    !pmap_extract(pmap_kernel(), vcpu->vc_msr_bitmap_va,
	    (paddr_t *)&vcpu->vc_msr_bitmap_pa)) {
		printf("%s: no memory for the MSR permission map\n", __func__);
		ret = ENOMEM;
		goto exit;
	}

	vcpu->vc_svm_hsa_va = (vaddr_t)km_alloc(PAGE_SIZE, &kv_page, &kp_zero,
	    &kd_waitok);
	if (!vcpu->vc_svm_hsa_va ||
	    !pmap_extract(pmap_kernel(), vcpu->vc_svm_hsa_va,
	    &vcpu->vc_svm_hsa_pa)) {
		printf("%s: no memory for the host save area\n", __func__);
		ret = ENOMEM;
		goto exit;
	}

	vcpu->vc_svm_ioio_va = (vaddr_t)km_alloc(3 * PAGE_SIZE, &kv_any,
	    &vmm_kp_contig, &kd_waitok);
	if (!vcpu->vc_svm_ioio_va ||
	    !pmap_extract(pmap_kernel(), vcpu->vc_svm_ioio_va,
	    &vcpu->vc_svm_ioio_pa)) {
		printf("%s: no memory for the I/O permission map\n", __func__);
		ret = ENOMEM;
		goto exit;
	}

	if (vcpu->vc_seves) {
		vcpu->vc_svm_vmsa_va = (vaddr_t)km_alloc(PAGE_SIZE, &kv_page,
		    &kp_zero, &kd_waitok);
		if (!vcpu->vc_svm_vmsa_va ||
		    !pmap_extract(pmap_kernel(), vcpu->vc_svm_vmsa_va,
		    &vcpu->vc_svm_vmsa_pa)) {
			printf("%s: no memory for the VMSA\n", __func__);
			ret = ENOMEM;
			goto exit;
		}
	}

	DPRINTF("%s: vcpu %u: ASID %u, VMCB 0x%lx, HSA 0x%lx, VMSA 0x%lx\n",
	    __func__, vcpu->vc_id, vcpu->vc_vpid, vcpu->vc_control_pa,
	    vcpu->vc_svm_hsa_pa, vcpu->vc_svm_vmsa_pa);

	/* vmd passes these on to the PSP, which launches the guest. */
	vcp->vcp_poscbit = amd64_pos_cbit;
	vcp->vcp_asid[vcpu->vc_id] = vcpu->vc_vpid;

exit:
	if (ret)
		vcpu_deinit_svm(vcpu);

	return (ret);
}

int
vcpu_init(struct vcpu *vcpu, struct vm_create_params *vcp)
{
	vcpu->vc_virt_mode = vmm_softc->mode;
	vcpu->vc_state = VCPU_STATE_STOPPED;
	vcpu->vc_vpid = 0;
	vcpu->vc_pvclock_system_gpa = 0;
	vcpu->vc_last_pcpu = NULL;

	rw_init(&vcpu->vc_lock, "vcpu");

	/* The guest's PAT starts out as the host's. */
	vcpu->vc_shadow_pat = rdmsr(MSR_CR_PAT);

	if (vmm_softc->mode != VMM_MODE_RVI) {
		printf("%s: vmm mode %d is not SVM/RVI\n", __func__,
		    vmm_softc->mode);
		return (ENODEV);
	}

	return (vcpu_init_svm(vcpu, vcp));
}

void
vcpu_deinit_svm(struct vcpu *vcpu)
{
	if (vcpu->vc_control_va) {
		km_free((void *)vcpu->vc_control_va, PAGE_SIZE, &kv_page,
		    &kp_zero);
		vcpu->vc_control_va = 0;
	}
	if (vcpu->vc_msr_bitmap_va) {
		km_free((void *)vcpu->vc_msr_bitmap_va, 2 * PAGE_SIZE, &kv_any,
		    &vmm_kp_contig);
		vcpu->vc_msr_bitmap_va = 0;
	}
	if (vcpu->vc_svm_hsa_va) {
		km_free((void *)vcpu->vc_svm_hsa_va, PAGE_SIZE, &kv_page,
		    &kp_zero);
		vcpu->vc_svm_hsa_va = 0;
	}
	if (vcpu->vc_svm_vmsa_va) {
		km_free((void *)vcpu->vc_svm_vmsa_va, PAGE_SIZE, &kv_page,
		    &kp_zero);
		vcpu->vc_svm_vmsa_va = 0;
	}
	if (vcpu->vc_svm_ioio_va) {
		km_free((void *)vcpu->vc_svm_ioio_va, 3 * PAGE_SIZE, &kv_any,
		    &vmm_kp_contig);
		vcpu->vc_svm_ioio_va = 0;
	}

	/* The GHCB is the guest's page: nothing to free, just forget it. */
	vcpu->vc_svm_ghcb_va = 0;
	vcpu->vc_svm_ghcb_pa = 0;

	if (vcpu->vc_vpid)
		vmm_free_vpid(vcpu->vc_vpid);
	vcpu->vc_vpid = 0;
}

void
vcpu_deinit(struct vcpu *vcpu)
{
	if (vmm_softc->mode == VMM_MODE_RVI)
		vcpu_deinit_svm(vcpu);
}

/*
 * VMM_IOC_RUN: runs a vcpu until it needs vmd, should yield, or fails.
 *
 * Returns 0 with vrp_exit_reason VM_EXIT_NONE (yielded) or the exit
 * code vmd has to handle, with the exit's details copied to vrp_exit.
 * Any other return value ends the vcpu (VM_EXIT_TERMINATED); 1 is an
 * orderly termination the guest asked for.
 */
int
vm_run(struct vm_run_params *vrp)
{
	struct vm *vm;
	struct vcpu *vcpu;
	u_int old, next;
	int ret = 0;

	if ((ret = vm_find(vrp->vrp_vm_id, &vm)) != 0) {
		printf("%s: no vm %u\n", __func__, vrp->vrp_vm_id);
		return (ret);
	}

	vcpu = vm_find_vcpu(vm, vrp->vrp_vcpu_id);
	if (vcpu == NULL) {
		printf("%s: vm %u has no vcpu %u\n", __func__, vrp->vrp_vm_id,
		    vrp->vrp_vcpu_id);
		ret = ENOENT;
		goto out;
	}

	rw_enter_write(&vcpu->vc_lock);
	old = VCPU_STATE_STOPPED;
	next = VCPU_STATE_RUNNING;
	if (atomic_cas_uint(&vcpu->vc_state, old, next) != old) {
		printf("%s: vm %u vcpu %u cannot run (state %u)\n", __func__,
		    vrp->vrp_vm_id, vrp->vrp_vcpu_id, vcpu->vc_state);
		ret = EBUSY;
		goto out_unlock;
	}

	/* vmd's answer to the previous exit, consumed before re-entry. */
	if ((ret = copyin(vrp->vrp_exit, &vcpu->vc_exit,
	    sizeof(struct vm_exit))) != 0) {
		printf("%s: cannot read vmd's exit data\n", __func__);
		vcpu->vc_state = VCPU_STATE_STOPPED;
		goto out_unlock;
	}

	vcpu->vc_inject.vie_type = vrp->vrp_inject.vie_type;
	vcpu->vc_inject.vie_vector = vrp->vrp_inject.vie_vector;
	vcpu->vc_inject.vie_errorcode = vrp->vrp_inject.vie_errorcode;

	WRITE_ONCE(vcpu->vc_curcpu, curcpu());
	ret = vcpu_run_svm(vcpu, vrp);
	WRITE_ONCE(vcpu->vc_curcpu, NULL);

	if (ret == 0 || ret == EAGAIN) {
		vrp->vrp_exit_reason = (ret == 0) ? VM_EXIT_NONE :
		    vcpu->vc_gueststate.vg_exit_reason;
		vrp->vrp_irqready = vcpu->vc_irqready;
		vcpu->vc_state = VCPU_STATE_STOPPED;

		if (copyout(&vcpu->vc_exit, vrp->vrp_exit,
		    sizeof(struct vm_exit)) == EFAULT) {
			printf("%s: cannot write vmd's exit data\n", __func__);
			ret = EFAULT;
		} else
			ret = 0;
	} else {
		vrp->vrp_exit_reason = VM_EXIT_TERMINATED;
		vcpu->vc_state = VCPU_STATE_TERMINATED;
	}
out_unlock:
	rw_exit_write(&vcpu->vc_lock);
out:
	refcnt_rele_wake(&vm->vm_refcnt);
	return (ret);
}

/* Under SEV-ES the guest's IF is all the host sees of its RFLAGS. */
int
svm_get_iflag(struct vcpu *vcpu, uint64_t rflags)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;

	if (vcpu->vc_seves)
		return (vmcb->v_intr_shadow & SMV_GUEST_INTR_MASK);
	return (rflags & PSL_I);
}

/*
 * HLT goes to vmd, which decides when the vcpu runs again.  Under
 * SEV-ES the CPU has already moved the guest past the HLT.
 */
int
svm_handle_hlt(struct vcpu *vcpu)
{
	if (!vcpu->vc_seves)
		vcpu->vc_gueststate.vg_rip += 1;

	return (EAGAIN);
}

/*
 * Dispatches a #VMEXIT.  Returns 0 to re-enter the guest, EAGAIN when
 * vmd has to act, 1 when the guest asked to be terminated, or an errno
 * that ends the vcpu.
 */
int
svm_handle_exit(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	uint64_t exit_reason;
	int update_rip = 0, ret = 0;

	exit_reason = vcpu->vc_gueststate.vg_exit_reason;

	switch (exit_reason) {
	case SVM_VMEXIT_INTR:
		/* The host took its interrupt; the run loop decides. */
		break;
	case SVM_VMEXIT_SHUTDOWN:
		ret = EAGAIN;
		break;
	case SVM_VMEXIT_HLT:
		ret = svm_handle_hlt(vcpu);
		update_rip = !vcpu->vc_seves;
		break;
	case SVM_VMEXIT_EFER_WRITE_TRAP:
	case SVM_VMEXIT_CR0_WRITE_TRAP:
	case SVM_VMEXIT_CR4_WRITE_TRAP:
		ret = svm_handle_efercr(vcpu, exit_reason);
		break;
	case SVM_VMEXIT_VMGEXIT:
		ret = svm_handle_vmgexit(vcpu);
		break;
	default:
		printf("%s: vm %u vcpu %u: unhandled exit 0x%llx (exitinfo1 "
		    "0x%llx, exitinfo2 0x%llx)\n", __func__,
		    vcpu->vc_parent->vm_id, vcpu->vc_id,
		    (unsigned long long)exit_reason,
		    (unsigned long long)vmcb->v_exitinfo1,
		    (unsigned long long)vmcb->v_exitinfo2);
		return (EINVAL);
	}

	if (update_rip)
		vmcb->v_rip = vcpu->vc_gueststate.vg_rip;

	vmcb->v_efer |= EFER_SVME;
	svm_set_dirty(vcpu, SVM_CLEANBITS_CR);

	return (ret);
}

/* Names the first field expected_bm asks for that valid_bm lacks. */
static const char *
svm_ghcb_missing(uint8_t *valid_bm, uint8_t *expected_bm)
{
	size_t i;

	for (i = 0; i < nitems(ghcb_fields); i++) {
		if (ghcb_valbm_isset(expected_bm, ghcb_fields[i].gf_off) &&
		    !ghcb_valbm_isset(valid_bm, ghcb_fields[i].gf_off))
			return (ghcb_fields[i].gf_name);
	}
	return ("a field");
}

/*
 * Takes a request from the registered GHCB into the VMCB and vcpu, so
 * the ordinary exit handlers can serve it.  The GHCB is guest memory:
 * everything is checked before it is used.
 */
int
svm_vmgexit_sync_host(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct ghcb_sa *ghcb;
	uint64_t exitcode, exitinfo1;
	uint8_t expected_bm[GHCB_VB_SZ];

	if (!vcpu->vc_seves || vcpu->vc_svm_ghcb_va == 0)
		return (0);

	ghcb = (struct ghcb_sa *)vcpu->vc_svm_ghcb_va;

	memset(expected_bm, 0, sizeof(expected_bm));
	ghcb_valbm_set(expected_bm, GHCB_SW_EXITCODE);
	ghcb_valbm_set(expected_bm, GHCB_SW_EXITINFO1);
	ghcb_valbm_set(expected_bm, GHCB_SW_EXITINFO2);
	if (!ghcb_valid(ghcb)) {
		printf("%s: vm %u vcpu %u: GHCB at GPA 0x%lx: %s is not "
		    "marked valid\n", __func__, vcpu->vc_parent->vm_id,
		    vcpu->vc_id, vcpu->vc_svm_ghcb_pa,
		    svm_ghcb_missing(ghcb->valid_bitmap, expected_bm));
		return (EINVAL);
	}
	if (ghcb->v_ghcb_usage != 0) {
		printf("%s: vm %u vcpu %u: GHCB at GPA 0x%lx: usage 0x%x, "
		    "only the standard format (0) is supported\n", __func__,
		    vcpu->vc_parent->vm_id, vcpu->vc_id, vcpu->vc_svm_ghcb_pa,
		    ghcb->v_ghcb_usage);
		return (EINVAL);
	}

	exitcode = ghcb->v_sw_exitcode;
	exitinfo1 = ghcb->v_sw_exitinfo1;
	switch (exitcode) {
	case SVM_VMEXIT_CPUID:
		ghcb_valbm_set(expected_bm, GHCB_RAX);
		ghcb_valbm_set(expected_bm, GHCB_RCX);
		break;
	case SVM_VMEXIT_IOIO:
		/*
		 * String I/O moves its data through the buffer sw_scratch
		 * names; otherwise OUT carries it in RAX, IN gets it there.
		 */
		if (exitinfo1 & SVM_IOIO_STR)
			ghcb_valbm_set(expected_bm, GHCB_SW_SCRATCH);
		else if (!(exitinfo1 & SVM_IOIO_IN))
			ghcb_valbm_set(expected_bm, GHCB_RAX);
		break;
	case SVM_VMEXIT_MSR:
		if (exitinfo1 == 1) {
			ghcb_valbm_set(expected_bm, GHCB_RAX);
			ghcb_valbm_set(expected_bm, GHCB_RCX);
			ghcb_valbm_set(expected_bm, GHCB_RDX);
		} else if (exitinfo1 == 0) {
			ghcb_valbm_set(expected_bm, GHCB_RCX);
		} else {
			printf("%s: vm %u vcpu %u: MSR request with "
			    "sw_exitinfo1 0x%llx, want 0 (read) or 1 (write)\n",
			    __func__, vcpu->vc_parent->vm_id, vcpu->vc_id,
			    (unsigned long long)exitinfo1);
			return (EINVAL);
		}
		break;
	default:
		printf("%s: vm %u vcpu %u: unsupported GHCB sw_exitcode "
		    "0x%llx\n", __func__, vcpu->vc_parent->vm_id, vcpu->vc_id,
		    (unsigned long long)exitcode);
		return (EINVAL);
	}

	if (ghcb_verify_bm(ghcb->valid_bitmap, expected_bm) != 0) {
		printf("%s: vm %u vcpu %u: GHCB sw_exitcode 0x%llx: %s is "
		    "not marked valid\n", __func__, vcpu->vc_parent->vm_id,
		    vcpu->vc_id, (unsigned long long)exitcode,
		    svm_ghcb_missing(ghcb->valid_bitmap, expected_bm));
		return (EINVAL);
	}

	vmcb->v_exitcode = exitcode;
	vcpu->vc_gueststate.vg_exit_reason = exitcode;
	vmcb->v_exitinfo1 = exitinfo1;
	vmcb->v_exitinfo2 = ghcb->v_sw_exitinfo2;

	if (ghcb_valbm_isset(expected_bm, GHCB_RAX))
		vmcb->v_rax = vcpu->vc_gueststate.vg_rax = ghcb->v_rax;
	if (ghcb_valbm_isset(expected_bm, GHCB_RBX))
		vcpu->vc_gueststate.vg_rbx = ghcb->v_rbx;
	if (ghcb_valbm_isset(expected_bm, GHCB_RCX))
		vcpu->vc_gueststate.vg_rcx = ghcb->v_rcx;
	if (ghcb_valbm_isset(expected_bm, GHCB_RDX))
		vcpu->vc_gueststate.vg_rdx = ghcb->v_rdx;

	return (0);
}

/*
 * Answers the request svm_vmgexit_sync_host took in: the GHCB is
 * cleared, then carries exactly the registers the request returns,
 * marked valid, and success (0) in both exit information words.
 *
 * The request is taken from the VMCB, where sync_host put it after
 * checking it, not re-read from guest memory.
 */
int
svm_vmgexit_sync_guest(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct ghcb_sa *ghcb;
	uint64_t exitcode, exitinfo1;
	uint8_t *bm;

	if (!vcpu->vc_seves || vcpu->vc_svm_ghcb_va == 0)
		return (0);

	ghcb = (struct ghcb_sa *)vcpu->vc_svm_ghcb_va;
	exitcode = vmcb->v_exitcode;
	exitinfo1 = vmcb->v_exitinfo1;

	ghcb_clear(ghcb);
	bm = ghcb->valid_bitmap;

	switch (exitcode) {
	case SVM_VMEXIT_CPUID:
		ghcb_valbm_set(bm, GHCB_RAX);
		ghcb_valbm_set(bm, GHCB_RBX);
		ghcb_valbm_set(bm, GHCB_RCX);
		ghcb_valbm_set(bm, GHCB_RDX);
		break;
	case SVM_VMEXIT_IOIO:
		if (exitinfo1 & SVM_IOIO_IN)
			ghcb_valbm_set(bm, GHCB_RAX);
		break;
	case SVM_VMEXIT_MSR:
		if (exitinfo1 == 0) {
			ghcb_valbm_set(bm, GHCB_RAX);
			ghcb_valbm_set(bm, GHCB_RDX);
		}
		break;
	default:
		printf("%s: vm %u vcpu %u: no GHCB response for exit 0x%llx\n",
		    __func__, vcpu->vc_parent->vm_id, vcpu->vc_id,
		    (unsigned long long)exitcode);
		return (EINVAL);
	}
	ghcb_valbm_set(bm, GHCB_SW_EXITINFO1);
	ghcb_valbm_set(bm, GHCB_SW_EXITINFO2);

	if (ghcb_valbm_isset(bm, GHCB_RAX))
		ghcb->v_rax = vcpu->vc_gueststate.vg_rax;
	if (ghcb_valbm_isset(bm, GHCB_RBX))
		ghcb->v_rbx = vcpu->vc_gueststate.vg_rbx;
	if (ghcb_valbm_isset(bm, GHCB_RCX))
		ghcb->v_rcx = vcpu->vc_gueststate.vg_rcx;
	if (ghcb_valbm_isset(bm, GHCB_RDX))
		ghcb->v_rdx = vcpu->vc_gueststate.vg_rdx;
	ghcb->v_sw_exitinfo1 = 0;
	ghcb->v_sw_exitinfo2 = 0;

	return (0);
}

/*
 * A GHCB MSR protocol request: the request is the GHCB MSR value
 * itself, and so is the response.  CPUID is answered in the kernel
 * (one register per request, selected by bits 31:30 and echoed back);
 * TERMINATE ends the vcpu with 1, which vm_run reports as
 * VM_EXIT_TERMINATED.  Other requests are declined.
 */
static int
svm_vmgexit_msr_protocol(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	uint64_t msr = vmcb->v_ghcb_gpa, result;
	int error;

	switch (MSR_PROTO_CODE(msr)) {
	case MSR_PROTO_CPUID_REQ:
		vmcb->v_rax = MSR_PROTO_CPUID_FN(msr);
		vg->vg_rax = vg->vg_rbx = vg->vg_rcx = vg->vg_rdx = 0;
		if ((error = vmm_handle_cpuid(vcpu)) != 0)
			return (error);

		switch (MSR_PROTO_CPUID_REG(msr)) {
		case 0:
			result = vmcb->v_rax;
			break;
		case 1:
			result = vg->vg_rbx;
			break;
		case 2:
			result = vg->vg_rcx;
			break;
		default:
			result = vg->vg_rdx;
			break;
		}
		vmcb->v_ghcb_gpa = ((result & 0xffffffffULL) << 32) |
		    (msr & 0xc0000000ULL) | MSR_PROTO_CPUID_RESP;
		return (0);
	case MSR_PROTO_TERMINATE:
		DPRINTF("%s: vm %u vcpu %u asks for termination, reason set "
		    "%llu, code 0x%02llx\n", __func__, vcpu->vc_parent->vm_id,
		    vcpu->vc_id, (unsigned long long)MSR_PROTO_TERM_SET(msr),
		    (unsigned long long)MSR_PROTO_TERM_CODE(msr));
		return (1);
	default:
		printf("%s: vm %u vcpu %u: unsupported MSR-protocol request "
		    "0x%03llx (GHCB MSR 0x%llx)\n", __func__,
		    vcpu->vc_parent->vm_id, vcpu->vc_id,
		    (unsigned long long)MSR_PROTO_CODE(msr),
		    (unsigned long long)msr);
		return (EINVAL);
	}
}

/*
 * VMGEXIT: the guest wrote the GHCB MSR and asks the hypervisor.
 *
 * Low 12 bits set: an MSR protocol request.  Otherwise the value is
 * the GPA of the GHCB page; the first one names the vcpu's GHCB for
 * good, and a request naming another page is declined with EINVAL
 * (OpenBSD keeps using the first page without a word).  The page's
 * request is then served: CPUID and MSR in the kernel, IOIO by vmd
 * (EAGAIN; completed on re-entry in vcpu_run_svm).
 */
int
svm_handle_vmgexit(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vm *vm = vcpu->vc_parent;
	paddr_t ghcb_gpa, ghcb_hpa;
	int syncout = 0, error = 0;

	if ((vmcb->v_ghcb_gpa & PAGE_MASK) != 0)
		return (svm_vmgexit_msr_protocol(vcpu));

	ghcb_gpa = vmcb->v_ghcb_gpa;
	if (ghcb_gpa == 0 || (ghcb_gpa & ~PG_FRAME) != 0) {
		printf("%s: vm %u vcpu %u: GHCB MSR 0x%lx names no GHCB "
		    "page\n", __func__, vm->vm_id, vcpu->vc_id, ghcb_gpa);
		return (EINVAL);
	}

	if (vcpu->vc_svm_ghcb_va == 0) {
		if (!pmap_extract(vm->vm_pmap, ghcb_gpa, &ghcb_hpa)) {
			printf("%s: vm %u vcpu %u: GHCB page at GPA 0x%lx is "
			    "not guest memory\n", __func__, vm->vm_id,
			    vcpu->vc_id, ghcb_gpa);
			return (EINVAL);
		}
		vcpu->vc_svm_ghcb_va = (vaddr_t)PMAP_DIRECT_MAP(ghcb_hpa);
		vcpu->vc_svm_ghcb_pa = ghcb_gpa;
		DPRINTF("%s: vm %u vcpu %u: GHCB at GPA 0x%lx, HPA 0x%lx\n",
		    __func__, vm->vm_id, vcpu->vc_id, ghcb_gpa, ghcb_hpa);
	} else if (ghcb_gpa != vcpu->vc_svm_ghcb_pa) {
		printf("%s: vm %u vcpu %u: GHCB page at GPA 0x%lx declined, "
		    "the GHCB is registered at GPA 0x%lx\n", __func__,
		    vm->vm_id, vcpu->vc_id, ghcb_gpa, vcpu->vc_svm_ghcb_pa);
		return (EINVAL);
	}

	if ((error = svm_vmgexit_sync_host(vcpu)) != 0)
		return (error);

	switch (vmcb->v_exitcode) {
	case SVM_VMEXIT_CPUID:
		error = vmm_handle_cpuid(vcpu);
		vcpu->vc_gueststate.vg_rax = vmcb->v_rax;
		syncout = 1;
		break;
	case SVM_VMEXIT_IOIO:
		if ((error = svm_handle_inout(vcpu)) == 0)
			error = EAGAIN;
		break;
	case SVM_VMEXIT_MSR:
		/* RDMSR leaves its EAX in the VMCB: return that one. */
		error = svm_handle_msr(vcpu);
		vcpu->vc_gueststate.vg_rax = vmcb->v_rax;
		syncout = 1;
		break;
	default:
		printf("%s: vm %u vcpu %u: unsupported GHCB sw_exitcode "
		    "0x%llx\n", __func__, vm->vm_id, vcpu->vc_id,
		    (unsigned long long)vmcb->v_exitcode);
		error = EINVAL;
		break;
	}

	if (error == 0 && syncout)
		error = svm_vmgexit_sync_guest(vcpu);

	return (error);
}

/*
 * An SEV-ES guest wrote EFER, CR0 or CR4; the trap reports the new
 * value, which the VMCB keeps as the host's copy.
 */
int
svm_handle_efercr(struct vcpu *vcpu, uint64_t exit_reason)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;

	switch (exit_reason) {
	case SVM_VMEXIT_EFER_WRITE_TRAP:
		vmcb->v_efer = vmcb->v_exitinfo1;
		break;
	case SVM_VMEXIT_CR0_WRITE_TRAP:
		vmcb->v_cr0 = vmcb->v_exitinfo1;
		break;
	case SVM_VMEXIT_CR4_WRITE_TRAP:
		vmcb->v_cr4 = vmcb->v_exitinfo1;
		break;
	default:
		printf("%s: exit 0x%llx is no EFER/CR write trap\n", __func__,
		    (unsigned long long)exit_reason);
		return (EINVAL);
	}

	return (0);
}

/*
 * Describes a port access for vmd in vc_exit.vei.  String and REP
 * accesses would need the GHCB's scratch area; they are declined.
 */
int
svm_handle_inout(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vm_exit_inout *vei = &vcpu->vc_exit.vei;
	uint64_t exit_qual = vmcb->v_exitinfo1;
	uint16_t port = exit_qual >> SVM_IOIO_PORT_SHIFT;
	uint32_t mask;

	if (exit_qual & (SVM_IOIO_STR | SVM_IOIO_REP)) {
		printf("%s: vm %u vcpu %u: string or REP I/O at port 0x%x "
		    "is not supported\n", __func__, vcpu->vc_parent->vm_id,
		    vcpu->vc_id, port);
		return (EINVAL);
	}

	if (exit_qual & SVM_IOIO_SZ8)
		vei->vei_size = 1;
	else if (exit_qual & SVM_IOIO_SZ16)
		vei->vei_size = 2;
	else if (exit_qual & SVM_IOIO_SZ32)
		vei->vei_size = 4;
	else {
		printf("%s: vm %u vcpu %u: I/O at port 0x%x has no operand "
		    "size (exitinfo1 0x%llx)\n", __func__,
		    vcpu->vc_parent->vm_id, vcpu->vc_id, port,
		    (unsigned long long)exit_qual);
		return (EINVAL);
	}
	mask = vei->vei_size == 4 ? 0xffffffffU :
	    (1U << (8 * vei->vei_size)) - 1;

	vei->vei_dir = (exit_qual & SVM_IOIO_IN) ? VEI_DIR_IN : VEI_DIR_OUT;
	vei->vei_string = 0;
	vei->vei_rep = 0;
	vei->vei_encoding = 0;
	vei->vei_port = port;
	vei->vei_data = vei->vei_dir == VEI_DIR_OUT ?
	    (uint32_t)vmcb->v_rax & mask : 0;

	/* An SEV-ES guest's RIP is hidden, and its #VC handler moves it. */
	if (vcpu->vc_seves)
		vei->vei_insn_len = 0;
	else
		vei->vei_insn_len = (uint8_t)(vmcb->v_exitinfo2 - vmcb->v_rip);

	TRACEPOINT(vmm, inout, vcpu, vei->vei_port, vei->vei_dir,
	    vei->vei_data);

	return (0);
}

/* A PAT value is valid if every entry names a defined memory type. */
int
vmm_pat_is_valid(uint64_t pat)
{
	uint8_t type;
	int i;

	for (i = 0; i < 8; i++) {
		type = (pat >> (i * 8)) & 0xff;
		if (type != PAT_UC && type != PAT_WC && type != PAT_WT &&
		    type != PAT_WP && type != PAT_WB && type != PAT_UCMINUS)
			return (0);
	}
	return (1);
}

/*
 * RDMSR/WRMSR the permission map sent to the host: RCX the MSR,
 * EDX:EAX the value.  RDMSR results go to the VMCB's RAX and the
 * vcpu's RDX.  Writes to MSRs without a meaning here are dropped, as
 * in OpenBSD; reads of them, which OpenBSD answers with #GP, end the
 * vcpu with EINVAL.
 */
int
svm_handle_msr(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	uint64_t *rax, *rcx, *rdx, val;
	uint32_t msr;

	rax = &vmcb->v_rax;
	rcx = &vcpu->vc_gueststate.vg_rcx;
	rdx = &vcpu->vc_gueststate.vg_rdx;
	msr = (uint32_t)*rcx;

	if (vmcb->v_exitinfo1 == 1) {
		val = (*rdx << 32) | (*rax & 0xffffffffULL);

		switch (msr) {
		case MSR_CR_PAT:
			if (!vmm_pat_is_valid(val)) {
				printf("%s: vm %u vcpu %u: invalid PAT 0x%llx"
				    "\n", __func__, vcpu->vc_parent->vm_id,
				    vcpu->vc_id, (unsigned long long)val);
				return (EINVAL);
			}
			vcpu->vc_shadow_pat = val;
			break;
		case MSR_EFER:
			vmcb->v_efer = val | EFER_SVME;
			break;
		default:
			DPRINTF("%s: wrmsr 0x%x = 0x%llx dropped\n", __func__,
			    msr, (unsigned long long)val);
			break;
		}
	} else {
		switch (msr) {
		case MSR_BIOS_SIGN:
		case MSR_INT_PEN_MSG:
		case MSR_PLATFORM_ID:
			*rax = 0;
			*rdx = 0;
			break;
		case MSR_CR_PAT:
			*rax = vcpu->vc_shadow_pat & 0xffffffffULL;
			*rdx = vcpu->vc_shadow_pat >> 32;
			break;
		case MSR_DE_CFG:
			*rax = DE_CFG_SERIALIZE_LFENCE;
			*rdx = 0;
			break;
		default:
			printf("%s: vm %u vcpu %u: rdmsr of unsupported MSR "
			    "0x%x\n", __func__, vcpu->vc_parent->vm_id,
			    vcpu->vc_id, msr);
			return (EINVAL);
		}
	}

	if (!vcpu->vc_seves)
		vcpu->vc_gueststate.vg_rip += 2;

	return (0);
}

/*
 * CPUID: leaf in the VMCB's RAX, subleaf in the vcpu's RCX; results in
 * the VMCB's RAX and the vcpu's RBX, RCX, RDX.
 *
 * The answer is the host CPU's, filtered: the guest sees no
 * virtualization or monitoring machinery, sees that it runs on a
 * hypervisor, and keeps what SEV-ES needs (the SEV bits and the C-bit
 * position in leaf 0x8000001F).  Leaves past the highest one answer as
 * the highest basic leaf does, as on Intel and in OpenBSD.
 */
int
vmm_handle_cpuid(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	uint64_t *rax, *rbx, *rcx, *rdx;
	uint32_t leaf, subleaf, eax, ebx, ecx, edx;
	uint32_t maxleaf, maxext;

	rax = &vmcb->v_rax;
	rbx = &vcpu->vc_gueststate.vg_rbx;
	rcx = &vcpu->vc_gueststate.vg_rcx;
	rdx = &vcpu->vc_gueststate.vg_rdx;
	leaf = (uint32_t)*rax;
	subleaf = (uint32_t)*rcx;

	CPUID(0, maxleaf, ebx, ecx, edx);
	CPUID(0x80000000, maxext, ebx, ecx, edx);
	if (maxext > VMM_CPUID_EXT_MAX)
		maxext = VMM_CPUID_EXT_MAX;
	if ((leaf > maxleaf && leaf < 0x40000000) || leaf > maxext) {
		DPRINTF("%s: leaf 0x%x out of range, answering 0x%x\n",
		    __func__, leaf, maxleaf);
		leaf = maxleaf;
	}

	CPUID_LEAF(leaf, subleaf, eax, ebx, ecx, edx);

	switch (leaf) {
	case 0x00:		/* highest leaf, vendor */
	case 0x02:		/* cache and TLB descriptors */
	case 0x16:		/* frequencies */
	case 0x80000002:	/* brand string */
	case 0x80000003:
	case 0x80000004:
	case 0x80000005:	/* L1 caches */
	case 0x80000006:	/* L2/L3 caches */
	case 0x8000001d:	/* cache topology */
		break;
	case 0x01:		/* signature and features */
		ebx = (ebx & 0x0000ffff) | ((vcpu->vc_id & 0xff) << 24);
		ecx = (ecx | CPUIDECX_HV) & VMM_CPUIDECX_MASK;
		if (vmcb->v_cr4 & CR4_OSXSAVE)
			ecx |= CPUIDECX_OSXSAVE;
		else
			ecx &= ~CPUIDECX_OSXSAVE;
		edx &= VMM_CPUIDEDX_MASK;
		break;
	case 0x04:		/* deterministic cache parameters */
		eax &= VMM_CPUID4_CACHE_TOPOLOGY_MASK;
		break;
	case 0x07:		/* structured extended features */
		if (subleaf == 0) {
			eax = 0;
			ebx &= VMM_SEFF0EBX_MASK;
			ecx &= VMM_SEFF0ECX_MASK;
			edx &= VMM_SEFF0EDX_MASK;
		} else
			eax = ebx = ecx = edx = 0;
		break;
	case 0x0d:		/* XSAVE state components */
		if (subleaf == 1) {
			eax &= XSAVE_XSAVEOPT | XSAVE_XGETBV1;
			ebx = ecx = edx = 0;
		}
		break;
	case 0x40000000:	/* hypervisor signature */
		eax = 0;
		memcpy(&ebx, &vmm_hv_signature[0], sizeof(ebx));
		memcpy(&ecx, &vmm_hv_signature[4], sizeof(ecx));
		memcpy(&edx, &vmm_hv_signature[8], sizeof(edx));
		break;
	case 0x80000000:	/* highest extended leaf */
		eax = maxext;
		ebx = ecx = edx = 0;
		break;
	case 0x80000001:	/* extended features */
		ebx = 0;
		ecx &= VMM_ECPUIDECX_MASK;
		edx &= VMM_FEAT_EFLAGS_MASK;
		break;
	case 0x80000007:	/* power management: invariant TSC only */
		edx &= VMM_APMI_EDX_INCLUDE_MASK;
		break;
	case 0x80000008:	/* address sizes */
		ebx &= VMM_AMDSPEC_EBX_MASK;
		ecx = 0;
		break;
	case 0x8000001f:	/* memory encryption */
		eax &= CPUIDEAX_SME | CPUIDEAX_SEV | CPUIDEAX_SEVES;
		ebx &= 0xfff;	/* C-bit position, address bits lost */
		ecx = edx = 0;	/* guest and ASID counts: the host's */
		break;
	default:
		DPRINTF("%s: leaf 0x%x not offered, answering zeros\n",
		    __func__, leaf);
		eax = ebx = ecx = edx = 0;
		break;
	}

	*rax = eax;
	*rbx = ebx;
	*rcx = ecx;
	*rdx = edx;

	return (0);
}

/*
 * The run loop: enter the guest, handle the exit, repeat until the
 * handler needs vmd (EAGAIN), fails, or the host wants its CPU back
 * (SPCF_SHOULDYIELD, set when a host interrupt ended the guest's
 * slice).
 */
int
vcpu_run_svm(struct vcpu *vcpu, struct vm_run_params *vrp)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct region_descriptor gdt;
	struct cpu_info *ci = NULL;
	struct schedstate_percpu *spc;
	uint64_t exit_reason;
	int ret = 0;

	vcpu->vc_intr = vrp->vrp_intr_pending ? 1 : 0;

	/*
	 * vmd has served the previous exit.  For a port access through
	 * the GHCB, the answer goes back into the GHCB now, before the
	 * guest sees it again.
	 */
	switch (vcpu->vc_gueststate.vg_exit_reason) {
	case SVM_VMEXIT_IOIO:
		if (vcpu->vc_exit.vei.vei_dir == VEI_DIR_IN) {
			vcpu->vc_gueststate.vg_rax =
			    vcpu->vc_exit.vei.vei_data;
			vmcb->v_rax = vcpu->vc_gueststate.vg_rax;
		}
		if (!vcpu->vc_seves) {
			vcpu->vc_gueststate.vg_rip =
			    vcpu->vc_exit.vrs.vrs_gprs[VCPU_REGS_RIP];
			vmcb->v_rip = vcpu->vc_gueststate.vg_rip;
		}
		if ((ret = svm_vmgexit_sync_guest(vcpu)) != 0)
			return (ret);
		break;
	}
	memset(&vcpu->vc_exit, 0, sizeof(vcpu->vc_exit));

	if (vcpu->vc_inject.vie_type != VCPU_INJECT_NONE) {
		printf("%s: vm %u vcpu %u: injecting event type %u vector %u "
		    "is not supported\n", __func__, vcpu->vc_parent->vm_id,
		    vcpu->vc_id, vcpu->vc_inject.vie_type,
		    vcpu->vc_inject.vie_vector);
		return (EINVAL);
	}

	while (ret == 0) {
		if (ci != curcpu()) {
			ci = curcpu();
			setregion(&gdt, ci->ci_gdt, GDT_SIZE - 1);
			if (ci != vcpu->vc_last_pcpu) {
				/* Another CPU's TLB may hold our ASID. */
				if (ci->ci_vmm_cap.vcc_svm.svm_flush_by_asid)
					vmcb->v_tlb_control =
					    SVM_TLB_CONTROL_FLUSH_ASID;
				else
					vmcb->v_tlb_control =
					    SVM_TLB_CONTROL_FLUSH_ALL;
				svm_set_dirty(vcpu, SVM_CLEANBITS_ALL);
			}
			vcpu->vc_last_pcpu = ci;
			if (gdt.rd_base == 0) {
				printf("%s: the CPU has no GDT\n", __func__);
				ret = EINVAL;
				break;
			}
		}

		TRACEPOINT(vmm, guest_enter, vcpu, vrp);

		clgi();
		KASSERT(vmcb->v_intercept1 & SVM_INTERCEPT_INTR);
		wrmsr(MSR_AMD_VM_HSAVE_PA, vcpu->vc_svm_hsa_pa);
		if (vcpu->vc_seves)
			ret = svm_seves_enter_guest(vcpu->vc_control_pa,
			    vcpu->vc_svm_hsa_va + SVM_HSA_OFFSET, &gdt);
		else
			ret = svm_enter_guest(vcpu->vc_control_pa,
			    &vcpu->vc_gueststate, &gdt);
		stgi();

		vcpu->vc_gueststate.vg_rip = vmcb->v_rip;
		vmcb->v_tlb_control = SVM_TLB_CONTROL_FLUSH_NONE;
		svm_set_clean(vcpu, SVM_CLEANBITS_ALL);

		if (ret != 0)
			break;

		exit_reason = vmcb->v_exitcode;
		vcpu->vc_gueststate.vg_exit_reason = exit_reason;
		TRACEPOINT(vmm, guest_exit, vcpu, vrp, exit_reason);
		vcpu->vc_gueststate.vg_rflags = vmcb->v_rflags;

		ret = svm_handle_exit(vcpu);

		vcpu->vc_irqready = svm_get_iflag(vcpu,
		    vcpu->vc_gueststate.vg_rflags) ? 1 : 0;

		if (ret || vcpu_must_stop(vcpu))
			break;
		if (vcpu->vc_intr && vcpu->vc_irqready) {
			ret = EAGAIN;
			break;
		}
		spc = &ci->ci_schedstate;
		if (spc->spc_schedflags & SPCF_SHOULDYIELD)
			break;
	}

	if (vcpu_readregs_svm(vcpu, VM_RWREGS_ALL, &vcpu->vc_exit.vrs))
		ret = EINVAL;

	return (ret);
}

/*
 * Hands out the lowest free ASID.  SEV-ES guests may use any ASID from
 * 1; plain SEV and unencrypted guests start at the first ASID that is
 * not reserved for SEV-ES (CPUID 0x8000001F EDX).
 */
int
vmm_alloc_vpid_vcpu(uint16_t *vpid, struct vcpu *vcpu)
{
	struct vmm_softc *sc = vmm_softc;
	uint16_t i, minasid;
	uint8_t idx, bit;

	rw_enter_write(&sc->vpid_lock);
	if (vcpu == NULL || vcpu->vc_seves || amd64_min_noes_asid == 0)
		minasid = 1;
	else
		minasid = amd64_min_noes_asid;
	for (i = minasid; i <= sc->max_vpid; i++) {
		idx = i / 8;
		bit = i % 8;
		if (!(sc->vpids[idx] & (1 << bit))) {
			sc->vpids[idx] |= (1 << bit);
			*vpid = i;
			DPRINTF("%s: ASID %u\n", __func__, i);
			rw_exit_write(&sc->vpid_lock);
			return (0);
		}
	}
	rw_exit_write(&sc->vpid_lock);

	printf("%s: all ASIDs from %u to %u are in use\n", __func__, minasid,
	    sc->max_vpid);
	return (ENOMEM);
}

int
vmm_alloc_asid(uint16_t *asid, struct vcpu *vcpu)
{
	return (vmm_alloc_vpid_vcpu(asid, vcpu));
}

void
vmm_free_vpid(uint16_t vpid)
{
	struct vmm_softc *sc = vmm_softc;

	rw_enter_write(&sc->vpid_lock);
	sc->vpids[vpid / 8] &= ~(1 << (vpid % 8));
	rw_exit_write(&sc->vpid_lock);
}

/* The VMSA's address, which the PSP needs to launch an SEV-ES guest. */
int
svm_get_vmsa_pa(uint32_t vmid, uint32_t vcpuid, uint64_t *vmsapa)
{
	struct vm *vm;
	struct vcpu *vcpu;
	int error, ret = 0;

	if ((error = vm_find(vmid, &vm)) != 0)
		return (error);

	vcpu = vm_find_vcpu(vm, vcpuid);
	if (vcpu == NULL || !vcpu->vc_seves) {
		ret = ENOENT;
		goto out;
	}
	*vmsapa = vcpu->vc_svm_vmsa_pa;
out:
	refcnt_rele_wake(&vm->vm_refcnt);
	return (ret);
}
