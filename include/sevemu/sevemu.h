/*
 * sevemu.h - sevemu as a library: run an SEV-ES guest against the vmm
 * handler from your own program or test.
 *
 * A machine is made, configured, given a guest, run once, then read:
 *
 *	struct sevemu *m = sevemu_new();
 *	struct sevemu_result r;
 *
 *	sevemu_set_budget(m, 1000000);
 *	if (sevemu_load(m, "guest.elf") != 0 || sevemu_run(m, &r) != 0)
 *		errx(1, "%s", sevemu_error(m));
 *	... r.sr_stop, sevemu_serial(m, NULL), sevemu_symbol(m, ...) ...
 *	sevemu_free(m);
 *
 * The configuration calls (sevemu_set_*) come before sevemu_load.
 * Guest memory and symbols can be read and written from sevemu_load
 * on (a test may patch a guest's inputs before it runs); registers,
 * the result and the output after sevemu_run, until sevemu_free.  There is one emulated CPU per process,
 * so one machine exists at a time: sevemu_new fails while another one
 * has not been freed.  Every call that can fail returns 0 or -1, and
 * sevemu_error then says why.
 */
#ifndef SEVEMU_SEVEMU_H
#define SEVEMU_SEVEMU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sevemu/version.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sevemu;

enum sevemu_stop {
	SEVEMU_HALTED,		/* HLT */
	SEVEMU_EXITED,		/* wrote to the debug-exit port */
	SEVEMU_TERMINATED,	/* MSR-protocol termination request */
	SEVEMU_BUDGET,		/* the instruction budget ran out */
	SEVEMU_SHUTDOWN,	/* the CPU shut down */
	SEVEMU_ERROR		/* the vmm failed the run */
};

enum sevemu_trace_format {
	SEVEMU_TRACE_TEXT,
	SEVEMU_TRACE_JSONL
};

struct sevemu_result {
	enum sevemu_stop sr_stop;
	const char	*sr_stop_name;	/* "halted", "exited", ... */
	const char	*sr_reason;	/* how it ended: a line */
	uint32_t	 sr_verdict;	/* EXITED: the value */
	unsigned int	 sr_term_set;	/* TERMINATED: the reason */
	unsigned int	 sr_term_code;
	int		 sr_vmm_error;	/* ERROR: the vmm's errno */
	uint64_t	 sr_exits;
	uint64_t	 sr_instructions;
	unsigned int	 sr_findings;	/* departures from GHCB spec */
	const char	*sr_finding;	/* the first of them, or "" */
	/* The guest's own departures (notes: the handler is on test). */
	unsigned int	 sr_guest_findings;
	const char	*sr_guest_finding;
};

struct sevemu_regs {
	uint64_t	rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t	r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t	rip, rflags, cr0, cr3, cr4, efer;
};

/* "0.1.0": the library's version (SEVEMU_VERSION is the header's). */
const char	*sevemu_version(void);

struct sevemu	*sevemu_new(void);
void		 sevemu_free(struct sevemu *);
/* Why the latest call on the machine failed. */
const char	*sevemu_error(const struct sevemu *);

/* Before sevemu_load. */
int	 sevemu_set_mem(struct sevemu *, uint64_t bytes);
int	 sevemu_set_budget(struct sevemu *, uint64_t instructions);
int	 sevemu_set_entry_protected(struct sevemu *, int protected_mode);
int	 sevemu_set_trace(struct sevemu *, FILE *, enum sevemu_trace_format);
/* The vmm's console output is echoed to f (NULL: kept only). */
int	 sevemu_set_console(struct sevemu *, FILE *f);
/* Replaces one leaf of the host CPU model the vmm and guest see. */
int	 sevemu_set_cpuid(struct sevemu *, uint32_t leaf, uint32_t subleaf,
	    const uint32_t regs[4]);

/* Loads an ELF64 guest image and creates the VM. */
int	 sevemu_load(struct sevemu *, const char *path);
/* Runs the guest until it stops; once per machine. */
int	 sevemu_run(struct sevemu *, struct sevemu_result *);

/* After sevemu_run. */
int	 sevemu_regs(const struct sevemu *, struct sevemu_regs *);
/* Guest physical memory, after sevemu_load. */
int	 sevemu_read(struct sevemu *, uint64_t gpa, void *buf, size_t len);
int	 sevemu_write(struct sevemu *, uint64_t gpa, const void *buf,
	    size_t len);
/* The address of a symbol of the guest image (valid after load). */
int	 sevemu_symbol(struct sevemu *, const char *name, uint64_t *addr);
/* COM1 output, NUL-terminated; its length in *len if len != NULL. */
const char	*sevemu_serial(const struct sevemu *, size_t *len);
/* What the vmm printed on its console. */
const char	*sevemu_console(const struct sevemu *);

#ifdef __cplusplus
}
#endif

#endif /* SEVEMU_SEVEMU_H */
