/*
 * fpu.c - the host CPU's FPU, as the kernel's FPU routines see it.
 *
 * The machine runs only SEV-ES guests, whose FPU state the CPU swaps
 * to and from the VMSA itself, so the host FPU never holds guest
 * state.  What the kernel does around VMRUN (save the host state,
 * restore the guest's, set the guest's XCR0, and back) still acts on
 * something: a savefpu the shim keeps as the live FPU, and the host
 * XCR0 (shim/cpu.c), so that a handler's FPU bookkeeping can be
 * checked like the rest of its state.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/fpu.h>
#include <machine/specialreg.h>

static struct savefpu live_fpu;
static int live_fpu_inited;

/* The state after FNINIT and LDMXCSR of the default. */
static void
fpu_reset(struct savefpu *sfp)
{
	memset(sfp, 0, sizeof(*sfp));
	sfp->fp_fxsave.fx_fcw = __INITIAL_NPXCW__;
	sfp->fp_fxsave.fx_mxcsr = __INITIAL_MXCSR__;
	sfp->fp_fxsave.fx_mxcsr_mask = __INITIAL_MXCSR_MASK__;
}

void
fpusavereset(struct savefpu *sfp)
{
	if (!live_fpu_inited) {
		fpu_reset(&live_fpu);
		live_fpu_inited = 1;
	}
	*sfp = live_fpu;
	fpu_reset(&live_fpu);
}

void
xrstor_kern(struct savefpu *sfp, uint64_t mask)
{
	/* The legacy area holds x87 and SSE state; the rest is YMM. */
	if (mask & (XFEATURE_X87 | XFEATURE_SSE))
		live_fpu.fp_fxsave = sfp->fp_fxsave;
	if (mask & XFEATURE_AVX)
		memcpy(live_fpu.fp_ymm, sfp->fp_ymm, sizeof(live_fpu.fp_ymm));
	live_fpu.fp_xstate.xstate_bv = sfp->fp_xstate.xstate_bv & mask;
	live_fpu_inited = 1;
}

/*
 * XSETBV faults (#GP) on a bit the host does not support, or without
 * x87; the kernel's xsetbv_user catches that and returns non-zero.
 */
int
xsetbv_user(uint32_t reg, uint64_t val)
{
	if (reg != 0 || !(val & XFEATURE_X87) || (val & ~xsave_mask) != 0)
		return (EINVAL);
	xsetbv(reg, val);
	return (0);
}
