/*
 * dev/isa/isareg.h - ISA I/O port assignments.
 */
#ifndef _SHIM_DEV_ISA_ISAREG_H_
#define _SHIM_DEV_ISA_ISAREG_H_

#define IO_ICU1		0x020
#define IO_TIMER1	0x040
#define IO_RTC		0x070
#define IO_ICU2		0x0a0
#define IO_COM1		0x3f8

#endif /* _SHIM_DEV_ISA_ISAREG_H_ */
