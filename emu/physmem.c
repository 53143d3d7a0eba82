/*
 * physmem.c - host physical memory backed by one memfd.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "physmem.h"
#include "seam.h"

struct seam_physmem seam_physmem;
static int physmem_fd = -1;

int
physmem_create(uint64_t kernel_size, uint64_t ram_size)
{
	uint64_t size = kernel_size + ram_size;
	void *p;

	if (physmem_fd != -1)
		return (EBUSY);
	if ((size & 0xfff) != 0 || size == 0)
		return (EINVAL);
	physmem_fd = memfd_create("sevemu-physmem", MFD_CLOEXEC);
	if (physmem_fd == -1)
		return (errno);
	if (ftruncate(physmem_fd, (off_t)size) == -1)
		goto fail;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, physmem_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	seam_physmem.sm_direct = p;
	seam_physmem.sm_size = size;
	seam_physmem.sm_kernel_end = kernel_size;
	return (0);
fail:
	close(physmem_fd);
	physmem_fd = -1;
	return (errno);
}

void
physmem_destroy(void)
{
	if (physmem_fd == -1)
		return;
	munmap(seam_physmem.sm_direct, seam_physmem.sm_size);
	close(physmem_fd);
	physmem_fd = -1;
	seam_physmem.sm_direct = NULL;
	seam_physmem.sm_size = 0;
	seam_physmem.sm_kernel_end = 0;
}

void *
physmem_alias(uint64_t pa, size_t len)
{
	void *p;

	if (physmem_ptr(pa, len) == NULL)
		return (NULL);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, physmem_fd,
	    (off_t)pa);
	return (p == MAP_FAILED ? NULL : p);
}

void
physmem_unalias(void *va, size_t len)
{
	munmap(va, len);
}

int
physmem_remap_direct(uint64_t pa, size_t len)
{
	void *p;

	if (physmem_ptr(pa, len) == NULL)
		return (-1);
	p = mmap(seam_physmem.sm_direct + pa, len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_FIXED, physmem_fd, (off_t)pa);
	return (p == MAP_FAILED ? -1 : 0);
}

void *
physmem_ptr(uint64_t pa, size_t len)
{
	if (pa >= seam_physmem.sm_size || len > seam_physmem.sm_size - pa)
		return (NULL);
	return (seam_physmem.sm_direct + pa);
}
