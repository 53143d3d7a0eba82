/*
 * machine/pmap.h - physical maps.  The kernel's pmap is the machine's
 * direct map of host memory; a VM's pmap is a real 4-level nested page
 * table in kernel pages, which the machine's CPU walks (shim/pmap.c).
 */
#ifndef _SHIM_MACHINE_PMAP_H_
#define _SHIM_MACHINE_PMAP_H_

#include <sys/types.h>

#include <machine/pte.h>

#include <seam.h>

#define PMAP_TYPE_NORMAL	1
#define PMAP_TYPE_EPT		2
#define PMAP_TYPE_RVI		3

struct pmap {
	paddr_t		pm_pdirpa;	/* root table (PML4) */
	vaddr_t		pm_pdir;	/* ... in the direct map */
	int		pm_type;
	uint64_t	eptp;
	u_long		pm_nptps;	/* table pages below the root */
};

typedef struct pmap *pmap_t;

extern struct pmap kernel_pmap_store;
#define pmap_kernel()		(&kernel_pmap_store)

/* Host memory is one flat range, mapped whole at sm_direct. */
#define PMAP_DIRECT_MAP(pa)	((vaddr_t)seam_physmem.sm_direct + (pa))
#define PMAP_DIRECT_UNMAP(va)						\
	((paddr_t)(va) - (vaddr_t)seam_physmem.sm_direct)

struct pmap	*pmap_create(void);
void		 pmap_destroy(struct pmap *);
int		 pmap_extract(struct pmap *, vaddr_t, paddr_t *);
int		 pmap_enter(struct pmap *, vaddr_t, paddr_t, int, int);
void		 pmap_remove(struct pmap *, vaddr_t, vaddr_t);
void		 pmap_convert(struct pmap *, int);

/* Pages a pmap maps (shim/pmap_md.c). */
long		 pmap_resident_count(struct pmap *);

/*
 * Unmanaged kernel mappings.  The kernel's map is the fixed direct map
 * here, so there is nowhere to enter one: these stop the run
 * (shim/stubs_md.c).
 */
void		 pmap_kenter_pa(vaddr_t, paddr_t, int);
void		 pmap_kremove(vaddr_t, vsize_t);

#endif /* _SHIM_MACHINE_PMAP_H_ */
