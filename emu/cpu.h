/*
 * cpu.h - the SEV-ES guest CPU, as the rest of the machine sees it.
 *
 * seam_vmrun() (seam.h) is the CPU's VMRUN.  What is here is for the
 * machine's owner - the runner, the tests, the debugger helpers: how
 * the CPU is configured, why it stopped, what the guest's registers
 * hold.  A real CPU shows none of that to the vmm.
 */
#ifndef SEVEMU_CPU_H
#define SEVEMU_CPU_H

#include <stdint.h>
#include <stdio.h>

#include "decode.h"

struct cpu_debugger;
struct trace;

struct cpu_config {
	uint64_t	 cc_budget;	/* instructions per VM, 0: default */
	struct trace	*cc_trace;	/* NULL: no trace */
	struct cpu_debugger *cc_debug;	/* NULL: none (cpu_debug.h) */
};

#define CPU_DEFAULT_BUDGET	50000000ULL

enum cpu_state {
	CPU_OFF,		/* no VMCB has been run yet */
	CPU_IN_HOST,		/* after a #VMEXIT, waiting for VMRUN */
	CPU_BUDGET,		/* the instruction budget ran out */
	CPU_SHUTDOWN,		/* the guest's CPU shut down (triple fault) */
	CPU_INVALID		/* VMRUN refused the VMCB */
};

struct cpu_regs {
	uint64_t	rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t	r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t	rip, rflags, cr0, cr3, cr4, efer;
};

void		 cpu_configure(const struct cpu_config *);
/* Powers the CPU off: the next VMRUN starts from a fresh VMCB. */
void		 cpu_off(void);

enum cpu_state	 cpu_state(void);
/* Why the CPU stopped or refused, in one line; "" if it did not. */
const char	*cpu_diag(void);
uint64_t	 cpu_insns(void);
uint64_t	 cpu_exits(void);
/* The modelled clock (cyclemodel.h): cycles since power-on. */
uint64_t	 cpu_cycles(void);
/* Where the cycles went, per exit reason (sevemu run --cycles). */
void		 cpu_cycles_report(FILE *);
/* The exit being handled went out to vmd and back. */
void		 cpu_cycles_vmd(void);
/* The guest's registers, as a debugger attached to the CPU sees them. */
int		 cpu_regs(struct cpu_regs *);
/* The GHCB MSR, which the CPU keeps in the VMCB; 0 before VMRUN. */
uint64_t	 cpu_ghcb_msr(void);
/* Guest physical memory, as the CPU sees it; NULL outside guest RAM. */
void		*cpu_guest_ptr(uint64_t gpa, uint64_t len);

#endif /* SEVEMU_CPU_H */
