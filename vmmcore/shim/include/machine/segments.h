/*
 * machine/segments.h - descriptor table registers and the GDT's size.
 */
#ifndef _SHIM_MACHINE_SEGMENTS_H_
#define _SHIM_MACHINE_SEGMENTS_H_

#include <sys/types.h>

/* The operand of LGDT/LIDT. */
struct region_descriptor {
	uint16_t	rd_limit;
	uint64_t	rd_base;
} __packed;

#define NGDT_MEM	5
#define NGDT_SYS	1
#define SYSSEL_START	(NGDT_MEM << 3)
#define GDT_SIZE	(SYSSEL_START + (NGDT_SYS << 4))

void	setregion(struct region_descriptor *, void *, uint16_t);

#endif /* _SHIM_MACHINE_SEGMENTS_H_ */
