/*
 * machine/cpufunc.h - privileged instructions.  CPUID and the MSRs go to
 * the machine below the seam; the rest act on the shim's simulated host
 * state (shim/cpu.c) or do nothing where the host has nothing to do.
 */
#ifndef _SHIM_MACHINE_CPUFUNC_H_
#define _SHIM_MACHINE_CPUFUNC_H_

#include <sys/types.h>

#include <machine/specialreg.h>

#include <seam.h>

static inline uint64_t
rdmsr(u_int msr)
{
	return (seam_rdmsr(msr));
}

static inline void
wrmsr(u_int msr, uint64_t val)
{
	seam_wrmsr(msr, val);
}

static inline void
cpuid(uint32_t ax, uint32_t *p)
{
	seam_cpuid(ax, 0, p);
}

#include <machine/shim_cpuid.h>

u_long	rcr0(void);
u_long	rcr2(void);
u_long	rcr3(void);
u_long	rcr4(void);
void	lcr4(u_long);
uint64_t xgetbv(uint32_t);
void	xsetbv(uint32_t, uint64_t);

/* The TSC is the machine's: its modelled cycle clock, deterministic. */
static inline uint64_t
rdtsc(void)
{
	return (seam_rdmsr(MSR_TSC));
}

/* GIF and IF guard the host against interrupts it does not have. */
static inline void
clgi(void)
{
}

static inline void
stgi(void)
{
}

static inline u_long
intr_disable(void)
{
	return (0);
}

static inline void
intr_restore(u_long s)
{
	(void)s;
}

static inline uint32_t
rdpkru(u_int ecx)
{
	(void)ecx;
	return (0);
}

static inline void
wrpkru(u_int ecx, uint32_t pkru)
{
	(void)ecx;
	(void)pkru;
}

struct region_descriptor;

/*
 * Not for this host (shim/stubs_md.c), and stopping the run if called:
 * bare_lgdt would reload a GDT the shim only simulates (only VMX exits
 * need it); vmgexit is the guest's instruction, which a host never
 * executes (ghcb.c's guest half).
 */
void	bare_lgdt(struct region_descriptor *);
void	vmgexit(void);

#endif /* _SHIM_MACHINE_CPUFUNC_H_ */
