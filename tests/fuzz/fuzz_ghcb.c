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
 *                  [--proto-max N] [--timeout S] [--expect DIR] [--verbose]
 *
 * A run is one seed's stream of requests.  When the vmm stops the VM on
 * a request, with a reason, the run goes on in a new VM from the next
 * request (the PRNG state carries over), and the request's event (its
 * sw_exitcode, or for codes that are no NAE event how the guest drew
 * them, or its MSR-protocol code) is counted: after STOPS_RARE
 * stops the guest draws that event only one time in 256, so that the
 * rest of the request space is still reached.  Each answer (or stop) to
 * a request that breaks one of conform's requirements (usage, valid
 * bits, exit code) is judged by that requirement's own judge; a
 * departure the tree's expectations file (conform/expect/) does not
 * list fails the run, and with vmmcore's handler every departure does.
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
/* guests/ghcb_fuzz.S */
#define FUZZ_MAX_ANSWERS	1024
#define FUZZ_MAX_RARE		16
#define STOPS_RARE		1
#define MAX_KEYS		64
#define NRULES			5

struct opts {
	uint64_t	 o_lo[MAX_RANGES], o_hi[MAX_RANGES];
	int		 o_nranges;
	uint64_t	 o_iterations;
	uint64_t	 o_proto_max;
	const char	*o_elf_dir;
	unsigned int	 o_timeout;
	int		 o_verbose;
	const char	*o_expect;	/* conform's expectations directory */
};

/* The rules of fuzz_expect (ghcb_fuzz.S), bit i: conform's ids. */
static const char *rule_ids[NRULES] = { "ghcb.usage", "ghcb.exitcode_valid",
    "ghcb.exitinfo1_valid", "ghcb.exitinfo2_valid",
    "ghcb.exitcode_high_bits" };

/* What one seed's run learned of the events the vmm stops the VM on. */
struct learned {
	struct {
		int		 k_msr;		/* MSR-protocol code, not page */
		int		 k_class;	/* or a class of exit codes */
		uint64_t	 k_code;
		unsigned int	 k_stops;
	}		 l_key[MAX_KEYS];
	int		 l_nkeys;
	uint64_t	 l_rare_code[FUZZ_MAX_RARE], l_rare_msr[FUZZ_MAX_RARE];
	uint64_t	 l_nrare_code, l_nrare_msr, l_rare_class;
};

/* How the guest drew an exit code that is no NAE event (fuzz_cur_class). */
static const char *class_names[] = { "", "random bits",
    "an SVM exit code", "an SEV exit code", "an exit code at the top" };
#define NCLASSES	(sizeof(class_names) / sizeof(class_names[0]))

/* The guest's counters (guests/ghcb_fuzz.S), read after the run. */
struct guest_counts {
	uint64_t	 gc_done, gc_page, gc_msr;
	uint64_t	 gc_refused, gc_expected, gc_silent;
	uint64_t	 gc_silent_iter, gc_silent_code, gc_silent_usage;
	uint64_t	 gc_cur_iter, gc_cur_msr, gc_cur_code;
	uint64_t	 gc_setup;
	uint64_t	 gc_state, gc_cur_expect, gc_nanswers, gc_cur_class;
	const uint64_t	*gc_answers;
};

struct tally {
	uint64_t	 t_runs, t_failed, t_vms;
	uint64_t	 t_judged, t_departs, t_unexpected;
	uint64_t	 t_stop[RUN_ERROR + 1];
	uint64_t	 t_complete, t_early_hlt;
	uint64_t	 t_done, t_page, t_msr, t_refused, t_expected;
	uint64_t	 t_silent;
	uint64_t	 t_findings, t_finding_runs;
};

static struct fuzz_tally error_kinds, finding_kinds, vmm_messages;
static struct fuzz_tally refusal_kinds, departure_kinds;

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz_ghcb [--seeds A-B]... [--iterations N] "
	    "[--elf-dir DIR] [--proto-max N] [--timeout S] [--expect DIR] "
	    "[--verbose]\n");
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
	gc->gc_state = *guest_var(r, "fuzz_state");
	gc->gc_cur_expect = *guest_var(r, "fuzz_cur_expect");
	gc->gc_nanswers = *guest_var(r, "fuzz_nanswers");
	gc->gc_cur_class = *guest_var(r, "fuzz_cur_class");
	gc->gc_answers = runner_symbol(r, "fuzz_answers",
	    FUZZ_MAX_ANSWERS * 5 * sizeof(uint64_t));
	if (gc->gc_answers == NULL) {
		fprintf(stderr, "fuzz_ghcb: %s has no symbol fuzz_answers\n",
		    r->r_cfg.rc_image);
		exit(2);
	}
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
judge(const struct opts *o, uint64_t first, const struct run_result *rr,
    const struct guest_counts *gc, char *why, size_t len)
{
	char req[128];
	int in_setup = gc->gc_cur_msr == 0;

	describe_request(gc, req, sizeof(req));
	why[0] = '\0';
	switch (rr->rr_stop) {
	case RUN_HALTED:
		if (first + gc->gc_done != o->o_iterations &&
		    ((gc->gc_cur_msr & MSR_PROTO_MASK) != 0 ||
		    (uint32_t)gc->gc_cur_code != SVM_EXIT_HLT))
			snprintf(why, len, "halted after %" PRIu64 " of %"
			    PRIu64 " requests, at %s, which is no HLT",
			    first + gc->gc_done, o->o_iterations, req);
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
}

/*
 * The protocol versions to speak: those the vmm offers, unless conform
 * measures it not answering the SEV information request.
 */
static void
measure_versions(struct opts *o)
{
	struct conf_result cv;

	if (o->o_proto_max != PROTO_MAX_UNSET)
		return;
	conf_check(conf_req_find("msr.sev_info.code"), &cv, NULL);
	o->o_proto_max = cv.cv_verdict == CONF_CONFORMS ? 0 : 1;
	if (o->o_proto_max)
		printf("fuzz_ghcb: conform measured msr.sev_info.code %s: the "
		    "guest speaks protocol version 1\n",
		    conf_verdict_name(cv.cv_verdict));
}

/*
 * One answer (or, resumed 0, the stop) to a request that breaks the
 * rules in mask, judged by each rule's requirement in conform.  When
 * several rules are broken a refusal's reason belongs to none of them,
 * so only a success answer or a stop is judged then.  Returns 1 and
 * sets why on a departure the expectations do not list.
 */
static int
judge_answer(const struct opts *o, struct tally *t, uint64_t seed,
    uint64_t iter, uint64_t mask, int resumed, const uint64_t *ans,
    const struct run_result *rr, char *why, size_t len)
{
	static struct conf_run cr;
	const struct conf_req *rq;
	struct conf_result cv;
	char kind[160], first[64];
	int i, bad = 0, several = (mask & (mask - 1)) != 0;

	memset(&cr, 0, sizeof(cr));
	cr.cr_nsteps = 1;
	cr.cr_ran = 1;
	cr.cr_step[0].cs_kind = CONF_KIND_GHCB;
	cr.cr_step[0].cs_resumed = resumed;
	if (resumed) {
		conf_put(&cr.cr_step[0], G_EXITINFO1, ans[1]);
		conf_put(&cr.cr_step[0], G_EXITINFO2, ans[2]);
		memcpy(cr.cr_step[0].cs_back, cr.cr_step[0].cs_send, 4096);
		memcpy(cr.cr_step[0].cs_back + G_VALID, &ans[3], G_VALID_SIZE);
		if (several && (ans[1] & 0xffffffff) != 0)
			return (0);
	} else {
		cr.cr_stop = rr->rr_stop;
		cr.cr_exits = rr->rr_exits;
		snprintf(cr.cr_reason, sizeof(cr.cr_reason), "%s",
		    rr->rr_reason);
		snprintf(cr.cr_console, sizeof(cr.cr_console), "%s",
		    console_tail(rr->rr_console != NULL ? rr->rr_console :
		    ""));
	}
	snprintf(first, sizeof(first), "seed %" PRIu64 ", VM from request %"
	    PRIu64, seed, iter);
	for (i = 0; i < NRULES; i++) {
		if ((mask & (1ULL << i)) == 0 ||
		    (rq = conf_req_find(rule_ids[i])) == NULL)
			continue;
		t->t_judged++;
		rq->rq_judge(rq, &cr, &cv);
		if (cv.cv_verdict != CONF_DEPARTS)
			continue;
		t->t_departs++;
		if (conf_expected(o->o_expect, rq->rq_id) == CONF_DEPARTS) {
			snprintf(kind, sizeof(kind), "%s (expected)",
			    rq->rq_id);
			fuzz_tally_add(&departure_kinds, kind, first);
			continue;
		}
		t->t_unexpected++;
		snprintf(kind, sizeof(kind), "%s (NOT EXPECTED)", rq->rq_id);
		fuzz_tally_add(&departure_kinds, kind, first);
		if (!bad)
			snprintf(why, len, "a request in the VM from request %"
			    PRIu64 " departs from %s, which the expectations "
			    "do not list: %s", iter,
			    rq->rq_id, cv.cv_finding);
		bad = 1;
	}
	return (bad);
}

/* The vmm stopped the VM on the request in flight: count its event. */
static void
learn(struct learned *l, const struct guest_counts *gc, uint64_t seed)
{
	char kind[96], first[64];
	int msr = (gc->gc_cur_msr & MSR_PROTO_MASK) != 0, i, cls = 0;
	uint64_t code = msr ? gc->gc_cur_msr & MSR_PROTO_MASK : gc->gc_cur_code;

	if (!msr && gc->gc_cur_class > 0 && gc->gc_cur_class < NCLASSES) {
		cls = (int)gc->gc_cur_class;
		code = 0;
	}
	if (cls)
		snprintf(kind, sizeof(kind), "sw_exitcode drawn as %s",
		    class_names[cls]);
	else
		snprintf(kind, sizeof(kind), msr ? "MSR protocol 0x%03" PRIx64 :
		    "sw_exitcode 0x%" PRIx64, code);
	snprintf(first, sizeof(first), "seed %" PRIu64 ", 0x%" PRIx64, seed,
	    msr ? code : gc->gc_cur_code);
	fuzz_tally_add(&refusal_kinds, kind, first);
	for (i = 0; i < l->l_nkeys; i++)
		if (l->l_key[i].k_msr == msr && l->l_key[i].k_class == cls &&
		    l->l_key[i].k_code == code)
			break;
	if (i == l->l_nkeys) {
		if (i == MAX_KEYS)
			return;
		l->l_key[i].k_msr = msr;
		l->l_key[i].k_class = cls;
		l->l_key[i].k_code = code;
		l->l_key[i].k_stops = 0;
		l->l_nkeys++;
	}
	if (++l->l_key[i].k_stops != STOPS_RARE)
		return;
	if (cls)
		l->l_rare_class |= 1ULL << cls;
	else if (msr && l->l_nrare_msr < FUZZ_MAX_RARE)
		l->l_rare_msr[l->l_nrare_msr++] = code;
	else if (!msr && l->l_nrare_code < FUZZ_MAX_RARE)
		l->l_rare_code[l->l_nrare_code++] = code;
}

static void
account(struct tally *t, const struct opts *o, uint64_t seed,
    uint64_t first_iter, const struct run_result *rr,
    const struct guest_counts *gc)
{
	char line[512], first[32];

	snprintf(first, sizeof(first), "seed %" PRIu64, seed);
	t->t_vms++;
	t->t_stop[rr->rr_stop]++;
	if (rr->rr_stop == RUN_HALTED) {
		if (first_iter + gc->gc_done == o->o_iterations)
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

/*
 * One VM of a seed's run, from request first_iter on; returns 0 if it
 * passes, 1 if not.  *next is the request to go on from in a new VM,
 * or the number of iterations when the run is over.
 */
static int
run_vm(const struct opts *o, const char *image, uint64_t seed,
    struct learned *l, uint64_t first_iter, uint64_t *state, uint64_t *next,
    struct tally *t)
{
	struct runner_config rc;
	struct guest_counts gc;
	struct run_result rr;
	struct runner r;
	char err[512], why[768];
	uint64_t i, n;
	int stopped;

	memset(&rc, 0, sizeof(rc));
	rc.rc_image = image;
	rc.rc_budget = (o->o_iterations - first_iter) * BUDGET_PER_REQUEST +
	    BUDGET_BASE;
	if (runner_open(&r, &rc, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_ghcb: %s\n", err);
		exit(2);
	}
	patch(&r, "fuzz_seed", seed);
	patch(&r, "fuzz_iterations", o->o_iterations);
	patch(&r, "fuzz_proto_max", o->o_proto_max);
	patch(&r, "fuzz_first_iter", first_iter);
	patch(&r, "fuzz_resume_state", *state);
	patch(&r, "fuzz_nrare_code", l->l_nrare_code);
	patch(&r, "fuzz_nrare_msr", l->l_nrare_msr);
	patch(&r, "fuzz_rare_class", l->l_rare_class);
	for (i = 0; i < FUZZ_MAX_RARE; i++) {
		guest_var(&r, "fuzz_rare_code")[i] = l->l_rare_code[i];
		guest_var(&r, "fuzz_rare_msr")[i] = l->l_rare_msr[i];
	}
	runner_run(&r, &rr);
	read_counts(&r, &gc);
	judge(o, first_iter, &rr, &gc, why, sizeof(why));
	account(t, o, seed, first_iter, &rr, &gc);
	n = gc.gc_nanswers < FUZZ_MAX_ANSWERS ? gc.gc_nanswers :
	    FUZZ_MAX_ANSWERS;
	for (i = 0; i < n && why[0] == '\0'; i++)
		judge_answer(o, t, seed, first_iter, gc.gc_answers[5 * i], 1,
		    &gc.gc_answers[5 * i], &rr, why, sizeof(why));
	stopped = gc.gc_cur_msr != 0 && first_iter + gc.gc_done <
	    o->o_iterations;
	/*
	 * A stop is not judged yet: the request in flight may not be what
	 * the vmm stopped for (to be measured), so it is only counted.
	 */
	if (why[0] == '\0' && stopped && rr.rr_stop == RUN_ERROR)
		learn(l, &gc, seed);
	if (o->o_verbose)
		printf("seed %" PRIu64 " from request %" PRIu64 ": %s after %"
		    PRIu64 " requests (%" PRIu64 " refused, %u findings, in flight "
		    "0x%" PRIx64 "/0x%" PRIx64 "): %s\n",
		    seed, first_iter, run_stop_name(rr.rr_stop), gc.gc_done,
		    gc.gc_refused, rr.rr_findings, gc.gc_cur_msr, gc.gc_cur_code,
		    rr.rr_reason);
	if (why[0] != '\0') {
		printf("FAIL seed %" PRIu64 ": %s\n", seed, why);
		printf("  rerun: fuzz_ghcb --seeds %" PRIu64 " --iterations %"
		    PRIu64 "\n  vmm console (tail):\n%s", seed,
		    o->o_iterations, console_tail(rr.rr_console != NULL ?
		    rr.rr_console : ""));
	}
	*state = gc.gc_state;
	*next = stopped ? gc.gc_cur_iter + 1 : o->o_iterations;
	fflush(stdout);
	runner_close(&r);
	return (why[0] != '\0');
}

/* One seed's run, in as many VMs as the vmm's stops take. */
static void
run_seed(const struct opts *o, const char *image, uint64_t seed,
    struct tally *t)
{
	struct learned l;
	uint64_t first = 0, next, state = 0;
	int failed = 0;

	memset(&l, 0, sizeof(l));
	fuzz_guard_case(o->o_timeout, "seed %" PRIu64 " (rerun: fuzz_ghcb "
	    "--seeds %" PRIu64 " --iterations %" PRIu64 ")", seed, seed,
	    o->o_iterations);
	t->t_runs++;
	while (!failed && first < o->o_iterations) {
		failed = run_vm(o, image, seed, &l, first, &state, &next, t);
		if (next <= first)
			break;
		first = next;
	}
	t->t_failed += failed;
	fuzz_guard_done();
}

static void
tally_add(struct tally *sum, const struct tally *t)
{
	int i;

	sum->t_runs += t->t_runs;
	sum->t_failed += t->t_failed;
	sum->t_vms += t->t_vms;
	sum->t_judged += t->t_judged;
	sum->t_departs += t->t_departs;
	sum->t_unexpected += t->t_unexpected;
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
	printf("fuzz_ghcb: %s: %" PRIu64 " runs in %" PRIu64 " VMs, %.1f s: "
	    "halted %" PRIu64
	    " (%" PRIu64 " after every request, %" PRIu64 " at a HLT event), "
	    "error %" PRIu64 ", terminated %" PRIu64 ", exited %" PRIu64
	    ", shutdown %" PRIu64 ", budget %" PRIu64 "; %" PRIu64
	    " requests answered (%" PRIu64 " GHCB, %" PRIu64 " MSR protocol),"
	    " %" PRIu64 " refused, %" PRIu64 " had to be, %" PRIu64
	    " silently accepted; %" PRIu64 " findings in %" PRIu64 " runs; %"
	    PRIu64 " failed\n", what, t->t_runs, t->t_vms, secs,
	    t->t_stop[RUN_HALTED],
	    t->t_complete, t->t_early_hlt, t->t_stop[RUN_ERROR],
	    t->t_stop[RUN_TERMINATED], t->t_stop[RUN_EXITED],
	    t->t_stop[RUN_SHUTDOWN], t->t_stop[RUN_BUDGET], t->t_done,
	    t->t_page, t->t_msr, t->t_refused, t->t_expected, t->t_silent,
	    t->t_findings, t->t_finding_runs, t->t_failed);
	printf("fuzz_ghcb: %s: %" PRIu64 " answers judged by conform's "
	    "requirements: %" PRIu64 " depart, %" PRIu64 " of them not "
	    "expected\n", what, t->t_judged, t->t_departs, t->t_unexpected);
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
		{ "expect",	required_argument,	NULL, 'e' },
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
	o->o_expect = SEVEMU_CONFORM_EXPECT_DIR;
	while ((ch = getopt_long(argc, argv, "s:n:d:p:t:e:vh", longopts,
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
		case 'e':
			o->o_expect = optarg;
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
	measure_versions(&o);
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
	if (refusal_kinds.ft_nkinds != 0) {
		printf("fuzz_ghcb: the events the vmm stopped the VM on (the "
		    "run went on in a new VM):\n");
		fuzz_tally_print(&refusal_kinds, stdout);
	}
	if (departure_kinds.ft_nkinds != 0) {
		printf("fuzz_ghcb: departures from conform's requirements, by "
		    "id:\n");
		fuzz_tally_print(&departure_kinds, stdout);
	}
	fuzz_summary(total.t_runs - total.t_failed, total.t_failed);
	return (total.t_failed != 0 ? 1 : 0);
}
