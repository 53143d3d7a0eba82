/*
 * uvm_km.c - km_alloc(9): the kernel's pages, from host physical memory
 * below seam_physmem.sm_kernel_end, addressed through the direct map.
 *
 * Allocations are physically contiguous runs of pages (first fit), so
 * every mode, including the vmm's contiguous permission maps, is
 * satisfied.  Page 0 is never handed out: a zero PA in a VMCB field
 * must stay recognizable as "not set".
 */
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>

#include <uvm/uvm_extern.h>

#include "shim.h"

#define KM_CONT		UINT32_MAX	/* a page inside a run */

struct uvm_constraint_range no_constraint = { 0x0, (paddr_t)-1 };

const struct kmem_va_mode kv_any = { .kv_wait = 1 };
const struct kmem_va_mode kv_page = { .kv_wait = 1, .kv_singlepage = 1 };
const struct kmem_pa_mode kp_dirty = { .kp_constraint = &no_constraint };
const struct kmem_pa_mode kp_zero = { .kp_constraint = &no_constraint,
	.kp_zero = 1 };
const struct kmem_pa_mode kp_none = { .kp_nomem = 1 };
const struct kmem_dyn_mode kd_waitok = { .kd_waitok = 1 };
const struct kmem_dyn_mode kd_nowait = { 0 };

/*
 * km_pages[i] describes page i: 0 free, n the first page of a run of n
 * pages, KM_CONT a later page of a run.
 */
static struct {
	uint32_t	*km_pages;
	uint64_t	 km_npages;
	uint64_t	 km_used;
} km;

int
shim_km_boot(void)
{
	uint64_t npages;

	if (km.km_pages != NULL)
		return (0);
	if (seam_physmem.sm_direct == NULL) {
		printf("%s: the machine has no host memory\n", __func__);
		return (ENXIO);
	}
	if ((seam_physmem.sm_kernel_end & PAGE_MASK) != 0 ||
	    seam_physmem.sm_kernel_end > seam_physmem.sm_size) {
		printf("%s: kernel memory end 0x%llx is not a page boundary "
		    "within host memory (0x%llx bytes)\n", __func__,
		    (unsigned long long)seam_physmem.sm_kernel_end,
		    (unsigned long long)seam_physmem.sm_size);
		return (EINVAL);
	}
	npages = seam_physmem.sm_kernel_end / PAGE_SIZE;
	if (npages < 2) {
		printf("%s: %llu kernel pages, want at least 2\n", __func__,
		    (unsigned long long)npages);
		return (ENOMEM);
	}
	if ((km.km_pages = calloc(npages, sizeof(km.km_pages[0]))) == NULL) {
		printf("%s: no host memory for the page map\n", __func__);
		return (ENOMEM);
	}
	km.km_npages = npages;
	km.km_used = 0;
	km.km_pages[0] = 1;	/* PA 0 stays reserved */
	return (0);
}

void
shim_km_shutdown(void)
{
	if (km.km_used != 0)
		printf("%s: %llu kernel pages were never freed\n", __func__,
		    (unsigned long long)km.km_used);
	(free)(km.km_pages);
	memset(&km, 0, sizeof(km));
}

uint64_t
shim_km_pages_total(void)
{
	return (km.km_npages > 0 ? km.km_npages - 1 : 0);
}

uint64_t
shim_km_pages_used(void)
{
	return (km.km_used);
}

/* Finds and claims npages contiguous free pages; returns the PA or 0. */
uint64_t
shim_km_alloc_pages(uint64_t npages)
{
	uint64_t first, i;

	if (km.km_pages == NULL || npages == 0 || npages >= KM_CONT)
		return (0);

	for (first = 1; first + npages <= km.km_npages; first++) {
		for (i = 0; i < npages; i++)
			if (km.km_pages[first + i] != 0)
				break;
		if (i == npages)
			break;
		first += i;	/* skip past the page in use */
	}
	if (first + npages > km.km_npages)
		return (0);

	km.km_pages[first] = (uint32_t)npages;
	for (i = 1; i < npages; i++)
		km.km_pages[first + i] = KM_CONT;
	km.km_used += npages;
	return (first * PAGE_SIZE);
}

void
shim_km_free_pages(uint64_t pa, uint64_t npages)
{
	uint64_t first = pa / PAGE_SIZE, i;

	if (km.km_pages == NULL || (pa & PAGE_MASK) != 0 || first == 0 ||
	    first >= km.km_npages || km.km_pages[first] != npages)
		panic("km_free: PA 0x%llx, %llu pages: not an allocated run",
		    (unsigned long long)pa, (unsigned long long)npages);

	for (i = 0; i < npages; i++)
		km.km_pages[first + i] = 0;
	km.km_used -= npages;
}

void *
km_alloc(size_t sz, const struct kmem_va_mode *kv,
    const struct kmem_pa_mode *kp, const struct kmem_dyn_mode *kd)
{
	uint64_t npages = round_page(sz) / PAGE_SIZE, pa;
	vaddr_t va;

	if (kp->kp_nomem) {
		printf("%s: address space without pages is not supported\n",
		    __func__);
		return (NULL);
	}
	if (kp->kp_align > PAGE_SIZE) {
		printf("%s: alignment 0x%lx is not supported\n", __func__,
		    kp->kp_align);
		return (NULL);
	}
	if ((pa = shim_km_alloc_pages(npages)) == 0) {
		printf("%s: no %llu free contiguous pages among %llu kernel "
		    "pages (%llu in use)\n", __func__,
		    (unsigned long long)npages,
		    (unsigned long long)shim_km_pages_total(),
		    (unsigned long long)km.km_used);
		return (NULL);
	}

	va = PMAP_DIRECT_MAP(pa);
	if (kp->kp_zero)
		memset((void *)va, 0, npages * PAGE_SIZE);
	return ((void *)va);
}

void
km_free(void *v, size_t sz, const struct kmem_va_mode *kv,
    const struct kmem_pa_mode *kp)
{
	shim_km_free_pages(PMAP_DIRECT_UNMAP(v), round_page(sz) / PAGE_SIZE);
}
