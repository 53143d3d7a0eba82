/*
 * uvm/uvm_extern.h - the kernel memory allocator, km_alloc(9).  Kernel
 * pages come from host memory below seam_physmem.sm_kernel_end and are
 * addressed through the direct map (shim/uvm_km.c).
 */
#ifndef _SHIM_UVM_UVM_EXTERN_H_
#define _SHIM_UVM_UVM_EXTERN_H_

#include <sys/types.h>
#include <sys/mman.h>		/* PROT_*, MADV_* */
#include <sys/queue.h>

#include <machine/param.h>
#include <machine/pmap.h>

typedef int		vm_prot_t;
typedef int		vm_inherit_t;
typedef int		vm_fault_t;

#define trunc_page(x)	((x) & ~((vaddr_t)PAGE_MASK))
#define round_page(x)	(((x) + PAGE_MASK) & ~((vaddr_t)PAGE_MASK))

/* What a fault was: no mapping, or one that forbids the access. */
#define VM_FAULT_INVALID	((vm_fault_t)0)
#define VM_FAULT_PROTECT	((vm_fault_t)1)

/* Inheritance of a mapping across fork (OpenBSD's minherit values). */
#ifndef MAP_INHERIT_SHARE
#define MAP_INHERIT_SHARE	0
#define MAP_INHERIT_COPY	1
#define MAP_INHERIT_NONE	2
#define MAP_INHERIT_ZERO	3
#endif

/*
 * uvm_map's flags word: protection, maximum protection, inheritance
 * and advice in the low 16 bits, UVM_FLAG_* above.
 */
#define UVM_MAPFLAG(prot, maxprot, inh, advice, flags)			\
	(((prot) & 0x7) | (((maxprot) & 0x7) << 4) |			\
	(((inh) & 0x3) << 8) | (((advice) & 0x7) << 12) | (flags))
#define UVM_PROTECTION(x)	((x) & 0x7)
#define UVM_MAXPROTECTION(x)	(((x) >> 4) & 0x7)
#define UVM_FLAG_FIXED		0x00010000	/* *va or fail */
#define UVM_FLAG_CONCEAL	0x00020000	/* not in core dumps */

/*
 * Address spaces (shim/uvm_map.c).  An object is anonymous memory of
 * a size; a map is a list of objects placed at addresses, with the
 * pmap that translates them.  The shim has one process, vmd, whose
 * address space is vmspace0.
 */
struct uvm_object {
	u_int			 uo_refs;
	vsize_t			 uo_size;
};

struct vm_map_entry {
	vaddr_t			 start, end;
	struct uvm_object	*object;
	voff_t			 offset;
	u_int			 flags;		/* UVM_MAPFLAG() */
	int			 immutable;
	SLIST_ENTRY(vm_map_entry) link;
};

struct vm_map {
	struct pmap		*pmap;
	vaddr_t			 min_offset, max_offset;
	SLIST_HEAD(, vm_map_entry) entries;
};

struct vmspace {
	struct vm_map		 vm_map;
};

extern struct vmspace vmspace0;

int	uvm_map(struct vm_map *, vaddr_t *, vsize_t, struct uvm_object *,
	    voff_t, vsize_t, u_int);
void	uvm_unmap(struct vm_map *, vaddr_t, vaddr_t);
int	uvm_map_immutable(struct vm_map *, vaddr_t, vaddr_t, int);
int	uvm_fault_wire(struct vm_map *, vaddr_t, vaddr_t, vm_prot_t);

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
