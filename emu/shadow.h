/*
 * shadow.h - the page tables Unicorn walks instead of the guest's.
 */
#ifndef SEVEMU_SHADOW_H
#define SEVEMU_SHADOW_H

#include <stdint.h>

/*
 * Below 4 GiB, so that 32-bit paging modes can point CR3 at it, and
 * above any guest RAM sevemu gives a guest.
 */
#define SHADOW_BASE	0xe0000000ULL
#define SHADOW_PAGES	1024

int	 shadow_open(void);
void	 shadow_close(void);
/* Rebuilds the copy of the guest's tables at cr3 for this paging mode. */
int	 shadow_build(uint64_t cr3, uint64_t cr0, uint64_t cr4, uint64_t efer);
/* Counts rebuilds, so that users of the private map see changes. */
uint64_t shadow_generation(void);
/* Did the guest map this page with the C-bit at the last rebuild? */
int	 shadow_private(uint64_t gpa);
/*
 * The same for every page, a bit per page from GPA 0, and the bytes of
 * it [*lo, *hi) that changed since the last call (none: lo >= hi).
 */
const uint8_t *shadow_private_changes(uint64_t *lo, uint64_t *hi);

#endif /* SEVEMU_SHADOW_H */
