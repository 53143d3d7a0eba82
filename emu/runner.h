/*
 * runner.h - the vmd-like runner: creates the machine and the VM,
 * loads the guest, calls the vmm's run entry until the guest stops,
 * and serves the devices the vmm hands up (EAGAIN).
 */
#ifndef SEVEMU_RUNNER_H
#define SEVEMU_RUNNER_H

#include <stdint.h>
#include <stdio.h>

#include "cpu.h"
#include "image.h"
#include "trace.h"

#define RUNNER_DEFAULT_MEM	(16ULL << 20)
#define RUNNER_KERNEL_MEM	(16ULL << 20)
/* Guest RAM the runner keeps for its GDT, page tables and stack. */
#define RUNNER_GDT		0x1000ULL
#define RUNNER_PML4		0x2000ULL
#define RUNNER_PDPT		0x3000ULL
#define RUNNER_PD		0x4000ULL	/* one page per GiB mapped */
#define RUNNER_IDENTITY_GIB	4
#define RUNNER_STACK_TOP	0x80000ULL
#define RUNNER_RESERVED_END	0x80000ULL

#define RUNNER_COM1		0x3f8
#define RUNNER_DEBUG_EXIT	0xf4
/* A page of scratch MMIO registers, initially byte i = i. */
#define RUNNER_MMIO_BASE	0xfed00000ULL
#define RUNNER_MMIO_SIZE	0x1000ULL

struct runner_config {
	const char	*rc_image;
	uint64_t	 rc_budget;	/* 0: the CPU's default */
	uint64_t	 rc_mem;	/* 0: RUNNER_DEFAULT_MEM */
	int		 rc_entry_protected;
	FILE		*rc_trace;	/* NULL: no trace */
	enum trace_format rc_trace_format;
	FILE		*rc_console;	/* echo of the vmm's console, or NULL */
	struct cpu_debugger *rc_debug;	/* a debugger on the guest, or NULL */
};

enum run_stop {
	RUN_HALTED,		/* HLT */
	RUN_EXITED,		/* wrote its verdict to the debug-exit port */
	RUN_TERMINATED,		/* MSR-protocol termination request */
	RUN_BUDGET,		/* instruction budget exhausted */
	RUN_SHUTDOWN,		/* the CPU shut down: triple fault, bad code */
	RUN_ERROR		/* the vmm failed the run, or setup failed */
};

struct run_result {
	enum run_stop	 rr_stop;
	char		 rr_reason[512];
	uint8_t		 rr_term_set, rr_term_code;
	uint32_t	 rr_verdict;
	int		 rr_vmm_error;	/* errno the vmm returned */
	struct cpu_regs	 rr_regs;
	uint64_t	 rr_exits, rr_insns;
	unsigned int	 rr_findings;	/* departures from the GHCB spec */
	char		 rr_finding[200];	/* the first of them */
	unsigned int	 rr_guest_findings;	/* the guest's departures */
	char		 rr_guest_finding[200];	/* the first of them */
	const char	*rr_console;	/* what the vmm printed */
	char		*rr_serial;	/* COM1 output, NUL-terminated */
	size_t		 rr_serial_len;
};

struct runner {
	struct runner_config	 r_cfg;
	struct image		 r_image;
	struct trace		 r_trace;
	int			 r_vmid;
	int			 r_vm_open;
	uint8_t			*r_ram;		/* vmd's view of guest RAM */
	uint64_t		 r_mem;
	FILE			*r_serial;
	char			*r_serial_buf;
	size_t			 r_serial_len;
	uint8_t			 r_mmio[RUNNER_MMIO_SIZE];
};

int	 runner_open(struct runner *, const struct runner_config *, char *err,
	    size_t errlen);
int	 runner_run(struct runner *, struct run_result *);
/* Guest memory by physical address, as vmd sees it; NULL outside. */
void	*runner_guest(struct runner *, uint64_t gpa, uint64_t len);
/* Guest memory at a symbol of the image. */
void	*runner_symbol(struct runner *, const char *name, uint64_t len);
void	 runner_close(struct runner *);

const char *run_stop_name(enum run_stop);
/* The GDT and identity page tables vmd leaves in guest RAM. */
void	 runner_boot_tables(uint8_t *ram);

#endif /* SEVEMU_RUNNER_H */
