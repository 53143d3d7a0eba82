/*
 * shim.h - the kernel shim's own interface, for the seam and for tests
 * that drive its pieces directly.  Only libc types here: a test needs
 * none of the kernel headers to use it.
 */
#ifndef SEVEMU_SHIM_H
#define SEVEMU_SHIM_H

#include <stdint.h>

struct pmap;

/*
 * Boot: identify the host CPU, start the page allocator on the
 * machine's host memory, attach vmm(4).  Done by the first
 * seam_vm_create; shutdown undoes it when the last VM is destroyed, so
 * that the next VM may find different host memory.  0 or an errno.
 */
int		 shim_boot(void);
void		 shim_shutdown(void);
int		 shim_booted(void);

/* identcpu: fill the cpu_info from the machine's CPUID. */
void		 shim_cpu_boot(void);

/*
 * The world switch is back from the guest: under SEV-ES the kernel's
 * copies of the guest's registers are poisoned (0x5e5e...), since the
 * CPU keeps the real ones in the encrypted VMSA.
 */
void		 shim_guest_exited(void);
/* The poison value (a fuzzer gives twin VMs different ones). */
extern uint64_t	 shim_guest_poison;

/* Non-zero: the vmm's DPRINTF debug output is printed. */
extern int	 vmm_debug;

/*
 * The kernel page allocator (km_alloc) over host memory
 * [PAGE_SIZE, seam_physmem.sm_kernel_end): page 0 is never handed out.
 */
int		 shim_km_boot(void);
void		 shim_km_shutdown(void);
uint64_t	 shim_km_alloc_pages(uint64_t npages);	/* PA or 0 */
void		 shim_km_free_pages(uint64_t pa, uint64_t npages);
uint64_t	 shim_km_pages_total(void);
uint64_t	 shim_km_pages_used(void);

/*
 * Nested paging: a VM pmap's tables are real 4-level page tables in
 * kernel pages.  shim_npt_map maps [gpa, gpa + len) to host memory at
 * hpa, with 2 MiB pages where both are 2 MiB aligned; shim_npt_extract
 * walks the tables as the CPU would.  0 or an errno / 1 if mapped.
 */
struct pmap	*shim_npt_create(void);
void		 shim_npt_destroy(struct pmap *);
uint64_t	 shim_npt_root(struct pmap *);
int		 shim_npt_map(struct pmap *, uint64_t gpa, uint64_t hpa,
		    uint64_t len);
int		 shim_npt_extract(struct pmap *, uint64_t gpa,
		    uint64_t *hpa);
uint64_t	 shim_npt_table_pages(struct pmap *);

/*
 * Which vmm this build runs.  SEVEMU_VMM_TREE_REAL (a compile
 * definition on everything that links vmmcore) is 1 when the handler
 * comes from a tree named by cmake -DVMM_TREE=..., 0 for vmmcore's own;
 * a test whose guest that handler stops early calls it untestable
 * (tests/harness.c: guest_must_reach).
 * shim_vmm_source is "vmmcore" or the tree's sys/ path;
 * shim_vmm_revision is the tree's vmm_machdep.c revision as its
 * $OpenBSD$ line gives it ("vmm_machdep.c,v 1.64 2025/09/14"), or "".
 */
#ifndef SEVEMU_VMM_TREE_REAL
#define SEVEMU_VMM_TREE_REAL	0
#endif
const char	*shim_vmm_source(void);
const char	*shim_vmm_revision(void);

/* vmd's address space goes away: unmaps all it still maps. */
void		 shim_uvm_shutdown(void);

/* GHCB MSR protocol values (GHCB specification, section 2.3.1). */
uint64_t	 shim_msrproto_cpuid_req(uint32_t fn, unsigned int reg);
int		 shim_msrproto_cpuid_resp(uint64_t msr, unsigned int *reg,
		    uint32_t *value);
uint64_t	 shim_msrproto_terminate(unsigned int set, unsigned int code);
int		 shim_msrproto_term_decode(uint64_t msr, uint8_t *set,
		    uint8_t *code);

/*
 * What the vmm holds as vcpu 0's guest RBX and RDX (vc_gueststate), for
 * tests: under SEV-ES the pattern 0x5e5e5e5e5e5e5e5e unless the GHCB
 * just carried them.  0, or ENOENT for an unknown VM.
 */
int		 shim_vcpu_gueststate(int vmid, uint64_t *rbx, uint64_t *rdx);

#endif /* SEVEMU_SHIM_H */
