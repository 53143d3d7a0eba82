/*
 * hostcpu.h - the host CPU's identity and MSRs: an AMD EPYC-class part
 * with SVM, nested paging, SEV and SEV-ES, kept as data.
 */
#ifndef SEVEMU_HOSTCPU_H
#define SEVEMU_HOSTCPU_H

#include <stdint.h>

/* Replaces one leaf of the model (tests use this); 0 on success. */
int	 hostcpu_set_cpuid(uint32_t leaf, uint32_t subleaf,
	    const uint32_t regs[4]);
/* Back to the built-in model. */
void	 hostcpu_reset(void);
/* The C-bit position the model reports in CPUID 0x8000001F EBX[5:0]. */
unsigned int hostcpu_cbit(void);
/* That position as a PTE mask, 0 if the model reports none usable. */
uint64_t cpu_cbit_mask(void);
/*
 * The machine's cycle count, which the TSC follows (cpu.c; a machine
 * without the CPU, such as the fuzz target's replay, has its own).
 */
uint64_t cpu_cycles(void);

#endif /* SEVEMU_HOSTCPU_H */
