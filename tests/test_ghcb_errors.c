/*
 * vmmcore's handler on malformed GHCB requests: answered to the guest
 * per the GHCB specification (sw_exitinfo1 = 2, the reason in
 * sw_exitinfo2), and the vmm's console names what was wrong; or, when
 * there is no usable GHCB at all, the run stops with an error.  The
 * messages are vmmcore's, so this suite is built only for vmmcore's
 * handler (tests/CMakeLists.txt); what any handler answers is measured
 * by conform/ (ghcb.usage, ghcb.unknown_event, scratch.*, ghcb.none).
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"

#define GHCB_ERR_INVALID_USAGE		2
#define GHCB_ERR_INVALID_SCRATCH_AREA	3
#define GHCB_ERR_MISSING_INPUT		4
#define GHCB_ERR_INVALID_EVENT		6

static void
run(struct guest_run *g, const char *name)
{
	cr_assert_eq(guest_run(g, name, NULL), 0, "%s", g->gr_err);
}

static void
answered_with(struct guest_run *g, const char *prefix, uint64_t reason,
    const char *message)
{
	char sym[64];

	snprintf(sym, sizeof(sym), "%sresumed", prefix);
	cr_assert_eq(guest_u64(g, sym, 0), 1, "%s: %s", g->gr_result.rr_reason,
	    g->gr_result.rr_console);
	snprintf(sym, sizeof(sym), "%sexitinfo1", prefix);
	cr_assert_eq(guest_u64(g, sym, 0) & 0xffffffff, 2);
	snprintf(sym, sizeof(sym), "%sexitinfo2", prefix);
	cr_assert_eq(guest_u64(g, sym, 0), reason);
	cr_assert(strstr(g->gr_result.rr_console, message) != NULL,
	    "console: %s", g->gr_result.rr_console);
}

Test(ghcb_errors, missing_valid_bit)
{
	struct guest_run g;

	run(&g, "ghcb_missing_valid");
	answered_with(&g, "", GHCB_ERR_MISSING_INPUT, "RCX not marked valid");
	guest_done(&g);
}

Test(ghcb_errors, unknown_exit_code)
{
	struct guest_run g;

	run(&g, "ghcb_unknown_exit");
	answered_with(&g, "", GHCB_ERR_INVALID_EVENT,
	    "unknown sw_exitcode 0x12345");
	guest_done(&g);
}

Test(ghcb_errors, usage_not_zero)
{
	struct guest_run g;

	run(&g, "ghcb_usage");
	answered_with(&g, "", GHCB_ERR_INVALID_USAGE, "usage 1 is not 0");
	guest_done(&g);
}

Test(ghcb_errors, scratch_outside_the_shared_buffer_or_ram)
{
	struct guest_run g;

	run(&g, "ghcb_scratch_outside");
	answered_with(&g, "first_", GHCB_ERR_INVALID_SCRATCH_AREA,
	    "not inside the shared buffer");
	answered_with(&g, "second_", GHCB_ERR_INVALID_SCRATCH_AREA,
	    "scratch area 0x7fff0000000");
	cr_assert_eq(g.gr_result.rr_serial_len, 0, "bytes reached COM1");
	guest_done(&g);
}

Test(ghcb_errors, vmgexit_before_any_ghcb_stops_the_run)
{
	struct guest_run g;

	run(&g, "ghcb_before_register");
	cr_assert_eq(g.gr_result.rr_stop, RUN_ERROR, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_vmm_error, EINVAL);
	cr_assert(strstr(g.gr_result.rr_console, "GHCB MSR 0x0") != NULL,
	    "%s", g.gr_result.rr_console);
	cr_assert_eq(guest_u64(&g, "resumed", 0), 0);
	guest_done(&g);
}

/* The guest is stuck: the vmm says so and stops the VM. */
Test(ghcb_errors, unsupported_event_stops_the_vm)
{
	struct guest_run u;

	cr_assert_eq(guest_run(&u, "ghcb_unsupported_event", NULL), 0, "%s",
	    u.gr_err);
	cr_assert_eq(u.gr_result.rr_stop, RUN_ERROR, "%s",
	    u.gr_result.rr_reason);
	cr_assert_eq(u.gr_result.rr_vmm_error, EINVAL);
	cr_assert(strstr(u.gr_result.rr_console, "GHCB unsupported event: "
	    "the guest cannot handle an event (sw_exitinfo1 0x72, "
	    "sw_exitinfo2 0x1234)") != NULL, "console: %s",
	    u.gr_result.rr_console);
	cr_assert_eq(guest_u64(&u, "resumed", 0), 0, "guest resumed");
	guest_done(&u);
}
