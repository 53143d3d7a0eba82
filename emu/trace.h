/*
 * trace.h - one line per exit, the same bytes on every run.
 *
 * An exit's line is written once its outcome is known: when the vmm
 * runs the guest again ("resumed") or when it returns to the runner.
 */
#ifndef SEVEMU_TRACE_H
#define SEVEMU_TRACE_H

#include <stdint.h>
#include <stdio.h>

typedef int (*trace_symbolize_fn)(void *arg, uint64_t addr, char *buf,
    size_t len);

struct trace {
	FILE			*t_out;
	trace_symbolize_fn	 t_sym;
	void			*t_symarg;
	/* the exit waiting for its outcome */
	int			 t_open;
	uint64_t		 t_n;
	uint64_t		 t_rip;
	uint64_t		 t_code;
	uint64_t		 t_ghcb;
	char			 t_insn[64];
	char			 t_what[40];
};

void	trace_init(struct trace *, FILE *, trace_symbolize_fn, void *);
/* what: the event, e.g. "VMGEXIT msr:CPUID" or "VMGEXIT ghcb:IOIO". */
void	trace_exit(struct trace *, uint64_t n, uint64_t rip, const char *insn,
	    uint64_t code, const char *what, uint64_t ghcb_before);
/* The name of an MSR-protocol request or response code. */
const char *msrproto_name(unsigned int code);
void	trace_resume(struct trace *, uint64_t ghcb_after);
/* The vmm returned to the runner: how, in a few words. */
void	trace_outcome(struct trace *, uint64_t ghcb_after, const char *how);
void	trace_vc(struct trace *, uint64_t rip, const char *insn,
	    uint64_t code);
void	trace_event(struct trace *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Names of SVM exit codes, "?" if unknown. */
const char *svm_exit_name(uint64_t code);

#endif /* SEVEMU_TRACE_H */
