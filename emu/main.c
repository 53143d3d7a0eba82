/*
 * main.c - the sevemu command.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>
#include <unicorn/unicorn.h>

#include "cli.h"
#include "gdbstub.h"
#include "runner.h"
#include "shim.h"
#include "sevemu/version.h"

static void
version(void)
{
	unsigned int uc_major, uc_minor;
	int cs_major, cs_minor;

	uc_version(&uc_major, &uc_minor);
	cs_version(&cs_major, &cs_minor);
	printf("sevemu %s\n", SEVEMU_VERSION);
	printf("vmm handler: %s%s%s\n", shim_vmm_source(),
	    shim_vmm_revision()[0] != '\0' ? ", vmm_machdep.c " : "",
	    shim_vmm_revision());
	printf("Unicorn %u.%u, Capstone %d.%d\n", uc_major, uc_minor,
	    cs_major, cs_minor);
}

static int
run(struct cli *c)
{
	struct run_result rr;
	struct runner r;
	struct gdbstub gs;
	char err[512];
	FILE *trace = NULL;
	int status, jsonl_out;

	c->c_run.rc_console = stderr;
	if (c->c_trace && c->c_trace_path != NULL) {
		if ((trace = fopen(c->c_trace_path, "w")) == NULL) {
			fprintf(stderr, "sevemu: cannot write the trace to "
			    "%s: %s\n", c->c_trace_path, strerror(errno));
			return (2);
		}
		c->c_run.rc_trace = trace;
	} else if (c->c_trace)
		c->c_run.rc_trace = stdout;
	if (c->c_gdb_port >= 0) {
		if (gdbstub_open(&gs, c->c_gdb_port, stderr, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "sevemu: %s\n", err);
			if (trace != NULL)
				fclose(trace);
			return (2);
		}
		c->c_run.rc_debug = gdbstub_debugger(&gs);
	}
	if (runner_open(&r, &c->c_run, err, sizeof(err)) != 0) {
		fprintf(stderr, "sevemu: %s\n", err);
		if (c->c_gdb_port >= 0)
			gdbstub_close(&gs);
		if (trace != NULL)
			fclose(trace);
		return (2);
	}
	if (c->c_gdb_port >= 0)
		gdbstub_symbols(&gs, image_symbolize, &r.r_image);
	runner_run(&r, &rr);
	fflush(stdout);
	/* JSON lines on stdout carry COM1 already, and stay JSON lines. */
	jsonl_out = c->c_run.rc_trace == stdout &&
	    c->c_run.rc_trace_format == TRACE_JSONL;
	if (rr.rr_serial_len > 0 && !jsonl_out) {
		fwrite(rr.rr_serial, 1, rr.rr_serial_len, stdout);
		if (rr.rr_serial[rr.rr_serial_len - 1] != '\n')
			fputc('\n', stdout);
	}
	/* Not among JSON lines on stdout. */
	if (c->c_cycles)
		cpu_cycles_report(jsonl_out ? stderr : stdout);
	fflush(stdout);
	status = (rr.rr_stop == RUN_HALTED ||
	    (rr.rr_stop == RUN_EXITED && rr.rr_verdict == 0)) ? 0 : 1;
	fprintf(stderr, "sevemu: %s: %s (%" PRIu64 " exits, %" PRIu64
	    " instructions)\n", run_stop_name(rr.rr_stop), rr.rr_reason,
	    rr.rr_exits, rr.rr_insns);
	if (rr.rr_findings > 0) {
		fprintf(stderr, "sevemu: %u departure(s) from the GHCB "
		    "specification; the first: %s\n", rr.rr_findings,
		    rr.rr_finding);
		status = 1;
	}
	/* The guest's own departures are notes: the handler is on test. */
	if (rr.rr_guest_findings > 0)
		fprintf(stderr, "sevemu: note: the guest departs from the GHCB "
		    "specification (%u kind(s)); the first: %s\n",
		    rr.rr_guest_findings, rr.rr_guest_finding);
	if (c->c_gdb_port >= 0) {
		gdbstub_end(&gs, status, NULL);
		gdbstub_close(&gs);
	}
	runner_close(&r);
	if (trace != NULL && fclose(trace) != 0) {
		fprintf(stderr, "sevemu: cannot write the trace to %s: %s\n",
		    c->c_trace_path, strerror(errno));
		status = 2;
	}
	return (status);
}

int
main(int argc, char **argv)
{
	struct cli c;

	cli_parse(argc, argv, &c);
	switch (c.c_command) {
	case CLI_USAGE_ERROR:
		fprintf(stderr, "sevemu: %s\n", c.c_err);
		fprintf(stderr, "Try 'sevemu help%s'.\n",
		    strncmp(c.c_err, "run:", 4) == 0 ||
		    strncmp(c.c_err, "bad --", 6) == 0 ? " run" : "");
		return (2);
	case CLI_HELP:
		cli_help(c.c_topic, stdout);
		return (0);
	case CLI_VERSION:
		version();
		return (0);
	case CLI_RUN:
		break;
	}
	return (run(&c));
}
