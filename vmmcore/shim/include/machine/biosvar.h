/*
 * machine/biosvar.h - BIOS-provided information.  The vmm includes it
 * but needs nothing from it on this machine.
 */
#ifndef _SHIM_MACHINE_BIOSVAR_H_
#define _SHIM_MACHINE_BIOSVAR_H_

#endif /* _SHIM_MACHINE_BIOSVAR_H_ */
