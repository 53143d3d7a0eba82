/*
 * vmm_support.c - the world switch, which a kernel writes in assembly
 * (vmm_support.S): here it is the machine's VMRUN below the seam.
 *
 * The host has nothing to save around VMRUN: the machine keeps the
 * guest on a stack of its own and returns here at the #VMEXIT.  What
 * the kernel would see of that exit is modelled: an exit for a host
 * interrupt (a timer tick ended the guest's slice) asks the scheduler
 * to let the vcpu go, which is how a guest that overruns its
 * instruction budget gets back to the runner.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <uvm/uvm_extern.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/pmap.h>
#include <machine/segments.h>
#include <machine/specialreg.h>
#include <machine/vmmvar.h>

#include "shim.h"

int
svm_seves_enter_guest(uint64_t vmcb_pa, vaddr_t hsa,
    struct region_descriptor *gdt)
{
	struct cpu_info *ci = curcpu();
	struct vmcb *vmcb;
	uint64_t hsave_pa = rdmsr(MSR_AMD_VM_HSAVE_PA);

	if (gdt == NULL || gdt->rd_base == 0) {
		printf("%s: no host GDT\n", __func__);
		return (EINVAL);
	}
	/* The host state goes where VM_HSAVE_PA says; the vmm must agree. */
	if (hsave_pa == 0 ||
	    PMAP_DIRECT_UNMAP(hsa) != hsave_pa + SVM_HSA_OFFSET) {
		printf("%s: host save area at 0x%lx, but VM_HSAVE_PA is "
		    "0x%llx\n", __func__, PMAP_DIRECT_UNMAP(hsa),
		    (unsigned long long)hsave_pa);
		return (EINVAL);
	}

	ci->ci_schedstate.spc_schedflags &= ~SPCF_SHOULDYIELD;

	if (seam_vmrun(vmcb_pa) != 0) {
		vmcb = (struct vmcb *)PMAP_DIRECT_MAP(vmcb_pa);
		ci->ci_vmexit_count++;
		ci->ci_vmexit_code = (vmcb_pa & PAGE_MASK) == 0 &&
		    vmcb_pa < seam_physmem.sm_size ? vmcb->v_exitcode :
		    (uint64_t)SVM_VMEXIT_INVALID;
		printf("%s: VMRUN refused the VMCB at 0x%llx\n", __func__,
		    (unsigned long long)vmcb_pa);
		return (EINVAL);
	}

	shim_guest_exited();
	vmcb = (struct vmcb *)PMAP_DIRECT_MAP(vmcb_pa);
	ci->ci_vmexit_count++;
	ci->ci_vmexit_code = vmcb->v_exitcode;
	if (vmcb->v_exitcode == SVM_VMEXIT_INTR)
		ci->ci_schedstate.spc_schedflags |= SPCF_SHOULDYIELD;

	return (0);
}

/*
 * The machine's CPU runs SEV-ES guests only, and has no VMX: these
 * entry points fail, loudly.
 */
int
svm_enter_guest(uint64_t vmcb_pa, struct vcpu_gueststate *gs,
    struct region_descriptor *gdt)
{
	printf("%s: not available: the machine runs SEV-ES guests only\n",
	    __func__);
	return (ENODEV);
}

#define VMX_UNAVAILABLE() do {						\
	printf("%s: not available: the machine has no VMX\n", __func__); \
	return (ENODEV);						\
} while (0)

int
vmxon(uint64_t *pa)
{
	VMX_UNAVAILABLE();
}

int
vmxoff(void)
{
	VMX_UNAVAILABLE();
}

int
vmclear(paddr_t *pa)
{
	VMX_UNAVAILABLE();
}

int
vmptrld(paddr_t *pa)
{
	VMX_UNAVAILABLE();
}

int
vmptrst(paddr_t *pa)
{
	VMX_UNAVAILABLE();
}

int
vmwrite(uint64_t field, uint64_t val)
{
	VMX_UNAVAILABLE();
}

int
vmread(uint64_t field, uint64_t *val)
{
	VMX_UNAVAILABLE();
}

int
invvpid(uint64_t type, struct vmx_invvpid_descriptor *d)
{
	VMX_UNAVAILABLE();
}

int
invept(uint64_t type, struct vmx_invept_descriptor *d)
{
	VMX_UNAVAILABLE();
}

int
vmx_enter_guest(paddr_t *pa, struct vcpu_gueststate *gs, int resume,
    uint8_t l1tf)
{
	VMX_UNAVAILABLE();
}

void
vmm_dispatch_intr(vaddr_t handler)
{
	printf("%s: not available: the machine delivers no host "
	    "interrupts\n", __func__);
}
