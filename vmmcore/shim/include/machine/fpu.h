/*
 * machine/fpu.h - the FXSAVE/XSAVE area and the power-on FPU control
 * words.
 */
#ifndef _SHIM_MACHINE_FPU_H_
#define _SHIM_MACHINE_FPU_H_

#include <sys/types.h>

struct fxsave64 {
	uint16_t	fx_fcw;
	uint16_t	fx_fsw;
	uint8_t		fx_ftw;
	uint8_t		fx_unused1;
	uint16_t	fx_fop;
	uint64_t	fx_rip;
	uint64_t	fx_rdp;
	uint32_t	fx_mxcsr;
	uint32_t	fx_mxcsr_mask;
	uint64_t	fx_st[8][2];
	uint64_t	fx_xmm[16][2];
	uint8_t		fx_unused3[96];
} __packed;

struct xstate_hdr {
	uint64_t	xstate_bv;
	uint64_t	xstate_xcomp_bv;
	uint8_t		xstate_rsrv[48];
} __packed;

struct savefpu {
	struct fxsave64		fp_fxsave;
	struct xstate_hdr	fp_xstate;
	uint64_t		fp_ymm[16][2];
};

#define __INITIAL_NPXCW__	0x037f
#define __INITIAL_MXCSR__	0x1f80
#define __INITIAL_MXCSR_MASK__	0xffbf

/* XCR0 components the host kernel uses (and so may give guests). */
extern uint64_t	xsave_mask;

/*
 * The host FPU (shim/fpu.c): its state is a savefpu the shim keeps, so
 * that saving, resetting and restoring it do what the kernel expects.
 * fpusavereset saves the live state into the area and loads the
 * power-on state; xrstor_kern loads the components in mask from the
 * area; xsetbv_user sets an XCR and fails (non-zero) on bits the host
 * does not support, as the kernel's #GP-catching version does.
 */
void	fpusavereset(struct savefpu *);
void	xrstor_kern(struct savefpu *, uint64_t);
int	xsetbv_user(uint32_t, uint64_t);

#endif /* _SHIM_MACHINE_FPU_H_ */
