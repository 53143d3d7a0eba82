/*
 * kern_malloc.c - malloc(9) on the host heap.  An M_WAITOK allocation
 * cannot fail in a kernel; when the host heap is exhausted there is no
 * one to wait for, so that is a panic.
 */
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>

void *
kern_malloc(size_t size, int type, int flags)
{
	void *p;

	p = (flags & M_ZERO) ? calloc(1, size) : (malloc)(size);
	if (p == NULL && !(flags & (M_NOWAIT | M_CANFAIL)))
		panic("malloc: no host memory for %zu bytes (type %d)", size,
		    type);
	return (p);
}

void
kern_free(void *addr, int type, size_t size)
{
	(free)(addr);
}
