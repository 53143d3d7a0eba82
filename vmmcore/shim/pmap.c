/*
 * pmap.c - physical maps.
 *
 * The kernel pmap is the direct map of host memory: a kernel VA is
 * seam_physmem.sm_direct + PA.
 *
 * A VM's pmap is a nested page table (AMD64 APM vol. 2, 15.25): four
 * levels of 512 entries in kernel pages, translating guest physical to
 * host physical addresses.  Its root goes into the VMCB (v_n_cr3) and
 * the machine's CPU walks it to find guest RAM, so it is built as the
 * hardware reads it: present, writable, user entries (nested walks are
 * user accesses), 2 MiB pages in level 2 where they fit.
 */
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mman.h>

#include <uvm/uvm_extern.h>

#include <machine/pmap.h>

#include "shim.h"

#define NPT_LEVELS	4
#define NPT_TABLE	(PG_V | PG_RW | PG_u)

struct pmap kernel_pmap_store = { .pm_type = PMAP_TYPE_NORMAL };

/* Bytes one entry maps at a level (1: 4 KiB ... 4: 512 GiB). */
static uint64_t
npt_span(int level)
{
	return (1ULL << (L1_SHIFT + 9 * (level - 1)));
}

static u_int
npt_index(vaddr_t va, int level)
{
	return ((va >> (L1_SHIFT + 9 * (level - 1))) & 0x1ff);
}

static uint64_t *
npt_table(paddr_t pa)
{
	return ((uint64_t *)PMAP_DIRECT_MAP(pa & PG_FRAME));
}

/*
 * The entry for va at the given level, allocating the tables above it
 * if alloc is set.  0, ENOENT (not mapped and !alloc), EEXIST (a large
 * page covers va) or ENOMEM.
 */
static int
npt_entry(struct pmap *pm, vaddr_t va, int level, int alloc,
    uint64_t **ptep)
{
	uint64_t *table = (uint64_t *)pm->pm_pdir, *pte;
	vaddr_t page;
	int l;

	for (l = NPT_LEVELS; l > level; l--) {
		pte = &table[npt_index(va, l)];
		if (!(*pte & PG_V)) {
			if (!alloc)
				return (ENOENT);
			page = (vaddr_t)km_alloc(PAGE_SIZE, &kv_page, &kp_zero,
			    &kd_waitok);
			if (page == 0)
				return (ENOMEM);
			*pte = PMAP_DIRECT_UNMAP(page) | NPT_TABLE;
			pm->pm_nptps++;
		} else if (*pte & PG_PS)
			return (EEXIST);
		table = npt_table(*pte);
	}
	*ptep = &table[npt_index(va, level)];
	return (0);
}

struct pmap *
pmap_create(void)
{
	struct pmap *pm;
	vaddr_t root;

	if ((pm = calloc(1, sizeof(*pm))) == NULL)
		return (NULL);
	root = (vaddr_t)km_alloc(PAGE_SIZE, &kv_page, &kp_zero, &kd_waitok);
	if (root == 0) {
		(free)(pm);
		return (NULL);
	}
	pm->pm_pdir = root;
	pm->pm_pdirpa = PMAP_DIRECT_UNMAP(root);
	pm->pm_type = PMAP_TYPE_NORMAL;
	return (pm);
}

static void
npt_free_tables(struct pmap *pm, uint64_t *table, int level)
{
	int i;

	for (i = 0; i < 512; i++) {
		if (!(table[i] & PG_V) || (table[i] & PG_PS) || level == 1)
			continue;
		if (level > 2)
			npt_free_tables(pm, npt_table(table[i]), level - 1);
		km_free(npt_table(table[i]), PAGE_SIZE, &kv_page, &kp_zero);
		pm->pm_nptps--;
	}
}

void
pmap_destroy(struct pmap *pm)
{
	if (pm == NULL || pm == pmap_kernel())
		return;
	npt_free_tables(pm, (uint64_t *)pm->pm_pdir, NPT_LEVELS);
	KASSERT(pm->pm_nptps == 0);
	km_free((void *)pm->pm_pdir, PAGE_SIZE, &kv_page, &kp_zero);
	(free)(pm);
}

void
pmap_convert(struct pmap *pm, int mode)
{
	/* RVI walks ordinary amd64 tables: only the type changes. */
	pm->pm_type = mode;
}

int
pmap_extract(struct pmap *pm, vaddr_t va, paddr_t *pap)
{
	uint64_t *table, pte;
	int level;

	if (pm == pmap_kernel()) {
		if (seam_physmem.sm_direct == NULL ||
		    va < (vaddr_t)seam_physmem.sm_direct ||
		    va - (vaddr_t)seam_physmem.sm_direct >=
		    seam_physmem.sm_size)
			return (0);
		*pap = PMAP_DIRECT_UNMAP(va);
		return (1);
	}

	/*
	 * Four levels translate 48 bits.  The CPU faults on a GPA above
	 * them; indexing with its low bits would alias another page.
	 */
	if (va >> (L4_SHIFT + 9) != 0)
		return (0);

	table = (uint64_t *)pm->pm_pdir;
	for (level = NPT_LEVELS; level >= 1; level--) {
		pte = table[npt_index(va, level)];
		if (!(pte & PG_V))
			return (0);
		if (level == 1 || (pte & PG_PS)) {
			*pap = (pte & PG_FRAME & ~(npt_span(level) - 1)) |
			    (va & (npt_span(level) - 1));
			return (1);
		}
		table = npt_table(pte);
	}
	return (0);
}

/* Maps one 4 KiB page; replaces what the page mapped before. */
int
pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, int prot, int flags)
{
	uint64_t *pte;
	int error;

	/* These are AMD nested tables; EPT entries have another format. */
	if (pm->pm_type == PMAP_TYPE_EPT) {
		printf("%s: not available: the machine has no VMX, and an EPT "
		    "pmap's tables are not built here\n", __func__);
		return (ENODEV);
	}
	if ((error = npt_entry(pm, trunc_page(va), 1, 1, &pte)) != 0)
		return (error);
	*pte = (pa & PG_FRAME) | PG_V | PG_u |
	    ((prot & PROT_WRITE) ? PG_RW : 0);
	return (0);
}

/*
 * Unmaps the pages starting in [sva, eva).  A 2 MiB page goes whole
 * once the range covers its start; tables stay until pmap_destroy.
 */
void
pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	uint64_t *pte;
	vaddr_t va;
	int level;

	for (va = trunc_page(sva); va < eva; ) {
		for (level = 2; level >= 1; level--) {
			if (npt_entry(pm, va, level, 0, &pte) != 0)
				continue;
			if (level == 2 && !(*pte & PG_PS))
				continue;
			*pte = 0;
			break;
		}
		if (level == 2)
			va = (va & ~(NBPD_L2 - 1)) + NBPD_L2;
		else
			va += PAGE_SIZE;
	}
}

struct pmap *
shim_npt_create(void)
{
	return (pmap_create());
}

void
shim_npt_destroy(struct pmap *pm)
{
	pmap_destroy(pm);
}

uint64_t
shim_npt_root(struct pmap *pm)
{
	return (pm->pm_pdirpa);
}

uint64_t
shim_npt_table_pages(struct pmap *pm)
{
	return (pm->pm_nptps);
}

int
shim_npt_extract(struct pmap *pm, uint64_t gpa, uint64_t *hpa)
{
	paddr_t pa;

	if (!pmap_extract(pm, gpa, &pa))
		return (0);
	*hpa = pa;
	return (1);
}

int
shim_npt_map(struct pmap *pm, uint64_t gpa, uint64_t hpa, uint64_t len)
{
	uint64_t *pte, off, step;
	int error, level;

	if (((gpa | hpa | len) & PAGE_MASK) != 0 || len == 0 ||
	    hpa > seam_physmem.sm_size || len > seam_physmem.sm_size - hpa ||
	    gpa + len < gpa || gpa + len > (1ULL << (L4_SHIFT + 9))) {
		printf("%s: cannot map GPA 0x%llx to HPA 0x%llx, 0x%llx "
		    "bytes: not page aligned, or outside host memory or the "
		    "nested page table\n", __func__, (unsigned long long)gpa,
		    (unsigned long long)hpa, (unsigned long long)len);
		return (EINVAL);
	}

	for (off = 0; off < len; off += step) {
		level = ((gpa + off) % NBPD_L2 == 0 &&
		    (hpa + off) % NBPD_L2 == 0 && len - off >= NBPD_L2) ? 2 : 1;
		step = npt_span(level);
		error = npt_entry(pm, gpa + off, level, 1, &pte);
		if (error == 0 && (*pte & PG_V))
			error = EEXIST;
		if (error != 0) {
			printf("%s: cannot map GPA 0x%llx: %s\n", __func__,
			    (unsigned long long)(gpa + off), error == ENOMEM ?
			    "no memory for page tables" : "already mapped");
			return (error);
		}
		*pte = (hpa + off) | PG_V | PG_RW | PG_u |
		    (level == 2 ? PG_PS : 0);
	}
	return (0);
}
