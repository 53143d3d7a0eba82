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

/*
 * The host GDT: NGDT_MEM 8-byte code/data descriptors, then NGDT_SYS
 * 16-byte system descriptors (the TSS).  Selectors name a slot and the
 * requested privilege level.
 */
#define NGDT_MEM	5
#define NGDT_SYS	1
#define SYSSEL_START	(NGDT_MEM << 3)
#define GDT_SIZE	(SYSSEL_START + (NGDT_SYS << 4))

#define SEL_KPL		0		/* kernel */
#define SEL_UPL		3		/* user */
#define GCODE_SEL	1		/* kernel code, memory slot */
#define GDATA_SEL	2		/* kernel data, memory slot */
#define GPROC0_SEL	0		/* the TSS, system slot */

#define GSEL(slot, rpl)		(((slot) << 3) | (rpl))
#define GSYSSEL(slot, rpl)	((((slot) << 4) + SYSSEL_START) | (rpl))

/*
 * A 64-bit interrupt gate, as the CPU reads it from the IDT (AMD64 APM
 * vol. 2, 4.8.4): handler offset split in two, selector, IST, type,
 * DPL, present.
 */
struct gate_descriptor {
	uint64_t	gd_looffset:16;	/* offset 15:0 */
	uint64_t	gd_selector:16;
	uint64_t	gd_ist:3;
	uint64_t	gd_xx1:5;
	uint64_t	gd_type:5;
	uint64_t	gd_dpl:2;
	uint64_t	gd_p:1;
	uint64_t	gd_hioffset:48;	/* offset 63:16 */
	uint64_t	gd_xx2:8;
	uint64_t	gd_zero:5;
	uint64_t	gd_xx3:19;
} __packed;

/*
 * The host IDT.  The shim's host takes no interrupts: it has none (see
 * shim/stubs_md.c), and nothing may dispatch through it.
 */
extern struct gate_descriptor *idt;
extern vaddr_t idt_vaddr;

void	setregion(struct region_descriptor *, void *, uint16_t);
void	cpu_init_idt(void);

#endif /* _SHIM_MACHINE_SEGMENTS_H_ */
