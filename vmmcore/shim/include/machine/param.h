/*
 * machine/param.h - amd64 page geometry.
 */
#ifndef _SHIM_MACHINE_PARAM_H_
#define _SHIM_MACHINE_PARAM_H_

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1 << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)
#define NBPG		PAGE_SIZE

#endif /* _SHIM_MACHINE_PARAM_H_ */
