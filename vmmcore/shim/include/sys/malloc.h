/*
 * sys/malloc.h - malloc(9).  The three-argument kernel calls are macros
 * over kern_malloc/kern_free so that libc's malloc stays untouched for
 * code that does not include this header.
 */
#ifndef _SHIM_SYS_MALLOC_H_
#define _SHIM_SYS_MALLOC_H_

#include <sys/types.h>

#define M_WAITOK	0x0001
#define M_NOWAIT	0x0002
#define M_CANFAIL	0x0004
#define M_ZERO		0x0008

#define M_DEVBUF	2
#define M_TEMP		127

void	*kern_malloc(size_t, int, int);
void	 kern_free(void *, int, size_t);

#define malloc(size, type, flags)	kern_malloc((size), (type), (flags))
#define free(addr, type, size)		kern_free((addr), (type), (size))

#endif /* _SHIM_SYS_MALLOC_H_ */
