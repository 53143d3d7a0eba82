/*
 * guestmem.c - guest RAM ranges and a software page walker.
 */
#include <string.h>

#include "guestmem.h"

#define CR0_PG		(1ULL << 31)
#define CR4_PSE		(1ULL << 4)
#define CR4_PAE		(1ULL << 5)
#define EFER_LMA	(1ULL << 10)
#define PTE_P		(1ULL << 0)
#define PTE_PS		(1ULL << 7)
#define PTE_ADDR52	0x000ffffffffff000ULL

uint8_t *
guestmem_ptr(const struct guestmem *gm, uint64_t gpa, size_t len)
{
	const struct guestmem_range *r;
	int i;

	for (i = 0; i < gm->gm_n; i++) {
		r = &gm->gm_r[i];
		if (gpa >= r->gr_gpa && gpa - r->gr_gpa < r->gr_len &&
		    len <= r->gr_len - (gpa - r->gr_gpa))
			return (r->gr_host + (gpa - r->gr_gpa));
	}
	return (NULL);
}

static int
read_pte(const struct guestmem *gm, uint64_t gpa, int wide, uint64_t *pte)
{
	uint8_t *p = guestmem_ptr(gm, gpa, wide ? 8 : 4);
	uint32_t v32;

	if (p == NULL)
		return (-1);
	if (wide)
		memcpy(pte, p, 8);
	else {
		memcpy(&v32, p, 4);
		*pte = v32;
	}
	return (0);
}

/* Does this entry map a 1 GiB, 2 MiB or 4 MiB page? */
static int
is_large(const struct paging *pg, uint64_t pte, int levels, int level)
{
	if ((pte & PTE_PS) == 0)
		return (0);
	switch (levels) {
	case 4:
		return (level == 2 || level == 3);
	case 3:
		return (level == 2);
	default:
		return (level == 2 && (pg->pg_cr4 & CR4_PSE));
	}
}

int
guestmem_walk(const struct guestmem *gm, const struct paging *pg,
    uint64_t va, uint64_t *gpa, int *cbit)
{
	uint64_t pte, table, mask = PTE_ADDR52 & ~pg->pg_cbit;
	int levels, level, shift, wide;

	if (cbit != NULL)
		*cbit = 0;
	if ((pg->pg_cr0 & CR0_PG) == 0) {
		*gpa = va;
		return (0);
	}
	if (pg->pg_efer & EFER_LMA) {
		levels = 4;
		wide = 1;
	} else if (pg->pg_cr4 & CR4_PAE) {
		levels = 3;
		wide = 1;
		va &= 0xffffffffULL;
	} else {
		levels = 2;
		wide = 0;
		va &= 0xffffffffULL;
	}
	table = pg->pg_cr3 & (wide ? mask : 0xfffff000ULL);
	if (levels == 3)
		table = pg->pg_cr3 & 0xffffffe0ULL;
	for (level = levels; level >= 1; level--) {
		if (wide)
			shift = 12 + 9 * (level - 1);
		else
			shift = level == 2 ? 22 : 12;
		uint64_t idx = wide ? (va >> shift) & 0x1ff :
		    (va >> shift) & 0x3ff;
		if (levels == 3 && level == 3)
			idx = (va >> 30) & 0x3;
		if (read_pte(gm, table + idx * (wide ? 8 : 4), wide, &pte) != 0)
			return (-1);
		if ((pte & PTE_P) == 0)
			return (-1);
		if (level == 1 || is_large(pg, pte, levels, level)) {
			uint64_t base = wide ? pte & mask : pte & 0xfffff000ULL;
			uint64_t off = va & ((1ULL << shift) - 1);

			if (level > 1)
				base &= ~((1ULL << shift) - 1);
			if (cbit != NULL)
				*cbit = (pte & pg->pg_cbit) != 0;
			*gpa = base + off;
			return (0);
		}
		table = wide ? pte & mask : pte & 0xfffff000ULL;
	}
	return (-1);
}

static int
copy_linear(const struct guestmem *gm, const struct paging *pg, uint64_t va,
    uint8_t *buf, size_t len, int write)
{
	uint64_t gpa;
	size_t chunk;
	uint8_t *p;

	while (len > 0) {
		chunk = 4096 - (va & 0xfff);
		if (chunk > len)
			chunk = len;
		if (guestmem_walk(gm, pg, va, &gpa, NULL) != 0)
			return (-1);
		if ((p = guestmem_ptr(gm, gpa, chunk)) == NULL)
			return (-1);
		if (write)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		va += chunk;
		buf += chunk;
		len -= chunk;
	}
	return (0);
}

int
guestmem_read(const struct guestmem *gm, const struct paging *pg,
    uint64_t va, void *buf, size_t len)
{
	return (copy_linear(gm, pg, va, buf, len, 0));
}

int
guestmem_write(const struct guestmem *gm, const struct paging *pg,
    uint64_t va, const void *buf, size_t len)
{
	return (copy_linear(gm, pg, va, (uint8_t *)(uintptr_t)buf, len, 1));
}
