/*
 * machine/shim_cpuid.h - the CPUID instruction, sent to the machine.
 *
 * A kernel's specialreg.h defines CPUID and CPUID_LEAF as the cpuid
 * instruction, which here would ask the host running sevemu rather
 * than the machine's CPU.  This header replaces them with seam_cpuid.
 * It must come after specialreg.h and stay last: the build's
 * machine/specialreg.h is a generated wrapper (vmmcore/CMakeLists.txt)
 * that includes the vmm tree's specialreg.h once, then this header,
 * so that no later inclusion of an unguarded specialreg.h (OpenBSD's
 * has no include guard) can bring the instruction back.
 */
#ifndef _SHIM_MACHINE_SHIM_CPUID_H_
#define _SHIM_MACHINE_SHIM_CPUID_H_

#include <stdint.h>

#include <seam.h>

#undef CPUID_LEAF
#undef CPUID
#define CPUID_LEAF(code, leaf, eax, ebx, ecx, edx) do {		\
	uint32_t __r[4];						\
									\
	seam_cpuid((code), (leaf), __r);				\
	(eax) = __r[0];							\
	(ebx) = __r[1];							\
	(ecx) = __r[2];							\
	(edx) = __r[3];							\
} while (0)

#define CPUID(code, eax, ebx, ecx, edx)					\
	CPUID_LEAF((code), 0, eax, ebx, ecx, edx)

#endif /* _SHIM_MACHINE_SHIM_CPUID_H_ */
