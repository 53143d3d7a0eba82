/*
 * pmap_md.c - pmap questions the vmm asks besides translation: how
 * many pages a pmap maps.  Walks the tables shim/pmap.c builds.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/pmap.h>
#include <machine/pte.h>

static long
count_pages(uint64_t *table, int level)
{
	long n = 0;
	int i;

	for (i = 0; i < 512; i++) {
		if (!(table[i] & PG_V))
			continue;
		if (level == 1 || (table[i] & PG_PS))
			n += 1L << (9 * (level - 1));
		else
			n += count_pages((uint64_t *)PMAP_DIRECT_MAP(
			    table[i] & PG_FRAME), level - 1);
	}
	return (n);
}

long
pmap_resident_count(struct pmap *pm)
{
	if (pm == NULL || pm == pmap_kernel() || pm->pm_pdir == 0)
		return (0);
	return (count_pages((uint64_t *)pm->pm_pdir, 4));
}
