/*
 * guestmem.h - guest physical memory as the CPU maps it, and the
 * guest's own page tables walked in software.
 */
#ifndef SEVEMU_GUESTMEM_H
#define SEVEMU_GUESTMEM_H

#include <stddef.h>
#include <stdint.h>

#define GUESTMEM_MAXRANGES	16

struct guestmem_range {
	uint64_t	 gr_gpa;
	uint64_t	 gr_hpa;
	uint64_t	 gr_len;
	uint8_t		*gr_host;	/* the CPU's alias of the range */
};

struct guestmem {
	struct guestmem_range	gm_r[GUESTMEM_MAXRANGES];
	int			gm_n;
};

/* The paging state a walk needs. */
struct paging {
	uint64_t	pg_cr0, pg_cr3, pg_cr4, pg_efer;
	uint64_t	pg_cbit;	/* the C-bit mask, stripped from PTEs */
};

/* Pointer to [gpa, gpa + len) if it lies in one range, else NULL. */
uint8_t	*guestmem_ptr(const struct guestmem *, uint64_t gpa, size_t len);

/*
 * Translates a linear address.  Returns 0 and the GPA (and, if
 * cbit is non-NULL, whether the final mapping had the C-bit set), or
 * -1 when the walk faults or leaves guest RAM.
 */
int	 guestmem_walk(const struct guestmem *, const struct paging *,
	    uint64_t va, uint64_t *gpa, int *cbit);

/* Linear-address copies, page by page; -1 if any page is unmapped. */
int	 guestmem_read(const struct guestmem *, const struct paging *,
	    uint64_t va, void *buf, size_t len);
int	 guestmem_write(const struct guestmem *, const struct paging *,
	    uint64_t va, const void *buf, size_t len);

#endif /* SEVEMU_GUESTMEM_H */
