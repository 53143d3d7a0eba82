/*
 * req_race.c - the racing guest: a second vCPU rewrites a GHCB field
 * right after the handler's first read of it (emu/ghcb_access.c).  A
 * handler that took its copy of the request conforms; one whose
 * answer follows the rewritten value read the field again and departs.
 */
#include <inttypes.h>
#include <string.h>

#include "conform.h"
#include "seam.h"

#define EXIT_CPUID	0x72ULL
#define EXIT_IOIO	0x7bULL
#define EXIT_VMGEXIT	0x403ULL

/*
 * CPUID leaf 0 twice: as it is, then with the racing vCPU rewriting
 * what rq_arg names.  The first answer says the handler serves the
 * request at all.
 */
#define RACE_EXITCODE	0
#define RACE_LEAF	1
#define RACE_INFO1	2

static void
cpuid0(struct conf_run *cr)
{
	struct conf_step *s = conf_ghcb(cr, EXIT_CPUID, 0, 0);

	conf_set(s, G_RAX, 0);
	conf_set(s, G_RCX, 0);
}

static void
setup_cpuid(const struct conf_req *rq, struct conf_run *cr)
{
	cpuid0(cr);
	cpuid0(cr);
	switch (rq->rq_arg) {
	case RACE_EXITCODE:
		conf_race(cr, G_EXITCODE, EXIT_VMGEXIT);
		break;
	case RACE_LEAF:
		conf_race(cr, G_RAX, 0x80000000ULL);
		break;
	case RACE_INFO1:
		conf_race(cr, G_EXITINFO1, 0xffffffffffffffffULL);
		break;
	}
}

static void
judge_cpuid(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	static const unsigned int off[4] = { G_RAX, G_RBX, G_RCX, G_RDX };
	const uint8_t *p;
	uint32_t r[4];
	int i;

	(void)rq;
	if (conf_answered(cr, 0, 1, cv) == NULL)
		return;
	if (cr->cr_raced == 0 && cr->cr_step[1].cs_resumed) {
		conf_untestable(cv, "the handler never read the field the "
		    "racing vCPU rewrites");
		return;
	}
	if ((p = conf_answered(cr, 1, 0, cv)) == NULL)
		return;
	seam_cpuid(0, 0, r);
	for (i = 1; i < 4; i++) {
		if (!conf_valid(p, off[i]) ||
		    (uint32_t)conf_get(p, off[i]) != r[i]) {
			conf_departs(cv, "after the race the answer's register "
			    "%d is 0x%" PRIx64 "%s, CPUID leaf 0 has 0x%x", i,
			    conf_get(p, off[i]), conf_valid(p, off[i]) ? "" :
			    " (not valid)", r[i]);
			return;
		}
	}
	conf_conforms(cv);
}

/* REP OUTSB "abcd" twice; in the second, sw_scratch is moved away. */
static void
outsb(struct conf_run *cr)
{
	struct conf_step *s;

	s = conf_ghcb(cr, EXIT_IOIO, (0x3f8ULL << 16) | 0x200 | 0x10 | 0x4 |
	    0x8, 4);
	conf_set(s, G_SCRATCH, cr->cr_ghcb[0] + G_SHARED);
	conf_set(s, G_RAX, 0);
	memcpy(s->cs_send + G_SHARED, "abcd", 4);
	memcpy(s->cs_send + 0x100, "WXYZ", 4);
}

static void
setup_scratch(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	outsb(cr);
	outsb(cr);
	conf_race(cr, G_SCRATCH, cr->cr_ghcb[0] + 0x100);
	conf_race(cr, G_EXITINFO2, 0x7f0);
}

static void
judge_scratch(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	if (conf_answered(cr, 0, 1, cv) == NULL)
		return;
	if (cr->cr_serial_len < 4 || memcmp(cr->cr_serial, "abcd", 4) != 0) {
		conf_untestable(cv, "the handler does not serve REP OUTSB "
		    "even without a race: COM1 got %zu bytes in all, not "
		    "\"abcd\" first", cr->cr_serial_len);
		return;
	}
	if (cr->cr_raced == 0 && cr->cr_step[1].cs_resumed) {
		conf_untestable(cv, "the handler never read sw_scratch or "
		    "sw_exitinfo2");
		return;
	}
	if (conf_answered(cr, 1, 0, cv) == NULL)
		return;
	if (cr->cr_serial_len != 8 || memcmp(cr->cr_serial, "abcdabcd",
	    8) != 0)
		conf_departs(cv, "after the race COM1 got %zu bytes \"%.*s\", "
		    "not \"abcdabcd\"", cr->cr_serial_len,
		    (int)(cr->cr_serial_len < 16 ? cr->cr_serial_len : 16),
		    cr->cr_serial);
	else
		conf_conforms(cv);
}

const struct conf_req conf_reqs_race[] = {
	{ "race.exitcode", "GHCB page", "sw_exitcode rewritten to VMGEXIT "
	    "after the handler read it: CPUID is still what is served",
	    setup_cpuid, judge_cpuid, RACE_EXITCODE },
	{ "race.cpuid_leaf", "GHCB page", "RAX rewritten after the handler "
	    "read it: the leaf first read is the one answered", setup_cpuid,
	    judge_cpuid, RACE_LEAF },
	{ "race.exitinfo1", "GHCB page", "sw_exitinfo1 rewritten to all "
	    "ones after the handler read it: the request is still served",
	    setup_cpuid, judge_cpuid, RACE_INFO1 },
	{ "race.scratch", "scratch area", "sw_scratch and the count "
	    "rewritten after the handler read them: the checked area is "
	    "the one used", setup_scratch, judge_scratch, 0 },
};
const size_t conf_nreqs_race =
    sizeof(conf_reqs_race) / sizeof(conf_reqs_race[0]);
