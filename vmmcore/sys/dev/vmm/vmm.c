/*
 * vmm.c - the machine-independent part of vmm(4): the VM list, VM
 * creation and teardown, and lookups for the ioctl handlers.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/device.h>
#include <sys/pool.h>
#include <sys/pledge.h>
#include <sys/proc.h>
#include <sys/ioctl.h>
#include <sys/malloc.h>
#include <sys/signalvar.h>

#include <uvm/uvm_extern.h>

#include <machine/vmmvar.h>

#include <dev/vmm/vmm.h>

struct vmm_softc *vmm_softc;
struct pool vm_pool;
struct pool vcpu_pool;

void
vmm_attach(struct device *parent, struct device *self, void *aux)
{
	struct vmm_softc *sc = (struct vmm_softc *)self;

	rw_init(&sc->sc_slock, "vmmslk");
	sc->sc_status = VMM_ACTIVE;
	refcnt_init(&sc->sc_refcnt);

	sc->vcpu_ct = 0;
	sc->vcpu_max = VMM_MAX_VCPUS;
	sc->vm_ct = 0;
	sc->vm_idx = 0;

	SLIST_INIT(&sc->vm_list);
	rw_init(&sc->vm_lock, "vm_list");

	/* vcpus start with an FPU save area: keep them 64-byte aligned. */
	pool_init(&vm_pool, sizeof(struct vm), 0, IPL_MPFLOOR, PR_WAITOK,
	    "vmpool", NULL);
	pool_init(&vcpu_pool, sizeof(struct vcpu), 64, IPL_MPFLOOR, PR_WAITOK,
	    "vcpupl", NULL);

	vmm_attach_machdep(parent, self, aux);

	vmm_softc = sc;
}

/*
 * Looks a VM up by id and takes a reference on it, which the caller
 * drops with refcnt_rele_wake.  vmd runs unpledged on this machine, so
 * there is no pledge check to make.
 */
int
vm_find(uint32_t id, struct vm **res)
{
	struct vm *vm;
	int ret = ENOENT;

	*res = NULL;

	rw_enter_read(&vmm_softc->vm_lock);
	SLIST_FOREACH(vm, &vmm_softc->vm_list, vm_link) {
		if (vm->vm_id == id) {
			refcnt_take(&vm->vm_refcnt);
			*res = vm;
			ret = 0;
			break;
		}
	}
	rw_exit_read(&vmm_softc->vm_lock);

	return (ret);
}

struct vcpu *
vm_find_vcpu(struct vm *vm, uint32_t id)
{
	struct vcpu *vcpu;

	if (vm == NULL)
		return (NULL);

	SLIST_FOREACH(vcpu, &vm->vm_vcpu_list, vc_vcpu_link) {
		if (vcpu->vc_id == id)
			return (vcpu);
	}

	return (NULL);
}

/*
 * Checks vmd's memory ranges: page aligned, ascending, not overlapping,
 * within the largest VM.  Returns the RAM they add up to, 0 if invalid.
 */
size_t
vm_create_check_mem_ranges(struct vm_create_params *vcp)
{
	struct vm_mem_range *vmr, *prev = NULL;
	const paddr_t maxgpa = VMM_MAX_VM_MEM_SIZE;
	size_t i, memsize = 0;

	if (vcp->vcp_nmemranges == 0 ||
	    vcp->vcp_nmemranges > VMM_MAX_MEM_RANGES) {
		printf("%s: %zu memory ranges, want 1 to %d\n", __func__,
		    vcp->vcp_nmemranges, VMM_MAX_MEM_RANGES);
		return (0);
	}

	for (i = 0; i < vcp->vcp_nmemranges; i++) {
		vmr = &vcp->vcp_memranges[i];

		if ((vmr->vmr_gpa & PAGE_MASK) || (vmr->vmr_va & PAGE_MASK) ||
		    (vmr->vmr_size & PAGE_MASK) || vmr->vmr_size == 0) {
			printf("%s: range %zu (GPA 0x%lx, size 0x%zx) is not "
			    "page aligned\n", __func__, i, vmr->vmr_gpa,
			    vmr->vmr_size);
			return (0);
		}
		if (vmr->vmr_gpa >= maxgpa ||
		    vmr->vmr_size > maxgpa - vmr->vmr_gpa) {
			printf("%s: range %zu (GPA 0x%lx, size 0x%zx) exceeds "
			    "the maximum guest memory\n", __func__, i,
			    vmr->vmr_gpa, vmr->vmr_size);
			return (0);
		}
		if (prev != NULL &&
		    prev->vmr_gpa + prev->vmr_size > vmr->vmr_gpa) {
			printf("%s: range %zu (GPA 0x%lx) overlaps or precedes "
			    "range %zu\n", __func__, i, vmr->vmr_gpa, i - 1);
			return (0);
		}

		/* MMIO ranges have no memory behind them. */
		if (vmr->vmr_type != VM_MEM_MMIO)
			memsize += vmr->vmr_size;
		prev = vmr;
	}

	return (memsize);
}

/*
 * Creates a VM and its vcpus and publishes it in the VM list.
 *
 * This is the part of creation that needs no uvm.  OpenBSD also backs
 * each RAM range with an anonymous uvm object mapped into vmd, and
 * fills the nested pmap on nested page faults by wiring those pages.
 * Here vmd hands the kernel host-physical RAM instead, and the shim
 * enters all of it into vm_pmap right after creation (shim/seam_entry.c),
 * so vm_memory_slot stays empty.
 */
int
vm_create(struct vm_create_params *vcp, struct proc *p)
{
	struct vm *vm;
	struct vcpu *vcpu;
	size_t memsize, i;
	int ret;

	memsize = vm_create_check_mem_ranges(vcp);
	if (memsize == 0)
		return (EINVAL);

	if (vcp->vcp_ncpus != 1) {
		printf("%s: %zu vcpus requested, only 1 is supported\n",
		    __func__, vcp->vcp_ncpus);
		return (EINVAL);
	}

	rw_enter_read(&vmm_softc->vm_lock);
	if (vmm_softc->vcpu_ct + vcp->vcp_ncpus > vmm_softc->vcpu_max) {
		printf("%s: all %zu vcpus in use\n", __func__,
		    vmm_softc->vcpu_max);
		rw_exit_read(&vmm_softc->vm_lock);
		return (ENOMEM);
	}
	rw_exit_read(&vmm_softc->vm_lock);

	vm = pool_get(&vm_pool, PR_WAITOK | PR_ZERO);

	vm->vm_creator_pid = p->p_p->ps_pid;
	/* vm_name is zeroed: its last byte stays the terminator. */
	memcpy(vm->vm_name, vcp->vcp_name, VMM_MAX_NAME_LEN - 1);
	SLIST_INIT(&vm->vm_vcpu_list);
	rw_init(&vm->vm_vcpu_lock, "vcpu_list");

	vm->vm_pmap = pmap_create();
	if (vm->vm_pmap == NULL) {
		printf("%s: no memory for the nested page tables\n", __func__);
		vm_teardown(&vm);
		return (ENOMEM);
	}

	vm->vm_nmemranges = vcp->vcp_nmemranges;
	memcpy(vm->vm_memranges, vcp->vcp_memranges,
	    vm->vm_nmemranges * sizeof(vm->vm_memranges[0]));
	vm->vm_memory_size = memsize;

	if ((ret = vm_impl_init(vm, p)) != 0) {
		vm_teardown(&vm);
		return (ret);
	}

	vm->vm_vcpu_ct = 0;
	for (i = 0; i < vcp->vcp_ncpus; i++) {
		vcpu = pool_get(&vcpu_pool, PR_WAITOK | PR_ZERO);

		vcpu->vc_parent = vm;
		vcpu->vc_id = vm->vm_vcpu_ct;
		vm->vm_vcpu_ct++;
		if ((ret = vcpu_init(vcpu, vcp)) != 0) {
			printf("%s: cannot initialize vcpu %zu: error %d\n",
			    __func__, i, ret);
			pool_put(&vcpu_pool, vcpu);
			vm_teardown(&vm);
			return (ret);
		}
		SLIST_INSERT_HEAD(&vm->vm_vcpu_list, vcpu, vc_vcpu_link);
	}

	rw_enter_write(&vmm_softc->vm_lock);
	if (vmm_softc->vcpu_ct + vm->vm_vcpu_ct > vmm_softc->vcpu_max) {
		printf("%s: all %zu vcpus in use\n", __func__,
		    vmm_softc->vcpu_max);
		rw_exit_write(&vmm_softc->vm_lock);
		vm_teardown(&vm);
		return (ENOMEM);
	}

	vmm_softc->vm_idx++;
	vm->vm_id = vmm_softc->vm_idx;
	vcp->vcp_id = vm->vm_id;

	/* The VM list holds the first reference. */
	refcnt_init(&vm->vm_refcnt);
	SLIST_INSERT_HEAD(&vmm_softc->vm_list, vm, vm_link);
	vmm_softc->vm_ct++;
	vmm_softc->vcpu_ct += vm->vm_vcpu_ct;
	rw_exit_write(&vmm_softc->vm_lock);

	return (0);
}

/*
 * Frees a VM that is not (or no longer) on the VM list, with whatever
 * part of it vm_create got to.
 */
void
vm_teardown(struct vm **target)
{
	struct vm *vm = *target;
	struct vcpu *vcpu, *tmp;
	vaddr_t sva, eva;
	size_t i;

	SLIST_FOREACH_SAFE(vcpu, &vm->vm_vcpu_list, vc_vcpu_link, tmp) {
		SLIST_REMOVE(&vm->vm_vcpu_list, vcpu, vcpu, vc_vcpu_link);
		vcpu_deinit(vcpu);
		pool_put(&vcpu_pool, vcpu);
	}

	if (vm->vm_pmap != NULL) {
		for (i = 0; i < vm->vm_nmemranges; i++) {
			sva = vm->vm_memranges[i].vmr_gpa;
			eva = sva + vm->vm_memranges[i].vmr_size - 1;
			pmap_remove(vm->vm_pmap, sva, eva);
		}
		vm_impl_deinit(vm);
		pmap_destroy(vm->vm_pmap);
		vm->vm_pmap = NULL;
	}

	pool_put(&vm_pool, vm);
	*target = NULL;
}

int
vm_terminate(struct vm_terminate_params *vtp)
{
	struct vm *vm;
	size_t nvcpu;
	int error;

	if ((error = vm_find(vtp->vtp_vm_id, &vm)) != 0) {
		printf("%s: no vm %u\n", __func__, vtp->vtp_vm_id);
		return (error);
	}

	rw_enter_write(&vmm_softc->vm_lock);
	SLIST_REMOVE(&vmm_softc->vm_list, vm, vm, vm_link);
	rw_exit_write(&vmm_softc->vm_lock);

	/* Drop the list's reference; ours, from vm_find, must be the last. */
	if (refcnt_rele(&vm->vm_refcnt))
		panic("%s: vm %u: the list's reference was the last",
		    __func__, vm->vm_id);
	refcnt_finalize(&vm->vm_refcnt, __func__);

	nvcpu = vm->vm_vcpu_ct;
	vm_teardown(&vm);

	rw_enter_write(&vmm_softc->vm_lock);
	vmm_softc->vm_ct--;
	vmm_softc->vcpu_ct -= nvcpu;
	if (vmm_softc->vm_ct < 1)
		vmm_stop();
	rw_exit_write(&vmm_softc->vm_lock);

	return (0);
}

/* Loads a vcpu's registers with vmd's power-on state. */
int
vm_resetcpu(struct vm_resetcpu_params *vrp)
{
	struct vm *vm;
	struct vcpu *vcpu;
	int error, ret = 0;

	if ((error = vm_find(vrp->vrp_vm_id, &vm)) != 0) {
		printf("%s: no vm %u\n", __func__, vrp->vrp_vm_id);
		return (error);
	}

	vcpu = vm_find_vcpu(vm, vrp->vrp_vcpu_id);
	if (vcpu == NULL) {
		printf("%s: vm %u has no vcpu %u\n", __func__, vrp->vrp_vm_id,
		    vrp->vrp_vcpu_id);
		ret = ENOENT;
		goto out;
	}

	rw_enter_write(&vcpu->vc_lock);
	if (vcpu->vc_state != VCPU_STATE_STOPPED) {
		printf("%s: vm %u vcpu %u is not stopped\n", __func__,
		    vrp->vrp_vm_id, vrp->vrp_vcpu_id);
		ret = EBUSY;
	} else if (vcpu_reset_regs(vcpu, &vrp->vrp_init_state) != 0) {
		printf("%s: vm %u vcpu %u: reset failed\n", __func__,
		    vrp->vrp_vm_id, vrp->vrp_vcpu_id);
		ret = EIO;
	}
	rw_exit_write(&vcpu->vc_lock);
out:
	refcnt_rele_wake(&vm->vm_refcnt);

	return (ret);
}

/* Should the run loop give the vcpu back to vmd before its next entry? */
int
vcpu_must_stop(struct vcpu *vcpu)
{
	struct proc *p = curproc;

	if (vcpu->vc_state == VCPU_STATE_REQTERM)
		return (1);
	if (SIGPENDING(p) != 0)
		return (1);
	return (0);
}
