/*
 * sys/types.h - the host's types plus the kernel's address types.
 *
 * The system header comes first so that libc headers, which include
 * <sys/types.h> themselves, keep working with this directory ahead of
 * theirs on the include path.
 */
#ifndef _SHIM_SYS_TYPES_H_
#define _SHIM_SYS_TYPES_H_

#include_next <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned long	vaddr_t;	/* kernel virtual address */
typedef unsigned long	paddr_t;	/* host physical address */
typedef unsigned long	vsize_t;
typedef unsigned long	psize_t;
typedef int64_t		voff_t;

#ifndef __packed
#define __packed	__attribute__((__packed__))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((__aligned__(x)))
#endif
#ifndef __predict_true
#define __predict_true(e)	__builtin_expect(((e) != 0), 1)
#define __predict_false(e)	__builtin_expect(((e) != 0), 0)
#endif

#endif /* _SHIM_SYS_TYPES_H_ */
