/*
 * uvm_map.c - address spaces and anonymous memory, as far as vmm(4)
 * uses them: vm_create makes an anonymous object for each guest RAM
 * range and maps it into vmd's address space (uao_create, uvm_map,
 * uvm_map_immutable), and the nested page fault handler would wire
 * vmd's pages in on demand (uvm_fault_wire).
 *
 * Objects and maps are bookkeeping only.  No page of an anonymous
 * object is ever allocated here: guest RAM is host memory the runner
 * set aside and loaded before creating the VM, and the shim enters all
 * of it into the VM's nested pmap right after vm_create
 * (shim/seam_entry.c), because the machine's CPU reads the nested page
 * table once, at the first VMRUN, and takes no nested page faults.  So
 * vmd's pmap maps nothing, and uvm_fault_wire, which only a nested page
 * fault reaches, reports itself and fails.
 *
 * The shim has one process, vmd; its address space lives until the
 * kernel shuts down (shim_uvm_shutdown), as a vmd VM process's would
 * until it exits.
 */
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>

#include <uvm/uvm_extern.h>
#include <uvm/uvm_aobj.h>

#include "shim.h"

/* vmd's pmap: an empty top-level table, so every lookup misses. */
static uint64_t vmd_pml4[512] __aligned(PAGE_SIZE);
static struct pmap vmd_pmap = {
	.pm_pdir = (vaddr_t)vmd_pml4,
	.pm_type = PMAP_TYPE_NORMAL,
};

/* Where uvm_map puts objects it gets no usable hint for. */
#define VMD_VA_MIN	0x0000001000000000UL	/* 64 GiB */
#define VMD_VA_MAX	0x00007f0000000000UL

struct vmspace vmspace0 = {
	.vm_map = {
		.pmap = &vmd_pmap,
		.min_offset = PAGE_SIZE,
		.max_offset = VMD_VA_MAX,
		.entries = SLIST_HEAD_INITIALIZER(vmspace0.vm_map.entries),
	},
};

struct uvm_object *
uao_create(vsize_t size, int flags)
{
	struct uvm_object *uobj;

	if (size == 0 || (size & PAGE_MASK) != 0) {
		printf("%s: size 0x%lx is not a whole number of pages\n",
		    __func__, size);
		return (NULL);
	}
	if ((uobj = calloc(1, sizeof(*uobj))) == NULL) {
		if (!(flags & UAO_FLAG_CANFAIL))
			panic("%s: no host memory", __func__);
		return (NULL);
	}
	uobj->uo_refs = 1;
	uobj->uo_size = size;
	return (uobj);
}

void
uao_reference(struct uvm_object *uobj)
{
	if (uobj->uo_refs == 0)
		panic("%s: object already freed", __func__);
	uobj->uo_refs++;
}

void
uao_detach(struct uvm_object *uobj)
{
	if (uobj->uo_refs == 0)
		panic("%s: object already freed", __func__);
	if (--uobj->uo_refs == 0)
		(free)(uobj);
}

/* Is [start, end) free in map? */
static int
map_range_free(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *e;

	if (start < map->min_offset || end > map->max_offset || end <= start)
		return (0);
	SLIST_FOREACH(e, &map->entries, link)
		if (start < e->end && e->start < end)
			return (0);
	return (1);
}

/*
 * Maps size bytes of uobj, from offset, at *va: exactly there with
 * UVM_FLAG_FIXED, else there if free, else at the lowest free address
 * above VMD_VA_MIN.  The map takes over the caller's reference to uobj.
 */
int
uvm_map(struct vm_map *map, vaddr_t *va, vsize_t size,
    struct uvm_object *uobj, voff_t offset, vsize_t align, u_int flags)
{
	struct vm_map_entry *e, *ne;
	vaddr_t start = *va;

	if (map == NULL || size == 0 || (size & PAGE_MASK) != 0 ||
	    (align != 0 && align != PAGE_SIZE)) {
		printf("%s: size 0x%lx, alignment 0x%lx: not supported\n",
		    __func__, size, align);
		return (EINVAL);
	}
	if (uobj != NULL && (offset < 0 || (vsize_t)offset > uobj->uo_size ||
	    size > uobj->uo_size - offset)) {
		printf("%s: 0x%lx bytes at offset 0x%llx exceed the object\n",
		    __func__, size, (long long)offset);
		return (EINVAL);
	}

	if ((start & PAGE_MASK) != 0 || !map_range_free(map, start,
	    start + size)) {
		if (flags & UVM_FLAG_FIXED)
			return (ENOMEM);
		/* Above every entry, and at least at VMD_VA_MIN. */
		start = VMD_VA_MIN;
		SLIST_FOREACH(e, &map->entries, link)
			if (e->end > start)
				start = e->end;
		if (!map_range_free(map, start, start + size))
			return (ENOMEM);
	}

	if ((ne = calloc(1, sizeof(*ne))) == NULL)
		return (ENOMEM);
	ne->start = start;
	ne->end = start + size;
	ne->object = uobj;
	ne->offset = offset;
	ne->flags = flags;
	SLIST_INSERT_HEAD(&map->entries, ne, link);
	*va = start;
	return (0);
}

/* Removes the entries in [start, end); only whole entries are removed. */
void
uvm_unmap(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *e, *next;

	SLIST_FOREACH_SAFE(e, &map->entries, link, next) {
		if (e->end <= start || e->start >= end)
			continue;
		if (e->start < start || e->end > end)
			panic("%s: 0x%lx-0x%lx splits the mapping 0x%lx-0x%lx",
			    __func__, start, end, e->start, e->end);
		SLIST_REMOVE(&map->entries, e, vm_map_entry, link);
		if (e->object != NULL)
			uao_detach(e->object);
		(free)(e);
	}
}

/* Marks the mappings in [start, end) immutable (mimmutable(2)). */
int
uvm_map_immutable(struct vm_map *map, vaddr_t start, vaddr_t end, int imut)
{
	struct vm_map_entry *e;
	int found = 0;

	SLIST_FOREACH(e, &map->entries, link) {
		if (e->end <= start || e->start >= end)
			continue;
		e->immutable = imut;
		found = 1;
	}
	return (found ? 0 : EINVAL);
}

/*
 * Wiring vmd's pages in is what the nested page fault handler does;
 * the machine takes no nested page faults (its CPU maps guest RAM once,
 * from the nested page table the shim fills at creation), so nothing
 * should get here.
 */
int
uvm_fault_wire(struct vm_map *map, vaddr_t start, vaddr_t end,
    vm_prot_t prot)
{
	printf("%s: not available: guest RAM is entered into the nested "
	    "pmap when the VM is created, and the machine takes no nested "
	    "page faults (VA 0x%lx-0x%lx)\n", __func__, start, end);
	return (EFAULT);
}

void
shim_uvm_shutdown(void)
{
	uvm_unmap(&vmspace0.vm_map, 0, VMD_VA_MAX);
}
