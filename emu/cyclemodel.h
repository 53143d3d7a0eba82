/*
 * cyclemodel.h - what the guest's instructions and the SEV-ES exit
 * paths cost, in core clock cycles, on one named part.
 *
 * A deterministic estimate for counting and comparing exit paths, not
 * a microarchitectural simulator: no pipeline, caches, branch
 * prediction or clock changes.  Each instruction has a fixed cost by
 * class; each architectural event (world switch, #VC delivery, ...)
 * and each host exit path has a fixed cost.  The numbers and where
 * they come from are in the part's data file (cyclemodel_milan.c).
 */
#ifndef SEVEMU_CYCLEMODEL_H
#define SEVEMU_CYCLEMODEL_H

#include <stdint.h>

#include <capstone/capstone.h>

/* Classes of guest instructions. */
enum cy_class {
	CY_ALU,			/* integer ALU, moves, LEA, shifts */
	CY_BRANCH,		/* JMP, Jcc, LOOP: taken or not */
	CY_FUSED_JCC,		/* Jcc fused with the ALU op before */
	CY_CALL_RET,		/* CALL, RET */
	CY_PUSH_POP,
	CY_IMUL,
	CY_DIV,			/* DIV, IDIV: the 64-bit figure */
	CY_LOAD,		/* extra for an operand read from memory */
	CY_STORE,		/* extra for an operand written to memory */
	CY_STRING,		/* one iteration of a string instruction */
	CY_VECTOR,		/* SSE/AVX/x87 */
	CY_IRET,		/* IRET, IRETQ */
	CY_SYSTEM,		/* MOV CRn/DRn, LGDT/LIDT/LTR, INVLPG, ... */
	CY_RDMSR_WRMSR,		/* RDMSR/WRMSR done without an exit */
	CY_RDTSC,		/* RDTSC, RDTSCP done without an exit */
	CY_CPUID,		/* CPUID done without an exit */
	CY_CLASSES
};

/* Host exit paths, each with a fixed handler cost. */
enum cy_path {
	CYP_MSRPROTO,		/* VMGEXIT, an MSR-protocol request */
	CYP_GHCB,		/* VMGEXIT with a NAE event in the GHCB page */
	CYP_HLT,
	CYP_WRITE_TRAP,		/* EFER, CR0, CR4 write traps */
	CYP_OTHER,		/* INTR, SHUTDOWN, NPF, ... */
	CYP_PATHS
};

struct cycle_model {
	const char	*cm_part;
	uint32_t	 cm_insn[CY_CLASSES];
	/* The world switch of an SEV-ES guest, VMSA included. */
	uint32_t	 cm_vmexit;	/* guest -> host, VMSA save */
	uint32_t	 cm_vmrun;	/* host -> guest, VMSA restore */
	uint32_t	 cm_vc_delivery;	/* #VC through the IDT */
	/* The vmm, from the world switch back to the next VMRUN. */
	uint32_t	 cm_vmm[CYP_PATHS];
	/* An exit that goes out to vmd and back (ioctl return, entry). */
	uint32_t	 cm_vmd;
};

extern const struct cycle_model cyclemodel_milan;

/*
 * The cost of one decoded instruction, in block order.  *fuse carries
 * from one instruction to the next (0 at a block's start): a Jcc right
 * after a flag-setting ALU op is fused with it.
 */
uint32_t cyclemodel_insn(const struct cycle_model *, const cs_insn *insn,
	    int *fuse);

#endif /* SEVEMU_CYCLEMODEL_H */
