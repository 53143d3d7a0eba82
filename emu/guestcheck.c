/*
 * guestcheck.c - checks of what the guest hands the hypervisor at a
 * VMGEXIT.  Each kind of departure is reported once per run: a guest
 * that makes it once makes it at every exit.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cpu_internal.h"
#include "guestcheck.h"
#include "trace.h"
#include "vmcb.h"

#define GHCB_PROTO_VERSION	0xffa	/* u16 */
#define GHCB_PROTO_MIN		1
#define GHCB_PROTO_MAX		2

enum { GC_VERSION, GC_NKINDS };

static struct {
	unsigned int	n;
	int		seen[GC_NKINDS];
	char		first[200];
} gc;

void
guestcheck_reset(void)
{
	memset(&gc, 0, sizeof(gc));
}

unsigned int
guestcheck_count(void)
{
	return (gc.n);
}

const char *
guestcheck_text(void)
{
	return (gc.first);
}

static void
finding(int kind, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	if (gc.seen[kind])
		return;
	gc.seen[kind] = 1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (gc.n++ == 0)
		memcpy(gc.first, buf, sizeof(buf));
	if (cpu.cfg.cc_trace != NULL)
		trace_event(cpu.cfg.cc_trace, "guest finding: %s", buf);
}

void
guestcheck_exit(uint64_t msr)
{
	const uint8_t *g;
	uint16_t version;

	if ((msr & 0xfff) != 0 || msr == 0 ||
	    (g = guestmem_ptr(&cpu.gm, msr, 4096)) == NULL)
		return;
	version = vmcb_get16(g, GHCB_PROTO_VERSION);
	if (version < GHCB_PROTO_MIN || version > GHCB_PROTO_MAX)
		finding(GC_VERSION, "the GHCB at GPA 0x%" PRIx64 " has "
		    "protocol version %u; the guest must write the version it "
		    "uses there (%d to %d)", msr, version,
		    GHCB_PROTO_MIN, GHCB_PROTO_MAX);
}
