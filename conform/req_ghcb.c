/*
 * req_ghcb.c - the GHCB page protocol (AMD 56421): the request header,
 * the answer, which page is the GHCB, and the scratch area of string
 * I/O and MMIO.
 */
#include <inttypes.h>
#include <string.h>

#include "conform.h"
#include "seam.h"

#define EXIT_CPUID	0x72ULL
#define EXIT_RDTSC	0x6eULL
#define EXIT_IOIO	0x7bULL
#define EXIT_VMGEXIT	0x403ULL
#define MMIO_READ	0x80000001ULL
#define MMIO_WRITE	0x80000002ULL

#define IOIO_IN		0x001ULL
#define IOIO_STR	0x004ULL
#define IOIO_REP	0x008ULL
#define IOIO_SZ8	0x010ULL
#define IOIO_SZ32	0x040ULL
#define IOIO_A64	0x200ULL
#define COM1		0x3f8ULL
#define COM1_LSR	0x3fdULL

/* CPUID leaf 0 through page 0. */
static struct conf_step *
cpuid0(struct conf_run *cr)
{
	struct conf_step *s = conf_ghcb(cr, EXIT_CPUID, 0, 0);

	conf_set(s, G_RAX, 0);
	conf_set(s, G_RCX, 0);
	return (s);
}

/* The answer to CPUID leaf 0 is the CPU's. */
static int
cpuid0_right(const uint8_t *p, struct conf_result *cv)
{
	static const unsigned int off[4] = { G_RAX, G_RBX, G_RCX, G_RDX };
	static const char *name[4] = { "RAX", "RBX", "RCX", "RDX" };
	uint32_t r[4];
	int i;

	seam_cpuid(0, 0, r);
	for (i = 0; i < 4; i++) {
		if (!conf_valid(p, off[i])) {
			conf_departs(cv, "CPUID answer: %s not marked valid",
			    name[i]);
			return (0);
		}
		if (conf_get(p, off[i]) != r[i]) {
			conf_departs(cv, "CPUID leaf 0 answer: %s 0x%" PRIx64
			    ", the CPU has 0x%x", name[i],
			    conf_get(p, off[i]), r[i]);
			return (0);
		}
	}
	return (1);
}

static void
setup_usage(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s = cpuid0(cr);
	uint32_t usage = 1;

	(void)rq;
	memcpy(s->cs_send + G_USAGE, &usage, 4);
}

static void
setup_unset(const struct conf_req *rq, struct conf_run *cr)
{
	conf_unset(cpuid0(cr), (unsigned int)rq->rq_arg);
}

/* A GHCB page of zeros: no valid bits, protocol version 0. */
static void
setup_empty(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s = conf_ghcb(cr, 0, 0, 0);

	(void)rq;
	memset(s->cs_send, 0, sizeof(s->cs_send));
}

/* At CPL 3, a CPUID request without sw_exitinfo1 marked valid. */
static void
setup_cpl3(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s;

	(void)rq;
	conf_cpl3(cr);
	s = conf_ghcb(cr, EXIT_CPUID, 0, 0);
	conf_set(s, G_RAX, 0);
	conf_set(s, G_RCX, 0);
	conf_set(s, G_CPL, 3);
	conf_unset(s, G_EXITINFO1);
}

static void
judge_cpl3(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	if (!cr->cr_step[0].cs_resumed ||
	    (cr->cr_step[0].cs_msr_after & 3) != 3) {
		conf_untestable(cv, "the guest did not get to CPL 3 (CS 0x%"
		    PRIx64 ")", cr->cr_step[0].cs_msr_after);
		return;
	}
	conf_refused(cr, 1, GHCB_ERR_MISSING_INPUT, cv);
}

static void
setup_code(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s = conf_ghcb(cr, rq->rq_arg, 0, 0);

	conf_set(s, G_RAX, 0);
	conf_set(s, G_RCX, 0);
}

static void
setup_info1_junk(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_ghcb(cr, EXIT_RDTSC, 0x77, 0);
}

static void
judge_info1_cleared(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if ((p = conf_answered(cr, 0, 0, cv)) == NULL)
		return;
	if (!conf_valid(p, G_EXITINFO1))
		conf_departs(cv, "success answer without sw_exitinfo1 marked "
		    "valid");
	else if (conf_get(p, G_EXITINFO1) != 0)
		conf_departs(cv, "success answer leaves sw_exitinfo1 0x%"
		    PRIx64, conf_get(p, G_EXITINFO1));
	else
		conf_conforms(cv);
}

static void
setup_cpuid(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	cpuid0(cr);
}

static void
judge_cpuid(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if ((p = conf_answered(cr, 0, 0, cv)) != NULL && cpuid0_right(p, cv))
		conf_conforms(cv);
}

/* Page 0, then the same request in page 1. */
static void
setup_moved(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	cpuid0(cr);
	cpuid0(cr)->cs_page = 1;
}

static void
judge_moved(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if (conf_answered(cr, 0, 1, cv) == NULL)
		return;
	if ((p = conf_answered(cr, 1, 0, cv)) != NULL && cpuid0_right(p, cv))
		conf_conforms(cv);
}

/* A VMGEXIT whose GHCB MSR names no usable page. */
static void
setup_msr_value(const struct conf_req *rq, struct conf_run *cr)
{
	conf_msr(cr, rq->rq_arg);
}

static void
judge_stops(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	if (cr->cr_step[0].cs_resumed)
		conf_departs(cv, "the guest ran on, GHCB MSR 0x%016" PRIx64
		    " afterwards, though there is no GHCB to answer in",
		    cr->cr_step[0].cs_msr_after);
	else if (cr->cr_stop != RUN_ERROR)
		conf_departs(cv, "the run ended %s: %s",
		    run_stop_name(cr->cr_stop), cr->cr_reason);
	else
		conf_conforms(cv);
}

/* String I/O to COM1 (OUTS, REP, 1 byte each) with scratch at arg. */
static struct conf_step *
outs(struct conf_run *cr, uint64_t scratch, uint64_t size, uint64_t count)
{
	struct conf_step *s;

	s = conf_ghcb(cr, EXIT_IOIO, (COM1 << 16) | IOIO_A64 | IOIO_STR |
	    IOIO_REP | (size == 4 ? IOIO_SZ32 : IOIO_SZ8), count);
	conf_set(s, G_SCRATCH, scratch);
	/* Some handlers want RAX for any OUT: not what this checks. */
	conf_set(s, G_RAX, 0);
	return (s);
}

/* rq_arg: the scratch area's offset in page 0 (or a GPA if >= 4 KiB). */
static uint64_t
scratch_at(const struct conf_req *rq, const struct conf_run *cr)
{
	return (rq->rq_arg < 4096 ? cr->cr_ghcb[0] + rq->rq_arg : rq->rq_arg);
}

static void
setup_outs4(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s = outs(cr, scratch_at(rq, cr), 1, 4);

	if (rq->rq_arg >= G_SHARED && rq->rq_arg < 4096)
		memcpy(s->cs_send + rq->rq_arg, "abcd", 4);
}

static void
judge_outs4(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	if (conf_answered(cr, 0, 0, cv) == NULL)
		return;
	if (cr->cr_serial_len != 4 || memcmp(cr->cr_serial, "abcd", 4) != 0)
		conf_departs(cv, "COM1 got %zu bytes \"%.*s\", not \"abcd\"",
		    cr->cr_serial_len, (int)cr->cr_serial_len, cr->cr_serial);
	else
		conf_conforms(cv);
}

/* A refused string must not have reached the device either. */
static void
judge_outs_refused(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	conf_refused(cr, 0, GHCB_ERR_INVALID_SCRATCH, cv);
	if (cv->cv_verdict == CONF_CONFORMS && cr->cr_serial_len != 0)
		conf_departs(cv, "refused, but %zu bytes reached COM1",
		    cr->cr_serial_len);
}

static void
setup_outs_wrap(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	outs(cr, 0xfffffffffffffff0ULL, 1, 0x20);
}

/* count * 4 wraps to 4: only a bound on count itself catches it. */
static void
setup_outs_overflow(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	outs(cr, cr->cr_ghcb[0] + G_SHARED, 4, 0x4000000000000001ULL);
}

static void
setup_outs_no_scratch(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_unset(outs(cr, cr->cr_ghcb[0] + G_SHARED, 1, 1), G_SCRATCH);
}

static void
setup_out_no_rax(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_ghcb(cr, EXIT_IOIO, (COM1 << 16) | IOIO_A64 | IOIO_SZ8, 0);
}

static void
setup_in(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_ghcb(cr, EXIT_IOIO, (COM1_LSR << 16) | IOIO_A64 | IOIO_SZ8 |
	    IOIO_IN, 0);
}

static void
judge_in(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if ((p = conf_answered(cr, 0, 0, cv)) == NULL)
		return;
	if (!conf_valid(p, G_RAX))
		conf_departs(cv, "IN answer without RAX marked valid");
	else if ((conf_get(p, G_RAX) & 0xff) != 0x60)
		conf_departs(cv, "IN of COM1's LSR gave RAX 0x%" PRIx64
		    ", the device said 0x60", conf_get(p, G_RAX));
	else
		conf_conforms(cv);
}

static void
setup_ins(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s;

	(void)rq;
	s = conf_ghcb(cr, EXIT_IOIO, (COM1_LSR << 16) | IOIO_A64 | IOIO_SZ8 |
	    IOIO_IN | IOIO_STR | IOIO_REP, 3);
	conf_set(s, G_SCRATCH, cr->cr_ghcb[0] + G_SHARED);
}

static void
judge_ins(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	const uint8_t *p;

	(void)rq;
	if ((p = conf_answered(cr, 0, 0, cv)) == NULL)
		return;
	if (p[G_SHARED] != 0x60 || p[G_SHARED + 1] != 0x60 ||
	    p[G_SHARED + 2] != 0x60 || p[G_SHARED + 3] != 0)
		conf_departs(cv, "REP INSB x3 of COM1's LSR left %02x %02x "
		    "%02x %02x in the scratch area, not 60 60 60 00",
		    p[G_SHARED], p[G_SHARED + 1], p[G_SHARED + 2],
		    p[G_SHARED + 3]);
	else
		conf_conforms(cv);
}

/* MMIO of 8 bytes at the runner's MMIO page, scratch at rq_arg. */
static struct conf_step *
mmio(struct conf_run *cr, uint64_t code, uint64_t scratch)
{
	struct conf_step *s = conf_ghcb(cr, code, cr->cr_mmio, 8);

	conf_set(s, G_SCRATCH, scratch);
	return (s);
}

static void
setup_mmio_read(const struct conf_req *rq, struct conf_run *cr)
{
	mmio(cr, MMIO_READ, scratch_at(rq, cr));
}

static void
judge_mmio_read(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	static const uint8_t want[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const uint8_t *p;

	(void)rq;
	if ((p = conf_answered(cr, 0, 0, cv)) == NULL)
		return;
	if (memcmp(p + G_SHARED, want, 8) != 0)
		conf_departs(cv, "MMIO read of 8 bytes left 0x%016" PRIx64
		    " in the scratch area, the device has 0x0706050403020100",
		    conf_get(p, G_SHARED));
	else
		conf_conforms(cv);
}

static void
setup_mmio_write(const struct conf_req *rq, struct conf_run *cr)
{
	struct conf_step *s = mmio(cr, MMIO_WRITE, cr->cr_ghcb[0] + G_SHARED);

	(void)rq;
	memset(s->cs_send + G_SHARED, 0x5a, 8);
}

static void
judge_mmio_write(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	static const uint8_t want[8] = { 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
	    0x5a, 0x5a };

	(void)rq;
	if (conf_answered(cr, 0, 0, cv) == NULL)
		return;
	if (memcmp(cr->cr_mmio_dev, want, 8) != 0 || cr->cr_mmio_dev[8] != 8)
		conf_departs(cv, "after an 8-byte MMIO write of 0x5a bytes the "
		    "device holds %02x %02x .. %02x %02x", cr->cr_mmio_dev[0],
		    cr->cr_mmio_dev[1], cr->cr_mmio_dev[7], cr->cr_mmio_dev[8]);
	else
		conf_conforms(cv);
}

static void
setup_mmio_no_scratch(const struct conf_req *rq, struct conf_run *cr)
{
	(void)rq;
	conf_unset(mmio(cr, MMIO_READ, cr->cr_ghcb[0] + G_SHARED), G_SCRATCH);
}

const struct conf_req conf_reqs_ghcb[] = {
	{ "ghcb.usage", "GHCB page", "a GHCB whose usage field is not 0 is "
	    "refused: sw_exitinfo1 2, reason 2 (invalid usage)", setup_usage,
	    conf_judge_refused, GHCB_ERR_INVALID_USAGE },
	{ "ghcb.exitcode_valid", "NAE events", "sw_exitcode not marked valid: "
	    "refused, reason 4 (missing input)", setup_unset,
	    conf_judge_missing, G_EXITCODE },
	{ "ghcb.exitinfo1_valid", "NAE events", "sw_exitinfo1 not marked "
	    "valid: refused, reason 4", setup_unset, conf_judge_missing,
	    G_EXITINFO1 },
	{ "ghcb.exitinfo2_valid", "NAE events", "sw_exitinfo2 not marked "
	    "valid: refused, reason 4", setup_unset, conf_judge_missing,
	    G_EXITINFO2 },
	{ "ghcb.empty", "GHCB page", "an empty GHCB (no valid bits, version "
	    "0) is refused, reason 4, not by ending the VM", setup_empty,
	    conf_judge_missing, 0 },
	{ "ghcb.cpl3_missing_input", "GHCB page", "a malformed request made "
	    "at CPL 3 is refused, reason 4: a guest process cannot stop the "
	    "VM", setup_cpl3, judge_cpl3, 0 },
	{ "ghcb.unknown_event", "NAE events", "an unknown sw_exitcode "
	    "(0x12345) is refused, reason 6 (invalid event)", setup_code,
	    conf_judge_event, 0x12345 },
	{ "ghcb.exitcode_high_bits", "NAE events", "sw_exitcode 0x100000072 "
	    "is no CPUID: refused, reason 6", setup_code, conf_judge_event,
	    0x100000072ULL },
	{ "ghcb.vmgexit_in_ghcb", "NAE events", "sw_exitcode VMGEXIT (0x403) "
	    "itself is refused, reason 6, not served recursively", setup_code,
	    conf_judge_event, EXIT_VMGEXIT },
	{ "ghcb.exitinfo1_cleared", "NAE events", "a success answer has "
	    "sw_exitinfo1 0, marked valid, whatever the request held",
	    setup_info1_junk, judge_info1_cleared, 0 },
	{ "ghcb.answer", "NAE events", "a CPUID request through the GHCB page "
	    "is answered there: the CPU's registers, marked valid", setup_cpuid,
	    judge_cpuid, 0 },
	{ "ghcb.moved", "GHCB page", "a guest may move its GHCB: a request in "
	    "the page the GHCB MSR names now is served in that page",
	    setup_moved, judge_moved, 0 },
	{ "ghcb.none", "GHCB page", "VMGEXIT with GHCB MSR 0 (no GHCB) stops "
	    "the VM with an error, nothing answered", setup_msr_value,
	    judge_stops, 0 },
	{ "ghcb.outside_ram", "GHCB page", "VMGEXIT naming a page outside "
	    "guest RAM stops the VM with an error", setup_msr_value,
	    judge_stops, 0x7fff0000000ULL },
	{ "scratch.in_buffer", "scratch area", "REP OUTSB with the scratch "
	    "area at the shared buffer's start reaches the device", setup_outs4,
	    judge_outs4, G_SHARED },
	{ "scratch.at_end", "scratch area", "a scratch area ending at the "
	    "shared buffer's last byte is accepted", setup_outs4, judge_outs4,
	    G_SHARED + G_SHARED_SIZE - 4 },
	{ "scratch.past_end", "scratch area", "a scratch area one byte past "
	    "the shared buffer's end: refused, reason 3 (invalid scratch area)",
	    setup_outs4, judge_outs_refused, G_SHARED + G_SHARED_SIZE - 3 },
	{ "scratch.save_area", "scratch area", "a scratch area in the GHCB's "
	    "save area: refused, reason 3", setup_outs4, judge_outs_refused,
	    0x100 },
	{ "scratch.before_buffer", "scratch area", "a scratch area starting a "
	    "byte before the shared buffer: refused, reason 3", setup_outs4,
	    judge_outs_refused, G_SHARED - 1 },
	{ "scratch.outside_ram", "scratch area", "a scratch area outside "
	    "guest RAM: refused, reason 3", setup_outs4, judge_outs_refused,
	    0x7fff0000000ULL },
	{ "scratch.wraps", "scratch area", "a scratch area that wraps around "
	    "the address space: refused, reason 3", setup_outs_wrap,
	    judge_outs_refused, 0 },
	{ "scratch.count_overflow", "scratch area", "a string count whose "
	    "length (count x size) overflows 64 bits: refused, reason 3",
	    setup_outs_overflow, judge_outs_refused, 0 },
	{ "ioio.string_needs_scratch", "NAE events", "string I/O without "
	    "sw_scratch marked valid: refused, reason 4", setup_outs_no_scratch,
	    conf_judge_missing, 0 },
	{ "ioio.out_needs_rax", "NAE events", "OUT without RAX marked valid: "
	    "refused, reason 4", setup_out_no_rax, conf_judge_missing, 0 },
	{ "ioio.in", "NAE events", "IN returns the port's value in RAX, "
	    "marked valid", setup_in, judge_in, 0 },
	{ "ioio.ins", "scratch area", "REP INSB puts count elements into the "
	    "scratch area, nothing beyond", setup_ins, judge_ins, 0 },
	{ "mmio.read", "NAE MMIO", "MMIO read puts the device's bytes into "
	    "the scratch area", setup_mmio_read, judge_mmio_read, G_SHARED },
	{ "mmio.write", "NAE MMIO", "MMIO write takes its bytes from the "
	    "scratch area to the device", setup_mmio_write, judge_mmio_write,
	    0 },
	{ "mmio.scratch_save_area", "scratch area", "MMIO with the scratch "
	    "area in the save area: refused, reason 3", setup_mmio_read,
	    conf_judge_scratch, 0x100 },
	{ "mmio.needs_scratch", "NAE MMIO", "MMIO without sw_scratch marked "
	    "valid: refused, reason 4", setup_mmio_no_scratch,
	    conf_judge_missing, 0 },
};
const size_t conf_nreqs_ghcb =
    sizeof(conf_reqs_ghcb) / sizeof(conf_reqs_ghcb[0]);
