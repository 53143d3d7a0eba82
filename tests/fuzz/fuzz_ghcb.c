/*
 * fuzz_ghcb - runs guests/ghcb_fuzz.elf once per seed, through the
 * whole stack (CPU, VMRUN, the vmm's VMGEXIT handler, the runner), and
 * judges how each run ended.
 *
 * The guest sends random, mostly malformed GHCB and MSR-protocol
 * requests and counts the answers.  Bad input may end a run with an
 * error, since a vmm may stop a guest it cannot answer, but the error
 * must say why.  Nothing in it may crash the process (the ASan build
 * makes memory errors crash), hang, shut the CPU down, or run out the
 * budget: the guest itself is simple, so those are the CPU's or the
 * vmm's doing.  And nothing may silently succeed: the guest checks that
 * requests every hypervisor must refuse are refused, and a run may end
 * as halted, terminated or exited only when the request in flight asked
 * for it.
 *
 * usage: fuzz_ghcb [--seeds A-B]... [--iterations N] [--elf-dir DIR]
 *                  [--proto-max N] [--timeout S] [--verbose]
 *
 * The guest speaks the GHCB protocol versions the vmm offers in its
 * answer to an SEV information request, or 1 to --proto-max.  A
 * handler that the conformance suite measures not answering that
 * request (msr.sev_info.code) gets 1 by default.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"
#include "console.h"
#include "fuzz.h"
#include "runner.h"

#define MAX_RANGES		32
/* About 3,000 guest instructions per request: a wide margin. */
#define BUDGET_PER_REQUEST	100000ULL
#define BUDGET_BASE		1000000ULL
#define SVM_EXIT_HLT		0x78
#define MSR_PROTO_MASK		0xfffULL
#define MSR_PROTO_TERMINATE	0x100
#define CONSOLE_TAIL		1500
#define PROTO_MAX_UNSET		UINT64_MAX

struct opts {
	uint64_t	 o_lo[MAX_RANGES], o_hi[MAX_RANGES];
	int		 o_nranges;
	uint64_t	 o_iterations;
	uint64_t	 o_proto_max;
	const char	*o_elf_dir;
	unsigned int	 o_timeout;
	int		 o_verbose;
	/* Why silent accepts are counted, not failed (measure_refusals). */
	char		 o_excuse[1024];
};

/* The guest's counters (guests/ghcb_fuzz.S), read after the run. */
struct guest_counts {
	uint64_t	 gc_done, gc_page, gc_msr;
	uint64_t	 gc_refused, gc_expected, gc_silent;
	uint64_t	 gc_silent_iter, gc_silent_code, gc_silent_usage;
	uint64_t	 gc_cur_iter, gc_cur_msr, gc_cur_code;
	uint64_t	 gc_setup;
};

struct tally {
	uint64_t	 t_runs, t_failed;
	uint64_t	 t_stop[RUN_ERROR + 1];
	uint64_t	 t_complete, t_early_hlt;
	uint64_t	 t_done, t_page, t_msr, t_refused, t_expected;
	uint64_t	 t_silent;
	uint64_t	 t_findings, t_finding_runs;
};

static struct fuzz_tally error_kinds, finding_kinds, vmm_messages;

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz_ghcb [--seeds A-B]... [--iterations N] "
	    "[--elf-dir DIR] [--proto-max N] [--timeout S] [--verbose]\n");
	exit(2);
}

/* The end of what the vmm printed: it says why a run went wrong. */
static const char *
console_tail(const char *text)
{
	size_t len = strlen(text);
	const char *p;

	if (len <= CONSOLE_TAIL)
		return (text);
	p = text + len - CONSOLE_TAIL;
	while (*p != '\0' && *p != '\n')
		p++;
	return (*p == '\n' ? p + 1 : p);
}

/* For the guard: a crash or a hang shows the vmm's last words. */
static void
guard_console(int fd)
{
	const char *t = console_tail(console_text());
	ssize_t w;

	if (*t == '\0')
		return;
	(void)!write(fd, "vmm console (tail):\n", 20);
	while (*t != '\0' && (w = write(fd, t, strlen(t))) > 0)
		t += w;
}

/*
 * The vmm's last line if it names a vcpu (a message about this run), or
 * else the runner's reason: what a run that ended in an error died of.
 */
static void
error_kind(const char *console, const char *reason, char *buf, size_t len)
{
	const char *end = console + strlen(console), *start;

	while (end > console && end[-1] == '\n')
		end--;
	start = end;
	while (start > console && start[-1] != '\n')
		start--;
	if (start == end || memmem(start, (size_t)(end - start), "vcpu", 4) ==
	    NULL)
		snprintf(buf, len, "%s", reason);
	else
		snprintf(buf, len, "%.*s", (int)(end - start), start);
}

/* Every line the vmm printed, by kind: which of its checks the fuzz hit. */
static void
tally_console(const char *console, const char *first)
{
	char line[512];
	const char *nl;
	size_t n;

	for (; *console != '\0'; console = nl + 1) {
		if ((nl = strchr(console, '\n')) == NULL)
			nl = console + strlen(console) - 1;
		n = (size_t)(nl - console) + (*nl != '\n');
		if (n == 0)
			continue;
		snprintf(line, sizeof(line), "%.*s", (int)n, console);
		fuzz_tally_add(&vmm_messages, line, first);
	}
}

static uint64_t *
guest_var(struct runner *r, const char *name)
{
	uint64_t *p = runner_symbol(r, name, sizeof(*p));

	if (p == NULL) {
		fprintf(stderr, "fuzz_ghcb: %s has no symbol %s\n",
		    r->r_cfg.rc_image, name);
		exit(2);
	}
	return (p);
}

static void
read_counts(struct runner *r, struct guest_counts *gc)
{
	gc->gc_done = *guest_var(r, "fuzz_done");
	gc->gc_page = *guest_var(r, "fuzz_page_requests");
	gc->gc_msr = *guest_var(r, "fuzz_msr_requests");
	gc->gc_refused = *guest_var(r, "fuzz_refused");
	gc->gc_expected = *guest_var(r, "fuzz_expected");
	gc->gc_silent = *guest_var(r, "fuzz_silent");
	gc->gc_silent_iter = *guest_var(r, "fuzz_silent_iter");
	gc->gc_silent_code = *guest_var(r, "fuzz_silent_code");
	gc->gc_silent_usage = *guest_var(r, "fuzz_silent_usage");
	gc->gc_cur_iter = *guest_var(r, "fuzz_cur_iter");
	gc->gc_cur_msr = *guest_var(r, "fuzz_cur_msr");
	gc->gc_cur_code = *guest_var(r, "fuzz_cur_code");
	gc->gc_setup = *guest_var(r, "fuzz_setup_status");
}

/* The request in flight when the run ended, in words. */
static void
describe_request(const struct guest_counts *gc, char *buf, size_t len)
{
	if (gc->gc_cur_msr == 0)
		snprintf(buf, len, "the well-formed requests before the "
		    "fuzzing");
	else if ((gc->gc_cur_msr & MSR_PROTO_MASK) != 0)
		snprintf(buf, len, "request %" PRIu64 ", MSR protocol 0x%"
		    PRIx64, gc->gc_cur_iter, gc->gc_cur_msr);
	else
		snprintf(buf, len, "request %" PRIu64 ", GHCB page, "
		    "sw_exitcode 0x%" PRIx64, gc->gc_cur_iter,
		    gc->gc_cur_code);
}

/*
 * Why the run fails the fuzz, in why; empty if it passes.  A run passes
 * when it did every request and halted, or stopped with a reason that
 * the request in flight explains: an error the vmm names, the HLT event,
 * a termination request.
 */
static void
judge(const struct opts *o, const struct run_result *rr,
    const struct guest_counts *gc, char *why, size_t len)
{
	char req[128];
	int in_setup = gc->gc_cur_msr == 0;

	describe_request(gc, req, sizeof(req));
	why[0] = '\0';
	switch (rr->rr_stop) {
	case RUN_HALTED:
		if (gc->gc_done != o->o_iterations &&
		    ((gc->gc_cur_msr & MSR_PROTO_MASK) != 0 ||
		    (uint32_t)gc->gc_cur_code != SVM_EXIT_HLT))
			snprintf(why, len, "halted after %" PRIu64 " of %"
			    PRIu64 " requests, at %s, which is no HLT",
			    gc->gc_done, o->o_iterations, req);
		break;
	case RUN_EXITED:
		snprintf(why, len, "verdict 0x%x on the debug-exit port, "
		    "which the guest never names, at %s", rr->rr_verdict, req);
		break;
	case RUN_TERMINATED:
		if ((gc->gc_cur_msr & MSR_PROTO_MASK) != MSR_PROTO_TERMINATE)
			snprintf(why, len, "terminated at %s, which is no "
			    "termination request", req);
		break;
	case RUN_BUDGET:
		snprintf(why, len, "HANG: instruction budget exhausted at %s: "
		    "%s", req, rr->rr_reason);
		break;
	case RUN_SHUTDOWN:
		snprintf(why, len, "SHUTDOWN at %s: %s", req, rr->rr_reason);
		break;
	case RUN_ERROR:
		if (rr->rr_reason[0] == '\0')
			snprintf(why, len, "error without a reason at %s", req);
		else if (in_setup)
			snprintf(why, len, "%s ended the run: %s", req,
			    rr->rr_reason);
		break;
	}
	if (why[0] == '\0' && !in_setup && gc->gc_setup != 0)
		snprintf(why, len, "the well-formed GHCB request before the "
		    "fuzzing was refused (ghcb_cpuid status %" PRIu64 ")",
		    gc->gc_setup);
	/* Failed unless conform measured this handler accepting them. */
	if (why[0] == '\0' && gc->gc_silent != 0 && o->o_excuse[0] == '\0')
		snprintf(why, len, "%" PRIu64 " requests that must be refused "
		    "were answered with success; the first: request %" PRIu64
		    ", sw_exitcode 0x%" PRIx64 ", usage 0x%" PRIx64,
		    gc->gc_silent, gc->gc_silent_iter, gc->gc_silent_code,
		    gc->gc_silent_usage);
}

/*
 * Requests every hypervisor must refuse: the conformance suite's
 * requirements for them, measured against this handler.  Those that
 * depart excuse the fuzzer's silent accepts, and are named.
 */
static void
measure_refusals(struct opts *o)
{
	static const char *ids[] = { "ghcb.usage", "ghcb.exitcode_valid",
	    "ghcb.exitinfo1_valid", "ghcb.exitinfo2_valid",
	    "ghcb.exitcode_high_bits" };
	struct conf_result cv;
	size_t i, n = 0;

	o->o_excuse[0] = '\0';
	if (o->o_proto_max == PROTO_MAX_UNSET) {
		conf_check(conf_req_find("msr.sev_info.code"), &cv, NULL);
		o->o_proto_max = cv.cv_verdict == CONF_CONFORMS ? 0 : 1;
		if (o->o_proto_max)
			printf("fuzz_ghcb: conform measured msr.sev_info.code "
			    "%s: the guest speaks protocol version 1\n",
			    conf_verdict_name(cv.cv_verdict));
	}
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		conf_check(conf_req_find(ids[i]), &cv, NULL);
		if (cv.cv_verdict == CONF_CONFORMS || n >= sizeof(o->o_excuse))
			continue;
		n += snprintf(o->o_excuse + n, sizeof(o->o_excuse) - n,
		    "%s%s %s", n ? "; " : "", ids[i],
		    conf_verdict_name(cv.cv_verdict));
	}
}

static void
account(struct tally *t, const struct opts *o, uint64_t seed,
    const struct run_result *rr, const struct guest_counts *gc)
{
	char line[512], first[32];

	snprintf(first, sizeof(first), "seed %" PRIu64, seed);
	t->t_runs++;
	t->t_stop[rr->rr_stop]++;
	if (rr->rr_stop == RUN_HALTED) {
		if (gc->gc_done == o->o_iterations)
			t->t_complete++;
		else
			t->t_early_hlt++;
	}
	if (rr->rr_stop == RUN_ERROR && rr->rr_reason[0] != '\0') {
		error_kind(rr->rr_console != NULL ? rr->rr_console : "",
		    rr->rr_reason, line, sizeof(line));
		fuzz_tally_add(&error_kinds, line, first);
	}
	if (rr->rr_console != NULL)
		tally_console(rr->rr_console, first);
	t->t_done += gc->gc_done;
	t->t_page += gc->gc_page;
	t->t_msr += gc->gc_msr;
	t->t_refused += gc->gc_refused;
	t->t_expected += gc->gc_expected;
	t->t_silent += gc->gc_silent;
	if (rr->rr_findings != 0) {
		t->t_findings += rr->rr_findings;
		t->t_finding_runs++;
		fuzz_tally_add(&finding_kinds, rr->rr_finding, first);
	}
}

static void
patch(struct runner *r, const char *name, uint64_t v)
{
	*guest_var(r, name) = v;
}

/* One run; returns 0 if it passes, 1 if not. */
static int
run_seed(const struct opts *o, const char *image, uint64_t seed,
    struct tally *t)
{
	struct runner_config rc;
	struct guest_counts gc;
	struct run_result rr;
	struct runner r;
	char err[512], why[768];

	memset(&rc, 0, sizeof(rc));
	rc.rc_image = image;
	rc.rc_budget = o->o_iterations * BUDGET_PER_REQUEST + BUDGET_BASE;
	fuzz_guard_case(o->o_timeout, "seed %" PRIu64 " (rerun: fuzz_ghcb "
	    "--seeds %" PRIu64 " --iterations %" PRIu64 ")", seed, seed,
	    o->o_iterations);
	if (runner_open(&r, &rc, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_ghcb: %s\n", err);
		exit(2);
	}
	patch(&r, "fuzz_seed", seed);
	patch(&r, "fuzz_iterations", o->o_iterations);
	patch(&r, "fuzz_proto_max", o->o_proto_max);
	runner_run(&r, &rr);
	read_counts(&r, &gc);
	judge(o, &rr, &gc, why, sizeof(why));
	account(t, o, seed, &rr, &gc);
	if (o->o_verbose)
		printf("seed %" PRIu64 ": %s after %" PRIu64 " requests "
		    "(%" PRIu64 " refused, %u findings): %s\n", seed,
		    run_stop_name(rr.rr_stop), gc.gc_done, gc.gc_refused,
		    rr.rr_findings, rr.rr_reason);
	if (why[0] != '\0') {
		t->t_failed++;
		printf("FAIL seed %" PRIu64 ": %s\n", seed, why);
		printf("  rerun: fuzz_ghcb --seeds %" PRIu64 " --iterations %"
		    PRIu64 "\n  vmm console (tail):\n%s", seed,
		    o->o_iterations, console_tail(rr.rr_console != NULL ?
		    rr.rr_console : ""));
	}
	fflush(stdout);
	runner_close(&r);
	fuzz_guard_done();
	return (why[0] != '\0');
}

static void
tally_add(struct tally *sum, const struct tally *t)
{
	int i;

	sum->t_runs += t->t_runs;
	sum->t_failed += t->t_failed;
	for (i = 0; i <= RUN_ERROR; i++)
		sum->t_stop[i] += t->t_stop[i];
	sum->t_complete += t->t_complete;
	sum->t_early_hlt += t->t_early_hlt;
	sum->t_done += t->t_done;
	sum->t_page += t->t_page;
	sum->t_msr += t->t_msr;
	sum->t_refused += t->t_refused;
	sum->t_expected += t->t_expected;
	sum->t_silent += t->t_silent;
	sum->t_findings += t->t_findings;
	sum->t_finding_runs += t->t_finding_runs;
}

static void
print_tally(const char *what, const struct tally *t, double secs)
{
	printf("fuzz_ghcb: %s: %" PRIu64 " runs in %.1f s: halted %" PRIu64
	    " (%" PRIu64 " after every request, %" PRIu64 " at a HLT event), "
	    "error %" PRIu64 ", terminated %" PRIu64 ", exited %" PRIu64
	    ", shutdown %" PRIu64 ", budget %" PRIu64 "; %" PRIu64
	    " requests answered (%" PRIu64 " GHCB, %" PRIu64 " MSR protocol),"
	    " %" PRIu64 " refused, %" PRIu64 " had to be, %" PRIu64
	    " silently accepted; %" PRIu64 " findings in %" PRIu64 " runs; %"
	    PRIu64 " failed\n", what, t->t_runs, secs, t->t_stop[RUN_HALTED],
	    t->t_complete, t->t_early_hlt, t->t_stop[RUN_ERROR],
	    t->t_stop[RUN_TERMINATED], t->t_stop[RUN_EXITED],
	    t->t_stop[RUN_SHUTDOWN], t->t_stop[RUN_BUDGET], t->t_done,
	    t->t_page, t->t_msr, t->t_refused, t->t_expected, t->t_silent,
	    t->t_findings, t->t_finding_runs, t->t_failed);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "seeds",	required_argument,	NULL, 's' },
		{ "iterations",	required_argument,	NULL, 'n' },
		{ "elf-dir",	required_argument,	NULL, 'd' },
		{ "proto-max",	required_argument,	NULL, 'p' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	uint64_t v;
	int ch;

	memset(o, 0, sizeof(*o));
	o->o_iterations = 100;
	o->o_elf_dir = SEVEMU_GUEST_DIR;
	o->o_proto_max = PROTO_MAX_UNSET;
	o->o_timeout = 120;
	while ((ch = getopt_long(argc, argv, "s:n:d:p:t:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			if (o->o_nranges == MAX_RANGES ||
			    fuzz_parse_range(optarg, &o->o_lo[o->o_nranges],
			    &o->o_hi[o->o_nranges]) != 0)
				usage();
			o->o_nranges++;
			break;
		case 'n':
			if (fuzz_parse_u64(optarg, &o->o_iterations) != 0 ||
			    o->o_iterations > 1000000)
				usage();
			break;
		case 'd':
			o->o_elf_dir = optarg;
			break;
		case 'p':
			if (fuzz_parse_u64(optarg, &o->o_proto_max) != 0 ||
			    o->o_proto_max > 0xffff)
				usage();
			break;
		case 't':
			if (fuzz_parse_u64(optarg, &v) != 0 || v == 0 ||
			    v > 86400)
				usage();
			o->o_timeout = (unsigned int)v;
			break;
		case 'v':
			o->o_verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (o->o_nranges == 0) {
		o->o_lo[0] = 1;
		o->o_hi[0] = 100;
		o->o_nranges = 1;
	}
}

int
main(int argc, char **argv)
{
	struct tally total, t;
	struct opts o;
	struct fuzz_progress progress;
	char image[1024], what[64];
	double t0, t1;
	uint64_t seed, runs = 0;
	int i;

	parse_args(argc, argv, &o);
	snprintf(image, sizeof(image), "%s/ghcb_fuzz.elf", o.o_elf_dir);
	fuzz_guard_install("fuzz_ghcb", guard_console);
	measure_refusals(&o);
	if (o.o_excuse[0] != '\0')
		printf("fuzz_ghcb: conform measured: %s; such requests answered "
		    "with success are counted, not failed\n", o.o_excuse);
	memset(&total, 0, sizeof(total));
	for (i = 0; i < o.o_nranges; i++)
		runs += o.o_hi[i] - o.o_lo[i] + 1;
	fuzz_progress_init(&progress, "fuzz_ghcb", "runs", runs);
	t0 = fuzz_now();
	for (i = 0; i < o.o_nranges; i++) {
		memset(&t, 0, sizeof(t));
		t1 = fuzz_now();
		for (seed = o.o_lo[i]; ; seed++) {
			run_seed(&o, image, seed, &t);
			fuzz_progress(&progress, total.t_runs + t.t_runs,
			    total.t_failed + t.t_failed);
			if (seed == o.o_hi[i])
				break;
		}
		snprintf(what, sizeof(what), "seeds %" PRIu64 "-%" PRIu64
		    " x %" PRIu64, o.o_lo[i], o.o_hi[i], o.o_iterations);
		print_tally(what, &t, fuzz_now() - t1);
		tally_add(&total, &t);
	}
	if (o.o_nranges > 1)
		print_tally("total", &total, fuzz_now() - t0);
	if (error_kinds.ft_nkinds != 0) {
		printf("fuzz_ghcb: what the runs that ended in an error died "
		    "of:\n");
		fuzz_tally_print(&error_kinds, stdout);
	}
	if (vmm_messages.ft_nkinds != 0) {
		printf("fuzz_ghcb: what the vmm said, by kind (the checks and "
		    "paths the requests reached):\n");
		fuzz_tally_print(&vmm_messages, stdout);
	}
	if (finding_kinds.ft_nkinds != 0) {
		printf("fuzz_ghcb: spec findings (the first of each run):\n");
		fuzz_tally_print(&finding_kinds, stdout);
	}
	if (o.o_excuse[0] != '\0' && total.t_silent != 0)
		printf("fuzz_ghcb: the handler accepted %" PRIu64 " requests "
		    "it had to refuse, as conform measured (%s)\n",
		    total.t_silent, o.o_excuse);
	fuzz_summary(total.t_runs - total.t_failed, total.t_failed);
	return (total.t_failed != 0 ? 1 : 0);
}
