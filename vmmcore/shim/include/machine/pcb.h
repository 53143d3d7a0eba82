/*
 * machine/pcb.h - the per-thread state the vmm touches: the FPU area.
 */
#ifndef _SHIM_MACHINE_PCB_H_
#define _SHIM_MACHINE_PCB_H_

#include <machine/fpu.h>

struct pcb {
	struct savefpu	pcb_savefpu;
};

#endif /* _SHIM_MACHINE_PCB_H_ */
