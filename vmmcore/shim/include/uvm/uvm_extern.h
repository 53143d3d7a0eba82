/*
 * uvm/uvm_extern.h - the kernel memory allocator, km_alloc(9).  Kernel
 * pages come from host memory below seam_physmem.sm_kernel_end and are
 * addressed through the direct map (shim/uvm_km.c).
 */
#ifndef _SHIM_UVM_UVM_EXTERN_H_
#define _SHIM_UVM_UVM_EXTERN_H_

#include <sys/types.h>
#include <sys/mman.h>		/* PROT_* */

#include <machine/param.h>
#include <machine/pmap.h>

typedef int		vm_prot_t;

#define trunc_page(x)	((x) & ~((vaddr_t)PAGE_MASK))
#define round_page(x)	(((x) + PAGE_MASK) & ~((vaddr_t)PAGE_MASK))

struct vm_map;
struct uvm_object;

struct uvm_constraint_range {
	paddr_t	ucr_low;
	paddr_t	ucr_high;
};

struct kmem_va_mode {
	struct vm_map	**kv_map;
	vsize_t		  kv_align;
	char		  kv_wait;
	char		  kv_singlepage;
};

struct kmem_pa_mode {
	struct uvm_constraint_range *kp_constraint;
	struct uvm_object **kp_object;
	paddr_t		  kp_align;
	paddr_t		  kp_boundary;
	int		  kp_maxseg;
	char		  kp_nomem;	/* VA only, no pages */
	char		  kp_zero;
	char		  kp_pageable;
};

struct kmem_dyn_mode {
	voff_t		  kd_prefer;
	int		 *kd_slowdown;
	char		  kd_waitok;
	char		  kd_trylock;
};

extern struct uvm_constraint_range no_constraint;

extern const struct kmem_va_mode kv_any;
extern const struct kmem_va_mode kv_page;
extern const struct kmem_pa_mode kp_dirty;
extern const struct kmem_pa_mode kp_zero;
extern const struct kmem_pa_mode kp_none;
extern const struct kmem_dyn_mode kd_waitok;
extern const struct kmem_dyn_mode kd_nowait;

void	*km_alloc(size_t, const struct kmem_va_mode *,
	    const struct kmem_pa_mode *, const struct kmem_dyn_mode *);
void	 km_free(void *, size_t, const struct kmem_va_mode *,
	    const struct kmem_pa_mode *);

#endif /* _SHIM_UVM_UVM_EXTERN_H_ */
