/*
 * machine/param.h - amd64 page geometry.
 */
#ifndef _SHIM_MACHINE_PARAM_H_
#define _SHIM_MACHINE_PARAM_H_

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1 << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)
#define NBPG		PAGE_SIZE

/* In a kernel, the machine's parameters include its CPU. */
#if defined(_KERNEL) && !defined(_LOCORE)
#include <machine/cpu.h>
#endif

#endif /* _SHIM_MACHINE_PARAM_H_ */
