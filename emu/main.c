/*
 * main.c - the sevemu command line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub.h"
#include "runner.h"

static const char usage_text[] =
"usage: sevemu run GUEST.elf [--trace] [--budget N] [--mem MIB]\n"
"                  [--entry long|protected] [--gdb PORT]\n"
"       sevemu --help\n"
"\n"
"Runs a SEV-ES guest on the emulated CPU against the vmm's exit handler\n"
"(vcpu_run_svm -> svm_handle_exit -> svm_handle_vmgexit).\n"
"\n"
"  --trace         print one line per #VMEXIT: exit number, guest RIP and\n"
"                  symbol, the exiting instruction, exit code, the GHCB MSR\n"
"                  before and after the handler, and what the handler did;\n"
"                  #VC deliveries and the final outcome are shown too\n"
"  --budget N      stop the guest after N instructions (default %llu)\n"
"  --mem MIB       guest RAM in MiB, a multiple of 2 (default %llu)\n"
"  --entry MODE    start in 64-bit long mode (default) or 32-bit\n"
"                  protected mode\n"
"  --gdb PORT      stop before the guest's first instruction and wait for\n"
"                  gdb on 127.0.0.1:PORT (target remote :PORT); 0 takes\n"
"                  any free port and names it on stderr\n"
"\n"
"Output: the guest's COM1 (port 0x3f8) output on stdout, the trace on\n"
"stdout, and one line saying how the run ended on stderr.\n"
"Exit status: 0 when the guest halts (HLT), or when it writes 0 to the\n"
"debug-exit port 0xf4; 1 for anything else (termination request,\n"
"handler error, budget exhausted, shutdown); 2 for usage or load errors.\n";

static void
usage(FILE *f)
{
	fprintf(f, usage_text, (unsigned long long)CPU_DEFAULT_BUDGET,
	    (unsigned long long)(RUNNER_DEFAULT_MEM >> 20));
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (errno != 0 || *s == '\0' || *end != '\0' || *s == '-' ?
	    -1 : 0);
}

int
main(int argc, char **argv)
{
	struct runner_config rc;
	struct run_result rr;
	struct runner r;
	struct gdbstub gs;
	int gdb_port = -1;
	char err[512];
	uint64_t v;
	int i, status;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return (0);
	}
	if (argc < 3 || strcmp(argv[1], "run") != 0) {
		usage(stderr);
		return (2);
	}
	memset(&rc, 0, sizeof(rc));
	rc.rc_image = argv[2];
	rc.rc_console = stderr;
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--trace") == 0)
			rc.rc_trace = stdout;
		else if (strcmp(argv[i], "--budget") == 0 && i + 1 < argc &&
		    parse_u64(argv[i + 1], &v) == 0 && v > 0) {
			rc.rc_budget = v;
			i++;
		} else if (strcmp(argv[i], "--mem") == 0 && i + 1 < argc &&
		    parse_u64(argv[i + 1], &v) == 0 && v > 0 &&
		    v <= (3ULL << 10)) {
			rc.rc_mem = v << 20;
			i++;
		} else if (strcmp(argv[i], "--entry") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "long") == 0 ||
		    strcmp(argv[i + 1], "protected") == 0)) {
			rc.rc_entry_protected =
			    strcmp(argv[i + 1], "protected") == 0;
			i++;
		} else if (strcmp(argv[i], "--gdb") == 0 && i + 1 < argc &&
		    parse_u64(argv[i + 1], &v) == 0 && v <= 65535) {
			gdb_port = (int)v;
			i++;
		} else {
			fprintf(stderr, "sevemu: bad argument: %s\n", argv[i]);
			usage(stderr);
			return (2);
		}
	}
	if (gdb_port >= 0) {
		if (gdbstub_open(&gs, gdb_port, stderr, err, sizeof(err)) != 0) {
			fprintf(stderr, "sevemu: %s\n", err);
			return (2);
		}
		rc.rc_debug = gdbstub_debugger(&gs);
	}
	if (runner_open(&r, &rc, err, sizeof(err)) != 0) {
		fprintf(stderr, "sevemu: %s\n", err);
		return (2);
	}
	if (gdb_port >= 0)
		gdbstub_symbols(&gs, image_symbolize, &r.r_image);
	runner_run(&r, &rr);
	fflush(stdout);
	if (rr.rr_serial_len > 0) {
		fwrite(rr.rr_serial, 1, rr.rr_serial_len, stdout);
		if (rr.rr_serial[rr.rr_serial_len - 1] != '\n')
			fputc('\n', stdout);
	}
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
	if (gdb_port >= 0) {
		gdbstub_end(&gs, status, NULL);
		gdbstub_close(&gs);
	}
	runner_close(&r);
	return (status);
}
