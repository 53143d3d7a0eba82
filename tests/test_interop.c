/*
 * What real guests hand over and the handler must still serve: a GHCB
 * without a protocol version (OpenBSD's guest never writes one; KVM
 * does not look), and an empty GHCB, which is answered in the GHCB,
 * not by ending the VM.  The guest's own departure is a finding about
 * the guest.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"

#define GHCB_ERR_MISSING_INPUT	4

Test(interop, empty_ghcb_is_answered_not_fatal)
{
	struct guest_run g;

	char seen[600];

	cr_assert_eq(guest_run(&g, "ghcb_empty", NULL), 0, "%s", g.gr_err);
	snprintf(seen, sizeof(seen), "the run ended %s: %s",
	    run_stop_name(g.gr_result.rr_stop), g.gr_result.rr_reason);
	if (guest_expected_departure("ghcb.empty", g.gr_result.rr_stop ==
	    RUN_HALTED && guest_u64(&g, "exitinfo1", 0) == 2 &&
	    guest_u64(&g, "exitinfo2", 0) == GHCB_ERR_MISSING_INPUT, seen)) {
		guest_done(&g);
		return;
	}
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s: %s (console: %s)",
	    run_stop_name(g.gr_result.rr_stop), g.gr_result.rr_reason,
	    g.gr_result.rr_console);
	cr_assert_eq(guest_u64(&g, "resumed", 0), 1);
	cr_assert_eq(guest_u64(&g, "exitinfo1", 0), 2, "sw_exitinfo1 0x%lx",
	    (unsigned long)guest_u64(&g, "exitinfo1", 0));
	cr_assert_eq(guest_u64(&g, "exitinfo2", 0), GHCB_ERR_MISSING_INPUT,
	    "sw_exitinfo2 0x%lx", (unsigned long)guest_u64(&g, "exitinfo2", 0));
	cr_assert_eq(g.gr_result.rr_findings, 0, "%s",
	    g.gr_result.rr_finding);
	/* The guest's departure, not the handler's. */
	cr_assert_eq(g.gr_result.rr_guest_findings, 1, "%s",
	    g.gr_result.rr_guest_finding);
	cr_assert(strstr(g.gr_result.rr_guest_finding, "protocol version 0")
	    != NULL, "%s", g.gr_result.rr_guest_finding);
	guest_done(&g);
}
