/*
 * cpu_internal.h - what the parts of the guest CPU share.
 */
#ifndef SEVEMU_CPU_INTERNAL_H
#define SEVEMU_CPU_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "cpu.h"
#include "cycles.h"
#include "decode.h"
#include "fiber.h"
#include "guestmem.h"

#define MSR_EFER		0xc0000080U
#define MSR_SEV_GHCB		0xc0010130U
#define MSR_SEV_STATUS		0xc0010131U
#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)

#define BLOCK_UNSEEN		UINT32_MAX
#define BLOCK_RECENT		256

/* Where an instruction starts in its block, and the cycles before it. */
struct step {
	uint32_t	st_off;
	uint32_t	st_cycles;
};

/*
 * A translated block.  The block hook charges all of its instructions
 * and cycles when it starts; a site that leaves it early gives back
 * what did not run, so the counts are exact at every instruction.
 */
struct block {
	uint64_t	b_addr;
	uint32_t	b_size;
	uint32_t	b_ninsn;	/* BLOCK_UNSEEN until decoded */
	uint32_t	b_cycles;
	struct step	*b_steps;	/* b_ninsn + 1 of them, or NULL */
	uint64_t	b_rep;		/* one REP string instruction alone:
					   the mask of its count register */
};

struct site {
	uint64_t	s_addr;
	uint8_t		s_len;
	uint8_t		s_kind;		/* enum site_kind */
	uint8_t		s_trap_point;	/* a write trap may be due here */
	uint8_t		s_used;
};

struct cpu {
	struct cpu_config cfg;
	enum cpu_state	 state;
	char		 diag[320];

	uc_engine	*uc;
	struct decoder	 dec;
	int		 dec_open;
	struct fiber	 host, guest;
	int		 stopping;	/* cpu_off() is unwinding the guest */
	int		 guest_done;	/* uc_emu_start() has returned */

	uint64_t	 vmcb_pa;
	uint8_t		*vmcb;
	uint8_t		*vmsa;
	struct guestmem	 gm;
	uint64_t	 cbit;		/* C-bit mask of the host CPU model */

	uint64_t	 budget, insns, exits;
	struct cycles	 cy;
	struct block	*cur;		/* the block running now */
	struct block	*last;		/* the block the hook saw last */
	/* Guest physical pages that translated code came from, a bit each. */
	uint8_t		*code_pages;
	uint64_t	 ncode_pages;
	/* Blocks by address, a cache in front of the hash table. */
	struct block	*recent[BLOCK_RECENT];
	/* The site being handled: its own cost, and did it leave? */
	uint32_t	 site_cost;
	int		 redirected;
	/* The instruction at which the budget runs out, hooked. */
	uint64_t	 budget_stop;
	uc_hook		 budget_hook;
	int		 budget_armed;

	struct block	*blocks;
	size_t		 nblocks, capblocks;
	struct site	*sites;
	size_t		 nsites, capsites;

	/* A write trap waiting for the instruction after the write. */
	int		 trap_pending;
	uint64_t	 trap_code;
	uint64_t	 trap_rip;
	int		 conf_armed;	/* a VMGEXIT awaits its answer */
	uint64_t	 dr[8];		/* the guest's debug registers */
	uint64_t	 guest_cr3;	/* Unicorn's CR3 is the shadow's */
	int		 npf_pending;	/* a data access outside guest RAM */
	int		 npf_write;
	uint64_t	 npf_gpa;
	/* A register to give back its guest value after a MOV to CR3. */
	int		 restore_pending;
	uint64_t	 restore_rip;
	int		 restore_reg;
	uint64_t	 restore_val;
	/*
	 * The guest's registers at the last #VMEXIT, for a host debugger
	 * that reads memory (scripts/sevemu.gdb, core files); kept only
	 * when cpu_debug_host_wants_regs() said so at power-on.
	 */
	int		 exit_regs_kept;
	struct cpu_regs	 exit_regs;
};

extern struct cpu cpu;

/* cpu.c */
void	 cpu_fail(enum cpu_state, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
uint64_t cpu_reg(int);
void	 cpu_set_reg(int, uint64_t);
uint64_t cpu_msr(uint32_t);
void	 cpu_paging(struct paging *);
int	 cpu_long_mode(void);
int	 cpu_code_bits(void);
size_t	 cpu_fetch(uint64_t, uint8_t [16]);
void	 cpu_insn_text(uint64_t, char *, size_t);
void	 cpu_vmexit(uint64_t code, uint64_t info1, uint64_t info2,
	    uint64_t rip, uint64_t nrip);
void	 cpu_resume_at(uint64_t);
/* Goes on at rip without retiring the current instruction (#VC). */
void	 cpu_redirect(uint64_t);
/* Rewinds the counts to the start of the instruction at rip. */
int	 cpu_rewind(uint64_t rip, uint64_t *tail_insns, uint64_t *tail_cycles);
/* Ends the run: the budget is spent at the start of rip. */
void	 cpu_budget_exhausted(uint64_t rip);
/* The TSC the guest reads now: the clock plus the VMCB's offset. */
uint64_t cpu_guest_tsc(void);
void	 cpu_off_keep_diag(void);
int	 cpu_hook_site(uint64_t, uc_hook *);

/* cpu_state.c: what VMRUN loads and #VMEXIT hides */
int	 cpu_map_guest(uint64_t n_cr3);
void	 cpu_unmap_guest(void);
int	 cpu_load_state(void);
void	 cpu_hide_state(void);

/* cpu_sites.c: the block and site tables */
struct block *block_lookup(uint64_t, uint32_t);
int	 sites_scan(struct block *);
int	 block_index(const struct block *, uint64_t rip, uint32_t *idx);
/* Has code been translated from this guest physical page? */
int	 code_page(uint64_t gpa);
struct site *site_find(uint64_t);
void	 sites_free(void);

/* intercept.c: what the CPU does at each site */
void	 intercept(uint64_t rip);
/* Raises #VC with this exit code for the instruction at rip. */
void	 intercept_vc(uint64_t rip, uint64_t code);

/* exit_detail.c: an exit's extra fields for the JSON trace */
struct trace_detail;
void	 cpu_trace_detail(uint64_t code, uint64_t msr, struct trace_detail *);

/* repstring.c: REP STOS at rip by the host; 1 if it is done */
int	 rep_stos(uint64_t rip);

/* npf_locate.c: the instruction of block b that accessed addr */
int	 npf_locate(const struct block *b, uint64_t addr, int write,
	    uint64_t *rip);

/* hostcpu.c */
uint64_t cpu_cbit_mask(void);

#endif /* SEVEMU_CPU_INTERNAL_H */
