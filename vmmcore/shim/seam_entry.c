/*
 * seam_entry.c - the kernel's side of the seam: what vmd and its ioctls
 * do, for the runner above.
 *
 * seam_vm_create is VMM_IOC_CREATE plus the memory setup and
 * VMM_IOC_RESETCPU vmd follows it with; seam_vm_run is one VMM_IOC_RUN,
 * with vmd's bookkeeping of the exit data in between runs;
 * seam_vm_destroy is VMM_IOC_TERM.
 */
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/device.h>
#include <sys/proc.h>
#include <sys/queue.h>

#include <uvm/uvm_extern.h>

#include <machine/cpu.h>
#include <machine/pmap.h>
#include <machine/psl.h>
#include <machine/vmmvar.h>

#include <dev/vmm/vmm.h>

#include "shim.h"

/*
 * Access rights of flat segments, in the VMX format vmd passes: type,
 * S, DPL, P in bits 7:0, then AVL, L, D/B, G in bits 15:12.
 */
#define SEAM_AR_CODE64	0xa09b	/* G, L, code read/accessed */
#define SEAM_AR_CODE32	0xc09b	/* G, D, code read/accessed */
#define SEAM_AR_DATA	0xc093	/* G, B, data write/accessed */
#define SEAM_AR_LDT	0x0082
#define SEAM_AR_TSS	0x008b	/* busy 64-bit TSS */

/* What vmd keeps per VM between runs. */
struct seam_vm {
	uint32_t		 sv_id;
	struct vm_exit		 sv_exit;	/* exit data, both ways */
	enum seam_exit_kind	 sv_read;	/* a read awaits vmd */
	uint8_t			 sv_read_size;
	uint32_t		 sv_exitcode;	/* the CPU's, last exit */
	SLIST_ENTRY(seam_vm)	 sv_link;
};

static SLIST_HEAD(, seam_vm) seam_vms = SLIST_HEAD_INITIALIZER(seam_vms);

/* The vcpu in vm_run, for the world switch (shim_guest_exited). */
static struct vcpu *seam_running;

static struct vcpu *seam_vcpu(struct seam_vm *);

/* What the kernel's copies of an SEV-ES guest's registers hold. */
uint64_t shim_guest_poison = 0x5e5e5e5e5e5e5e5eULL;

static struct seam_vm *
seam_vm_lookup(int vmid)
{
	struct seam_vm *sv;

	SLIST_FOREACH(sv, &seam_vms, sv_link)
		if ((int)sv->sv_id == vmid)
			return (sv);
	return (NULL);
}

/* vmd's power-on state for the kernel it loaded: flat segments. */
static void
seam_init_regs(const struct seam_vm_params *vp, struct vcpu_reg_state *vrs)
{
	struct vcpu_segment_info code, data;
	int i;

	memset(vrs, 0, sizeof(*vrs));
	vrs->vrs_gprs[VCPU_REGS_RIP] = vp->vp_rip;
	vrs->vrs_gprs[VCPU_REGS_RSP] = vp->vp_rsp;
	vrs->vrs_gprs[VCPU_REGS_RFLAGS] = PSL_MBO;

	vrs->vrs_crs[VCPU_REGS_CR0] = vp->vp_cr0;
	vrs->vrs_crs[VCPU_REGS_CR3] = vp->vp_cr3;
	vrs->vrs_crs[VCPU_REGS_CR4] = vp->vp_cr4;
	vrs->vrs_msrs[VCPU_REGS_EFER] = vp->vp_efer;

	code.vsi_sel = vp->vp_cs;
	code.vsi_limit = 0xffffffff;
	code.vsi_ar = vp->vp_entry_long ? SEAM_AR_CODE64 : SEAM_AR_CODE32;
	code.vsi_base = 0;
	data.vsi_sel = vp->vp_ds;
	data.vsi_limit = 0xffffffff;
	data.vsi_ar = SEAM_AR_DATA;
	data.vsi_base = 0;
	for (i = 0; i < VCPU_REGS_NSREGS; i++)
		vrs->vrs_sregs[i] = data;
	vrs->vrs_sregs[VCPU_REGS_CS] = code;
	vrs->vrs_sregs[VCPU_REGS_LDTR].vsi_sel = 0;
	vrs->vrs_sregs[VCPU_REGS_LDTR].vsi_limit = 0xffff;
	vrs->vrs_sregs[VCPU_REGS_LDTR].vsi_ar = SEAM_AR_LDT;
	vrs->vrs_sregs[VCPU_REGS_LDTR].vsi_base = 0;
	vrs->vrs_sregs[VCPU_REGS_TR].vsi_sel = 0;
	vrs->vrs_sregs[VCPU_REGS_TR].vsi_limit = 0xffff;
	vrs->vrs_sregs[VCPU_REGS_TR].vsi_ar = SEAM_AR_TSS;
	vrs->vrs_sregs[VCPU_REGS_TR].vsi_base = 0;

	vrs->vrs_gdtr.vsi_limit = vp->vp_gdt_limit;
	vrs->vrs_gdtr.vsi_base = vp->vp_gdt_base;

	/* Architectural reset values. */
	vrs->vrs_drs[VCPU_REGS_DR6] = 0xffff0ff0;
	vrs->vrs_drs[VCPU_REGS_DR7] = 0x400;
}

static int
seam_check_params(const struct seam_vm_params *vp)
{
	if (((vp->vp_ram_hpa | vp->vp_ram_size) & PAGE_MASK) != 0 ||
	    vp->vp_ram_size == 0) {
		printf("seam_vm_create: guest RAM at HPA 0x%llx, 0x%llx bytes: "
		    "not whole pages\n", (unsigned long long)vp->vp_ram_hpa,
		    (unsigned long long)vp->vp_ram_size);
		return (EINVAL);
	}
	if (vp->vp_ram_hpa < seam_physmem.sm_kernel_end ||
	    vp->vp_ram_hpa > seam_physmem.sm_size ||
	    vp->vp_ram_size > seam_physmem.sm_size - vp->vp_ram_hpa) {
		printf("seam_vm_create: guest RAM at HPA 0x%llx, 0x%llx bytes, "
		    "is not host memory above the kernel's (0x%llx-0x%llx)\n",
		    (unsigned long long)vp->vp_ram_hpa,
		    (unsigned long long)vp->vp_ram_size,
		    (unsigned long long)seam_physmem.sm_kernel_end,
		    (unsigned long long)seam_physmem.sm_size);
		return (EINVAL);
	}
	return (0);
}

/* Enters guest RAM into the nested pmap: the uvm part of creation. */
static int
seam_wire_ram(uint32_t vmid, const struct seam_vm_params *vp)
{
	struct vm *vm;
	int error;

	if ((error = vm_find(vmid, &vm)) != 0)
		return (error);
	error = shim_npt_map(vm->vm_pmap, 0, vp->vp_ram_hpa, vp->vp_ram_size);
	refcnt_rele_wake(&vm->vm_refcnt);
	return (error);
}

static void
seam_terminate(uint32_t vmid)
{
	struct vm_terminate_params vtp;

	memset(&vtp, 0, sizeof(vtp));
	vtp.vtp_vm_id = vmid;
	vm_terminate(&vtp);
	if (vmm_softc->vm_ct == 0)
		shim_shutdown();
}

int
seam_vm_create(const struct seam_vm_params *vp, int *vmid)
{
	struct vm_create_params vcp;
	struct vm_resetcpu_params vrp;
	struct seam_vm *sv;
	int error;

	if (vp == NULL || vmid == NULL) {
		printf("seam_vm_create: no parameters\n");
		return (EINVAL);
	}
	if ((error = shim_boot()) != 0)
		return (error);
	if ((error = seam_check_params(vp)) != 0)
		goto fail_boot;
	if ((sv = calloc(1, sizeof(*sv))) == NULL) {
		printf("seam_vm_create: no host memory\n");
		error = ENOMEM;
		goto fail_boot;
	}

	memset(&vcp, 0, sizeof(vcp));
	vcp.vcp_nmemranges = 1;
	vcp.vcp_memranges[0].vmr_gpa = 0;
	vcp.vcp_memranges[0].vmr_va = vp->vp_ram_hpa;	/* vmd's view */
	vcp.vcp_memranges[0].vmr_size = vp->vp_ram_size;
	vcp.vcp_memranges[0].vmr_type = VM_MEM_RAM;
	vcp.vcp_ncpus = 1;
	strncpy(vcp.vcp_name, "sevemu", sizeof(vcp.vcp_name) - 1);
	vcp.vcp_sev = 1;
	vcp.vcp_seves = 1;

	if (vmm_softc->vm_ct < 1 && (error = vmm_start()) != 0)
		goto fail_sv;
	if ((error = vm_create(&vcp, curproc)) != 0)
		goto fail_sv;

	if ((error = seam_wire_ram(vcp.vcp_id, vp)) != 0)
		goto fail_vm;

	memset(&vrp, 0, sizeof(vrp));
	vrp.vrp_vm_id = vcp.vcp_id;
	vrp.vrp_vcpu_id = 0;
	seam_init_regs(vp, &vrp.vrp_init_state);
	if ((error = vm_resetcpu(&vrp)) != 0)
		goto fail_vm;

	sv->sv_id = vcp.vcp_id;
	SLIST_INSERT_HEAD(&seam_vms, sv, sv_link);
	*vmid = (int)vcp.vcp_id;
	return (0);

fail_vm:
	(free)(sv);
	seam_terminate(vcp.vcp_id);
	return (error);
fail_sv:
	(free)(sv);
fail_boot:
	if (vmm_softc->vm_ct == 0)
		shim_shutdown();
	return (error);
}

/* The termination reason the guest left in its GHCB MSR. */
static void
seam_term_reason(struct seam_vm *sv, struct seam_exit *se)
{
	struct vm *vm;
	struct vcpu *vcpu;
	struct vmcb *vmcb;

	if (vm_find(sv->sv_id, &vm) != 0)
		return;
	if ((vcpu = vm_find_vcpu(vm, 0)) != NULL) {
		vmcb = (struct vmcb *)vcpu->vc_control_va;
		shim_msrproto_term_decode(vmcb->v_ghcb_gpa, &se->se_term_set,
		    &se->se_term_code);
	}
	refcnt_rele_wake(&vm->vm_refcnt);
}

/*
 * Why vm_run ended the vCPU without saying: what vcpu_run_svm would
 * have returned, as far as the exit shows it.
 */
#define SEAM_NO_ERRNO	(-1)

static int
seam_terminal_cause(struct seam_vm *sv, struct seam_exit *se)
{
	struct vm *vm;
	struct vcpu *vcpu;
	uint64_t msr = 0;

	if (se->se_exitcode == SVM_VMEXIT_HLT)
		return (EIO);
	if (vm_find(sv->sv_id, &vm) != 0)
		return (SEAM_NO_ERRNO);
	if ((vcpu = vm_find_vcpu(vm, 0)) != NULL)
		msr = ((struct vmcb *)vcpu->vc_control_va)->v_ghcb_gpa;
	refcnt_rele_wake(&vm->vm_refcnt);
	if (se->se_exitcode == SVM_VMEXIT_VMGEXIT &&
	    shim_msrproto_term_decode(msr, &se->se_term_set,
	    &se->se_term_code) == 0)
		return (1);
	return (SEAM_NO_ERRNO);
}

/*
 * The world switch is back from the guest.  Under SEV-ES the CPU has
 * put the guest's registers away in the encrypted VMSA: the kernel's
 * copies in vc_gueststate mean nothing now, and show it.  Whatever
 * the exit handlers use of the guest's state has to come from the
 * GHCB.
 */
void
shim_guest_exited(void)
{
	struct vcpu_gueststate *vg;

	if (seam_running == NULL || !seam_running->vc_seves)
		return;
	vg = &seam_running->vc_gueststate;
	vg->vg_rax = vg->vg_rbx = vg->vg_rcx = vg->vg_rdx = shim_guest_poison;
	vg->vg_rsi = vg->vg_rdi = vg->vg_rbp = shim_guest_poison;
	vg->vg_r8 = vg->vg_r9 = vg->vg_r10 = vg->vg_r11 = shim_guest_poison;
	vg->vg_r12 = vg->vg_r13 = vg->vg_r14 = shim_guest_poison;
	vg->vg_r15 = shim_guest_poison;
}

int
shim_vcpu_gueststate(int vmid, uint64_t *rbx, uint64_t *rdx)
{
	struct seam_vm *sv;
	struct vcpu *vcpu;

	if ((sv = seam_vm_lookup(vmid)) == NULL ||
	    (vcpu = seam_vcpu(sv)) == NULL)
		return (ENOENT);
	*rbx = vcpu->vc_gueststate.vg_rbx;
	*rdx = vcpu->vc_gueststate.vg_rdx;
	return (0);
}

/* Finds the vcpu vm_run is about to run, for shim_guest_exited. */
static struct vcpu *
seam_vcpu(struct seam_vm *sv)
{
	struct vm *vm;
	struct vcpu *vcpu;

	if (vm_find(sv->sv_id, &vm) != 0)
		return (NULL);
	vcpu = vm_find_vcpu(vm, 0);
	refcnt_rele_wake(&vm->vm_refcnt);
	return (vcpu);
}

/*
 * MMIO an SEV-ES guest asked for through its GHCB reaches vmd as an NPF
 * exit with the access in vc_exit.vem.  A vmm whose vm_exit has no vem
 * (OpenBSD's) never asks: an NPF from it is one vmd cannot serve.
 */
#ifdef VM_EXIT_HAS_MMIO
static int
seam_mmio(struct seam_vm *sv, struct seam_exit *se)
{
	struct vm_exit_mmio *vem = &sv->sv_exit.vem;

	if (vem->vem_fault_type != VEE_FAULT_MMIO_ASSIST)
		return (EINVAL);
	se->se_kind = SEAM_EXIT_MMIO;
	se->se_gpa = vem->vem_gpa;
	se->se_size = vem->vem_size;
	se->se_in = vem->vem_dir == VEI_DIR_IN;
	se->se_data = se->se_in ? 0 : vem->vem_data;
	return (0);
}

static void
seam_mmio_answer(struct seam_vm *sv, uint64_t data)
{
	sv->sv_exit.vem.vem_data = data;
}
#else
static int
seam_mmio(struct seam_vm *sv, struct seam_exit *se)
{
	return (EINVAL);
}

static void
seam_mmio_answer(struct seam_vm *sv, uint64_t data)
{
}
#endif

/* vmd's answer to a read goes back with the next run. */
static void
seam_answer_read(struct seam_vm *sv, const struct seam_exit *se)
{
	uint64_t mask;

	mask = sv->sv_read_size >= 8 || se->se_unmasked ? ~0ULL :
	    (1ULL << (8 * sv->sv_read_size)) - 1;
	if (sv->sv_read == SEAM_EXIT_IO)
		sv->sv_exit.vei.vei_data = (uint32_t)(se->se_data & mask);
	else if (sv->sv_read == SEAM_EXIT_MMIO)
		seam_mmio_answer(sv, se->se_data & mask);
	sv->sv_read = SEAM_EXIT_NONE;
}

/* An exit vmd serves: port I/O, or MMIO reported as an NPF to emulate. */
static int
seam_access(struct seam_vm *sv, uint16_t reason, struct seam_exit *se)
{
	struct vm_exit *ve = &sv->sv_exit;

	if (reason == SVM_VMEXIT_IOIO) {
		se->se_kind = SEAM_EXIT_IO;
		se->se_port = ve->vei.vei_port;
		se->se_size = ve->vei.vei_size;
		se->se_in = ve->vei.vei_dir == VEI_DIR_IN;
		se->se_data = se->se_in ? 0 : ve->vei.vei_data;
	} else if (seam_mmio(sv, se) != 0) {
		printf("seam_vm_run: vm %u: nested page fault of type %u, "
		    "which vmd cannot serve\n", sv->sv_id,
		    ve->vee.vee_fault_type);
		return (EINVAL);
	}
	sv->sv_read = se->se_in ? se->se_kind : SEAM_EXIT_NONE;
	sv->sv_read_size = se->se_size;
	return (0);
}

int
seam_vm_run(int vmid, struct seam_exit *se)
{
	struct cpu_info *ci = curcpu();
	struct vm_run_params vrp;
	struct seam_vm *sv;
	uint64_t nexits;
	int ret;

	if (se == NULL) {
		printf("seam_vm_run: no exit structure\n");
		return (EINVAL);
	}
	if ((sv = seam_vm_lookup(vmid)) == NULL) {
		printf("seam_vm_run: no VM %d\n", vmid);
		memset(se, 0, sizeof(*se));
		se->se_kind = SEAM_EXIT_ERROR;
		se->se_error = ENOENT;
		return (ENOENT);
	}

	seam_answer_read(sv, se);

	memset(&vrp, 0, sizeof(vrp));
	vrp.vrp_vm_id = sv->sv_id;
	vrp.vrp_vcpu_id = 0;
	vrp.vrp_inject.vie_type = VCPU_INJECT_NONE;
	vrp.vrp_exit = &sv->sv_exit;

	nexits = ci->ci_vmexit_count;
	seam_running = seam_vcpu(sv);
	ret = vm_run(&vrp);
	seam_running = NULL;
	if (ci->ci_vmexit_count != nexits)
		sv->sv_exitcode = (uint32_t)ci->ci_vmexit_code;

	memset(se, 0, sizeof(*se));
	se->se_exitcode = sv->sv_exitcode;
	/*
	 * A vm_run that ends the vCPU sets VM_EXIT_TERMINATED.  Up to
	 * 7.8 it also returns what vcpu_run_svm returned; -current
	 * returns 0, and vmd learns only that the vCPU is gone.  The
	 * exit tells a guest's request from a handler's failure: a HLT
	 * with interrupts off, a termination request in the GHCB MSR, or
	 * else a failure whose error number the vmm kept to itself.
	 */
	if (ret == 0 && vrp.vrp_exit_reason == VM_EXIT_TERMINATED)
		ret = seam_terminal_cause(sv, se);
	if (ret == 1) {
		se->se_kind = SEAM_EXIT_TERMINATE;
		seam_term_reason(sv, se);
		return (0);
	}
	/*
	 * OpenBSD's svm_handle_hlt fails a HLT with guest interrupts
	 * disabled with EIO, which vmd takes as the end of the VM; vmmcore
	 * returns EAGAIN with the HLT exit.  Either way the guest halted.
	 */
	if (ret == EIO && se->se_exitcode == SVM_VMEXIT_HLT) {
		se->se_kind = SEAM_EXIT_HLT;
		return (0);
	}
	if (ret == SEAM_NO_ERRNO) {
		se->se_kind = SEAM_EXIT_ERROR;
		return (0);
	}
	if (ret != 0) {
		se->se_kind = SEAM_EXIT_ERROR;
		se->se_error = ret;
		return (ret);
	}

	switch (vrp.vrp_exit_reason) {
	case VM_EXIT_NONE:
		se->se_kind = SEAM_EXIT_NONE;
		break;
	case SVM_VMEXIT_IOIO:
	case SVM_VMEXIT_NPF:
		if ((ret = seam_access(sv, vrp.vrp_exit_reason, se)) != 0) {
			se->se_kind = SEAM_EXIT_ERROR;
			se->se_error = ret;
			return (ret);
		}
		break;
	case SVM_VMEXIT_HLT:
		se->se_kind = SEAM_EXIT_HLT;
		break;
	case SVM_VMEXIT_SHUTDOWN:
		se->se_kind = SEAM_EXIT_SHUTDOWN;
		break;
	default:
		printf("seam_vm_run: vm %d: exit 0x%x for vmd, which has no "
		    "handler for it\n", vmid, vrp.vrp_exit_reason);
		se->se_kind = SEAM_EXIT_ERROR;
		se->se_error = EINVAL;
		return (EINVAL);
	}
	return (0);
}

void
seam_vm_destroy(int vmid)
{
	struct seam_vm *sv;

	if ((sv = seam_vm_lookup(vmid)) == NULL) {
		printf("seam_vm_destroy: no VM %d\n", vmid);
		return;
	}
	SLIST_REMOVE(&seam_vms, sv, seam_vm, sv_link);
	(free)(sv);
	seam_terminate((uint32_t)vmid);
}
