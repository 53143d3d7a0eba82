/*
 * cyclemodel_milan.c - the cycle model's data for a 3rd generation
 * EPYC ("Milan", Zen 3, family 19h), the part hostcpu.c reports.
 *
 * Sources, and how each figure was obtained:
 *
 * [AF]  Agner Fog, "Instruction tables: Lists of instruction
 *       latencies, throughputs and micro-operation breakdowns for
 *       Intel, AMD and VIA CPUs", section "AMD Zen 3"
 *       (https://www.agner.org/optimize/instruction_tables.pdf), and
 *       "The microarchitecture of Intel, AMD and VIA CPUs", Zen
 *       chapters, on the fusion of an ALU instruction with a
 *       following conditional jump.
 * [SOG] AMD, "Software Optimization Guide for AMD EPYC 7003
 *       Processors", publication 56665: the 4-cycle L1 data cache
 *       load-to-use latency of integer loads.
 * [LKML] Michael Roth, "KVM: SVM: use vmsave/vmload for saving/
 *       restoring additional host state", linux-kernel, December 2020
 *       (https://lkml.iu.edu/hypermail/linux/kernel/2012.2/00527.html):
 *       TSC samples on an EPYC host around KVM's VMRUN, about 1,350
 *       cycles from just before VMRUN to just after #VMEXIT, and about
 *       575 cycles each from the KVM_RUN ioctl's entry to VMRUN and
 *       from #VMEXIT back to the ioctl's return.
 *
 * Figures marked "estimate" have no public measurement we know of;
 * they are of the order the nearest measured operation suggests and
 * are here so that each path has a cost, not because they are known.
 */
#include "cyclemodel.h"

const struct cycle_model cyclemodel_milan = {
	.cm_part = "AMD EPYC 7003 (Milan, Zen 3)",
	.cm_insn = {
		[CY_ALU] = 1,		/* [AF]: latency 1 */
		[CY_BRANCH] = 1,	/* [AF]: one taken branch per clock */
		[CY_FUSED_JCC] = 0,	/* [AF]: fused into the ALU op */
		[CY_CALL_RET] = 2,	/* [AF]: throughput about 2 */
		[CY_PUSH_POP] = 1,	/* [AF] */
		[CY_IMUL] = 3,		/* [AF]: IMUL r64, latency 3 */
		[CY_DIV] = 14,		/* [AF]: DIV r64, the middle of
					   the latency range */
		[CY_LOAD] = 4,		/* [SOG]: L1D load-to-use */
		[CY_STORE] = 1,		/* [AF]: two stores per clock,
					   rounded up */
		[CY_STRING] = 1,	/* estimate, per iteration */
		[CY_VECTOR] = 3,	/* [AF]: FP/vector add, mul: 3 */
		[CY_IRET] = 60,		/* estimate */
		[CY_SYSTEM] = 30,	/* estimate: MOV CRn, LGDT, ... */
		[CY_RDMSR_WRMSR] = 100,	/* estimate */
		[CY_RDTSC] = 40,	/* [AF]: RDTSC of the order of 40 */
		[CY_CPUID] = 150,	/* estimate; differs by leaf */
	},
	/*
	 * The world switch.  [LKML] gives about 1,350 cycles for a plain
	 * SVM VMRUN/#VMEXIT round trip.  An SEV-ES world switch also has
	 * the CPU save the guest's registers into the encrypted VMSA at
	 * #VMEXIT, restore them at VMRUN, and swap the host state through
	 * the host save area: estimated here at 850 cycles more, so 2,200
	 * for the round trip, split between the two directions.
	 */
	.cm_vmexit = 1150,		/* estimate, see above */
	.cm_vmrun = 1050,		/* estimate, see above */
	.cm_vc_delivery = 150,		/* estimate: an exception through
					   a 64-bit gate, as #PF */
	/*
	 * The vmm's own time per exit path: vcpu_run_svm's loop around
	 * VMRUN, svm_handle_exit's dispatch and the handler.  [LKML]
	 * gives about 1,150 cycles for KVM's path from the ioctl to VMRUN
	 * and back; the paths that stay in the kernel do less.
	 */
	.cm_vmm = {
		[CYP_MSRPROTO] = 600,	/* estimate: decode, one host CPUID
					   or a field update */
		[CYP_GHCB] = 1200,	/* estimate: GHCB in and out, the
					   valid bitmap, the event */
		[CYP_HLT] = 600,	/* estimate */
		[CYP_WRITE_TRAP] = 500,	/* estimate */
		[CYP_OTHER] = 500,	/* estimate */
	},
	/* [LKML]: 575 + 575 around the ioctl, plus vmd's dispatch. */
	.cm_vmd = 2200,			/* estimate for vmd's share */
};
