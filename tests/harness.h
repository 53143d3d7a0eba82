/*
 * harness.h - running a guest from a test, the way the CLI does, and
 * reading what it saw.
 */
#ifndef SEVEMU_HARNESS_H
#define SEVEMU_HARNESS_H

#include <stdint.h>
#include <stdio.h>

#include "runner.h"
#include "shim.h"

struct guest_run {
	struct runner		gr_runner;
	struct run_result	gr_result;
	char			gr_err[512];
	int			gr_open;
	char			*gr_trace;
	size_t			gr_trace_len;
	FILE			*gr_trace_f;
};

struct run_opts {
	uint64_t	ro_budget;
	int		ro_trace;
	int		ro_protected;
	uint64_t	ro_mem;		/* 0: the runner's default */
	enum trace_format ro_trace_format;
};

/* Path of a guest image built by guests/, e.g. "cpuid_msr". */
const char	*guest_path(const char *name);

/*
 * Loads and runs the guest; returns 0 if it could be loaded (whatever
 * the run's outcome), -1 with gr_err set if not.
 */
int		 guest_run(struct guest_run *, const char *name,
		    const struct run_opts *);
/* Guest memory at a symbol; the test fails if the symbol is missing. */
void		*guest_sym(struct guest_run *, const char *name, uint64_t len);
uint64_t	 guest_u64(struct guest_run *, const char *name, int index);
uint32_t	 guest_u32(struct guest_run *, const char *name, int index);
void		 guest_done(struct guest_run *);
/*
 * What a test checks lies where the guest got only if the handler let
 * it (reached).  If the handler stopped the run before, an OpenBSD
 * tree's handler (VMM_TREE) makes the test untestable, with the stop
 * as measured; conform checks the requirement itself against that
 * tree's expectations.  vmmcore's handler must let every guest get
 * there: the test fails.
 */
void		 guest_must_reach(struct guest_run *, int reached,
		    const char *what);
/*
 * ok says whether the run showed what conform's requirement id asks.
 * Returns 0 when the test is to check it as usual: vmmcore's handler,
 * or a tree whose expectations (conform/expect/) do not list id.  When
 * they list id as departing, the departure must be there (the test
 * fails if it is not: the expectations are stale) and 1 is returned:
 * seen, the caller's description of it, goes to the test's log.
 */
int		 guest_expected_departure(const char *id, int ok,
		    const char *seen);

#endif /* SEVEMU_HARNESS_H */
