/*
 * cycles.h - the modelled clock of the guest CPU and where its cycles
 * went: guest code, #VC handling, world switches and the vmm, per exit
 * reason.  The costs come from a cycle model (cyclemodel.h).
 */
#ifndef SEVEMU_CYCLES_H
#define SEVEMU_CYCLES_H

#include <stdint.h>
#include <stdio.h>

#include "cyclemodel.h"

#define CYCLES_ROWS	48

struct cycles_row {
	uint64_t	 cr_code;	/* SVM exit code */
	uint64_t	 cr_sub;	/* MSR-protocol request or NAE event */
	char		 cr_what[40];
	uint64_t	 cr_n;
	uint64_t	 cr_guest, cr_vc, cr_switch, cr_vmm;
};

struct cycles {
	const struct cycle_model *cy_model;
	uint64_t	 cy_now;	/* the clock; the TSC before offsets */
	uint64_t	 cy_mark;	/* the clock at the last transition */
	int		 cy_vc_depth;	/* #VCs not yet returned from */
	uint64_t	 cy_guest, cy_vc;	/* since the last VMRUN */
	struct cycles_row cy_rows[CYCLES_ROWS];
	int		 cy_nrows;
	struct cycles_row *cy_open;	/* the exit being handled */
	uint32_t	 cy_open_vmm;	/* its path's handler cost */
};

void	cycles_reset(struct cycles *, const struct cycle_model *);
/* A #VC is delivered / an IRET returns from one, at the clock's now. */
void	cycles_vc(struct cycles *);
void	cycles_iret(struct cycles *);
/*
 * A #VMEXIT for the reason (code, sub) on the given path.  Returns the
 * row, whose cr_what the caller names when cr_n is 1.
 */
struct cycles_row *cycles_exit(struct cycles *, uint64_t code, uint64_t sub,
	    enum cy_path);
/* VMRUN after an exit: the vmm's time and the way back in. */
void	cycles_resume(struct cycles *);
/* The exit went out to vmd and back. */
void	cycles_vmd(struct cycles *);
/* The breakdown, one line per exit reason, the same bytes every run. */
void	cycles_report(const struct cycles *, FILE *);

#endif /* SEVEMU_CYCLES_H */
