/*
 * exit_detail.c - what a tool's trace adds to an exit: the GHCB the
 * MSR names and who called the helper that made the VMGEXIT.
 */
#include <string.h>

#include "cpu_internal.h"
#include "trace.h"
#include "vmcb.h"

#define GHCB_SW_EXITCODE	0x390
#define GHCB_SW_EXITINFO1	0x398
#define GHCB_SW_EXITINFO2	0x3a0

/*
 * The return address at [RSP] if the bytes before it are a call: E8
 * rel32, or FF /2 through a register (FF D0+r, with a REX prefix 41
 * for r8-r15) or RIP-relative memory (FF 15 disp32).  A helper such as
 * ghcb_msr_vmgexit makes its VMGEXIT with nothing pushed, so [RSP] is
 * its caller's return address; anywhere else the check fails and no
 * caller is claimed.
 */
static uint64_t
caller(void)
{
	struct paging pg;
	uint64_t rsp = cpu_reg(UC_X86_REG_RSP), ret = 0;
	uint8_t b[6];
	size_t width = cpu_code_bits() == 64 ? 8 : 4;

	cpu_paging(&pg);
	if (guestmem_read(&cpu.gm, &pg, rsp, &ret, width) != 0 || ret < 6 ||
	    guestmem_read(&cpu.gm, &pg, ret - 6, b, sizeof(b)) != 0)
		return (0);
	if (b[1] == 0xe8 ||
	    (b[4] == 0xff && (b[5] & 0xf8) == 0xd0) ||
	    (b[0] == 0xff && b[1] == 0x15) ||
	    (b[3] == 0x41 && b[4] == 0xff && (b[5] & 0xf8) == 0xd0))
		return (ret);
	return (0);
}

void
cpu_trace_detail(uint64_t code, uint64_t msr, struct trace_detail *d)
{
	const uint8_t *g;

	memset(d, 0, sizeof(*d));
	if (code != VMEXIT_VMGEXIT)
		return;
	d->td_caller = caller();
	if (msr != 0 && (msr & 0xfff) == 0 &&
	    (g = guestmem_ptr(&cpu.gm, msr, 4096)) != NULL) {
		d->td_ghcb = g;
		d->td_sw_exitcode = vmcb_get64(g, GHCB_SW_EXITCODE);
		d->td_sw_exitinfo1 = vmcb_get64(g, GHCB_SW_EXITINFO1);
		d->td_sw_exitinfo2 = vmcb_get64(g, GHCB_SW_EXITINFO2);
	}
}
