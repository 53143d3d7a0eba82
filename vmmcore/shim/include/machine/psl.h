/*
 * machine/psl.h - RFLAGS bits.
 */
#ifndef _SHIM_MACHINE_PSL_H_
#define _SHIM_MACHINE_PSL_H_

#define PSL_C		0x00000001
#define PSL_MBO		0x00000002
#define PSL_T		0x00000100
#define PSL_I		0x00000200

#endif /* _SHIM_MACHINE_PSL_H_ */
