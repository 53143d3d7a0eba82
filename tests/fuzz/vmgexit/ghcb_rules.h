/*
 * ghcb_rules.h - what the GHCB specification (AMD 56421) asks of a
 * hypervisor, as data and small functions over a request and its
 * answer.  No vmm, kernel or emulator types: any checker (the fuzz
 * oracle, a conformance report, a test) can hold a request and an answer
 * against these rules.
 *
 * A request is what the guest left in its GHCB page (the fields of the
 * standard format), or an MSR-protocol value.  The rules say which
 * fields a request takes and which an answer carries, where its scratch
 * area lies, when it must be refused and for which reasons, and which
 * MSR-protocol response belongs to which request.
 */
#ifndef SEVEMU_GHCB_RULES_H
#define SEVEMU_GHCB_RULES_H

#include <stdint.h>

/* GHCB page offsets of the standard format's fields. */
#define GR_OFF_CPL		0x0cb
#define GR_OFF_XSS		0x140
#define GR_OFF_DR7		0x160
#define GR_OFF_RAX		0x1f8
#define GR_OFF_RCX		0x308
#define GR_OFF_RDX		0x310
#define GR_OFF_RBX		0x318
#define GR_OFF_EXITCODE		0x390
#define GR_OFF_EXITINFO1	0x398
#define GR_OFF_EXITINFO2	0x3a0
#define GR_OFF_SCRATCH		0x3a8
#define GR_OFF_XCR0		0x3e8
#define GR_OFF_VALID		0x3f0	/* 16 bytes, one bit a quadword */
#define GR_OFF_SAVE_END		0x3f0
#define GR_OFF_SHAREDBUF	0x800
#define GR_SHAREDBUF_SZ		0x7f0
#define GR_OFF_VERSION		0xffa
#define GR_OFF_USAGE		0xffc
#define GR_PAGE			4096

/* Fields, as bits of a set. */
#define GR_RAX		0x001
#define GR_RBX		0x002
#define GR_RCX		0x004
#define GR_RDX		0x008
#define GR_CPL		0x010
#define GR_XCR0		0x020
#define GR_SCRATCH	0x040	/* sw_scratch */
#define GR_NFIELDS	7

/* Refusal reasons (sw_exitinfo2 when sw_exitinfo1 is 2). */
#define GR_ERR_USAGE		2
#define GR_ERR_SCRATCH		3
#define GR_ERR_MISSING		4
#define GR_ERR_INVALID		5
#define GR_ERR_EVENT		6
#define GR_REASON(r)		(1U << (r))

/* sw_exitinfo1 of an answer. */
#define GR_RESP_OK		0
#define GR_RESP_EXCEPTION	1
#define GR_RESP_BAD_INPUT	2

/* Exit codes with a meaning in the rules. */
#define GR_DR7_READ		0x27
#define GR_DR7_WRITE		0x37
#define GR_RDTSC		0x6e
#define GR_RDPMC		0x6f
#define GR_CPUID		0x72
#define GR_INVD			0x76
#define GR_HLT			0x78
#define GR_IOIO			0x7b
#define GR_MSR			0x7c
#define GR_VMMCALL		0x81
#define GR_RDTSCP		0x87
#define GR_WBINVD		0x89
#define GR_MONITOR		0x8a
#define GR_MWAIT		0x8b
#define GR_MMIO_READ		0x80000001ULL
#define GR_MMIO_WRITE		0x80000002ULL
#define GR_NMI_COMPLETE		0x80000003ULL
#define GR_AP_RESET_HOLD	0x80000004ULL
#define GR_AP_JUMP_TABLE	0x80000005ULL
#define GR_HV_FEATURES		0x8000fffdULL
#define GR_UNSUPPORTED		0x8000ffffULL

/* IOIO sw_exitinfo1 bits (APM vol. 2, 15.10.2). */
#define GR_IOIO_IN		0x01
#define GR_IOIO_STR		0x04
#define GR_IOIO_REP		0x08
#define GR_IOIO_SZ8		0x10
#define GR_IOIO_SZ16		0x20
#define GR_IOIO_SZ32		0x40

/* A request in a GHCB page, field by field. */
struct gr_req {
	uint64_t	rq_exitcode;
	uint64_t	rq_exitinfo1;
	uint64_t	rq_exitinfo2;
	uint64_t	rq_scratch;
	uint64_t	rq_rax, rq_rbx, rq_rcx, rq_rdx;
	uint64_t	rq_xcr0;
	uint8_t		rq_cpl;
	uint8_t		rq_valid[16];
	uint32_t	rq_usage;
	uint16_t	rq_version;
	uint64_t	rq_gpa;		/* the page's GPA (the GHCB MSR) */
};

/* The scratch area of a request: where, how long, which way. */
#define GR_SCRATCH_NONE		0
#define GR_SCRATCH_TO_HV	1	/* the hypervisor reads it (OUTS, MMIO write) */
#define GR_SCRATCH_TO_GUEST	2	/* the hypervisor fills it (INS, MMIO read) */

struct gr_scratch {
	int		sc_dir;
	uint64_t	sc_gpa;
	uint64_t	sc_len;
	int		sc_inside;	/* wholly in the page's shared buffer */
};

/* The page offset of a field bit, and its name. */
unsigned int	 gr_field_off(unsigned int field);
const char	*gr_field_name(unsigned int field);
/* Reads a request's field by bit, and whether its valid bit is set. */
uint64_t	 gr_field_value(const struct gr_req *, unsigned int field);
int		 gr_valid(const uint8_t valid[16], unsigned int off);

/* Fills a request from a GHCB page image at gpa. */
void		 gr_req_from_page(struct gr_req *, const uint8_t *page,
		    uint64_t gpa);

/* A NAE event the specification defines, or NULL. */
struct gr_event {
	uint64_t	 ev_code;
	const char	*ev_name;
	int		 ev_version;	/* first protocol version with it */
	int		 ev_may_fault;	/* an exception is a fair answer */
};
const struct gr_event *gr_event(uint64_t code);

/* IOIO operand size in bytes from sw_exitinfo1, 0 if none or several. */
int		 gr_ioio_size(uint64_t exitinfo1);

/* Fields the request takes (needs marked valid), given its values. */
unsigned int	 gr_inputs(const struct gr_req *);
/* Fields a successful answer carries. */
unsigned int	 gr_outputs(const struct gr_req *);
/* The request's scratch area (sc_dir GR_SCRATCH_NONE if none). */
void		 gr_scratch_area(const struct gr_req *, struct gr_scratch *);

/*
 * The reasons a refusal of this request may give: GR_REASON() bits.
 * *must is set when the request has to be refused (it is malformed:
 * usage, missing input, a scratch area outside the shared buffer, an
 * input no hypervisor can serve); the set then holds every reason that
 * applies, and the answer must name one of them.  Otherwise the set
 * holds the reasons a hypervisor may still refuse a well-formed request
 * for (an event or an input value it does not serve).
 */
unsigned int	 gr_refusal_reasons(const struct gr_req *, int *must);

/* An exception answer's sw_exitinfo2: NULL if well formed, else why not. */
const char	*gr_event_inj_problem(uint64_t exitinfo2);

/*
 * MSR protocol: the response code and reserved bits of the answer to
 * request code req; 0 if req is not one the rules know.
 */
int		 gr_msrproto_response(unsigned int req, unsigned int *resp,
		    uint64_t *reserved, const char **name);

#endif /* SEVEMU_GHCB_RULES_H */
