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

enum trace_format {
	TRACE_TEXT,		/* for eyes: aligned columns */
	TRACE_JSONL		/* for tools: one JSON object a line */
};

/*
 * What the text trace leaves out of an exit, for the JSON lines: the
 * GHCB the MSR names and, for a VMGEXIT made inside a helper, the
 * helper's caller.
 */
struct trace_detail {
	uint64_t	 td_caller;	/* return address at [RSP], or 0 */
	/*
	 * The GHCB page in guest RAM (mapped for the whole run), NULL if
	 * the MSR names none; its exit fields as the guest left them.
	 */
	const uint8_t	*td_ghcb;
	uint64_t	 td_sw_exitcode;
	uint64_t	 td_sw_exitinfo1;
	uint64_t	 td_sw_exitinfo2;
};

#define TRACE_SERIAL_MAX	256

struct trace {
	FILE			*t_out;
	trace_symbolize_fn	 t_sym;
	void			*t_symarg;
	/* the exit waiting for its outcome */
	int			 t_open;
	uint64_t		 t_n;
	uint64_t		 t_cycles;	/* the clock at the exit */
	uint64_t		 t_rip;
	uint64_t		 t_code;
	uint64_t		 t_ghcb;
	char			 t_insn[64];
	char			 t_what[40];
	enum trace_format	 t_format;
	struct trace_detail	 t_detail;
	/* COM1 bytes not yet written (JSON lines only) */
	char			 t_serial[TRACE_SERIAL_MAX];
	size_t			 t_serial_len;
	uint64_t		 t_serial_first;	/* the exits that */
	uint64_t		 t_serial_last;		/* wrote it */
	/* JSON lines: the end, held back until trace_finish */
	int			 t_end_pending;
	const char		*t_end_stop;
	char			 t_end_reason[512];
	uint64_t		 t_end_exits, t_end_insns;
};

void	trace_init(struct trace *, FILE *, trace_symbolize_fn, void *);
/* what: the event, e.g. "VMGEXIT msr:CPUID" or "VMGEXIT ghcb:IOIO". */
void	trace_exit(struct trace *, uint64_t n, uint64_t cycles, uint64_t rip,
	    const char *insn, uint64_t code, const char *what,
	    uint64_t ghcb_before);
/* The name of an MSR-protocol request or response code. */
const char *msrproto_name(unsigned int code);
void	trace_resume(struct trace *, uint64_t ghcb_after);
/* The vmm returned to the runner: how, in a few words. */
void	trace_outcome(struct trace *, uint64_t ghcb_after, const char *how);
void	trace_vc(struct trace *, uint64_t rip, const char *insn,
	    uint64_t code);
void	trace_event(struct trace *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

void	trace_set_format(struct trace *, enum trace_format);
/* "name+0xoff" for addr, "" if no symbol covers it. */
void	trace_symbol(struct trace *, uint64_t addr, char *buf, size_t len);
/* After trace_exit: what the JSON line adds to the exit. */
void	trace_exit_detail(struct trace *, const struct trace_detail *);
/* A byte the guest wrote to COM1, in order with the exits. */
void	trace_serial(struct trace *, int c);
/* The run is over: how it ended. */
void	trace_end(struct trace *, const char *stop, const char *reason,
	    uint64_t exits, uint64_t insns);
/* Nothing more will be traced (findings made after the end included). */
void	trace_finish(struct trace *);

/* trace_json.c: the JSON lines format */
void	trace_json_exit(struct trace *, const char *sym,
	    uint64_t ghcb_after, const char *how);
void	trace_json_vc(struct trace *, uint64_t rip, const char *sym,
	    const char *insn, uint64_t code);
void	trace_json_event(struct trace *, const char *text);
void	trace_json_serial(struct trace *);
void	trace_json_end(struct trace *, const char *stop, const char *reason,
	    uint64_t exits, uint64_t insns);

/* Names of SVM exit codes, "?" if unknown. */
const char *svm_exit_name(uint64_t code);

#endif /* SEVEMU_TRACE_H */
