/*
 * physmem.h - the machine's host physical memory.
 */
#ifndef SEVEMU_PHYSMEM_H
#define SEVEMU_PHYSMEM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Creates host memory of kernel_size + ram_size bytes (both page
 * multiples) and publishes it as seam_physmem.  The memory lives in a
 * memfd so that guest RAM can be mapped a second time for the guest
 * CPU, independently of the host's direct map, whose view of private
 * guest pages can then be closed.
 */
int	 physmem_create(uint64_t kernel_size, uint64_t ram_size);
void	 physmem_destroy(void);

/* A fresh mapping of [pa, pa + len) for the guest CPU. */
void	*physmem_alias(uint64_t pa, size_t len);
void	 physmem_unalias(void *va, size_t len);

/* Maps the real memory back at [pa, pa + len) of the direct map. */
int	 physmem_remap_direct(uint64_t pa, size_t len);

/* Host pointer for [pa, pa + len) in the direct map, or NULL. */
void	*physmem_ptr(uint64_t pa, size_t len);

#endif /* SEVEMU_PHYSMEM_H */
