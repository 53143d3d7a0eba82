/*
 * ghcb_rules.c - the hypervisor's side of the GHCB specification
 * (AMD 56421, standard format, SEV-ES), as checkable rules.
 */
#include <stddef.h>
#include <string.h>

#include "ghcb_rules.h"

static const struct {
	unsigned int	 f_bit;
	unsigned int	 f_off;
	const char	*f_name;
} fields[GR_NFIELDS] = {
	{ GR_RAX,	GR_OFF_RAX,	"RAX" },
	{ GR_RBX,	GR_OFF_RBX,	"RBX" },
	{ GR_RCX,	GR_OFF_RCX,	"RCX" },
	{ GR_RDX,	GR_OFF_RDX,	"RDX" },
	{ GR_CPL,	GR_OFF_CPL,	"CPL" },
	{ GR_XCR0,	GR_OFF_XCR0,	"XCR0" },
	{ GR_SCRATCH,	GR_OFF_SCRATCH,	"SW_SCRATCH" },
};

unsigned int
gr_field_off(unsigned int field)
{
	int i;

	for (i = 0; i < GR_NFIELDS; i++)
		if (fields[i].f_bit == field)
			return (fields[i].f_off);
	return (0);
}

const char *
gr_field_name(unsigned int field)
{
	int i;

	for (i = 0; i < GR_NFIELDS; i++)
		if (fields[i].f_bit == field)
			return (fields[i].f_name);
	return ("?");
}

uint64_t
gr_field_value(const struct gr_req *rq, unsigned int field)
{
	switch (field) {
	case GR_RAX:
		return (rq->rq_rax);
	case GR_RBX:
		return (rq->rq_rbx);
	case GR_RCX:
		return (rq->rq_rcx);
	case GR_RDX:
		return (rq->rq_rdx);
	case GR_CPL:
		return (rq->rq_cpl);
	case GR_XCR0:
		return (rq->rq_xcr0);
	case GR_SCRATCH:
		return (rq->rq_scratch);
	}
	return (0);
}

/* A valid-bitmap bit covers the quadword holding offset off. */
int
gr_valid(const uint8_t valid[16], unsigned int off)
{
	unsigned int q = off / 8;

	if (q >= 128)
		return (0);
	return ((valid[q / 8] >> (q % 8)) & 1);
}

static uint64_t
get64(const uint8_t *p, unsigned int off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return (v);
}

void
gr_req_from_page(struct gr_req *rq, const uint8_t *page, uint64_t gpa)
{
	memset(rq, 0, sizeof(*rq));
	rq->rq_exitcode = get64(page, GR_OFF_EXITCODE);
	rq->rq_exitinfo1 = get64(page, GR_OFF_EXITINFO1);
	rq->rq_exitinfo2 = get64(page, GR_OFF_EXITINFO2);
	rq->rq_scratch = get64(page, GR_OFF_SCRATCH);
	rq->rq_rax = get64(page, GR_OFF_RAX);
	rq->rq_rbx = get64(page, GR_OFF_RBX);
	rq->rq_rcx = get64(page, GR_OFF_RCX);
	rq->rq_rdx = get64(page, GR_OFF_RDX);
	rq->rq_xcr0 = get64(page, GR_OFF_XCR0);
	rq->rq_cpl = page[GR_OFF_CPL];
	memcpy(rq->rq_valid, page + GR_OFF_VALID, sizeof(rq->rq_valid));
	memcpy(&rq->rq_usage, page + GR_OFF_USAGE, sizeof(rq->rq_usage));
	memcpy(&rq->rq_version, page + GR_OFF_VERSION,
	    sizeof(rq->rq_version));
	rq->rq_gpa = gpa;
}

/*
 * The NAE events of the standard format (56421 table 6 and 7).  A
 * request may fault where the instruction it stands for can: RDMSR and
 * WRMSR, RDPMC, MOV to DR7, VMMCALL, MONITOR and MWAIT.
 */
static const struct gr_event events[] = {
	{ GR_DR7_READ,		"DR7 read",		1, 0 },
	{ GR_DR7_WRITE,		"DR7 write",		1, 1 },
	{ GR_RDTSC,		"RDTSC",		1, 0 },
	{ GR_RDPMC,		"RDPMC",		1, 1 },
	{ GR_CPUID,		"CPUID",		1, 0 },
	{ GR_INVD,		"INVD",			1, 0 },
	{ GR_IOIO,		"IOIO",			1, 0 },
	{ GR_MSR,		"MSR",			1, 1 },
	{ GR_VMMCALL,		"VMMCALL",		1, 1 },
	{ GR_RDTSCP,		"RDTSCP",		1, 0 },
	{ GR_WBINVD,		"WBINVD",		1, 0 },
	{ GR_MONITOR,		"MONITOR",		1, 1 },
	{ GR_MWAIT,		"MWAIT",		1, 1 },
	{ GR_MMIO_READ,		"MMIO read",		1, 0 },
	{ GR_MMIO_WRITE,	"MMIO write",		1, 0 },
	{ GR_NMI_COMPLETE,	"NMI complete",		1, 0 },
	{ GR_AP_RESET_HOLD,	"AP reset hold",	1, 0 },
	{ GR_AP_JUMP_TABLE,	"AP jump table",	1, 0 },
	{ GR_HV_FEATURES,	"hypervisor feature support", 2, 0 },
	{ GR_UNSUPPORTED,	"unsupported event",	1, 0 },
	/*
	 * Not in the specification: intercepts of other instructions a
	 * #VC handler may forward.  HLT can be served; the SVM
	 * instructions fault (#UD) where the hypervisor has no nested
	 * virtualization.
	 */
	{ GR_HLT,		"HLT",			1, 0 },
	{ 0x7a,			"INVLPGA",		1, 1 },
	{ 0x80,			"VMRUN",		1, 1 },
	{ 0x82,			"VMLOAD",		1, 1 },
	{ 0x83,			"VMSAVE",		1, 1 },
	{ 0x84,			"STGI",			1, 1 },
	{ 0x85,			"CLGI",			1, 1 },
	{ 0x86,			"SKINIT",		1, 1 },
	{ 0x88,			"ICEBP",		1, 1 },
	{ 0x8c,			"MWAIT conditional",	1, 1 },
};

const struct gr_event *
gr_event(uint64_t code)
{
	size_t i;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (events[i].ev_code == code)
			return (&events[i]);
	return (NULL);
}

int
gr_ioio_size(uint64_t exitinfo1)
{
	switch (exitinfo1 & (GR_IOIO_SZ8 | GR_IOIO_SZ16 | GR_IOIO_SZ32)) {
	case GR_IOIO_SZ8:
		return (1);
	case GR_IOIO_SZ16:
		return (2);
	case GR_IOIO_SZ32:
		return (4);
	}
	return (0);
}

/* 56421 table 6/7: the state each event hands the hypervisor. */
unsigned int
gr_inputs(const struct gr_req *rq)
{
	switch (rq->rq_exitcode) {
	case GR_DR7_WRITE:
		return (GR_RAX);
	case GR_RDPMC:
		return (GR_RCX);
	case GR_CPUID:
		/* Leaf 0xD sizes the XSAVE area of the guest's XCR0. */
		if ((uint32_t)rq->rq_rax == 0xd)
			return (GR_RAX | GR_RCX | GR_XCR0);
		return (GR_RAX | GR_RCX);
	case GR_IOIO:
		if (rq->rq_exitinfo1 & GR_IOIO_STR)
			return (GR_SCRATCH);
		if (!(rq->rq_exitinfo1 & GR_IOIO_IN))
			return (GR_RAX);
		return (0);
	case GR_MSR:
		if (rq->rq_exitinfo1 == 1)
			return (GR_RAX | GR_RCX | GR_RDX);
		return (GR_RCX);
	case GR_VMMCALL:
		return (GR_RAX | GR_CPL);
	case GR_MONITOR:
		return (GR_RAX | GR_RCX | GR_RDX);
	case GR_MWAIT:
		return (GR_RAX | GR_RCX);
	case GR_MMIO_READ:
	case GR_MMIO_WRITE:
		return (GR_SCRATCH);
	}
	return (0);
}

unsigned int
gr_outputs(const struct gr_req *rq)
{
	switch (rq->rq_exitcode) {
	case GR_DR7_READ:
		return (GR_RAX);
	case GR_RDTSC:
	case GR_RDPMC:
		return (GR_RAX | GR_RDX);
	case GR_CPUID:
		return (GR_RAX | GR_RBX | GR_RCX | GR_RDX);
	case GR_IOIO:
		if ((rq->rq_exitinfo1 & (GR_IOIO_STR | GR_IOIO_IN)) ==
		    GR_IOIO_IN)
			return (GR_RAX);
		return (0);
	case GR_MSR:
		return (rq->rq_exitinfo1 == 0 ? GR_RAX | GR_RDX : 0);
	case GR_VMMCALL:
		return (GR_RAX);
	case GR_RDTSCP:
		return (GR_RAX | GR_RCX | GR_RDX);
	}
	return (0);
}

/*
 * The scratch area: string I/O moves sw_exitinfo2 elements of the
 * operand size (with or without REP: the guest's #VC handler has taken
 * the count from RCX), MMIO sw_exitinfo2 bytes.
 */
void
gr_scratch_area(const struct gr_req *rq, struct gr_scratch *sc)
{
	uint64_t buf = rq->rq_gpa + GR_OFF_SHAREDBUF, count, size;

	memset(sc, 0, sizeof(*sc));
	switch (rq->rq_exitcode) {
	case GR_IOIO:
		if (!(rq->rq_exitinfo1 & GR_IOIO_STR) ||
		    (size = gr_ioio_size(rq->rq_exitinfo1)) == 0 ||
		    (count = rq->rq_exitinfo2) == 0)
			return;
		sc->sc_dir = (rq->rq_exitinfo1 & GR_IOIO_IN) ?
		    GR_SCRATCH_TO_GUEST : GR_SCRATCH_TO_HV;
		sc->sc_len = count > GR_SHAREDBUF_SZ ? GR_SHAREDBUF_SZ + 1 :
		    count * size;
		break;
	case GR_MMIO_READ:
	case GR_MMIO_WRITE:
		if (rq->rq_exitinfo2 == 0 || rq->rq_exitinfo2 > 8)
			return;
		sc->sc_dir = rq->rq_exitcode == GR_MMIO_READ ?
		    GR_SCRATCH_TO_GUEST : GR_SCRATCH_TO_HV;
		sc->sc_len = rq->rq_exitinfo2;
		break;
	default:
		return;
	}
	sc->sc_gpa = rq->rq_scratch;
	sc->sc_inside = sc->sc_len <= GR_SHAREDBUF_SZ &&
	    rq->rq_scratch >= buf &&
	    rq->rq_scratch - buf <= GR_SHAREDBUF_SZ - sc->sc_len;
}

/* Inputs of the event that no hypervisor can serve. */
static unsigned int
invalid_inputs(const struct gr_req *rq)
{
	switch (rq->rq_exitcode) {
	case GR_IOIO:
		if (gr_ioio_size(rq->rq_exitinfo1) == 0)
			return (GR_REASON(GR_ERR_INVALID));
		break;
	case GR_MSR:
		if (rq->rq_exitinfo1 > 1)
			return (GR_REASON(GR_ERR_INVALID));
		break;
	case GR_MMIO_READ:
	case GR_MMIO_WRITE:
		/* vmd moves 1 to 8 bytes; 0 is no access at all. */
		if (rq->rq_exitinfo2 == 0)
			return (GR_REASON(GR_ERR_INVALID));
		if (rq->rq_exitinfo2 > 8)
			return (GR_REASON(GR_ERR_INVALID) |
			    GR_REASON(GR_ERR_SCRATCH));
		break;
	case GR_AP_JUMP_TABLE:
		if (rq->rq_exitinfo1 > 1)
			return (GR_REASON(GR_ERR_INVALID));
		break;
	}
	return (0);
}

unsigned int
gr_refusal_reasons(const struct gr_req *rq, int *must)
{
	const struct gr_event *ev;
	unsigned int reasons = 0, in;
	struct gr_scratch sc;
	int i;

	if (rq->rq_usage != 0)
		reasons |= GR_REASON(GR_ERR_USAGE);
	if (!gr_valid(rq->rq_valid, GR_OFF_EXITCODE) ||
	    !gr_valid(rq->rq_valid, GR_OFF_EXITINFO1) ||
	    !gr_valid(rq->rq_valid, GR_OFF_EXITINFO2)) {
		/* Nothing else of the request can be judged. */
		*must = 1;
		return (reasons | GR_REASON(GR_ERR_MISSING));
	}
	if ((ev = gr_event(rq->rq_exitcode)) == NULL) {
		*must = 1;
		return (reasons | GR_REASON(GR_ERR_EVENT));
	}
	/* An event newer than the version the GHCB says it speaks. */
	if (rq->rq_version >= 1 && rq->rq_version < ev->ev_version)
		reasons |= GR_REASON(GR_ERR_EVENT);
	in = gr_inputs(rq);
	for (i = 0; i < GR_NFIELDS; i++)
		if ((in & fields[i].f_bit) &&
		    !gr_valid(rq->rq_valid, fields[i].f_off))
			reasons |= GR_REASON(GR_ERR_MISSING);
	reasons |= invalid_inputs(rq);
	gr_scratch_area(rq, &sc);
	if ((in & GR_SCRATCH) && gr_valid(rq->rq_valid, GR_OFF_SCRATCH) &&
	    sc.sc_dir != GR_SCRATCH_NONE && !sc.sc_inside)
		reasons |= GR_REASON(GR_ERR_SCRATCH);
	if (reasons != 0) {
		*must = 1;
		return (reasons);
	}
	*must = 0;
	return (GR_REASON(GR_ERR_INVALID) | GR_REASON(GR_ERR_EVENT));
}

/* Event injection format (APM vol. 2, 15.20): vector, type, EV, V. */
const char *
gr_event_inj_problem(uint64_t e)
{
	unsigned int vector = e & 0xff, type = (e >> 8) & 7;
	int ev = (e >> 11) & 1, has_code;

	if (!(e & (1ULL << 31)))
		return ("the valid bit (31) is clear");
	if (type != 3)
		return ("its type is not an exception (3)");
	if (vector >= 32)
		return ("its vector is not an exception's");
	if (e & 0x7fff0000ULL)
		return ("reserved bits 30:16 are set");
	has_code = vector == 8 || (vector >= 10 && vector <= 14) ||
	    vector == 17 || vector == 21;
	if (ev != has_code)
		return (has_code ? "the exception has an error code, EV is clear" :
		    "the exception has no error code, EV is set");
	if (!ev && (e >> 32) != 0)
		return ("an error code without EV");
	return (NULL);
}

/* 56421 section 2.3.1: response codes and their reserved bits. */
static const struct {
	unsigned int	 mp_req;
	unsigned int	 mp_resp;
	uint64_t	 mp_reserved;
	const char	*mp_name;
} msrproto[] = {
	{ 0x002, 0x001, 0x0000000000fff000ULL, "SEV information" },
	{ 0x004, 0x005, 0x000000003ffff000ULL, "CPUID" },
	{ 0x006, 0x007, 0, "AP reset hold" },
	{ 0x010, 0x011, 0, "preferred GHCB GPA" },
	{ 0x012, 0x013, 0, "GHCB GPA registration" },
	{ 0x080, 0x081, 0, "hypervisor feature support" },
};

int
gr_msrproto_response(unsigned int req, unsigned int *resp,
    uint64_t *reserved, const char **name)
{
	size_t i;

	for (i = 0; i < sizeof(msrproto) / sizeof(msrproto[0]); i++) {
		if (msrproto[i].mp_req != req)
			continue;
		*resp = msrproto[i].mp_resp;
		*reserved = msrproto[i].mp_reserved;
		*name = msrproto[i].mp_name;
		return (1);
	}
	return (0);
}
