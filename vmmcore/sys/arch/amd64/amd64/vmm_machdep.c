/*
 * vmm_machdep.c - the amd64 part of vmm(4) for AMD SVM with SEV-ES:
 * vcpu setup, the run loop and the exit handlers, including the GHCB
 * protocol (AMD GHCB specification 56421) an SEV-ES guest talks to its
 * hypervisor through.
 *
 * The functions have the names and shapes of OpenBSD's, so that this
 * file and the real one are interchangeable above the shim.  Where the
 * behaviour differs it is said at the function.  Beyond OpenBSD 7.8,
 * this vmm serves the NAE events behind an SEV-ES guest's #VCs, MMIO,
 * and the MSR protocol requests of an SEV-ES (not SNP) guest, and
 * answers bad requests in the GHCB, as the specification says, instead
 * of ending the vcpu.  It speaks GHCB protocol versions 1 and 2, with
 * the events that are not #VCs: AP reset hold, AP jump table,
 * hypervisor feature support and unsupported event.  NMI complete is
 * answered as unknown: this vmm injects no NMIs to complete.
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

/* Event injection format (APM vol. 2, 15.20), for GHCB answers. */
#define SVM_EVENTINJ_TYPE_EXCEPTION	(3ULL << 8)
#define SVM_EVENTINJ_EV			(1ULL << 11)
#define SVM_EVENTINJ_VALID		(1ULL << 31)

/* DR7: bit 10 reads as 1, bits 11, 12, 14 and 15 as 0. */
#define DR7_MBO			0x00000400ULL
#define DR7_MBZ			0x0000d800ULL

/* The core performance counters of an SEV-ES capable (Zen) CPU. */
#define VMM_SVM_NPMC		6

/* VMMCALL's answer to a hypercall there is none of. */
#define VMM_HVCALL_NONE		(~0ULL)

/* GHCB MSR protocol fields around the request code in bits 11:0. */
#define MSR_PROTO_CODE(v)	((v) & 0xfffULL)
#define MSR_PROTO_DATA_SHIFT	12
#define MSR_PROTO_DATA_MASK	0xfffffffffffff000ULL	/* bits 63:12 */
#define MSR_PROTO_GFN_NONE	MSR_PROTO_DATA_MASK	/* all ones */
#define MSR_PROTO_AP_RELEASED	(1ULL << MSR_PROTO_DATA_SHIFT)
#define MSR_PROTO_CPUID_REG(v)	(((v) >> 30) & 0x3)
#define MSR_PROTO_CPUID_FN(v)	((uint32_t)((v) >> 32))
#define MSR_PROTO_TERM_SET(v)	(((v) >> 12) & 0xf)
#define MSR_PROTO_TERM_CODE(v)	(((v) >> 16) & 0xff)

/* AP reset hold NAE event: a non-zero sw_exitinfo2 says "released". */
#define GHCB_AP_RELEASED	1

/* The highest extended CPUID leaf vmm_handle_cpuid answers for. */
#define VMM_CPUID_EXT_MAX	0x8000001f

/* XSAVE area: the legacy region and the header before component 2. */
#define XSAVE_AREA_BASE		(512 + 64)

/*
 * GHCB hypervisor feature support, the same bitmap for the MSR protocol
 * request (0x080) and the NAE event (0x8000FFFD): SEV-ES only, no SNP.
 */
#define VMM_GHCB_HV_FEATURES	0

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
int	vmm_inject_gp(struct vcpu *);
int	vmm_inject_ud(struct vcpu *);
int	vmm_pat_is_valid(uint64_t);
int	vmm_alloc_vpid_vcpu(uint16_t *, struct vcpu *);
int	vmm_alloc_asid(uint16_t *, struct vcpu *);
void	vmm_free_vpid(uint16_t);

const char *vmm_hv_signature = VMM_HV_SIGNATURE;

/* Permission maps are read by the CPU: physically contiguous pages. */
const struct kmem_pa_mode vmm_kp_contig = {
	.kp_constraint = &no_constraint,
	.kp_maxseg = 1,
	.kp_align = 4096,
	.kp_zero = 1,
};

void
vmm_attach_machdep(struct device *parent, struct device *self, void *aux)
{
	struct vmm_softc *sc = (struct vmm_softc *)self;
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	uint32_t maxasid;

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
		/*
		 * identcpu already caps svm_max_asid at 0xfff.  Capped
		 * here too, at what vpids[] holds, so that a bigger count
		 * cannot send vmm_alloc_vpid_vcpu off the bitmap (or, past
		 * 0xffff, into an endless loop).
		 */
		maxasid = sizeof(sc->vpids) * NBBY - 1;
		if (curcpu()->ci_vmm_cap.vcc_svm.svm_max_asid < maxasid)
			maxasid = curcpu()->ci_vmm_cap.vcc_svm.svm_max_asid;
		sc->max_vpid = maxasid;
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

	/*
	 * Not in OpenBSD: an SEV-ES guest's TSC, performance counters,
	 * cache flushes and DR7 are the vmm's too, each a NAE event
	 * through the GHCB.  (KVM intercepts all but RDTSC the same way;
	 * an intercepted RDTSC costs the guest a #VC.)
	 */
	if (vcpu->vc_seves) {
		vmcb->v_intercept1 |= SVM_INTERCEPT_RDTSC |
		    SVM_INTERCEPT_RDPMC | SVM_INTERCEPT_INVD;
		vmcb->v_intercept2 |= SVM_INTERCEPT_WBINVD;
		vmcb->v_dr_rw |= SVM_INTERCEPT_DR7_READ |
		    SVM_INTERCEPT_DR7_WRITE;
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

/*
 * SEV-ES: the GHCB protocol (AMD GHCB specification 56421).
 *
 * A VMGEXIT is an MSR protocol request, carried in the GHCB MSR value
 * itself, or a NAE event the guest's #VC handler wrote into its GHCB
 * page.  The page is guest memory the guest shares with the host, and
 * may rewrite at any moment: the request is copied out of it once,
 * checked and taken in from that copy (svm_vmgexit_sync_host), served
 * from the VMCB and the vcpu by the exit handlers, and answered in the
 * page (svm_vmgexit_sync_guest).
 *
 * A request the vmm will not serve is answered as the specification
 * says, and the guest runs on: sw_exitinfo1 2 with the reason
 * (GHCB_ERR_*) in sw_exitinfo2, or 1 with an exception for the guest
 * to raise in sw_exitinfo2.  Only a VMGEXIT that names no usable GHCB,
 * and the guest's own report that it is stuck (the unsupported event),
 * end the vcpu.
 */

/* The GHCB fields a NAE event takes or returns. */
#define NAE_RAX		0x01
#define NAE_RBX		0x02
#define NAE_RCX		0x04
#define NAE_RDX		0x08
#define NAE_CPL		0x10
#define NAE_XCR0	0x20
#define NAE_SCRATCH	0x40
#define NAE_INFO2	0x80	/* out: sw_exitinfo2, vc_svm_ghcb_info2 */

static const struct {
	int		 gr_nae;
	int		 gr_off;
	const char	*gr_name;
} ghcb_regs[] = {
	{ NAE_RAX,	GHCB_RAX,		"RAX" },
	{ NAE_RBX,	GHCB_RBX,		"RBX" },
	{ NAE_RCX,	GHCB_RCX,		"RCX" },
	{ NAE_RDX,	GHCB_RDX,		"RDX" },
	{ NAE_CPL,	GHCB_CPL,		"CPL" },
	{ NAE_XCR0,	GHCB_XCR0,		"XCR0" },
	{ NAE_SCRATCH,	GHCB_SW_SCRATCH,	"sw_scratch" },
};

/* What every request must provide. */
static const struct {
	int		 gh_off;
	const char	*gh_name;
} ghcb_header[] = {
	{ GHCB_SW_EXITCODE,	"sw_exitcode" },
	{ GHCB_SW_EXITINFO1,	"sw_exitinfo1" },
	{ GHCB_SW_EXITINFO2,	"sw_exitinfo2" },
};

/*
 * A request as svm_ghcb_read copied it out of the GHCB.  Checks and
 * handlers see only this copy: a field read twice from the shared page
 * could pass a check with one value and be used with another (a size
 * or count that then overruns the scratch area).
 */
struct svm_ghcb_req {
	uint64_t	 rq_exitcode;
	uint64_t	 rq_exitinfo1;
	uint64_t	 rq_exitinfo2;
	uint64_t	 rq_scratch;
	uint64_t	 rq_rax;
	uint64_t	 rq_rbx;
	uint64_t	 rq_rcx;
	uint64_t	 rq_rdx;
	uint64_t	 rq_xcr0;
	uint32_t	 rq_usage;
	uint8_t		 rq_cpl;
	uint8_t		 rq_valid[GHCB_VB_SZ];
};

/*
 * The NAE events the vmm serves, with the fields each always takes and
 * returns; svm_nae_inputs and svm_nae_outputs add the ones that depend
 * on the request.  The SVM instructions at the end raise #UD, as in
 * OpenBSD's svm_handle_exit.  Any other sw_exitcode is refused.
 */
static const struct svm_nae {
	uint64_t	 sn_code;
	const char	*sn_name;
	int		 sn_in;
	int		 sn_out;
} svm_naes[] = {
	{ SVM_VMEXIT_DR7_READ,	"DR7 read",	0,	NAE_RAX },
	{ SVM_VMEXIT_DR7_WRITE,	"DR7 write",	NAE_RAX, 0 },
	{ SVM_VMEXIT_RDTSC,	"RDTSC",	0,	NAE_RAX | NAE_RDX },
	{ SVM_VMEXIT_RDPMC,	"RDPMC",	NAE_RCX, NAE_RAX | NAE_RDX },
	{ SVM_VMEXIT_CPUID,	"CPUID",	NAE_RAX | NAE_RCX,
	    NAE_RAX | NAE_RBX | NAE_RCX | NAE_RDX },
	{ SVM_VMEXIT_INVD,	"INVD",		0,	0 },
	{ SVM_VMEXIT_HLT,	"HLT",		0,	0 },
	{ SVM_VMEXIT_IOIO,	"IOIO",		0,	0 },
	{ SVM_VMEXIT_MSR,	"MSR",		NAE_RCX, 0 },
	{ SVM_VMEXIT_VMMCALL,	"VMMCALL",	NAE_RAX | NAE_CPL, NAE_RAX },
	{ SVM_VMEXIT_RDTSCP,	"RDTSCP",	0,
	    NAE_RAX | NAE_RCX | NAE_RDX },
	{ SVM_VMEXIT_WBINVD,	"WBINVD",	0,	0 },
	{ SVM_VMEXIT_MONITOR,	"MONITOR",	NAE_RAX | NAE_RCX | NAE_RDX,
	    0 },
	{ SVM_VMEXIT_MWAIT,	"MWAIT",	NAE_RAX | NAE_RCX, 0 },
	{ SEV_VMGEXIT_MMIO_READ, "MMIO read",	NAE_SCRATCH, 0 },
	{ SEV_VMGEXIT_MMIO_WRITE, "MMIO write",	NAE_SCRATCH, 0 },
	{ SEV_VMGEXIT_AP_RESET_HOLD, "AP reset hold", 0, NAE_INFO2 },
	{ SEV_VMGEXIT_AP_JUMP_TABLE, "AP jump table", 0, NAE_INFO2 },
	{ SEV_VMGEXIT_HV_FEATURES, "hypervisor feature support", 0,
	    NAE_INFO2 },
	{ SEV_VMGEXIT_UNSUPPORTED_EVENT, "unsupported event", 0, 0 },
	{ SVM_VMEXIT_INVLPGA,	"INVLPGA",	0,	0 },
	{ SVM_VMEXIT_VMRUN,	"VMRUN",	0,	0 },
	{ SVM_VMEXIT_VMLOAD,	"VMLOAD",	0,	0 },
	{ SVM_VMEXIT_VMSAVE,	"VMSAVE",	0,	0 },
	{ SVM_VMEXIT_STGI,	"STGI",		0,	0 },
	{ SVM_VMEXIT_CLGI,	"CLGI",		0,	0 },
	{ SVM_VMEXIT_SKINIT,	"SKINIT",	0,	0 },
	{ SVM_VMEXIT_ICEBP,	"ICEBP",	0,	0 },
	{ SVM_VMEXIT_MWAIT_CONDITIONAL, "MWAIT conditional", 0, 0 },
};

static const struct svm_nae *
svm_nae_lookup(uint64_t code)
{
	size_t i;

	for (i = 0; i < nitems(svm_naes); i++)
		if (svm_naes[i].sn_code == code)
			return (&svm_naes[i]);
	return (NULL);
}

/*
 * The first GHCB protocol version with the event.  Of the events this
 * vmm serves, only hypervisor feature support is new in version 2.
 * AP reset hold, AP jump table and unsupported event are version 1
 * events (Linux's version 1 guests send the first two), served at
 * either version.  A GHCB that says version 1 and asks for a version 2
 * event is refused as an unknown event, the answer a version 1
 * hypervisor gives.  KVM serves every event at either version (it never
 * reads the GHCB's version field); but the specification has the guest
 * write the version it negotiated there, so the field says which
 * events the guest may use.
 */
static int
svm_nae_version(uint64_t code)
{
	if (code == SEV_VMGEXIT_HV_FEATURES)
		return (2);
	return (1);
}

/* The operand size of an IOIO exit in bytes, 0 if it names none. */
static int
svm_ioio_size(uint64_t exitinfo1)
{
	switch (exitinfo1 & (SVM_IOIO_SZ8 | SVM_IOIO_SZ16 | SVM_IOIO_SZ32)) {
	case SVM_IOIO_SZ8:
		return (1);
	case SVM_IOIO_SZ16:
		return (2);
	case SVM_IOIO_SZ32:
		return (4);
	}
	return (0);
}

/* The bits of an IOIO operand of size bytes (1, 2 or 4). */
static uint32_t
svm_ioio_mask(int size)
{
	return (0xffffffffU >> (32 - 8 * size));
}

/* The fields a request takes, given what it asks for. */
static int
svm_nae_inputs(const struct svm_nae *sn, const struct svm_ghcb_req *rq)
{
	uint64_t exitinfo1 = rq->rq_exitinfo1;
	int in = sn->sn_in;

	switch (sn->sn_code) {
	case SVM_VMEXIT_CPUID:
		/* Leaf 0xD describes the XSAVE area of the guest's XCR0. */
		if ((uint32_t)rq->rq_rax == 0xd)
			in |= NAE_XCR0;
		break;
	case SVM_VMEXIT_MSR:
		if (exitinfo1 == 1)
			in |= NAE_RAX | NAE_RDX;
		break;
	case SVM_VMEXIT_IOIO:
		if (exitinfo1 & SVM_IOIO_STR)
			in |= NAE_SCRATCH;
		else if (!(exitinfo1 & SVM_IOIO_IN))
			in |= NAE_RAX;
		break;
	}
	return (in);
}

/* The fields the answer to a request carries. */
static int
svm_nae_outputs(const struct svm_nae *sn, uint64_t exitinfo1)
{
	int out = sn->sn_out;

	switch (sn->sn_code) {
	case SVM_VMEXIT_MSR:
		if (exitinfo1 == 0)
			out |= NAE_RAX | NAE_RDX;
		break;
	case SVM_VMEXIT_IOIO:
		if ((exitinfo1 & (SVM_IOIO_STR | SVM_IOIO_IN)) == SVM_IOIO_IN)
			out |= NAE_RAX;
		break;
	}
	return (out);
}

/* Starts a message about a GHCB request; the caller finishes it. */
static void
svm_ghcb_say(struct vcpu *vcpu, const char *what)
{
	printf("vm %u vcpu %u: GHCB %s: ", vcpu->vc_parent->vm_id,
	    vcpu->vc_id, what);
}

/* Is [gpa, gpa + len) guest RAM? */
static int
vmm_gpa_is_ram(struct vm *vm, paddr_t gpa, size_t len)
{
	struct vm_mem_range *vmr;
	size_t i;

	for (i = 0; i < vm->vm_nmemranges; i++) {
		vmr = &vm->vm_memranges[i];
		if (vmr->vmr_type != VM_MEM_RAM || gpa < vmr->vmr_gpa ||
		    gpa - vmr->vmr_gpa >= vmr->vmr_size)
			continue;
		return (len <= vmr->vmr_size - (gpa - vmr->vmr_gpa));
	}
	return (0);
}

/*
 * Makes the guest page at gpa the vcpu's GHCB.  An SEV-ES guest may
 * move its GHCB at any VMGEXIT: the page the GHCB MSR names then is
 * the one to read and answer, never an earlier one (OpenBSD 7.8 keeps
 * using the first page).  Returns 0, or -1 with a message.
 */
static int
svm_ghcb_register(struct vcpu *vcpu, paddr_t gpa)
{
	struct vm *vm = vcpu->vc_parent;
	paddr_t hpa;

	if (vcpu->vc_svm_ghcb_va != 0 && gpa == vcpu->vc_svm_ghcb_pa)
		return (0);
	/* GHCB MSR value 0 is no GHCB: a page at GPA 0 could not be used. */
	if (gpa == 0 || !vmm_gpa_is_ram(vm, gpa, PAGE_SIZE) ||
	    !pmap_extract(vm->vm_pmap, gpa, &hpa)) {
		printf("vm %u vcpu %u: GHCB at GPA 0x%lx declined, it is not "
		    "guest RAM\n", vm->vm_id, vcpu->vc_id, gpa);
		return (-1);
	}

	vcpu->vc_svm_ghcb_va = (vaddr_t)PMAP_DIRECT_MAP(hpa);
	vcpu->vc_svm_ghcb_pa = gpa;
	DPRINTF("%s: vm %u vcpu %u: GHCB at GPA 0x%lx, HPA 0x%lx\n", __func__,
	    vm->vm_id, vcpu->vc_id, gpa, hpa);
	return (0);
}

/*
 * The page-protocol VMGEXIT's GHCB: the page the GHCB MSR names, which
 * has to be the vcpu's GHCB (or becomes it), and has to speak a
 * protocol version the vmm offers.  A page that does not is no page
 * the guest could read an answer from; a GHCB in private memory, whose
 * ciphertext the host sees, looks like that.  EINVAL then: the vcpu
 * cannot be answered and ends.
 *
 * Version 0 is the exception.  The specification has the guest write
 * the version it speaks, but guests that never negotiate one leave the
 * field 0 (OpenBSD's does), and KVM does not look at the field.  Such
 * a GHCB is served as version 1, the version every hypervisor speaks,
 * and the console says so once per vcpu.
 */
static int
svm_vmgexit_ghcb(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	paddr_t gpa = vmcb->v_ghcb_gpa;
	struct ghcb_sa *ghcb;
	uint16_t version;

	if (gpa == 0 || (gpa & ~PG_FRAME) != 0) {
		printf("vm %u vcpu %u: VMGEXIT with GHCB MSR 0x%lx, which "
		    "names neither a GHCB page nor an MSR protocol request\n",
		    vcpu->vc_parent->vm_id, vcpu->vc_id, gpa);
		return (EINVAL);
	}
	if (svm_ghcb_register(vcpu, gpa) != 0)
		return (EINVAL);

	ghcb = (struct ghcb_sa *)vcpu->vc_svm_ghcb_va;
	version = READ_ONCE(ghcb->v_ghcb_proto_version);
	if (version == 0) {
		if (!vcpu->vc_svm_ghcb_unversioned)
			printf("vm %u vcpu %u: GHCB at GPA 0x%lx has no "
			    "protocol version (0); served as version %d\n",
			    vcpu->vc_parent->vm_id, vcpu->vc_id, gpa,
			    GHCB_PROTO_MIN);
		vcpu->vc_svm_ghcb_unversioned = 1;
		version = GHCB_PROTO_MIN;
	} else if (version < GHCB_PROTO_MIN || version > GHCB_PROTO_MAX) {
		printf("vm %u vcpu %u: GHCB at GPA 0x%lx has protocol version "
		    "0x%x, not %d to %d: no GHCB to answer in (is the page "
		    "shared?)\n", vcpu->vc_parent->vm_id, vcpu->vc_id, gpa,
		    version, GHCB_PROTO_MIN, GHCB_PROTO_MAX);
		return (EINVAL);
	}
	/* What svm_vmgexit_sync_host checks the event against. */
	vcpu->vc_svm_ghcb_version = version;
	return (0);
}

/*
 * The request's scratch area, count elements of size bytes at
 * sw_scratch, has to lie in the GHCB's shared buffer (the
 * specification also allows other shared guest memory; this vmm does
 * not).  Sets vc_svm_scratch_va.  Returns 0 or
 * GHCB_ERR_INVALID_SCRATCH_AREA.
 */
static int
svm_vmgexit_scratch(struct vcpu *vcpu, const struct svm_nae *sn,
    uint64_t scratch, uint64_t count, int size)
{
	paddr_t buf = vcpu->vc_svm_ghcb_pa + GHCB_SHAREDBUF;
	uint64_t len;

	/* count is the guest's: bound it before count * size can wrap. */
	len = count <= GHCB_SHAREDBUF_SZ ? count * size :
	    GHCB_SHAREDBUF_SZ + 1;
	if (len > GHCB_SHAREDBUF_SZ || scratch < buf ||
	    scratch - buf > GHCB_SHAREDBUF_SZ - len) {
		svm_ghcb_say(vcpu, sn->sn_name);
		printf("scratch area 0x%llx (%llu x %d bytes) not inside the "
		    "shared buffer 0x%lx-0x%lx\n", (unsigned long long)scratch,
		    (unsigned long long)count, size, buf,
		    buf + GHCB_SHAREDBUF_SZ - 1);
		return (GHCB_ERR_INVALID_SCRATCH_AREA);
	}
	vcpu->vc_svm_scratch_va = vcpu->vc_svm_ghcb_va +
	    (scratch - vcpu->vc_svm_ghcb_pa);
	return (0);
}

/* An XCR0 the guest could have: x87 on, nothing the host withholds. */
static int
vmm_xcr0_is_valid(uint64_t xcr0)
{
	if (!(xcr0 & XFEATURE_X87))
		return (0);
	if (xcr0 & ~(xsave_mask | XFEATURE_X87))
		return (0);
	if ((xcr0 & XFEATURE_AVX) && !(xcr0 & XFEATURE_SSE))
		return (0);
	return (1);
}

/*
 * Checks the values of a request's fields, beyond their being there;
 * in is what svm_nae_inputs said the request takes.  Returns 0 or the
 * GHCB_ERR_* reason to refuse it for.
 */
static int
svm_vmgexit_check(struct vcpu *vcpu, const struct svm_nae *sn,
    const struct svm_ghcb_req *rq, int in)
{
	uint64_t exitinfo1 = rq->rq_exitinfo1;
	uint64_t exitinfo2 = rq->rq_exitinfo2;
	int size;

	switch (sn->sn_code) {
	case SVM_VMEXIT_CPUID:
		if ((in & NAE_XCR0) && !vmm_xcr0_is_valid(rq->rq_xcr0)) {
			svm_ghcb_say(vcpu, sn->sn_name);
			printf("XCR0 0x%llx is not one the guest can have "
			    "(components 0x%llx)\n",
			    (unsigned long long)rq->rq_xcr0,
			    (unsigned long long)(xsave_mask | XFEATURE_X87));
			return (GHCB_ERR_INVALID_INPUT);
		}
		break;
	case SVM_VMEXIT_MSR:
		if (exitinfo1 > 1) {
			svm_ghcb_say(vcpu, sn->sn_name);
			printf("sw_exitinfo1 0x%llx is neither 0 (RDMSR) nor 1 "
			    "(WRMSR)\n", (unsigned long long)exitinfo1);
			return (GHCB_ERR_INVALID_INPUT);
		}
		break;
	case SVM_VMEXIT_IOIO:
		if ((size = svm_ioio_size(exitinfo1)) == 0) {
			svm_ghcb_say(vcpu, sn->sn_name);
			printf("sw_exitinfo1 0x%llx has no single operand "
			    "size\n", (unsigned long long)exitinfo1);
			return (GHCB_ERR_INVALID_INPUT);
		}
		/*
		 * String I/O: sw_exitinfo2 is the element count, with or
		 * without SVM_IOIO_REP (the guest's #VC handler has
		 * already taken it from RCX).
		 */
		if ((exitinfo1 & SVM_IOIO_STR) && exitinfo2 != 0)
			return (svm_vmgexit_scratch(vcpu, sn, rq->rq_scratch,
			    exitinfo2, size));
		break;
	case SEV_VMGEXIT_MMIO_READ:
	case SEV_VMGEXIT_MMIO_WRITE:
		/* sw_exitinfo1 is the GPA, sw_exitinfo2 the access size. */
		if (exitinfo2 == 0 || exitinfo2 > sizeof(uint64_t)) {
			svm_ghcb_say(vcpu, sn->sn_name);
			printf("size %llu at GPA 0x%llx, not 1 to 8 bytes\n",
			    (unsigned long long)exitinfo2,
			    (unsigned long long)exitinfo1);
			return (GHCB_ERR_INVALID_INPUT);
		}
		return (svm_vmgexit_scratch(vcpu, sn, rq->rq_scratch,
		    exitinfo2, 1));
	case SEV_VMGEXIT_AP_JUMP_TABLE:
		if (exitinfo1 != GHCB_AP_JUMP_TABLE_SET &&
		    exitinfo1 != GHCB_AP_JUMP_TABLE_GET) {
			svm_ghcb_say(vcpu, sn->sn_name);
			printf("sw_exitinfo1 0x%llx is neither 0 (SET) nor 1 "
			    "(GET)\n", (unsigned long long)exitinfo1);
			return (GHCB_ERR_INVALID_INPUT);
		}
		break;
	}
	return (0);
}

/* Every request: the standard format and the three exit words. */
static int
svm_vmgexit_check_header(struct vcpu *vcpu, struct svm_ghcb_req *rq)
{
	size_t i;

	if (rq->rq_usage != 0) {
		svm_ghcb_say(vcpu, "request");
		printf("usage %u is not 0, the standard format\n",
		    rq->rq_usage);
		return (GHCB_ERR_INVALID_USAGE);
	}
	for (i = 0; i < nitems(ghcb_header); i++) {
		if (!ghcb_valbm_isset(rq->rq_valid, ghcb_header[i].gh_off)) {
			svm_ghcb_say(vcpu, "request");
			printf("%s not marked valid\n", ghcb_header[i].gh_name);
			return (GHCB_ERR_MISSING_INPUT);
		}
	}
	return (0);
}

/* Every field the request takes has to be marked valid. */
static int
svm_vmgexit_check_valid(struct vcpu *vcpu, const struct svm_nae *sn,
    struct svm_ghcb_req *rq, int in)
{
	size_t i;

	for (i = 0; i < nitems(ghcb_regs); i++) {
		if ((in & ghcb_regs[i].gr_nae) &&
		    !ghcb_valbm_isset(rq->rq_valid, ghcb_regs[i].gr_off)) {
			svm_ghcb_say(vcpu, sn->sn_name);
			printf("%s not marked valid\n", ghcb_regs[i].gr_name);
			return (GHCB_ERR_MISSING_INPUT);
		}
	}
	return (0);
}

/*
 * Copies the request out of the shared page, each field exactly once
 * (READ_ONCE: the compiler may not read the page again for it), and
 * only the fields the guest marked valid, by the bitmap as copied: the
 * others are not the guest's to hand over (KVM reads them the same
 * way).  A field not copied reads 0 and is never used.
 */
static void
svm_ghcb_read(struct ghcb_sa *ghcb, struct svm_ghcb_req *rq)
{
	uint8_t *bm = rq->rq_valid;

	memset(rq, 0, sizeof(*rq));
	memcpy(rq->rq_valid, ghcb->valid_bitmap, sizeof(rq->rq_valid));
	rq->rq_usage = READ_ONCE(ghcb->v_ghcb_usage);
	if (ghcb_valbm_isset(bm, GHCB_SW_EXITCODE))
		rq->rq_exitcode = READ_ONCE(ghcb->v_sw_exitcode);
	if (ghcb_valbm_isset(bm, GHCB_SW_EXITINFO1))
		rq->rq_exitinfo1 = READ_ONCE(ghcb->v_sw_exitinfo1);
	if (ghcb_valbm_isset(bm, GHCB_SW_EXITINFO2))
		rq->rq_exitinfo2 = READ_ONCE(ghcb->v_sw_exitinfo2);
	if (ghcb_valbm_isset(bm, GHCB_SW_SCRATCH))
		rq->rq_scratch = READ_ONCE(ghcb->v_sw_scratch);
	if (ghcb_valbm_isset(bm, GHCB_RAX))
		rq->rq_rax = READ_ONCE(ghcb->v_rax);
	if (ghcb_valbm_isset(bm, GHCB_RBX))
		rq->rq_rbx = READ_ONCE(ghcb->v_rbx);
	if (ghcb_valbm_isset(bm, GHCB_RCX))
		rq->rq_rcx = READ_ONCE(ghcb->v_rcx);
	if (ghcb_valbm_isset(bm, GHCB_RDX))
		rq->rq_rdx = READ_ONCE(ghcb->v_rdx);
	if (ghcb_valbm_isset(bm, GHCB_XCR0))
		rq->rq_xcr0 = READ_ONCE(ghcb->v_xcr0);
	if (ghcb_valbm_isset(bm, GHCB_CPL))
		rq->rq_cpl = READ_ONCE(ghcb->v_cpl);
}

/*
 * Takes a request from the GHCB into the VMCB and the vcpu, so that the
 * exit handlers can serve it: exit code and information into the
 * VMCB's control area, the registers it takes into the VMCB and
 * vc_gueststate.  Only checked values of the fields the request takes
 * are taken in; the handlers use nothing of the guest's state but
 * these.  Returns 0, or the GHCB_ERR_* reason the request is refused
 * for (with a message).
 */
int
svm_vmgexit_sync_host(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	const struct svm_nae *sn;
	struct svm_ghcb_req rq;
	int in, reason;

	if (!vcpu->vc_seves || vcpu->vc_svm_ghcb_va == 0)
		return (0);
	svm_ghcb_read((struct ghcb_sa *)vcpu->vc_svm_ghcb_va, &rq);

	if ((reason = svm_vmgexit_check_header(vcpu, &rq)) != 0)
		return (reason);
	if ((sn = svm_nae_lookup(rq.rq_exitcode)) == NULL) {
		svm_ghcb_say(vcpu, "request");
		printf("unknown sw_exitcode 0x%llx\n",
		    (unsigned long long)rq.rq_exitcode);
		return (GHCB_ERR_INVALID_EVENT);
	}
	if (vcpu->vc_svm_ghcb_version < svm_nae_version(sn->sn_code)) {
		svm_ghcb_say(vcpu, sn->sn_name);
		printf("an event of protocol version %d, the GHCB speaks "
		    "version %d\n", svm_nae_version(sn->sn_code),
		    vcpu->vc_svm_ghcb_version);
		return (GHCB_ERR_INVALID_EVENT);
	}
	in = svm_nae_inputs(sn, &rq);
	if ((reason = svm_vmgexit_check_valid(vcpu, sn, &rq, in)) != 0)
		return (reason);
	if ((reason = svm_vmgexit_check(vcpu, sn, &rq, in)) != 0)
		return (reason);

	vmcb->v_exitcode = rq.rq_exitcode;
	vmcb->v_exitinfo1 = rq.rq_exitinfo1;
	vmcb->v_exitinfo2 = rq.rq_exitinfo2;
	if (in & NAE_RAX)
		vmcb->v_rax = vg->vg_rax = rq.rq_rax;
	if (in & NAE_RBX)
		vg->vg_rbx = rq.rq_rbx;
	if (in & NAE_RCX)
		vg->vg_rcx = rq.rq_rcx;
	if (in & NAE_RDX)
		vg->vg_rdx = rq.rq_rdx;
	if (in & NAE_CPL)
		vmcb->v_cpl = rq.rq_cpl;
	if (in & NAE_XCR0)
		vg->vg_xcr0 = rq.rq_xcr0;

	return (0);
}

/*
 * Starts an answer: clears the valid bitmap, then sets sw_exitinfo1 and
 * sw_exitinfo2.  Nothing else is written: a field the answer does not
 * mark valid is the guest's, and means nothing to it (the shared buffer
 * keeps what a handler put there for the guest).
 */
static struct ghcb_sa *
svm_ghcb_answer(struct vcpu *vcpu, uint64_t exitinfo1, uint64_t exitinfo2)
{
	struct ghcb_sa *ghcb = (struct ghcb_sa *)vcpu->vc_svm_ghcb_va;

	memset(ghcb->valid_bitmap, 0, sizeof(ghcb->valid_bitmap));
	ghcb->v_sw_exitinfo1 = exitinfo1;
	ghcb->v_sw_exitinfo2 = exitinfo2;
	ghcb_valbm_set(ghcb->valid_bitmap, GHCB_SW_EXITINFO1);
	ghcb_valbm_set(ghcb->valid_bitmap, GHCB_SW_EXITINFO2);
	return (ghcb);
}

/* The exception a handler raised, in event injection format. */
static uint64_t
svm_ghcb_event(struct vcpu *vcpu)
{
	struct vcpu_inject_event *vie = &vcpu->vc_inject;
	uint64_t event;

	event = vie->vie_vector | SVM_EVENTINJ_TYPE_EXCEPTION |
	    SVM_EVENTINJ_VALID;
	if (vie->vie_vector == VMM_EX_GP)
		event |= SVM_EVENTINJ_EV | ((uint64_t)vie->vie_errorcode << 32);
	return (event);
}

/*
 * Answers the request svm_vmgexit_sync_host took in: with exactly the
 * registers its event returns, marked valid, and success; or, if a
 * handler raised an exception (vmm_inject_*), with that exception for
 * the guest to take.  The request is taken from the VMCB, where
 * sync_host put it, not re-read from guest memory.
 */
int
svm_vmgexit_sync_guest(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	const struct svm_nae *sn;
	struct ghcb_sa *ghcb;
	uint8_t *bm;
	int out;

	if (!vcpu->vc_seves || vcpu->vc_svm_ghcb_va == 0)
		return (0);

	if ((sn = svm_nae_lookup(vmcb->v_exitcode)) == NULL) {
		printf("%s: vm %u vcpu %u: no GHCB response for exit 0x%llx\n",
		    __func__, vcpu->vc_parent->vm_id, vcpu->vc_id,
		    (unsigned long long)vmcb->v_exitcode);
		return (EINVAL);
	}

	if (vcpu->vc_inject.vie_type == VCPU_INJECT_EX) {
		svm_ghcb_answer(vcpu, GHCB_RESP_EXCEPTION,
		    svm_ghcb_event(vcpu));
		vcpu->vc_inject.vie_type = VCPU_INJECT_NONE;
		return (0);
	}

	out = svm_nae_outputs(sn, vmcb->v_exitinfo1);
	ghcb = svm_ghcb_answer(vcpu, GHCB_RESP_OK,
	    (out & NAE_INFO2) ? vcpu->vc_svm_ghcb_info2 : 0);
	bm = ghcb->valid_bitmap;
	if (out & NAE_RAX) {
		ghcb->v_rax = vg->vg_rax;
		ghcb_valbm_set(bm, GHCB_RAX);
	}
	if (out & NAE_RBX) {
		ghcb->v_rbx = vg->vg_rbx;
		ghcb_valbm_set(bm, GHCB_RBX);
	}
	if (out & NAE_RCX) {
		ghcb->v_rcx = vg->vg_rcx;
		ghcb_valbm_set(bm, GHCB_RCX);
	}
	if (out & NAE_RDX) {
		ghcb->v_rdx = vg->vg_rdx;
		ghcb_valbm_set(bm, GHCB_RDX);
	}

	return (0);
}

/* Refuses the request, reason GHCB_ERR_*; the guest runs on. */
static int
svm_vmgexit_refuse(struct vcpu *vcpu, int reason)
{
	svm_ghcb_answer(vcpu, GHCB_RESP_BAD_INPUT, reason);
	return (0);
}

/*
 * IN, OUT, INS, OUTS: vmd carries out the access (EAGAIN), and the
 * request is answered when the vcpu runs again (svm_vmgexit_complete).
 * A string moves one element per exit; a count of 0 moves nothing.
 */
static int
svm_vmgexit_ioio(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	int error;

	vcpu->vc_svm_str_count = 0;
	vcpu->vc_svm_str_done = 0;
	if (vmcb->v_exitinfo1 & SVM_IOIO_STR) {
		/* At most GHCB_SHAREDBUF_SZ: svm_vmgexit_check. */
		vcpu->vc_svm_str_count = (uint32_t)vmcb->v_exitinfo2;
		if (vcpu->vc_svm_str_count == 0)
			return (svm_vmgexit_sync_guest(vcpu));
	}

	if ((error = svm_handle_inout(vcpu)) != 0)
		return (error);
	vcpu->vc_gueststate.vg_exit_reason = SVM_VMEXIT_IOIO;
	return (EAGAIN);
}

/*
 * MMIO: vmd carries out the access described in vc_exit.vem, reported
 * as an NPF exit to be emulated (EAGAIN); a write's data comes from the
 * scratch area, a read's goes there in svm_vmgexit_complete.
 */
static int
svm_vmgexit_mmio(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vm_exit_mmio *vem = &vcpu->vc_exit.vem;

	memset(vem, 0, sizeof(*vem));
	vem->vem_fault_type = VEE_FAULT_MMIO_ASSIST;
	vem->vem_gpa = vmcb->v_exitinfo1;
	vem->vem_size = (uint8_t)vmcb->v_exitinfo2;	/* 1 to 8 */
	if (vmcb->v_exitcode == SEV_VMGEXIT_MMIO_READ)
		vem->vem_dir = VEI_DIR_IN;
	else {
		vem->vem_dir = VEI_DIR_OUT;
		memcpy(&vem->vem_data, (void *)vcpu->vc_svm_scratch_va,
		    vem->vem_size);
	}

	vcpu->vc_gueststate.vg_exit_reason = SVM_VMEXIT_NPF;
	return (EAGAIN);
}

/*
 * vmd has moved one element of an INS or OUTS: an IN element goes into
 * the scratch area.  The next element goes to vmd (EAGAIN); after the
 * last, the request is answered.
 */
static int
svm_vmgexit_string_next(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	uint8_t *elem;
	int size;

	size = svm_ioio_size(vmcb->v_exitinfo1);
	elem = (uint8_t *)vcpu->vc_svm_scratch_va +
	    (size_t)vcpu->vc_svm_str_done * size;
	if (vmcb->v_exitinfo1 & SVM_IOIO_IN)
		memcpy(elem, &vcpu->vc_exit.vei.vei_data, size);

	if (++vcpu->vc_svm_str_done < vcpu->vc_svm_str_count)
		return (svm_handle_inout(vcpu) ? EINVAL : EAGAIN);
	return (svm_vmgexit_sync_guest(vcpu));
}

/*
 * vmd has served the access an SEV-ES guest's GHCB request needed; its
 * answer (vc_exit, copied in by vm_run) goes into the GHCB before the
 * guest runs again.  What the request was is the VMCB's copy.  Returns
 * 0, EAGAIN when a string has another element for vmd, or EINVAL.
 */
static int
svm_vmgexit_complete(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vm_exit *ve = &vcpu->vc_exit;

	switch (vmcb->v_exitcode) {
	case SVM_VMEXIT_IOIO:
		if (vmcb->v_exitinfo1 & SVM_IOIO_STR)
			return (svm_vmgexit_string_next(vcpu));
		/* The operand's bytes only: vmd's others mean nothing. */
		if (vmcb->v_exitinfo1 & SVM_IOIO_IN)
			vcpu->vc_gueststate.vg_rax = ve->vei.vei_data &
			    svm_ioio_mask(svm_ioio_size(vmcb->v_exitinfo1));
		break;
	case SEV_VMGEXIT_MMIO_READ:
		memcpy((void *)vcpu->vc_svm_scratch_va, &ve->vem.vem_data,
		    (size_t)vmcb->v_exitinfo2);
		break;
	case SEV_VMGEXIT_MMIO_WRITE:
		break;
	default:
		printf("%s: vm %u vcpu %u: exit 0x%llx leaves no GHCB request "
		    "to complete\n", __func__, vcpu->vc_parent->vm_id,
		    vcpu->vc_id, (unsigned long long)vmcb->v_exitcode);
		return (EINVAL);
	}
	return (svm_vmgexit_sync_guest(vcpu));
}

/*
 * RDTSC and RDTSCP: the host's TSC plus the guest's offset.  RDTSCP's
 * TSC_AUX is the vcpu's id, which is what a guest kernel would keep
 * there (its own writes of TSC_AUX are dropped).
 */
static int
svm_handle_rdtsc(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	uint64_t tsc;

	tsc = rdtsc() + vmcb->v_tsc_offset;
	vg->vg_rax = tsc & 0xffffffffULL;
	vg->vg_rdx = tsc >> 32;
	if (vmcb->v_exitcode == SVM_VMEXIT_RDTSCP)
		vg->vg_rcx = vcpu->vc_id;
	return (0);
}

/*
 * RDPMC: guests get no performance counters; the ones the CPU has read
 * 0, any other number raises #GP, as the CPU would.
 */
static int
svm_handle_rdpmc(struct vcpu *vcpu)
{
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	uint32_t ctr = (uint32_t)vg->vg_rcx;

	if (ctr >= VMM_SVM_NPMC) {
		printf("vm %u vcpu %u: RDPMC of counter %u, the CPU has %d: "
		    "#GP\n", vcpu->vc_parent->vm_id, vcpu->vc_id, ctr,
		    VMM_SVM_NPMC);
		return (vmm_inject_gp(vcpu));
	}
	vg->vg_rax = 0;
	vg->vg_rdx = 0;
	return (0);
}

/*
 * MOV from and to DR7.  The host keeps an SEV-ES guest's DR7 in the
 * VMCB, which the CPU does not use for it: the guest reads what it
 * wrote (0x400 after reset), and the debug hardware stays the host's.
 * A value with bits 63:32 set raises #GP, as on the CPU.
 */
static int
svm_handle_dr7(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;

	if (vmcb->v_exitcode == SVM_VMEXIT_DR7_READ) {
		vg->vg_rax = vmcb->v_dr7;
		return (0);
	}
	if (vg->vg_rax >> 32) {
		printf("vm %u vcpu %u: DR7 write of 0x%llx: #GP\n",
		    vcpu->vc_parent->vm_id, vcpu->vc_id,
		    (unsigned long long)vg->vg_rax);
		return (vmm_inject_gp(vcpu));
	}
	vmcb->v_dr7 = (vg->vg_rax & ~DR7_MBZ) | DR7_MBO;
	svm_set_dirty(vcpu, SVM_CLEANBITS_DR);
	return (0);
}

/*
 * VMMCALL: this vmm offers no hypercalls.  Every call returns -1 in
 * RAX, an ENOSYS of sorts (KVM answers unknown calls with -1000), and
 * the guest runs on.
 */
static int
svm_handle_vmmcall(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;

	DPRINTF("%s: vm %u vcpu %u: hypercall 0x%llx at CPL %u: none such\n",
	    __func__, vcpu->vc_parent->vm_id, vcpu->vc_id,
	    (unsigned long long)vg->vg_rax, vmcb->v_cpl);
	vg->vg_rax = VMM_HVCALL_NONE;
	return (0);
}

/*
 * AP reset hold: the vcpu waits until an INIT-SIPI from another vcpu
 * releases it, and the answer's non-zero sw_exitinfo2 says it was
 * released (KVM answers 1 when the SIPI comes).  This vmm runs one
 * vcpu, so no SIPI can ever come and a held vcpu would hang the VM for
 * good: it is released at once, as for the MSR protocol request.
 */
static int
svm_vmgexit_ap_reset_hold(struct vcpu *vcpu)
{
	vcpu->vc_svm_ghcb_info2 = GHCB_AP_RELEASED;
	return (0);
}

/*
 * AP jump table: SET keeps sw_exitinfo2 as the VM's AP jump table GPA,
 * GET returns it (0 until set).  The table is where the guest's APs
 * start, which vmd would point them at; the vmm only keeps the GPA,
 * unchecked, as KVM does.  Other sub-functions were refused in
 * svm_vmgexit_check.
 */
static int
svm_vmgexit_ap_jump_table(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vm *vm = vcpu->vc_parent;

	if (vmcb->v_exitinfo1 == GHCB_AP_JUMP_TABLE_SET) {
		vm->vm_sev_ap_jump_table = vmcb->v_exitinfo2;
		vcpu->vc_svm_ghcb_info2 = 0;
	} else
		vcpu->vc_svm_ghcb_info2 = vm->vm_sev_ap_jump_table;
	return (0);
}

/*
 * Unsupported event: the guest met an event it cannot handle (by
 * OVMF's convention sw_exitinfo1 is that #VC's error code) and has no
 * way on.  The specification leaves the guest to the hypervisor: say
 * what it reported and stop the VM with EINVAL, as KVM does.
 */
static int
svm_vmgexit_unsupported(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;

	printf("vm %u vcpu %u: GHCB unsupported event: the guest cannot "
	    "handle an event (sw_exitinfo1 0x%llx, sw_exitinfo2 0x%llx); "
	    "stopping the vm\n", vcpu->vc_parent->vm_id, vcpu->vc_id,
	    (unsigned long long)vmcb->v_exitinfo1,
	    (unsigned long long)vmcb->v_exitinfo2);
	return (EINVAL);
}

/* An MSR protocol CPUID request: one register of one leaf, subleaf 0. */
static int
svm_msrproto_cpuid(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vcpu_gueststate *vg = &vcpu->vc_gueststate;
	uint64_t msr = vmcb->v_ghcb_gpa, result;
	int error;

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
}

/*
 * A GHCB MSR protocol request: the request is the GHCB MSR value, and
 * so is the response.  TERMINATE ends the vcpu with 1, which vm_run
 * reports as VM_EXIT_TERMINATED; a request the vmm does not know ends
 * it with EINVAL.
 *
 * SEV information: protocol versions GHCB_PROTO_MIN to GHCB_PROTO_MAX
 * and the host's C-bit position.  AP reset hold: a lone vcpu has no
 * one to wait for and is released at once.  Preferred GHCB GPA: none
 * (all ones).  GHCB registration: the GFN echoed, or all ones when the
 * page cannot be the GHCB.  Hypervisor features: none, SEV-ES only.
 */
static int
svm_vmgexit_msr_protocol(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	uint64_t msr = vmcb->v_ghcb_gpa, resp, gpa;

	switch (MSR_PROTO_CODE(msr)) {
	case MSR_PROTO_SEV_INFO_REQ:
		resp = MSR_PROTO_SEV_INFO_RESP |
		    ((uint64_t)GHCB_PROTO_MAX << 48) |
		    ((uint64_t)GHCB_PROTO_MIN << 32) |
		    ((uint64_t)(amd64_pos_cbit & 0xff) << 24);
		break;
	case MSR_PROTO_CPUID_REQ:
		return (svm_msrproto_cpuid(vcpu));
	case MSR_PROTO_AP_RESET_HOLD_REQ:
		resp = MSR_PROTO_AP_RESET_HOLD_RESP | MSR_PROTO_AP_RELEASED;
		break;
	case MSR_PROTO_PREF_GPA_REQ:
		resp = MSR_PROTO_PREF_GPA_RESP | MSR_PROTO_GFN_NONE;
		break;
	case MSR_PROTO_REG_GPA_REQ:
		/* The GFN in bits 63:12 is the page's GPA in place. */
		gpa = msr & MSR_PROTO_DATA_MASK;
		if (svm_ghcb_register(vcpu, gpa) != 0)
			gpa = MSR_PROTO_GFN_NONE;
		resp = MSR_PROTO_REG_GPA_RESP | gpa;
		break;
	case MSR_PROTO_HV_FEAT_REQ:
		resp = MSR_PROTO_HV_FEAT_RESP |
		    ((uint64_t)VMM_GHCB_HV_FEATURES << MSR_PROTO_DATA_SHIFT);
		break;
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

	vmcb->v_ghcb_gpa = resp;
	return (0);
}

/*
 * VMGEXIT: the guest wrote the GHCB MSR and asks the hypervisor.  Low
 * 12 bits set: an MSR protocol request.  Otherwise the value is the
 * GPA of the GHCB page, whose request is checked, served by the
 * handler of its event, and answered.  IOIO, MMIO and HLT go on to vmd
 * (EAGAIN; IOIO and MMIO are answered on re-entry in vcpu_run_svm).  An
 * unsupported event report is not answered: it ends the vcpu.
 */
int
svm_handle_vmgexit(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	int error = 0, reason, ret;

	if ((vmcb->v_ghcb_gpa & PAGE_MASK) != 0)
		return (svm_vmgexit_msr_protocol(vcpu));
	if ((error = svm_vmgexit_ghcb(vcpu)) != 0)
		return (error);
	if ((reason = svm_vmgexit_sync_host(vcpu)) != 0)
		return (svm_vmgexit_refuse(vcpu, reason));

	switch (vmcb->v_exitcode) {
	case SVM_VMEXIT_CPUID:
		error = vmm_handle_cpuid(vcpu);
		vcpu->vc_gueststate.vg_rax = vmcb->v_rax;
		break;
	case SVM_VMEXIT_MSR:
		error = svm_handle_msr(vcpu);
		vcpu->vc_gueststate.vg_rax = vmcb->v_rax;
		break;
	case SVM_VMEXIT_IOIO:
		return (svm_vmgexit_ioio(vcpu));
	case SEV_VMGEXIT_MMIO_READ:
	case SEV_VMGEXIT_MMIO_WRITE:
		return (svm_vmgexit_mmio(vcpu));
	case SVM_VMEXIT_RDTSC:
	case SVM_VMEXIT_RDTSCP:
		error = svm_handle_rdtsc(vcpu);
		break;
	case SVM_VMEXIT_RDPMC:
		error = svm_handle_rdpmc(vcpu);
		break;
	case SVM_VMEXIT_DR7_READ:
	case SVM_VMEXIT_DR7_WRITE:
		error = svm_handle_dr7(vcpu);
		break;
	case SVM_VMEXIT_VMMCALL:
		error = svm_handle_vmmcall(vcpu);
		break;
	case SVM_VMEXIT_HLT:
		/* Answered now; vmd decides when the vcpu runs on. */
		vcpu->vc_gueststate.vg_exit_reason = SVM_VMEXIT_HLT;
		error = EAGAIN;
		break;
	case SVM_VMEXIT_INVD:
	case SVM_VMEXIT_WBINVD:
	case SVM_VMEXIT_MONITOR:
	case SVM_VMEXIT_MWAIT:
		/* Coherent caches, nothing to wait for: nothing to do. */
		break;
	case SEV_VMGEXIT_AP_RESET_HOLD:
		error = svm_vmgexit_ap_reset_hold(vcpu);
		break;
	case SEV_VMGEXIT_AP_JUMP_TABLE:
		error = svm_vmgexit_ap_jump_table(vcpu);
		break;
	case SEV_VMGEXIT_HV_FEATURES:
		vcpu->vc_svm_ghcb_info2 = VMM_GHCB_HV_FEATURES;
		break;
	case SEV_VMGEXIT_UNSUPPORTED_EVENT:
		return (svm_vmgexit_unsupported(vcpu));
	default:
		/* The SVM instructions of svm_naes. */
		error = vmm_inject_ud(vcpu);
		break;
	}

	if (error != 0 && error != EAGAIN)
		return (error);
	if ((ret = svm_vmgexit_sync_guest(vcpu)) != 0)
		return (ret);
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
 * Describes a port access for vmd in vc_exit.vei: an IN or OUT, or the
 * next element of an SEV-ES guest's INS or OUTS, whose data is in the
 * request's scratch area.  vmd moves one element per exit; the kernel
 * walks the string.
 */
int
svm_handle_inout(struct vcpu *vcpu)
{
	struct vmcb *vmcb = (struct vmcb *)vcpu->vc_control_va;
	struct vm_exit_inout *vei = &vcpu->vc_exit.vei;
	uint64_t exit_qual = vmcb->v_exitinfo1;
	uint16_t port = exit_qual >> SVM_IOIO_PORT_SHIFT;
	uint32_t data = 0;
	uint8_t *elem;
	int size;

	if ((size = svm_ioio_size(exit_qual)) == 0) {
		printf("%s: vm %u vcpu %u: I/O at port 0x%x has no operand "
		    "size (exitinfo1 0x%llx)\n", __func__,
		    vcpu->vc_parent->vm_id, vcpu->vc_id, port,
		    (unsigned long long)exit_qual);
		return (EINVAL);
	}
	if ((exit_qual & SVM_IOIO_STR) && !vcpu->vc_seves) {
		printf("%s: vm %u vcpu %u: string I/O at port 0x%x is only "
		    "supported through the GHCB\n", __func__,
		    vcpu->vc_parent->vm_id, vcpu->vc_id, port);
		return (EINVAL);
	}
	vei->vei_size = size;
	vei->vei_dir = (exit_qual & SVM_IOIO_IN) ? VEI_DIR_IN : VEI_DIR_OUT;
	vei->vei_string = 0;
	vei->vei_rep = 0;
	vei->vei_encoding = 0;
	vei->vei_port = port;
	if (vei->vei_dir == VEI_DIR_OUT && (exit_qual & SVM_IOIO_STR)) {
		elem = (uint8_t *)vcpu->vc_svm_scratch_va +
		    (size_t)vcpu->vc_svm_str_done * size;
		memcpy(&data, elem, size);
	} else if (vei->vei_dir == VEI_DIR_OUT)
		data = (uint32_t)vmcb->v_rax & svm_ioio_mask(size);
	vei->vei_data = data;

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

/* Raises #GP in the guest (under SEV-ES: in the answer to its request). */
int
vmm_inject_gp(struct vcpu *vcpu)
{
	vcpu->vc_inject.vie_vector = VMM_EX_GP;
	vcpu->vc_inject.vie_type = VCPU_INJECT_EX;
	vcpu->vc_inject.vie_errorcode = 0;

	return (0);
}

/* Raises #UD in the guest. */
int
vmm_inject_ud(struct vcpu *vcpu)
{
	vcpu->vc_inject.vie_vector = VMM_EX_UD;
	vcpu->vc_inject.vie_type = VCPU_INJECT_EX;
	vcpu->vc_inject.vie_errorcode = 0;

	return (0);
}

/*
 * RDMSR/WRMSR the permission map sent to the host: RCX the MSR,
 * EDX:EAX the value.  RDMSR results go to the VMCB's RAX and the
 * vcpu's RDX.  As in OpenBSD, writes to MSRs without a meaning here
 * are dropped, and an invalid PAT and reads of MSRs the vmm does not
 * model raise #GP.  The TSC reads as RDTSC does.
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
				printf("vm %u vcpu %u: WRMSR of PAT 0x%llx, "
				    "not a valid PAT: #GP\n",
				    vcpu->vc_parent->vm_id, vcpu->vc_id,
				    (unsigned long long)val);
				return (vmm_inject_gp(vcpu));
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
		case MSR_TSC:
			val = rdtsc() + vmcb->v_tsc_offset;
			*rax = val & 0xffffffffULL;
			*rdx = val >> 32;
			break;
		default:
			printf("vm %u vcpu %u: RDMSR of MSR 0x%x, which the "
			    "vmm does not model: #GP\n",
			    vcpu->vc_parent->vm_id, vcpu->vc_id, msr);
			return (vmm_inject_gp(vcpu));
		}
	}

	if (!vcpu->vc_seves)
		vcpu->vc_gueststate.vg_rip += 2;

	return (0);
}

/* The size of an XSAVE area holding the components in mask. */
static uint32_t
vmm_xsave_size(uint64_t mask)
{
	uint32_t r[4], size = XSAVE_AREA_BASE;
	int i;

	for (i = 2; i < 63; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		CPUID_LEAF(0xd, i, r[0], r[1], r[2], r[3]);
		if (r[1] + r[0] > size)		/* offset + size */
			size = r[1] + r[0];
	}
	return (size);
}

/*
 * CPUID leaf 0xD: the XSAVE components the host lets guests use
 * (xsave_mask); subleaf 0's EBX is the size of the area for the
 * guest's XCR0, its ECX the size for all of them.
 */
static void
vmm_handle_cpuid_0xd(struct vcpu *vcpu, uint32_t subleaf, uint32_t *eax,
    uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
	uint64_t xcr0 = vcpu->vc_gueststate.vg_xcr0 & xsave_mask;

	if (subleaf == 0) {
		*eax = xsave_mask & 0xffffffffULL;
		*edx = xsave_mask >> 32;
		*ebx = vmm_xsave_size(xcr0);
		*ecx = vmm_xsave_size(xsave_mask);
	} else if (subleaf == 1) {
		*eax &= XSAVE_XSAVEOPT | XSAVE_XGETBV1;
		*ebx = *ecx = *edx = 0;
	} else if (subleaf >= 63 || !(xsave_mask & (1ULL << subleaf)))
		*eax = *ebx = *ecx = *edx = 0;
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
		vmm_handle_cpuid_0xd(vcpu, subleaf, &eax, &ebx, &ecx, &edx);
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
		/* SME is the host's own; a guest cannot use it. */
		eax &= CPUIDEAX_SEV | CPUIDEAX_SEVES;
		ebx &= 0xfff;	/* C-bit position, physical address bits lost */
		ecx = edx = 0;	/* ASID counts: the host's, not the guest's */
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
	 * Refused before anything else: completing a GHCB request below
	 * would otherwise hand an exception vmd asked for to the guest as
	 * the answer to that request.
	 */
	if (vcpu->vc_inject.vie_type != VCPU_INJECT_NONE) {
		printf("%s: vm %u vcpu %u: injecting event type %u vector %u "
		    "is not supported\n", __func__, vcpu->vc_parent->vm_id,
		    vcpu->vc_id, vcpu->vc_inject.vie_type,
		    vcpu->vc_inject.vie_vector);
		return (EINVAL);
	}

	/*
	 * vmd has served the previous exit.  For an access an SEV-ES
	 * guest asked for through its GHCB, vmd's answer goes into the
	 * GHCB now, before the guest sees it again; the next element of
	 * a string goes to vmd straight away.
	 */
	switch (vcpu->vc_gueststate.vg_exit_reason) {
	case SVM_VMEXIT_IOIO:
	case SVM_VMEXIT_NPF:
		if (vcpu->vc_seves) {
			ret = svm_vmgexit_complete(vcpu);
			break;
		}
		if (vcpu->vc_gueststate.vg_exit_reason != SVM_VMEXIT_IOIO)
			break;
		if (vcpu->vc_exit.vei.vei_dir == VEI_DIR_IN)
			vmcb->v_rax = vcpu->vc_exit.vei.vei_data;
		vcpu->vc_gueststate.vg_rip =
		    vcpu->vc_exit.vrs.vrs_gprs[VCPU_REGS_RIP];
		vmcb->v_rip = vcpu->vc_gueststate.vg_rip;
		break;
	}
	if (ret == EAGAIN)
		goto out;
	if (ret != 0)
		return (ret);
	memset(&vcpu->vc_exit, 0, sizeof(vcpu->vc_exit));

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

out:
	if (vcpu_readregs_svm(vcpu, VM_RWREGS_ALL, &vcpu->vc_exit.vrs))
		ret = EINVAL;

	return (ret);
}

/*
 * Hands out the lowest free ASID.  The ASIDs below the first one for
 * plain SEV (CPUID 0x8000001F EDX) are SEV-ES ASIDs: SEV-ES guests get
 * one of those, as VMRUN refuses them any other; plain SEV and
 * unencrypted guests start at that first ASID.
 */
int
vmm_alloc_vpid_vcpu(uint16_t *vpid, struct vcpu *vcpu)
{
	struct vmm_softc *sc = vmm_softc;
	uint16_t i, idx, minasid, maxasid;
	uint8_t bit;

	rw_enter_write(&sc->vpid_lock);
	if (vcpu == NULL || vcpu->vc_seves || amd64_min_noes_asid == 0)
		minasid = 1;
	else
		minasid = amd64_min_noes_asid;
	maxasid = sc->max_vpid;
	if (vcpu != NULL && vcpu->vc_seves && amd64_min_noes_asid > 0 &&
	    amd64_min_noes_asid - 1 < maxasid)
		maxasid = amd64_min_noes_asid - 1;
	for (i = minasid; i <= maxasid; i++) {
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
	    maxasid);
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
