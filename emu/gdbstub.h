/*
 * gdbstub.h - a gdb remote stub for the guest: `sevemu run --gdb PORT`.
 *
 * The guest stops before its first instruction and waits for gdb
 * (`target remote :PORT`).  One vCPU is one thread.  The stub is
 * served on the guest's stack from inside the CPU's hooks, so while
 * gdb holds the guest nothing else in the process moves.
 */
#ifndef SEVEMU_GDBSTUB_H
#define SEVEMU_GDBSTUB_H

#include <stdio.h>

#include "cpu_debug.h"
#include "gdbwire.h"
#include "trace.h"

struct gdbstub {
	struct cpu_debugger	 g_dbg;
	struct gdbwire		 g_wire;
	FILE			*g_log;		/* where notices go */
	trace_symbolize_fn	 g_sym;
	void			*g_symarg;
	int			 g_bits;	/* layout gdb was given */
	int			 g_running;	/* gdb awaits a stop reply */
	struct cpu_stop		 g_stop;	/* the last stop */
	char			 g_reply[2 * GDBWIRE_MAX];
};

/* Listens on 127.0.0.1:port (0: any free port, named in the notice). */
int	 gdbstub_open(struct gdbstub *, int port, FILE *log, char *err,
	    size_t errlen);
/* Symbols for the monitor's output; optional. */
void	 gdbstub_symbols(struct gdbstub *, trace_symbolize_fn, void *);
/* For runner_config.rc_debug. */
struct cpu_debugger *gdbstub_debugger(struct gdbstub *);
/* The run ended with this exit status: gdb is told, if it waits. */
void	 gdbstub_end(struct gdbstub *, int status, const char *summary);
void	 gdbstub_close(struct gdbstub *);

/* gdbmon.c: `monitor` commands; output text into out. */
int	 gdbmon_run(struct gdbstub *, const char *cmd, char *out,
	    size_t outlen);

#endif /* SEVEMU_GDBSTUB_H */
