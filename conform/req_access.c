/*
 * req_access.c - how the handler touches the GHCB page while it serves
 * a request, from the GHCB access log (emu/ghcb_access.c): each kind of
 * finding is a requirement, measured over a run of common requests.
 */
#include <string.h>

#include "conform.h"

/*
 * CPUID, RDMSR, IN, OUT, MMIO write and REP OUTSB, each in page 0; the
 * ones a handler serves least often come last, so that a handler that
 * stops the VM on one still shows how it handled the others.
 */
static void
setup_mix(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s;

	(void)rq;
	s = conf_ghcb(cr, 0x72, 0, 0);
	conf_set(s, G_RAX, 0);
	conf_set(s, G_RCX, 0);
	s = conf_ghcb(cr, 0x7c, 0, 0);
	conf_set(s, G_RCX, 0x277);
	conf_ghcb(cr, 0x7b, (0x3fdULL << 16) | 0x200 | 0x10 | 0x1, 0);
	s = conf_ghcb(cr, 0x7b, (0x3f8ULL << 16) | 0x200 | 0x10, 0);
	conf_set(s, G_RAX, 'x');
	s = conf_ghcb(cr, 0x80000002ULL, cr->cr_mmio, 8);
	conf_set(s, G_SCRATCH, cr->cr_ghcb[0] + G_SHARED);
	memset(s->cs_send + G_SHARED, 0x5a, 8);
	s = conf_ghcb(cr, 0x7b, (0x3f8ULL << 16) | 0x200 | 0x10 | 0x4 | 0x8,
	    2);
	conf_set(s, G_SCRATCH, cr->cr_ghcb[0] + G_SHARED);
	memcpy(s->cs_send + G_SHARED, "yz", 2);
}

static void
judge_kind(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	if (conf_answered(cr, 0, 1, cv) == NULL &&
	    cr->cr_access[rq->rq_arg] == 0)
		return;
	if (cr->cr_access[rq->rq_arg] != 0)
		conf_departs(cv, "%s (%u exit%s)",
		    cr->cr_access_text[rq->rq_arg], cr->cr_access[rq->rq_arg],
		    cr->cr_access[rq->rq_arg] == 1 ? "" : "s");
	else
		conf_conforms(cv);
}

const struct conf_req conf_reqs_access[] = {
	{ "access.no_double_fetch", "GHCB page", "the handler reads each GHCB "
	    "field at most once per exit (CVE-2023-4155)", setup_mix,
	    judge_kind, GA_DOUBLE_FETCH },
	{ "access.reads_only_valid", "GHCB page", "the handler reads no "
	    "save-area field the guest did not mark valid", setup_mix,
	    judge_kind, GA_READ_NOT_VALID },
	{ "access.writes_only_returned", "GHCB page", "the handler writes "
	    "only the save-area fields its answer marks valid", setup_mix,
	    judge_kind, GA_WRITE_NOT_RETURNED },
	{ "access.valid_bitmap_16", "GHCB page", "the handler writes nothing "
	    "between the 16-byte valid bitmap and the shared buffer", setup_mix,
	    judge_kind, GA_WRITE_PAST_BITMAP },
	{ "access.no_read_after_answer", "GHCB page", "the handler reads "
	    "nothing of the GHCB once it started writing its answer", setup_mix,
	    judge_kind, GA_READ_AFTER_ANSWER },
};
const size_t conf_nreqs_access =
    sizeof(conf_reqs_access) / sizeof(conf_reqs_access[0]);
