/*
 * req_msr.c - the GHCB MSR protocol (AMD 56421): each request
 * the hypervisor answers in the GHCB MSR itself.
 */
#include <inttypes.h>
#include <string.h>

#include "conform.h"
#include "seam.h"

#define SEV_INFO_REQ	0x002ULL
#define CPUID_REQ	0x004ULL
#define AP_HOLD_REQ	0x006ULL
#define PREF_GPA_REQ	0x010ULL
#define REG_GPA_REQ	0x012ULL
#define HV_FEAT_REQ	0x080ULL
#define TERM_REQ	0x100ULL
#define GFN_NONE	0xfffffffffffffULL

static void
setup_one(const struct conf_req *rq, struct conf_run *cr)
{
	conf_msr(cr, rq->rq_arg);
}

static uint64_t
cpuid_req(uint32_t leaf, int reg)
{
	return (((uint64_t)leaf << 32) | ((uint64_t)reg << 30) | CPUID_REQ);
}

/* The four registers of a leaf, then the same leaf through the GHCB. */
static void
setup_cpuid_regs(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s;
	int reg;

	for (reg = 0; reg < 4; reg++)
		conf_msr(cr, cpuid_req((uint32_t)rq->rq_arg, reg));
	s = conf_ghcb(cr, 0x72, 0, 0);
	conf_set(s, G_RAX, rq->rq_arg);
	conf_set(s, G_RCX, 0);
}

static void
setup_register(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_msr(cr, cr->cr_ghcb[0] | REG_GPA_REQ);
}

/* Step k's answer, or 0 with the verdict set if there was none. */
static int
msr_answer(const struct conf_run *cr, int k, uint64_t *v,
    struct conf_result *cv)
{
	char stop[600];

	if (!cr->cr_step[k].cs_resumed) {
		conf_describe_stop(cr, stop, sizeof(stop));
		conf_departs(cv, "request 0x%03" PRIx64 " never answered: %s",
		    cr->cr_step[k].cs_msr & 0xfff, stop);
		return (0);
	}
	*v = cr->cr_step[k].cs_msr_after;
	return (1);
}

/* The answer's code is rq_arg's request + 1. */
static int
msr_code(const struct conf_run *cr, int k, uint64_t *v,
    struct conf_result *cv)
{
	uint64_t want = (cr->cr_step[k].cs_msr & 0xfff) + 1;

	/* SEV information is the one answer whose code is not request + 1. */
	if ((cr->cr_step[k].cs_msr & 0xfff) == SEV_INFO_REQ)
		want = 0x001;

	if (!msr_answer(cr, k, v, cv))
		return (0);
	if ((*v & 0xfff) != want) {
		conf_departs(cv, "request 0x%03" PRIx64 " answered 0x%016"
		    PRIx64 ": code 0x%03" PRIx64 ", not 0x%03" PRIx64,
		    cr->cr_step[k].cs_msr & 0xfff, *v, *v & 0xfff, want);
		return (0);
	}
	return (1);
}

static void
judge_code(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v;

	(void)rq;
	if (msr_code(cr, 0, &v, cv))
		conf_conforms(cv);
}

static void
judge_sev_info(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v, max, min;

	(void)rq;
	if (!msr_code(cr, 0, &v, cv))
		return;
	max = v >> 48;
	min = (v >> 32) & 0xffff;
	if (min < 1 || min > max || min > 2)
		conf_departs(cv, "answer 0x%016" PRIx64 ": protocol versions "
		    "%" PRIu64 " to %" PRIu64, v, min, max);
	else
		conf_conforms(cv);
}

static void
judge_sev_info_cbit(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint32_t r[4];
	uint64_t v;

	(void)rq;
	if (!msr_code(cr, 0, &v, cv))
		return;
	seam_cpuid(0x8000001f, 0, r);
	if (((v >> 24) & 0xff) != (r[1] & 0x3f))
		conf_departs(cv, "answer 0x%016" PRIx64 ": C-bit %" PRIu64
		    ", CPUID 0x8000001F says %u", v, (v >> 24) & 0xff,
		    r[1] & 0x3f);
	else
		conf_conforms(cv);
}

static void
judge_sev_info_rsvd(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v;

	(void)rq;
	if (!msr_code(cr, 0, &v, cv))
		return;
	if (v & 0xfff000)
		conf_departs(cv, "answer 0x%016" PRIx64 ": bits 23:12 are "
		    "0x%" PRIx64, v, (v >> 12) & 0xfff);
	else
		conf_conforms(cv);
}

/*
 * The MSR protocol and the GHCB page give one answer for a leaf (the
 * handler may hide features, but not differently on the two paths).
 */
static void
judge_cpuid_regs(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	static const unsigned int off[4] = { G_RAX, G_RBX, G_RCX, G_RDX };
	const uint8_t *p;
	uint64_t v;
	int reg;

	for (reg = 0; reg < 4; reg++)
		if (!msr_code(cr, reg, &v, cv))
			return;
	if ((p = conf_answered(cr, 4, 1, cv)) == NULL)
		return;
	for (reg = 0; reg < 4; reg++) {
		v = cr->cr_step[reg].cs_msr_after;
		if ((v >> 32) != (uint32_t)conf_get(p, off[reg])) {
			conf_departs(cv, "leaf 0x%" PRIx64 " register %d: MSR "
			    "protocol 0x%08" PRIx64 ", GHCB page 0x%08" PRIx64,
			    rq->rq_arg, reg, v >> 32,
			    conf_get(p, off[reg]) & 0xffffffff);
			return;
		}
	}
	conf_conforms(cv);
}

static void
judge_cpuid_echo(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v;
	int reg;

	(void)rq;
	for (reg = 0; reg < 4; reg++) {
		if (!msr_code(cr, reg, &v, cv))
			return;
		if (((v >> 30) & 3) != (uint64_t)reg) {
			conf_departs(cv, "register %d asked, answer 0x%016"
			    PRIx64 " names register %" PRIu64, reg, v,
			    (v >> 30) & 3);
			return;
		}
		if (v & 0x3ffff000) {
			conf_departs(cv, "answer 0x%016" PRIx64 ": reserved "
			    "bits 29:12 are 0x%" PRIx64, v,
			    (v >> 12) & 0x3ffff);
			return;
		}
	}
	conf_conforms(cv);
}

static void
judge_pref_gpa(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v;

	(void)rq;
	if (!msr_code(cr, 0, &v, cv))
		return;
	/* All ones (no preference) or a page of guest RAM. */
	if ((v >> 12) != GFN_NONE && (v >> 12) >= (RUNNER_DEFAULT_MEM >> 12))
		conf_departs(cv, "answer 0x%016" PRIx64 ": GFN 0x%" PRIx64
		    " is neither all ones nor guest RAM", v, v >> 12);
	else
		conf_conforms(cv);
}

static void
judge_register(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v, gfn = cr->cr_ghcb[0] >> 12;

	(void)rq;
	if (!msr_code(cr, 0, &v, cv))
		return;
	if ((v >> 12) != gfn && (v >> 12) != GFN_NONE)
		conf_departs(cv, "registering GFN 0x%" PRIx64 " answered with "
		    "GFN 0x%" PRIx64 ", neither it nor all ones", gfn,
		    v >> 12);
	else
		conf_conforms(cv);
}

static void
judge_ap_hold(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v;

	(void)rq;
	if (!msr_code(cr, 0, &v, cv))
		return;
	if ((v >> 12) == 0)
		conf_departs(cv, "answer 0x%016" PRIx64 ": bits 63:12 are 0, "
		    "the vCPU is not released, yet it ran on", v);
	else
		conf_conforms(cv);
}

static void
judge_hv_features(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	uint64_t v;

	(void)rq;
	if (!msr_code(cr, 0, &v, cv))
		return;
	/* Bit 0 is SEV-SNP, which no SEV-ES host may claim here. */
	if ((v >> 12) & 1)
		conf_departs(cv, "answer 0x%016" PRIx64 " claims SEV-SNP", v);
	else
		conf_conforms(cv);
}

/* An unknown request: no answer that looks like one to another. */
static void
judge_unknown(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const struct conf_step *s = &cr->cr_step[0];

	(void)rq;
	if (!s->cs_resumed) {
		if (cr->cr_stop == RUN_ERROR || cr->cr_stop == RUN_TERMINATED)
			conf_conforms(cv);
		else
			conf_departs(cv, "the run ended %s",
			    run_stop_name(cr->cr_stop));
		return;
	}
	if (s->cs_msr_after != s->cs_msr)
		conf_departs(cv, "request 0x%016" PRIx64 " answered 0x%016"
		    PRIx64, s->cs_msr, s->cs_msr_after);
	else
		conf_conforms(cv);
}

static void
judge_terminate(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	char stop[600];

	(void)rq;
	if (cr->cr_step[0].cs_resumed) {
		conf_departs(cv, "the guest ran on after its termination "
		    "request");
		return;
	}
	if (cr->cr_stop != RUN_TERMINATED) {
		conf_describe_stop(cr, stop, sizeof(stop));
		conf_departs(cv, "not ended as terminated: %s", stop);
		return;
	}
	if (cr->cr_term_set != 1 || cr->cr_term_code != 0x2a)
		conf_departs(cv, "terminated with reason set %u code 0x%x, the "
		    "guest gave set 1 code 0x2a", cr->cr_term_set,
		    cr->cr_term_code);
	else
		conf_conforms(cv);
}

const struct conf_req conf_reqs_msr[] = {
	{ "msr.sev_info.code", "MSR protocol", "SEV information request "
	    "(0x002) is answered with code 0x001", setup_one, judge_code,
	    SEV_INFO_REQ },
	{ "msr.sev_info.versions", "MSR protocol", "SEV information gives "
	    "protocol versions min <= max with min 1 or 2", setup_one,
	    judge_sev_info, SEV_INFO_REQ },
	{ "msr.sev_info.cbit", "MSR protocol", "SEV information's C-bit "
	    "position (31:24) is CPUID 0x8000001F EBX[5:0]", setup_one,
	    judge_sev_info_cbit, SEV_INFO_REQ },
	{ "msr.sev_info.reserved", "MSR protocol", "SEV information's bits "
	    "23:12 are zero", setup_one, judge_sev_info_rsvd, SEV_INFO_REQ },
	{ "msr.cpuid.values", "MSR protocol", "CPUID request (0x004) gives "
	    "leaf 0's registers in 63:32, as the GHCB page does",
	    setup_cpuid_regs, judge_cpuid_regs, 0 },
	{ "msr.cpuid.extended", "MSR protocol", "CPUID request gives leaf "
	    "0x80000000's registers, as the GHCB page does", setup_cpuid_regs,
	    judge_cpuid_regs, 0x80000000 },
	{ "msr.cpuid.echo", "MSR protocol", "CPUID response (0x005) echoes "
	    "the register selector (31:30), bits 29:12 zero", setup_cpuid_regs,
	    judge_cpuid_echo, 0 },
	{ "msr.ap_reset_hold", "MSR protocol", "AP reset hold request (0x006) "
	    "is answered 0x007 with a non-zero release value", setup_one,
	    judge_ap_hold, AP_HOLD_REQ },
	{ "msr.preferred_gpa", "MSR protocol", "preferred GHCB GPA request "
	    "(0x010) is answered 0x011 with all ones or a GFN of RAM",
	    setup_one, judge_pref_gpa, PREF_GPA_REQ },
	{ "msr.register_gpa", "MSR protocol", "GHCB GPA registration (0x012) "
	    "is answered 0x013 with the GFN or all ones", setup_register,
	    judge_register, 0 },
	{ "msr.hv_features", "MSR protocol", "hypervisor feature support "
	    "(0x080) is answered 0x081, SNP not claimed", setup_one,
	    judge_hv_features, HV_FEAT_REQ },
	{ "msr.unknown", "MSR protocol", "an unknown request (0x0fe) gets no "
	    "answer of another request: MSR unchanged, or the VM stops",
	    setup_one, judge_unknown, 0xfe },
	{ "msr.terminate", "MSR protocol", "termination request (0x100) ends "
	    "the guest with its reason set and code", setup_one,
	    judge_terminate, TERM_REQ | (1ULL << 12) | (0x2aULL << 16) },
};
const size_t conf_nreqs_msr = sizeof(conf_reqs_msr) / sizeof(conf_reqs_msr[0]);
