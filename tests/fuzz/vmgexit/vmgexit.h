/*
 * vmgexit.h - what the parts of the VMGEXIT fuzz target share: the twin
 * VMs, what one request led to (its outcome), and the oracle's entry
 * points.
 */
#ifndef SEVEMU_FUZZ_VMGEXIT_H
#define SEVEMU_FUZZ_VMGEXIT_H

#include <stdint.h>

#include "ghcb_poison.h"
#include "ghcb_rules.h"
#include "input.h"

/* An exit to vmd while a request was served. */
#define FZ_EV_IO	1
#define FZ_EV_MMIO	2
#define FZ_EV_HLT	3

struct fz_ev {
	uint8_t		 e_kind;
	uint8_t		 e_in;
	uint8_t		 e_size;
	uint16_t	 e_port;
	uint64_t	 e_gpa;
	uint64_t	 e_data;	/* OUT or MMIO write: what vmd got */
	uint64_t	 e_answer;	/* IN or MMIO read: what vmd gave */
};

/* A string moves at most GR_SHAREDBUF_SZ elements; a few to spare. */
#define FZ_MAXEV	(GR_SHAREDBUF_SZ + 16)

/* How one request ended, as the guest and vmd saw it. */
struct fz_outcome {
	int		 o_ended;	/* the VM is gone: o_kind says how */
	int		 o_kind;	/* enum seam_exit_kind */
	int		 o_error;
	uint64_t	 o_msr;		/* GHCB MSR when the guest resumed */
	uint64_t	 o_page_gpa;	/* GA_NOPAGE: no page request */
	uint8_t		 o_page[GR_PAGE];	/* that page at the resume */
	uint8_t		 o_acc[GR_PAGE];	/* GA_* of each byte */
	unsigned int	 o_nev;
	struct fz_ev	 o_ev[FZ_MAXEV];
};

struct fz_vm {
	int		 v_id;		/* seam vmid; -1: none */
	int		 v_twin;	/* 0: A, 1: B, the varied one */
	uint64_t	 v_ram_hpa;
	uint8_t		*v_ram;
	uint64_t	 v_poison;
	uint64_t	 v_tsc;		/* the host TSC while this VM runs */
	struct ga_ram	 v_ga;
	const struct fz_rec *v_recs;	/* the requests this VM runs */
	unsigned int	 v_nrecs;
	unsigned int	 v_cur;		/* the one being served */
	const struct fz_rec *v_rec;	/* v_recs + v_cur */
	unsigned int	 v_iter;	/* runs of the vcpu for it so far */
	int		 v_phase;
	struct gr_req	 v_req;		/* the request as this VM's page has it */
	unsigned int	 v_nanswer;	/* vmd answers used */
	struct fz_outcome v_out;
};

/* vmd's answer number i for twin t, a read of size bytes. */
uint64_t fz_answer(unsigned int i, int twin, unsigned int size);

/* Oracle (oracle.c). */
void	fz_oracle_reset(void);
void	fz_oracle_step(const struct fz_rec *, const struct gr_req *,
	    const struct fz_outcome *);
void	fz_oracle_twins(const struct fz_rec *, const struct gr_req *,
	    const struct fz_outcome *a, const struct fz_outcome *b);
/* Guest requests the record stands for, for messages. */
void	fz_describe(const struct fz_rec *, char *, size_t);

/* Findings (fuzz_vmgexit.c): fatal, or tallied in survey mode. */
void	fz_finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* SEVEMU_FUZZ_VMGEXIT_H */
