/*
 * msrproto.c - GHCB MSR protocol values, as the guest side writes and
 * reads them: for the runner's view of a termination, and for tests.
 *
 * The codes are the specification's (AMD 56421, section 2.3.1), not a
 * tree's machine/ghcb.h: trees name them differently (-current renamed
 * MSRPROTO_TERM_REQ to MSR_PROTO_TERMINATION_REQ), and the shim must
 * build against every tree.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include "shim.h"

#define MSRPROTO_CPUID_REQ	0x004ULL
#define MSRPROTO_CPUID_RESP	0x005ULL
#define MSRPROTO_TERM_REQ	0x100ULL
#define MSRPROTO_CODE_MASK	0xfffULL
#define MSRPROTO_RSVD_MASK	0x3ffff000ULL	/* response bits 29:12 */

uint64_t
shim_msrproto_cpuid_req(uint32_t fn, unsigned int reg)
{
	return (((uint64_t)fn << 32) | ((uint64_t)(reg & 3) << 30) |
	    MSRPROTO_CPUID_REQ);
}

/* 0 if msr is a well-formed CPUID response, -1 if not. */
int
shim_msrproto_cpuid_resp(uint64_t msr, unsigned int *reg, uint32_t *value)
{
	if ((msr & MSRPROTO_CODE_MASK) != MSRPROTO_CPUID_RESP ||
	    (msr & MSRPROTO_RSVD_MASK) != 0)
		return (-1);
	*reg = (msr >> 30) & 3;
	*value = msr >> 32;
	return (0);
}

uint64_t
shim_msrproto_terminate(unsigned int set, unsigned int code)
{
	return (((uint64_t)(code & 0xff) << 16) |
	    ((uint64_t)(set & 0xf) << 12) | MSRPROTO_TERM_REQ);
}

/* 0 if msr is a termination request, -1 if not. */
int
shim_msrproto_term_decode(uint64_t msr, uint8_t *set, uint8_t *code)
{
	if ((msr & MSRPROTO_CODE_MASK) != MSRPROTO_TERM_REQ)
		return (-1);
	*set = (msr >> 12) & 0xf;
	*code = (msr >> 16) & 0xff;
	return (0);
}
