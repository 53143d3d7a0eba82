/*
 * conformance.c - checks of the handler's answers against the GHCB
 * specification.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"
#include "cpu_internal.h"
#include "trace.h"

#define GHCB_VALID_BITMAP	0x3f0
#define GHCB_SAVE_END		0x3f0

static struct {
	uint64_t	msr;		/* the GHCB MSR at the exit */
	int		page;		/* a GHCB page, snapshotted below */
	uint8_t		before[4096];
	unsigned int	n;
	char		text[CONF_MAXFINDINGS][200];
} conf;

void
conformance_reset(void)
{
	memset(&conf, 0, sizeof(conf));
}

unsigned int
conformance_count(void)
{
	return (conf.n);
}

const char *
conformance_text(unsigned int i)
{
	return (i < conf.n && i < CONF_MAXFINDINGS ? conf.text[i] : "");
}

void
conformance_finding(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (conf.n < CONF_MAXFINDINGS)
		memcpy(conf.text[conf.n], buf, sizeof(buf));
	conf.n++;
	if (cpu.cfg.cc_trace != NULL)
		trace_event(cpu.cfg.cc_trace, "spec finding: %s", buf);
}

void
conformance_exit(uint64_t msr)
{
	uint8_t *g;

	conf.msr = msr;
	conf.page = 0;
	if ((msr & 0xfff) != 0 || msr == 0)
		return;
	if ((g = guestmem_ptr(&cpu.gm, msr, 4096)) == NULL)
		return;
	memcpy(conf.before, g, sizeof(conf.before));
	conf.page = 1;
}

/* Response code and reserved bits of each MSR-protocol answer. */
static const struct {
	uint16_t	req;
	uint16_t	resp;
	uint64_t	reserved;	/* bits that must be zero */
	const char	*name;
} msrproto[] = {
	{ 0x002, 0x001, 0x0000000000fff000ULL, "SEV information" },
	{ 0x004, 0x005, 0x000000003ffff000ULL, "CPUID" },
	{ 0x006, 0x007, 0, "AP reset hold" },
	{ 0x010, 0x011, 0, "preferred GHCB GPA" },
	{ 0x012, 0x013, 0, "GHCB GPA registration" },
	{ 0x080, 0x081, 0, "hypervisor feature support" },
};

static void
check_msrproto(uint64_t before, uint64_t after)
{
	unsigned int req = before & 0xfff, resp = after & 0xfff;
	size_t i;

	for (i = 0; i < sizeof(msrproto) / sizeof(msrproto[0]); i++) {
		if (msrproto[i].req != req)
			continue;
		if (resp != msrproto[i].resp) {
			conformance_finding("%s request 0x%03x answered with "
			    "code 0x%03x, not 0x%03x", msrproto[i].name, req,
			    resp, msrproto[i].resp);
			return;
		}
		if (after & msrproto[i].reserved)
			conformance_finding("%s response 0x%016" PRIx64 " has "
			    "reserved bits set (0x%" PRIx64 ")",
			    msrproto[i].name, after,
			    after & msrproto[i].reserved);
		if (req == 0x004 && ((after ^ before) & 0xc0000000ULL))
			conformance_finding("CPUID response names register %u, "
			    "the request asked for %u",
			    (unsigned int)((after >> 30) & 3),
			    (unsigned int)((before >> 30) & 3));
		return;
	}
}

static const char *
field_name(unsigned int off)
{
	switch (off) {
	case 0x0c8:
		return ("CPL");
	case 0x140:
		return ("XSS");
	case 0x160:
		return ("DR7");
	case 0x1f8:
		return ("RAX");
	case 0x308:
		return ("RCX");
	case 0x310:
		return ("RDX");
	case 0x318:
		return ("RBX");
	case 0x390:
		return ("SW_EXITCODE");
	case 0x398:
		return ("SW_EXITINFO1");
	case 0x3a0:
		return ("SW_EXITINFO2");
	case 0x3a8:
		return ("SW_SCRATCH");
	case 0x3e8:
		return ("XCR0");
	default:
		return ("a save-area field");
	}
}

/* A field the handler wrote must be marked valid for the guest. */
static void
check_page(uint64_t gpa)
{
	const uint8_t *g = guestmem_ptr(&cpu.gm, gpa, 4096);
	unsigned int off;
	uint64_t old, new;

	if (g == NULL)
		return;
	for (off = 0; off < GHCB_SAVE_END; off += 8) {
		unsigned int bit = off / 8;

		memcpy(&old, conf.before + off, 8);
		memcpy(&new, g + off, 8);
		if (new == old || new == 0)
			continue;
		if (g[GHCB_VALID_BITMAP + bit / 8] & (1U << (bit % 8)))
			continue;
		conformance_finding("handler returned %s (GHCB offset 0x%03x) "
		    "= 0x%" PRIx64 " without setting its valid bit",
		    field_name(off), off, new);
	}
}

void
conformance_resume(uint64_t msr)
{
	if ((conf.msr & 0xfff) != 0)
		check_msrproto(conf.msr, msr);
	else if (conf.page)
		check_page(conf.msr);
	conf.page = 0;
	conf.msr = msr;
}
