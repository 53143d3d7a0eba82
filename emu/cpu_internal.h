/*
 * cpu_internal.h - what the parts of the guest CPU share.
 */
#ifndef SEVEMU_CPU_INTERNAL_H
#define SEVEMU_CPU_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "cpu.h"
#include "decode.h"
#include "fiber.h"
#include "guestmem.h"

#define MSR_EFER		0xc0000080U
#define MSR_SEV_GHCB		0xc0010130U
#define MSR_SEV_STATUS		0xc0010131U
#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)

#define BLOCK_UNSEEN		UINT32_MAX

struct block {
	uint64_t	b_addr;
	uint32_t	b_size;
	uint32_t	b_ninsn;	/* BLOCK_UNSEEN until decoded */
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
void	 cpu_off_keep_diag(void);
int	 cpu_hook_site(uint64_t, uc_hook *);

/* cpu_state.c: what VMRUN loads and #VMEXIT hides */
int	 cpu_map_guest(uint64_t n_cr3);
void	 cpu_unmap_guest(void);
int	 cpu_load_state(void);
void	 cpu_hide_state(void);

/* cpu_sites.c: the block and site tables */
struct block *block_lookup(uint64_t, uint32_t);
int	 sites_scan(uint64_t addr, uint32_t size, uint32_t *ninsn);
struct site *site_find(uint64_t);
void	 sites_free(void);

/* intercept.c: what the CPU does at each site */
void	 intercept(uint64_t rip);
/* Raises #VC with this exit code for the instruction at rip. */
void	 intercept_vc(uint64_t rip, uint64_t code);

/* exit_detail.c: an exit's extra fields for the JSON trace */
struct trace_detail;
void	 cpu_trace_detail(uint64_t code, uint64_t msr, struct trace_detail *);

/* hostcpu.c */
uint64_t cpu_cbit_mask(void);

#endif /* SEVEMU_CPU_INTERNAL_H */
