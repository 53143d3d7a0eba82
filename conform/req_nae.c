/*
 * req_nae.c - the NAE events (AMD 56421's table of events): for each, the
 * inputs it needs (a missing one is refused) and the outputs it returns,
 * marked valid.
 */
#include <inttypes.h>
#include <string.h>

#include "conform.h"
#include "seam.h"

#define EXIT_DR7_READ	0x27ULL
#define EXIT_DR7_WRITE	0x37ULL
#define EXIT_RDTSC	0x6eULL
#define EXIT_RDPMC	0x6fULL
#define EXIT_CPUID	0x72ULL
#define EXIT_MSR	0x7cULL
#define EXIT_VMMCALL	0x81ULL
#define EXIT_RDTSCP	0x87ULL
#define EXIT_WBINVD	0x89ULL
#define EXIT_MONITOR	0x8aULL
#define EXIT_MWAIT	0x8bULL
#define AP_RESET_HOLD	0x80000004ULL
#define AP_JUMP_TABLE	0x80000005ULL
#define HV_FEATURES	0x8000fffdULL
#define UNSUPPORTED	0x8000ffffULL
#define MSR_PAT		0x277ULL

/*
 * One request per requirement, described by a line of the table below:
 * the exit code, sw_exitinfo1, the fields sent (bits of F_*), their
 * values, and the fields the answer must carry.
 */
#define F_RAX		0x01
#define F_RBX		0x02
#define F_RCX		0x04
#define F_RDX		0x08
#define F_CPL		0x10
#define F_XCR0		0x20

struct nae {
	uint64_t	code, info1;
	int		in;
	uint64_t	rax, rcx, rdx, xcr0;
	int		out;
};

static const struct {
	int		 f;
	unsigned int	 off;
	const char	*name;
} fields[] = {
	{ F_RAX, G_RAX, "RAX" }, { F_RBX, G_RBX, "RBX" },
	{ F_RCX, G_RCX, "RCX" }, { F_RDX, G_RDX, "RDX" },
	{ F_CPL, G_CPL, "CPL" }, { F_XCR0, G_XCR0, "XCR0" },
};

static const struct nae naes[] = {
#define N_CPUID			0
	{ EXIT_CPUID, 0, F_RAX | F_RCX, 0, 0, 0, 0,
	    F_RAX | F_RBX | F_RCX | F_RDX },
#define N_CPUID_NO_RAX		1
	{ EXIT_CPUID, 0, F_RCX, 0, 0, 0, 0, 0 },
#define N_CPUID_NO_RCX		2
	{ EXIT_CPUID, 0, F_RAX, 0, 0, 0, 0, 0 },
#define N_CPUID_D_NO_XCR0	3
	{ EXIT_CPUID, 0, F_RAX | F_RCX, 0xd, 0, 0, 0, 0 },
#define N_CPUID_D		4
	{ EXIT_CPUID, 0, F_RAX | F_RCX | F_XCR0, 0xd, 0, 0, 3,
	    F_RAX | F_RBX | F_RCX | F_RDX },
#define N_CPUID_D1		5
	{ EXIT_CPUID, 0, F_RAX | F_RCX | F_XCR0, 0xd, 1, 0, 3,
	    F_RAX | F_RBX | F_RCX | F_RDX },
#define N_RDTSC			6
	{ EXIT_RDTSC, 0, 0, 0, 0, 0, 0, F_RAX | F_RDX },
#define N_RDTSCP		7
	{ EXIT_RDTSCP, 0, 0, 0, 0, 0, 0, F_RAX | F_RCX | F_RDX },
#define N_RDPMC			8
	{ EXIT_RDPMC, 0, F_RCX, 0, 0, 0, 0, F_RAX | F_RDX },
#define N_RDPMC_NO_RCX		9
	{ EXIT_RDPMC, 0, 0, 0, 0, 0, 0, 0 },
#define N_RDMSR			10
	{ EXIT_MSR, 0, F_RCX, 0, MSR_PAT, 0, 0, F_RAX | F_RDX },
#define N_RDMSR_NO_RCX		11
	{ EXIT_MSR, 0, 0, 0, 0, 0, 0, 0 },
#define N_WRMSR_NO_RDX		12
	{ EXIT_MSR, 1, F_RAX | F_RCX, 0x00070406, MSR_PAT, 0, 0, 0 },
#define N_WRMSR_NO_RAX		13
	{ EXIT_MSR, 1, F_RCX | F_RDX, 0, MSR_PAT, 0x00070406, 0, 0 },
#define N_DR7_READ		14
	{ EXIT_DR7_READ, 0, 0, 0, 0, 0, 0, F_RAX },
#define N_DR7_WRITE_NO_RAX	15
	{ EXIT_DR7_WRITE, 0, 0, 0, 0, 0, 0, 0 },
#define N_VMMCALL		16
	{ EXIT_VMMCALL, 0, F_RAX | F_CPL, 0, 0, 0, 0, F_RAX },
#define N_VMMCALL_NO_CPL	17
	{ EXIT_VMMCALL, 0, F_RAX, 0, 0, 0, 0, 0 },
#define N_MONITOR_NO_RDX	18
	{ EXIT_MONITOR, 0, F_RAX | F_RCX, 0x100000, 0, 0, 0, 0 },
#define N_MWAIT_NO_RCX		19
	{ EXIT_MWAIT, 0, F_RAX, 0, 0, 0, 0, 0 },
#define N_WBINVD		20
	{ EXIT_WBINVD, 0, 0, 0, 0, 0, 0, 0 },
#define N_WRMSR			21
	{ EXIT_MSR, 1, F_RAX | F_RCX | F_RDX, 0x00070106, MSR_PAT,
	    0x00070406, 0, 0 },
};

static struct conf_step *
send(struct conf_run *cr, const struct nae *n)
{
	struct conf_step *s = conf_ghcb(cr, n->code, n->info1, 0);

	if (n->in & F_RAX)
		conf_set(s, G_RAX, n->rax);
	if (n->in & F_RCX)
		conf_set(s, G_RCX, n->rcx);
	if (n->in & F_RDX)
		conf_set(s, G_RDX, n->rdx);
	if (n->in & F_CPL)
		conf_set(s, G_CPL, 0);
	if (n->in & F_XCR0)
		conf_set(s, G_XCR0, n->xcr0);
	return (s);
}

static void
setup_nae(const struct conf_req *rq, struct conf_run *cr)
{
	send(cr, &naes[rq->rq_arg]);
}

/* Answered, with each output field marked valid. */
static const uint8_t *
outputs(const struct conf_req *rq, const struct conf_run *cr, int k,
    struct conf_result *cv)
{
	const struct nae *n = &naes[rq->rq_arg];
	const uint8_t *p;
	size_t i;

	if ((p = conf_answered(cr, k, 0, cv)) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if ((n->out & fields[i].f) && !conf_valid(p, fields[i].off)) {
			conf_departs(cv, "answer without %s marked valid",
			    fields[i].name);
			return (NULL);
		}
	}
	return (p);
}

static void
judge_outputs(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	if (outputs(rq, cr, cr->cr_nsteps - 1, cv) != NULL)
		conf_conforms(cv);
}

/* CPUID leaf 0xD as the CPU gives it for XCR0 x87|SSE. */
static void
judge_cpuid_d(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const struct nae *n = &naes[rq->rq_arg];
	const uint8_t *p;
	uint32_t r[4];

	if ((p = outputs(rq, cr, 0, cv)) == NULL)
		return;
	seam_cpuid(0xd, (uint32_t)n->rcx, r);
	if (n->rcx == 0 && conf_get(p, G_RBX) != 0x240)
		conf_departs(cv, "leaf 0xD.0 with XCR0 0x3: RBX 0x%" PRIx64
		    ", the XSAVE area of x87 and SSE is 0x240 bytes",
		    conf_get(p, G_RBX));
	else
		conf_conforms(cv);
}

/* Sub-leaves 0 and 1 of leaf 0xD differ on the CPU; so must the answers. */
static void
setup_subleaf(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	send(cr, &naes[N_CPUID_D]);
	send(cr, &naes[N_CPUID_D1]);
}

static void
judge_subleaf(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p0, *p1;
	uint32_t r0[4], r1[4];

	(void)rq;
	if ((p0 = conf_answered(cr, 0, 1, cv)) == NULL ||
	    (p1 = conf_answered(cr, 1, 0, cv)) == NULL)
		return;
	seam_cpuid(0xd, 0, r0);
	seam_cpuid(0xd, 1, r1);
	if (r0[0] == r1[0] && r0[1] == r1[1]) {
		conf_untestable(cv, "the CPU's leaf 0xD sub-leaves 0 and 1 "
		    "agree (EAX 0x%x, EBX 0x%x)", r0[0], r0[1]);
		return;
	}
	if (conf_get(p0, G_RAX) == conf_get(p1, G_RAX) &&
	    conf_get(p0, G_RBX) == conf_get(p1, G_RBX))
		conf_departs(cv, "sub-leaves 0 and 1 of leaf 0xD got one "
		    "answer (RAX 0x%" PRIx64 ", RBX 0x%" PRIx64 "): RCX "
		    "ignored", conf_get(p0, G_RAX), conf_get(p0, G_RBX));
	else
		conf_conforms(cv);
}

/* Write PAT, then read it back. */
static void
setup_wrmsr_rdmsr(const struct conf_req *rq, struct conf_run *cr)
{
	send(cr, &naes[rq->rq_arg]);
	send(cr, &naes[N_RDMSR]);
}

static void
judge_wrmsr_rdmsr(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const struct nae *n = &naes[rq->rq_arg];
	const uint8_t *p;

	if (conf_answered(cr, 0, 0, cv) == NULL ||
	    (p = conf_answered(cr, 1, 0, cv)) == NULL)
		return;
	if ((uint32_t)conf_get(p, G_RAX) != n->rax ||
	    (uint32_t)conf_get(p, G_RDX) != n->rdx)
		conf_departs(cv, "PAT written 0x%08" PRIx64 "%08" PRIx64
		    ", read back 0x%08" PRIx64 "%08" PRIx64, n->rdx, n->rax,
		    conf_get(p, G_RDX) & 0xffffffff,
		    conf_get(p, G_RAX) & 0xffffffff);
	else
		conf_conforms(cv);
}

static void
setup_ap_hold(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_ghcb(cr, AP_RESET_HOLD, 0, 0);
}

static void
judge_ap_hold(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if ((p = conf_answered(cr, 0, 0, cv)) == NULL)
		return;
	if (conf_get(p, G_EXITINFO2) == 0)
		conf_departs(cv, "the guest ran on with sw_exitinfo2 0: not "
		    "released");
	else
		conf_conforms(cv);
}

#define JUMP_TABLE_GPA	0xabc000ULL

static void
setup_jump_table(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_ghcb(cr, AP_JUMP_TABLE, 0, JUMP_TABLE_GPA);
	conf_ghcb(cr, AP_JUMP_TABLE, 1, 0);
}

static void
judge_jump_table(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if (conf_answered(cr, 0, 0, cv) == NULL ||
	    (p = conf_answered(cr, 1, 0, cv)) == NULL)
		return;
	if (conf_get(p, G_EXITINFO2) != JUMP_TABLE_GPA)
		conf_departs(cv, "SET 0x%llx then GET gave 0x%" PRIx64,
		    (unsigned long long)JUMP_TABLE_GPA,
		    conf_get(p, G_EXITINFO2));
	else
		conf_conforms(cv);
}

static void
setup_jump_table_bad(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_ghcb(cr, AP_JUMP_TABLE, 2, 0);
}

static void
setup_hv_features(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s = conf_ghcb(cr, HV_FEATURES, 0, 0);
	uint16_t version = 2;

	(void)rq;
	memcpy(s->cs_send + G_VERSION, &version, 2);
}

static void
judge_hv_features(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if ((p = conf_answered(cr, 0, 0, cv)) == NULL)
		return;
	if (conf_get(p, G_EXITINFO2) & 1)
		conf_departs(cv, "sw_exitinfo2 0x%" PRIx64 " claims SEV-SNP",
		    conf_get(p, G_EXITINFO2));
	else
		conf_conforms(cv);
}

static void
setup_unsupported(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_ghcb(cr, UNSUPPORTED, 0x72, 0x1234);
}

/* The guest says it cannot go on: it must not be resumed as served. */
static void
judge_unsupported(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const struct conf_step *s = &cr->cr_step[0];

	(void)rq;
	if (s->cs_resumed && (conf_get(s->cs_back, G_EXITINFO1) &
	    0xffffffff) == 0)
		conf_departs(cv, "answered with success: the guest runs on "
		    "past an event it reported it cannot handle");
	else if (!s->cs_resumed && cr->cr_stop != RUN_ERROR)
		conf_departs(cv, "the run ended %s: %s",
		    run_stop_name(cr->cr_stop), cr->cr_reason);
	else
		conf_conforms(cv);
}

const struct conf_req conf_reqs_nae[] = {
	{ "nae.cpuid", "NAE CPUID", "CPUID returns RAX, RBX, RCX, RDX, marked "
	    "valid", setup_nae, judge_outputs, N_CPUID },
	{ "nae.cpuid.needs_rax", "NAE CPUID", "CPUID without RAX marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_CPUID_NO_RAX },
	{ "nae.cpuid.needs_rcx", "NAE CPUID", "CPUID without RCX (sub-leaf) "
	    "marked valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_CPUID_NO_RCX },
	{ "nae.cpuid.d_needs_xcr0", "NAE CPUID", "CPUID leaf 0xD without XCR0 "
	    "marked valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_CPUID_D_NO_XCR0 },
	{ "nae.cpuid.d_uses_xcr0", "NAE CPUID", "CPUID leaf 0xD.0 sizes the "
	    "XSAVE area for the guest's XCR0, not the host's", setup_nae,
	    judge_cpuid_d, N_CPUID_D },
	{ "nae.cpuid.subleaf", "NAE CPUID", "CPUID takes the sub-leaf from "
	    "RCX: leaf 0xD sub-leaves 0 and 1 differ", setup_subleaf,
	    judge_subleaf, 0 },
	{ "nae.rdtsc", "NAE events", "RDTSC returns RAX and RDX, marked valid",
	    setup_nae, judge_outputs, N_RDTSC },
	{ "nae.rdtscp", "NAE events", "RDTSCP returns RAX, RCX and RDX, "
	    "marked valid", setup_nae, judge_outputs, N_RDTSCP },
	{ "nae.rdpmc", "NAE events", "RDPMC returns RAX and RDX, marked valid",
	    setup_nae, judge_outputs, N_RDPMC },
	{ "nae.rdpmc.needs_rcx", "NAE events", "RDPMC without RCX marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_RDPMC_NO_RCX },
	{ "nae.rdmsr", "NAE events", "RDMSR returns RAX and RDX, marked valid",
	    setup_nae, judge_outputs, N_RDMSR },
	{ "nae.rdmsr.needs_rcx", "NAE events", "RDMSR without RCX marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_RDMSR_NO_RCX },
	{ "nae.wrmsr.needs_rdx", "NAE events", "WRMSR without RDX marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_WRMSR_NO_RDX },
	{ "nae.wrmsr.needs_rax", "NAE events", "WRMSR without RAX marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_WRMSR_NO_RAX },
	{ "nae.wrmsr.then_rdmsr", "NAE events", "WRMSR of PAT, then RDMSR, "
	    "reads back what was written", setup_wrmsr_rdmsr, judge_wrmsr_rdmsr,
	    N_WRMSR },
	{ "nae.dr7_read", "NAE events", "DR7 read returns RAX, marked valid",
	    setup_nae, judge_outputs, N_DR7_READ },
	{ "nae.dr7_write.needs_rax", "NAE events", "DR7 write without RAX "
	    "marked valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_DR7_WRITE_NO_RAX },
	{ "nae.vmmcall", "NAE events", "VMMCALL returns RAX, marked valid",
	    setup_nae, judge_outputs, N_VMMCALL },
	{ "nae.vmmcall.needs_cpl", "NAE events", "VMMCALL without CPL marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_VMMCALL_NO_CPL },
	{ "nae.monitor.needs_rdx", "NAE events", "MONITOR without RDX marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_MONITOR_NO_RDX },
	{ "nae.mwait.needs_rcx", "NAE events", "MWAIT without RCX marked "
	    "valid: refused, reason 4", setup_nae, conf_judge_missing,
	    N_MWAIT_NO_RCX },
	{ "nae.wbinvd", "NAE events", "WBINVD is answered with success",
	    setup_nae, judge_outputs, N_WBINVD },
	{ "nae.ap_reset_hold", "NAE AP reset hold", "AP reset hold is "
	    "answered with a non-zero sw_exitinfo2 once released",
	    setup_ap_hold, judge_ap_hold, 0 },
	{ "nae.ap_jump_table", "NAE AP jump table", "AP jump table SET keeps "
	    "the GPA, GET returns it in sw_exitinfo2", setup_jump_table,
	    judge_jump_table, 0 },
	{ "nae.ap_jump_table.bad_function", "NAE AP jump table", "AP jump "
	    "table sub-function 2: refused, reason 5 (invalid input)",
	    setup_jump_table_bad, conf_judge_refused, GHCB_ERR_INVALID_INPUT },
	{ "nae.hv_features", "NAE HV features", "hypervisor feature support "
	    "(version 2) is answered, SNP not claimed", setup_hv_features,
	    judge_hv_features, 0 },
	{ "nae.unsupported_event", "NAE unsupported event", "an unsupported "
	    "event report is not answered as served: the VM stops or the "
	    "guest is told", setup_unsupported, judge_unsupported, 0 },
};
const size_t conf_nreqs_nae = sizeof(conf_reqs_nae) / sizeof(conf_reqs_nae[0]);
