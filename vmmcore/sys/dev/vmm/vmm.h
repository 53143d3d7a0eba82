/*
 * vmm.h - the machine-independent vmm(4) interface: the ioctl
 * structures vmd(8) passes in, and the kernel's VM and softc.
 *
 * Names, values and layouts follow OpenBSD's dev/vmm/vmm.h so that a
 * real one can replace this file.
 */
#include <sys/rwlock.h>
#include <sys/refcnt.h>

#include <uvm/uvm_extern.h>

#include <machine/vmmvar.h>

#ifndef DEV_VMM_H
#define DEV_VMM_H

#define VMM_MAX_MEM_RANGES	16
#define VMM_MAX_DISKS_PER_VM	4
#define VMM_MAX_NAME_LEN	64
#define VMM_MAX_VCPUS		512
#define VMM_MAX_VCPUS_PER_VM	64
#define VMM_MAX_VM_MEM_SIZE	(128L * 1024 * 1024 * 1024)
#define VMM_MAX_NICS_PER_VM	4

struct vm_mem_range {
	paddr_t vmr_gpa;
	vaddr_t vmr_va;		/* where vmd sees the range */
	size_t  vmr_size;
	int     vmr_type;
#define VM_MEM_RAM		0
#define VM_MEM_RESERVED		1
#define VM_MEM_MMIO		2
};

struct vm_create_params {
	/* In. */
	size_t			vcp_nmemranges;
	size_t			vcp_ncpus;
	struct vm_mem_range	vcp_memranges[VMM_MAX_MEM_RANGES];
	char			vcp_name[VMM_MAX_NAME_LEN];
	int			vcp_sev;
	int			vcp_seves;

	/* Out. */
	uint32_t		vcp_id;
	uint32_t		vcp_poscbit;
	uint32_t		vcp_asid[VMM_MAX_VCPUS];
};

struct vm_terminate_params {
	uint32_t		vtp_vm_id;
};

struct vm_resetcpu_params {
	uint32_t		vrp_vm_id;
	uint32_t		vrp_vcpu_id;
	struct vcpu_reg_state	vrp_init_state;
};

struct vm_run_params {
	/* In. */
	uint32_t	vrp_vm_id;
	uint32_t	vrp_vcpu_id;
	struct vcpu_inject_event	vrp_inject;
	uint8_t		vrp_intr_pending;

	/* In and out: vmd's answer to the last exit, then the new exit. */
	struct vm_exit	*vrp_exit;

	/* Out. */
	uint16_t	vrp_exit_reason;
	uint8_t		vrp_irqready;
};

/* IOCTL definitions */
#define VMM_IOC_CREATE _IOWR('V', 1, struct vm_create_params)
#define VMM_IOC_RUN _IOWR('V', 2, struct vm_run_params)
#define VMM_IOC_TERM _IOW('V', 4, struct vm_terminate_params)
#define VMM_IOC_RESETCPU _IOW('V', 5, struct vm_resetcpu_params)

#ifdef _KERNEL

/*
 * Debug output, switched at run time: vmm_debug (defined by the
 * platform) is a knob, not a compile option, so that a test can turn
 * it on for one run.
 */
extern int vmm_debug;
#define DPRINTF(x...)	do { if (vmm_debug) printf(x); } while (0)

enum {
	VCPU_STATE_STOPPED,
	VCPU_STATE_RUNNING,
	VCPU_STATE_REQTERM,
	VCPU_STATE_TERMINATED,
	VCPU_STATE_UNKNOWN,
};

struct uvm_object;

struct vm {
	pmap_t			 vm_pmap;	/* nested page tables */

	uint32_t		 vm_id;
	pid_t			 vm_creator_pid;

	size_t			 vm_nmemranges;
	size_t			 vm_memory_size;
	struct vm_mem_range	 vm_memranges[VMM_MAX_MEM_RANGES];
	struct uvm_object	*vm_memory_slot[VMM_MAX_MEM_RANGES];

	char			 vm_name[VMM_MAX_NAME_LEN];
	struct refcnt		 vm_refcnt;

	struct vcpu_head	 vm_vcpu_list;
	uint32_t		 vm_vcpu_ct;
	struct rwlock		 vm_vcpu_lock;

	/* SEV-ES: the GPA the guest set as its AP jump table.  (sevemu.) */
	paddr_t			 vm_sev_ap_jump_table;

	SLIST_ENTRY(vm)		 vm_link;
};

SLIST_HEAD(vmlist_head, vm);

struct vmm_softc {
	struct device		sc_dev;

	struct rwlock		sc_slock;
	struct refcnt		sc_refcnt;
	volatile unsigned int	sc_status;
#define VMM_SUSPENDED		(unsigned int) 0
#define VMM_ACTIVE		(unsigned int) 1

	struct vmm_softc_md	sc_md;

	struct vmlist_head	vm_list;

	int			mode;

	size_t			vcpu_ct;
	size_t			vcpu_max;

	struct rwlock		vm_lock;
	size_t			vm_ct;
	size_t			vm_idx;

	struct rwlock		vpid_lock;
	uint16_t		max_vpid;
	uint8_t			vpids[512];	/* ASIDs in use */
};

extern struct vmm_softc *vmm_softc;
extern struct pool vm_pool;
extern struct pool vcpu_pool;

void vmm_attach(struct device *, struct device *,  void *);
int vm_find(uint32_t, struct vm **);
struct vcpu *vm_find_vcpu(struct vm *, uint32_t);
int vm_create(struct vm_create_params *, struct proc *);
size_t vm_create_check_mem_ranges(struct vm_create_params *);
void vm_teardown(struct vm **);
int vm_terminate(struct vm_terminate_params *);
int vm_resetcpu(struct vm_resetcpu_params *);
int vcpu_must_stop(struct vcpu *);
int vm_run(struct vm_run_params *);

#endif /* _KERNEL */
#endif /* DEV_VMM_H */
