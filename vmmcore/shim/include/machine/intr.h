/*
 * machine/intr.h - interrupt priority levels.  The shim has no
 * interrupts; the levels only name what a caller asked for.
 */
#ifndef _SHIM_MACHINE_INTR_H_
#define _SHIM_MACHINE_INTR_H_

#define IPL_NONE	0x0
#define IPL_BIO		0x3
#define IPL_NET		0x4
#define IPL_VM		0xa
#define IPL_MPFLOOR	IPL_VM
#define IPL_HIGH	0xd

#endif /* _SHIM_MACHINE_INTR_H_ */
