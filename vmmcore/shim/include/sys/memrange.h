/*
 * sys/memrange.h - memory range attributes (MTRRs).  The vmm only
 * decodes them in debug output; the shim has no MTRRs.
 */
#ifndef _SHIM_SYS_MEMRANGE_H_
#define _SHIM_SYS_MEMRANGE_H_

#define MDF_UNCACHEABLE		(1 << 0)
#define MDF_WRITECOMBINE	(1 << 1)
#define MDF_WRITETHROUGH	(1 << 2)
#define MDF_WRITEBACK		(1 << 3)
#define MDF_WRITEPROTECT	(1 << 4)

#endif /* _SHIM_SYS_MEMRANGE_H_ */
