/*
 * cpu_debug.h - a debugger attached to the guest CPU: where the guest
 * stops, how it goes on, and the guest's memory through its own page
 * tables.  The gdb stub (gdbstub.c) is the only debugger; the CPU
 * knows nothing of its protocol.
 *
 * A stop happens before an instruction runs, inside one of the
 * emulator's hooks on the guest's stack.  The debugger is served right
 * there, so a stopped guest does not advance and a host debugger sees
 * one process with both halves frozen.
 */
#ifndef SEVEMU_CPU_DEBUG_H
#define SEVEMU_CPU_DEBUG_H

#include <stddef.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

enum cpu_stop_why {
	CPU_STOP_START,		/* before the guest's first instruction */
	CPU_STOP_STEP,		/* one instruction done */
	CPU_STOP_SWBREAK,	/* a software breakpoint (Z0) */
	CPU_STOP_HWBREAK,	/* a hardware breakpoint (Z1) */
	CPU_STOP_WATCH,		/* a watched access, the instruction done */
	CPU_STOP_INTERRUPT,	/* the debugger asked (Ctrl-C, attach) */
	CPU_STOP_VMGEXIT,	/* before a VMGEXIT: monitor catch vmgexit */
	CPU_STOP_VC		/* at the #VC handler: monitor catch vc */
};

enum cpu_watch_kind {
	CPU_WATCH_WRITE = 2,	/* Z2 */
	CPU_WATCH_READ = 3,	/* Z3 */
	CPU_WATCH_ACCESS = 4	/* Z4 */
};

struct cpu_stop {
	enum cpu_stop_why	 cs_why;
	uint64_t		 cs_rip;
	enum cpu_watch_kind	 cs_watch;	/* CPU_STOP_WATCH */
	uint64_t		 cs_addr;	/* CPU_STOP_WATCH: data address */
	uint64_t		 cs_code;	/* CPU_STOP_VC: the exit code */
};

enum cpu_resume {
	CPU_RESUME_CONTINUE,
	CPU_RESUME_STEP,
	CPU_RESUME_KILL		/* end the run: the CPU shuts down */
};

#define CPU_DEBUG_SWBREAKS	64
#define CPU_DEBUG_HWBREAKS	4	/* as many as DR0-DR3 */
#define CPU_DEBUG_WATCHES	4

struct cpu_debug_bp {
	uint64_t	 b_addr;
	uc_hook		 b_hook;
	int		 b_used;
};

struct cpu_debug_wp {
	uint64_t	 w_addr, w_len;
	enum cpu_watch_kind w_kind;
	uc_hook		 w_hook;
	int		 w_used;
};

struct cpu_debugger {
	/* The owner's: serves a stop, returns how the guest goes on. */
	enum cpu_resume	(*cd_stopped)(void *arg, const struct cpu_stop *);
	/* The owner's: polled every few thousand blocks; 1 asks a stop. */
	int		(*cd_poll)(void *arg);
	void		*cd_arg;

	/* The CPU's, below. */
	struct cpu_debug_bp cd_sw[CPU_DEBUG_SWBREAKS];
	struct cpu_debug_bp cd_hw[CPU_DEBUG_HWBREAKS];
	struct cpu_debug_wp cd_wp[CPU_DEBUG_WATCHES];
	int		 cd_attached;
	int		 cd_step;	/* stop at the next instruction */
	int		 cd_start;	/* that stop is the first one */
	int		 cd_catch_vmgexit, cd_catch_vc;
	int		 cd_vc_due;	/* a caught #VC was delivered */
	uint64_t	 cd_vc_code;
	int		 cd_hit;	/* a watched access in this insn */
	enum cpu_watch_kind cd_hit_kind;
	uint64_t	 cd_hit_addr;
	int		 cd_interrupt;	/* the owner asked for a stop */
	unsigned int	 cd_polls;
	uc_hook		 cd_every;	/* the hook on every instruction */
	int		 cd_every_on;
	uc_hook		 cd_block;
	/*
	 * On resume the stopped instruction runs again from a fresh
	 * block: its hooks fire once more, and must not stop it again.
	 */
	int		 cd_reenter;	/* waiting for that block */
	int		 cd_skip;	/* the next hooked insn is it */
	uint64_t	 cd_skip_rip;
	/* The last #VMEXIT as the CPU wrote it (the vmm may edit the VMCB). */
	uint64_t	 cd_exit_code, cd_exit_info1, cd_exit_info2;
	uint64_t	 cd_exit_rip;
};

/* For cpu.c: */
/*
 * Whether to keep the guest's registers at each #VMEXIT in memory, for
 * a debugger on the host: when one traces the process, or when
 * SEVEMU_EXIT_REGS=1 asks (for core files).  It costs each exit.
 */
int	 cpu_debug_host_wants_regs(void);
int	 cpu_debug_attach(struct cpu_debugger *);
/* Before a hooked instruction; 1: the CPU must not act on it now. */
int	 cpu_debug_insn(struct cpu_debugger *, uint64_t rip);
void	 cpu_debug_exit(struct cpu_debugger *, uint64_t code, uint64_t info1,
	    uint64_t info2, uint64_t rip);
/* A #VC was delivered; the handler starts at the next instruction. */
void	 cpu_debug_vc(struct cpu_debugger *, uint64_t code);

/* For the debugger, while the guest is stopped: */
int	 cpu_debug_break(struct cpu_debugger *, int hw, uint64_t addr,
	    int insert);
int	 cpu_debug_watch(struct cpu_debugger *, enum cpu_watch_kind,
	    uint64_t addr, uint64_t len, int insert);
void	 cpu_debug_clear(struct cpu_debugger *);
/* Guest linear memory through the guest's page tables; -1: unmapped. */
int	 cpu_debug_read(uint64_t va, void *, size_t);
int	 cpu_debug_write(uint64_t va, const void *, size_t);
/* A register by Unicorn's id, into a buffer of its size; -1: none. */
int	 cpu_debug_reg(int ucreg, void *);
int	 cpu_debug_set_reg(int ucreg, const void *);
/* The guest's CR3 (Unicorn's is the shadow's). */
uint64_t cpu_debug_cr3(void);
int	 cpu_debug_code_bits(void);
/* The VMCB of the running vCPU; NULL before the first VMRUN. */
const uint8_t *cpu_debug_vmcb(void);

#endif /* SEVEMU_CPU_DEBUG_H */
