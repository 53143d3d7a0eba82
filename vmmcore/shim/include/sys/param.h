/*
 * sys/param.h - kernel-wide constants and helper macros.
 */
#ifndef _SHIM_SYS_PARAM_H_
#define _SHIM_SYS_PARAM_H_

#include <sys/types.h>

#include <errno.h>

#ifdef _KERNEL
#include <sys/time.h>
#endif

#include <machine/param.h>

#define NBBY		8

/* Sleep priorities and flags (tsleep(9)); the shim never sleeps. */
#define PWAIT		32
#define PCATCH		0x100

#define nitems(_a)	(sizeof((_a)) / sizeof((_a)[0]))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

#endif /* _SHIM_SYS_PARAM_H_ */
